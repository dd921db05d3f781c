//! Listing and searching over loopback HTTP: page boundaries, ties, stalls, caps, resume, prefetch.

use crate::common;

use std::time::Duration;

use chatcaptain::Error;
use common::*;
use futures::{StreamExt, TryStreamExt};

async fn list_ids(n: usize, page_size: u32) -> (Vec<String>, usize) {
    let listed = list_through(&contacts_one_second_apart(n), ListShape::spec(), page_size).await;
    (listed.ids(), listed.requests.len())
}

fn expected_ids(n: usize) -> Vec<String> {
    (0..n).rev().map(|i| format!("c{i}")).collect()
}

#[tokio::test]
async fn list_of_zero_contacts_is_empty_after_one_request() {
    assert_eq!(list_ids(0, 10).await, (vec![], 1));
}

#[tokio::test]
async fn list_of_one_contact_yields_it_and_confirms_the_end_with_one_more_request() {
    // A short page may be a server's silent cap, so the end is the answer that brings nothing new.
    assert_eq!(list_ids(1, 10).await, (expected_ids(1), 2));
}

#[tokio::test]
async fn list_of_exactly_page_size_asks_once_more_and_ends_on_the_empty_page() {
    assert_eq!(list_ids(10, 10).await, (expected_ids(10), 2));
}

#[tokio::test]
async fn list_of_page_size_plus_one_yields_all_newest_first() {
    let (got, requests) = list_ids(11, 10).await;
    assert_eq!(got, expected_ids(11));
    assert_eq!(
        requests, 3,
        "two pages and the answer that confirms the end"
    );
}

#[tokio::test]
async fn list_sends_page_size_as_limit_and_the_last_created_as_cursor() {
    let listed = list_through(&contacts_one_second_apart(5), ListShape::spec(), 3).await;
    listed.result.unwrap();
    let requests = listed.requests;
    assert_eq!(requests[0].param("limit"), Some("3"));
    assert_eq!(requests[0].param("pageToken"), None);
    // c2 ends page one; the cursor sits one tick (here: a second) past it.
    assert_eq!(
        requests[1].param("pageToken"),
        Some(at(3).to_rfc3339().replace("+00:00", "Z").as_str())
    );
}

#[tokio::test]
async fn list_with_ties_at_page_boundary_yields_each_contact_once() {
    // Seven contacts share one timestamp and straddle the first and second page boundaries.
    let mut data = contacts_one_second_apart(3);
    data.extend(tied_at(at(10), 7, "tie"));
    data.push(contact("newest", at(20)));
    let listed = list_through(&data, ListShape::spec(), 3).await;
    let got = listed.result.unwrap();
    assert_eq!(ids(&got), ids_newest_first(&data));
}

#[tokio::test]
async fn list_with_more_ties_than_a_page_grows_the_limit_and_loses_nothing() {
    let mut data = tied_at(at(5), 25, "tie");
    data.extend(contacts_one_second_apart(2));
    let listed = list_through(&data, ListShape::spec(), 4).await;
    let got = listed.result.unwrap();
    assert_eq!(ids(&got), ids_newest_first(&data));
}

#[tokio::test]
async fn list_with_ties_at_millisecond_precision_yields_each_contact_once() {
    let t = at(1) + chrono::TimeDelta::milliseconds(250);
    let mut data = tied_at(t, 5, "tie");
    data.push(contact("older", t - chrono::TimeDelta::milliseconds(1)));
    let listed = list_through(&data, ListShape::spec(), 2).await;
    let got = listed.result.unwrap();
    assert_eq!(ids(&got), ids_newest_first(&data));
    let second = &listed.requests[1];
    assert_eq!(second.param("pageToken"), Some("2025-09-28T10:00:01.251Z"));
}

#[tokio::test]
async fn list_whose_cursor_does_not_advance_fails_instead_of_looping() {
    let shape = ListShape::spec().ignore_token(true);
    let listed = list_through(&contacts_one_second_apart(10), shape, 3).await;
    listed.assert_error(|e| matches!(e, Error::PaginationInconsistent(_)));
    assert_eq!(listed.requests.len(), 2);
}

#[tokio::test]
async fn list_with_more_ties_than_the_servers_maximum_limit_fails_as_stalled() {
    let data = tied_at(at(0), 1001, "t");
    let shape = ListShape::spec().max_limit(1000);
    let listed = list_through(&data, shape, 1000).await;
    listed.assert_error(|e| matches!(e, Error::PaginationStalled(_)));
}

#[tokio::test]
async fn list_max_items_smaller_than_a_page_stops_after_one_request() {
    let (server, mut heard) = list_server(contacts_one_second_apart(20)).await;
    let got = client(&server)
        .contacts(BOT)
        .list()
        .page_size(10)
        .max_items(3)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&got), expected_ids(20)[..3]);
    assert_eq!(heard.drain(&server).len(), 1);
}

#[tokio::test]
async fn list_resumed_from_a_saved_page_cursor_yields_the_rest_exactly_once() {
    let mut data = contacts_one_second_apart(6);
    data.extend(tied_at(at(3), 4, "tie"));
    let (server, _heard) = list_server(data.clone()).await;
    let contacts = client(&server).contacts(BOT);

    let mut pages = contacts.list().page_size(4).pages();
    let first = pages.next().await.unwrap().unwrap();
    drop(pages);
    let cursor = through_json(first.next_cursor().unwrap());
    let rest = contacts
        .list()
        .page_size(4)
        .resume(cursor)
        .collect_all()
        .await
        .unwrap();

    let all = ids_then(first.items(), &rest);
    assert_eq!(all, ids_newest_first(&data));
}

#[tokio::test]
async fn list_resumed_after_a_max_items_cut_continues_mid_page() {
    let data = contacts_one_second_apart(10);
    let (server, _heard) = list_server(data).await;
    let contacts = client(&server).contacts(BOT);
    let mut pages = contacts.list().page_size(4).max_items(2).pages();
    let only = pages.next().await.unwrap().unwrap();
    assert!(pages.next().await.is_none());
    let rest = contacts
        .list()
        .page_size(4)
        .resume(only.next_cursor().unwrap().clone())
        .collect_all()
        .await
        .unwrap();
    let all = ids_then(only.items(), &rest);
    assert_eq!(all, expected_ids(10));
}

#[tokio::test]
async fn list_starting_before_an_instant_skips_newer_contacts() {
    let (server, _heard) = list_server(contacts_one_second_apart(6)).await;
    let got = client(&server)
        .contacts(BOT)
        .list()
        .starting_before(at(3))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&got), ["c2", "c1", "c0"]);
}

#[tokio::test]
async fn list_cursor_of_the_last_page_resumes_to_nothing() {
    let (server, _heard) = list_server(contacts_one_second_apart(3)).await;
    let contacts = client(&server).contacts(BOT);
    let pages: Vec<_> = contacts.list().page_size(2).pages().collect().await;
    assert_eq!(pages.len(), 2);
    // The last page cannot know it is the last (a short page may be a cap); its cursor resumes to
    // an empty listing.
    let last = pages[1].as_ref().unwrap().next_cursor().unwrap().clone();
    let rest = contacts.list().resume(last).collect_all().await.unwrap();
    assert!(rest.is_empty());
}

#[tokio::test]
async fn list_with_more_than_a_thousand_ties_pages_through_a_server_without_that_maximum() {
    let data = tied_at(at(0), 1001, "t");
    let shape = ListShape::spec().max_limit(usize::MAX);
    let listed = list_through(&data, shape, 1000).await;
    let got = listed.result.unwrap();
    assert_eq!(ids(&got), ids_newest_first(&data));
}

#[tokio::test]
async fn list_with_invalid_page_size_fails_without_a_request() {
    let listed = list_through(&contacts_one_second_apart(3), ListShape::spec(), 0).await;
    listed.assert_error(|e| matches!(e, Error::InvalidArgument(_)));
    assert!(listed.requests.is_empty());
}

/// The contacts of `server`, listed in pages of 4 with the next page fetched ahead.
fn prefetched_in_fours(
    server: &impl Served,
) -> impl futures::Stream<Item = Result<chatcaptain::Contact, Error>> + Unpin {
    client(server)
        .contacts(BOT)
        .list()
        .page_size(4)
        .prefetch(true)
        .items()
}

#[tokio::test]
async fn prefetch_requests_the_next_page_before_the_consumer_asks() {
    let (server, mut heard) = list_server(contacts_one_second_apart(10)).await;
    let mut items = prefetched_in_fours(&server);
    items.next().await.unwrap().unwrap();
    assert!(
        heard
            .recv(&server)
            .await
            .unwrap()
            .param("pageToken")
            .is_none()
    );
    // Only 1 of 4 items consumed, yet the server hears the request for page two.
    let second = tokio::time::timeout(Duration::from_secs(10), heard.recv(&server))
        .await
        .expect("page two is requested ahead of the consumer")
        .unwrap();
    assert!(second.param("pageToken").is_some());
}

#[tokio::test]
async fn prefetch_stays_one_request_ahead() {
    let (server, mut heard) = list_server(contacts_one_second_apart(20)).await;
    let mut items = prefetched_in_fours(&server);
    for _ in 0..5 {
        items.next().await.unwrap().unwrap();
    }
    // Five items consumed: pages one and two fetched, page three ahead, nothing further.
    let mut requests = Vec::new();
    for _ in 0..3 {
        requests.push(
            tokio::time::timeout(Duration::from_secs(10), heard.recv(&server))
                .await
                .unwrap()
                .unwrap(),
        );
    }
    drop(items);
    let marker = client(&server)
        .contacts(BOT)
        .list()
        .page_size(1)
        .max_items(1)
        .collect_all()
        .await;
    marker.unwrap();
    let after = heard.drain(&server);
    assert_eq!(after.len(), 1, "only the marker request follows: {after:?}");
    assert_eq!(after[0].param("limit"), Some("1"));
}

#[tokio::test]
async fn prefetch_in_flight_is_cancelled_when_the_stream_is_dropped() {
    use common::holding::{self, Event};
    let mut first_page = contacts_one_second_apart(2);
    first_page.reverse(); // newest first, as the API lists them
    let (url, mut events) = holding::start(first_page).await;
    let client = chatcaptain::Client::builder()
        .api_key(KEY)
        .base_url(url)
        .build()
        .unwrap();
    let mut items = client
        .contacts(BOT)
        .list()
        .page_size(2)
        .prefetch(true)
        .items();
    items.next().await.unwrap().unwrap();
    let limit = Duration::from_secs(10);
    let held = tokio::time::timeout(limit, events.recv()).await.unwrap();
    assert_eq!(held, Some(Event::HeldRequest));
    drop(items);
    // The server never answers page two: only an aborted request closes the connection.
    let hung_up = tokio::time::timeout(limit, events.recv()).await.unwrap();
    assert_eq!(hung_up, Some(Event::HungUp));
}

#[tokio::test]
async fn prefetch_yields_the_same_contacts_as_sequential_fetching() {
    let mut data = contacts_one_second_apart(30);
    data.extend(tied_at(at(7), 6, "tie"));
    let (server, _heard) = list_server(data.clone()).await;
    let got = client(&server)
        .contacts(BOT)
        .list()
        .page_size(5)
        .prefetch(true)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&got), ids_newest_first(&data));
}

/// Searches "Max" in pages of 3 over `n` contacts one second apart: what came, and the requests.
async fn search_max_in_pages_of_three(n: usize) -> (Vec<chatcaptain::Contact>, Vec<Seen>) {
    let (server, log) = search_server(contacts_one_second_apart(n)).await;
    let got = client(&server)
        .contacts(BOT)
        .search("Max")
        .page_size(3)
        .collect_all()
        .await
        .unwrap();
    let requests = log.lock().unwrap().clone();
    (got, requests)
}

#[tokio::test]
async fn search_pages_until_found_is_reached() {
    let (got, requests) = search_max_in_pages_of_three(7).await;
    assert_eq!(ids(&got), ids(&contacts_one_second_apart(7)));
    let pages: Vec<_> = requests
        .iter()
        .map(|s| s.param("page").unwrap().to_owned())
        .collect();
    assert_eq!(pages, ["1", "2", "3"]);
}

#[tokio::test]
async fn search_pages_tell_the_total_found_and_list_pages_do_not() {
    let (server, _log) = search_server(contacts_one_second_apart(7)).await;
    let pages: Vec<_> = client(&server)
        .contacts(BOT)
        .search("Max")
        .page_size(3)
        .max_items(4)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let totals: Vec<_> = pages.iter().map(|p| p.total()).collect();
    assert_eq!(totals, [Some(7), Some(7)]);

    let (server, _log) = list_server(contacts_one_second_apart(2)).await;
    let pages: Vec<_> = client(&server)
        .contacts(BOT)
        .list()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert!(pages.iter().all(|p| p.total().is_none()));
}

#[tokio::test]
async fn search_of_exactly_page_size_stops_at_found_without_an_empty_page() {
    let (got, requests) = search_max_in_pages_of_three(6).await;
    assert_eq!(got.len(), 6);
    assert_eq!(requests.len(), 2);
}

#[tokio::test]
async fn search_with_null_results_is_empty_not_an_error() {
    let (server, _log) = search_server(vec![]).await;
    let got = client(&server)
        .contacts(BOT)
        .search("nobody")
        .collect_all()
        .await
        .unwrap();
    assert!(got.is_empty());
}

#[tokio::test]
async fn search_exclude_sends_hidden_hits_as_a_comma_list() {
    let (server, log) = search_server(contacts_one_second_apart(4)).await;
    let got = client(&server)
        .contacts(BOT)
        .search("Max")
        .exclude(["c1", "c2"])
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&got), ["c0", "c3"]);
    assert_eq!(log.lock().unwrap()[0].param("hiddenHits"), Some("c1,c2"));
}

#[tokio::test]
async fn search_max_items_smaller_than_a_page_resumes_mid_page() {
    let (server, _log) = search_server(contacts_one_second_apart(5)).await;
    let contacts = client(&server).contacts(BOT);
    let mut pages = contacts.search("Max").page_size(4).max_items(3).pages();
    let first = pages.next().await.unwrap().unwrap();
    assert!(pages.next().await.is_none());
    let position = first.next_position().unwrap().clone();
    assert_eq!((position.number(), position.skip()), (1, 3));
    let rest = contacts
        .search("Max")
        .page_size(4)
        .resume(position)
        .collect_all()
        .await
        .unwrap();
    let all = ids_then(first.items(), &rest);
    assert_eq!(all, ids(&contacts_one_second_apart(5)));
}

#[tokio::test]
async fn search_start_page_skips_earlier_pages() {
    let (server, _log) = search_server(contacts_one_second_apart(5)).await;
    let got = client(&server)
        .contacts(BOT)
        .search("Max")
        .page_size(2)
        .start_page(2)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&got), ["c2", "c3", "c4"]);
}

/// 30 contacts one second apart (`c29` the newest), `c25` odd (it does not decode).
async fn server_with_an_odd_record() -> chatcaptain_fake::FakeServer {
    let mut raw: Vec<serde_json::Value> = (0..30)
        .map(|i| {
            serde_json::json!({ "id": format!("c{i}"), "created": at(i).to_rfc3339(), "language": "EN" })
        })
        .collect();
    raw[25]["variables"] = serde_json::json!({ "age": 42 });
    raw_list_server(raw, ListShape::spec()).await.0
}

/// Every page of a listing (an odd item counted in `odd`) and the last page's resume point.
async fn drain_pages(
    pages: impl futures::Stream<Item = Result<chatcaptain::Page<chatcaptain::Contact>, Error>>,
) -> (Vec<String>, usize, Option<chatcaptain::Resume>) {
    let mut pages = Box::pin(pages);
    let (mut good, mut odd, mut next) = (Vec::new(), 0, None);
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                good.extend(page.items().iter().map(|c| c.id.clone()));
                next = page.next().cloned();
            }
            Err(Error::InvalidItem { .. }) => odd += 1,
            Err(e) => panic!("{e}"),
        }
    }
    (good, odd, next)
}

#[tokio::test]
async fn list_max_items_yields_an_odd_record_before_the_cap_and_not_one_past_it() {
    let server = server_with_an_odd_record().await;
    let contacts = client(&server).contacts(BOT);
    // Newest first: c29 c28 c27 c26 [c25] c24 ... in the first page of 10.
    for (max, odd_within) in [(3, 0), (4, 0), (5, 1), (7, 1), (12, 1)] {
        let listing = contacts.list().page_size(10).max_items(max);
        let (good, odd, next) = drain_pages(listing.pages()).await;
        assert_eq!((good.len(), odd), (max, odd_within), "max_items({max})");
        // Resumed after the cut: the rest, the odd record included unless it came already.
        let Some(chatcaptain::Resume::Cursor(cursor)) = next else {
            panic!("max_items({max}): no cursor to resume from");
        };
        let rest = contacts.list().page_size(10).resume(cursor);
        let (rest_good, rest_odd, _) = drain_pages(rest.pages()).await;
        let mut all: Vec<_> = good.iter().chain(&rest_good).collect();
        assert_eq!(odd + rest_odd, 1, "max_items({max}): the odd record once");
        assert_eq!(all.len(), 29, "max_items({max})");
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 29, "max_items({max}): a contact came twice");
    }
}
