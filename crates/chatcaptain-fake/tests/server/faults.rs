//! Injected faults hit exactly the requests their schedule names, and look as they should on the wire.

use crate::common;

use std::time::Duration;

use chatcaptain_fake::{FakeServer, Fault, Route};
use common::{BOT, contacts_path, get, http};
use reqwest::Method;
use serde_json::json;

async fn raw(
    server: &FakeServer,
    method: Method,
    path: &str,
) -> reqwest::Result<reqwest::Response> {
    http()
        .request(method, format!("{}{path}", server.base_url()))
        .header("x-chatcaptain-key", server.api_key())
        .send()
        .await
}

#[tokio::test]
async fn nth_status_fault_fails_only_that_request_of_its_route() {
    let server = FakeServer::builder()
        .fault(Fault::status(503).on(Route::ListContacts).nth(2))
        .start()
        .await;
    let statuses = [
        get(&server, &contacts_path(BOT)).await.status,
        get(&server, &common::contact_path(BOT, "x")).await.status,
        get(&server, &contacts_path(BOT)).await.status,
        get(&server, &contacts_path(BOT)).await.status,
    ];
    assert_eq!(statuses.map(|s| s.as_u16()), [200, 404, 503, 200]);
}

#[tokio::test]
async fn rate_limit_sends_429_with_retry_after_the_first_n_times() {
    let server = FakeServer::builder()
        .fault(Fault::rate_limited(1).on(Route::Any).times(2))
        .start()
        .await;
    for _ in 0..2 {
        let reply = get(&server, &contacts_path(BOT)).await;
        assert_eq!(reply.status, 429);
        assert_eq!(reply.headers["retry-after"], "1");
        assert_eq!(reply.json["statusCode"], 429);
    }
    assert_eq!(get(&server, &contacts_path(BOT)).await.status, 200);
}

#[tokio::test]
async fn rate_limit_can_come_without_retry_after() {
    let server = FakeServer::builder()
        .fault(Fault::rate_limited_without_retry_after())
        .start()
        .await;
    let reply = get(&server, &contacts_path(BOT)).await;
    assert_eq!(reply.status, 429);
    assert!(!reply.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn status_faults_leave_the_data_untouched() {
    let server = FakeServer::builder()
        .fault(Fault::status(500).on(Route::CreateContact))
        .start()
        .await;
    let reply = common::create_contact(&server, json!({"language": "EN"})).await;
    assert_eq!(reply.status, 500);
    assert_eq!(server.contact_count(BOT), 0);
}

#[tokio::test]
async fn faults_come_before_auth() {
    let server = FakeServer::builder()
        .fault(Fault::status(503).nth(1))
        .start()
        .await;
    let reply = common::send(&server, Method::GET, &contacts_path(BOT), None, None).await;
    assert_eq!(reply.status, 503);
}

#[tokio::test]
async fn dropped_connection_fails_the_body_after_the_handler_ran() {
    let server = FakeServer::builder()
        .fault(Fault::drop_connection().on(Route::CreateContact).nth(1))
        .start()
        .await;
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
    let server = FakeServer::builder()
        .seed_contacts(BOT, 3)
        .fault(Fault::truncated_json().on(Route::ListContacts).nth(2))
        .start()
        .await;
    let whole = raw(&server, Method::GET, &contacts_path(BOT))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let response = raw(&server, Method::GET, &contacts_path(BOT))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cut = response.text().await.expect("framing is intact");
    assert_eq!(cut, whole[..whole.len() / 2]);
    assert!(serde_json::from_str::<serde_json::Value>(&cut).is_err());
}

#[tokio::test]
async fn malformed_json_is_not_json() {
    let server = FakeServer::builder()
        .fault(Fault::malformed_json().on(Route::ListContacts))
        .start()
        .await;
    let response = raw(&server, Method::GET, &contacts_path(BOT))
        .await
        .unwrap();
    assert_eq!(response.headers()["content-type"], "application/json");
    let text = response.text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );
}

#[tokio::test]
async fn latency_delays_but_answers_normally() {
    let server = FakeServer::builder()
        .fault(Fault::latency(Duration::from_millis(20)).on(Route::ListContacts))
        .start()
        .await;
    assert_eq!(get(&server, &contacts_path(BOT)).await.status, 200);
}

#[tokio::test]
async fn faults_added_at_runtime_count_from_then_and_can_be_cleared() {
    let server = FakeServer::start().await;
    get(&server, &contacts_path(BOT)).await;
    server.add_fault(Fault::status(500).on(Route::ListContacts).nth(1));
    assert_eq!(get(&server, &contacts_path(BOT)).await.status, 500);
    server.add_fault(Fault::status(502));
    server.clear_faults();
    assert_eq!(get(&server, &contacts_path(BOT)).await.status, 200);
}

#[tokio::test]
async fn every_nth_fault_repeats() {
    let server = FakeServer::builder()
        .fault(Fault::status(500).on(Route::ListContacts).every(2))
        .start()
        .await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(get(&server, &contacts_path(BOT)).await.status.as_u16());
    }
    assert_eq!(statuses, [200, 500, 200, 500]);
}

#[tokio::test]
async fn the_rate_limit_refuses_beyond_its_burst_and_counts_requests_that_ignore_retry_after() {
    let server = FakeServer::builder()
        .seed_contacts(BOT, 3)
        .rate_limit(5.0)
        .start()
        .await;
    let path = contacts_path(BOT);
    // A second's worth of burst, then 429 with a whole-second Retry-After (a few more may pass
    // if the bucket refills meanwhile).
    let mut statuses = Vec::new();
    loop {
        let response = raw(&server, Method::GET, &path).await.unwrap();
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
        raw(&server, Method::GET, &path).await.unwrap();
    }
    assert!(server.early_request_count() > 0);
    assert!(server.rate_limited_count() >= 1);
}

#[tokio::test]
async fn an_exhausted_rate_limit_refuses_the_first_request_and_grants_once_refilled() {
    // 2 a second: the first token comes back 500 ms after the start, long after the first
    // request even on a loaded machine (at 5 a second, 200 ms was not always).
    let server = FakeServer::builder()
        .seed_contacts(BOT, 3)
        .rate_limit_exhausted(2.0)
        .start()
        .await;
    let path = contacts_path(BOT);
    let first = raw(&server, Method::GET, &path).await.unwrap();
    assert_eq!(first.status(), 429);
    assert_eq!(first.headers()["retry-after"], "1");
    let mut tries = 0;
    while raw(&server, Method::GET, &path).await.unwrap().status() == 429 {
        tries += 1;
        assert!(tries < 100_000, "the bucket never refilled");
    }
    assert_eq!(server.rate_limited_count(), 1 + tries);
}
