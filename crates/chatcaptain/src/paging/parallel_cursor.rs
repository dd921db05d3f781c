//! Where a parallel listing stands: each range's own cursor.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::cursor::Cursor;

/// Where a parallel listing stands: the ranges not yet through, each its own cursor.
///
/// Serializable like [`Cursor`]; resume with
/// [`CursorListing::resume_parallel`](super::CursorListing::resume_parallel).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParallelCursor {
    pub(super) ranges: Vec<Cursor>,
    /// The estimate of the oldest contact, which balances later splits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) oldest: Option<DateTime<Utc>>,
    /// How many ranges the listing paged at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) workers: Option<usize>,
}

impl ParallelCursor {
    /// How many ranges are left to page.
    pub fn ranges(&self) -> usize {
        self.ranges.len()
    }

    /// How many ranges the saved listing paged at once (at least the ranges left).
    pub(super) fn workers(&self) -> usize {
        self.workers.unwrap_or(0).max(self.ranges.len())
    }
}
