//! The layer every request passes before its handler: recorded, counted by the faults, delayed or failed
//! by them, authenticated (the key, its chatbot, its permission); and after it, the response mangled
//! if a fault says so. Every answer carries an `x-request-id`, as a real API's do.

use std::sync::Arc;

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::{FromRequestParts, Query, RawPathParams, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::Route;
use crate::auth::{API_KEY_HEADER, Access};
use crate::error::ApiError;
use crate::faults::{self, FaultKind};
use crate::record::{REDACTED, RecordedRequest};
use crate::shared::Shared;

/// Bodies larger than this are refused with 413; the API's bodies are a few hundred bytes.
const MAX_BODY: usize = 1024 * 1024;

const HTML_ERROR_PAGE: &str = "<html><head><title>502 Bad Gateway</title></head>\
<body><center><h1>502 Bad Gateway</h1></center></body></html>\n";

/// The header the fake names each answer in.
pub(crate) const REQUEST_ID_HEADER: &str = "x-request-id";

pub(crate) async fn gate(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let id = shared.next_request_id();
    let mut response = answer(shared, request, next).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID_HEADER, value);
    }
    response
}

async fn answer(shared: Arc<Shared>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let Ok(body) = to_bytes(body, MAX_BODY).await else {
        return ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large")
            .into_response();
    };
    let route = Route::of(parts.method.as_str(), parts.uri.path());
    let recorded = record(&parts, &body, route);
    tracing::debug!(method = %recorded.method, path = %recorded.path, "fake request");

    if let Some(limiter) = &shared.limiter
        && let Err(wait) = limiter.take()
    {
        shared.record(recorded);
        let mut response =
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return response;
    }
    let decision = {
        shared.record(recorded);
        faults::decide(&mut shared.log().faults, route)
    };
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    match &decision.failure {
        Some(FaultKind::Status(code)) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let reason = status.canonical_reason().unwrap_or("Injected fault");
            return ApiError::new(status, reason).into_response();
        }
        Some(FaultKind::RateLimited { retry_after_secs }) => {
            let mut response =
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests").into_response();
            if let Some(secs) = retry_after_secs {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*secs));
            }
            return response;
        }
        _ => {}
    }

    // The router matched the path before this layer runs, so its parameters are there, decoded.
    let chatbot = RawPathParams::from_request_parts(&mut parts, &())
        .await
        .ok()
        .and_then(|params| {
            params
                .iter()
                .find(|(name, _)| *name == "chatbotId")
                .map(|(_, value)| value.to_owned())
        });
    let presented = parts
        .headers
        .get(API_KEY_HEADER)
        .and_then(|v| v.to_str().ok());
    match shared.keys.check(presented, route, chatbot.as_deref()) {
        Access::Unauthenticated => return ApiError::unauthorized().into_response(),
        Access::Forbidden => return ApiError::forbidden().into_response(),
        Access::Granted => {}
    }

    let response = next.run(Request::from_parts(parts, Body::from(body))).await;
    match decision.failure {
        Some(
            kind
            @ (FaultKind::DropConnection | FaultKind::TruncatedJson | FaultKind::MalformedJson),
        ) => mangle(response, &kind).await,
        _ => response,
    }
}

fn record(
    parts: &axum::http::request::Parts,
    body: &Bytes,
    route: Option<Route>,
) -> RecordedRequest {
    let query = Query::<Vec<(String, String)>>::try_from_uri(&parts.uri)
        .map(|q| q.0)
        .unwrap_or_default();
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            let value = if name.as_str() == API_KEY_HEADER {
                REDACTED.to_owned()
            } else {
                String::from_utf8_lossy(value.as_bytes()).into_owned()
            };
            (name.as_str().to_owned(), value)
        })
        .collect();
    RecordedRequest {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query,
        raw_query: parts.uri.query().map(str::to_owned),
        headers,
        body: String::from_utf8_lossy(body).into_owned(),
        route,
    }
}

/// Rewrites an already produced response: the handler ran, so the data changed, but the client does not
/// get a usable answer, exactly as when a real connection breaks after the server did its work.
async fn mangle(response: Response, kind: &FaultKind) -> Response {
    let (mut parts, body) = response.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let half = body.slice(..body.len() / 2);
    parts.headers.remove(header::CONTENT_LENGTH);
    let body = match kind {
        FaultKind::DropConnection => {
            // Promise the whole body, send half, then fail the stream: hyper closes the connection.
            parts
                .headers
                .insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
            let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
                Ok(half),
                Err(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "injected connection drop",
                )),
            ];
            Body::from_stream(futures::stream::iter(chunks))
        }
        FaultKind::TruncatedJson => Body::from(half),
        _ => Body::from(HTML_ERROR_PAGE),
    };
    Response::from_parts(parts, body)
}
