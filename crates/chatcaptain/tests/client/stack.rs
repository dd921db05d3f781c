//! What fits the client into a user's stack: request and response hooks on every attempt, and
//! settings for some calls (`Client::with`) that leave the client as it was.

use crate::common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chatcaptain::{CallOptions, Error, Operation};
use chatcaptain_fake::{FakeServer, Fault, Route};
use common::BOT;
use common::fake::builder_for;
use reqwest::header::HeaderValue;

/// What a hook saw, shared with the test.
type Log<T> = Arc<Mutex<Vec<T>>>;

async fn fake_with(faults: &[Fault]) -> FakeServer {
    let mut builder = common::fake::holding_c1();
    for fault in faults {
        builder = builder.fault(fault.clone());
    }
    builder.start().await
}

#[tokio::test]
async fn request_hooks_run_in_order_on_every_attempt_and_never_see_the_key() {
    let server = fake_with(&[Fault::status(503).on(Route::GetContact).nth(1)]).await;
    let seen: Log<(Option<Operation>, bool)> = Arc::default();
    let log = seen.clone();
    let client = builder_for(&server)
        .on_request(|request, _| {
            request
                .headers_mut()
                .insert("x-trace-id", HeaderValue::from_static("t-1"));
            // A hook cannot replace the key: the client's own header is added after it.
            request
                .headers_mut()
                .insert("x-chatcaptain-key", HeaderValue::from_static("stolen"));
        })
        .on_request(move |request, operation| {
            let had_trace = request.headers().get("x-trace-id").is_some();
            log.lock().unwrap().push((operation, had_trace));
        })
        .build()
        .unwrap();
    let got = client.contacts(BOT).get("c1").await.unwrap();
    assert_eq!(got.id, "c1");
    // Two attempts (the 503, then the retry), each seen by both hooks in order.
    assert_eq!(
        *seen.lock().unwrap(),
        [(Some(Operation::GetContact), true); 2]
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert_eq!(request.header("x-trace-id"), Some("t-1"));
    }
    // The fake accepted both: the real key went, not the hook's.
    assert_eq!(server.request_count(Route::GetContact), 2);
}

#[tokio::test]
async fn response_hooks_see_the_status_of_every_attempt() {
    let server = fake_with(&[Fault::status(503).on(Route::GetContact).nth(1)]).await;
    let statuses: Log<(u16, Option<Operation>)> = Arc::default();
    let log = statuses.clone();
    let client = builder_for(&server)
        .on_response(move |response, operation| {
            log.lock()
                .unwrap()
                .push((response.status().as_u16(), operation));
        })
        .build()
        .unwrap();
    client.contacts(BOT).get("c1").await.unwrap();
    assert_eq!(
        *statuses.lock().unwrap(),
        [
            (503, Some(Operation::GetContact)),
            (200, Some(Operation::GetContact))
        ]
    );
}

#[tokio::test]
async fn call_options_override_one_call_and_leave_the_client_as_it_was() {
    // The first two requests fail: the call with one attempt gives up on the first, and the
    // client's own next call still retries past the second.
    let server = fake_with(&[
        Fault::status(503).on(Route::GetContact).nth(1),
        Fault::status(503).on(Route::GetContact).nth(2),
    ])
    .await;
    let client = builder_for(&server).build().unwrap();
    let err = client
        .with(CallOptions::new().max_attempts(1))
        .contacts(BOT)
        .get("c1")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.request_count(Route::GetContact), 1);
    let got = client.contacts(BOT).get("c1").await.unwrap();
    assert_eq!(got.id, "c1");
    assert_eq!(server.request_count(Route::GetContact), 3);
}

#[tokio::test]
async fn a_per_call_timeout_bounds_that_call_only() {
    let server = fake_with(&[Fault::latency(Duration::from_millis(400))
        .on(Route::GetContact)
        .always()])
    .await;
    let client = builder_for(&server).build().unwrap();
    let contacts = client.contacts(BOT);
    let err = contacts
        .with(
            CallOptions::new()
                .timeout(Duration::from_millis(50))
                .max_attempts(1),
        )
        .get("c1")
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    // The handle it was made from keeps the client's 30 s timeout.
    assert_eq!(contacts.get("c1").await.unwrap().id, "c1");
}

#[tokio::test]
async fn zero_attempts_for_a_call_is_refused_before_sending() {
    let server = fake_with(&[]).await;
    let err = builder_for(&server)
        .build()
        .unwrap()
        .with(CallOptions::new().max_attempts(0))
        .contacts(BOT)
        .get("c1")
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument(_)), "{err:?}");
    assert!(server.requests().is_empty());
}
