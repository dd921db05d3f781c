//! Settings for some calls without a second client: `client.with(CallOptions::new()...)`.

use std::time::Duration;

use crate::retries::RetryPolicy;

/// Settings that override the client's for the calls made through
/// [`Client::with`](crate::Client::with) (or a handle's `with`): the connection pool, the
/// pace, the retry quota and the hooks stay the client's, shared; the client itself is left as
/// it was.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), chatcaptain::Error> {
/// # let server = chatcaptain_fake::FakeServer::start().await;
/// # let client = chatcaptain::Client::builder().api_key(server.api_key()).base_url(server.base_url()).build()?;
/// use std::time::Duration;
/// use chatcaptain::CallOptions;
///
/// // One quick look, no retries, two seconds at most:
/// let quick = CallOptions::new().max_attempts(1).timeout(Duration::from_secs(2));
/// let page = client.with(quick).contacts("aBcDeFgHiJkLmNoPqRsT").list().max_items(10).collect_all().await?;
/// # drop(page);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) call_timeout: Option<Duration>,
    pub(crate) max_attempts: Option<u32>,
}

impl CallOptions {
    /// Options that override nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bounds each request, as [`ClientBuilder::timeout`](crate::ClientBuilder::timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Bounds each call, retries and waits included, as
    /// [`ClientBuilder::call_timeout`](crate::ClientBuilder::call_timeout).
    pub fn call_timeout(mut self, limit: Duration) -> Self {
        self.call_timeout = Some(limit);
        self
    }

    /// How many requests one call may send, as
    /// [`ClientBuilder::max_attempts`](crate::ClientBuilder::max_attempts); 0 makes each call
    /// fail with [`Error::InvalidArgument`](crate::Error::InvalidArgument), sending nothing.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = Some(attempts);
        self
    }

    /// Sets `retry`'s `max_attempts` to these options', when they give one: how both the builder
    /// and [`Client::with`](crate::Client::with) apply it.
    pub(crate) fn apply_to(&self, retry: &mut RetryPolicy) {
        if let Some(attempts) = self.max_attempts {
            retry.max_attempts = attempts;
        }
    }
}
