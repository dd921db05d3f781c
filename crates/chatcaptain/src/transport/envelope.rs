//! The shape every answer of the API shares: a body whose optional `error` field turns a 200
//! into a failure. Every answer passes the transport, so the check lives here, once.

use chatcaptain_api::types;
use chatcaptain_api::{Error as ApiError, ResponseValue};

use crate::Error;

/// What the generated client answers for one operation.
pub type ApiResult<T> = Result<ResponseValue<T>, ApiError<types::ErrorResponse>>;

/// A response body with the API's optional `error` field, which turns a 200 into a failure.
pub trait Envelope {
    /// The server's error text, if the body carries a non-empty one.
    fn error(&self) -> Option<&str>;
}

/// The server's error text when it is not blank: the body of every generated [`Envelope`].
pub fn envelope_error(error: &Option<String>) -> Option<&str> {
    error.as_deref().filter(|e| !e.trim().is_empty())
}

/// The error for a success answer whose envelope lacks the object it exists to carry
/// (`{"contact": ..}` without `contact`): a decode error that shows the whole answer.
pub fn missing_field<R: serde::Serialize>(response: &R, field: &'static str) -> Error {
    Error::decode(
        None,
        &serde_json::to_vec(response).unwrap_or_default(),
        serde::de::Error::missing_field(field),
    )
}
