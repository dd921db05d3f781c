//! A rate limit the fake enforces, as a real API would: a token bucket of `per_second` tokens
//! (one second's worth of burst), refilled continuously; a request finding it empty is answered
//! 429 with `Retry-After` in whole seconds. The bucket starts full, or empty (a limit another
//! program sharing the key has just used up).
//!
//! It also keeps score of the client: a request that arrives while a `Retry-After` it was given
//! is still running is counted as early (after a grace of [`IN_FLIGHT`] for requests that were
//! already on their way when the 429 left).

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Requests arriving this soon after a 429 was answered left before the client could read it.
const IN_FLIGHT: Duration = Duration::from_millis(10);

pub(crate) struct Limiter {
    per_second: f64,
    state: Mutex<State>,
}

struct State {
    tokens: f64,
    at: Instant,
    refused: u64,
    early: u64,
    /// The running hold: when its first 429 was answered and until when the 429s asked the
    /// client to wait.
    told: Option<(Instant, Instant)>,
}

impl Limiter {
    /// A limit of `per_second`, its bucket full, or empty when `exhausted`.
    pub(crate) fn new(per_second: f64, exhausted: bool) -> Self {
        Limiter {
            per_second,
            state: Mutex::new(State {
                tokens: if exhausted { 0.0 } else { per_second },
                at: Instant::now(),
                refused: 0,
                early: 0,
                told: None,
            }),
        }
    }

    /// Takes a token; `Err(seconds)` to wait when there is none.
    pub(crate) fn take(&self) -> Result<(), u64> {
        let mut state = self.lock();
        let now = Instant::now();
        if let Some((answered, until)) = state.told
            && now >= answered + IN_FLIGHT
            && now < until
        {
            state.early += 1;
        }
        state.tokens = (state.tokens
            + now.duration_since(state.at).as_secs_f64() * self.per_second)
            .min(self.per_second.max(1.0));
        state.at = now;
        if state.tokens >= 1.0 {
            state.tokens -= 1.0;
            return Ok(());
        }
        state.refused += 1;
        let wait = ((1.0 - state.tokens) / self.per_second).ceil().max(1.0) as u64;
        // A 429 inside a running hold extends it but keeps its start: requests sent after the
        // first 429 of the hold was read are early whatever came after it.
        let until = now + Duration::from_secs(wait);
        state.told = match state.told {
            Some((answered, running)) if now < running => Some((answered, running.max(until))),
            _ => Some((now, until)),
        };
        Err(wait)
    }

    pub(crate) fn refused(&self) -> u64 {
        self.lock().refused
    }

    pub(crate) fn early(&self) -> u64 {
        self.lock().early
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}
