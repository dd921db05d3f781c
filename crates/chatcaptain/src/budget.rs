//! One client, one budget: what every clone of a client shares so that, together, its callers
//! stay polite to the API however many there are.
//!
//! - **A `Retry-After` holds the whole client**: once any call is told to wait, no request through
//!   the client (or its clones) is sent before the time has passed; the others do not keep
//!   sending into a rate limit.
//! - **A retry quota**, as aws-sdk-rust's standard retry mode has it: a bucket of tokens; a retry
//!   costs 5 (10 after a timeout), a success gives back what its retry cost, or 1. When the bucket
//!   is empty, failures are not retried, so a total outage is met with about one request per call
//!   instead of `max_attempts`.
//! - **An optional pace** (`max_requests_per_second`): requests leave at most that often.
//! - **A learned pace** (with `retry_mode(RetryMode::Adaptive)`): after a 429, requests leave at a
//!   rate cut below the one the server granted, grown back slowly (see [`crate::adaptive`]), so a
//!   rate limit is met with few 429s, each of which stops the whole client for its `Retry-After`.
//!   Requests waiting for it look again when it rises. The 429s are counted, so a parallel
//!   listing can shrink its concurrency too.

use std::ops::RangeInclusive;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::adaptive::Adaptive;

/// What a retry costs from the quota, as in aws-sdk-rust's standard mode.
pub(crate) const RETRY_COST: u32 = 5;
/// What a retry after a timeout costs: a timeout more likely means an overloaded server.
pub(crate) const TIMEOUT_RETRY_COST: u32 = 10;
/// The quota's size unless configured.
pub(crate) const DEFAULT_RETRY_QUOTA: u32 = 500;

/// The rates [`ClientBuilder::max_requests_per_second`](crate::ClientBuilder::max_requests_per_second)
/// accepts, in requests per second: from one request every 1,000 seconds to a million a second.
/// Outside it (zero, negative, NaN, infinite, `1e-300`), [`build`](crate::ClientBuilder::build)
/// fails with [`Error::Config`](crate::Error::Config).
pub const MAX_REQUESTS_PER_SECOND: RangeInclusive<f64> = 0.001..=1_000_000.0;

/// The shared state; see the module docs.
#[derive(Debug)]
pub(crate) struct Budget {
    hold: Mutex<Option<Instant>>,
    quota: Option<Mutex<Quota>>,
    pace: Option<Mutex<Pace>>,
    adaptive: Option<Mutex<Adaptive>>,
    /// Wakes the requests waiting for the learned pace when it rises.
    pace_rose: Notify,
    /// 429s answered to requests of this client so far.
    throttles: AtomicU64,
}

#[derive(Debug)]
struct Quota {
    tokens: u32,
    capacity: u32,
}

#[derive(Debug)]
struct Pace {
    every: Duration,
    next: Instant,
}

impl Budget {
    pub(crate) fn new(quota: Option<u32>, per_second: Option<f64>, adaptive: bool) -> Self {
        Budget {
            adaptive: adaptive.then(|| Mutex::new(Adaptive::new(Instant::now()))),
            pace_rose: Notify::new(),
            throttles: AtomicU64::new(0),
            hold: Mutex::new(None),
            quota: quota.map(|capacity| {
                Mutex::new(Quota {
                    tokens: capacity,
                    capacity,
                })
            }),
            pace: per_second.map(|r| {
                Mutex::new(Pace {
                    every: Duration::from_secs_f64(1.0 / r),
                    next: Instant::now(),
                })
            }),
        }
    }

    /// Waits until a request may leave: after any `Retry-After` the client was given, and at the
    /// client's pace and learned pace. Returns when it left, for [`throttled`](Self::throttled).
    pub(crate) async fn ready(&self) -> Instant {
        // A `Retry-After` may arrive while a request waits for its paced slot: it is checked
        // again after the slot, so no request leaves inside the hold.
        loop {
            self.held().await;
            if let Some(pace) = &self.pace {
                let slot = {
                    let mut pace = lock(pace);
                    let slot = pace.next.max(Instant::now());
                    pace.next = slot + pace.every;
                    slot
                };
                tokio::time::sleep_until(slot).await;
            }
            if let Some(adaptive) = &self.adaptive {
                loop {
                    // Registered before looking, so a rise in between is not missed.
                    let mut rose = std::pin::pin!(self.pace_rose.notified());
                    rose.as_mut().enable();
                    let Err(wake) = lock(adaptive).depart(Instant::now()) else {
                        break;
                    };
                    let _ = tokio::time::timeout_at(wake, rose).await;
                }
            }
            if self.hold_ended() {
                return Instant::now();
            }
        }
    }

    /// Waits out the hold a `Retry-After` put on the client, if any.
    async fn held(&self) {
        loop {
            let hold = *lock(&self.hold);
            match hold {
                Some(until) if until > Instant::now() => tokio::time::sleep_until(until).await,
                _ => return,
            }
        }
    }

    fn hold_ended(&self) -> bool {
        lock(&self.hold).is_none_or(|until| until <= Instant::now())
    }

    /// A request that left at `sent` was answered 429.
    pub(crate) fn throttled(&self, sent: Instant) {
        self.throttles.fetch_add(1, Ordering::Relaxed);
        if let Some(adaptive) = &self.adaptive {
            lock(adaptive).throttled(sent, Instant::now());
        }
    }

    /// How many 429s requests through this client were answered so far.
    pub(crate) fn throttles(&self) -> u64 {
        self.throttles.load(Ordering::Relaxed)
    }

    /// No request through this client before `until` (a server's `Retry-After`).
    pub(crate) fn hold_until(&self, until: Instant) {
        if let Some(adaptive) = &self.adaptive {
            lock(adaptive).held(until);
        }
        let mut hold = lock(&self.hold);
        if hold.is_none_or(|h| h < until) {
            *hold = Some(until);
        }
    }

    /// Takes what a retry costs; `None` when the quota cannot pay for it (no retry then).
    pub(crate) fn take_retry(&self, after_timeout: bool) -> Option<u32> {
        let Some(quota) = &self.quota else {
            return Some(0);
        };
        let cost = if after_timeout {
            TIMEOUT_RETRY_COST
        } else {
            RETRY_COST
        };
        let mut quota = lock(quota);
        if quota.tokens < cost {
            return None;
        }
        quota.tokens -= cost;
        Some(cost)
    }

    /// A call whose last request left at `sent` succeeded: give back what its retries cost, or
    /// one token for a first-try success.
    pub(crate) fn succeeded(&self, sent: Instant, retries_cost: u32) {
        if let Some(adaptive) = &self.adaptive
            && lock(adaptive).answered(sent, Instant::now())
        {
            self.pace_rose.notify_waiters();
        }
        if let Some(quota) = &self.quota {
            let mut quota = lock(quota);
            let refund = if retries_cost == 0 { 1 } else { retries_cost };
            quota.tokens = quota.tokens.saturating_add(refund).min(quota.capacity);
        }
    }
}

/// A poisoned lock only means a panic elsewhere; the numbers inside are still usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}
