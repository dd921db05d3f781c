//! Raw calls for the blocking client: the async [`crate::RawRequest`], sent on its runtime thread.

use reqwest::Method;

use super::Client;
use crate::{CallOptions, Error, RawAnswer};

/// A raw call being set up: [`Client::raw`] makes it, [`send`](Self::send) sends it; the
/// same as [`crate::RawRequest`], answered in the same way.
#[must_use = "a raw request does nothing until .send() is called"]
#[derive(Debug)]
pub struct RawRequest {
    inner: crate::RawRequest,
    client: Client,
}

impl Client {
    /// A call of `method` to `path` below the base URL; see [`crate::Client::raw`].
    pub fn raw(&self, method: Method, path: impl Into<String>) -> RawRequest {
        RawRequest {
            inner: self.as_async().raw(method, path),
            client: self.clone(),
        }
    }
}

impl RawRequest {
    /// Adds `name=value` to the query string (percent-encoded here).
    pub fn query(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.map(|r| r.query(name, value))
    }

    /// Sends `body` as JSON (`content-type: application/json`).
    pub fn json<B: serde::Serialize + ?Sized>(self, body: &B) -> Self {
        self.map(|r| r.json(body))
    }

    /// Sends this header; see [`crate::RawRequest::header`].
    pub fn header(self, name: &str, value: &str) -> Self {
        self.map(|r| r.header(name, value))
    }

    /// Overrides the client's settings for this call (see [`CallOptions`]).
    pub fn with(self, options: CallOptions) -> Self {
        self.map(|r| r.with(options))
    }

    /// Answers `Ok` whatever the status; see [`crate::RawRequest::any_status`].
    pub fn any_status(self) -> Self {
        self.map(crate::RawRequest::any_status)
    }

    /// Sends the call and waits for its answer.
    pub fn send(self) -> Result<RawAnswer, Error> {
        let inner = self.inner;
        self.client.call(inner.send())
    }

    fn map(self, f: impl FnOnce(crate::RawRequest) -> crate::RawRequest) -> Self {
        RawRequest {
            inner: f(self.inner),
            client: self.client,
        }
    }
}
