//! What the fake remembers of each request, so tests can assert on what a client sent.

use crate::Route;
use crate::auth::API_KEY_HEADER;

/// The value recorded in place of the API key.
pub const REDACTED: &str = "[redacted]";

/// One request as the fake received it. The API key header is kept, but its value is [`REDACTED`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The HTTP method, e.g. `GET`.
    pub method: String,
    /// The path without the query, e.g. `/v1/chatbots/bot1/contacts`.
    pub path: String,
    /// The decoded query parameters in the order sent.
    pub query: Vec<(String, String)>,
    /// The query string as sent (without `?`), if any.
    pub raw_query: Option<String>,
    /// Header names (lower-case) and values in the order sent.
    pub headers: Vec<(String, String)>,
    /// The request body as text (lossy UTF-8); empty when there was none.
    pub body: String,
    /// The operation addressed, or `None` for a path the API does not have.
    pub route: Option<Route>,
}

impl RecordedRequest {
    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether the request carried the API key header (whatever its value).
    pub fn had_api_key(&self) -> bool {
        self.header(API_KEY_HEADER).is_some()
    }
}
