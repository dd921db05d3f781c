//! What the generated client does around every request, beyond progenitor's fixed pipeline.
//!
//! progenitor reads the whole body itself and cannot be told to add a header, cap a body or keep
//! the status of an error body it cannot decode. These hooks run below every generated operation:
//!
//! - before sending: drop the `api-version` header progenitor adds (the API documents none), add
//!   configured headers (the API key, marked sensitive, so a caller's own `reqwest::Client` works
//!   unchanged) and a per-request timeout;
//! - after the answer: cap the body at `max_response_bytes` (also for chunked bodies, by counting
//!   as it streams), and turn an error status whose body does not decode as the spec's
//!   `ErrorResponse` (a proxy's HTML page, NestJS's list of validation messages, any other JSON)
//!   into that shape, so the status, the headers (`Retry-After`) and the best text there is
//!   reach the caller as `Error::ErrorResponse` instead of a decode error that has lost the
//!   status. A list of messages is joined with "; ".
//!
//! - after the answer: refuse one that came from another origin (scheme, host, port) than its
//!   request went to, which a caller's own `reqwest::Client` reaches by following a redirect,
//!   with an `Error::Custom` starting with [`FOREIGN_ORIGIN`].
//!
//! `Hooks::default()` adds nothing and caps nothing.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use progenitor_client::{ClientHooks, ClientInfo, Error, OperationInfo};
use reqwest::header::{CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, HeaderValue};
use reqwest::{Response, StatusCode};

use serde_json::Value;

use crate::Client;
use crate::operations::Operation;
use crate::types::ErrorResponse;

/// The characters of an undecodable error body kept in the synthesized `message`.
const EXCERPT_CHARS: usize = 200;

/// A caller's function run on every request before it is sent (retries included): it may add
/// headers or change the request. It runs before the client's own headers are added, so it never
/// sees the API key and cannot replace it. The operation is `None` for a raw request to a path
/// the spec does not have.
pub type RequestHook = Arc<dyn Fn(&mut reqwest::Request, Option<Operation>) + Send + Sync>;

/// A caller's function run on every answer (retries included), before its body is read.
pub type ResponseHook = Arc<dyn Fn(&Response, Option<Operation>) + Send + Sync>;

/// Per-client settings the hooks apply to every request; see the module docs.
#[derive(Clone, Default)]
pub struct Hooks {
    headers: HeaderMap,
    timeout: Option<Duration>,
    max_response_bytes: Option<u64>,
    on_request: Vec<RequestHook>,
    on_response: Vec<ResponseHook>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header names only: values may be secrets (the API key).
        let names: Vec<&str> = self.headers.keys().map(|k| k.as_str()).collect();
        f.debug_struct("Hooks")
            .field("headers", &names)
            .field("timeout", &self.timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("on_request", &self.on_request.len())
            .field("on_response", &self.on_response.len())
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

    /// Runs `hook` on every request before it is sent, after the hooks added before it.
    pub fn on_request(mut self, hook: RequestHook) -> Self {
        self.on_request.push(hook);
        self
    }

    /// Runs `hook` on every answer, after the hooks added before it.
    pub fn on_response(mut self, hook: ResponseHook) -> Self {
        self.on_response.push(hook);
        self
    }

    /// The per-request timeout, when one is set.
    pub fn request_timeout(&self) -> Option<Duration> {
        self.timeout
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
        Ok(self.cap(response))
    }

    fn cap(&self, response: Response) -> Response {
        match self.max_response_bytes {
            // hyper never reads past a Content-Length, so only an unknown or too large length
            // needs counting; the common case keeps reqwest's own body untouched.
            Some(limit) if response.content_length().is_none_or(|n| n > limit) => {
                capped(response, limit)
            }
            _ => response,
        }
    }

    async fn error_as_json(&self, response: Response) -> reqwest::Result<Response> {
        let status = response.status();
        let mut headers = response.headers().clone();
        let limit = self.max_response_bytes.unwrap_or(u64::MAX);
        let body = capped(response, limit).bytes().await?;
        let body = match as_error_response(status, &body) {
            Some(rewritten) => rewritten.into(),
            None => body,
        };
        headers.remove(CONTENT_LENGTH);
        headers.remove(CONTENT_ENCODING);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(rebuilt(status, headers, reqwest::Body::from(body)))
    }
}

/// The `operation_id` of a raw request (the `chatcaptain` crate's `Client::raw`): its answer
/// is capped at `max_response_bytes` but otherwise handed over as the server sent it, error
/// bodies included, for the caller to see them whole.
pub const RAW_OPERATION_ID: &str = "raw";

/// The spec's `ErrorResponse` for an error answer's body: the body itself when it has that
/// shape, else one made of the best text there is (as every generated operation gets).
pub fn error_response(status: StatusCode, body: &[u8]) -> ErrorResponse {
    let body = as_error_response(status, body).unwrap_or_else(|| body.to_vec());
    serde_json::from_slice(&body).unwrap_or_default()
}

/// How the `Error::Custom` message starts when an answer came from another origin (scheme, host
/// and port) than its request went to, after the HTTP client followed a redirect; the final URL follows.
pub const FOREIGN_ORIGIN: &str = "the answer came from another origin after a redirect: ";

/// Marks an answer that came from another origin than its request went to.
#[derive(Clone)]
struct ForeignOrigin(reqwest::Url);

/// The final URL of an answer refused for coming from another origin, if `custom` (the
/// message of an `Error::Custom`) says that is why the request failed.
pub fn foreign_origin(custom: &str) -> Option<&str> {
    custom.strip_prefix(FOREIGN_ORIGIN)
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

/// An error body in the spec's `ErrorResponse` shape: `None` when it already decodes as one,
/// else a synthesized one that keeps the best text there is. Without this, progenitor fails to
/// decode the body and drops the status with it (a NestJS validation error sends `message` as a
/// list of strings; a proxy sends HTML).
fn as_error_response(status: StatusCode, body: &[u8]) -> Option<Vec<u8>> {
    if serde_json::from_slice::<ErrorResponse>(body).is_ok() {
        return None;
    }
    let reason = status.canonical_reason().unwrap_or("Error");
    let (error, message, status_code) = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(fields)) => {
            let error = fields.get("error").and_then(text_of);
            let message = fields.get("message").and_then(text_of);
            let message = match (&error, message) {
                (None, None) => Some(format!(
                    "the server sent an error body of another shape: {}",
                    excerpt(&Value::Object(fields.clone()).to_string())
                )),
                (_, message) => message,
            };
            let code = fields.get("statusCode").and_then(Value::as_i64);
            (error, message, code)
        }
        Ok(other) => (None, text_of(&other), None),
        Err(_) => {
            let excerpt = excerpt(&String::from_utf8_lossy(body));
            let message = if excerpt.is_empty() {
                "the server sent no body".to_owned()
            } else {
                format!("the server sent a body that is not JSON: {excerpt}")
            };
            (None, Some(message), None)
        }
    };
    // The builder, not a struct literal: a field the spec adds to the type is then no edit here.
    let synthesized: ErrorResponse = ErrorResponse::builder()
        .error(Some(error.unwrap_or_else(|| reason.to_owned())))
        .message(message)
        .status_code(Some(
            status_code
                .and_then(|c| i32::try_from(c).ok())
                .unwrap_or(i32::from(status.as_u16())),
        ))
        .try_into()
        .expect("an ErrorResponse has no required field");
    Some(serde_json::to_vec(&synthesized).expect("an ErrorResponse serializes"))
}

/// The text of one field of an error body: a string as is, a list of them joined with "; " (as
/// NestJS lists validation failures), anything else as compact JSON.
fn text_of(value: &Value) -> Option<String> {
    let text = match value {
        Value::Null => return None,
        Value::String(s) => s.clone(),
        Value::Array(items) => items
            .iter()
            .filter_map(text_of)
            .collect::<Vec<_>>()
            .join("; "),
        other => excerpt(&other.to_string()),
    };
    (!text.trim().is_empty()).then_some(text)
}

/// The start of `text` on one line, short enough for an error message.
fn excerpt(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(EXCERPT_CHARS)
        .collect()
}

impl ClientHooks<Hooks> for Client {
    async fn pre<E>(
        &self,
        request: &mut reqwest::Request,
        info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        // progenitor sends the spec's `info.version` as `api-version`; the API documents no such
        // header, and the spec's version numbers our description, not the server's API.
        request.headers_mut().remove("api-version");
        let hooks = self.inner();
        // The caller's hooks first: the key is added after them, so they never see it.
        let operation = operation_of(info, request);
        for hook in &hooks.on_request {
            hook(request, operation);
        }
        for (name, value) in &hooks.headers {
            request.headers_mut().insert(name.clone(), value.clone());
        }
        if let Some(timeout) = hooks.timeout {
            *request.timeout_mut() = Some(timeout);
        }
        Ok(())
    }

    async fn post<E>(
        &self,
        result: &reqwest::Result<Response>,
        _info: &OperationInfo,
    ) -> Result<(), Error<E>> {
        match result {
            Ok(response) => match response.extensions().get::<ForeignOrigin>() {
                Some(ForeignOrigin(url)) => Err(Error::Custom(format!("{FOREIGN_ORIGIN}{url}"))),
                None => Ok(()),
            },
            Err(_) => Ok(()),
        }
    }

    async fn exec(
        &self,
        request: reqwest::Request,
        info: &OperationInfo,
    ) -> reqwest::Result<Response> {
        let origin = request.url().origin();
        let operation = operation_of(info, &request);
        let mut response = self.client().execute(request).await?;
        for hook in &self.inner().on_response {
            hook(&response, operation);
        }
        // A `reqwest::Client` the caller supplied may follow redirects, and reqwest strips only
        // `Authorization` and `Cookie` when it leaves the host, not our key header. The key may
        // be gone already; at least the answer of another origin is not taken for the API's:
        // `post` refuses it (only `post` can fail with an error of our own).
        if response.url().origin() != origin {
            let url = response.url().clone();
            response.extensions_mut().insert(ForeignOrigin(url));
            return Ok(response);
        }
        if info.operation_id == RAW_OPERATION_ID {
            return Ok(self.inner().cap(response));
        }
        self.inner().shape(response).await
    }
}

/// The operation of the spec a request is for: by the generated method's name, else (a raw
/// request) by its method and path below the base URL's.
fn operation_of(info: &OperationInfo, request: &reqwest::Request) -> Option<Operation> {
    Operation::from_name(info.operation_id).or_else(|| {
        let path = request.url().path();
        // A base URL with a path (`https://host/api`) puts the API's paths below it.
        (0..path.len())
            .filter(|&i| i == 0 || path.as_bytes()[i] == b'/')
            .find_map(|i| Operation::find(request.method().as_str(), &path[i..]))
    })
}
