//! Where a search stands between two pages.

use serde::{Deserialize, Serialize};

/// Where a search stands: a page number, how many hits of that page were already delivered, and
/// the page size the number counts in (so a search resumed with another size starts at the same
/// hit, not at the same page number).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagePosition {
    pub(super) page: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(super) skip: usize,
    /// `None` in positions saved before the size was recorded: read as the resuming search's size.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) size: Option<u32>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl PagePosition {
    /// The start of page `page` (the first page is 1).
    pub fn page(page: u32) -> Self {
        PagePosition {
            page,
            skip: 0,
            size: None,
        }
    }

    /// The page number to ask for next.
    pub fn number(&self) -> u32 {
        self.page
    }

    /// How many hits at the start of that page were already delivered (after a `max_items` cut).
    pub fn skip(&self) -> usize {
        self.skip
    }

    /// The page size `number` counts in, when recorded.
    pub fn page_size(&self) -> Option<u32> {
        self.size
    }

    /// How many hits come before this position.
    pub(super) fn offset(&self, default_size: u32) -> u64 {
        let size = u64::from(self.size.unwrap_or(default_size));
        u64::from(self.page.saturating_sub(1)) * size + self.skip as u64
    }

    /// The same hit, counted in pages of `size`.
    pub(super) fn in_pages_of(&self, size: u32) -> PagePosition {
        let offset = self.offset(size);
        let size64 = u64::from(size);
        PagePosition {
            page: u32::try_from(offset / size64 + 1).unwrap_or(u32::MAX),
            skip: (offset % size64) as usize,
            size: Some(size),
        }
    }
}
