//! Keys and permissions: 401 without a known key, 403 "Insufficient permissions." without the permission.

use crate::common;

use chatcaptain_fake::{FakeServer, Permission};
use common::{BOT, contacts_path, send};
use reqwest::Method;

#[tokio::test]
async fn missing_key_is_401_with_an_error_body() {
    let server = FakeServer::start().await;
    let reply = send(&server, Method::GET, &contacts_path(BOT), None, None).await;
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json["statusCode"], 401);
    assert!(reply.json["error"].is_string());
}

#[tokio::test]
async fn wrong_key_is_401() {
    let server = FakeServer::builder().api_key("test-key").start().await;
    let reply = send(
        &server,
        Method::GET,
        &contacts_path(BOT),
        Some("fake-key"),
        None,
    )
    .await;
    assert_eq!(reply.status, 401);
    let ok = send(
        &server,
        Method::GET,
        &contacts_path(BOT),
        Some("test-key"),
        None,
    )
    .await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn the_default_key_is_fake_key() {
    let server = FakeServer::start().await;
    assert_eq!(server.api_key(), chatcaptain_fake::DEFAULT_API_KEY);
    let reply = send(
        &server,
        Method::GET,
        &contacts_path(BOT),
        Some("fake-key"),
        None,
    )
    .await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn revoked_permission_is_403_insufficient_permissions() {
    let server = FakeServer::builder()
        .revoke(Permission::ContactsCreate)
        .start()
        .await;
    let body = Some(r#"{"language":"EN"}"#.to_owned());
    let reply = send(
        &server,
        Method::POST,
        &contacts_path(BOT),
        Some(server.api_key()),
        body,
    )
    .await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.json,
        serde_json::json!({"error": "Insufficient permissions."})
    );
    assert_eq!(server.contact_count(BOT), 0);
    let list = send(
        &server,
        Method::GET,
        &contacts_path(BOT),
        Some(server.api_key()),
        None,
    )
    .await;
    assert_eq!(list.status, 200);
}

#[tokio::test]
async fn a_read_only_key_can_list_but_not_delete() {
    let server = FakeServer::builder()
        .seed_contacts(BOT, 1)
        .key_with_permissions("ro", [Permission::ContactsList, Permission::ContactsGet])
        .start()
        .await;
    let list = send(&server, Method::GET, &contacts_path(BOT), Some("ro"), None).await;
    assert_eq!(list.status, 200);
    let id = common::ids(&list)[0].clone();
    let delete = send(
        &server,
        Method::DELETE,
        &common::contact_path(BOT, &id),
        Some("ro"),
        None,
    )
    .await;
    assert_eq!(delete.status, 403);
    assert_eq!(server.contact_count(BOT), 1);
}
