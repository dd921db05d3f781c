//! How the fake's cursor listings ("list contacts", "list organizations") may differ from what the
//! spec assumes.
//!
//! The public API reference documents no page-size maximum, no order and no meaning of a tie with
//! the `pageToken`; the spec guesses. A client that depends on a guess should be tested against a
//! server that guessed otherwise: these switches make the fake that server.

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
}

impl Default for ListShape {
    fn default() -> Self {
        ListShape {
            limit_cap: None,
            max_limit: crate::MAX_LIST_LIMIT,
            inclusive_token: false,
            oldest_first: false,
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
}
