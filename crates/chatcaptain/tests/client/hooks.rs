//! What the client adds below every request through the generated client's hooks: the key and
//! user agent on a caller's own `reqwest::Client`, the body cap, and the status of a proxy's
//! non-JSON error page.

use crate::common;

use std::time::Duration;

use chatcaptain::Error;
use common::{BOT, KEY, contact};
use wiremock::matchers::{header, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn one_contact() -> serde_json::Value {
    serde_json::json!({ "contact": contact("c1", common::at(0)) })
}

#[tokio::test]
async fn a_caller_supplied_reqwest_client_still_sends_the_key_and_user_agent() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-chatcaptain-key", KEY))
        .and(header("user-agent", "sync-job/2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(one_contact()))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .user_agent("sync-job/2")
        .http_client(chatcaptain::api::tls::client_builder().build().unwrap())
        .build()
        .unwrap();
    assert_eq!(client.contacts(BOT).get("c1").await.unwrap().id, "c1");
}

#[tokio::test]
async fn an_answer_past_max_response_bytes_fails_at_once_without_a_retry() {
    let server = MockServer::start().await;
    let mut big = contact("c1", common::at(0));
    big.name = Some("x".repeat(100_000));
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({ "contact": big })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .max_response_bytes(10_000)
        .build()
        .unwrap();
    let err = client.contacts(BOT).get("c1").await.unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 10_000 }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_proxy_html_page_on_503_is_retried_and_reported_with_its_status() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_raw(
            "<html><body>upstream connect error</body></html>",
            "text/html",
        ))
        .expect(3)
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap();
    let err = client.contacts(BOT).get("c1").await.unwrap_err();
    assert_eq!(err.attempts(), 3, "{err:?}");
    match err.last_attempt() {
        Error::Api {
            status, message, ..
        } => {
            assert_eq!(status.as_u16(), 503);
            assert!(message.contains("upstream connect error"), "{message}");
        }
        other => panic!("expected the 503 as an Api error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_nestjs_validation_error_is_a_400_api_error_with_its_messages_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "statusCode": 400,
            "message": ["contact.email must be an email"],
            "error": "Bad Request"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = common::builder(&server)
        .retry_non_idempotent(true)
        .build()
        .unwrap();
    let err = client
        .contacts(BOT)
        .create(chatcaptain::NewContact::new("EN").email("not-an-email"))
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 1, "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err:?}");
    assert!(
        err.to_string()
            .ends_with("400 Bad Request: contact.email must be an email"),
        "{err}"
    );
}
