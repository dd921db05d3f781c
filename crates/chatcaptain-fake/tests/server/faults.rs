//! Injected faults hit exactly the requests their schedule names, and look as they should on the wire.

use crate::common;

use std::time::Duration;

use chatcaptain_fake::{FakeServer, FakeServerBuilder, Fault, Route};
use common::{BOT, Reply, contacts_path, get, http};
use reqwest::Method;
use serde_json::json;

/// A fake with `fault` installed and no data.
async fn faulty(fault: Fault) -> FakeServer {
    FakeServer::builder().fault(fault).start().await
}

/// A fake's builder with three contacts of [`BOT`].
fn three_contacts() -> FakeServerBuilder {
    FakeServer::builder().seed_contacts(BOT, 3)
}

/// "List contacts" of [`BOT`], its answer checked against the spec.
async fn list(server: &FakeServer) -> Reply {
    get(server, &contacts_path(BOT)).await
}

/// "List contacts" of [`BOT`], its answer as it came (a fault's may break the spec).
async fn list_raw(server: &FakeServer) -> reqwest::Response {
    http()
        .get(format!("{}{}", server.base_url(), contacts_path(BOT)))
        .header("x-chatcaptain-key", server.api_key())
        .send()
        .await
        .expect("the fake answers")
}

#[tokio::test]
async fn nth_status_fault_fails_only_that_request_of_its_route() {
    let server = faulty(Fault::status(503).on(Route::ListContacts).nth(2)).await;
    let statuses = [
        list(&server).await.status,
        get(&server, &common::contact_path(BOT, "x")).await.status,
        list(&server).await.status,
        list(&server).await.status,
    ];
    assert_eq!(statuses.map(|s| s.as_u16()), [200, 404, 503, 200]);
}

#[tokio::test]
async fn rate_limit_sends_429_with_retry_after_the_first_n_times() {
    let server = faulty(Fault::rate_limited(1).on(Route::Any).times(2)).await;
    for _ in 0..2 {
        let reply = list(&server).await;
        assert_eq!(reply.status, 429);
        assert_eq!(reply.headers["retry-after"], "1");
        assert_eq!(reply.json["statusCode"], 429);
    }
    assert_eq!(list(&server).await.status, 200);
}

#[tokio::test]
async fn rate_limit_can_come_without_retry_after() {
    let server = faulty(Fault::rate_limited_without_retry_after()).await;
    let reply = list(&server).await;
    assert_eq!(reply.status, 429);
    assert!(!reply.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn status_faults_leave_the_data_untouched() {
    let server = faulty(Fault::status(500).on(Route::CreateContact)).await;
    let reply = common::create_contact(&server, json!({"language": "EN"})).await;
    assert_eq!(reply.status, 500);
    assert_eq!(server.contact_count(BOT), 0);
}

#[tokio::test]
async fn faults_come_before_auth() {
    let server = faulty(Fault::status(503).nth(1)).await;
    let reply = common::send(&server, Method::GET, &contacts_path(BOT), None, None).await;
    assert_eq!(reply.status, 503);
}

#[tokio::test]
async fn dropped_connection_fails_the_body_after_the_handler_ran() {
    let server = faulty(Fault::drop_connection().on(Route::CreateContact).nth(1)).await;
    let response = http()
        .post(format!("{}{}", server.base_url(), contacts_path(BOT)))
        .header("x-chatcaptain-key", server.api_key())
        .json(&json!({"language": "EN"}))
        .send()
        .await;
    let body_failed = match response {
        Ok(response) => response.bytes().await.is_err(),
        Err(_) => true,
    };
    assert!(body_failed, "the client must see a broken response");
    assert_eq!(
        server.contact_count(BOT),
        1,
        "the contact was created before the connection dropped"
    );
    let next = common::create_contact(&server, json!({"language": "EN"})).await;
    assert_eq!(next.status, 201);
}

#[tokio::test]
async fn truncated_json_is_a_complete_http_response_with_half_the_body() {
    let server = three_contacts()
        .fault(Fault::truncated_json().on(Route::ListContacts).nth(2))
        .start()
        .await;
    let whole = list_raw(&server).await.text().await.unwrap();
    let response = list_raw(&server).await;
    assert_eq!(response.status(), 200);
    let cut = response.text().await.expect("framing is intact");
    assert_eq!(cut, whole[..whole.len() / 2]);
    assert!(serde_json::from_str::<serde_json::Value>(&cut).is_err());
}

#[tokio::test]
async fn malformed_json_is_not_json() {
    let server = faulty(Fault::malformed_json().on(Route::ListContacts)).await;
    let response = list_raw(&server).await;
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );
}

#[tokio::test]
async fn latency_delays_but_answers_normally() {
    let server = faulty(Fault::latency(Duration::from_millis(20)).on(Route::ListContacts)).await;
    assert_eq!(list(&server).await.status, 200);
}

#[tokio::test]
async fn faults_added_at_runtime_count_from_then_and_can_be_cleared() {
    let server = FakeServer::start().await;
    list(&server).await;
    server.add_fault(Fault::status(500).on(Route::ListContacts).nth(1));
    assert_eq!(list(&server).await.status, 500);
    server.add_fault(Fault::status(502));
    server.clear_faults();
    assert_eq!(list(&server).await.status, 200);
}

#[tokio::test]
async fn every_nth_fault_repeats() {
    let server = faulty(Fault::status(500).on(Route::ListContacts).every(2)).await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(list(&server).await.status.as_u16());
    }
    assert_eq!(statuses, [200, 500, 200, 500]);
}

#[tokio::test]
async fn the_rate_limit_refuses_beyond_its_burst_and_counts_requests_that_ignore_retry_after() {
    let server = three_contacts().rate_limit(5.0).start().await;
    // A second's worth of burst, then 429 with a whole-second Retry-After (a few more may pass
    // if the bucket refills meanwhile).
    let mut statuses = Vec::new();
    loop {
        let response = list_raw(&server).await;
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            assert_eq!(response.headers()["retry-after"], "1");
            break;
        }
        assert!(statuses.len() < 100, "no 429 in {statuses:?}");
    }
    assert_eq!(statuses[..5], [200; 5]);
    assert_eq!(
        server.early_request_count(),
        0,
        "the first 429 is not early"
    );
    // A client that ignores Retry-After keeps asking; once past the grace for requests already
    // on their way, each request inside the second is counted.
    for _ in 0..10_000 {
        if server.early_request_count() > 0 {
            break;
        }
        list_raw(&server).await;
    }
    assert!(server.early_request_count() > 0);
    assert!(server.rate_limited_count() >= 1);
}

#[tokio::test]
async fn an_exhausted_rate_limit_refuses_the_first_request_and_grants_once_refilled() {
    // 2 a second: the first token comes back 500 ms after the start, long after the first
    // request even on a loaded machine (at 5 a second, 200 ms was not always).
    let server = three_contacts().rate_limit_exhausted(2.0).start().await;
    let first = list_raw(&server).await;
    assert_eq!(first.status(), 429);
    assert_eq!(first.headers()["retry-after"], "1");
    let mut tries = 0;
    while list_raw(&server).await.status() == 429 {
        tries += 1;
        assert!(tries < 100_000, "the bucket never refilled");
    }
    assert_eq!(server.rate_limited_count(), 1 + tries);
}
