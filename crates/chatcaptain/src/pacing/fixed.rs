//! The fixed pace a user may set (`max_requests_per_second`): requests leave at most that often.

use std::ops::RangeInclusive;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::lock::lock;

/// The rates [`ClientBuilder::max_requests_per_second`](crate::ClientBuilder::max_requests_per_second)
/// accepts, in requests per second: from one request every 1,000 seconds to a million a second.
/// Outside it (zero, negative, NaN, infinite, `1e-300`), [`build`](crate::ClientBuilder::build)
/// fails with [`Error::Config`](crate::Error::Config).
pub const MAX_REQUESTS_PER_SECOND: RangeInclusive<f64> = 0.001..=1_000_000.0;

/// One slot every `every`; `next` is the first free one.
#[derive(Debug)]
pub(crate) struct FixedPace(Mutex<Slots>);

#[derive(Debug)]
struct Slots {
    every: Duration,
    next: Instant,
}

impl FixedPace {
    /// A pace of `per_second` requests a second (checked against [`MAX_REQUESTS_PER_SECOND`] by
    /// the builder).
    pub(crate) fn new(per_second: f64) -> Self {
        FixedPace(Mutex::new(Slots {
            every: Duration::from_secs_f64(1.0 / per_second),
            next: Instant::now(),
        }))
    }

    /// Waits for the next free slot, and takes it.
    pub(crate) async fn slot(&self) {
        let slot = {
            let mut slots = lock(&self.0);
            let slot = slots.next.max(Instant::now());
            slots.next = slot + slots.every;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }
}
