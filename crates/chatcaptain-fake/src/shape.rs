//! How the fake's cursor listings ("list contacts", "list organizations") and searches may differ
//! from what the spec assumes.
//!
//! The public API reference documents no page-size maximum, no order and no meaning of a tie with
//! the `pageToken`; the spec guesses. A client that depends on a guess should be tested against a
//! server that guessed otherwise: these switches make the fake that server.

use chrono::{DateTime, TimeDelta, Utc};

/// `limit` of the cursor listings ("list contacts", "list organizations") when the request gives
/// none (the spec's shape: assumed default).
pub const DEFAULT_LIST_LIMIT: usize = 100;
/// The largest `limit` of the cursor listings (the spec's shape: assumed maximum).
pub const MAX_LIST_LIMIT: usize = 1000;
/// The largest `pageSize` of the searches (the spec's shape: assumed maximum).
pub const MAX_SEARCH_PAGE_SIZE: usize = 250;

/// The shape of the fake's cursor listings; the default is the spec's (see [`MAX_LIST_LIMIT`]).
///
/// ```
/// use chatcaptain_fake::{FakeServer, ListShape};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let server = FakeServer::builder()
///     .seed_contacts("bot1", 500)
///     .list_shape(ListShape::spec().limit_cap(100).inclusive_token(true))
///     .start()
///     .await;
/// # drop(server);
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListShape {
    pub(crate) limit_cap: Option<usize>,
    pub(crate) max_limit: usize,
    pub(crate) inclusive_token: bool,
    pub(crate) oldest_first: bool,
    pub(crate) ignore_token: bool,
    pub(crate) token_unit: Option<TimeDelta>,
    pub(crate) insertion_order: bool,
}

impl Default for ListShape {
    fn default() -> Self {
        ListShape {
            limit_cap: None,
            max_limit: MAX_LIST_LIMIT,
            inclusive_token: false,
            oldest_first: false,
            ignore_token: false,
            token_unit: None,
            insertion_order: false,
        }
    }
}

impl ListShape {
    /// The list operation as the spec describes it.
    pub fn spec() -> Self {
        Self::default()
    }

    /// Answers at most `cap` contacts whatever `limit` asks for, without saying so.
    pub fn limit_cap(mut self, cap: usize) -> Self {
        self.limit_cap = Some(cap);
        self
    }

    setters! {
        /// Answers 400 for a `limit` above `max` (default [`MAX_LIST_LIMIT`]).
        max_limit(max: usize);
        /// Lists contacts created at or before the `pageToken` (the spec: strictly before).
        inclusive_token(inclusive: bool);
        /// Lists the oldest contacts before the token first (the spec: newest first).
        oldest_first(oldest_first: bool);
        /// Ignores `pageToken`: every page is the first, so a cursor never advances.
        ignore_token(ignore: bool);
        /// Answers the records before the token in the order they were stored, the last stored
        /// first (a server that sorts by an auto-increment id rather than by `created`): a record
        /// stored late with an early `created` (an import) comes first. Wins over
        /// [`Self::oldest_first`].
        insertion_order(insertion: bool);
    }

    /// Reads `pageToken` only to `unit` (for example whole seconds, or milliseconds as a
    /// JavaScript `Date` does), dropping the rest of it; the stored times keep their precision.
    ///
    /// # Panics
    /// When `unit` is not a positive whole number of nanoseconds.
    pub fn token_unit(mut self, unit: TimeDelta) -> Self {
        assert!(
            unit.num_nanoseconds().is_some_and(|n| n > 0),
            "a token unit must be positive and at most 292 years, not {unit}"
        );
        self.token_unit = Some(unit);
        self
    }

    /// The instant the listing reads from a request's `pageToken`.
    pub(crate) fn read_token(&self, token: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
        let token = token.filter(|_| !self.ignore_token)?;
        let Some(unit) = self.token_unit.and_then(|u| u.num_nanoseconds()) else {
            return Some(token);
        };
        // In i128: nanoseconds since 1970 overflow an i64 outside 1677..2262.
        let since_epoch = i128::from(token.timestamp()) * 1_000_000_000
            + i128::from(token.timestamp_subsec_nanos());
        let dropped = since_epoch.rem_euclid(i128::from(unit));
        Some(token - TimeDelta::nanoseconds(dropped as i64))
    }
}

/// The shape of the fake's searches; the default is the spec's (`page` and `pageSize` as asked,
/// at most [`MAX_SEARCH_PAGE_SIZE`]).
///
/// ```
/// use chatcaptain_fake::{FakeServer, SearchShape};
///
/// # #[tokio::main(flavor = "current_thread")] async fn main() {
/// let server = FakeServer::builder()
///     .seed_contacts("bot1", 50)
///     .search_shape(SearchShape::spec().page_size_cap(10))
///     .start()
///     .await;
/// # drop(server);
/// # }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SearchShape {
    pub(crate) page_size_cap: Option<usize>,
    pub(crate) ignore_page: bool,
}

impl SearchShape {
    /// The search as the spec describes it.
    pub fn spec() -> Self {
        Self::default()
    }

    /// Answers pages of at most `cap` hits whatever `pageSize` asks for, without saying so
    /// (`found` still counts them all, so a client sees short pages before the end).
    pub fn page_size_cap(mut self, cap: usize) -> Self {
        self.page_size_cap = Some(cap.max(1));
        self
    }

    setters! {
        /// Ignores `page`: every request gets page 1, so a client counting on pages loops.
        ignore_page(ignore: bool);
    }

    /// The page and page size the search answers for a request's.
    pub(crate) fn read(&self, page: usize, page_size: usize) -> (usize, usize) {
        let page = if self.ignore_page { 1 } else { page };
        (
            page,
            page_size.min(self.page_size_cap.unwrap_or(usize::MAX)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_shape_caps_the_page_size_and_may_ignore_the_page() {
        assert_eq!(SearchShape::spec().read(3, 25), (3, 25));
        assert_eq!(SearchShape::spec().page_size_cap(10).read(3, 25), (3, 10));
        assert_eq!(SearchShape::spec().page_size_cap(10).read(3, 5), (3, 5));
        assert_eq!(SearchShape::spec().ignore_page(true).read(3, 25), (1, 25));
    }
}
