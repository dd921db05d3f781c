//! The retry quota, as aws-sdk-rust's standard retry mode has it: a bucket of tokens every clone
//! of a client shares. A retry costs [`RETRY_COST`] ([`TIMEOUT_RETRY_COST`] after a timeout), a
//! success gives back what its retries cost, or one token for a first-try success. When the
//! bucket is empty, failures are not retried, so a total outage is met with about one request
//! per call instead of `max_attempts`.

use std::sync::Mutex;

use super::Reason;

/// What a retry costs from the quota, as in aws-sdk-rust's standard mode.
pub(crate) const RETRY_COST: u32 = 5;
/// What a retry after a timeout costs: a timeout more likely means an overloaded server.
pub(crate) const TIMEOUT_RETRY_COST: u32 = 10;
/// The quota's size unless configured.
pub(crate) const DEFAULT_RETRY_QUOTA: u32 = 500;

/// The tokens left; `None` inside when the quota is off (every retry is free).
#[derive(Debug)]
pub(crate) struct Quota(Option<Mutex<Tokens>>);

#[derive(Debug)]
struct Tokens {
    left: u32,
    capacity: u32,
}

impl Quota {
    /// A full quota of `capacity` tokens; `None`: no quota.
    pub(crate) fn new(capacity: Option<u32>) -> Self {
        Quota(capacity.map(|capacity| {
            Mutex::new(Tokens {
                left: capacity,
                capacity,
            })
        }))
    }

    /// Takes what a retry for `reason` costs; `None` when the quota cannot pay for it (no retry
    /// then).
    pub(crate) fn take(&self, reason: Reason) -> Option<u32> {
        let Some(tokens) = &self.0 else {
            return Some(0);
        };
        let cost = match reason {
            Reason::Timeout => TIMEOUT_RETRY_COST,
            _ => RETRY_COST,
        };
        let mut tokens = crate::lock::lock(tokens);
        if tokens.left < cost {
            return None;
        }
        tokens.left -= cost;
        Some(cost)
    }

    /// A call succeeded after retries that cost `retries_cost`: that comes back, or one token
    /// for a first-try success.
    pub(crate) fn refund(&self, retries_cost: u32) {
        if let Some(tokens) = &self.0 {
            let mut tokens = crate::lock::lock(tokens);
            let refund = if retries_cost == 0 { 1 } else { retries_cost };
            tokens.left = tokens.left.saturating_add(refund).min(tokens.capacity);
        }
    }
}
