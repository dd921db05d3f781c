//! Calls to any path of the API with everything the client does: `client.raw(Method::GET, path)`.
//!
//! The SDK wraps the contacts and organizations; the API has more. A raw call goes to the base
//! URL with the key, user agent, timeout, redirect rules, body cap, hooks, spans, pace, retry
//! quota and retries of every other call, and hands back the answer undecoded.

use std::sync::{Arc, Mutex};

use chatcaptain_api::hooks::{RAW_OPERATION_ID, error_response};
use chatcaptain_api::types::ErrorResponse;
use chatcaptain_api::{ClientHooks, Error as ApiError, OperationInfo, ResponseValue};
use futures::future::BoxFuture;
use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, LOCATION};
use reqwest::{Method, StatusCode, Url};

use crate::transport::envelope::{ApiResult, Envelope};
use crate::transport::{Lenient, Target};
use crate::{CallOptions, Client, Error};

/// An answer as the server sent it: status, headers and body.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RawAnswer {
    /// The HTTP status.
    pub status: StatusCode,
    /// The answer's headers.
    pub headers: HeaderMap,
    /// The body parsed as JSON; a body that is not JSON comes as a JSON string of its text
    /// (an empty body as `""`). [`bytes`](Self::bytes) has it as sent.
    pub body: serde_json::Value,
    bytes: Vec<u8>,
}

impl RawAnswer {
    fn new(status: StatusCode, headers: HeaderMap, bytes: Vec<u8>) -> Self {
        let body = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(&bytes).into()));
        RawAnswer {
            status,
            headers,
            body,
            bytes,
        }
    }

    /// The body as sent.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The body as text (invalid UTF-8 replaced).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// The body decoded as a `T`; a body of another shape is an [`Error::Decode`] that names
    /// the field and quotes the start of the body.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let mut deserializer = serde_json::Deserializer::from_slice(&self.bytes);
        serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
            let source = serde_json::Error::io(std::io::Error::other(e.to_string()));
            Error::decode(Some(self.status), &self.bytes, source)
        })
    }

    /// This answer when its status is a 2xx; else the error [`RawRequest::send`] would have
    /// returned for it ([`Error::Api`], or [`Error::Redirect`] for a 3xx), as reqwest's
    /// `error_for_status`: for a caller that asked for [`any_status`](RawRequest::any_status),
    /// looked at the answer, and now wants the usual error.
    pub fn error_for_status(self) -> Result<Self, Error> {
        if self.status.is_success() {
            return Ok(self);
        }
        if self.status.is_redirection() {
            let location = self
                .headers
                .get(LOCATION)
                .and_then(|l| l.to_str().ok())
                .unwrap_or("nowhere (no Location header)");
            return Err(Error::Redirect {
                status: Some(self.status),
                location: location.to_owned(),
            });
        }
        let body = error_response(self.status, &self.bytes);
        Err(Error::Api {
            status: self.status,
            message: crate::transport::server_message(&body, self.status),
            retry_after: crate::retries::retry_after(&self.headers),
            request_id: self.request_id(),
            chatbot: None,
        })
    }

    /// The server's id of the request, from the first of the headers
    /// [`Error::request_id`] reads, when the answer carries one.
    pub fn request_id(&self) -> Option<String> {
        crate::error::request_id(&self.headers)
    }

    /// The request id with the header that carried it (`x-request-id`, `x-amzn-requestid`,
    /// `x-correlation-id`, `traceparent`), for a tool that reports which one the API uses.
    pub fn request_id_with_header(&self) -> Option<(&'static str, String)> {
        crate::error::request_id_and_header(&self.headers)
    }
}

/// A raw call being set up: [`Client::raw`] makes it, [`send`](Self::send) sends it.
///
/// # Which answers are errors
///
/// [`RawRequest::send`] answers `Ok` for a 2xx only; any other status comes back as the same
/// [`Error::Api`] a typed call returns (status, the server's text, request id, `Retry-After`),
/// after the retries a typed call would make. That is what users of the Stripe and AWS SDKs
/// expect of a raw call, and it keeps `?` honest: `raw(..).send().await?.json::<T>()` stops at
/// a 404 instead of decoding an error body as a `T`. Tools that must see every answer whole,
/// its body included (the CLI's `chatcaptain api`, `doctor`), ask for it with
/// [`RawRequest::any_status`].
///
/// # Where the key goes
///
/// The path is appended to the base URL and must stay below it: an absolute URL, a path that
/// names a host (`//host/...`), a backslash and `.`/`..` segments are refused before anything
/// is sent, so the key only ever goes to the configured host.
#[must_use = "a raw request does nothing until .send() is called"]
pub struct RawRequest {
    client: Client,
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    any_status: bool,
    /// The first mistake made while setting up, reported by `send`.
    invalid: Option<Error>,
}

impl std::fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Header names only: a value may be a secret (a proxy's credentials).
        let headers: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("RawRequest")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("headers", &headers)
            .field("any_status", &self.any_status)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A call of `method` to `path` below the base URL (`"/v1/chatbots/{id}/tags"`), for the
    /// parts of the API this crate does not wrap; see [`RawRequest`] for which answers are
    /// errors and which paths are refused.
    ///
    /// Retried as the typed calls are: `GET`, `HEAD`, `PUT`, `DELETE` and `OPTIONS` (and an
    /// operation the spec marks idempotent, such as `updateContact`'s `PATCH`) after any
    /// retryable failure; `POST` and `PATCH` only after a 429 or a failed connect, unless the
    /// client was built with
    /// [`retry_non_idempotent`](crate::ClientBuilder::retry_non_idempotent).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), chatcaptain::Error> {
    /// # let server = chatcaptain_fake::FakeServer::builder().seed_contacts("aBcDeFgHiJkLmNoPqRsT", 3).start().await;
    /// # let client = chatcaptain::Client::builder().api_key(server.api_key()).base_url(server.base_url()).build()?;
    /// use reqwest::Method;
    ///
    /// let answer = client
    ///     .raw(Method::GET, "/v1/chatbots/aBcDeFgHiJkLmNoPqRsT/contacts")
    ///     .query("limit", "2")
    ///     .send()
    ///     .await?;
    /// let page: serde_json::Value = answer.json()?;
    /// assert_eq!(page["contacts"].as_array().map(Vec::len), Some(2));
    /// # Ok(()) }
    /// ```
    pub fn raw(&self, method: Method, path: impl Into<String>) -> RawRequest {
        RawRequest {
            client: self.clone(),
            method,
            path: path.into(),
            query: Vec::new(),
            headers: HeaderMap::new(),
            body: None,
            any_status: false,
            invalid: None,
        }
    }

    /// Sends `GET` to the base URL plus `segments` (each percent-encoded as one path segment) with
    /// `query`, once (no retries), and returns the answer whatever its status: what
    /// `chatcaptain doctor` needs. [`raw`](Self::raw) does this and more.
    pub async fn get_raw(
        &self,
        segments: &[&str],
        query: &[(&str, String)],
    ) -> Result<RawAnswer, Error> {
        let mut url = Url::parse("http://segments.invalid/")
            .map_err(|e| Error::Config(format!("joining path segments: {e}")))?;
        for segment in segments {
            crate::transport::path::path_segment("path segment", segment)?;
        }
        url.path_segments_mut()
            .map_err(|()| Error::Config("a path cannot take segments".into()))?
            .pop_if_empty()
            .extend(segments);
        let mut request = self
            .raw(Method::GET, url.path())
            .with(CallOptions::new().max_attempts(1))
            .any_status();
        for (name, value) in query {
            request = request.query(*name, value);
        }
        request.send().await
    }
}

impl RawRequest {
    /// Adds `name=value` to the query string (percent-encoded here).
    pub fn query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Sends `body` as JSON (`content-type: application/json`).
    pub fn json<B: serde::Serialize + ?Sized>(mut self, body: &B) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(bytes);
                self.headers
                    .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
            }
            Err(e) => self.refuse(format!("the JSON body: {e}")),
        }
        self
    }

    /// Sends this header, replacing one of the same name. The client's own headers (the key,
    /// `user-agent`) are added after it and win.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(value)) => {
                self.headers.insert(name, value);
            }
            (Err(_), _) => self.refuse(format!("{name:?} is not a header name")),
            (_, Err(_)) => self.refuse(format!(
                "the value of header {name:?} is not a header value"
            )),
        }
        self
    }

    /// Overrides the client's settings for this call (see [`CallOptions`]).
    pub fn with(mut self, options: CallOptions) -> Self {
        self.client = self.client.with(options);
        self
    }

    /// Answers `Ok` whatever the status, after the retries the status calls for, so the caller
    /// sees an error answer whole (its body, its headers). Failures that got no answer (a
    /// refused connection, a timeout) are still errors.
    pub fn any_status(mut self) -> Self {
        self.any_status = true;
        self
    }

    fn refuse(&mut self, why: String) {
        self.invalid.get_or_insert(Error::InvalidArgument(why));
    }

    /// Sends the call, retrying as the client's settings allow.
    pub async fn send(self) -> Result<RawAnswer, Error> {
        if let Some(invalid) = self.invalid {
            return Err(invalid);
        }
        let url = resolve(self.client.base_url(), &self.path, &self.query)?;
        let spec_operation = below_base(self.client.base_url(), url.path())
            .and_then(|path| crate::Operation::find(self.method.as_str(), path));
        let target = Target {
            name: RAW_OPERATION_ID,
            method: self.method.as_str(),
            template: spec_operation.map(crate::Operation::path),
            idempotent: spec_operation
                .map_or_else(|| idempotent(&self.method), crate::Operation::idempotent),
        };
        // The last attempt's answer when it was not a 2xx: what `any_status` hands back.
        let last = Arc::new(Mutex::new(None::<RawAnswer>));
        let call = attempts(|api| {
            let mut request = self.request(&url);
            let last = Arc::clone(&last);
            Box::pin(async move {
                keep(&last, None);
                let info = OperationInfo {
                    operation_id: RAW_OPERATION_ID,
                };
                api.pre::<ErrorResponse>(&mut request, &info).await?;
                let result = api.exec(request, &info).await;
                api.post::<ErrorResponse>(&result, &info).await?;
                let response = result.map_err(ApiError::CommunicationError)?;
                let (status, headers) = (response.status(), response.headers().clone());
                let bytes = response
                    .bytes()
                    .await
                    .map_err(ApiError::ResponseBodyError)?;
                let answer = RawAnswer::new(status, headers.clone(), Vec::from(bytes));
                if status.is_success() {
                    return Ok(ResponseValue::new(RawBody(answer), status, headers));
                }
                let error = error_response(status, answer.bytes());
                keep(&last, Some(answer));
                Err(ApiError::ErrorResponse(ResponseValue::new(
                    error, status, headers,
                )))
            })
        });
        let result = self.client.run(target, &call, false).await;
        let last = last.lock().unwrap_or_else(|e| e.into_inner()).take();
        match (result, last) {
            (Ok(Lenient::Typed(RawBody(answer))), _) => Ok(answer),
            (Ok(Lenient::Raw(_)), _) => {
                unreachable!("raw bodies are only handed out when asked for")
            }
            (Err(_), Some(answer)) if self.any_status => Ok(answer),
            (Err(_), Some(answer)) if answer.status.is_redirection() => Err(Error::Redirect {
                status: Some(answer.status),
                location: answer
                    .headers
                    .get(LOCATION)
                    .and_then(|l| l.to_str().ok())
                    .map(|l| url.join(l).map_or_else(|_| l.to_owned(), String::from))
                    .unwrap_or_else(|| "nowhere (no Location header)".to_owned()),
            }),
            (Err(e), _) => Err(e),
        }
    }

    /// A fresh request for one attempt.
    fn request(&self, url: &Url) -> reqwest::Request {
        let mut request = reqwest::Request::new(self.method.clone(), url.clone());
        *request.headers_mut() = self.headers.clone();
        if let Some(body) = &self.body {
            *request.body_mut() = Some(body.clone().into());
        }
        request
    }
}

/// A 2xx answer, as the retry loop carries it.
struct RawBody(RawAnswer);

impl Envelope for RawBody {
    /// A raw answer is handed over as it is: an `error` field in a 2xx is the caller's to read.
    fn error(&self) -> Option<&str> {
        None
    }
}

/// Gives a closure the signature the retry loop asks for, which a closure's own annotation
/// cannot spell (the future's lifetime follows the argument's).
fn attempts<F>(call: F) -> F
where
    F: for<'a> Fn(&'a chatcaptain_api::Client) -> BoxFuture<'a, ApiResult<RawBody>>,
{
    call
}

fn keep(slot: &Mutex<Option<RawAnswer>>, answer: Option<RawAnswer>) {
    *slot.lock().unwrap_or_else(|e| e.into_inner()) = answer;
}

/// RFC 9110's idempotent methods; any other (`POST`, `PATCH`, an extension) may act twice.
fn idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// The URL of `path` below `base`, with `query`; refuses whatever could leave the base URL.
fn resolve(base: &str, path: &str, query: &[(String, String)]) -> Result<Url, Error> {
    let refuse = |why: &str| {
        Err(Error::InvalidArgument(format!(
            "raw path {path:?}: {why}; give a path below the base URL, such as \"/v1/chatbots/ID/contacts\" \
             (the key only ever goes to the base URL's host)"
        )))
    };
    if Url::parse(path).is_ok() {
        return refuse("an absolute URL is not a path");
    }
    if !path.starts_with('/') {
        return refuse("a path starts with /");
    }
    if path.starts_with("//") {
        return refuse("a path starting with // names another host");
    }
    if path.contains('\\') {
        return refuse("a backslash counts as / in a URL");
    }
    let route = path.split(['?', '#']).next().unwrap_or_default();
    let dots = |segment: &str| {
        let decoded = segment.to_ascii_lowercase().replace("%2e", ".");
        decoded == "." || decoded == ".."
    };
    if route.split('/').any(dots) {
        return refuse("`.` and `..` segments could leave the base URL");
    }
    let base_url =
        Url::parse(base).map_err(|e| Error::Config(format!("base URL {base:?}: {e}")))?;
    let mut url = Url::parse(&format!("{}{path}", base.trim_end_matches('/')))
        .map_err(|e| Error::InvalidArgument(format!("raw path {path:?}: {e}")))?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    // What the checks above promise, checked on the result.
    if url.origin() != base_url.origin() || below_base(base, url.path()).is_none() {
        return refuse("it leads away from the base URL");
    }
    Ok(url)
}

/// `path` (of a URL on the base's origin) without the base URL's own path, when it lies below it.
fn below_base<'p>(base: &str, path: &'p str) -> Option<&'p str> {
    let base_path = Url::parse(base)
        .ok()?
        .path()
        .trim_end_matches('/')
        .to_owned();
    let rest = path.strip_prefix(base_path.as_str())?;
    (rest.is_empty() || rest.starts_with('/')).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(path: &str) -> String {
        match resolve("https://api.example.com/base", path, &[]) {
            Err(Error::InvalidArgument(message)) => message,
            other => panic!("{path:?} was not refused: {other:?}"),
        }
    }

    #[test]
    fn paths_that_could_leave_the_base_url_are_refused() {
        assert!(refused("https://evil.example/v1").contains("absolute URL"));
        assert!(refused("//evil.example/v1").contains("another host"));
        assert!(refused("/\\evil.example/v1").contains("backslash"));
        assert!(refused("/../v1").contains("segments"));
        assert!(refused("/v1/%2E%2e/x").contains("segments"));
        assert!(refused("v1/contacts").contains("starts with /"));
        assert!(refused("mailto:x@example.com").contains("absolute URL"));
    }

    #[test]
    fn a_path_goes_below_the_base_url_with_its_query() {
        let query = [("q".to_owned(), "a b&c".to_owned())];
        let url = resolve("https://api.example.com/base/", "/v1/x?limit=2", &query).unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.example.com/base/v1/x?limit=2&q=a+b%26c"
        );
        assert_eq!(
            below_base("https://api.example.com/base", url.path()),
            Some("/v1/x")
        );
    }
}
