//! The one extractor of path parameters every handler uses, with the API's own rejection.

use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A handler's path parameters (the chatbot id, a record id); a path that does not parse is the
/// API's 400 in its error envelope, not axum's plain-text rejection. axum's
/// customize-extractor-error example, written out.
pub(crate) struct PathIds<T>(pub(crate) T);

impl<S, T> FromRequestParts<S> for PathIds<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(ids)) => Ok(PathIds(ids)),
            Err(rejection) => Err(ApiError::bad_request(rejection.body_text())),
        }
    }
}
