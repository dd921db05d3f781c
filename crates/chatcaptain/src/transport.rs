//! The one road every request takes, so retries, tracing and rate limits have one home.

use chatcaptain_api::types;
use chatcaptain_api::{Error as ApiError, ResponseValue};
use futures::future::BoxFuture;
use reqwest::StatusCode;
use tracing::Instrument;

// `Envelope` is implemented for every success body by the generated `src/generated.rs`.
use crate::paginate::operation::{ApiResult, Envelope};
use crate::retry::Operation;
use crate::{Client, Error};

/// What a listing's request answered: the typed body, or, when the generated client refused a
/// body that is JSON all the same, that JSON, for the listing to take apart item by item.
pub(crate) enum Lenient<T> {
    Typed(T),
    Raw(serde_json::Value),
}

impl Client {
    /// Sends one operation through the generated client, retrying as the policy allows, and
    /// unwraps its envelope.
    ///
    /// `call` is `Fn`, not `FnOnce`, so that every attempt builds and sends a fresh request.
    pub(crate) async fn execute<T, F>(&self, operation: Operation, call: F) -> Result<T, Error>
    where
        T: Envelope,
        F: for<'a> Fn(&'a chatcaptain_api::Client) -> BoxFuture<'a, ApiResult<T>>,
    {
        match self.run(operation, &call, false).await? {
            Lenient::Typed(body) => Ok(body),
            Lenient::Raw(_) => unreachable!("raw bodies are only handed out when asked for"),
        }
    }

    /// Like [`execute`](Self::execute), but a body that is JSON and does not match the spec
    /// comes back raw instead of failing (a listing decodes its items one by one).
    pub(crate) async fn execute_lenient<T, F>(
        &self,
        operation: Operation,
        call: F,
    ) -> Result<Lenient<T>, Error>
    where
        T: Envelope,
        F: for<'a> Fn(&'a chatcaptain_api::Client) -> BoxFuture<'a, ApiResult<T>>,
    {
        self.run(operation, &call, true).await
    }

    async fn run<T, F>(
        &self,
        operation: Operation,
        call: &F,
        lenient: bool,
    ) -> Result<Lenient<T>, Error>
    where
        T: Envelope,
        F: for<'a> Fn(&'a chatcaptain_api::Client) -> BoxFuture<'a, ApiResult<T>>,
    {
        let attempts = self
            .attempt(operation, call, lenient)
            .instrument(tracing::debug_span!(
                "chatcaptain",
                operation = operation.name
            ));
        let result = match self.call_timeout() {
            Some(limit) => tokio::time::timeout(limit, attempts)
                .await
                .unwrap_or(Err(Error::Timeout { limit })),
            None => attempts.await,
        };
        if let Err(e) = &result {
            tracing::debug!(operation = operation.name, error = %e, "request failed");
        }
        result
    }

    async fn attempt<T, F>(
        &self,
        operation: Operation,
        call: &F,
        lenient: bool,
    ) -> Result<Lenient<T>, Error>
    where
        T: Envelope,
        F: for<'a> Fn(&'a chatcaptain_api::Client) -> BoxFuture<'a, ApiResult<T>>,
    {
        let policy = self.retry_policy();
        let mut attempt = 1;
        loop {
            let error = match call(self.api()).await {
                Ok(response) => return unwrap_envelope(response).map(Lenient::Typed),
                Err(ApiError::InvalidResponsePayload(body, source)) if lenient => {
                    match serde_json::from_slice::<serde_json::Value>(&body) {
                        Ok(value) => return raw_envelope(value).map(Lenient::Raw),
                        Err(_) => ApiError::InvalidResponsePayload(body, source),
                    }
                }
                Err(e) => e,
            };
            let Some(retryable) = policy.classify(operation, &error) else {
                return Err(map_error(error).await);
            };
            if attempt >= policy.max_attempts {
                let last = map_error(error).await;
                return Err(if attempt > 1 {
                    Error::RetriesExhausted {
                        attempts: attempt,
                        last: Box::new(last),
                    }
                } else {
                    last
                });
            }
            let delay = match retryable.retry_after {
                Some(wait) if wait > policy.max_retry_wait => {
                    return Err(Error::RateLimited {
                        status: retryable.status.unwrap_or(StatusCode::TOO_MANY_REQUESTS),
                        retry_after: wait,
                        max_wait: policy.max_retry_wait,
                    });
                }
                Some(wait) => wait,
                None => policy.backoff(attempt),
            };
            tracing::warn!(
                operation = operation.name,
                attempt,
                status = retryable.status.map(|s| s.as_u16()),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                reason = retryable.reason,
                "retrying a ChatCaptain request"
            );
            // Dropping an unread answer closes its connection rather than reading a body nobody wants.
            drop(error);
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }
}

/// The body of a success, or the failure its `error` field announces.
fn unwrap_envelope<T: Envelope>(response: ResponseValue<T>) -> Result<T, Error> {
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

/// A raw success body, or the failure its `error` field announces (the listings' success
/// status is 200).
fn raw_envelope(body: serde_json::Value) -> Result<serde_json::Value, Error> {
    match body.get("error").and_then(serde_json::Value::as_str) {
        Some(message) if !message.trim().is_empty() => Err(Error::Api {
            status: StatusCode::OK,
            message: message.to_owned(),
        }),
        _ => Ok(body),
    }
}

/// Turns progenitor's error into ours, reading what the server said wherever it said it.
async fn map_error(e: ApiError<types::ErrorResponse>) -> Error {
    if let Some(limit) = crate::retry::too_large(&e) {
        return Error::ResponseTooLarge { limit };
    }
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

/// The server's `error`, else its `message`; but when `error` only repeats the reason phrase
/// ("Not Found") and a `message` says more ("Contact not found"), the `message`.
fn server_message(body: &types::ErrorResponse, status: StatusCode) -> String {
    let text = |m: &Option<String>| m.clone().filter(|m| !m.trim().is_empty());
    let (error, message) = (text(&body.error), text(&body.message));
    let reason = status.canonical_reason();
    match (error, message) {
        (Some(e), Some(m)) if reason.is_some_and(|r| r.eq_ignore_ascii_case(e.trim())) => m,
        (Some(e), _) => e,
        (None, Some(m)) => m,
        (None, None) => reason.unwrap_or("no message").to_owned(),
    }
}
