//! When a failed request is worth another try, and how long to wait before it.
//!
//! Modelled on aws-sdk-rust's standard retry mode: a budget of attempts (default 3), exponential
//! backoff with full jitter (a random wait between zero and `min(cap, base * 2^retry)`), and a
//! server's `Retry-After` (seconds or an HTTP date) taking the place of the jitter when present.
//!
//! # What is retried
//!
//! - Statuses 429, 500, 502, 503 and 504, and connections that could not be opened: for every
//!   operation. A 429 and a failed connect mean the request was not processed.
//! - Timeouts, connections reset mid-answer, and answers cut short or undecodable: only for
//!   idempotent operations, because the server may have acted on the request already.
//!
//! # Which operations are idempotent
//!
//! The generated operation table says ([`Operation::idempotent`](crate::Operation::idempotent)): from the method (RFC 9110: the
//! `GET`s and `DELETE`, as deleting twice leaves the same state), unless the spec says otherwise
//! with `x-idempotent`, as for `updateContact`, whose `PATCH` merges the fields sent, so the same
//! merge twice leaves the same contact. The `POST`s (`createContact`, `createOrganization`) are
//! not: a repeat after the server processed the first try creates a second one. They are
//! retried only for 429 and failed connects, unless the client was built with
//! [`ClientBuilder::retry_non_idempotent`](crate::ClientBuilder::retry_non_idempotent).

use std::time::{Duration, SystemTime};

use chatcaptain_api::Error as ApiError;
use chatcaptain_api::hooks::ResponseTooLarge;
use chatcaptain_api::types;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The attempts a call may take, as in aws-sdk-rust's standard mode.
pub(crate) const DEFAULT_MAX_ATTEMPTS: u32 = 3;
/// The backoff before the first retry is drawn from `0..=DEFAULT_BACKOFF_BASE`.
pub(crate) const DEFAULT_BACKOFF_BASE: Duration = Duration::from_millis(100);
/// No backoff is longer than this.
pub(crate) const DEFAULT_BACKOFF_CAP: Duration = Duration::from_secs(20);
/// A `Retry-After` longer than this fails the call at once instead of waiting.
pub(crate) const DEFAULT_MAX_RETRY_WAIT: Duration = Duration::from_secs(60);

/// How one client retries; set through the builder.
#[derive(Clone, Debug)]
pub(crate) struct RetryPolicy {
    pub(crate) max_attempts: u32,
    pub(crate) base: Duration,
    pub(crate) cap: Duration,
    pub(crate) max_retry_wait: Duration,
    pub(crate) retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: DEFAULT_MAX_ATTEMPTS,
            base: DEFAULT_BACKOFF_BASE,
            cap: DEFAULT_BACKOFF_CAP,
            max_retry_wait: DEFAULT_MAX_RETRY_WAIT,
            retry_non_idempotent: false,
        }
    }
}

/// How the client meets 429s: the two modes of aws-sdk-rust and the AWS CLI's `retry_mode`
/// (the CLI's `--retry-mode` is this value). Set with
/// [`ClientBuilder::retry_mode`](crate::ClientBuilder::retry_mode).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum RetryMode {
    /// Retry with backoff, and wait out each `Retry-After`, every call through the client at
    /// once. The default.
    #[default]
    Standard,
    /// Standard, and after a 429 pace every request at a rate learned from the server's answers.
    Adaptive,
}

impl RetryMode {
    /// Every mode, by its name.
    pub const ALL: [RetryMode; 2] = [RetryMode::Standard, RetryMode::Adaptive];

    /// Its name: `standard`, `adaptive`.
    pub const fn name(self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }
}

impl std::fmt::Display for RetryMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses a mode's name, in any case; the error names the modes there are.
impl std::str::FromStr for RetryMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        RetryMode::ALL
            .into_iter()
            .find(|mode| mode.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("{s:?} is not a retry mode: use standard or adaptive"))
    }
}

/// Why a failure may be retried, and what the server asked for.
#[derive(Debug, PartialEq)]
pub(crate) struct Retryable {
    pub(crate) reason: &'static str,
    pub(crate) status: Option<StatusCode>,
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
        let (reason, status, headers, safe) = match error {
            ApiError::ErrorResponse(rv) => {
                let status = rv.status();
                (
                    status_reason(status)?,
                    Some(status),
                    Some(rv.headers()),
                    status == StatusCode::TOO_MANY_REQUESTS,
                )
            }
            ApiError::UnexpectedResponse(response) => {
                let status = response.status();
                (
                    status_reason(status)?,
                    Some(status),
                    Some(response.headers()),
                    status == StatusCode::TOO_MANY_REQUESTS,
                )
            }
            ApiError::CommunicationError(e) if e.is_connect() => {
                ("connect error", None, None, true)
            }
            ApiError::CommunicationError(e) if e.is_timeout() => ("timeout", None, None, false),
            ApiError::CommunicationError(_) => ("connection error", None, None, false),
            ApiError::ResponseBodyError(e) if e.is_timeout() => ("timeout", None, None, false),
            ApiError::ResponseBodyError(_) => ("answer cut short", None, None, false),
            // A body that is JSON but not the spec's shape would come back the same: only a body
            // that is not JSON at all (cut short, a proxy's page) is worth asking for again.
            ApiError::InvalidResponsePayload(body, _)
                if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() =>
            {
                ("undecodable answer", None, None, false)
            }
            _ => return None,
        };
        (safe || repeatable).then(|| Retryable {
            reason,
            status,
            retry_after: headers.and_then(retry_after),
        })
    }

    /// The jittered wait before retry number `retry` (1 for the first retry).
    pub(crate) fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let ceiling = self.base.saturating_mul(factor).min(self.cap);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(random_up_to(nanos))
    }
}

/// A random number in `0..=max`. Jitter only has to spread clients apart, not be unpredictable:
/// std's randomly keyed hasher does that (every `RandomState` gets keys of its own), and spares
/// every user of the crate a random number generator to compile.
fn random_up_to(max: u64) -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let random = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    match max.checked_add(1) {
        Some(range) => random % range,
        None => random,
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

fn status_reason(status: StatusCode) -> Option<&'static str> {
    match status.as_u16() {
        429 => Some("rate limited"),
        500 => Some("server error"),
        502 => Some("bad gateway"),
        503 => Some("service unavailable"),
        504 => Some("gateway timeout"),
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

    #[test]
    fn backoff_is_full_jitter_under_an_exponential_ceiling_and_the_cap() {
        let policy = RetryPolicy {
            base: Duration::from_millis(100),
            cap: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for _ in 0..200 {
            assert!(policy.backoff(1) <= Duration::from_millis(100));
            assert!(policy.backoff(2) <= Duration::from_millis(200));
            assert!(policy.backoff(3) <= Duration::from_millis(350));
            assert!(policy.backoff(40) <= Duration::from_millis(350));
        }
        let draws: std::collections::HashSet<_> = (0..50).map(|_| policy.backoff(3)).collect();
        assert!(draws.len() > 1, "the wait is drawn, not fixed");
    }

    #[test]
    fn jitter_covers_the_whole_range_evenly() {
        let mut counts = [0u32; 10];
        for _ in 0..1000 {
            counts[random_up_to(9) as usize] += 1;
        }
        // 100 expected each; 50 is five standard deviations below.
        assert!(counts.iter().all(|&n| n > 50), "{counts:?}");
        assert_eq!(random_up_to(0), 0);
        random_up_to(u64::MAX); // no overflow
    }
}

#[cfg(test)]
mod retry_mode_tests {
    use super::RetryMode;

    #[test]
    fn a_retry_mode_reads_and_writes_by_its_name_in_any_case() {
        assert_eq!("Adaptive".parse::<RetryMode>(), Ok(RetryMode::Adaptive));
        assert_eq!(" standard ".parse::<RetryMode>(), Ok(RetryMode::Standard));
        let err = "fast".parse::<RetryMode>().unwrap_err();
        assert!(err.contains("use standard or adaptive"), "{err}");
        assert_eq!(
            serde_json::to_string(&RetryMode::Adaptive).unwrap(),
            "\"adaptive\""
        );
        let read: RetryMode = serde_json::from_str("\"standard\"").unwrap();
        assert_eq!(read, RetryMode::default());
    }
}
