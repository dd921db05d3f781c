//! One client, one budget: a `Retry-After` holds every clone, a retry quota caps the load of an
//! outage, and a pace spaces requests. Over loopback HTTP.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chatcaptain::Client;
use chatcaptain_fake::{FakeServer, Fault, Route};
use common::fake::builder_for;
use common::{BOT, contact};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Answers the first request 429 with `Retry-After: 1`, every other one with a contact; records
/// when each request arrived.
async fn rate_limiting_server() -> (MockServer, Arc<Mutex<Vec<(Instant, u16)>>>) {
    let server = MockServer::start().await;
    let log: Arc<Mutex<Vec<(Instant, u16)>>> = Arc::default();
    let seen = log.clone();
    Mock::given(method("GET"))
        .respond_with(move |_: &Request| {
            let mut seen = seen.lock().unwrap();
            let status = if seen.is_empty() { 429 } else { 200 };
            seen.push((Instant::now(), status));
            match status {
                429 => ResponseTemplate::new(429)
                    .insert_header("retry-after", "1")
                    .set_body_json(json!({ "error": "Too Many Requests" })),
                _ => ResponseTemplate::new(200)
                    .set_body_json(json!({ "contact": contact("c1", common::at(0)) })),
            }
        })
        .mount(&server)
        .await;
    (server, log)
}

/// `n` gets of one contact at once, each on a clone of `client`; every one must succeed.
pub(crate) async fn concurrent_gets(client: &Client, n: usize) {
    let calls: Vec<_> = (0..n)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.contacts(BOT).get("c1").await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
}

/// `n` gets at once, as [`concurrent_gets`], through a client for `server` paced at
/// `per_second`.
async fn paced_gets(server: &MockServer, per_second: f64, n: usize) {
    let client = common::builder(server)
        .max_requests_per_second(per_second)
        .build()
        .unwrap();
    concurrent_gets(&client, n).await;
}

/// The first request was the 429 and nothing left within its `Retry-After: 1`.
fn assert_nothing_sent_during_the_hold(log: &[(Instant, u16)]) {
    let limited = log[0].0;
    assert_eq!(log[0].1, 429);
    for (at, _) in &log[1..] {
        // The server asked for a second; the clocks are the same machine's.
        assert!(
            at.duration_since(limited) >= Duration::from_millis(900),
            "a request left {:?} after the 429",
            at.duration_since(limited)
        );
    }
}

#[tokio::test]
async fn a_retry_after_holds_every_clone_of_the_client() {
    let (events, _guard) = common::traced::Events::capture();
    let (server, log) = rate_limiting_server().await;
    let client = common::client(&server);
    let first = tokio::spawn({
        let client = client.clone();
        async move { client.contacts(BOT).get("c1").await }
    });
    // Once the first caller has read the 429 (it says it will retry), a second caller on a
    // clone starts.
    while events.retries().is_empty() {
        tokio::task::yield_now().await;
    }
    let second = client.clone().contacts(BOT).get("c1").await;
    second.unwrap();
    first.await.unwrap().unwrap();
    assert_nothing_sent_during_the_hold(&log.lock().unwrap());
}

async fn outage() -> FakeServer {
    common::fake::holding_c1()
        .fault(Fault::status(503).on(Route::GetContact))
        .start()
        .await
}

/// 4 rounds of 32 concurrent gets against a server answering 503 to everything: requests sent.
async fn requests_in_an_outage(client: &Client, server: &FakeServer) -> usize {
    for _ in 0..4 {
        let calls = (0..32).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.contacts(BOT).get("c1").await })
        });
        for call in calls.collect::<Vec<_>>() {
            assert!(call.await.unwrap().is_err());
        }
    }
    server.request_count(Route::GetContact)
}

#[tokio::test]
async fn an_empty_retry_quota_sends_about_one_request_per_call_in_an_outage() {
    let server = outage().await;
    let client = builder_for(&server).retry_quota(Some(50)).build().unwrap();
    let requests = requests_in_an_outage(&client, &server).await;
    // 50 tokens pay for 10 retries; after that every call sends its one request.
    assert!(requests <= 128 + 10, "{requests} requests for 128 calls");
    assert!(requests as f64 / 128.0 <= 1.2);

    let server = outage().await;
    let client = builder_for(&server).retry_quota(None).build().unwrap();
    let requests = requests_in_an_outage(&client, &server).await;
    assert_eq!(
        requests,
        3 * 128,
        "without a quota every call tries 3 times"
    );
}

#[tokio::test]
async fn successes_refill_the_retry_quota() {
    let server = common::fake::holding_c1()
        .fault(Fault::status(503).on(Route::GetContact).every(2))
        .start()
        .await;
    // 10 tokens: two retries' worth. Each retried call gives its 5 back on success, so every
    // call succeeds however many there are.
    let client = builder_for(&server).retry_quota(Some(10)).build().unwrap();
    for _ in 0..20 {
        client.contacts(BOT).get("c1").await.unwrap();
    }
}

#[tokio::test]
async fn max_requests_per_second_spaces_the_requests_of_every_clone() {
    let (server, log) = {
        let server = MockServer::start().await;
        let log: Arc<Mutex<Vec<Instant>>> = Arc::default();
        let seen = log.clone();
        Mock::given(method("GET"))
            .respond_with(move |_: &Request| {
                seen.lock().unwrap().push(Instant::now());
                ResponseTemplate::new(200)
                    .set_body_json(json!({ "contact": contact("c1", common::at(0)) }))
            })
            .mount(&server)
            .await;
        (server, log)
    };
    let started = Instant::now();
    paced_gets(&server, 50.0, 10).await;
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 10);
    // Ten requests at 50 per second: nine gaps of 20 ms, so the last leaves the client 180 ms or
    // more after the first could, and reaches the server later still. Measured from before the
    // client existed, a loaded machine only makes it later (the span between the server's first
    // and last arrivals shrinks when the first is the one delayed, and made this test flaky).
    // Unpaced, the ten arrive within a few milliseconds.
    let last = *log.last().unwrap() - started;
    assert!(last >= Duration::from_millis(180), "{last:?}");
}

#[tokio::test]
async fn a_request_waiting_for_its_paced_slot_still_waits_out_a_retry_after_given_meanwhile() {
    let (server, log) = rate_limiting_server().await;
    // Two requests a second: the second call's slot comes 500 ms after the first, while the
    // first's 429 asks the client to hold for a second.
    paced_gets(&server, 2.0, 2).await;
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 3, "the 429, its retry and the other call");
    assert_nothing_sent_during_the_hold(&log);
}

#[test]
fn max_requests_per_second_outside_its_range_is_a_config_error_not_a_panic() {
    for rate in [
        0.0,
        -1.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e-300,
        5e-324,
        f64::MIN_POSITIVE,
        1e300,
        f64::MAX,
    ] {
        let built = Client::builder()
            .api_key("k")
            .max_requests_per_second(rate)
            .build();
        match built {
            Err(chatcaptain::Error::Config(message)) => {
                assert!(message.contains("0.001 to 1000000"), "{message}")
            }
            other => panic!("{rate}: {other:?}"),
        }
    }
    let range = chatcaptain::MAX_REQUESTS_PER_SECOND;
    for rate in [*range.start(), *range.end()] {
        let built = Client::builder()
            .api_key("k")
            .max_requests_per_second(rate)
            .build();
        assert!(built.is_ok(), "{rate}");
    }
}
