//! Raw calls (`client.raw(method, path)`): the same road as the typed calls (key, retries,
//! redirect rules, per-call options), to the base URL only.

use crate::common;

use std::time::Duration;

use chatcaptain::{CallOptions, Error};
use common::KEY;
use reqwest::Method;
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TAGS: &str = "/v1/chatbots/bot1/tags";

/// A builder for `server` whose retries wait a millisecond at most.
fn builder(server: &MockServer) -> chatcaptain::ClientBuilder {
    common::builder(server).backoff(Duration::from_millis(1), Duration::from_millis(1))
}

/// A client for `server` whose retries wait a millisecond at most.
fn client(server: &MockServer) -> chatcaptain::Client {
    builder(server).build().unwrap()
}

/// A server that answers `status` once to `verb`, then 200 with a small JSON body.
async fn failing_once(verb: &str, status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method(verb))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({"error": "Busy"})))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method(verb))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-7")
                .set_body_json(json!({"tags": ["vip"]})),
        )
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_get_is_retried_after_a_503_and_answers_status_headers_and_body() {
    let server = failing_once("GET", 503).await;
    let answer = client(&server).raw(Method::GET, TAGS).send().await.unwrap();
    assert_eq!(requests(&server).await, 2);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.request_id().as_deref(), Some("req-7"));
    assert_eq!(answer.headers["content-type"], "application/json");
    let body: serde_json::Value = answer.json().unwrap();
    assert_eq!(body, json!({"tags": ["vip"]}));
    assert_eq!(answer.body, body);
}

#[tokio::test]
async fn a_post_is_not_retried_after_a_503_unless_the_client_allows_it() {
    let server = failing_once("POST", 503).await;
    let err = client(&server)
        .raw(Method::POST, TAGS)
        .json(&json!({"name": "vip"}))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { status, message, .. } if *status == 503 && message == "Busy"),
        "{err:?}"
    );
    assert_eq!(
        requests(&server).await,
        1,
        "a POST may have acted: not sent again"
    );

    let server = failing_once("POST", 503).await;
    let answer = builder(&server)
        .retry_non_idempotent(true)
        .build()
        .unwrap()
        .raw(Method::POST, TAGS)
        .send()
        .await
        .unwrap();
    assert_eq!((answer.status.as_u16(), requests(&server).await), (200, 2));
}

#[tokio::test]
async fn query_json_body_and_headers_are_sent_with_the_key() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(TAGS))
        .and(query_param("dry run", "yes & no"))
        .and(header("x-chatcaptain-key", KEY))
        .and(header("x-trace", "t-1"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"tags": ["a"]})))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let answer = client(&server)
        .raw(Method::PUT, TAGS)
        .query("dry run", "yes & no")
        .header("x-trace", "t-1")
        .json(&json!({"tags": ["a"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 204);
    assert!(answer.bytes().is_empty());
}

#[tokio::test]
async fn an_error_status_is_an_api_error_by_default_and_a_whole_answer_with_any_status() {
    let server = common::answering_every_get(
        ResponseTemplate::new(404)
            .insert_header("x-request-id", "req-404")
            .set_body_string("<h1>no such route</h1>"),
    )
    .await;
    let client = client(&server);
    let err = client
        .raw(Method::GET, "/v1/nope")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Api { status, message, .. } if *status == 404 && message.contains("no such route")),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("req-404"));

    let answer = client
        .raw(Method::GET, "/v1/nope")
        .any_status()
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 404);
    assert_eq!(
        answer.text(),
        "<h1>no such route</h1>",
        "the body as sent, not rewritten"
    );
    assert_eq!(answer.request_id().as_deref(), Some("req-404"));
    let err = answer.error_for_status().unwrap_err();
    assert!(
        matches!(&err, Error::Api { status, .. } if *status == 404),
        "{err:?}"
    );
    assert_eq!(err.request_id(), Some("req-404"));
}

#[tokio::test]
async fn per_call_options_override_the_client_for_that_call_only() {
    let server = common::answering_every_get(ResponseTemplate::new(503)).await;
    let client = builder(&server).max_attempts(3).build().unwrap();
    let once = client
        .raw(Method::GET, TAGS)
        .with(CallOptions::new().max_attempts(1))
        .send()
        .await
        .unwrap_err();
    assert_eq!((once.attempts(), requests(&server).await), (1, 1));
    let thrice = client.raw(Method::GET, TAGS).send().await.unwrap_err();
    assert_eq!((thrice.attempts(), requests(&server).await), (3, 4));
}

#[tokio::test]
async fn an_absolute_url_or_a_path_naming_a_host_is_refused_before_anything_is_sent() {
    let (api, other) = (MockServer::start().await, MockServer::start().await);
    let client = client(&api);
    let host = other.address().to_string();
    for path in [
        format!("{}/v1/x", other.uri()),
        format!("//{host}/v1/x"),
        format!("/\\{host}/v1/x"),
        "/v1/../../x".to_owned(),
    ] {
        let err = client.raw(Method::GET, &path).send().await.unwrap_err();
        assert!(matches!(err, Error::InvalidArgument(_)), "{path}: {err:?}");
        assert!(err.to_string().contains("base URL"), "{err}");
    }
    assert_eq!(requests(&api).await + requests(&other).await, 0);
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed_so_the_key_stays_home() {
    let (api, other) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&other)
        .await;
    let location = format!("{}/steal", other.uri());
    Mock::given(method("GET"))
        .and(header("x-chatcaptain-key", KEY))
        .respond_with(ResponseTemplate::new(307).insert_header("location", location.as_str()))
        .mount(&api)
        .await;
    let client = client(&api);
    let err = client.raw(Method::GET, TAGS).send().await.unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { status: Some(s), location: l } if *s == 307 && *l == location),
        "{err:?}"
    );
    assert_eq!(requests(&api).await, 1, "the API was asked, with the key");
    assert_eq!(requests(&other).await, 0, "the other host never was");

    let answer = client
        .raw(Method::GET, TAGS)
        .any_status()
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status, 307);
    assert_eq!(requests(&other).await, 0);
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_sends_raw_calls_with_retries() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(failing_once("DELETE", 502));
    let client = chatcaptain::blocking::Client::from_async(client(&server)).unwrap();
    let answer = client.raw(Method::DELETE, TAGS).send().unwrap();
    assert_eq!(answer.status, 200);
    assert_eq!(runtime.block_on(requests(&server)), 2);
}

#[tokio::test]
async fn with_any_status_the_last_answer_after_the_retries_comes_back() {
    let server = common::answering_every_get(
        ResponseTemplate::new(503).set_body_string("down for maintenance"),
    )
    .await;
    let answer = client(&server)
        .raw(Method::GET, TAGS)
        .any_status()
        .send()
        .await
        .unwrap();
    assert_eq!((answer.status.as_u16(), requests(&server).await), (503, 3));
    assert_eq!(answer.text(), "down for maintenance");
}

#[tokio::test]
async fn the_body_cap_holds_for_raw_answers_too() {
    let server =
        common::answering_every_get(ResponseTemplate::new(200).set_body_string("x".repeat(100)))
            .await;
    let err = builder(&server)
        .max_response_bytes(10)
        .build()
        .unwrap()
        .raw(Method::GET, TAGS)
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::ResponseTooLarge { limit: 10 }),
        "{err:?}"
    );
    assert_eq!(
        requests(&server).await,
        1,
        "the same answer would be as large again"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn spans_and_hooks_see_each_attempt_with_the_template_only_for_a_path_of_the_spec() {
    let (events, _guard) = common::traced::Events::capture();
    let server = failing_once("GET", 503).await;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let hooked = std::sync::Arc::clone(&seen);
    let client = builder(&server)
        .on_request(move |_, operation| hooked.lock().unwrap().push(operation.map(|o| o.id())))
        .build()
        .unwrap();
    client
        .raw(Method::GET, "/v1/chatbots/bot1/contacts/c-secret-id")
        .send()
        .await
        .unwrap();
    client.raw(Method::GET, TAGS).send().await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [Some("getContact"), Some("getContact"), None]
    );
    let spans = events.spans("chatcaptain.request");
    assert_eq!(spans.len(), 3, "{spans:?}");
    for span in &spans {
        assert_eq!(span["operation"], "raw");
        assert_eq!(span["http.request.method"], "GET");
        assert!(
            span.values()
                .all(|v| !v.contains("c-secret-id") && !v.contains(KEY))
        );
    }
    assert_eq!(
        span_field(&spans[0], "url.template"),
        Some("/v1/chatbots/{chatbotId}/contacts/{contactId}")
    );
    assert_eq!(spans[1]["http.request.resend_count"], "1");
    assert_eq!(
        span_field(&spans[2], "url.template"),
        None,
        "a path the spec lacks may hold ids"
    );
}

fn span_field<'a>(span: &'a common::traced::Event, name: &str) -> Option<&'a str> {
    span.get(name).map(String::as_str)
}
