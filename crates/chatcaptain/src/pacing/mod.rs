//! How fast requests leave, so that one client's callers together stay polite to the API however
//! many there are. Everything here is shared by every clone of a client:
//!
//! - **The `Retry-After` hold** ([`hold`]): a server's wait holds the whole client.
//! - **A fixed pace** ([`fixed`], `max_requests_per_second`): requests leave at most that often.
//! - **A learned pace** ([`learned`], with `retry_mode(RetryMode::Adaptive)`): after a 429,
//!   requests leave at a rate cut below the one the server granted, grown back slowly, so a rate
//!   limit is met with few 429s. Requests waiting for it look again when it rises.
//! - **The 429 count**, from which a parallel listing sizes its requests in flight
//!   ([`concurrency`]).
//!
//! The retry quota is the other thing a client's calls share; it lives with the retries
//! (`crate::retries::Quota`).

mod concurrency;
mod fixed;
mod hold;
mod learned;

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use tokio::sync::Notify;
use tokio::time::Instant;

use crate::lock::lock;

pub(crate) use concurrency::Concurrency;
use fixed::FixedPace;
pub use fixed::MAX_REQUESTS_PER_SECOND;
use hold::Hold;
use learned::Adaptive;

/// The pace of one client and its clones; see the module docs.
#[derive(Debug)]
pub(crate) struct Pacing {
    hold: Hold,
    fixed: Option<FixedPace>,
    learned: Option<Mutex<Adaptive>>,
    /// Wakes the requests waiting for the learned pace when it rises.
    pace_rose: Notify,
    /// 429s answered to requests of this client so far.
    throttles: AtomicU64,
}

impl Pacing {
    /// A fixed pace of `per_second` if given, and a learned one if `learn`.
    pub(crate) fn new(per_second: Option<f64>, learn: bool) -> Self {
        Pacing {
            hold: Hold::default(),
            fixed: per_second.map(FixedPace::new),
            learned: learn.then(|| Mutex::new(Adaptive::new(Instant::now()))),
            pace_rose: Notify::new(),
            throttles: AtomicU64::new(0),
        }
    }

    /// Waits until a request may leave: after any `Retry-After` the client was given, and at the
    /// fixed and learned paces. Returns when it left, for [`throttled`](Self::throttled).
    pub(crate) async fn ready(&self) -> Instant {
        // A `Retry-After` may arrive while a request waits for its paced slot: it is checked
        // again after the slot, so no request leaves inside the hold.
        loop {
            self.hold.wait().await;
            if let Some(fixed) = &self.fixed {
                fixed.slot().await;
            }
            if let Some(learned) = &self.learned {
                loop {
                    // Registered before looking, so a rise in between is not missed.
                    let mut rose = std::pin::pin!(self.pace_rose.notified());
                    rose.as_mut().enable();
                    let Err(wake) = lock(learned).depart(Instant::now()) else {
                        break;
                    };
                    let _ = tokio::time::timeout_at(wake, rose).await;
                }
            }
            if self.hold.ended() {
                return Instant::now();
            }
        }
    }

    /// A request that left at `sent` was answered 429.
    pub(crate) fn throttled(&self, sent: Instant) {
        self.throttles.fetch_add(1, Ordering::Relaxed);
        if let Some(learned) = &self.learned {
            lock(learned).throttled(sent, Instant::now());
        }
    }

    /// How many 429s requests through this client were answered so far.
    pub(crate) fn throttles(&self) -> u64 {
        self.throttles.load(Ordering::Relaxed)
    }

    /// No request through this client before `until` (a server's `Retry-After`).
    pub(crate) fn hold_until(&self, until: Instant) {
        if let Some(learned) = &self.learned {
            lock(learned).held(until);
        }
        self.hold.extend(until);
    }

    /// A request that left at `sent` was answered without a 429.
    pub(crate) fn answered(&self, sent: Instant) {
        if let Some(learned) = &self.learned
            && lock(learned).answered(sent, Instant::now())
        {
            self.pace_rose.notify_waiters();
        }
    }
}
