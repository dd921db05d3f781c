//! The one road every request takes, so retries, tracing and rate limits have one home.

use chatcaptain_api::types;
use chatcaptain_api::{Error as ApiError, ResponseValue};
use futures::future::BoxFuture;
use reqwest::StatusCode;
use tracing::Instrument;

use crate::{Client, Error};

/// What the generated client answers for one operation.
pub(crate) type ApiResult<T> = Result<ResponseValue<T>, ApiError<types::ErrorResponse>>;

/// A response body with the API's optional `error` field, which turns a 200 into a failure.
pub(crate) trait Envelope {
    /// The server's error text, if the body carries a non-empty one.
    fn error(&self) -> Option<&str>;
}

macro_rules! envelope {
    ($($ty:ident),*) => {$(
        impl Envelope for types::$ty {
            fn error(&self) -> Option<&str> {
                self.error.as_deref().filter(|e| !e.trim().is_empty())
            }
        }
    )*};
}
envelope!(
    ContactResponse,
    DeleteContactResponse,
    ListContactsResponse,
    ListOrganizationsResponse,
    SearchContactsResponse
);

impl Client {
    /// Sends one operation through the generated client and unwraps its envelope.
    ///
    /// `call` is `Fn`, not `FnOnce`, so that a retry policy can later re-issue it from here.
    pub(crate) async fn execute<T, F>(&self, operation: &'static str, call: F) -> Result<T, Error>
    where
        T: Envelope,
        F: for<'a> Fn(&'a chatcaptain_api::Client) -> BoxFuture<'a, ApiResult<T>>,
    {
        let result = call(self.api())
            .instrument(tracing::debug_span!("chatcaptain", operation))
            .await;
        let response = match result {
            Ok(response) => response,
            Err(e) => {
                let e = map_error(e).await;
                tracing::debug!(operation, error = %e, "request failed");
                return Err(e);
            }
        };
        let status = response.status();
        let body = response.into_inner();
        if let Some(message) = body.error() {
            return Err(Error::Api {
                status,
                message: message.to_owned(),
            });
        }
        Ok(body)
    }
}

/// Turns progenitor's error into ours, reading what the server said wherever it said it.
async fn map_error(e: ApiError<types::ErrorResponse>) -> Error {
    match e {
        ApiError::ErrorResponse(rv) => {
            let status = rv.status();
            Error::Api {
                status,
                message: server_message(&rv.into_inner(), status),
            }
        }
        ApiError::UnexpectedResponse(response) => {
            let status = response.status();
            match response.bytes().await {
                Ok(body) => match serde_json::from_slice::<types::ErrorResponse>(&body) {
                    Ok(parsed) if !status.is_success() => Error::Api {
                        status,
                        message: server_message(&parsed, status),
                    },
                    Ok(_) => Error::Api {
                        status,
                        message: format!(
                            "unexpected status; body: {}",
                            crate::error::excerpt(&body)
                        ),
                    },
                    Err(source) => Error::decode(Some(status), &body, source),
                },
                Err(e) => Error::Transport(e),
            }
        }
        ApiError::InvalidResponsePayload(body, source) => Error::decode(None, &body, source),
        ApiError::CommunicationError(e)
        | ApiError::ResponseBodyError(e)
        | ApiError::InvalidUpgrade(e) => Error::Transport(e),
        ApiError::InvalidRequest(message) => Error::InvalidArgument(message),
        ApiError::Custom(message) => Error::InvalidArgument(message),
    }
}

fn server_message(body: &types::ErrorResponse, status: StatusCode) -> String {
    [&body.error, &body.message]
        .into_iter()
        .flatten()
        .find(|m| !m.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("no message").to_owned())
}
