//! How many attempts a call may take and how long to wait between them: aws-sdk-rust's standard
//! mode, exponential backoff with full jitter.

use std::time::Duration;

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

impl RetryPolicy {
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

#[cfg(test)]
mod tests {
    use super::*;

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
