//! Keys and permissions: 401 without a known key, 403 "Insufficient permissions." without the permission.

use crate::common;

use chatcaptain_fake::{FakeServer, Permission};
use common::{BOT, contacts_path, list_status, send};
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
    assert_eq!(list_status(&server, BOT, Some("fake-key")).await, 401);
    assert_eq!(list_status(&server, BOT, Some("test-key")).await, 200);
}

#[tokio::test]
async fn the_default_key_is_fake_key() {
    let server = FakeServer::start().await;
    assert_eq!(server.api_key(), chatcaptain_fake::DEFAULT_API_KEY);
    assert_eq!(list_status(&server, BOT, Some("fake-key")).await, 200);
}

#[tokio::test]
async fn revoked_permission_is_403_insufficient_permissions() {
    let server = common::without(Permission::ContactsCreate).await;
    let reply = common::create_contact(&server, serde_json::json!({"language": "EN"})).await;
    assert_eq!(reply.status, 403);
    assert_eq!(
        reply.json,
        serde_json::json!({"error": "Insufficient permissions."})
    );
    assert_eq!(server.contact_count(BOT), 0);
    assert_eq!(list_status(&server, BOT, Some(server.api_key())).await, 200);
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

#[tokio::test]
async fn another_chatbots_id_is_403_insufficient_permissions_on_every_operation() {
    let server = FakeServer::builder()
        .chatbot(BOT)
        .seed_contacts("someone-elses-bot", 3)
        .start()
        .await;
    let other = "someone-elses-bot";
    let create = Some(r#"{"language":"EN"}"#.to_owned());
    let requests = [
        (Method::GET, contacts_path(other), None),
        (Method::POST, contacts_path(other), create),
        (
            Method::GET,
            format!("{}/search?query=a&page=1&pageSize=5", contacts_path(other)),
            None,
        ),
        (Method::GET, common::contact_path(other, "c1"), None),
        (Method::DELETE, common::contact_path(other, "c1"), None),
        (Method::GET, common::organizations_path(other), None),
    ];
    for (method, path, body) in requests {
        let reply = send(&server, method.clone(), &path, Some(server.api_key()), body).await;
        assert_eq!(reply.status, 403, "{method} {path}");
        assert_eq!(
            reply.json,
            serde_json::json!({"error": "Insufficient permissions."}),
            "{method} {path}"
        );
    }
    assert_eq!(server.contact_count(other), 3);
    assert_eq!(server.chatbot(), BOT);
}

#[tokio::test]
async fn the_key_belongs_to_the_first_chatbot_seeded_unless_one_is_named() {
    let seeded = FakeServer::builder()
        .seed_contacts("first", 1)
        .seed_contacts("second", 1)
        .start()
        .await;
    assert_eq!(seeded.chatbot(), "first");
    let empty = FakeServer::start().await;
    assert_eq!(empty.chatbot(), chatcaptain_fake::DEFAULT_CHATBOT);
    let named = FakeServer::builder()
        .seed_contacts("first", 1)
        .chatbot("named")
        .start()
        .await;
    assert_eq!(named.chatbot(), "named");
    assert_eq!(
        list_status(&named, "first", Some(named.api_key())).await,
        403
    );
}

#[tokio::test]
async fn a_key_with_some_permissions_belongs_to_the_main_keys_chatbot() {
    let server = FakeServer::builder()
        .chatbot(BOT)
        .key_with_permissions("ro", [Permission::ContactsList])
        .start()
        .await;
    assert_eq!(list_status(&server, BOT, Some("ro")).await, 200);
    assert_eq!(list_status(&server, "other", Some("ro")).await, 403);
}

#[tokio::test]
async fn a_percent_encoded_chatbot_id_is_read_decoded() {
    let server = FakeServer::builder().chatbot("bot 1").start().await;
    assert_eq!(
        list_status(&server, "bot%201", Some(server.api_key())).await,
        200
    );
}
