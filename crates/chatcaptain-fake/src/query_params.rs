//! The one extractor of query parameters the listings and searches use, with the API's own
//! rejection.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;

use crate::error::ApiError;

/// A request's query parameters, parsed by hand, so a bad one gets the API's JSON 400 rather than
/// axum's plain text.
pub(crate) struct QueryParams(Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
            .map(|q| QueryParams(q.0))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

impl QueryParams {
    /// The value of `name`, if the request gives it.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name`; a 400 naming it when the request gives none.
    pub(crate) fn required(&self, name: &str) -> Result<&str, ApiError> {
        self.get(name).ok_or_else(|| missing(name))
    }

    /// The whole number `name` from `min` to `max`, if the request gives it; a 400 naming the
    /// range when it is something else.
    pub(crate) fn integer(
        &self,
        name: &str,
        min: usize,
        max: usize,
    ) -> Result<Option<usize>, ApiError> {
        let Some(text) = self.get(name) else {
            return Ok(None);
        };
        match text.parse::<usize>() {
            Ok(n) if (min..=max).contains(&n) => Ok(Some(n)),
            _ => Err(ApiError::bad_request(format!(
                "{name} must be an integer from {min} to {max}"
            ))),
        }
    }

    /// [`Self::integer`], and a 400 naming it when the request gives none.
    pub(crate) fn required_integer(
        &self,
        name: &str,
        min: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        self.integer(name, min, max)?.ok_or_else(|| missing(name))
    }
}

fn missing(name: &str) -> ApiError {
    ApiError::bad_request(format!("{name} is required"))
}
