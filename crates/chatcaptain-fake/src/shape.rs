//! How the fake's cursor listings ("list contacts", "list organizations") may differ from what the
//! spec assumes.
//!
//! The public API reference documents no page-size maximum, no order and no meaning of a tie with
//! the `pageToken`; the spec guesses. A client that depends on a guess should be tested against a
//! server that guessed otherwise: these switches make the fake that server.

use chrono::{DateTime, TimeDelta, Utc};

/// The shape of the fake's cursor listings; the default is the spec's (see [`crate::MAX_LIST_LIMIT`]).
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
            max_limit: crate::MAX_LIST_LIMIT,
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

    /// Answers 400 for a `limit` above `max` (default [`crate::MAX_LIST_LIMIT`]).
    pub fn max_limit(mut self, max: usize) -> Self {
        self.max_limit = max;
        self
    }

    /// Lists contacts created at or before the `pageToken` (the spec: strictly before).
    pub fn inclusive_token(mut self, inclusive: bool) -> Self {
        self.inclusive_token = inclusive;
        self
    }

    /// Lists the oldest contacts before the token first (the spec: newest first).
    pub fn oldest_first(mut self, oldest_first: bool) -> Self {
        self.oldest_first = oldest_first;
        self
    }

    /// Ignores `pageToken`: every page is the first, so a cursor never advances.
    pub fn ignore_token(mut self, ignore: bool) -> Self {
        self.ignore_token = ignore;
        self
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

    /// Answers the records before the token in the order they were stored, the last stored first
    /// (a server that sorts by an auto-increment id rather than by `created`): a record stored
    /// late with an early `created` (an import) comes first. Wins over [`Self::oldest_first`].
    pub fn insertion_order(mut self, insertion: bool) -> Self {
        self.insertion_order = insertion;
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
