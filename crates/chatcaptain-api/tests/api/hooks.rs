//! The hand-written hooks below every generated operation, over loopback HTTP with wiremock.

use std::time::Duration;

use chatcaptain_api::hooks::ResponseTooLarge;
use chatcaptain_api::types::ErrorResponse;
use chatcaptain_api::{Client, Error, Hooks, ResponseValue};

use crate::{BOT, ID, delete_contact, expect_error_response, get_contact};
use reqwest::header::HeaderValue;
use serde_json::json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// What `get_contact` ends in, with `hooks`, when the server answers the contact's path with
/// `answer`.
async fn get_contact_answered(
    answer: ResponseTemplate,
    hooks: Hooks,
) -> Result<(), Error<ErrorResponse>> {
    let server = MockServer::start().await;
    Mock::given(path(format!("/v1/chatbots/{BOT}/contacts/{ID}")))
        .respond_with(answer)
        .mount(&server)
        .await;
    get_contact(&Client::new(&server.uri(), hooks))
        .await
        .map(drop)
}

/// Asserts `err` is the body error of an answer past `limit` bytes.
fn assert_too_large(err: Error<ErrorResponse>, limit: u64) {
    match err {
        Error::ResponseBodyError(e) => assert_eq!(
            ResponseTooLarge::in_chain(&e),
            Some(ResponseTooLarge { limit }),
            "{e:?}"
        ),
        other => panic!("expected a body error, got {other:?}"),
    }
}

fn contact_body() -> serde_json::Value {
    json!({ "contact": { "id": ID, "created": "2025-09-28T10:00:00Z", "name": "Max" } })
}

#[tokio::test]
async fn configured_headers_are_sent_with_every_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(header("x-chatcaptain-key", "secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_body()))
        .expect(2)
        .mount(&server)
        .await;
    let hooks = Hooks::new().header("x-chatcaptain-key", HeaderValue::from_static("secret"));
    let client = Client::new(&server.uri(), hooks);
    get_contact(&client).await.unwrap();
    get_contact(&client).await.unwrap();
}

#[tokio::test]
async fn debug_of_hooks_names_headers_but_never_shows_their_values() {
    let mut key = HeaderValue::from_static("secret");
    key.set_sensitive(true);
    let debug = format!("{:?}", Hooks::new().header("x-chatcaptain-key", key));
    assert!(debug.contains("x-chatcaptain-key"), "{debug}");
    assert!(!debug.contains("secret"), "{debug}");
}

#[tokio::test]
async fn an_error_status_with_an_html_body_keeps_its_status_headers_and_an_excerpt() {
    let html = ResponseTemplate::new(503)
        .insert_header("retry-after", "7")
        .set_body_raw(
            "<html><body><h1>503 Service Unavailable</h1></body></html>",
            "text/html",
        );
    let err = get_contact_answered(html, Hooks::default())
        .await
        .unwrap_err();
    let response = expect_error_response(err);
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "7");
    assert_eq!(response.error.as_deref(), Some("Service Unavailable"));
    let message = response.message.clone().unwrap();
    assert!(message.contains("not JSON"), "{message}");
    assert!(
        message.contains("<h1>503 Service Unavailable</h1>"),
        "{message}"
    );
    assert_eq!(response.status_code, Some(503));
}

#[tokio::test]
async fn an_error_status_with_a_json_body_reaches_the_caller_unchanged() {
    let response = error_response_for(
        404,
        json!({ "statusCode": 404, "message": "Contact not found", "error": "Not Found" }),
    )
    .await;
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(response.message.as_deref(), Some("Contact not found"));
}

#[tokio::test]
async fn a_body_past_max_response_bytes_fails_with_response_too_large() {
    let big_name = "x".repeat(10_000);
    let big = ResponseTemplate::new(200).set_body_json(
        json!({ "contact": { "id": ID, "created": "2025-09-28T10:00:00Z", "name": big_name } }),
    );
    let err = get_contact_answered(big, Hooks::new().max_response_bytes(1_000))
        .await
        .unwrap_err();
    assert_too_large(err, 1_000);
}

#[tokio::test]
async fn a_body_within_max_response_bytes_decodes() {
    let answer = ResponseTemplate::new(200).set_body_json(contact_body());
    get_contact_answered(answer, Hooks::new().max_response_bytes(1_000))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_per_request_timeout_applies_to_a_caller_supplied_reqwest_client() {
    let server = MockServer::start().await;
    Mock::given(path(format!("/v1/chatbots/{BOT}/contacts/{ID}")))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(contact_body())
                .set_delay(Duration::from_secs(30)),
        )
        .mount(&server)
        .await;
    let hooks = Hooks::new().timeout(Duration::from_millis(50));
    let client = Client::new_with_client(
        &server.uri(),
        chatcaptain_api::tls::client_builder().build().unwrap(),
        hooks,
    );
    match get_contact(&client).await.unwrap_err() {
        Error::CommunicationError(e) => assert!(e.is_timeout(), "{e:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

/// Serves one answer with a chunked body (no Content-Length), which wiremock cannot send.
async fn chunked_server(chunks: Vec<String>) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buf).await.unwrap();
            if n == 0 {
                return;
            }
            request.extend_from_slice(&buf[..n]);
        }
        let mut answer = String::from(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        );
        for chunk in chunks {
            answer.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
        }
        answer.push_str("0\r\n\r\n");
        // The client may hang up once past its limit; that is the point.
        let _ = socket.write_all(answer.as_bytes()).await;
    });
    url
}

#[tokio::test]
async fn a_chunked_body_past_max_response_bytes_is_cut_off_as_it_streams() {
    let name = "x".repeat(4_000);
    let body = format!(
        r#"{{"contact":{{"id":"{ID}","created":"2025-09-28T10:00:00Z","name":"{name}"}}}}"#
    );
    let chunks = body
        .as_bytes()
        .chunks(500)
        .map(|c| String::from_utf8(c.to_vec()).unwrap())
        .collect();
    let client = Client::new(
        &chunked_server(chunks).await,
        Hooks::new().max_response_bytes(1_000),
    );
    assert_too_large(get_contact(&client).await.unwrap_err(), 1_000);
}

#[tokio::test]
async fn a_chunked_body_within_max_response_bytes_decodes() {
    let body = contact_body().to_string();
    let (a, b) = body.split_at(body.len() / 2);
    let client = Client::new(
        &chunked_server(vec![a.to_owned(), b.to_owned()]).await,
        Hooks::new().max_response_bytes(1_000),
    );
    get_contact(&client).await.unwrap();
}

#[tokio::test]
async fn no_request_carries_the_spec_version_as_an_api_version_header() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_body()))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "deleted": true })))
        .mount(&server)
        .await;
    let client = Client::new(&server.uri(), Hooks::default());
    get_contact(&client).await.unwrap();
    delete_contact(&client).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 2);
    for request in received {
        assert!(
            !request.headers.contains_key("api-version"),
            "{} {} sent api-version: {:?}",
            request.method,
            request.url,
            request.headers.get("api-version")
        );
    }
}

/// Serves `body` as JSON with `status` for the contact, and runs `get_contact` against it.
async fn error_response_for(status: u16, body: serde_json::Value) -> ResponseValue<ErrorResponse> {
    let answer = ResponseTemplate::new(status).set_body_json(body);
    let err = get_contact_answered(answer, Hooks::default())
        .await
        .unwrap_err();
    expect_error_response(err)
}

#[tokio::test]
async fn a_nestjs_validation_error_with_a_list_of_messages_keeps_its_status_and_every_message() {
    let response = error_response_for(
        400,
        json!({
            "statusCode": 400,
            "message": ["contact.email must be an email", "contact.language must be a string"],
            "error": "Bad Request"
        }),
    )
    .await;
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(response.error.as_deref(), Some("Bad Request"));
    assert_eq!(
        response.message.as_deref(),
        Some("contact.email must be an email; contact.language must be a string")
    );
    assert_eq!(response.status_code, Some(400));
}

#[tokio::test]
async fn an_error_body_of_another_json_shape_keeps_its_status_and_the_best_text() {
    // `error` as an object, `statusCode` as a string: nothing decodes, the text survives.
    let response = error_response_for(
        422,
        json!({ "error": { "code": "E42", "detail": "quota" }, "statusCode": "422" }),
    )
    .await;
    assert_eq!(response.status().as_u16(), 422);
    let text = format!("{:?} {:?}", response.error, response.message);
    assert!(text.contains("quota") && text.contains("E42"), "{text}");
    // A JSON array, or a bare string, is kept as the message too.
    let response = error_response_for(500, json!(["boom"])).await;
    assert_eq!(response.status().as_u16(), 500);
    assert!(response.message.as_deref().unwrap().contains("boom"));
    let response = error_response_for(502, json!("bad gateway upstream")).await;
    assert_eq!(
        response.message.as_deref(),
        Some("bad gateway upstream"),
        "{response:?}"
    );
}

#[tokio::test]
async fn an_answer_from_another_origin_after_a_followed_redirect_is_refused() {
    // reqwest's default policy follows this, key header and all; the hooks refuse the answer.
    let (api, other) = (MockServer::start().await, MockServer::start().await);
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(contact_body()))
        .mount(&other)
        .await;
    let location = format!("http://localhost:{}/elsewhere", other.address().port());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&api)
        .await;
    let client = Client::new_with_client(
        &api.uri(),
        chatcaptain_api::tls::client_builder().build().unwrap(),
        Hooks::default(),
    );
    match get_contact(&client).await.unwrap_err() {
        Error::Custom(message) => {
            assert_eq!(
                chatcaptain_api::hooks::foreign_origin(&message),
                Some(location.as_str()),
                "{message}"
            );
        }
        other => panic!("expected the answer refused, got {other:?}"),
    }
}
