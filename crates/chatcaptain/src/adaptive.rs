//! A pace learned from the server's 429s, after aws-sdk-rust's adaptive retry mode (CUBIC, as TCP
//! uses it for its window, applied to a request rate).
//!
//! Until the first 429 the client is not paced at all. A 429 shows the client sends faster than
//! the server grants: the pace drops to [`BETA`] of the rate it was sending at, then grows back
//! along a cubic curve, fast at first, flat around the rate that was refused (where it spends
//! most of its time), and faster again beyond it, in case the server's limit went up. Another
//! 429 cuts it again. Only a request sent after the last cut can cause the next one: the others
//! were already on their way at the old rate.

use std::time::Duration;

use tokio::time::Instant;

/// The share of the refused rate the pace drops to (aws-sdk-rust's choice is 0.7; a limit that
/// answers each 429 with a whole-second `Retry-After` makes every cut costly, so this one cuts
/// less deeply and spends longer near the limit).
const BETA: f64 = 0.8;
/// How steeply the cubic grows (requests/s per s³), as aws-sdk-rust has it.
const SCALE: f64 = 0.4;
/// Never slower than this many requests per second.
const MIN_RATE: f64 = 0.5;
/// The rate the server granted is the answers of the last second, counted in slots this long.
const SLOT: Duration = Duration::from_millis(50);
const SLOTS: usize = 20;

#[derive(Debug)]
pub(crate) struct Adaptive {
    /// Answers (other than 429) in each slot of the last second, a ring indexed by slot number.
    granted: [u32; SLOTS],
    /// The slot number of the newest count, counted from `epoch`.
    newest: u64,
    epoch: Instant,
    /// The learned pace; `None` until the first 429.
    cubic: Option<Cubic>,
    /// The slot of the next request when paced.
    next: Instant,
}

#[derive(Debug, Clone, Copy)]
struct Cubic {
    /// The rate that was refused.
    refused: f64,
    /// When it was refused (every request sent before that was sent at the old pace).
    at: Instant,
    /// Seconds after `at` at which the curve is back at `refused`.
    k: f64,
    /// The pace now.
    rate: f64,
}

impl Adaptive {
    pub(crate) fn new(now: Instant) -> Self {
        Adaptive {
            granted: [0; SLOTS],
            newest: 0,
            epoch: now,
            cubic: None,
            next: now,
        }
    }

    /// Takes the slot of one request: when it may leave (`None`: now, not paced).
    pub(crate) fn slot(&mut self, now: Instant) -> Option<Instant> {
        let rate = self.cubic?.rate;
        let slot = self.next.max(now);
        self.next = slot + Duration::from_secs_f64(1.0 / rate);
        Some(slot)
    }

    /// A request sent at `sent` was answered 429 at `now`.
    ///
    /// What the server grants is taken as the answers of the last second: it counts a burst a
    /// rate limit allows as part of that second, not as a rate (a limiter that let 100 through
    /// in 50 ms and then refused is granting about 100 a second, not 2,000).
    pub(crate) fn throttled(&mut self, sent: Instant, now: Instant) {
        if self.cubic.is_some_and(|c| sent < c.at) {
            return; // sent at the pace the last cut already corrected
        }
        self.roll(now);
        let granted = f64::from(self.granted.iter().sum::<u32>());
        // Refused at a pace already cut: the pace was still too fast, whatever the last second
        // granted at the pace before.
        let refused = self
            .cubic
            .map_or(granted, |c| c.rate.min(granted))
            .max(MIN_RATE);
        self.cubic = Some(Cubic {
            refused,
            at: now,
            k: (refused * (1.0 - BETA) / SCALE).cbrt(),
            rate: (refused * BETA).max(MIN_RATE),
        });
        // Slots reserved at the old pace are given up.
        self.next = self.next.min(now);
    }

    /// A request was answered (not 429): counted, and the pace grows along its curve.
    pub(crate) fn answered(&mut self, now: Instant) {
        self.roll(now);
        self.granted[(self.newest % SLOTS as u64) as usize] += 1;
        if let Some(c) = &mut self.cubic {
            let t = now.duration_since(c.at).as_secs_f64() - c.k;
            c.rate = (SCALE * t * t * t + c.refused).max(MIN_RATE);
        }
    }

    /// The learned pace, requests per second (`None` before any 429).
    #[cfg(test)]
    fn rate(&self) -> Option<f64> {
        self.cubic.map(|c| c.rate)
    }

    /// Moves the ring to the slot of `now`, emptying the slots that fell out of the second.
    fn roll(&mut self, now: Instant) {
        let current = (now.duration_since(self.epoch).as_nanos() / SLOT.as_nanos()) as u64;
        let stale = current.saturating_sub(self.newest).min(SLOTS as u64);
        for i in 1..=stale {
            self.granted[((self.newest + i) % SLOTS as u64) as usize] = 0;
        }
        self.newest = self.newest.max(current);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `per_second` answers a second for `seconds`; returns when that ends.
    fn granted(a: &mut Adaptive, start: Instant, per_second: u32, seconds: u32) -> Instant {
        let every = Duration::from_secs(1) / per_second;
        let mut now = start;
        for _ in 0..per_second * seconds {
            a.answered(now);
            now += every;
        }
        now
    }

    #[test]
    fn not_paced_before_a_429() {
        let now = Instant::now();
        let mut a = Adaptive::new(now);
        assert_eq!(a.slot(now), None);
        assert_eq!(a.rate(), None);
    }

    #[test]
    fn a_429_cuts_the_pace_below_the_granted_rate_and_it_grows_back_past_it() {
        let start = Instant::now();
        let mut a = Adaptive::new(start);
        let now = granted(&mut a, start, 200, 3);
        a.throttled(now, now);
        let cut = a.rate().unwrap();
        assert!((150.0..170.0).contains(&cut), "cut to {cut}");
        // Back at the refused rate after k = cbrt(refused * (1 - BETA) / SCALE) seconds.
        let refused = cut / BETA;
        let k = (refused * (1.0 - BETA) / SCALE).cbrt();
        a.answered(now + Duration::from_secs_f64(k / 2.0));
        let early = a.rate().unwrap();
        assert!(early > cut && early < refused, "{early}");
        a.answered(now + Duration::from_secs_f64(k));
        assert!((a.rate().unwrap() - refused).abs() < 1.0);
        a.answered(now + Duration::from_secs(10));
        assert!(a.rate().unwrap() > 250.0);
    }

    #[test]
    fn a_429_for_a_request_sent_before_the_last_cut_does_not_cut_again() {
        let start = Instant::now();
        let mut a = Adaptive::new(start);
        let now = granted(&mut a, start, 100, 2);
        a.throttled(now, now);
        let cut = a.rate();
        a.throttled(
            now - Duration::from_millis(10),
            now + Duration::from_millis(5),
        );
        assert_eq!(a.rate(), cut);
        a.throttled(
            now + Duration::from_millis(1),
            now + Duration::from_millis(6),
        );
        assert!(a.rate() < cut);
    }

    #[test]
    fn a_burst_counts_as_the_second_it_came_in() {
        let start = Instant::now();
        let mut a = Adaptive::new(start);
        for i in 0..100 {
            a.answered(start + Duration::from_micros(500 * i));
        }
        let now = start + Duration::from_millis(60);
        a.throttled(now, now);
        assert_eq!(a.rate(), Some(80.0));
    }

    #[test]
    fn answers_older_than_a_second_do_not_count() {
        let start = Instant::now();
        let mut a = Adaptive::new(start);
        let now = granted(&mut a, start, 100, 3);
        let later = now + Duration::from_millis(1500);
        a.answered(later);
        a.throttled(later, later);
        assert_eq!(a.rate(), Some(MIN_RATE.max(0.8)));
    }

    #[test]
    fn paced_slots_are_spaced_by_the_rate() {
        let start = Instant::now();
        let mut a = Adaptive::new(start);
        let now = granted(&mut a, start, 10, 2);
        a.throttled(now, now);
        let rate = a.rate().unwrap();
        let first = a.slot(now).unwrap();
        let second = a.slot(now).unwrap();
        let gap = second.duration_since(first).as_secs_f64();
        assert!((gap - 1.0 / rate).abs() < 1e-6);
    }
}
