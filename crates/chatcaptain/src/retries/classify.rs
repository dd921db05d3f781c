//! Which failures are worth another try, as a typed decision: the reason, the status, the
//! server's `Retry-After`.

use std::time::{Duration, SystemTime};

use chatcaptain_api::Error as ApiError;
use chatcaptain_api::hooks::ResponseTooLarge;
use chatcaptain_api::types;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::RetryPolicy;

/// Why a failed request may be worth another try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reason {
    /// 429, 500, 502, 503 or 504.
    Status(StatusCode),
    /// The connection could not be opened: the request was never sent.
    ConnectFailed,
    /// No answer in time.
    Timeout,
    /// The connection broke before the answer was in.
    ConnectionLost,
    /// The answer's body was cut short.
    CutShort,
    /// The answer was not JSON at all (a proxy's page, a body cut mid-way).
    Undecodable,
}

impl Reason {
    /// The words logs and spans use for it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Reason::Status(status) => match status.as_u16() {
                429 => "rate limited",
                502 => "bad gateway",
                503 => "service unavailable",
                504 => "gateway timeout",
                _ => "server error",
            },
            Reason::ConnectFailed => "connect error",
            Reason::Timeout => "timeout",
            Reason::ConnectionLost => "connection error",
            Reason::CutShort => "answer cut short",
            Reason::Undecodable => "undecodable answer",
        }
    }

    /// The status that answered, when a status is the reason.
    pub(crate) fn status(self) -> Option<StatusCode> {
        match self {
            Reason::Status(status) => Some(status),
            _ => None,
        }
    }

    /// Whether the server surely did not act on the request (a 429, a connection never opened),
    /// so that even a request that is not idempotent may be sent again.
    fn not_acted_on(self) -> bool {
        matches!(
            self,
            Reason::Status(StatusCode::TOO_MANY_REQUESTS) | Reason::ConnectFailed
        )
    }

    /// The reason for a status worth another try; `None` for any other status.
    fn of_status(status: StatusCode) -> Option<Reason> {
        matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504).then_some(Reason::Status(status))
    }
}

/// Why a failure may be retried, and what the server asked for.
#[derive(Debug, PartialEq)]
pub(crate) struct Retryable {
    pub(crate) reason: Reason,
    pub(crate) retry_after: Option<Duration>,
}

impl RetryPolicy {
    /// Whether `error` from a call (`idempotent` or not) is worth another try (budget aside).
    pub(crate) fn classify(
        &self,
        idempotent: bool,
        error: &ApiError<types::ErrorResponse>,
    ) -> Option<Retryable> {
        if too_large(error).is_some() {
            return None; // the same answer would be as large the next time
        }
        let repeatable = idempotent || self.retry_non_idempotent;
        let (reason, headers) = match error {
            ApiError::ErrorResponse(rv) => (Reason::of_status(rv.status())?, Some(rv.headers())),
            ApiError::UnexpectedResponse(response) => (
                Reason::of_status(response.status())?,
                Some(response.headers()),
            ),
            ApiError::CommunicationError(e) if e.is_connect() => (Reason::ConnectFailed, None),
            ApiError::CommunicationError(e) if e.is_timeout() => (Reason::Timeout, None),
            ApiError::CommunicationError(_) => (Reason::ConnectionLost, None),
            ApiError::ResponseBodyError(e) if e.is_timeout() => (Reason::Timeout, None),
            ApiError::ResponseBodyError(_) => (Reason::CutShort, None),
            // A body that is JSON but not the spec's shape would come back the same: only a body
            // that is not JSON at all (cut short, a proxy's page) is worth asking for again.
            ApiError::InvalidResponsePayload(body, _)
                if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() =>
            {
                (Reason::Undecodable, None)
            }
            _ => return None,
        };
        (reason.not_acted_on() || repeatable).then(|| Retryable {
            reason,
            retry_after: headers.and_then(retry_after),
        })
    }
}

/// The limit an answer's body passed, when that is why `error` happened.
pub(crate) fn too_large(error: &ApiError<types::ErrorResponse>) -> Option<u64> {
    match error {
        ApiError::CommunicationError(e) | ApiError::ResponseBodyError(e) => {
            ResponseTooLarge::in_chain(e).map(|t| t.limit)
        }
        _ => None,
    }
}

/// `Retry-After` as a wait from now: delta-seconds, or an HTTP date (a date passed is no wait).
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn retry_after_reads_seconds() {
        assert_eq!(retry_after(&headers("7")), Some(Duration::from_secs(7)));
    }

    #[test]
    fn retry_after_reads_an_http_date_as_the_wait_until_it() {
        let at = SystemTime::now() + Duration::from_secs(90);
        let wait = retry_after(&headers(&httpdate::fmt_http_date(at))).unwrap();
        // The date has whole seconds, so the wait is up to a second short of 90.
        assert!((88..=90).contains(&wait.as_secs()), "{wait:?}");
    }

    #[test]
    fn retry_after_in_the_past_is_no_wait_and_garbage_is_ignored() {
        assert_eq!(
            retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT")),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }
}
