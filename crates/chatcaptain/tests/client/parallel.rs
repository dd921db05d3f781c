//! The partitioned parallel listing against the fake: every contact exactly once, whatever the
//! spread of `created`, ties at range bounds, concurrent inserts, `max_items`.

use crate::common;

use std::collections::HashSet;

use chatcaptain::{Client, NewContact};
use chatcaptain_fake::{FakeServer, FakeServerBuilder, Route, seed_base_time};
use chrono::TimeDelta;
use common::BOT;
use common::fake::{FAKE_KEY, fake_client, tied_fake};
use common::listing::assert_n_distinct;
use futures::TryStreamExt;

/// Every contact of `server`, listed in pages of `page_size` over `ranges` ranges.
async fn listed_in_parallel(
    server: &FakeServer,
    page_size: u32,
    ranges: usize,
) -> Vec<chatcaptain::Contact> {
    fake_client(server)
        .contacts(BOT)
        .list()
        .page_size(page_size)
        .parallel(ranges)
        .collect_all()
        .await
        .unwrap()
}

async fn listed_once(builder: FakeServerBuilder, ranges: usize, page_size: u32) {
    let server = builder.api_key(FAKE_KEY).chatbot(BOT).start().await;
    let got = listed_in_parallel(&server, page_size, ranges).await;
    let unique: HashSet<_> = got.iter().map(|c| c.id.clone()).collect();
    let count = server.contact_count(BOT);
    assert_eq!((got.len(), unique.len()), (count, count), "{ranges} ranges");
}

#[tokio::test]
async fn parallel_listing_of_evenly_spread_contacts_yields_each_once() {
    for ranges in [2, 4, 8] {
        let builder = tied_fake(2000, 60, 1000);
        listed_once(builder, ranges, 50).await;
    }
}

#[tokio::test]
async fn parallel_listing_of_contacts_crowded_in_a_burst_yields_each_once() {
    // 200 contacts over ~55 hours, then 1800 within 15 minutes of it.
    let builder = FakeServer::builder()
        .seed_contacts_every(BOT, 200, TimeDelta::seconds(1000))
        .seed_contacts_every(BOT, 1800, TimeDelta::milliseconds(500));
    listed_once(builder, 8, 40).await;
}

#[tokio::test]
async fn parallel_listing_of_millisecond_ties_yields_each_once() {
    let mut builder =
        FakeServer::builder().seed_contacts_every(BOT, 1500, TimeDelta::milliseconds(1));
    for ms in [3, 250, 999, 1000, 1001] {
        builder = builder.seed_contacts_at(BOT, 7, seed_base_time() + TimeDelta::milliseconds(ms));
    }
    listed_once(builder, 6, 25).await;
}

#[tokio::test]
async fn parallel_listing_of_one_contact_and_of_none() {
    listed_once(FakeServer::builder().seed_contacts(BOT, 1), 4, 10).await;
    listed_once(FakeServer::builder(), 4, 10).await;
}

#[tokio::test]
async fn parallel_listing_with_inserts_during_it_never_repeats_and_misses_no_older_contact() {
    let server = common::fake::seeded_fake(1000).await;
    let before = server.contact_count(BOT);
    let client = fake_client(&server);
    let mut items = client
        .contacts(BOT)
        .list()
        .page_size(30)
        .parallel(4)
        .items();
    let mut got = Vec::new();
    while let Some(contact) = items.try_next().await.unwrap() {
        got.push(contact);
        if got.len() % 100 == 0 {
            client
                .contacts(BOT)
                .create(NewContact::new("EN"))
                .await
                .unwrap();
        }
    }
    let unique: HashSet<_> = got.iter().map(|c| c.id.clone()).collect();
    assert_eq!(unique.len(), got.len(), "a contact came twice");
    let seeded = got
        .iter()
        .filter(|c| c.created < seed_base_time() + TimeDelta::days(365))
        .count();
    assert_eq!(
        seeded, before,
        "every contact that existed before the listing"
    );
}

#[tokio::test]
async fn parallel_listing_stops_at_max_items() {
    let server = common::fake::seeded_fake(500).await;
    let got = fake_client(&server)
        .contacts(BOT)
        .list()
        .page_size(20)
        .parallel(4)
        .max_items(77)
        .collect_all()
        .await
        .unwrap();
    assert_n_distinct(&got, 77, "");
}

/// The ids `listing` yields resumed from `saved`, after a trip through JSON as another process
/// would read it.
async fn resumed_through_json(
    listing: chatcaptain::ListContacts,
    saved: &chatcaptain::ParallelCursor,
) -> Vec<String> {
    let rest = listing
        .resume_parallel(common::through_json(saved))
        .collect_all()
        .await
        .unwrap();
    rest.into_iter().map(|c| c.id).collect()
}

/// Pages a parallel listing until at least `stop_after` contacts came, then resumes it from the
/// last page's saved state (through JSON, as another process would): together, every contact
/// exactly once.
async fn resumed_once(
    server: &FakeServer,
    ranges: usize,
    stop_after: usize,
    max_items: Option<usize>,
) {
    let client = fake_client(server);
    let listing = || client.contacts(BOT).list().page_size(20);
    let mut first = listing().parallel(ranges);
    if let Some(max) = max_items {
        first = first.max_items(max);
    }
    let mut pages = first.pages();
    let mut got = Vec::new();
    let mut saved = None;
    while let Some(page) = pages.try_next().await.unwrap() {
        got.extend(page.items().iter().map(|c| c.id.clone()));
        saved = page.next_parallel().cloned();
        if got.len() >= stop_after {
            break;
        }
    }
    drop(pages);
    // The last page may know it is the last: nothing to resume then.
    if let Some(saved) = saved {
        got.extend(resumed_through_json(listing(), &saved).await);
    }
    let unique: HashSet<_> = got.iter().collect();
    let count = server.contact_count(BOT);
    assert_eq!(
        (got.len(), unique.len()),
        (count, count),
        "{ranges} ranges, stopped after {stop_after}"
    );
}

#[tokio::test]
async fn a_parallel_listing_resumes_from_a_saved_page_without_repeats_or_gaps() {
    let server = tied_fake(900, 45, 300).start().await;
    for (ranges, stop_after) in [(4, 1), (4, 300), (8, 700), (3, 900), (2, 940)] {
        resumed_once(&server, ranges, stop_after, None).await;
    }
}

#[tokio::test]
async fn a_parallel_listing_cut_by_max_items_mid_page_resumes_at_the_next_contact() {
    let server = common::fake::seeded_fake(500).await;
    resumed_once(&server, 4, usize::MAX, Some(77)).await;
}

#[tokio::test]
async fn the_last_page_of_a_parallel_listing_has_no_resume_point() {
    let server = common::fake::seeded_fake(100).await;
    let pages: Vec<_> = fake_client(&server)
        .contacts(BOT)
        .list()
        .page_size(20)
        .parallel(4)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let last = pages.last().unwrap();
    // Either the last page knew it was the end, or resuming from it yields nothing.
    if let Some(at) = last.next_parallel() {
        let rest = fake_client(&server)
            .contacts(BOT)
            .list()
            .resume_parallel(at.clone())
            .collect_all()
            .await
            .unwrap();
        assert!(rest.is_empty(), "{} more after the end", rest.len());
    }
}

#[tokio::test]
async fn a_parallel_listing_under_a_rate_limit_waits_out_every_retry_after_and_loses_nothing() {
    // 20 requests a second with a second of burst; 30 pages and the probes (~40 requests) run
    // into it however slow the machine, and need about two seconds. The fake answers on a
    // runtime of its own, as a server does: on the listing's thread, requests already sent
    // would wait behind the listing's work and reach it after its 10 ms of grace.
    let fake = common::fake::start_apart(
        FakeServer::builder()
            .seed_contacts(BOT, 300)
            .rate_limit(20.0),
    );
    let server = &fake;
    let got = common::fake::builder_for(server)
        .retry_mode(chatcaptain::RetryMode::Adaptive)
        .build()
        .unwrap()
        .contacts(BOT)
        .list()
        .page_size(10)
        .parallel(8)
        .collect_all()
        .await
        .unwrap();
    assert_n_distinct(&got, 300, "");
    assert!(server.rate_limited_count() > 0, "the limit was reached");
    assert_eq!(
        server.early_request_count(),
        0,
        "a request arrived before a Retry-After had elapsed"
    );
    // The requests on their way when the first 429 came, and few more: the listing slows down
    // instead of running into the limit again and again.
    assert!(
        server.rate_limited_count() <= 16,
        "{} requests were answered 429",
        server.rate_limited_count()
    );
}

/// Lists `max_items(cut)` of a parallel listing, then resumes from the last page's
/// `next_parallel()` through JSON: every id of both parts, in order.
async fn cut_then_resumed(
    client: &Client,
    ranges: usize,
    page_size: u32,
    cut: usize,
) -> Vec<String> {
    let listing = || client.contacts(BOT).list().page_size(page_size);
    let pages: Vec<_> = listing()
        .parallel(ranges)
        .max_items(cut)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let mut got: Vec<String> = pages
        .iter()
        .flat_map(|p| p.items().iter().map(|c| c.id.clone()))
        .collect();
    assert_eq!(got.len(), cut, "{ranges} ranges, max_items({cut})");
    if let Some(saved) = pages.last().and_then(|p| p.next_parallel()) {
        got.extend(resumed_through_json(listing(), saved).await);
    }
    got
}

/// Cut points all along a list of `n`: the first and last few, and every `step`th between.
fn cut_points(n: usize, step: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = (1..4)
        .chain((4..n - 3).step_by(step))
        .chain(n - 3..=n)
        .collect();
    cuts.dedup();
    cuts
}

fn assert_all_once(got: &[String], want: &HashSet<String>, case: &str) {
    let unique: HashSet<String> = got.iter().cloned().collect();
    let missing = want.difference(&unique).count();
    assert_eq!(missing, 0, "{case}: {missing} never delivered");
    assert_eq!(got.len(), want.len(), "{case}: a contact came twice");
}

#[tokio::test]
async fn a_parallel_listing_cut_by_max_items_anywhere_resumes_with_nothing_missed_or_repeated() {
    let server = common::fake::seeded_fake(120).await;
    let client = fake_client(&server);
    let want: HashSet<String> = client
        .contacts(BOT)
        .list()
        .collect_all()
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    for ranges in [2, 5] {
        for cut in cut_points(120, 14) {
            let got = cut_then_resumed(&client, ranges, 10, cut).await;
            assert_all_once(&got, &want, &format!("{ranges} ranges, max_items({cut})"));
        }
    }
}

#[tokio::test]
async fn a_parallel_listing_cut_within_its_first_page_resumes_in_parallel() {
    let server = common::fake::seeded_fake(300).await;
    let client = fake_client(&server);
    let listing = || client.contacts(BOT).list().page_size(10);
    let first: Vec<_> = listing()
        .parallel(4)
        .max_items(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let saved = first[0].next_parallel().unwrap().clone();
    server.clear_requests();
    // Without `parallel(n)`: the saved listing's four ranges, the span found again.
    let rest = listing()
        .resume_parallel(saved)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(rest.len(), 297);
    let probes = server
        .requests()
        .iter()
        .filter(|r| r.query_param("limit") == Some("1"))
        .count();
    assert!(probes > 0, "the resumed listing went on as one range");
}

#[tokio::test]
async fn a_parallel_listing_resumes_from_the_saved_cursor_of_every_page() {
    let server = tied_fake(100, 12, 40).start().await;
    let client = fake_client(&server);
    let listing = || client.contacts(BOT).list().page_size(10);
    let pages: Vec<_> = listing().parallel(4).pages().try_collect().await.unwrap();
    let mut want = HashSet::new();
    for page in &pages {
        want.extend(page.items().iter().map(|c| c.id.clone()));
    }
    assert_eq!(want.len(), 112);
    for (k, page) in pages.iter().enumerate() {
        let mut got: Vec<String> = pages[..=k]
            .iter()
            .flat_map(|p| p.items().iter().map(|c| c.id.clone()))
            .collect();
        if let Some(saved) = page.next_parallel() {
            got.extend(resumed_through_json(listing(), saved).await);
        }
        assert_all_once(&got, &want, &format!("resumed after page {k}"));
    }
}

#[tokio::test]
async fn a_parallel_listing_cut_by_max_items_resumes_whole_on_an_inclusive_server_with_ties() {
    // Millisecond data over ~55 s in ties of three, from a server whose token is inclusive.
    let data: Vec<_> = (0..120)
        .map(|i| {
            common::contact(
                &format!("c{i:03}"),
                common::at(0) + TimeDelta::milliseconds(i / 3 * 1370),
            )
        })
        .collect();
    let shape = common::ListShape::spec().inclusive_token(true);
    let (server, _heard) = common::list_server_with(data.clone(), shape).await;
    let client = common::client(&server);
    let want: HashSet<String> = common::ids(&data).into_iter().collect();
    for ranges in [3, 8] {
        for cut in cut_points(120, 13) {
            let got = cut_then_resumed(&client, ranges, 10, cut).await;
            assert_all_once(&got, &want, &format!("{ranges} ranges, max_items({cut})"));
        }
    }
}

/// How many list requests a listing of `server`'s contacts sends, at `ranges` ranges.
async fn list_requests(server: &FakeServer, page_size: u32, ranges: usize) -> usize {
    server.clear_requests();
    let got = listed_in_parallel(server, page_size, ranges).await;
    assert_eq!(got.len(), server.contact_count(BOT));
    server.request_count(Route::ListContacts)
}

#[tokio::test]
async fn a_parallel_listing_costs_at_most_a_fifth_more_requests_than_a_sequential_one_plus_16() {
    // Even and bursty data; the span probes are what a small listing pays for most.
    let shapes = [
        FakeServer::builder().seed_contacts(BOT, 300),
        FakeServer::builder()
            .seed_contacts_every(BOT, 60, TimeDelta::seconds(1000))
            .seed_contacts_every(BOT, 540, TimeDelta::milliseconds(300)),
    ];
    for (shape, builder) in shapes.into_iter().enumerate() {
        let server = builder.api_key(FAKE_KEY).chatbot(BOT).start().await;
        for (page_size, ranges) in [(20, 4), (50, 8)] {
            let sequential = list_requests(&server, page_size, 1).await;
            let parallel = list_requests(&server, page_size, ranges).await;
            let bound = sequential * 6 / 5 + 16;
            assert!(
                parallel <= bound,
                "shape {shape}, page size {page_size}, {ranges} ranges: {parallel} requests, \
                 sequential {sequential}, bound {bound}"
            );
        }
    }
}

#[tokio::test]
async fn a_parallel_listing_probes_only_with_rfc_3339_date_times_down_to_year_one() {
    // Contacts from the first instant RFC 3339 can write to the present: the probes for the
    // oldest reach as far back as the data does, and no further than year 1.
    let mut data = common::contacts_one_second_apart(120);
    let first = chrono::DateTime::parse_from_rfc3339("0001-01-01T00:00:00Z").unwrap();
    data.push(common::contact("first", first.with_timezone(&chrono::Utc)));
    data.push(common::contact("middle", common::at(-40_000_000_000)));
    let (server, mut heard) = common::list_server(data.clone()).await;
    let got = common::client(&server)
        .contacts(BOT)
        .list()
        .page_size(20)
        .parallel(4)
        .collect_all()
        .await
        .unwrap();
    let unique: HashSet<String> = common::ids(&got).into_iter().collect();
    assert_eq!((got.len(), unique.len()), (data.len(), data.len()));
    for seen in heard.drain(&server) {
        let Some(token) = seen.param("pageToken") else {
            continue;
        };
        let year = token.split('-').next().unwrap_or_default();
        assert!(
            year.len() == 4 && chrono::DateTime::parse_from_rfc3339(token).is_ok(),
            "pageToken={token}"
        );
    }
}
