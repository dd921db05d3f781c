//! Listings against list servers shaped differently from what the spec assumes (issue: listings
//! never lose or repeat a contact silently), each the fake with one `ListShape`: the shapes
//! users' own tests get. Each server differs in one guess: a listing adapts and yields every
//! contact exactly once, or fails with an error; never `Ok` with a hole.

use crate::common;

use std::collections::HashSet;

use chatcaptain::Error;
use chrono::TimeDelta;
use common::*;
use futures::StreamExt;
use serde_json::{Value, json};

/// `n` contacts in groups of `tie` sharing one second, newest group last.
fn contacts_in_ties(n: usize, tie: usize) -> Vec<chatcaptain::Contact> {
    (0..n)
        .map(|i| contact(&format!("c{i:04}"), at((i / tie) as i64)))
        .collect()
}

fn assert_each_once(got: &[chatcaptain::Contact], data: &[chatcaptain::Contact]) {
    let unique: HashSet<_> = got.iter().map(|c| &c.id).collect();
    assert_eq!(unique.len(), got.len(), "a contact came twice");
    assert_eq!(ids(got), ids_newest_first(data));
}

/// Lists `data` `page_size` at a time from a fake of `shape` and asserts that each contact
/// came exactly once, newest first; returns the listing for further checks.
async fn lists_each_once(
    data: &[chatcaptain::Contact],
    shape: ListShape,
    page_size: u32,
) -> Listed {
    let listed = list_through(data, shape, page_size).await;
    assert_each_once(listed.result.as_ref().unwrap(), data);
    listed
}

#[tokio::test]
async fn list_follows_a_server_that_silently_caps_limit_below_the_page_size() {
    let data = contacts_one_second_apart(500);
    lists_each_once(&data, ListShape::spec().limit_cap(100), 101).await;
}

#[tokio::test]
async fn list_follows_a_silent_cap_when_ties_ask_for_more_than_it() {
    let data = contacts_in_ties(500, 7);
    lists_each_once(&data, ListShape::spec().limit_cap(100), 100).await;
}

#[tokio::test]
async fn list_learns_the_maximum_of_a_server_that_refuses_a_larger_limit() {
    let data = contacts_in_ties(500, 7);
    let listed = lists_each_once(&data, ListShape::spec().max_limit(100), 100).await;
    let refused = listed
        .requests
        .iter()
        .filter(|s| s.param("limit").unwrap().parse::<usize>().unwrap() > 100)
        .count();
    // A few halvings between the largest limit answered and the smallest refused, then never
    // again (refusing per page would be dozens over these 72 pages).
    assert!(
        refused <= 4,
        "the maximum is learned once, not per page: {refused}"
    );
}

#[tokio::test]
async fn list_fails_rather_than_ending_ok_when_a_cap_hides_ties() {
    // 150 contacts share one second; the server answers at most 100: no cursor on `created`
    // can page them, and the older ones must not be reported as the end either.
    let mut data = tied_at(at(10), 150, "t");
    data.extend(contacts_one_second_apart(5));
    let shape = ListShape::spec().limit_cap(100);
    list_through(&data, shape, 100)
        .await
        .assert_error(|e| matches!(e, Error::PaginationStalled(_)));
}

#[tokio::test]
async fn list_of_millisecond_data_steps_one_millisecond_past_a_whole_second_boundary() {
    // Contacts one millisecond apart; three share 10:00:02.000, where page one ends.
    let base = at(0);
    let mut data: Vec<_> = (0..3000)
        .map(|i| contact(&format!("m{i:04}"), base + TimeDelta::milliseconds(i)))
        .collect();
    data.push(contact("m2000a", base + TimeDelta::milliseconds(2000)));
    data.push(contact("m2000b", base + TimeDelta::milliseconds(2000)));
    let listed = lists_each_once(&data, ListShape::spec(), 1000).await;
    let second = &listed.requests[1];
    assert_eq!(second.param("pageToken"), Some("2025-09-28T10:00:02.001Z"));
}

#[tokio::test]
async fn list_fails_on_a_server_that_lists_oldest_first() {
    let shape = ListShape::spec().oldest_first(true);
    list_through(&contacts_one_second_apart(250), shape, 100)
        .await
        .assert_error(|e| matches!(e, Error::PaginationInconsistent(_)));
}

#[tokio::test]
async fn list_fails_on_a_server_in_insertion_order_with_a_back_dated_contact() {
    let mut data = contacts_one_second_apart(250);
    // Imported last with an old creation time: first in insertion order, oldest by time.
    data.push(contact("imported", at(-1000)));
    let shape = ListShape::spec().insertion_order(true);
    list_through(&data, shape, 100)
        .await
        .assert_error(|e| matches!(e, Error::PaginationInconsistent(_)));
}

#[tokio::test]
async fn list_drops_the_repeats_of_a_server_whose_token_is_inclusive() {
    let data = contacts_in_ties(300, 4);
    lists_each_once(&data, ListShape::spec().inclusive_token(true), 50).await;
}

#[tokio::test]
async fn list_with_inclusive_token_and_ms_data_yields_each_once() {
    let data: Vec<_> = (0..400)
        .map(|i| contact(&format!("c{i:03}"), at(0) + TimeDelta::milliseconds(i / 3)))
        .collect();
    lists_each_once(&data, ListShape::spec().inclusive_token(true), 64).await;
}

/// A parallel listing of `data` in `ranges` ranges against a server that reads `pageToken` only
/// to `token_unit`.
async fn list_parallel_with_token_unit(
    data: &[chatcaptain::Contact],
    token_unit: TimeDelta,
    ranges: usize,
) -> Vec<chatcaptain::Contact> {
    let shape = ListShape::spec().token_unit(token_unit);
    let (server, _heard) = list_server_with(data.to_vec(), shape).await;
    client(&server)
        .contacts(BOT)
        .list()
        .page_size(50)
        .parallel(ranges)
        .collect_all()
        .await
        .unwrap()
}

/// Every contact of `data` in `got`, each once, in any order; `case` names the run in a failure.
fn assert_each_once_in_any_order(
    got: &[chatcaptain::Contact],
    data: &[chatcaptain::Contact],
    case: &str,
) {
    let unique: HashSet<String> = ids(got).into_iter().collect();
    let missing: Vec<String> = ids(data)
        .into_iter()
        .filter(|id| !unique.contains(id))
        .collect();
    assert!(missing.is_empty(), "{case}: Ok without {missing:?}");
    assert_eq!(got.len(), data.len(), "{case}: a contact came twice");
}

#[tokio::test]
async fn parallel_listing_cuts_ranges_where_a_millisecond_server_reads_the_token_as_sent() {
    // Millisecond data (a JavaScript server): a range cut at an instant finer than a millisecond
    // would lose, from the range below it, the contacts of the millisecond the server rounds to.
    let data: Vec<_> = (0..1500)
        .map(|i| {
            contact(
                &format!("m{i:04}"),
                at(0) + TimeDelta::milliseconds(i * 7 / 3),
            )
        })
        .collect();
    for ranges in [3, 7] {
        let got = list_parallel_with_token_unit(&data, TimeDelta::milliseconds(1), ranges).await;
        assert_each_once_in_any_order(&got, &data, &format!("{ranges} ranges"));
    }
}

#[tokio::test]
async fn parallel_listing_cuts_ranges_where_a_whole_second_server_reads_the_token_as_sent() {
    // Whole-second data, from a server that also reads the token in whole seconds.
    let data = contacts_in_ties(600, 3);
    for ranges in [3, 8] {
        let got = list_parallel_with_token_unit(&data, TimeDelta::seconds(1), ranges).await;
        assert_each_once_in_any_order(&got, &data, &format!("{ranges} ranges"));
    }
}

#[tokio::test]
async fn parallel_listing_against_every_server_shape_yields_each_once_or_fails() {
    // Millisecond data with ties, and one contact back-dated for the insertion-order server.
    let mut data: Vec<_> = (0..700)
        .map(|i| {
            contact(
                &format!("c{i:04}"),
                at(0) + TimeDelta::milliseconds(i / 3 * 11),
            )
        })
        .collect();
    data.push(contact("imported", at(-1000)));
    let shapes = [
        ("inclusive token", ListShape::spec().inclusive_token(true)),
        ("silent cap of 30", ListShape::spec().limit_cap(30)),
        ("400 above 60", ListShape::spec().max_limit(60)),
        ("oldest first", ListShape::spec().oldest_first(true)),
        ("insertion order", ListShape::spec().insertion_order(true)),
        (
            "whole-second token",
            ListShape::spec().token_unit(TimeDelta::seconds(1)),
        ),
    ];
    for (name, shape) in shapes {
        for ranges in [2, 5] {
            let (server, _heard) = list_server_with(data.clone(), shape.clone()).await;
            let listed = client(&server)
                .contacts(BOT)
                .list()
                .page_size(50)
                .parallel(ranges)
                .collect_all()
                .await;
            match listed {
                Ok(got) => {
                    assert_each_once_in_any_order(&got, &data, &format!("{name}, {ranges} ranges"))
                }
                Err(e) => assert!(
                    matches!(
                        e,
                        Error::PaginationInconsistent(_) | Error::PaginationStalled(_)
                    ),
                    "{name}, {ranges} ranges: {e}"
                ),
            }
        }
    }
}

#[tokio::test]
async fn list_rounds_tokens_to_whole_seconds_for_a_server_that_reads_them_so() {
    // Millisecond data, but the server reads only the whole seconds of a token: the token past a
    // page's last contact (10:00:02.124) would be read as 10:00:02 and skip what lies between.
    let data: Vec<_> = (0..700)
        .map(|i| {
            contact(
                &format!("c{i:04}"),
                at(0) + TimeDelta::milliseconds(i / 3 * 11),
            )
        })
        .collect();
    let shape = ListShape::spec().token_unit(TimeDelta::seconds(1));
    let listed = lists_each_once(&data, shape, 50).await;
    let tokens: Vec<String> = listed
        .requests
        .iter()
        .filter_map(|seen| seen.param("pageToken").map(str::to_owned))
        .collect();
    // One token with milliseconds found it out; whole seconds from then on.
    assert!(tokens[0].contains('.'), "{tokens:?}");
    assert!(tokens[1..].iter().all(|t| !t.contains('.')), "{tokens:?}");
}

#[tokio::test]
async fn list_with_millisecond_tokens_asks_once_more_when_the_boundary_was_deleted() {
    // The contacts at a page's boundary are gone by the next request: the server's answer does
    // not repeat them, as one that read the token coarser would not. Nothing is lost either way.
    let data: Vec<_> = (0..300)
        .map(|i| contact(&format!("c{i:04}"), at(0) + TimeDelta::milliseconds(i * 7)))
        .collect();
    let (server, _heard) = list_server(data.clone()).await;
    let listed = client(&server).contacts(BOT).list().page_size(50);
    let mut pages = Box::pin(listed.pages());
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.items().len(), 50);
    drop(pages);
    // Resumed after the first page against a server without its last contact.
    let boundary = first.items().last().unwrap().id.clone();
    let rest: Vec<_> = data.iter().filter(|c| c.id != boundary).cloned().collect();
    let (server, _heard) = list_server(rest).await;
    let resumed = client(&server)
        .contacts(BOT)
        .list()
        .page_size(50)
        .resume(first.next_cursor().unwrap().clone())
        .collect_all()
        .await
        .unwrap();
    let older: Vec<_> = data.iter().take(300 - 50).cloned().collect();
    assert_each_once(&resumed, &older);
}

#[tokio::test]
async fn list_yields_an_odd_record_as_its_own_error_and_goes_on() {
    let mut raw: Vec<Value> = (0..30)
        .map(|i| json!({ "id": format!("c{i:02}"), "created": at(i).to_rfc3339(), "language": "EN" }))
        .collect();
    raw[20]["variables"] = json!({ "age": 42 });
    raw[10]["organizationIds"] = Value::Null;
    raw[5]["created"] = json!("2025-09-28T10:00:05");
    let (server, mut heard) = raw_list_server(raw, ListShape::spec()).await;
    let mut items = client(&server).contacts(BOT).list().page_size(8).items();
    let (mut good, mut bad) = (Vec::new(), Vec::new());
    while let Some(item) = items.next().await {
        match item {
            Ok(contact) => good.push(contact.id),
            Err(e) => bad.push(e),
        }
    }
    assert_eq!(good.len() + bad.len(), 30, "good {good:?}, bad {bad:?}");
    let unique: HashSet<_> = good.iter().collect();
    assert_eq!(unique.len(), good.len());
    assert_eq!(bad.len(), 3, "{bad:?}");
    let Error::InvalidItem { id, path, raw, .. } = &bad[0] else {
        panic!("{:?}", bad[0]);
    };
    assert_eq!(id.as_deref(), Some("c20"));
    assert_eq!(path, "variables.age");
    assert_eq!(raw["variables"]["age"], 42);
    let shown = bad[0].to_string();
    assert!(
        shown.contains("c20") && shown.contains("variables.age"),
        "{shown}"
    );
    // Decoding failures of valid JSON are not retried: every request is a new page.
    let requests = heard.drain(&server);
    let tokens: HashSet<_> = requests.iter().map(|s| s.param("pageToken")).collect();
    assert_eq!(tokens.len(), requests.len(), "a page was asked for twice");
}

#[tokio::test]
async fn list_stream_is_fused_after_its_end_and_after_an_error() {
    let (server, _heard) = list_server(contacts_one_second_apart(3)).await;
    let mut items = client(&server).contacts(BOT).list().items();
    while items.next().await.is_some() {}
    assert!(items.next().await.is_none());
    assert!(items.next().await.is_none());

    let (server, _heard) = list_server_ignoring_cursor(contacts_one_second_apart(10)).await;
    let mut pages = client(&server).contacts(BOT).list().page_size(3).pages();
    assert!(pages.next().await.unwrap().is_ok());
    assert!(pages.next().await.unwrap().is_err());
    assert!(pages.next().await.is_none());
    assert!(pages.next().await.is_none());
}
