//! Fault injection: which requests misbehave, and how.
//!
//! Each fault counts the requests on its own [`Route`] (1 for the first one it sees), and a schedule
//! ([`Fault::nth`], [`Fault::times`], [`Fault::every`], [`Fault::between`], [`Fault::from_nth`],
//! [`Fault::with_probability`]) decides from that count alone, so a test that sends the same requests
//! in the same order always meets the same faults.

use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::Route;

/// How a faulty request misbehaves.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Wait this long before handling the request (combines with any other fault).
    Latency(Duration),
    /// Answer this status with an `ErrorResponse` body, without touching the data.
    Status(u16),
    /// Answer 429 with an `ErrorResponse` body and, if given, `Retry-After: <seconds>`.
    RateLimited {
        /// The `Retry-After` value in seconds; `None` sends no header.
        retry_after_secs: Option<u64>,
    },
    /// Handle the request (the data changes), then send the headers and half the body and close the
    /// connection.
    DropConnection,
    /// Handle the request, then send its status with only the first half of the JSON body, properly
    /// framed (the `Content-Length` matches what is sent).
    TruncatedJson,
    /// Handle the request, then send its status with a body that is not JSON at all (an HTML error
    /// page, as a misbehaving proxy sends), labelled `application/json`.
    MalformedJson,
}

/// Which of the requests a fault counts it acts on.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Schedule {
    /// Every request.
    Always,
    /// Only the nth request (1-based).
    Nth(u64),
    /// The first n requests.
    Times(u64),
    /// Every nth request: n, 2n, 3n...
    Every(u64),
    /// Requests number `from` to `to`, both included.
    Between(u64, u64),
    /// Each request with probability `p`, drawn from a generator seeded with `seed`.
    Probability {
        /// Chance in `0.0..=1.0`.
        p: f64,
        /// Seed of the draws; the same seed gives the same faulty requests.
        seed: u64,
    },
}

/// A fault to inject: what goes wrong ([`FaultKind`]), on which [`Route`], for which requests.
///
/// ```
/// use std::time::Duration;
/// use chatcaptain_fake::{Fault, Route};
///
/// let faults = [
///     Fault::status(503).on(Route::ListContacts).nth(2),
///     Fault::rate_limited(1).on(Route::Any).times(3),
///     Fault::latency(Duration::from_millis(20)).on(Route::ListContacts),
///     Fault::drop_connection().on(Route::SearchContacts).every(5),
///     Fault::truncated_json().on(Route::ListContacts).with_probability(0.1, 42),
/// ];
/// # let _ = faults;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    kind: FaultKind,
    route: Route,
    schedule: Schedule,
}

impl Fault {
    /// A fault of `kind` on every request of every route; narrow it with the methods below.
    pub fn new(kind: FaultKind) -> Self {
        Fault {
            kind,
            route: Route::Any,
            schedule: Schedule::Always,
        }
    }

    /// Delay the response by `delay`.
    pub fn latency(delay: Duration) -> Self {
        Self::new(FaultKind::Latency(delay))
    }

    /// Answer `status` (e.g. 500 or 503) with an `ErrorResponse` body.
    pub fn status(status: u16) -> Self {
        Self::new(FaultKind::Status(status))
    }

    /// Answer 429 with `Retry-After: <retry_after_secs>`.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(FaultKind::RateLimited {
            retry_after_secs: Some(retry_after_secs),
        })
    }

    /// Answer 429 without a `Retry-After` header.
    pub fn rate_limited_without_retry_after() -> Self {
        Self::new(FaultKind::RateLimited {
            retry_after_secs: None,
        })
    }

    /// Close the connection halfway through the response body.
    pub fn drop_connection() -> Self {
        Self::new(FaultKind::DropConnection)
    }

    /// Send only the first half of the JSON body.
    pub fn truncated_json() -> Self {
        Self::new(FaultKind::TruncatedJson)
    }

    /// Send a body that is not JSON.
    pub fn malformed_json() -> Self {
        Self::new(FaultKind::MalformedJson)
    }

    /// Aim the fault at one route (the default is [`Route::Any`]); only its requests are counted.
    pub fn on(mut self, route: Route) -> Self {
        self.route = route;
        self
    }

    /// Act on the nth request of the route only (1-based).
    pub fn nth(self, n: u64) -> Self {
        self.schedule(Schedule::Nth(n))
    }

    /// Act on the first `n` requests of the route.
    pub fn times(self, n: u64) -> Self {
        self.schedule(Schedule::Times(n))
    }

    /// Act on every nth request of the route (n, 2n, 3n...).
    pub fn every(self, n: u64) -> Self {
        self.schedule(Schedule::Every(n))
    }

    /// Act on requests number `from` to `to` of the route, both included (1-based).
    pub fn between(self, from: u64, to: u64) -> Self {
        self.schedule(Schedule::Between(from, to))
    }

    /// Act on request number `n` of the route and every one after it.
    pub fn from_nth(self, n: u64) -> Self {
        self.schedule(Schedule::Between(n, u64::MAX))
    }

    /// Act on each request with probability `p`, drawn from a generator seeded with `seed`.
    pub fn with_probability(self, p: f64, seed: u64) -> Self {
        self.schedule(Schedule::Probability { p, seed })
    }

    /// Act on every request of the route (the default).
    pub fn always(self) -> Self {
        self.schedule(Schedule::Always)
    }

    /// Replace the schedule; the last schedule set wins.
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// What goes wrong.
    pub fn kind(&self) -> &FaultKind {
        &self.kind
    }

    /// The route the fault is aimed at.
    pub fn route(&self) -> Route {
        self.route
    }
}

/// A fault installed on a server, with its own request count.
#[derive(Debug)]
pub(crate) struct Installed {
    fault: Fault,
    seen: u64,
    draws: Option<StdRng>,
}

impl Installed {
    pub(crate) fn new(fault: Fault) -> Self {
        let draws = match fault.schedule {
            Schedule::Probability { seed, .. } => Some(StdRng::seed_from_u64(seed)),
            _ => None,
        };
        Installed {
            fault,
            seen: 0,
            draws,
        }
    }

    /// Counts a request addressed to `route` and says whether this fault acts on it.
    fn fires(&mut self, route: Option<Route>) -> bool {
        if !self.fault.route.covers(route) {
            return false;
        }
        self.seen += 1;
        let n = self.seen;
        match self.fault.schedule {
            Schedule::Always => true,
            Schedule::Nth(k) => n == k,
            Schedule::Times(k) => n <= k,
            Schedule::Every(k) => k > 0 && n.is_multiple_of(k),
            Schedule::Between(from, to) => (from..=to).contains(&n),
            Schedule::Probability { p, .. } => {
                // Draw for every counted request, fired or not, so the sequence depends on the count only.
                let draw: f64 = self.draws.as_mut().map_or(1.0, |rng| rng.random());
                draw < p
            }
        }
    }
}

/// What the faults decided for one request.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Decision {
    /// Total delay of every latency fault that fired.
    pub(crate) delay: Duration,
    /// The first non-latency fault that fired, in installation order.
    pub(crate) failure: Option<FaultKind>,
}

/// Counts the request on every installed fault and decides what happens to it.
pub(crate) fn decide(installed: &mut [Installed], route: Option<Route>) -> Decision {
    let mut decision = Decision::default();
    for fault in installed.iter_mut() {
        if !fault.fires(route) {
            continue;
        }
        match &fault.fault.kind {
            FaultKind::Latency(delay) => decision.delay += *delay,
            other if decision.failure.is_none() => decision.failure = Some(other.clone()),
            _ => {}
        }
    }
    decision
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fired(fault: Fault, routes: &[Route]) -> Vec<bool> {
        let mut installed = [Installed::new(fault)];
        routes
            .iter()
            .map(|r| decide(&mut installed, Some(*r)).failure.is_some())
            .collect()
    }

    #[test]
    fn nth_counts_only_requests_on_its_route() {
        use Route::{GetContact as G, ListContacts as L};
        let fault = Fault::status(503).on(L).nth(2);
        assert_eq!(
            fired(fault, &[G, L, G, L, L]),
            [false, false, false, true, false]
        );
    }

    #[test]
    fn times_every_and_between_follow_the_count() {
        let r = [Route::GetContact; 6];
        assert_eq!(
            fired(Fault::status(500).times(2), &r),
            [true, true, false, false, false, false]
        );
        assert_eq!(
            fired(Fault::status(500).every(3), &r),
            [false, false, true, false, false, true]
        );
        assert_eq!(
            fired(Fault::status(500).between(2, 3), &r),
            [false, true, true, false, false, false]
        );
        assert_eq!(
            fired(Fault::status(500).from_nth(5), &r),
            [false, false, false, false, true, true]
        );
    }

    #[test]
    fn seeded_probability_repeats_exactly() {
        let r = [Route::ListContacts; 64];
        let a = fired(Fault::status(500).with_probability(0.5, 7), &r);
        assert_eq!(a, fired(Fault::status(500).with_probability(0.5, 7), &r));
        assert!(a.contains(&true) && a.contains(&false));
    }

    #[test]
    fn latencies_add_up_and_the_first_failure_wins() {
        let mut installed = [
            Fault::latency(Duration::from_millis(5)),
            Fault::status(500),
            Fault::latency(Duration::from_millis(7)),
            Fault::status(503),
        ]
        .map(Installed::new);
        let decision = decide(&mut installed, Some(Route::GetContact));
        assert_eq!(decision.delay, Duration::from_millis(12));
        assert_eq!(decision.failure, Some(FaultKind::Status(500)));
    }
}
