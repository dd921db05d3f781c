//! The one road every request takes, so retries, tracing and rate limits have one home.

use std::time::Duration;

use chatcaptain_api::types;
use chatcaptain_api::{Error as ApiError, ResponseValue};
use futures::future::BoxFuture;
use reqwest::StatusCode;
use tracing::Instrument;

pub(crate) mod envelope;
pub(crate) mod path;

// `Envelope` is implemented for every success body by the generated `src/generated.rs`.
use crate::{Client, Error};
use chatcaptain_api::operations::Operation;
use envelope::{ApiResult, Envelope};

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
        match self.run(Target::of(operation), &call, false).await? {
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
        self.run(Target::of(operation), &call, true).await
    }

    /// The retry loop for any call: a generated operation's, or a raw one (`raw.rs`).
    pub(crate) async fn run<T, F>(
        &self,
        operation: Target<'_>,
        call: &F,
        lenient: bool,
    ) -> Result<Lenient<T>, Error>
    where
        T: Envelope,
        F: for<'a> Fn(&'a chatcaptain_api::Client) -> BoxFuture<'a, ApiResult<T>>,
    {
        // The builder refuses 0; `CallOptions` can only refuse it here.
        if self.retry_policy().max_attempts == 0 {
            return Err(Error::InvalidArgument(
                "max_attempts is 0: a call needs at least one attempt".into(),
            ));
        }
        let deadline = self
            .call_timeout()
            .map(|limit| Deadline::after(limit, tokio::time::Instant::now()));
        let attempts =
            self.attempt(operation, call, lenient, deadline)
                .instrument(tracing::debug_span!(
                    "chatcaptain",
                    operation = operation.name
                ));
        let result = match deadline {
            Some(deadline) => tokio::time::timeout_at(deadline.at, attempts)
                .await
                .unwrap_or(Err(Error::Timeout {
                    limit: deadline.limit,
                    cause: None,
                })),
            None => attempts.await,
        };
        if let Err(e) = &result {
            tracing::debug!(operation = operation.name, error = %e, "request failed");
        }
        result
    }

    async fn attempt<T, F>(
        &self,
        operation: Target<'_>,
        call: &F,
        lenient: bool,
        deadline: Option<Deadline>,
    ) -> Result<Lenient<T>, Error>
    where
        T: Envelope,
        F: for<'a> Fn(&'a chatcaptain_api::Client) -> BoxFuture<'a, ApiResult<T>>,
    {
        let policy = self.retry_policy();
        let (pacing, quota) = (self.pacing(), self.quota());
        let mut attempt = 1;
        let mut retries_cost = 0;
        loop {
            let sent = pacing.ready().await;
            let span = request_span(self, operation, attempt);
            let outcome = call(self.api()).instrument(span.clone()).await;
            let request_id = answer_request_id(&outcome);
            record_outcome(&span, &outcome, request_id.as_deref());
            let answered = match outcome {
                Ok(response) => Ok(unwrap_envelope(response).map(Lenient::Typed)),
                Err(ApiError::InvalidResponsePayload(body, source)) if lenient => {
                    match serde_json::from_slice::<serde_json::Value>(&body) {
                        Ok(value) => Ok(raw_envelope(value).map(Lenient::Raw)),
                        Err(_) => Err(ApiError::InvalidResponsePayload(body, source)),
                    }
                }
                Err(e) => Err(e),
            };
            let error = match answered {
                Ok(result) => {
                    pacing.answered(sent);
                    quota.refund(retries_cost);
                    return result;
                }
                Err(e) => e,
            };
            let Some(retryable) = policy.classify(operation.idempotent, &error) else {
                return Err(map_error(error).await);
            };
            if retryable.reason.status() == Some(StatusCode::TOO_MANY_REQUESTS) {
                pacing.throttled(sent);
            }
            if attempt >= policy.max_attempts {
                return Err(given_up(attempt, error).await);
            }
            let delay = match retryable.retry_after {
                Some(wait) if wait > policy.max_retry_wait => {
                    return Err(Error::RateLimited {
                        request_id,
                        status: retryable
                            .reason
                            .status()
                            .unwrap_or(StatusCode::TOO_MANY_REQUESTS),
                        retry_after: wait,
                        max_wait: policy.max_retry_wait,
                    });
                }
                Some(wait) => {
                    // Told to wait: so is every other call through this client.
                    pacing.hold_until(tokio::time::Instant::now() + wait);
                    wait
                }
                None => policy.backoff(attempt),
            };
            // Waiting out a delay that outlasts the call would only end in a bare timeout that
            // hides why (a server asking for 30 s under a 10 s call_timeout): fail now, with
            // the failure as the cause.
            if let Some(deadline) = deadline
                && tokio::time::Instant::now() + delay >= deadline.at
            {
                return Err(Error::Timeout {
                    limit: deadline.limit,
                    cause: Some(Box::new(map_error(error).await)),
                });
            }
            // An empty retry quota means many calls are failing: this one fails as it is,
            // rather than add to the load.
            let Some(cost) = quota.take(retryable.reason) else {
                tracing::warn!(
                    operation = operation.name,
                    attempt,
                    reason = retryable.reason.as_str(),
                    "not retrying a ChatCaptain request: the client's retry quota is empty"
                );
                return Err(given_up(attempt, error).await);
            };
            retries_cost += cost;
            tracing::warn!(
                operation = operation.name,
                attempt,
                status = retryable.reason.status().map(|s| s.as_u16()),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                reason = retryable.reason.as_str(),
                "retrying a ChatCaptain request"
            );
            // Dropping an unread answer closes its connection rather than reading a body nobody wants.
            drop(error);
            tokio::time::sleep(delay).await;
            attempt += 1;
        }
    }
}

/// The error of a call that stops retrying after `attempt` attempts: the last failure, wrapped
/// with the count when there was more than one.
async fn given_up(attempt: u32, error: ApiError<types::ErrorResponse>) -> Error {
    let last = map_error(error).await;
    if attempt > 1 {
        Error::RetriesExhausted {
            attempts: attempt,
            last: Box::new(last),
        }
    } else {
        last
    }
}

/// What the retry loop and the spans need to know of a call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Target<'a> {
    /// The operation's name in logs and spans (`raw` for a raw call).
    pub(crate) name: &'static str,
    /// The HTTP method.
    pub(crate) method: &'a str,
    /// The route's template in the spec, when the request has one.
    pub(crate) template: Option<&'static str>,
    /// Whether sending it twice leaves the same state as once (see `retries/`).
    pub(crate) idempotent: bool,
}

impl Target<'static> {
    pub(crate) fn of(operation: Operation) -> Self {
        Target {
            name: operation.name(),
            method: operation.method(),
            template: Some(operation.path()),
            idempotent: operation.idempotent(),
        }
    }
}

/// When a call with a `call_timeout` must be over.
#[derive(Clone, Copy)]
struct Deadline {
    limit: Duration,
    at: tokio::time::Instant,
}

impl Deadline {
    fn after(limit: Duration, now: tokio::time::Instant) -> Self {
        Deadline {
            limit,
            at: now + limit,
        }
    }
}

/// The body of a success, or the failure its `error` field announces.
fn unwrap_envelope<T: Envelope>(response: ResponseValue<T>) -> Result<T, Error> {
    let status = response.status();
    let request_id = crate::error::request_id(response.headers());
    let body = response.into_inner();
    if let Some(message) = body.error() {
        return Err(Error::Api {
            status,
            message: message.to_owned(),
            retry_after: None,
            request_id,
            chatbot: None,
        });
    }
    Ok(body)
}

/// One span per request sent, with OpenTelemetry's HTTP client attributes. Nothing that could
/// carry personal data or the key is recorded: the route's template stands for the URL, whose
/// path holds ids and whose query holds search terms.
///
/// A raw call to a path the spec does not have records no template (OpenTelemetry then names the
/// span by the method alone), rather than its path, which may hold ids.
fn request_span(client: &Client, operation: Target<'_>, attempt: u32) -> tracing::Span {
    let method = operation.method;
    let span_name = match operation.template {
        Some(template) => format!("{method} {template}"),
        None => method.to_owned(),
    };
    tracing::info_span!(
        "chatcaptain.request",
        otel.kind = "client",
        otel.name = %span_name,
        operation = operation.name,
        http.request.method = method,
        url.template = operation.template,
        server.address = client.host(),
        http.request.resend_count = attempt - 1,
        http.response.status_code = tracing::field::Empty,
        http.response.request_id = tracing::field::Empty,
        error.type = tracing::field::Empty,
    )
}

/// The server's id of the request, from whatever answer the attempt got.
fn answer_request_id<T>(outcome: &ApiResult<T>) -> Option<String> {
    let headers = match outcome {
        Ok(response) => response.headers(),
        Err(ApiError::ErrorResponse(rv)) => rv.headers(),
        Err(ApiError::UnexpectedResponse(response)) => response.headers(),
        Err(_) => return None,
    };
    crate::error::request_id(headers)
}

fn record_outcome<T>(span: &tracing::Span, outcome: &ApiResult<T>, request_id: Option<&str>) {
    if let Some(id) = request_id {
        span.record("http.response.request_id", id);
    }
    let status = match outcome {
        Ok(response) => Some(response.status()),
        Err(ApiError::ErrorResponse(rv)) => Some(rv.status()),
        Err(ApiError::UnexpectedResponse(response)) => Some(response.status()),
        Err(_) => None,
    };
    if let Some(status) = status {
        span.record("http.response.status_code", status.as_u16());
    }
    let error_type = match outcome {
        Ok(_) => return,
        Err(_) if status.is_some_and(|s| !s.is_success()) => status.map(|s| s.as_u16().to_string()),
        Err(ApiError::CommunicationError(e) | ApiError::ResponseBodyError(e)) if e.is_timeout() => {
            Some("timeout".into())
        }
        Err(ApiError::CommunicationError(e)) if e.is_connect() => Some("connect".into()),
        Err(ApiError::InvalidResponsePayload(..)) => Some("decode".into()),
        Err(_) => Some("transport".into()),
    };
    if let Some(error_type) = error_type {
        span.record("error.type", error_type.as_str());
    }
}

/// A raw success body, or the failure its `error` field announces (the listings' success
/// status is 200).
fn raw_envelope(body: serde_json::Value) -> Result<serde_json::Value, Error> {
    match body.get("error").and_then(serde_json::Value::as_str) {
        Some(message) if !message.trim().is_empty() => Err(Error::Api {
            status: StatusCode::OK,
            message: message.to_owned(),
            retry_after: None,
            // progenitor keeps no headers of a body that does not match the spec.
            request_id: None,
            chatbot: None,
        }),
        _ => Ok(body),
    }
}

/// Turns progenitor's error into ours, reading what the server said wherever it said it.
async fn map_error(e: ApiError<types::ErrorResponse>) -> Error {
    if let Some(limit) = crate::retries::too_large(&e) {
        return Error::ResponseTooLarge { limit };
    }
    match e {
        ApiError::ErrorResponse(rv) => {
            let status = rv.status();
            let retry_after = crate::retries::retry_after(rv.headers());
            let request_id = crate::error::request_id(rv.headers());
            Error::Api {
                status,
                message: server_message(&rv.into_inner(), status),
                retry_after,
                request_id,
                chatbot: None,
            }
        }
        ApiError::UnexpectedResponse(response) if response.status().is_redirection() => {
            // A redirect the client's policy stopped (see `redirect.rs`).
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .map(|l| match response.url().join(l) {
                    Ok(resolved) => resolved.to_string(),
                    Err(_) => l.to_owned(),
                })
                .unwrap_or_else(|| "nowhere (no Location header)".to_owned());
            Error::Redirect {
                status: Some(response.status()),
                location,
            }
        }
        ApiError::UnexpectedResponse(response) => {
            let status = response.status();
            let retry_after = crate::retries::retry_after(response.headers());
            let request_id = crate::error::request_id(response.headers());
            match response.bytes().await {
                Ok(body) => match serde_json::from_slice::<types::ErrorResponse>(&body) {
                    Ok(parsed) if !status.is_success() => Error::Api {
                        status,
                        message: server_message(&parsed, status),
                        retry_after,
                        request_id,
                        chatbot: None,
                    },
                    Ok(_) => Error::Api {
                        status,
                        message: format!(
                            "unexpected status; body: {}",
                            crate::error::excerpt(&body)
                        ),
                        retry_after,
                        request_id,
                        chatbot: None,
                    },
                    Err(source) => match Error::decode(Some(status), &body, source) {
                        Error::Decode {
                            status,
                            excerpt,
                            source,
                            ..
                        } => Error::Decode {
                            status,
                            request_id,
                            excerpt,
                            source,
                        },
                        other => other,
                    },
                },
                Err(e) => Error::Transport(e),
            }
        }
        ApiError::InvalidResponsePayload(body, source) => Error::decode(None, &body, source),
        ApiError::CommunicationError(e)
        | ApiError::ResponseBodyError(e)
        | ApiError::InvalidUpgrade(e) => Error::Transport(e),
        ApiError::InvalidRequest(message) => Error::InvalidArgument(message),
        ApiError::Custom(message) => match chatcaptain_api::hooks::foreign_origin(&message) {
            Some(url) => Error::Redirect {
                status: None,
                location: url.to_owned(),
            },
            None => Error::InvalidArgument(message),
        },
    }
}

/// The server's `error`, else its `message`; but when `error` only repeats the reason phrase
/// ("Not Found") and a `message` says more ("Contact not found"), the `message`.
pub(crate) fn server_message(body: &types::ErrorResponse, status: StatusCode) -> String {
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
