//! Adaptive pacing against the fake's rate limit: the pace the client learns from a 429 follows
//! what the server grants, never what happened to be granted in a moment with no evidence.

use crate::common;

use chatcaptain::Client;
use chatcaptain_fake::FakeServer;
use common::fake::builder_for;
use common::traced::Events;

use crate::budget::concurrent_gets;

/// The paces the client set after 429s, in requests per second, in order.
fn paces(events: &Events) -> Vec<f64> {
    events
        .with_message("pacing ChatCaptain requests after a 429")
        .iter()
        .map(|event| event["rate"].parse().unwrap())
        .collect()
}

/// A fake holding `c1` whose limit of `per_second` is used up when it starts.
async fn exhausted(per_second: f64) -> FakeServer {
    common::fake::holding_c1()
        .rate_limit_exhausted(per_second)
        .start()
        .await
}

fn adaptive(server: &FakeServer) -> Client {
    builder_for(server)
        .retry_mode(chatcaptain::RetryMode::Adaptive)
        .max_attempts(10)
        .retry_quota(None)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_limit_used_up_before_the_first_request_does_not_pace_the_client_below_it() {
    let (events, _guard) = Events::capture();
    let server = exhausted(20.0).await;
    let client = adaptive(&server);
    // All 40 are refused at first (nothing granted: no evidence of the server's rate); after the
    // Retry-After the bucket holds 20 and refuses the other 20, which teaches the pace.
    concurrent_gets(&client, 40).await;
    let paces = paces(&events);
    let learned = *paces
        .last()
        .expect("a 429 after some were granted sets a pace");
    assert!(
        (10.0..=20.0).contains(&learned),
        "paced at {learned}/s against a limit of 20/s (paces set: {paces:?})"
    );
    assert!(paces.iter().all(|&rate| rate >= 1.0), "{paces:?}");
}
