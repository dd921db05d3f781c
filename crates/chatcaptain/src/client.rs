//! The client: configuration, the API key, and the shared connection pool.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use crate::{Contacts, Error};

/// Where ChatCaptain lives unless told otherwise.
pub const DEFAULT_BASE_URL: &str = "https://api.chatcaptain.com";
/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "x-chatcaptain-key";
/// The environment variable [`Client::from_env`] reads the key from.
pub const API_KEY_ENV: &str = "CHATCAPTAIN_API_KEY";
/// The environment variable [`Client::from_env`] reads an optional base URL from.
pub const BASE_URL_ENV: &str = "CHATCAPTAIN_BASE_URL";

const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// A ChatCaptain client: cheap to clone, every clone shares one connection pool.
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

struct Shared {
    api: chatcaptain_api::Client,
    base_url: String,
    // Kept for the reliability layer (refusing plain http, re-keying); never printed.
    #[allow(dead_code)]
    api_key: SecretString,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.shared.base_url)
            .field("api_key", &"[redacted]")
            .finish()
    }
}

impl Client {
    /// A client for the production API with this key.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::builder().api_key(api_key).build()
    }

    /// A client configured from `CHATCAPTAIN_API_KEY` and, if set, `CHATCAPTAIN_BASE_URL`.
    pub fn from_env() -> Result<Client, Error> {
        let key = std::env::var(API_KEY_ENV)
            .map_err(|_| Error::Config(format!("{API_KEY_ENV} is not set")))?;
        let mut builder = Client::builder().api_key(key);
        if let Ok(url) = std::env::var(BASE_URL_ENV) {
            builder = builder.base_url(url);
        }
        builder.build()
    }

    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The contacts of one chatbot.
    pub fn contacts(&self, chatbot_id: impl Into<String>) -> Contacts {
        Contacts::new(self.clone(), chatbot_id.into())
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
}

/// Configures a [`Client`]; every method consumes and returns the builder.
#[derive(Default)]
pub struct ClientBuilder {
    api_key: Option<SecretString>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    user_agent: Option<String>,
    http: Option<reqwest::ClientBuilder>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key.as_ref().map(|_| "[redacted]"))
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
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

    /// How long one request may take, from connect to the last byte (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The `User-Agent` header (default `chatcaptain-rs/<version>`).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// Starts from this reqwest builder (proxies, TLS roots, pool settings).
    ///
    /// It takes a builder rather than a built `reqwest::Client` because the key header, timeout
    /// and user agent must be layered onto the client, and a built client cannot be changed.
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// Builds the client; fails without an API key or with an unusable base URL.
    pub fn build(self) -> Result<Client, Error> {
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
        let mut headers = HeaderMap::new();
        headers.insert(API_KEY_HEADER, key);

        let base_url = self.base_url.unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
        // The generated client formats `{base}/v1/...`: a trailing slash would give `//v1`.
        let base_url = base_url.trim_end_matches('/').to_owned();
        let parsed = reqwest::Url::parse(&base_url)
            .map_err(|e| Error::Config(format!("base URL {base_url:?}: {e}")))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "base URL {base_url:?} is not http(s)"
            )));
        }

        let user_agent = self
            .user_agent
            .unwrap_or_else(|| concat!("chatcaptain-rs/", env!("CARGO_PKG_VERSION")).to_owned());
        let http = self
            .http
            .unwrap_or_default()
            .default_headers(headers)
            .user_agent(user_agent)
            .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;

        Ok(Client {
            shared: Arc::new(Shared {
                api: chatcaptain_api::Client::new_with_client(&base_url, http),
                base_url,
                api_key,
            }),
        })
    }
}
