//! The client: configuration, the API key, and the shared connection pool.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use chatcaptain_api::Hooks;
use chatcaptain_api::hooks::{RequestHook, ResponseHook};
use chatcaptain_api::operations::Operation;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::pacing::Pacing;
use crate::retries::{DEFAULT_RETRY_QUOTA, Quota, RetryMode, RetryPolicy};
use crate::{CallOptions, Error};

/// Where ChatCaptain lives unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.chatcaptain.com";
/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "x-chatcaptain-key";
/// The environment variable [`Client::from_env`] reads the key from.
pub const API_KEY_ENV: &str = "CHATCAPTAIN_API_KEY";
/// The environment variable [`Client::from_env`] reads an optional base URL from.
pub const BASE_URL_ENV: &str = "CHATCAPTAIN_BASE_URL";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest response body read by default; the API's pages are far smaller.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

/// A ChatCaptain client: cheap to clone, every clone shares one connection pool.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), chatcaptain::Error> {
/// # let server = chatcaptain_fake::FakeServer::builder().seed_contacts("aBcDeFgHiJkLmNoPqRsT", 3).start().await;
/// # let (key, base_url) = (server.api_key(), server.base_url());
/// use std::time::Duration;
/// use chatcaptain::Client;
///
/// // Or Client::from_env()?: CHATCAPTAIN_API_KEY, optional CHATCAPTAIN_BASE_URL.
/// let client = Client::builder()
///     .api_key(key)
///     .base_url(base_url) // default: the production API
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// let newest = client.contacts("aBcDeFgHiJkLmNoPqRsT").list().max_items(1).collect_all().await?;
/// assert_eq!(newest.len(), 1);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

#[derive(Clone)]
struct Shared {
    api: chatcaptain_api::Client,
    base_url: String,
    retry: RetryPolicy,
    call_timeout: Option<Duration>,
    /// Shared by the clients [`Client::with`] makes: one pace, one hold, one 429 count.
    pacing: Arc<Pacing>,
    /// Shared by the clients [`Client::with`] makes: one retry quota.
    quota: Arc<Quota>,
    /// The base URL's host, for request spans.
    host: String,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url)
            .field("api_key", &"[redacted]")
            .field("retry", &self.shared.retry)
            .field("call_timeout", &self.shared.call_timeout)
            .finish()
    }
}

impl Client {
    /// A client for the production API with this key.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::builder().api_key(api_key).build()
    }

    /// A client configured from `CHATCAPTAIN_API_KEY` and, if set, `CHATCAPTAIN_BASE_URL`.
    ///
    /// A variable that is empty or only whitespace counts as unset (`CHATCAPTAIN_BASE_URL= cmd`
    /// is meant as "no base URL", not as a broken one): a blank key is the same error as an
    /// unset one, a blank base URL means production.
    pub fn from_env() -> Result<Client, Error> {
        let set = |name| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let key =
            set(API_KEY_ENV).ok_or_else(|| Error::Config(format!("{API_KEY_ENV} is not set")))?;
        let mut builder = Client::builder().api_key(key);
        if let Some(url) = set(BASE_URL_ENV) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// This client with `options` overriding its settings, for the calls made through the
    /// copy (and the handles and listings it makes); this client is left as it was. Cheap: the
    /// copy shares the connection pool, the pace, the retry quota and the hooks.
    pub fn with(&self, options: CallOptions) -> Client {
        let mut shared = Shared::clone(&self.shared);
        if let Some(timeout) = options.timeout {
            use chatcaptain_api::ClientInfo as _;
            let api = &self.shared.api;
            let hooks = api.inner().clone().timeout(timeout);
            shared.api = chatcaptain_api::Client::new_with_client(
                api.baseurl(),
                api.client().clone(),
                hooks,
            );
        }
        if let Some(limit) = options.call_timeout {
            shared.call_timeout = Some(limit);
        }
        options.apply_to(&mut shared.retry);
        Client {
            shared: Arc::new(shared),
        }
    }

    /// The generated client underneath, for anything this crate does not wrap; it sends the key too.
    pub fn inner(&self) -> &chatcaptain_api::Client {
        &self.shared.api
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    pub(crate) fn api(&self) -> &chatcaptain_api::Client {
        &self.shared.api
    }

    pub(crate) fn retry_policy(&self) -> &RetryPolicy {
        &self.shared.retry
    }

    pub(crate) fn call_timeout(&self) -> Option<Duration> {
        self.shared.call_timeout
    }

    pub(crate) fn pacing(&self) -> &Pacing {
        &self.shared.pacing
    }

    pub(crate) fn quota(&self) -> &Quota {
        &self.shared.quota
    }

    pub(crate) fn host(&self) -> &str {
        &self.shared.host
    }
}

/// Configures a [`Client`]; every method consumes and returns the builder.
///
/// `C` is the client [`build`](Self::build) makes: this [`Client`], or with the `blocking`
/// feature a `blocking::Client` (`blocking::ClientBuilder` is this type for it). Both take
/// every option of this one builder, so the two cannot drift apart.
#[must_use = "a builder does nothing until .build() is called"]
pub struct ClientBuilder<C = Client> {
    api_key: Option<SecretString>,
    base_url: Option<String>,
    /// The settings a call may override (`Client::with`): the client's own are the same kind.
    call: CallOptions,
    retry: RetryPolicy,
    user_agent: Option<String>,
    max_response_bytes: Option<u64>,
    http: Option<reqwest::Client>,
    retry_quota: Option<Option<u32>>,
    per_second: Option<f64>,
    retry_mode: RetryMode,
    on_request: Vec<RequestHook>,
    on_response: Vec<ResponseHook>,
    /// PEM bundles of extra roots, concatenated.
    root_certificates: Vec<u8>,
    builds: PhantomData<fn() -> C>,
}

// Not derived: a derive would want `C: Default`.
impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            api_key: None,
            base_url: None,
            call: CallOptions::default(),
            retry: RetryPolicy::default(),
            user_agent: None,
            max_response_bytes: None,
            http: None,
            retry_quota: None,
            per_second: None,
            retry_mode: RetryMode::Standard,
            on_request: Vec::new(),
            on_response: Vec::new(),
            root_certificates: Vec::new(),
            builds: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.call.timeout)
            .field("call_timeout", &self.call.call_timeout)
            .field("retry", &self.retry_policy())
            .field("user_agent", &self.user_agent)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("retry_mode", &self.retry_mode)
            .field("on_request", &self.on_request.len())
            .field("on_response", &self.on_response.len())
            .finish_non_exhaustive()
    }
}

// Every option lives in this one block, for every kind of client; the only other block of
// this type is `build` for each kind (a test of the blocking client checks that).
impl<C> ClientBuilder<C> {
    /// The API key, sent as `x-chatcaptain-key` on every request.
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(SecretString::from(key.into()));
        self
    }

    /// Talks to another server than production (a trailing `/` is fine).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// How long one request may take, from connect to the last byte (default 30 s); a request
    /// that takes longer is retried like a dropped connection.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.call = self.call.timeout(timeout);
        self
    }

    /// How long one call may take in all, retries and their waits included (default: no limit
    /// beyond the attempts); past it the call fails with [`Error::Timeout`].
    ///
    /// When the wait before a retry (a `Retry-After`, a backoff) would outlast what is left, the
    /// call fails at once with an `Error::Timeout` whose `cause` is the failure, so a rate limit
    /// is not hidden behind a bare timeout.
    ///
    /// A listing makes one call per page, so this bounds each page, not the whole listing.
    pub fn call_timeout(mut self, limit: Duration) -> Self {
        self.call = self.call.call_timeout(limit);
        self
    }

    /// How many requests one call may send, the first included (default 3; 1 turns retries off).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.call = self.call.max_attempts(attempts);
        self
    }

    /// The retry policy the client gets: the builder's, with its `max_attempts` if set.
    fn retry_policy(&self) -> RetryPolicy {
        let mut retry = self.retry.clone();
        self.call.apply_to(&mut retry);
        retry
    }

    /// The backoff between attempts: a random wait up to `base * 2^(retry - 1)`, never more than
    /// `cap` (defaults 100 ms and 20 s).
    pub fn backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.retry.base = base;
        self.retry.cap = cap;
        self
    }

    /// The longest `Retry-After` the client waits out (default 60 s); a longer one fails the call
    /// at once with [`Error::RateLimited`], which carries the wait asked for.
    pub fn max_retry_wait(mut self, limit: Duration) -> Self {
        self.retry.max_retry_wait = limit;
        self
    }

    /// Also retries `create` when the server may have processed the failed attempt (a timeout, a
    /// 5xx, a cut answer), at the risk of a duplicate contact (default `false`: only 429s and
    /// failed connects, which cannot have created anything, are retried).
    pub fn retry_non_idempotent(mut self, retry: bool) -> Self {
        self.retry.retry_non_idempotent = retry;
        self
    }

    /// The retry quota shared by every call through this client and its clones (default 500
    /// tokens, as aws-sdk-rust's standard mode): a retry costs 5 tokens (10 after a timeout), a
    /// success gives back what its retries cost (1 for a first-try success), and with too few
    /// tokens left a failure is not retried. So a total outage costs about one request per call,
    /// not `max_attempts`. `None` turns the quota off.
    pub fn retry_quota(mut self, tokens: Option<u32>) -> Self {
        self.retry_quota = Some(tokens);
        self
    }

    /// Sends at most `rate` requests per second through this client and its clones, retries
    /// included (default: no pacing). `rate` must lie in [`MAX_REQUESTS_PER_SECOND`](crate::MAX_REQUESTS_PER_SECOND)
    /// (0.001 to 1,000,000); any other value, NaN and infinities included, makes
    /// [`build`](Self::build) fail with [`Error::Config`].
    pub fn max_requests_per_second(mut self, rate: f64) -> Self {
        self.per_second = Some(rate);
        self
    }

    /// How the client meets 429s (default [`RetryMode::Standard`], as in aws-sdk-rust, where
    /// the adaptive mode is opt-in too).
    ///
    /// Standard retries with backoff and holds the whole client for each `Retry-After`. Adaptive
    /// also paces itself after a 429: every request through this client and its clones then
    /// leaves at a learned rate, cut below the rate the server granted over the last second,
    /// then grown back along a cubic curve that lingers near it (the CUBIC scheme of
    /// aws-sdk-rust's adaptive retry mode). Since each 429 holds the client for its
    /// `Retry-After`, few 429s is what makes a rate-limited bulk export fast: use adaptive for
    /// one. It is not the default because a few 429s met by a mostly idle client (another
    /// program sharing the key used up the limit) would pace that client very slowly for some
    /// seconds. Parallel listings halve their concurrency on a 429 and grow it back by one per
    /// round of answers, in either mode.
    pub fn retry_mode(mut self, mode: RetryMode) -> Self {
        self.retry_mode = mode;
        self
    }

    /// Runs `hook` on every request before it is sent, retries included, after the hooks added
    /// before it: to add a header (a trace id, a proxy's credentials), log or count attempts.
    /// The operation comes from the spec's table (`None` for a raw call to a path the spec
    /// does not have). The hook runs before the client adds its own headers: it never sees the
    /// API key, and a header it sets of the same name (the key's, `user-agent`) is replaced.
    ///
    /// ```
    /// # fn main() -> Result<(), chatcaptain::Error> {
    /// let client = chatcaptain::Client::builder()
    ///     .api_key("...")
    ///     .on_request(|request, operation| {
    ///         let id = reqwest::header::HeaderValue::from_static("trace-123");
    ///         request.headers_mut().insert("x-trace-id", id);
    ///         tracing::debug!(operation = operation.map(|o| o.id()), "sending");
    ///     })
    ///     .build()?;
    /// # drop(client); Ok(()) }
    /// ```
    pub fn on_request<F>(mut self, hook: F) -> Self
    where
        F: Fn(&mut reqwest::Request, Option<Operation>) + Send + Sync + 'static,
    {
        self.on_request.push(Arc::new(hook));
        self
    }

    /// Runs `hook` on every answer, retries included, after the hooks added before it and
    /// before the body is read: to log or meter statuses and headers (a rate-limit header, the
    /// server's request id). A request that got no answer (a refused connection, a timeout)
    /// does not come here; its error does come back from the call.
    pub fn on_response<F>(mut self, hook: F) -> Self
    where
        F: Fn(&reqwest::Response, Option<Operation>) + Send + Sync + 'static,
    {
        self.on_response.push(Arc::new(hook));
        self
    }

    /// The `User-Agent` header (default `chatcaptain-rs/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Sends through this `reqwest::Client` (proxies, TLS roots, pool settings, or one pool
    /// shared with the rest of a program). The key, user agent and timeout are added to each
    /// request, so the client needs no configuration for them.
    ///
    /// Build it with `.redirect(reqwest::redirect::Policy::none())`: its redirect policy cannot
    /// be changed from here, and reqwest's default follows redirects to other hosts with the
    /// key header on. An answer that came from another origin than the base URL is refused
    /// with [`Error::Redirect`], but by then the key has been sent there.
    ///
    /// Start it from [`api::tls::client_builder()`](crate::api::tls::client_builder) to have this
    /// crate's TLS backend: with the default `rustls-ring`, reqwest has no crypto provider of
    /// its own, and a `reqwest::Client::builder().build()` panics unless your program enables
    /// reqwest's `rustls` or `native-tls` feature (see [`crate::api::tls`]).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// Also trusts the root certificates in `pem` (one or more `-----BEGIN CERTIFICATE-----`
    /// blocks, the contents of a `.pem`/`.crt` file), beside the platform's: for an API behind
    /// a private CA, or a corporate proxy that inspects TLS with a certificate of its own. May
    /// be called more than once; every TLS backend takes them.
    ///
    /// [`build`](Self::build) fails with [`Error::Config`] when a bundle holds no certificate or
    /// one that cannot serve as a root, and when [`http_client`](Self::http_client) is given
    /// too (add the roots to that client: this one cannot change it).
    ///
    /// ```no_run
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let pem = std::fs::read("/etc/ssl/corp-root-ca.pem")?;
    /// let client = chatcaptain::Client::builder()
    ///     .api_key("...")
    ///     .add_root_certificates_pem(pem)
    ///     .build()?;
    /// # drop(client); Ok(()) }
    /// ```
    pub fn add_root_certificates_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.root_certificates.extend_from_slice(pem.as_ref());
        self.root_certificates.push(b'\n');
        self
    }

    /// The largest answer body read (default 64 MiB); a larger one fails with
    /// [`Error::ResponseTooLarge`] as soon as it passes the limit, chunked bodies included.
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    /// The async client these options make, whatever kind `build` hands out.
    pub(crate) fn build_async(self) -> Result<Client, Error> {
        let retry = self.retry_policy();
        let api_key = self.api_key.ok_or_else(|| {
            Error::Config("no API key: call .api_key(..) or set CHATCAPTAIN_API_KEY".into())
        })?;
        if api_key.expose_secret().is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        let mut key = HeaderValue::from_str(api_key.expose_secret()).map_err(|_| {
            Error::Config("the API key contains characters a header cannot carry".into())
        })?;
        key.set_sensitive(true);

        let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        // The generated client formats `{base}/v1/...`: a trailing slash would give `//v1`.
        let base_url = base_url.trim_end_matches('/').to_owned();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("base URL {base_url:?}: {e}")))?;
        match parsed.scheme() {
            "https" if self.http.is_none() && chatcaptain_api::tls::BACKEND.is_none() => {
                return Err(Error::Config(format!(
                    "base URL {base_url:?} needs TLS, and chatcaptain was built without a TLS \
                     feature: enable `rustls-ring` (the default), `rustls` or `native-tls`"
                )));
            }
            "https" => {}
            "http" if is_loopback(&parsed) => {}
            "http" => {
                return Err(Error::Config(format!(
                    "refusing to send the API key in clear text to {base_url:?}: use https \
                     (plain http is allowed only to localhost, 127.0.0.0/8 and ::1)"
                )));
            }
            _ => {
                return Err(Error::Config(format!(
                    "base URL {base_url:?} is not http(s)"
                )));
            }
        }
        if let Some(rate) = self.per_second
            && !crate::MAX_REQUESTS_PER_SECOND.contains(&rate)
        {
            return Err(Error::Config(format!(
                "max_requests_per_second {rate}: give a positive number of requests per second \
                 from 0.001 to 1000000"
            )));
        }
        if retry.max_attempts == 0 {
            return Err(Error::Config(
                "max_attempts is 0: a call needs at least one attempt".into(),
            ));
        }

        let user_agent = self
            .user_agent
            .unwrap_or_else(|| concat!("chatcaptain-rs/", env!("CARGO_PKG_VERSION")).to_owned());
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|_| {
            Error::Config(format!("user agent {user_agent:?} is not a header value"))
        })?;
        let mut hooks = Hooks::new();
        for hook in self.on_request {
            hooks = hooks.on_request(hook);
        }
        for hook in self.on_response {
            hooks = hooks.on_response(hook);
        }
        let hooks = hooks
            .header(API_KEY_HEADER, key)
            .header("user-agent", user_agent)
            .timeout(self.call.timeout.unwrap_or(DEFAULT_TIMEOUT))
            .max_response_bytes(
                self.max_response_bytes
                    .unwrap_or(DEFAULT_MAX_RESPONSE_BYTES),
            );
        let http = match self.http {
            Some(_) if !self.root_certificates.is_empty() => {
                return Err(Error::Config(
                    "add_root_certificates_pem cannot change a client given with http_client: \
                     add the roots to that reqwest::Client"
                        .into(),
                ));
            }
            Some(client) => client,
            None if !self.root_certificates.is_empty() => {
                chatcaptain_api::tls::client_builder_trusting(&self.root_certificates)
                    .map_err(|e| Error::Config(format!("root certificates: {e}")))?
                    .redirect(crate::redirect::policy(&parsed))
                    .build()
                    .map_err(|e| Error::Config(format!("HTTP client: {e}")))?
            }
            None => chatcaptain_api::tls::client_builder()
                .redirect(crate::redirect::policy(&parsed))
                .build()
                .map_err(|e| Error::Config(format!("HTTP client: {e}")))?,
        };

        Ok(Client {
            shared: Arc::new(Shared {
                api: chatcaptain_api::Client::new_with_client(&base_url, http, hooks),
                base_url,
                retry,
                call_timeout: self.call.call_timeout,
                host: parsed.host_str().unwrap_or_default().to_owned(),
                pacing: Arc::new(Pacing::new(
                    self.per_second,
                    self.retry_mode == RetryMode::Adaptive,
                )),
                quota: Arc::new(Quota::new(
                    self.retry_quota.unwrap_or(Some(DEFAULT_RETRY_QUOTA)),
                )),
            }),
        })
    }
}

impl ClientBuilder<Client> {
    /// Builds the client; fails without an API key or with an unusable base URL.
    pub fn build(self) -> Result<Client, Error> {
        self.build_async()
    }
}

/// Whether a URL's host is this machine, where a key in clear text crosses no network.
fn is_loopback(url: &reqwest::Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}
