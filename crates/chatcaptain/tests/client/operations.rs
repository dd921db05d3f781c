//! Single operations and client configuration over loopback HTTP.

use crate::common;

use chatcaptain::{Client, ContactUpdate, Error, NewContact};
use common::*;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn contact_json(id: &str) -> serde_json::Value {
    json!({ "id": id, "created": "2025-09-28T10:00:00Z", "language": "EN", "name": "Max" })
}

/// An answer that carries contact `c1`, as create, get and update send it.
fn answer_with_c1() -> serde_json::Value {
    json!({ "contact": contact_json("c1") })
}

/// A server that answers the DELETE of `c1` with `{"deleted": true}`.
async fn deleting_c1() -> MockServer {
    let body = json!({ "deleted": true });
    answering("DELETE", "/v1/chatbots/bot1/contacts/c1", 200, body).await
}

/// A server that expects `verb` to `route` with `body` exactly once, and answers `status` with
/// contact `c1`.
async fn expecting_once(
    verb: &str,
    route: &str,
    body: serde_json::Value,
    status: u16,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .and(body_json(body))
        .respond_with(ResponseTemplate::new(status).set_body_json(answer_with_c1()))
        .expect(1)
        .mount(&server)
        .await;
    server
}

async fn answering(verb: &str, route: &str, status: u16, body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn create_sends_the_body_unwrapped_and_returns_the_contact() {
    let body = json!({ "language": "EN", "name": "Max", "email": "max@example.com" });
    let server = expecting_once("POST", "/v1/chatbots/bot1/contacts", body, 201).await;
    let created = client(&server)
        .contacts(BOT)
        .create(NewContact::new("EN").name("Max").email("max@example.com"))
        .await
        .unwrap();
    assert_eq!(created.id, "c1");
}

#[tokio::test]
async fn create_answered_200_returns_the_contact_like_201() {
    // The reference documents no status for create; a 200 with the contact has created it, and
    // calling it an error would make callers retry and duplicate the contact.
    let server = answering("POST", "/v1/chatbots/bot1/contacts", 200, answer_with_c1()).await;
    let created = client(&server)
        .contacts(BOT)
        .create(NewContact::new("EN").name("Max"))
        .await
        .unwrap();
    assert_eq!(created.id, "c1");
}

#[tokio::test]
async fn get_unwraps_the_contact_envelope() {
    let server = answering(
        "GET",
        "/v1/chatbots/bot1/contacts/c1",
        200,
        answer_with_c1(),
    )
    .await;
    let contact = client(&server).contacts(BOT).get("c1").await.unwrap();
    assert_eq!(contact.name.as_deref(), Some("Max"));
}

#[tokio::test]
async fn update_wraps_the_body_in_contact() {
    let body = json!({ "contact": { "name": "Moritz", "variables": { "plan": "pro" } } });
    let server = expecting_once("PATCH", "/v1/chatbots/bot1/contacts/c1", body, 200).await;
    client(&server)
        .contacts(BOT)
        .update(
            "c1",
            ContactUpdate::new()
                .name("Moritz")
                .variables([("plan".to_owned(), "pro".to_owned())].into()),
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn delete_reports_whether_the_server_deleted() {
    let server = deleting_c1().await;
    assert!(client(&server).contacts(BOT).delete("c1").await.unwrap());
}

#[tokio::test]
async fn organizations_unwraps_the_list() {
    let body = json!({ "organizations": [{ "id": "o1", "name": "Example GmbH" }] });
    let server = answering(
        "GET",
        "/v1/chatbots/bot1/contacts/c1/organizations",
        200,
        body,
    )
    .await;
    let orgs = client(&server)
        .contacts(BOT)
        .organizations("c1")
        .await
        .unwrap();
    assert_eq!(orgs[0].id, "o1");
}

#[tokio::test]
async fn a_200_carrying_an_error_is_an_err() {
    let body = json!({ "error": "Contact not found." });
    let server = answering("GET", "/v1/chatbots/bot1/contacts/c1", 200, body).await;
    let err = client(&server).contacts(BOT).get("c1").await.unwrap_err();
    assert!(
        matches!(&err, Error::Api { status, message, .. } if status.as_u16() == 200 && message == "Contact not found."),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_error_status_carries_the_server_error_text() {
    let body = json!({ "error": "Insufficient permissions." });
    let server = answering("GET", "/v1/chatbots/bot1/contacts/c1", 403, body).await;
    let err = client(&server).contacts(BOT).get("c1").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert!(
        err.to_string().contains("Insufficient permissions."),
        "{err}"
    );
}

#[tokio::test]
async fn an_error_status_falls_back_to_the_message() {
    let body = json!({ "statusCode": 404, "message": "Contact not found" });
    let server = answering("GET", "/v1/chatbots/bot1/contacts/c1", 404, body).await;
    let err = client(&server).contacts(BOT).get("c1").await.unwrap_err();
    assert!(err.is_not_found());
    assert!(err.to_string().contains("Contact not found"), "{err}");
}

#[tokio::test]
async fn an_undecodable_body_is_a_decode_error_with_an_excerpt() {
    let server = common::answering_every_get(
        ResponseTemplate::new(200).set_body_string("<html>oops</html>"),
    )
    .await;
    let err = client(&server).contacts(BOT).get("c1").await.unwrap_err();
    // A GET with a garbled answer is retried (a proxy hiccup looks like this), then given up.
    assert_eq!(err.attempts(), 3, "{err:?}");
    assert!(
        matches!(err.last_attempt(), Error::Decode { excerpt, .. } if excerpt.contains("<html>oops")),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    // wiremock pools its servers, so a dropped one may still listen: use a port just freed.
    let port = closed_port();
    let client = builder_at_port(port).build().unwrap();
    let err = client.contacts(BOT).get("c1").await.unwrap_err();
    assert!(matches!(err.last_attempt(), Error::Transport(_)), "{err:?}");
}

#[tokio::test]
async fn an_empty_contact_id_is_refused_without_a_request() {
    let server = MockServer::start().await;
    let err = client(&server).contacts(BOT).get("").await.unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn every_request_carries_the_api_key_header() {
    let server = MockServer::start().await;
    Mock::given(header("x-chatcaptain-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "deleted": true })))
        .expect(1)
        .mount(&server)
        .await;
    client(&server).contacts(BOT).delete("c1").await.unwrap();
}

#[tokio::test]
async fn debug_of_the_client_never_shows_the_key() {
    let server = MockServer::start().await;
    let client = client(&server);
    let printed = format!("{client:?} {:?} {:?}", client.contacts(BOT), client.inner());
    assert!(!printed.contains(KEY), "{printed}");
    assert!(printed.contains("[redacted]"), "{printed}");
    let builder = format!("{:?}", Client::builder().api_key(KEY));
    assert!(!builder.contains(KEY), "{builder}");
}

#[test]
fn building_without_a_key_is_a_config_error() {
    let err = Client::builder().build().unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[tokio::test]
async fn a_trailing_slash_on_the_base_url_is_harmless() {
    let server = deleting_c1().await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/", server.uri()))
        .build()
        .unwrap();
    assert!(client.contacts(BOT).delete("c1").await.unwrap());
}
