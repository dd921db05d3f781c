//! A pace learned from the server's 429s, after aws-sdk-rust's adaptive retry mode (CUBIC, as TCP
//! uses it for its window, applied to a request rate).
//!
//! Until the first 429 the client is not paced at all. A 429 shows the client sends faster than
//! the server grants: the pace drops to [`BETA`] of the rate the server granted over the last
//! second, then grows back along a cubic curve, fast at first, flat around the rate that was
//! refused (where it spends most of its time), and faster again beyond it, in case the server's
//! limit went up. Another 429 cuts it again. Only a request sent after the last cut can cause the
//! next one: the others were already on their way at the old pace, and their answers (429 or
//! not) only complete the count the cut was made from.
//!
//! What a second granted is evidence of the server's rate only when the client asked for that
//! whole second, or waited out a `Retry-After` within it (the server's bucket refilled meanwhile).
//! A 429 in the first moments of a burst says nothing of the rate: another program may have used
//! up the limit. Learning from it would pace the client at next to nothing (the 429 was answered
//! before anything was granted), so it is left to the `Retry-After` it carries.
//!
//! The pace is a bucket of its own, as aws-sdk-rust's client rate limiter is: it refills at the
//! learned rate and holds at most one second's worth, so the requests queued behind a
//! `Retry-After` leave together when it ends, as the server's own bucket has refilled too. A
//! request waiting for the bucket looks again when the pace rises: it does not keep a slot
//! computed at a lower pace.

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
const WINDOW: Duration = Duration::from_secs(1);
/// Waiting requests are woken to look again when the pace rose by this factor since they last
/// looked (looking on every answer would wake each of them hundreds of times a second).
const WAKE_ON_RISE: f64 = 1.1;

#[derive(Debug)]
pub(crate) struct Adaptive {
    /// Answers (other than 429) in each slot of the last second, a ring indexed by slot number.
    granted: [u32; SLOTS],
    /// The slot number of the newest count, counted from `epoch`.
    newest: u64,
    epoch: Instant,
    /// The learned pace; `None` until a 429 that taught one.
    cubic: Option<Cubic>,
    /// The pace's bucket: requests that may leave now, as of `counted`.
    tokens: f64,
    counted: Instant,
    /// Since when the client has been sending without a break of more than a second.
    active_since: Instant,
    /// The last request that left.
    last_sent: Option<Instant>,
    /// The end of the latest `Retry-After` the client was held for.
    held_until: Option<Instant>,
    /// The pace waiting requests computed their wait with.
    seen_rate: f64,
}

#[derive(Debug, Clone, Copy)]
struct Cubic {
    /// The rate that was refused.
    refused: f64,
    /// The most the count of the cut's own batch may raise `refused` to: the pace before the cut.
    cap: f64,
    /// When it was refused (every request sent before that was sent at the old pace).
    at: Instant,
    /// Seconds after `at` at which the curve is back at `refused`.
    k: f64,
    /// The pace now.
    rate: f64,
}

impl Cubic {
    fn new(refused: f64, cap: f64, at: Instant) -> Self {
        let refused = refused.max(MIN_RATE);
        Cubic {
            refused,
            cap,
            at,
            k: (refused * (1.0 - BETA) / SCALE).cbrt(),
            rate: (refused * BETA).max(MIN_RATE),
        }
    }

    /// The pace along the curve at `now`.
    fn at_time(&self, now: Instant) -> f64 {
        let t = now.saturating_duration_since(self.at).as_secs_f64() - self.k;
        (SCALE * t * t * t + self.refused).max(MIN_RATE)
    }
}

impl Adaptive {
    pub(crate) fn new(now: Instant) -> Self {
        Adaptive {
            granted: [0; SLOTS],
            newest: 0,
            epoch: now,
            cubic: None,
            tokens: 0.0,
            counted: now,
            active_since: now,
            last_sent: None,
            held_until: None,
            seen_rate: 0.0,
        }
    }

    /// A request would leave at `now`: `Ok` when it may (it is then counted as sent), else when
    /// to look again (sooner if [`answered`](Self::answered) says the pace rose).
    pub(crate) fn depart(&mut self, now: Instant) -> Result<(), Instant> {
        if let Some(rate) = self.rate() {
            self.refill(now);
            self.seen_rate = rate;
            if self.tokens < 1.0 {
                // At most 1 / MIN_RATE seconds: no overflow.
                return Err(now + Duration::from_secs_f64((1.0 - self.tokens) / rate));
            }
            self.tokens -= 1.0;
        }
        let quiet_since = self.last_sent.max(self.held_until);
        if quiet_since.is_none_or(|q| now.saturating_duration_since(q) > WINDOW) {
            self.active_since = now;
        }
        self.last_sent = Some(now);
        Ok(())
    }

    /// The client is held by a `Retry-After` until `until`.
    pub(crate) fn held(&mut self, until: Instant) {
        self.held_until = self.held_until.max(Some(until));
    }

    /// A request sent at `sent` was answered 429 at `now`.
    ///
    /// What the server grants is taken as the answers of the last second: it counts a burst a
    /// rate limit allows as part of that second, not as a rate (a limiter that let 100 through
    /// in 50 ms and then refused is granting about 100 a second, not 2,000).
    pub(crate) fn throttled(&mut self, sent: Instant, now: Instant) {
        self.roll(now);
        let granted = self.granted_count();
        if self.cubic.is_some_and(|c| sent < c.at) {
            // Sent at the pace the last cut already corrected; its batch's count is now fuller.
            self.refine(granted, now);
            return;
        }
        if !self.evidence(now) {
            return;
        }
        let (refused, cap) = match self.cubic {
            // Nothing granted: the limit was used up, by whom and for how long the
            // `Retry-After` says; it is no rate to pace at.
            None if granted == 0.0 => return,
            None => (granted, f64::INFINITY),
            // Refused at a pace already cut: that pace was still too fast. A second without
            // any grant (all of it waited out) does not say by how much: cut it by BETA.
            Some(c) if granted == 0.0 => (c.rate, c.rate),
            Some(c) => (c.rate.min(granted), c.rate),
        };
        let cubic = Cubic::new(refused, cap, now);
        self.cubic = Some(cubic);
        // What the bucket held was for the old pace.
        self.tokens = 0.0;
        self.counted = now;
        tracing::debug!(
            rate = cubic.rate,
            granted,
            "pacing ChatCaptain requests after a 429"
        );
    }

    /// A request sent at `sent` was answered (not 429) at `now`: counted, and the pace grows
    /// along its curve. Returns whether requests waiting for the pace should look again.
    pub(crate) fn answered(&mut self, sent: Instant, now: Instant) -> bool {
        self.roll(now);
        self.granted[(self.newest % SLOTS as u64) as usize] += 1;
        let Some(c) = self.cubic else {
            return false;
        };
        self.refill(now);
        if sent < c.at {
            self.refine(self.granted_count(), now);
        }
        let Some(c) = &mut self.cubic else {
            return false;
        };
        c.rate = c.at_time(now);
        let rose = c.rate > self.seen_rate * WAKE_ON_RISE;
        if rose {
            self.seen_rate = c.rate;
        }
        rose
    }

    /// The learned pace, requests per second (`None` before a 429 taught one).
    pub(crate) fn rate(&self) -> Option<f64> {
        self.cubic.map(|c| c.rate)
    }

    /// Whether the last second's count says what the server grants: the client asked for all
    /// of it, or waited out a `Retry-After` in it (the server's bucket refilled meanwhile).
    fn evidence(&self, now: Instant) -> bool {
        now.saturating_duration_since(self.active_since) >= WINDOW
            || self
                .held_until
                .is_some_and(|h| h > self.active_since && h <= now)
    }

    /// The answers of the cut's own batch keep arriving after it (the 429 that caused it can
    /// come before the grants sent with it are counted): the rate it was cut from rises with
    /// their count, up to the pace before the cut.
    fn refine(&mut self, granted: f64, now: Instant) {
        let Some(c) = self.cubic else {
            return;
        };
        let count = granted.min(c.cap);
        if count <= c.refused {
            return;
        }
        self.refill(now);
        let mut refined = Cubic::new(count, c.cap, c.at);
        refined.rate = refined.at_time(now).max(c.rate);
        self.cubic = Some(refined);
        tracing::debug!(
            rate = refined.rate,
            granted,
            "pacing ChatCaptain requests after a 429"
        );
    }

    /// Adds what the pace gave since the last count; the bucket holds one second's worth.
    fn refill(&mut self, now: Instant) {
        let Some(rate) = self.rate() else {
            return;
        };
        let elapsed = now.saturating_duration_since(self.counted).as_secs_f64();
        self.tokens = (self.tokens + elapsed * rate).min(rate.max(1.0));
        self.counted = self.counted.max(now);
    }

    fn granted_count(&self) -> f64 {
        f64::from(self.granted.iter().sum::<u32>())
    }

    /// Moves the ring to the slot of `now`, emptying the slots that fell out of the second.
    fn roll(&mut self, now: Instant) {
        let current =
            (now.saturating_duration_since(self.epoch).as_nanos() / SLOT.as_nanos()) as u64;
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

    const MS: Duration = Duration::from_millis(1);

    /// `per_second` answers a second for `seconds`; returns when that ends.
    fn granted(a: &mut Adaptive, start: Instant, per_second: u32, seconds: u32) -> Instant {
        let every = Duration::from_secs(1) / per_second;
        let mut now = start;
        for _ in 0..per_second * seconds {
            a.answered(now, now);
            now += every;
        }
        now
    }

    /// A pace that granted `per_second` answers a second for `seconds`, then met a 429: the
    /// pace, the instant of the 429, and the rate the 429 cut it to.
    fn cut_after(per_second: u32, seconds: u32) -> (Adaptive, Instant, f64) {
        let start = Instant::now();
        let mut a = Adaptive::new(start);
        let now = granted(&mut a, start, per_second, seconds);
        a.throttled(now, now);
        let cut = a.rate().unwrap();
        (a, now, cut)
    }

    /// `n` requests leave at `now` (not paced yet).
    fn send(a: &mut Adaptive, now: Instant, n: usize) {
        for _ in 0..n {
            a.depart(now).unwrap();
        }
    }

    /// How many requests may leave at `now`, one after the other (when paced).
    fn leave_at_once(a: &mut Adaptive, now: Instant) -> usize {
        (0..).take_while(|_| a.depart(now).is_ok()).count()
    }

    #[test]
    fn not_paced_before_a_429() {
        let now = Instant::now();
        let mut a = Adaptive::new(now);
        assert_eq!(a.depart(now), Ok(()));
        assert_eq!(a.rate(), None);
    }

    #[test]
    fn a_429_cuts_the_pace_below_the_granted_rate_and_it_grows_back_past_it() {
        let (mut a, now, cut) = cut_after(200, 3);
        assert!((150.0..170.0).contains(&cut), "cut to {cut}");
        // Back at the refused rate after k = cbrt(refused * (1 - BETA) / SCALE) seconds.
        let refused = cut / BETA;
        let k = (refused * (1.0 - BETA) / SCALE).cbrt();
        let half_k = now + Duration::from_secs_f64(k / 2.0);
        a.answered(half_k, half_k);
        let early = a.rate().unwrap();
        assert!(early > cut && early < refused, "{early}");
        let at_k = now + Duration::from_secs_f64(k);
        a.answered(at_k, at_k);
        assert!((a.rate().unwrap() - refused).abs() < 1.0);
        let later = now + Duration::from_secs(10);
        a.answered(later, later);
        assert!(a.rate().unwrap() > 250.0);
    }

    #[test]
    fn a_429_for_a_request_sent_before_the_last_cut_does_not_cut_again() {
        let (mut a, now, cut) = cut_after(100, 2);
        a.throttled(now - 10 * MS, now + 5 * MS);
        assert_eq!(a.rate(), Some(cut));
        a.throttled(now + MS, now + 6 * MS);
        assert!(a.rate().unwrap() < cut);
    }

    #[test]
    fn a_burst_after_a_retry_after_counts_as_the_second_it_came_in() {
        let start = Instant::now();
        let mut a = Adaptive::new(start - Duration::from_secs(1));
        a.held(start);
        for i in 0..100 {
            let at = start + Duration::from_micros(500 * i);
            a.answered(at, at);
        }
        let now = start + 60 * MS;
        a.throttled(now, now);
        assert_eq!(a.rate(), Some(80.0));
    }

    #[test]
    fn answers_older_than_a_second_do_not_count() {
        let start = Instant::now();
        let mut a = Adaptive::new(start);
        let now = granted(&mut a, start, 100, 3);
        let later = now + Duration::from_millis(1500);
        a.answered(later, later);
        a.throttled(later, later);
        assert_eq!(a.rate(), Some(MIN_RATE.max(0.8)));
    }

    #[test]
    fn a_429_before_anything_was_granted_teaches_no_pace() {
        // The limit was used up before the client started (another program sharing the key).
        let start = Instant::now();
        let mut a = Adaptive::new(start);
        send(&mut a, start, 32);
        for _ in 0..32 {
            a.throttled(start, start + 5 * MS);
        }
        assert_eq!(a.rate(), None);
        // And after its Retry-After too: a second that granted nothing teaches nothing.
        a.held(start + Duration::from_secs(1));
        let after = start + Duration::from_secs(1) + MS;
        a.throttled(after, after + MS);
        assert_eq!(a.rate(), None);
    }

    #[test]
    fn a_429_in_the_first_moments_of_a_burst_teaches_no_pace() {
        // Three were granted in the first 5 ms: no second's count of anything.
        let start = Instant::now();
        let mut a = Adaptive::new(start);
        for _ in 0..3 {
            a.depart(start).unwrap();
            a.answered(start, start + 5 * MS);
        }
        a.throttled(start, start + 6 * MS);
        assert_eq!(a.rate(), None);
    }

    #[test]
    fn answers_of_the_batch_a_cut_came_from_raise_the_pace_it_learned() {
        // After a Retry-After, 24 leave together; the bucket grants 20. The first 429 is read
        // when only 2 of the 20 grants are.
        let start = Instant::now();
        let mut a = Adaptive::new(start - Duration::from_secs(1));
        a.held(start);
        send(&mut a, start, 24);
        a.answered(start, start + 2 * MS);
        a.answered(start, start + 2 * MS);
        a.throttled(start, start + 3 * MS);
        assert!(a.rate().unwrap() < 2.0);
        for _ in 0..18 {
            a.answered(start, start + 4 * MS);
        }
        let rate = a.rate().unwrap();
        assert!((16.0..17.0).contains(&rate), "{rate}");
    }

    #[test]
    fn a_429_after_a_second_spent_waiting_cuts_the_pace_by_beta_not_to_the_floor() {
        let (mut a, now, paced) = cut_after(100, 2);
        // A Retry-After of 2 s: nothing was granted in the last second when the next 429 came.
        let after = now + Duration::from_secs(2);
        a.held(after);
        a.depart(after).ok();
        a.throttled(after, after + MS);
        let cut = a.rate().unwrap();
        assert!((cut - paced * BETA).abs() < 1e-9, "{paced} cut to {cut}");
    }

    #[test]
    fn after_a_cut_requests_leave_at_the_pace_and_wait_for_it() {
        let (mut a, now, rate) = cut_after(10, 2);
        let wake = a.depart(now).unwrap_err();
        let gap = wake.duration_since(now).as_secs_f64();
        assert!((gap - 1.0 / rate).abs() < 1e-6, "{gap}");
        assert_eq!(a.depart(wake), Ok(()));
        assert!(a.depart(wake).is_err());
    }

    #[test]
    fn requests_queued_behind_a_retry_after_leave_together_up_to_a_seconds_worth() {
        let (mut a, now, rate) = cut_after(20, 2);
        // Held for 2 s: the pace's bucket is full, with one second's worth, not two.
        let after = now + Duration::from_secs(2);
        assert_eq!(leave_at_once(&mut a, after), rate as usize);
    }

    #[test]
    fn a_waiting_request_looks_again_when_the_pace_rises() {
        // Cut to a low pace: the next request would wait 1.25 s.
        let start = Instant::now();
        let mut a = Adaptive::new(start);
        let now = granted(&mut a, start, 1, 3);
        a.answered(now, now);
        a.throttled(now, now);
        let wake = a.depart(now).unwrap_err();
        assert!(wake.duration_since(now) > Duration::from_secs(1));
        // Grants come in as the pace grows along its curve; the waiting request is told to look
        // again, and finds its wait shorter than the one it computed.
        let mut told = None;
        for i in 1..=50 {
            let at = now + 20 * MS * i;
            if a.answered(at, at) {
                told = Some(at);
                break;
            }
        }
        let told = told.expect("told to look again as the pace rose");
        match a.depart(told) {
            Ok(()) => {}
            Err(again) => assert!(again < wake, "{:?} later", again - wake),
        }
    }
}
