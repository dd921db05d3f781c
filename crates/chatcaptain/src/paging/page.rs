//! What a listing hands out: a [`Page`] of items, and the [`Resume`] point after it, whatever the
//! listing's style.

use serde::{Deserialize, Serialize};

use super::cursor::Cursor;
use super::page_position::PagePosition;
use super::parallel_cursor::ParallelCursor;

/// One page of a listing, with the point to resume from after it.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    pub(super) items: Vec<T>,
    pub(super) next: Option<Resume>,
    pub(super) total: Option<u64>,
}

impl<T> Page<T> {
    /// The items of this page, in the server's order.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Takes the items out of the page.
    pub fn into_items(self) -> Vec<T> {
        self.items
    }

    /// How many items the whole listing has, when the server says: a search's `found` (before
    /// `max_items`); `None` for the contact list, whose API does not count.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// Where the listing goes on after this page; `None` when this page is known to be the last.
    ///
    /// A page cannot always know (a short page may be a server's silent cap, so the listing asks
    /// once more); resuming from the cursor of what turns out to be the last page yields nothing.
    pub fn next(&self) -> Option<&Resume> {
        self.next.as_ref()
    }

    /// The cursor to resume a contact list from, when this page came from one.
    pub fn next_cursor(&self) -> Option<&Cursor> {
        match &self.next {
            Some(Resume::Cursor(c)) => Some(c),
            _ => None,
        }
    }

    /// The ranges to resume a parallel contact list from, when this page came from one.
    pub fn next_parallel(&self) -> Option<&ParallelCursor> {
        match &self.next {
            Some(Resume::Parallel(c)) => Some(c),
            _ => None,
        }
    }

    /// The position to resume a search from, when this page came from one.
    pub fn next_position(&self) -> Option<&PagePosition> {
        match &self.next {
            Some(Resume::Page(p)) => Some(p),
            _ => None,
        }
    }
}

/// A point to resume a listing from; serializable, so it can outlive the process.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Resume {
    /// Where a contact list goes on.
    Cursor(Cursor),
    /// Where a search goes on.
    Page(PagePosition),
    /// Where a parallel contact list goes on.
    Parallel(ParallelCursor),
}

// Each position is a point to resume from.
impl From<Cursor> for Resume {
    fn from(c: Cursor) -> Self {
        Resume::Cursor(c)
    }
}

impl From<PagePosition> for Resume {
    fn from(p: PagePosition) -> Self {
        Resume::Page(p)
    }
}

impl From<ParallelCursor> for Resume {
    fn from(c: ParallelCursor) -> Self {
        Resume::Parallel(c)
    }
}
