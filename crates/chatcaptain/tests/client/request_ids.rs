//! The server's id of a failed request, for a support ticket: on the error, in its message and in
//! the request's span, from whichever header the answer carried it in.

use crate::common;

use std::time::Duration;

use chatcaptain::{Client, Error};
use common::BOT;
use common::traced::Events;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn fast(server: &MockServer) -> Client {
    common::builder(server)
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap()
}

/// The error of a `get` answered `status` with `headers`.
async fn failed_with(status: u16, headers: &[(&str, &str)]) -> Error {
    let server = MockServer::start().await;
    let mut answer =
        ResponseTemplate::new(status).set_body_json(serde_json::json!({ "error": "nope" }));
    for (name, value) in headers {
        answer = answer.insert_header(*name, *value);
    }
    Mock::given(method("GET"))
        .respond_with(answer)
        .mount(&server)
        .await;
    fast(&server).contacts(BOT).get("c1").await.unwrap_err()
}

#[tokio::test]
async fn each_request_id_header_is_read_and_the_first_present_wins() {
    let trace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    for (headers, expected) in [
        (vec![("x-request-id", "req-1")], Some("req-1")),
        (vec![("x-amzn-requestid", "amzn-2")], Some("amzn-2")),
        (vec![("x-correlation-id", "corr-3")], Some("corr-3")),
        (
            vec![("traceparent", trace)],
            Some("4bf92f3577b34da6a3ce929d0e0e4736"),
        ),
        (
            vec![("traceparent", trace), ("x-correlation-id", "corr-3")],
            Some("corr-3"),
        ),
        (vec![("traceparent", "garbage")], None),
        (vec![], None),
    ] {
        let err = failed_with(404, &headers).await;
        assert_eq!(err.request_id(), expected, "{headers:?}: {err:?}");
        match expected {
            Some(id) => assert!(
                err.to_string().ends_with(&format!("(request id {id})")),
                "{err}"
            ),
            None => assert!(!err.to_string().contains("request id"), "{err}"),
        }
    }
}

#[tokio::test]
async fn a_request_id_too_long_to_print_is_not_taken() {
    let long = "x".repeat(200);
    let err = failed_with(404, &[("x-request-id", &long)]).await;
    assert_eq!(err.request_id(), None);
}

#[tokio::test]
async fn the_request_id_of_the_last_attempt_survives_the_retries() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-request-id", "first"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).insert_header("x-request-id", "later"))
        .mount(&server)
        .await;
    let err = fast(&server).contacts(BOT).get("c1").await.unwrap_err();
    assert!(matches!(err, Error::RetriesExhausted { .. }), "{err:?}");
    assert_eq!(err.request_id(), Some("later"));
}

#[tokio::test]
async fn the_span_of_each_request_records_its_request_id() {
    let (events, _guard) = Events::capture();
    let err = failed_with(403, &[("x-request-id", "req-span")]).await;
    assert_eq!(err.request_id(), Some("req-span"));
    let spans = events.spans("chatcaptain.request");
    assert_eq!(spans.len(), 1, "{spans:?}");
    assert_eq!(spans[0]["http.response.request_id"], "req-span");
}
