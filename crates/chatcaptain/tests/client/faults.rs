//! Faults injected into multi-page listings against the fake, for both pagination styles with
//! prefetch off and on: within the retry budget every contact comes exactly once; beyond it the
//! listing ends with the right error after a prefix without duplicates; never a hang.

use crate::common;

use std::time::Duration;

use chatcaptain::{ClientBuilder, Error};
use chatcaptain_fake::{FakeServer, Fault, Route};
use common::BOT;
use common::fake::{FAKE_KEY, builder_for};
use common::listing::{COMBINATIONS, assert_exactly_once, assert_no_duplicates, drain};

const CONTACTS: u64 = 2_000;
const PAGE_SIZE: u32 = 100;
/// Requests that succeed before a fault "beyond the budget" starts failing every attempt.
const GOOD_PAGES: u64 = 3;

/// A request slower than this is cut and retried.
const TIMEOUT: Duration = Duration::from_millis(200);
const SLOW: Duration = Duration::from_secs(1);

async fn seeded(fault: Fault) -> FakeServer {
    FakeServer::builder()
        .api_key(FAKE_KEY)
        .seed_contacts(BOT, CONTACTS)
        .fault(fault)
        .start()
        .await
}

/// Every 5th request of the listing fails with `fault` once: each fault is followed by a good
/// attempt.
async fn yields_every_contact_once_despite(fault: Fault) {
    for (style, prefetch) in COMBINATIONS {
        let context = format!("{style:?} prefetch={prefetch}");
        let server = seeded(fault.clone().on(style.route()).every(5)).await;
        let client = tuned(builder_for(&server));
        let outcome = drain(&client, BOT, style, prefetch, PAGE_SIZE).await;
        assert!(outcome.error.is_none(), "{context}: {:?}", outcome.error);
        assert_exactly_once(&server, BOT, &outcome.contacts, &context);
        let pages = CONTACTS as usize / PAGE_SIZE as usize;
        assert!(
            server.request_count(style.route()) > pages + 1,
            "{context}: no fault fired"
        );
    }
}

/// From the 4th request on, every attempt fails with `fault`: three good pages, then the error.
async fn ends_after_good_pages_with(fault: Fault, expected: impl Fn(&Error) -> bool) {
    for (style, prefetch) in COMBINATIONS {
        let context = format!("{style:?} prefetch={prefetch}");
        let server = seeded(fault.clone().on(style.route()).from_nth(GOOD_PAGES + 1)).await;
        let client = tuned(builder_for(&server));
        let outcome = drain(&client, BOT, style, prefetch, PAGE_SIZE).await;
        let error = outcome.error.expect("the listing fails");
        assert!(expected(&error), "{context}: {error:?}");
        assert_no_duplicates(&outcome.contacts, &context);
        assert_eq!(
            outcome.contacts.len(),
            (GOOD_PAGES * u64::from(PAGE_SIZE)) as usize,
            "{context}: the good pages, nothing more"
        );
    }
}

fn tuned(builder: ClientBuilder) -> chatcaptain::Client {
    builder.timeout(TIMEOUT).max_attempts(3).build().unwrap()
}

fn exhausted(check: impl Fn(&Error) -> bool) -> impl Fn(&Error) -> bool {
    move |e| e.attempts() == 3 && check(e.last_attempt())
}

fn status(code: u16) -> impl Fn(&Error) -> bool {
    move |e| matches!(e, Error::Api { status, .. } if *status == code)
}

#[tokio::test]
async fn rate_limits_with_retry_after_within_the_budget_lose_and_repeat_nothing() {
    yields_every_contact_once_despite(Fault::rate_limited(0)).await;
}

#[tokio::test]
async fn rate_limits_beyond_the_budget_end_the_listing_with_the_429() {
    ends_after_good_pages_with(Fault::rate_limited(0), exhausted(status(429))).await;
}

#[tokio::test]
async fn a_retry_after_past_max_retry_wait_ends_the_listing_at_once() {
    for (style, prefetch) in COMBINATIONS {
        let context = format!("{style:?} prefetch={prefetch}");
        let server = seeded(
            Fault::rate_limited(3600)
                .on(style.route())
                .nth(GOOD_PAGES + 1),
        )
        .await;
        let client = tuned(builder_for(&server));
        let outcome = drain(&client, BOT, style, prefetch, PAGE_SIZE).await;
        let error = outcome.error.expect("the listing fails");
        assert_eq!(
            error.retry_after(),
            Some(Duration::from_secs(3600)),
            "{context}"
        );
        assert_no_duplicates(&outcome.contacts, &context);
        assert_eq!(outcome.contacts.len(), 300, "{context}");
        assert_eq!(
            server.request_count(style.route()),
            4,
            "{context}: no retry"
        );
    }
}

#[tokio::test]
async fn service_unavailable_within_the_budget_loses_and_repeats_nothing() {
    yields_every_contact_once_despite(Fault::status(503)).await;
}

#[tokio::test]
async fn service_unavailable_beyond_the_budget_ends_the_listing_with_the_503() {
    ends_after_good_pages_with(Fault::status(503), exhausted(status(503))).await;
}

#[tokio::test]
async fn dropped_connections_within_the_budget_lose_and_repeat_nothing() {
    yields_every_contact_once_despite(Fault::drop_connection()).await;
}

#[tokio::test]
async fn dropped_connections_beyond_the_budget_end_the_listing_with_a_transport_error() {
    ends_after_good_pages_with(
        Fault::drop_connection(),
        exhausted(|e| matches!(e, Error::Transport(_))),
    )
    .await;
}

#[tokio::test]
async fn truncated_json_within_the_budget_loses_and_repeats_nothing() {
    yields_every_contact_once_despite(Fault::truncated_json()).await;
}

#[tokio::test]
async fn truncated_json_beyond_the_budget_ends_the_listing_with_a_decode_error() {
    ends_after_good_pages_with(
        Fault::truncated_json(),
        exhausted(|e| matches!(e, Error::Decode { .. })),
    )
    .await;
}

#[tokio::test]
async fn malformed_json_within_the_budget_loses_and_repeats_nothing() {
    yields_every_contact_once_despite(Fault::malformed_json()).await;
}

#[tokio::test]
async fn latency_past_the_timeout_within_the_budget_loses_and_repeats_nothing() {
    yields_every_contact_once_despite(Fault::latency(SLOW)).await;
}

#[tokio::test]
async fn latency_past_the_timeout_beyond_the_budget_ends_the_listing_with_a_timeout() {
    ends_after_good_pages_with(Fault::latency(SLOW), |e| {
        e.attempts() == 3 && e.is_timeout()
    })
    .await;
}

/// Sparse faults of every kind at once, each on 2% of requests (10% in all), drawn from fixed seeds.
fn sparse_mixed_faults() -> Vec<Fault> {
    vec![
        Fault::rate_limited(0).with_probability(0.02, 11),
        Fault::status(503).with_probability(0.02, 12),
        Fault::drop_connection().with_probability(0.02, 13),
        Fault::truncated_json().with_probability(0.02, 14),
        Fault::latency(SLOW).with_probability(0.02, 15),
    ]
}

#[tokio::test]
async fn a_20000_contact_sync_under_sparse_mixed_faults_yields_every_contact_once() {
    // With 10% of requests failing and 5 attempts, a page is lost with odds of 1 in 100,000:
    // a 200,000-contact sync in list pages of 1000 (200 pages) finishes with odds of 99.8%.
    let server = common::fake::seeded_fake(20_000).await;
    let client = builder_for(&server)
        .timeout(TIMEOUT)
        .max_attempts(5)
        .build()
        .unwrap();
    let mut faults_met = 0;
    for (style, prefetch) in COMBINATIONS {
        let context = format!("{style:?} prefetch={prefetch}");
        server.clear_faults();
        server.clear_requests();
        sparse_mixed_faults()
            .into_iter()
            .for_each(|f| server.add_fault(f));
        let outcome = drain(&client, BOT, style, prefetch, 250).await;
        assert!(outcome.error.is_none(), "{context}: {:?}", outcome.error);
        assert_exactly_once(&server, BOT, &outcome.contacts, &context);
        // 80 pages (the list asks once more to see the end): any request beyond is a retry.
        faults_met += server.request_count(Route::Any).saturating_sub(81);
    }
    assert!(faults_met >= 8, "the faults fired: {faults_met} retries");
}
