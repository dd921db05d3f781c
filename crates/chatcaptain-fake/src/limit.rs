//! A rate limit the fake enforces, as a real API would: a token bucket of `per_second` tokens
//! (one second's worth of burst), refilled continuously; a request finding it empty is answered
//! 429 with `Retry-After` in whole seconds.

use std::sync::Mutex;
use std::time::Instant;

pub(crate) struct Limiter {
    per_second: f64,
    state: Mutex<(f64, Instant)>,
    refused: Mutex<u64>,
}

impl Limiter {
    pub(crate) fn new(per_second: f64) -> Self {
        Limiter {
            per_second,
            state: Mutex::new((per_second, Instant::now())),
            refused: Mutex::new(0),
        }
    }

    /// Takes a token; `Err(seconds)` to wait when there is none.
    pub(crate) fn take(&self) -> Result<(), u64> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, at) = &mut *state;
        let now = Instant::now();
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second)
            .min(self.per_second.max(1.0));
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            return Ok(());
        }
        *self.refused.lock().unwrap_or_else(|p| p.into_inner()) += 1;
        let wait = (1.0 - *tokens) / self.per_second;
        Err(wait.ceil().max(1.0) as u64)
    }

    pub(crate) fn refused(&self) -> u64 {
        *self.refused.lock().unwrap_or_else(|p| p.into_inner())
    }
}
