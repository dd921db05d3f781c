//! Invalid input gets the documented 4xx with an `ErrorResponse` body, never a 500.

use crate::common;

use chatcaptain_fake::FakeServer;
use common::{BOT, contact_path, contacts_path, get, send};
use reqwest::Method;

async fn post(server: &FakeServer, body: &str) -> common::Reply {
    send(
        server,
        Method::POST,
        &contacts_path(BOT),
        Some(server.api_key()),
        Some(body.to_owned()),
    )
    .await
}

#[tokio::test]
async fn create_without_language_is_400_naming_it() {
    let server = FakeServer::start().await;
    let reply = post(&server, r#"{"name": "Max"}"#).await;
    assert_eq!(reply.status, 400);
    assert!(
        reply.json["message"].as_str().unwrap().contains("language"),
        "{}",
        reply.json
    );
    assert_eq!(server.contact_count(BOT), 0);
}

#[tokio::test]
async fn bad_json_is_400() {
    let server = FakeServer::start().await;
    assert_eq!(post(&server, "{not json").await.status, 400);
    assert_eq!(post(&server, "").await.status, 400);
}

#[tokio::test]
async fn wrong_field_types_are_400() {
    let server = FakeServer::start().await;
    assert_eq!(
        post(&server, r#"{"language": "EN", "name": 5}"#)
            .await
            .status,
        400
    );
    assert_eq!(post(&server, r#"["EN"]"#).await.status, 400);
}

#[tokio::test]
async fn update_without_the_contact_wrapper_is_400() {
    let (server, id) = common::with_one_contact().await;
    let body = serde_json::json!({"name": "x"});
    let reply = common::call(&server, Method::PATCH, &contact_path(BOT, &id), Some(body)).await;
    assert_eq!(reply.status, 400);
}

#[tokio::test]
async fn bad_page_token_and_limit_are_400() {
    let server = FakeServer::start().await;
    for query in ["pageToken=yesterday", "limit=0", "limit=-1", "limit=ten"] {
        let reply = get(&server, &format!("{}?{query}", contacts_path(BOT))).await;
        assert_eq!(reply.status, 400, "{query}");
    }
}

#[tokio::test]
async fn unknown_path_and_method_get_json_errors() {
    let server = FakeServer::start().await;
    let reply = get(&server, "/v1/nothing").await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json["statusCode"], 404);
    let put = send(
        &server,
        Method::PUT,
        &contact_path(BOT, "x"),
        Some(server.api_key()),
        None,
    )
    .await;
    assert_eq!(put.status, 405);
}
