//! The one error type of this crate.

use std::time::Duration;

use reqwest::StatusCode;

/// How much of an undecodable body an [`Error::Decode`] keeps.
const EXCERPT_LEN: usize = 200;

/// Everything that can go wrong talking to ChatCaptain.
///
/// Variants carry what a caller needs to decide what to do next. As in std, `Display` says this
/// error's own part and [`source()`](std::error::Error::source) gives the cause: no message
/// repeats its cause, so print the chain (anyhow's `{:#}`) to see everything.
///
/// `Debug` prints that chain too, as anyhow does, with the variant's name: a `main` that returns
/// `Result<(), chatcaptain::Error>` fails with a few lines a user can read rather than the HTTP
/// stack's internals:
///
/// ```text
/// Error: could not reach ChatCaptain [Error::Transport]
///
/// Caused by:
///     0: error sending request for url (http://127.0.0.1:9/v1/chatbots/aBcDeFgHiJkLmNoPqRsT/contacts?limit=500)
///     1: client error (Connect)
///     2: tcp connect error
///     3: Connection refused (os error 111)
/// ```
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), chatcaptain::Error> {
/// # let server = chatcaptain_fake::FakeServer::start().await;
/// # let client = chatcaptain::Client::builder().api_key(server.api_key()).base_url(server.base_url()).build()?;
/// use chatcaptain::Error;
///
/// match client.contacts("aBcDeFgHiJkLmNoPqRsT").get("no-such-contact").await {
///     Ok(contact) => println!("found {}", contact.id),
///     Err(e) if e.is_not_found() => println!("no such contact"),
///     Err(Error::Api { status, message, .. }) => eprintln!("refused ({status}): {message}"),
///     // Transport trouble, a 503 that outlasted the retries (`RetriesExhausted`), ...
///     Err(e) => return Err(e),
/// }
/// # Ok(()) }
/// ```
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The server refused the request (any status), or answered 200 with an `error` in the body.
    /// A 403 names the chatbot and the likely cause (see [`Error::likely_cause`]).
    #[error(
        "ChatCaptain answered {status}: {message}{}{}",
        cause_suffix(*.status, chatbot.as_deref()),
        request_suffix(request_id)
    )]
    Api {
        /// The HTTP status; 200 when the body of a success carried an `error`.
        status: StatusCode,
        /// The server's `error` text, else its `message`, else a placeholder.
        message: String,
        /// The wait the answer's `Retry-After` asked for, when it carried one (a 429 or 503).
        retry_after: Option<Duration>,
        /// The server's id of the request, when the answer carried one (see [`Error::request_id`]).
        request_id: Option<String>,
        /// The chatbot the request addressed, when the call knows it (every handle and listing
        /// does; see [`Error::chatbot`]).
        chatbot: Option<String>,
    },
    /// The request never got an answer: connection, TLS or timeout trouble.
    #[error("could not reach ChatCaptain")]
    Transport(#[source] reqwest::Error),
    /// An answer arrived but its body is not what the API promises.
    #[error(
        "could not decode the answer{}; body starts with {excerpt:?}{}",
        status_suffix(*.status),
        request_suffix(request_id)
    )]
    Decode {
        /// The HTTP status, when it is known (progenitor drops it for some undecodable bodies).
        status: Option<StatusCode>,
        /// The server's id of the request, when it is known (see [`Error::request_id`]).
        request_id: Option<String>,
        /// The first characters of the body.
        excerpt: String,
        /// What the decoder objected to.
        #[source]
        source: serde_json::Error,
    },
    /// The server redirected the request where the client does not follow: another scheme, host
    /// or port than the base URL (the API key is only ever sent there), or a status that would
    /// change the request (301, 302, 303). With a `reqwest::Client` of the caller's that follows
    /// redirects itself, an answer that came from another origin (`status` is `None` then).
    #[error("{}", redirect_message(*.status, location))]
    Redirect {
        /// The redirect's status; `None` when the caller's HTTP client followed it.
        status: Option<StatusCode>,
        /// Where the redirect pointed (its `Location`, resolved), or where the answer came from.
        location: String,
    },
    /// The answer's body grew past `ClientBuilder::max_response_bytes`; reading stopped there.
    #[error("the answer is larger than the {limit} bytes allowed (max_response_bytes)")]
    ResponseTooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// An argument was out of range or missing; no request was sent.
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
    /// The client could not be built (missing key, bad base URL, TLS setup).
    #[error("invalid client configuration: {0}")]
    Config(String),
    /// A listing could not move forward; stopping is safer than looping or skipping contacts.
    #[error("pagination stalled: {0}")]
    PaginationStalled(String),
    /// The server's pages contradict what paging relies on (an order, a cursor, a count the spec
    /// assumes; the message names it): going on could skip or repeat items, so the listing stops.
    #[error("pagination stopped: {0}")]
    PaginationInconsistent(String),
    /// One item of a listing's page does not match the spec. It comes out of the stream as its
    /// own error; the listing goes on past it when polled again (the only error after which it does).
    #[error(
        "{} in the answer does not match the spec at `{path}`",
        id.as_deref().map_or("an item (no id)".to_owned(), |id| format!("item {id:?}"))
    )]
    InvalidItem {
        /// The item's `id`, when it has a readable one.
        id: Option<String>,
        /// Where in the item decoding failed (`variables.age`), `.` for the item itself.
        path: String,
        /// The item exactly as the server sent it, so nothing is lost.
        raw: Box<serde_json::Value>,
        /// What the decoder objected to.
        #[source]
        source: serde_json::Error,
    },
    /// Every attempt the retry policy allows failed; `last` is how the final one did.
    #[error("gave up after {attempts} attempts")]
    RetriesExhausted {
        /// How many requests were sent (the first one included).
        attempts: u32,
        /// The error of the last attempt.
        #[source]
        last: Box<Error>,
    },
    /// The server asked to wait longer before retrying than the client allows (`max_retry_wait`).
    #[error(
        "ChatCaptain answered {status} and asks to wait {retry_after:?} before retrying, more than the {max_wait:?} allowed (max_retry_wait){}",
        request_suffix(request_id)
    )]
    RateLimited {
        /// The status that carried the `Retry-After` (usually 429).
        status: StatusCode,
        /// How long the server asked to wait.
        retry_after: Duration,
        /// The longest wait the client accepts (`ClientBuilder::max_retry_wait`).
        max_wait: Duration,
        /// The server's id of the request, when the answer carried one (see [`Error::request_id`]).
        request_id: Option<String>,
    },
    /// The call, retries and waits included, could not finish within
    /// `ClientBuilder::call_timeout`: the time ran out, or the wait before the next retry (a
    /// `Retry-After`, a backoff) would outlast it, which fails at once.
    #[error(
        "the call could not finish within {limit:?} (call_timeout), retries and waits included"
    )]
    Timeout {
        /// The limit that ran out.
        limit: Duration,
        /// The failure whose retry could not fit in the time left (a 429 asking to wait, say);
        /// `None` when the time ran out during a request.
        #[source]
        cause: Option<Box<Error>>,
    },
}

fn redirect_message(status: Option<StatusCode>, location: &str) -> String {
    match status {
        Some(status) => format!(
            "ChatCaptain answered {status} redirecting to {location}, which the client does not \
             follow: the API key goes only to the base URL's scheme, host and port, and only 307 \
             and 308 keep the request unchanged"
        ),
        None => format!(
            "the answer came from {location}, another origin than the base URL, after a redirect \
             the HTTP client followed (the API key may have gone there too): give .http_client a \
             reqwest::Client built with redirect::Policy::none()"
        ),
    }
}

/// What a 403 most likely means, for a chatbot the request named (or none known).
fn likely_cause(status: StatusCode, chatbot: Option<&str>) -> Option<String> {
    // The API answers a chatbot the key does not belong to exactly as a permission the key
    // lacks: 403 "Insufficient permissions.". A mistyped chatbot id is the common case.
    (status == StatusCode::FORBIDDEN).then(|| match chatbot {
        Some(bot) => format!(
            "chatbot {bot:?}: the API key may belong to another chatbot, or lack the permission"
        ),
        None => "the API key may belong to another chatbot, or lack the permission".to_owned(),
    })
}

fn cause_suffix(status: StatusCode, chatbot: Option<&str>) -> String {
    likely_cause(status, chatbot)
        .map(|cause| format!(" ({cause})"))
        .unwrap_or_default()
}

fn request_suffix(request_id: &Option<String>) -> String {
    request_id
        .as_deref()
        .map(|id| format!(" (request id {id})"))
        .unwrap_or_default()
}

fn status_suffix(status: Option<StatusCode>) -> String {
    status.map(|s| format!(" ({s})")).unwrap_or_default()
}

impl Error {
    /// The HTTP status of the answer this error came from, if there was one; sees through
    /// [`Error::RetriesExhausted`] and the cause of an [`Error::Timeout`].
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::Decode { status, .. } => *status,
            Error::Transport(e) => e.status(),
            Error::RetriesExhausted { last, .. } => last.status(),
            Error::Timeout {
                cause: Some(cause), ..
            } => cause.status(),
            Error::RateLimited { status, .. } => Some(*status),
            Error::Redirect { status, .. } => *status,
            _ => None,
        }
    }

    /// The server's id of the request that failed the call, for a support ticket: the first of
    /// `x-request-id`, `x-amzn-requestid`, `x-correlation-id` and the trace id of `traceparent`
    /// the answer carried. `None` when no answer carried one, or there was no answer. Sees
    /// through [`Error::RetriesExhausted`] and the cause of an [`Error::Timeout`].
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. }
            | Error::Decode { request_id, .. }
            | Error::RateLimited { request_id, .. } => request_id.as_deref(),
            Error::RetriesExhausted { last, .. } => last.request_id(),
            Error::Timeout {
                cause: Some(cause), ..
            } => cause.request_id(),
            _ => None,
        }
    }

    /// The chatbot the failed request addressed, when known; sees through
    /// [`Error::RetriesExhausted`] and the cause of an [`Error::Timeout`].
    pub fn chatbot(&self) -> Option<&str> {
        match self {
            Error::Api { chatbot, .. } => chatbot.as_deref(),
            Error::RetriesExhausted { last, .. } => last.chatbot(),
            Error::Timeout {
                cause: Some(cause), ..
            } => cause.chatbot(),
            _ => None,
        }
    }

    /// What the server's refusal most likely means, when the status says more than its text:
    /// for a 403, that the API key belongs to another chatbot than the one named (a mistyped
    /// chatbot id) or lacks the operation's permission, which the API does not tell apart.
    pub fn likely_cause(&self) -> Option<String> {
        match self.last_attempt() {
            Error::Api {
                status, chatbot, ..
            } => likely_cause(*status, chatbot.as_deref()),
            Error::Timeout {
                cause: Some(cause), ..
            } => cause.likely_cause(),
            _ => None,
        }
    }

    /// This error, naming `chatbot` as the one its request addressed (the transport knows the
    /// operation, not its parameters).
    pub(crate) fn in_chatbot(self, chatbot: &str) -> Self {
        match self {
            Error::Api {
                status,
                message,
                retry_after,
                request_id,
                chatbot: None,
            } => Error::Api {
                status,
                message,
                retry_after,
                request_id,
                chatbot: Some(chatbot.to_owned()),
            },
            Error::RetriesExhausted { attempts, last } => Error::RetriesExhausted {
                attempts,
                last: Box::new(last.in_chatbot(chatbot)),
            },
            Error::Timeout {
                limit,
                cause: Some(cause),
            } => Error::Timeout {
                limit,
                cause: Some(Box::new(cause.in_chatbot(chatbot))),
            },
            other => other,
        }
    }

    /// [`in_chatbot`](Self::in_chatbot) when the chatbot is known.
    pub(crate) fn in_chatbot_of(self, chatbot: Option<&str>) -> Self {
        match chatbot {
            Some(chatbot) => self.in_chatbot(chatbot),
            None => self,
        }
    }

    /// How many requests the call sent before failing: more than 1 only after retries.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::RetriesExhausted { attempts, .. } => *attempts,
            _ => 1,
        }
    }

    /// The error of the last attempt: itself, unless retries were exhausted.
    pub fn last_attempt(&self) -> &Error {
        match self {
            Error::RetriesExhausted { last, .. } => last,
            other => other,
        }
    }

    /// Whether a timeout ended the call: the per-request `timeout` or the overall `call_timeout`.
    pub fn is_timeout(&self) -> bool {
        match self.last_attempt() {
            Error::Timeout { .. } => true,
            Error::Transport(e) => e.is_timeout(),
            _ => false,
        }
    }

    /// How long the server asked to wait (`Retry-After`), when the answer that failed the call
    /// said; sees through [`Error::RetriesExhausted`] and the cause of an [`Error::Timeout`].
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => Some(*retry_after),
            Error::Api { retry_after, .. } => *retry_after,
            Error::RetriesExhausted { last, .. } => last.retry_after(),
            Error::Timeout {
                cause: Some(cause), ..
            } => cause.retry_after(),
            _ => None,
        }
    }

    /// Whether the server said the thing asked for does not exist.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    pub(crate) fn decode(
        status: Option<StatusCode>,
        body: &[u8],
        source: serde_json::Error,
    ) -> Self {
        Error::Decode {
            status,
            request_id: None,
            excerpt: excerpt(body),
            source,
        }
    }
}

/// The start of a body, cut on a character boundary so that it prints.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    match text.char_indices().nth(EXCERPT_LEN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

/// The headers that carry a server's id of a request, in the order they are looked for (then
/// the trace id of `traceparent`; see [`Error::request_id`]).
pub const REQUEST_ID_HEADERS: [&str; 3] = ["x-request-id", "x-amzn-requestid", "x-correlation-id"];

/// The server's id of a request, from an answer's headers (see [`Error::request_id`]). Only a
/// short printable value is taken: it goes into error lines and logs.
pub(crate) fn request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    request_id_and_header(headers).map(|(_, id)| id)
}

/// [`request_id`], and the name of the header it came from.
pub(crate) fn request_id_and_header(
    headers: &reqwest::header::HeaderMap,
) -> Option<(&'static str, String)> {
    let printable =
        |v: &str| !v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic());
    let named = REQUEST_ID_HEADERS.iter().find_map(|name| {
        let value = headers.get(*name)?.to_str().ok()?.trim();
        printable(value).then(|| (*name, value.to_owned()))
    });
    if named.is_some() {
        return named;
    }
    // W3C trace context: version-traceid-parentid-flags; the trace id names the request's trace.
    let traceparent = headers.get("traceparent")?.to_str().ok()?;
    let trace_id = traceparent.trim().split('-').nth(1)?;
    (trace_id.len() == 32 && trace_id.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| ("traceparent", trace_id.to_owned()))
}

impl Error {
    /// The variant's name, for [`Debug`](std::fmt::Debug).
    fn variant(&self) -> &'static str {
        match self {
            Error::Api { .. } => "Api",
            Error::Transport(_) => "Transport",
            Error::Decode { .. } => "Decode",
            Error::Redirect { .. } => "Redirect",
            Error::ResponseTooLarge { .. } => "ResponseTooLarge",
            Error::InvalidArgument(_) => "InvalidArgument",
            Error::Config(_) => "Config",
            Error::PaginationStalled(_) => "PaginationStalled",
            Error::PaginationInconsistent(_) => "PaginationInconsistent",
            Error::InvalidItem { .. } => "InvalidItem",
            Error::RetriesExhausted { .. } => "RetriesExhausted",
            Error::RateLimited { .. } => "RateLimited",
            Error::Timeout { .. } => "Timeout",
        }
    }
}

/// The error and its causes, as anyhow prints them, with the variant's name: what a `main`
/// returning this error prints. The derived `Debug` printed the HTTP stack's internals (hundreds
/// of characters of hyper's types for a refused connection) and no cause's text. Like
/// `Display`, it never shows the API key, which no variant holds.
impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self} [Error::{}]", self.variant())?;
        // Some causes repeat their own cause's text at their end (reqwest's used to): each is
        // printed once.
        let mut causes: Vec<String> = Vec::new();
        let mut previous = self.to_string();
        let mut next = std::error::Error::source(self);
        while let Some(cause) = next {
            let text = cause.to_string();
            if !text.is_empty() && !previous.ends_with(&text) {
                causes.push(text.clone());
            }
            previous = text;
            next = cause.source();
        }
        if causes.is_empty() {
            return Ok(());
        }
        f.write_str("\n\nCaused by:")?;
        for (i, cause) in causes.iter().enumerate() {
            write!(f, "\n    {i}: {cause}")?;
        }
        Ok(())
    }
}
