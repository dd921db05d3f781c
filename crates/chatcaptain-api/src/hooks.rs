//! What the generated client does around every request, beyond progenitor's fixed pipeline.
//!
//! progenitor reads the whole body itself and cannot be told to add a header, cap a body or keep
//! the status of an error body that is not JSON. These hooks run below every generated operation:
//!
//! - before sending: drop the `api-version` header progenitor adds (the API documents none), add
//!   configured headers (the API key, marked sensitive, so a caller's own `reqwest::Client` works
//!   unchanged) and a per-request timeout;
//! - after the answer: cap the body at `max_response_bytes` (also for chunked bodies, by counting
//!   as it streams), and turn an error status whose body is not a JSON object (a proxy's HTML
//!   page) into the API's `ErrorResponse` shape, so the status, the headers (`Retry-After`) and
//!   an excerpt of what was sent reach the caller as `Error::ErrorResponse` instead of a decode
//!   error that has lost the status.
//!
//! `Hooks::default()` adds nothing and caps nothing.

use std::fmt;
use std::time::Duration;

use futures::TryStreamExt;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Response, StatusCode};

use crate::Client;

/// The characters of a non-JSON error body kept in the synthesized `message`.
const EXCERPT_CHARS: usize = 200;

/// Per-client settings the hooks apply to every request; see the module docs.
#[derive(Clone, Default)]
pub struct Hooks {
    headers: HeaderMap,
    timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header names only: values may be secrets (the API key).
        let names: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("Hooks")
            .field("headers", &names)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish()
    }
}

impl Hooks {
    /// Hooks that add nothing and cap nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends this header with every request, replacing one of the same name.
    pub fn header(mut self, name: &'static str, value: HeaderValue) -> Self {
        self.headers.insert(name, value);
        self
    }

    /// Bounds each request, from connect to the last byte of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Fails a response whose body grows past `limit` bytes with [`ResponseTooLarge`].
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = Some(limit);
        self
    }

    async fn shape(&self, response: Response) -> reqwest::Result<Response> {
        let status = response.status();
        if status.is_client_error() || status.is_server_error() {
            return self.error_as_json(response).await;
        }
        Ok(match self.max_response_bytes {
            // hyper never reads past a Content-Length, so only an unknown or too large length
            // needs counting; the common case keeps reqwest's own body untouched.
            Some(limit) if response.content_length().is_none_or(|n| n > limit) => {
                capped(response, limit)
            }
            _ => response,
        })
    }

    async fn error_as_json(&self, response: Response) -> reqwest::Result<Response> {
        let status = response.status();
        let mut headers = response.headers().clone();
        let limit = self.max_response_bytes.unwrap_or(u64::MAX);
        let body = capped(response, limit).bytes().await?;
        let body = match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&body)
        {
            Ok(_) => body,
            Err(_) => synthesized_error(status, &body).into(),
        };
        headers.remove(CONTENT_LENGTH);
        headers.remove(CONTENT_ENCODING);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(rebuilt(status, headers, reqwest::Body::from(body)))
    }
}

/// A body stream ended because it passed [`Hooks::max_response_bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseTooLarge {
    /// The limit, in bytes.
    pub limit: u64,
}

impl fmt::Display for ResponseTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the response body is larger than the limit of {} bytes",
            self.limit
        )
    }
}

impl std::error::Error for ResponseTooLarge {}

impl ResponseTooLarge {
    /// Finds this error in the source chain of a failure, if that is why it failed.
    pub fn in_chain(error: &(dyn std::error::Error + 'static)) -> Option<ResponseTooLarge> {
        let mut current = Some(error);
        while let Some(e) = current {
            if let Some(found) = e.downcast_ref::<ResponseTooLarge>() {
                return Some(*found);
            }
            current = e.source();
        }
        None
    }
}

/// The same response, its body counted as it streams and cut off past `limit`.
fn capped(response: Response, limit: u64) -> Response {
    let status = response.status();
    let headers = response.headers().clone();
    let mut seen: u64 = 0;
    let body = response
        .bytes_stream()
        .map_err(BoxError::from)
        .and_then(move |chunk| {
            seen = seen.saturating_add(chunk.len() as u64);
            let result = if seen > limit {
                Err(BoxError::from(ResponseTooLarge { limit }))
            } else {
                Ok(chunk)
            };
            std::future::ready(result)
        });
    rebuilt(status, headers, reqwest::Body::wrap_stream(body))
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn rebuilt(status: StatusCode, headers: HeaderMap, body: reqwest::Body) -> Response {
    let mut http = http::Response::new(body);
    *http.status_mut() = status;
    *http.headers_mut() = headers;
    Response::from(http)
}

/// The API's `ErrorResponse` for an error status whose body the API would not have sent.
fn synthesized_error(status: StatusCode, body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let excerpt: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(EXCERPT_CHARS)
        .collect();
    let message = if excerpt.is_empty() {
        "the server sent no body".to_owned()
    } else {
        format!("the server sent a body that is not JSON: {excerpt}")
    };
    serde_json::to_vec(&serde_json::json!({
        "statusCode": status.as_u16(),
        "error": status.canonical_reason().unwrap_or("Error"),
        "message": message,
    }))
    .expect("a JSON object serializes")
}

impl ClientHooks<Hooks> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // progenitor sends the spec's `info.version` as `api-version`; the API documents no such
        // header, and the spec's version numbers our description, not the server's API.
        request.headers_mut().remove("api-version");
        let hooks = self.inner();
        for (name, value) in &hooks.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        if let Some(timeout) = hooks.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        Ok(())
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        _info: &OperationInfo,
    ) -> reqwest::Result<Response> {
        let response = self.client().execute(request).await?;
        self.inner().shape(response).await
    }
}
