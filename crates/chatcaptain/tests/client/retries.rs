//! The retry policy over loopback HTTP: what is retried for which operation, how long it waits,
//! what it reports, and how it gives up.

use crate::common;

use std::time::{Duration, SystemTime};

use chatcaptain::{Error, NewContact};
use chatcaptain_fake::{FakeServer, Fault, Route};
use common::fake::{FAKE_KEY, builder_for, empty_fake, fake_client};
use common::traced::Events;
use common::{BOT, builder_at_port, closed_port};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A fake holding contact `c1` of chatbot `bot1`, with `fault` installed.
async fn fake_with(fault: Fault) -> FakeServer {
    common::fake::holding_c1().fault(fault).start().await
}

/// Guards against a hang; never an assertion on speed.
async fn within<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(20), future)
        .await
        .expect("the call ended")
}

/// Gets contact `c1` of [`BOT`] through `client`, within the test's time limit.
async fn get_c1(client: &chatcaptain::Client) -> Result<chatcaptain::Contact, Error> {
    within(client.contacts(BOT).get("c1")).await
}

/// Gets contact `c1` as [`get_c1`] does, through a client built from `builder`.
async fn get_c1_via(builder: chatcaptain::ClientBuilder) -> Result<chatcaptain::Contact, Error> {
    get_c1(&builder.build().unwrap()).await
}

#[tokio::test]
async fn a_503_is_retried_and_the_retry_is_traced_with_attempt_status_and_delay() {
    let (events, _guard) = Events::capture();
    let server = fake_with(Fault::status(503).on(Route::GetContact).nth(1)).await;
    let got = get_c1(&fake_client(&server)).await;
    assert_eq!(got.unwrap().id, "c1");
    assert_eq!(server.request_count(Route::GetContact), 2);
    let retries = events.retries();
    assert_eq!(retries.len(), 1, "{retries:?}");
    let retry = &retries[0];
    assert_eq!(retry["operation"], "get_contact");
    assert_eq!(retry["attempt"], "1");
    assert_eq!(retry["status"], "503");
    assert_eq!(retry["reason"], "service unavailable");
    assert_eq!(retry["level"], "WARN");
    let delay: u64 = retry["delay_ms"].parse().unwrap();
    assert!(
        delay <= 1,
        "first backoff is at most the 1 ms base: {delay}"
    );
}

#[tokio::test]
async fn every_retryable_status_is_retried() {
    for status in [429, 500, 502, 503, 504] {
        let fault = if status == 429 {
            Fault::rate_limited_without_retry_after()
        } else {
            Fault::status(status)
        };
        let server = fake_with(fault.on(Route::GetContact).times(2)).await;
        let got = get_c1(&fake_client(&server)).await;
        assert!(got.is_ok(), "{status}: {got:?}");
        assert_eq!(server.request_count(Route::GetContact), 3, "{status}");
    }
}

#[tokio::test]
async fn a_404_is_not_retried() {
    let server = fake_with(Fault::latency(Duration::ZERO)).await;
    let err = within(fake_client(&server).contacts(BOT).get("nope"))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.attempts(), 1);
    assert_eq!(server.request_count(Route::GetContact), 1);
}

#[tokio::test]
async fn exhausted_attempts_give_the_last_error_and_the_attempt_count() {
    let server = fake_with(Fault::status(503).on(Route::GetContact)).await;
    let err = get_c1(&fake_client(&server)).await.unwrap_err();
    assert!(
        matches!(&err, Error::RetriesExhausted { attempts: 3, last } if matches!(**last, Error::Api { status, .. } if status == 503)),
        "{err:?}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.to_string(), "gave up after 3 attempts");
    assert_eq!(
        std::error::Error::source(&err).map(ToString::to_string),
        Some(err.last_attempt().to_string())
    );
    assert_eq!(server.request_count(Route::GetContact), 3);
}

#[tokio::test]
async fn max_attempts_sets_the_budget_and_one_turns_retries_off() {
    let server = fake_with(Fault::status(503).on(Route::GetContact)).await;
    let five = get_c1_via(builder_for(&server).max_attempts(5)).await;
    assert_eq!(five.unwrap_err().attempts(), 5);
    server.clear_requests();
    let err = get_c1_via(builder_for(&server).max_attempts(1))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_eq!(server.request_count(Route::GetContact), 1);
}

#[tokio::test]
async fn retry_after_in_seconds_is_the_delay_of_the_retry() {
    // The one test that waits for real: a second, as the server asked.
    let (events, _guard) = Events::capture();
    let server = fake_with(Fault::rate_limited(1).on(Route::GetContact).nth(1)).await;
    get_c1(&fake_client(&server)).await.unwrap();
    let retries = events.retries();
    assert_eq!(retries[0]["delay_ms"], "1000", "{retries:?}");
    assert_eq!(retries[0]["status"], "429");
}

#[tokio::test]
async fn retry_after_beyond_max_retry_wait_fails_at_once_with_the_wait() {
    let server = fake_with(Fault::rate_limited(120).on(Route::GetContact)).await;
    let started = std::time::Instant::now();
    let err = get_c1_via(builder_for(&server).max_retry_wait(Duration::from_secs(60)))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::RateLimited { retry_after, max_wait, .. }
            if *retry_after == Duration::from_secs(120) && *max_wait == Duration::from_secs(60)),
        "{err:?}"
    );
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(server.request_count(Route::GetContact), 1);
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "it did not wait"
    );
}

#[tokio::test]
async fn retry_after_is_seen_through_retries_exhausted() {
    let server = fake_with(Fault::rate_limited(0).on(Route::GetContact)).await;
    let err = get_c1(&fake_client(&server)).await.unwrap_err();
    assert_eq!(err.attempts(), 3, "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::ZERO), "{err:?}");
}

#[tokio::test]
async fn a_retry_after_longer_than_the_call_timeout_left_fails_at_once_keeping_the_rate_limit() {
    let server = fake_with(Fault::rate_limited(30).on(Route::GetContact)).await;
    let err = get_c1_via(builder_for(&server).call_timeout(Duration::from_secs(2)))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        matches!(&err, Error::Timeout { limit, cause: Some(cause) }
            if *limit == Duration::from_secs(2) && matches!(**cause, Error::Api { .. })),
        "{err:?}"
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(err.retry_after(), Some(Duration::from_secs(30)));
    let source = std::error::Error::source(&err).expect("the rate limit is the cause");
    assert!(source.to_string().contains("429"), "{source}");
    assert_eq!(server.request_count(Route::GetContact), 1);
}

/// A wiremock server answering 503 with `Retry-After: <date>` once, then a contact.
async fn once_503_retry_after(date: SystemTime) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", httpdate::fmt_http_date(date).as_str())
                .set_body_json(serde_json::json!({ "statusCode": 503, "message": "busy" })),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "contact": { "id": "c1", "created": "2025-09-28T10:00:00Z" }
        })))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_read() {
    // A date already passed means "now": with a 30 s backoff, a zero delay can only come from it.
    let (events, _guard) = Events::capture();
    let server = once_503_retry_after(SystemTime::now() - Duration::from_secs(5)).await;
    let client = chatcaptain::Client::builder()
        .api_key(FAKE_KEY)
        .base_url(server.uri())
        .backoff(Duration::from_secs(30), Duration::from_secs(30))
        .build()
        .unwrap();
    get_c1(&client).await.unwrap();
    assert_eq!(events.retries()[0]["delay_ms"], "0");

    let later = once_503_retry_after(SystemTime::now() + Duration::from_secs(3600)).await;
    let client = chatcaptain::Client::builder()
        .api_key(FAKE_KEY)
        .base_url(later.uri())
        .build()
        .unwrap();
    let err = get_c1(&client).await.unwrap_err();
    let wait = err.retry_after().expect("rate limited");
    assert!((3590..=3600).contains(&wait.as_secs()), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
}

#[tokio::test]
async fn a_request_slower_than_the_timeout_is_retried() {
    let (events, _guard) = Events::capture();
    let server = fake_with(
        Fault::latency(Duration::from_secs(2))
            .on(Route::GetContact)
            .nth(1),
    )
    .await;
    get_c1_via(builder_for(&server).timeout(Duration::from_millis(200)))
        .await
        .unwrap();
    assert_eq!(events.retries()[0]["reason"], "timeout");
}

#[tokio::test]
async fn every_attempt_timing_out_is_a_timeout_error() {
    let server = fake_with(Fault::latency(Duration::from_secs(2)).on(Route::GetContact)).await;
    let err = get_c1_via(builder_for(&server).timeout(Duration::from_millis(100)))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn call_timeout_bounds_the_whole_call_retries_and_waits_included() {
    let server = fake_with(Fault::status(503).on(Route::GetContact)).await;
    let err = get_c1_via(
        builder_for(&server)
            .max_attempts(1000)
            .backoff(Duration::from_millis(50), Duration::from_millis(50))
            .call_timeout(Duration::from_millis(300)),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, Error::Timeout { limit, .. } if limit == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(err.is_timeout());
    assert!(server.request_count(Route::GetContact) > 1);
}

#[tokio::test]
async fn update_and_delete_are_retried_after_a_cut_answer() {
    let server = fake_with(Fault::drop_connection().on(Route::UpdateContact).nth(1)).await;
    server.add_fault(Fault::truncated_json().on(Route::DeleteContact).nth(1));
    let contacts = fake_client(&server).contacts(BOT);
    let updated = within(contacts.update("c1", chatcaptain::ContactUpdate::new().name("Max")))
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("Max"));
    // The first delete did delete; the retry finds nothing to delete, which is the same end state.
    let deleted = within(contacts.delete("c1")).await;
    assert!(deleted.is_ok(), "{deleted:?}");
    assert_eq!(server.request_count(Route::DeleteContact), 2);
    assert!(server.contact(BOT, "c1").is_none());
}

#[tokio::test]
async fn a_delete_whose_retry_finds_the_contact_gone_is_ok_true() {
    // The first attempt deletes, then its answer is cut; the retry answers 404.
    let server = fake_with(Fault::drop_connection().on(Route::DeleteContact).nth(1)).await;
    let deleted = within(fake_client(&server).contacts(BOT).delete("c1")).await;
    assert!(matches!(deleted, Ok(true)), "{deleted:?}");
    assert_eq!(server.request_count(Route::DeleteContact), 2);
    assert!(server.contact(BOT, "c1").is_none());
}

#[tokio::test]
async fn a_404_on_the_first_delete_attempt_stays_an_error() {
    let server = empty_fake().await;
    let err = within(fake_client(&server).contacts(BOT).delete("nobody"))
        .await
        .unwrap_err();
    assert!(err.is_not_found(), "{err:?}");
    assert_eq!(err.attempts(), 1);
}

#[tokio::test]
async fn create_is_not_retried_after_a_503() {
    let server = fake_with(Fault::status(503).on(Route::CreateContact).nth(1)).await;
    let err = within(
        fake_client(&server)
            .contacts(BOT)
            .create(NewContact::new("EN")),
    )
    .await
    .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err:?}");
    assert_eq!(server.request_count(Route::CreateContact), 1);
}

#[tokio::test]
async fn create_is_not_retried_after_a_cut_answer_so_no_duplicate_is_made() {
    let server = fake_with(Fault::drop_connection().on(Route::CreateContact).nth(1)).await;
    let result = within(
        fake_client(&server)
            .contacts(BOT)
            .create(NewContact::new("EN")),
    )
    .await;
    assert!(result.is_err(), "{result:?}");
    assert_eq!(server.request_count(Route::CreateContact), 1);
    // The server did create it: a retry would have made a second one.
    assert_eq!(server.contact_count(BOT), 2);
}

#[tokio::test]
async fn create_is_retried_after_a_429_which_created_nothing() {
    let server = fake_with(Fault::rate_limited(0).on(Route::CreateContact).nth(1)).await;
    within(
        fake_client(&server)
            .contacts(BOT)
            .create(NewContact::new("EN")),
    )
    .await
    .unwrap();
    assert_eq!(server.request_count(Route::CreateContact), 2);
    assert_eq!(server.contact_count(BOT), 2);
}

#[tokio::test]
async fn create_is_retried_after_a_failed_connect() {
    let port = closed_port();
    let (events, _guard) = Events::capture();
    let client = builder_at_port(port)
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
        .build()
        .unwrap();
    let err = within(client.contacts(BOT).create(NewContact::new("EN")))
        .await
        .unwrap_err();
    assert_eq!(err.attempts(), 3, "{err:?}");
    assert!(matches!(err.last_attempt(), Error::Transport(_)), "{err:?}");
    assert_eq!(events.retries()[0]["reason"], "connect error");
}

#[tokio::test]
async fn create_retries_a_cut_answer_when_opted_in_at_the_risk_of_a_duplicate() {
    let server = fake_with(Fault::drop_connection().on(Route::CreateContact).nth(1)).await;
    let client = builder_for(&server)
        .retry_non_idempotent(true)
        .build()
        .unwrap();
    within(client.contacts(BOT).create(NewContact::new("EN")))
        .await
        .unwrap();
    assert_eq!(server.request_count(Route::CreateContact), 2);
    assert_eq!(server.contact_count(BOT), 3, "c1 plus two created");
}

#[tokio::test]
async fn each_request_has_a_span_with_opentelemetry_http_client_attributes_and_no_personal_data() {
    let (events, _guard) = Events::capture();
    let server = fake_with(Fault::status(503).on(Route::GetContact).nth(1)).await;
    let got = get_c1(&fake_client(&server)).await;
    assert_eq!(got.unwrap().id, "c1");
    let spans = events.spans("chatcaptain.request");
    assert_eq!(spans.len(), 2, "{spans:?}");
    for (i, span) in spans.iter().enumerate() {
        assert_eq!(span["http.request.method"], "GET");
        assert_eq!(
            span["url.template"],
            "/v1/chatbots/{chatbotId}/contacts/{contactId}"
        );
        assert_eq!(span["server.address"], "127.0.0.1");
        assert_eq!(span["http.request.resend_count"], i.to_string());
        assert_eq!(span["operation"], "get_contact");
        // Neither the key nor an id nor the chatbot is in any field.
        for value in span.values() {
            assert!(
                !value.contains(FAKE_KEY) && !value.contains("c1") && !value.contains(BOT),
                "{span:?}"
            );
        }
    }
    assert_eq!(spans[0]["http.response.status_code"], "503");
    assert_eq!(spans[0]["error.type"], "503");
    assert_eq!(spans[1]["http.response.status_code"], "200");
    assert!(!spans[1].contains_key("error.type"));
}
