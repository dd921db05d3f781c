//! The hold a server's `Retry-After` puts on the whole client: once any call is told to wait, no
//! request through the client (or its clones) leaves before the time has passed, so the others
//! do not keep sending into a rate limit.

use std::sync::Mutex;

use tokio::time::Instant;

use crate::lock::lock;

/// Until when no request may leave; `None` while nothing holds the client.
#[derive(Debug, Default)]
pub(crate) struct Hold(Mutex<Option<Instant>>);

impl Hold {
    /// Waits out the hold, if any (one that grows meanwhile included).
    pub(crate) async fn wait(&self) {
        loop {
            let until = *lock(&self.0);
            match until {
                Some(until) if until > Instant::now() => tokio::time::sleep_until(until).await,
                _ => return,
            }
        }
    }

    /// Whether no hold runs now.
    pub(crate) fn ended(&self) -> bool {
        lock(&self.0).is_none_or(|until| until <= Instant::now())
    }

    /// Holds the client until `until`, unless it is held longer already.
    pub(crate) fn extend(&self, until: Instant) {
        let mut hold = lock(&self.0);
        if hold.is_none_or(|h| h < until) {
            *hold = Some(until);
        }
    }
}
