//! What the client never leaks or lets through: the key in any printout or over plain http to
//! another machine, ids that would change the path, and answers that could make it panic.

use crate::common;

use std::time::Duration;

use chatcaptain::{Client, Error};
use chatcaptain_fake::{FakeServer, Fault, Route};
use common::fake::{FAKE_KEY, builder_for, empty_fake};
use common::{BOT, KEY, refused_get_once};
use reqwest::StatusCode;
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

const REMOTE: &str = "https://api.example.test";

fn remote_client() -> Client {
    let builder = Client::builder().api_key(KEY).base_url(REMOTE);
    // Built without a TLS feature, the crate refuses https unless given a client of one's own.
    let builder = match chatcaptain::api::tls::BACKEND {
        Some(_) => builder,
        None => builder.http_client(chatcaptain::api::tls::client_builder().build().unwrap()),
    };
    builder.build().unwrap()
}

const DEFAULT_POLICY: &str = "RetryPolicy { max_attempts: 3, base: 100ms, cap: 20s, \
     max_retry_wait: 60s, retry_non_idempotent: false }";

#[test]
fn debug_of_the_client_and_its_builder_is_pinned_and_redacts_the_key() {
    assert_eq!(
        format!("{:?}", remote_client()),
        format!(
            "Client {{ base_url: \"{REMOTE}\", api_key: \"[redacted]\", retry: {DEFAULT_POLICY}, \
             call_timeout: None }}"
        )
    );
    let builder = Client::builder()
        .api_key(KEY)
        .base_url(REMOTE)
        .call_timeout(Duration::from_secs(5));
    assert_eq!(
        format!("{builder:?}"),
        format!(
            "ClientBuilder {{ api_key: Some(\"[redacted]\"), base_url: Some(\"{REMOTE}\"), \
             timeout: None, call_timeout: Some(5s), retry: {DEFAULT_POLICY}, user_agent: None, max_response_bytes: None, retry_mode: Standard, on_request: 0, on_response: 0, .. }}"
        )
    );
}

#[cfg(feature = "blocking")]
#[test]
fn debug_of_the_blocking_client_is_pinned_and_redacts_the_key() {
    let client = chatcaptain::blocking::Client::from_async(remote_client()).unwrap();
    let printed = format!("{client:?}");
    assert!(
        printed.starts_with("blocking::Client(Client { base_url: \"https://api.example.test\", api_key: \"[redacted]\""),
        "{printed}"
    );
    assert!(!printed.contains(KEY), "{printed}");
}

#[test]
fn debug_and_display_of_every_error_variant_are_pinned() {
    let decode_source = serde_json::from_str::<serde_json::Value>("{").unwrap_err();
    let api = Error::Api {
        status: StatusCode::NOT_FOUND,
        message: "Contact not found".into(),
        retry_after: None,
        request_id: None,
        chatbot: None,
    };
    let cases: Vec<(Error, &str, &str)> = vec![
        (
            Error::Api {
                status: StatusCode::TOO_MANY_REQUESTS,
                message: "Slow down".into(),
                retry_after: Some(Duration::from_secs(2)),
                request_id: Some("req-7".into()),
                chatbot: Some("bot1".into()),
            },
            "ChatCaptain answered 429 Too Many Requests: Slow down (request id req-7) [Error::Api]",
            "ChatCaptain answered 429 Too Many Requests: Slow down (request id req-7)",
        ),
        (
            Error::Api {
                status: StatusCode::NOT_FOUND,
                message: "Contact not found".into(),
                retry_after: None,
                request_id: None,
                chatbot: None,
            },
            "ChatCaptain answered 404 Not Found: Contact not found [Error::Api]",
            "ChatCaptain answered 404 Not Found: Contact not found",
        ),
        (
            Error::Api {
                status: StatusCode::FORBIDDEN,
                message: "Insufficient permissions.".into(),
                retry_after: None,
                request_id: Some("req-8".into()),
                chatbot: Some("b0t1".into()),
            },
            "ChatCaptain answered 403 Forbidden: Insufficient permissions. (chatbot \"b0t1\": the \
             API key may belong to another chatbot, or lack the permission) (request id req-8) \
             [Error::Api]",
            "ChatCaptain answered 403 Forbidden: Insufficient permissions. (chatbot \"b0t1\": the \
             API key may belong to another chatbot, or lack the permission) (request id req-8)",
        ),
        (
            Error::Decode {
                status: Some(StatusCode::OK),
                request_id: None,
                excerpt: "{".into(),
                source: decode_source,
            },
            "could not decode the answer (200 OK); body starts with \"{\" [Error::Decode]\n\n\
             Caused by:\n    0: EOF while parsing an object at line 1 column 1",
            "could not decode the answer (200 OK); body starts with \"{\"",
        ),
        (
            Error::InvalidArgument("the contact id is empty".into()),
            "invalid argument: the contact id is empty [Error::InvalidArgument]",
            "invalid argument: the contact id is empty",
        ),
        (
            Error::Config("the API key is empty".into()),
            "invalid client configuration: the API key is empty [Error::Config]",
            "invalid client configuration: the API key is empty",
        ),
        (
            Error::PaginationStalled("no progress".into()),
            "pagination stalled: no progress [Error::PaginationStalled]",
            "pagination stalled: no progress",
        ),
        (
            Error::RetriesExhausted {
                attempts: 3,
                last: Box::new(api),
            },
            "gave up after 3 attempts [Error::RetriesExhausted]\n\nCaused by:\n    \
             0: ChatCaptain answered 404 Not Found: Contact not found",
            "gave up after 3 attempts",
        ),
        (
            Error::RateLimited {
                status: StatusCode::TOO_MANY_REQUESTS,
                retry_after: Duration::from_secs(120),
                max_wait: Duration::from_secs(60),
                request_id: None,
            },
            "ChatCaptain answered 429 Too Many Requests and asks to wait 120s before retrying, more \
             than the 60s allowed (max_retry_wait) [Error::RateLimited]",
            "ChatCaptain answered 429 Too Many Requests and asks to wait 120s before retrying, more than the 60s allowed (max_retry_wait)",
        ),
        (
            Error::Timeout {
                limit: Duration::from_millis(1500),
                cause: None,
            },
            "the call could not finish within 1.5s (call_timeout), retries and waits included \
             [Error::Timeout]",
            "the call could not finish within 1.5s (call_timeout), retries and waits included",
        ),
        (
            Error::Redirect {
                status: Some(StatusCode::FOUND),
                location: "https://elsewhere.example/".into(),
            },
            "ChatCaptain answered 302 Found redirecting to https://elsewhere.example/, which the \
             client does not follow: the API key goes only to the base URL's scheme, host and \
             port, and only 307 and 308 keep the request unchanged [Error::Redirect]",
            "ChatCaptain answered 302 Found redirecting to https://elsewhere.example/, which the \
             client does not follow: the API key goes only to the base URL's scheme, host and \
             port, and only 307 and 308 keep the request unchanged",
        ),
        (
            Error::ResponseTooLarge { limit: 1024 },
            "the answer is larger than the 1024 bytes allowed (max_response_bytes) \
             [Error::ResponseTooLarge]",
            "the answer is larger than the 1024 bytes allowed (max_response_bytes)",
        ),
    ];
    for (error, debug, display) in cases {
        // `Debug` is the `Display` chain with the variant's name, as a `main` returning the error
        // prints it.
        assert_eq!(format!("{error:?}"), debug);
        assert_eq!(error.to_string(), display);
    }
}

#[tokio::test]
async fn a_transport_error_names_the_url_but_never_the_key() {
    let (port, err) = refused_get_once().await;
    let debug = format!("{err:?}");
    assert!(
        debug.starts_with(&format!(
            "could not reach ChatCaptain [Error::Transport]\n\nCaused by:\n    0: error sending \
             request for url (http://127.0.0.1:{port}/v1/chatbots/bot1/contacts/c1)"
        )),
        "{debug}"
    );
    assert!(!debug.contains(KEY) && !err.to_string().contains(KEY));
}

#[test]
fn plain_http_to_another_machine_is_refused_at_build_time_naming_the_url() {
    for url in [
        "http://api.chatcaptain.com",
        "http://10.0.0.1:8080",
        "http://[::2]:80",
        "http://localhost.example.com",
    ] {
        let err = Client::builder()
            .api_key(KEY)
            .base_url(url)
            .build()
            .unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
        assert!(text.contains(url) && text.contains("https"), "{text}");
        assert!(!text.contains(KEY), "{text}");
    }
}

#[test]
fn plain_http_to_loopback_and_https_anywhere_are_allowed() {
    for url in [
        "http://127.0.0.1:8080",
        "http://127.1.2.3",
        "http://localhost:3000",
        "http://LOCALHOST",
        "http://[::1]:8080",
    ] {
        let built = Client::builder().api_key(KEY).base_url(url).build();
        assert!(built.is_ok(), "{url}: {built:?}");
    }
}

#[test]
fn https_is_allowed_anywhere_with_a_tls_feature_and_refused_naming_them_without() {
    for url in ["https://api.chatcaptain.com", "https://10.0.0.1"] {
        let built = Client::builder().api_key(KEY).base_url(url).build();
        match chatcaptain::api::tls::BACKEND {
            Some(_) => assert!(built.is_ok(), "{url}: {built:?}"),
            // `cargo test -p chatcaptain --no-default-features`
            None => {
                let text = built.unwrap_err().to_string();
                assert!(text.contains(url) && text.contains("rustls-ring"), "{text}");
            }
        }
    }
}

#[tokio::test]
async fn ids_with_slashes_queries_percents_and_spaces_reach_the_fake_as_one_encoded_segment() {
    let server = empty_fake().await;
    let contacts = builder_for(&server).build().unwrap().contacts(BOT);
    for (id, sent) in [
        ("../../admin", "..%2F..%2Fadmin"),
        ("a/b?c=d", "a%2Fb%3Fc=d"),
        ("%2F", "%252F"),
        ("with space", "with%20space"),
        ("a#b", "a%23b"),
    ] {
        let err = contacts.get(id).await.unwrap_err();
        assert!(err.is_not_found(), "{id}: {err:?}");
        let seen = server.requests().pop().unwrap();
        assert_eq!(seen.path, format!("/v1/chatbots/{BOT}/contacts/{sent}"));
        assert_eq!(seen.route, Some(Route::GetContact), "{id}");
        assert_eq!(seen.raw_query, None, "{id}");
    }
}

#[tokio::test]
async fn dot_ids_are_refused_without_a_request_as_they_would_change_the_path() {
    let server = FakeServer::builder().api_key(FAKE_KEY).start().await;
    let client = builder_for(&server).build().unwrap();
    for id in [".", ".."] {
        let err = client.contacts(BOT).delete(id).await.unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{id}: {err:?}");
        let err = client.contacts(id).get("c1").await.unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{id}: {err:?}");
    }
    assert_eq!(server.request_count(Route::Any), 0);
}

#[tokio::test]
async fn a_reason_phrase_in_error_gives_way_to_the_message() {
    let server = empty_fake().await;
    let err = builder_for(&server)
        .build()
        .unwrap()
        .contacts(BOT)
        .get("missing")
        .await
        .unwrap_err();
    // The fake answers `{"statusCode":404,"message":"Contact not found","error":"Not Found"}`,
    // and names each answer in `x-request-id`.
    let id = err.request_id().expect("the fake sends a request id");
    assert_eq!(
        err.to_string(),
        format!("ChatCaptain answered 404 Not Found: Contact not found (request id {id})")
    );
}

async fn get_once(server: &MockServer) -> Error {
    common::builder(server)
        .max_attempts(1)
        .build()
        .unwrap()
        .contacts(BOT)
        .get("c1")
        .await
        .unwrap_err()
}

#[tokio::test]
async fn an_error_text_that_says_more_than_the_reason_phrase_is_kept() {
    let body =
        json!({ "statusCode": 403, "message": "Forbidden resource", "error": "No access to bot1" });
    let err = get_once(
        &common::answering_every_get(ResponseTemplate::new(403).set_body_json(body)).await,
    )
    .await;
    // A 403's text is followed by its likely cause.
    assert!(
        err.to_string()
            .contains("403 Forbidden: No access to bot1 (chatbot \"bot1\""),
        "{err}"
    );
}

#[tokio::test]
async fn a_truncated_answer_is_a_decode_error_not_a_panic() {
    let server = FakeServer::builder()
        .api_key(FAKE_KEY)
        .seed_contacts(BOT, 5)
        .fault(Fault::truncated_json().on(Route::ListContacts))
        .start()
        .await;
    let err = builder_for(&server)
        .max_attempts(1)
        .build()
        .unwrap()
        .contacts(BOT)
        .list()
        .collect_all()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn deeply_nested_json_is_a_decode_error_not_a_stack_overflow() {
    let nested = "[".repeat(100_000);
    let err = get_once(
        &common::answering_every_get(ResponseTemplate::new(200).set_body_string(nested)).await,
    )
    .await;
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
}

#[tokio::test]
async fn a_huge_undecodable_answer_keeps_only_a_short_excerpt() {
    let huge = "x".repeat(8 * 1024 * 1024);
    let err = get_once(
        &common::answering_every_get(ResponseTemplate::new(200).set_body_string(huge)).await,
    )
    .await;
    match err {
        Error::Decode { excerpt, .. } => {
            assert!(excerpt.chars().count() <= 201, "{}", excerpt.len())
        }
        other => panic!("{other:?}"),
    }
}
