//! The fake records each request (method, path, query, headers, body) with the key redacted.

use crate::common;

use chatcaptain_fake::{FakeServer, REDACTED, Route};
use common::{BOT, contacts_path, create_contact, get};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn requests_are_recorded_in_order_with_the_key_redacted() {
    let server = FakeServer::builder().api_key("secret-key").start().await;
    get(
        &server,
        &format!(
            "{}?limit=5&pageToken=2025-01-01T00:00:00Z",
            contacts_path(BOT)
        ),
    )
    .await;
    create_contact(&server, json!({"language": "EN"})).await;

    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let list = &requests[0];
    assert_eq!(list.method, "GET");
    assert_eq!(list.path, contacts_path(BOT));
    assert_eq!(list.query_param("limit"), Some("5"));
    assert_eq!(list.query_param("pageToken"), Some("2025-01-01T00:00:00Z"));
    assert_eq!(list.route, Some(Route::ListContacts));
    assert_eq!(list.header("x-chatcaptain-key"), Some(REDACTED));
    assert!(list.had_api_key());
    assert!(format!("{requests:?}").find("secret-key").is_none());
    assert_eq!(requests[1].method, "POST");
    assert_eq!(requests[1].body, r#"{"language":"EN"}"#);
}

#[tokio::test]
async fn request_count_counts_per_route() {
    let server = FakeServer::start().await;
    get(&server, &contacts_path(BOT)).await;
    get(&server, &contacts_path(BOT)).await;
    get(&server, &common::contact_path(BOT, "x")).await;
    assert_eq!(server.request_count(Route::ListContacts), 2);
    assert_eq!(server.request_count(Route::GetContact), 1);
    assert_eq!(server.request_count(Route::Any), 3);
    server.clear_requests();
    assert_eq!(server.request_count(Route::Any), 0);
}

#[tokio::test]
async fn unauthenticated_requests_are_recorded_too() {
    let server = FakeServer::start().await;
    common::send(&server, Method::GET, &contacts_path(BOT), None, None).await;
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert!(!requests[0].had_api_key());
}

#[tokio::test]
async fn every_answer_carries_its_own_x_request_id() {
    let server = FakeServer::builder()
        .fault(chatcaptain_fake::Fault::status(503).on(Route::GetContact))
        .start()
        .await;
    let answers = [
        get(&server, &contacts_path(BOT)).await,
        common::send(&server, Method::GET, &contacts_path(BOT), None, None).await,
        get(&server, &contacts_path("another-bot")).await,
        get(&server, &common::contact_path(BOT, "c1")).await,
        get(&server, "/v2/nothing-here").await,
    ];
    let statuses: Vec<u16> = answers.iter().map(|a| a.status.as_u16()).collect();
    assert_eq!(statuses, [200, 401, 403, 503, 404]);
    let ids: Vec<&str> = answers
        .iter()
        .map(|a| a.headers["x-request-id"].to_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "fake-000001",
            "fake-000002",
            "fake-000003",
            "fake-000004",
            "fake-000005"
        ]
    );
}
