//! Listings against servers shaped differently from what the spec assumes (issue: listings never
//! lose or repeat a contact silently). Each server here differs in one guess: a listing adapts
//! and yields every contact exactly once, or fails with an error; never `Ok` with a hole.

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

async fn list_all(
    server: &wiremock::MockServer,
    page_size: u32,
) -> Result<Vec<chatcaptain::Contact>, Error> {
    client(server)
        .contacts(BOT)
        .list()
        .page_size(page_size)
        .collect_all()
        .await
}

fn assert_each_once(got: &[chatcaptain::Contact], data: &[chatcaptain::Contact]) {
    let unique: HashSet<_> = got.iter().map(|c| &c.id).collect();
    assert_eq!(unique.len(), got.len(), "a contact came twice");
    assert_eq!(ids(got), ids_newest_first(data));
}

#[tokio::test]
async fn list_follows_a_server_that_silently_caps_limit_below_the_page_size() {
    let data = contacts_one_second_apart(500);
    let quirks = Quirks {
        cap: Some(100),
        ..Quirks::default()
    };
    let (server, _heard) = list_server_with(data.clone(), quirks).await;
    assert_each_once(&list_all(&server, 101).await.unwrap(), &data);
}

#[tokio::test]
async fn list_follows_a_silent_cap_when_ties_ask_for_more_than_it() {
    let data = contacts_in_ties(500, 7);
    let quirks = Quirks {
        cap: Some(100),
        ..Quirks::default()
    };
    let (server, _heard) = list_server_with(data.clone(), quirks).await;
    assert_each_once(&list_all(&server, 100).await.unwrap(), &data);
}

#[tokio::test]
async fn list_learns_the_maximum_of_a_server_that_refuses_a_larger_limit() {
    let data = contacts_in_ties(500, 7);
    let quirks = Quirks {
        max_limit: Some(100),
        ..Quirks::default()
    };
    let (server, mut heard) = list_server_with(data.clone(), quirks).await;
    assert_each_once(&list_all(&server, 100).await.unwrap(), &data);
    let refused = drain(&mut heard)
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
    let mut data: Vec<_> = (0..150)
        .map(|i| contact(&format!("t{i:03}"), at(10)))
        .collect();
    data.extend(contacts_one_second_apart(5));
    let quirks = Quirks {
        cap: Some(100),
        ..Quirks::default()
    };
    let (server, _heard) = list_server_with(data, quirks).await;
    let result = list_all(&server, 100).await;
    assert!(
        matches!(result, Err(Error::PaginationStalled(_))),
        "{result:?}"
    );
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
    let (server, mut heard) = list_server(data.clone()).await;
    let got = list_all(&server, 1000).await.unwrap();
    assert_each_once(&got, &data);
    let second = &drain(&mut heard)[1];
    assert_eq!(second.param("pageToken"), Some("2025-09-28T10:00:02.001Z"));
}

#[tokio::test]
async fn list_fails_on_a_server_that_lists_oldest_first() {
    let quirks = Quirks {
        order: Order::OldestFirst,
        ..Quirks::default()
    };
    let (server, _heard) = list_server_with(contacts_one_second_apart(250), quirks).await;
    let result = list_all(&server, 100).await;
    assert!(
        matches!(result, Err(Error::PaginationInconsistent(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn list_fails_on_a_server_in_insertion_order_with_a_back_dated_contact() {
    let mut data = contacts_one_second_apart(250);
    // Imported last with an old creation time: first in insertion order, oldest by time.
    data.push(contact("imported", at(-1000)));
    let quirks = Quirks {
        order: Order::Insertion,
        ..Quirks::default()
    };
    let (server, _heard) = list_server_with(data, quirks).await;
    let result = list_all(&server, 100).await;
    assert!(
        matches!(result, Err(Error::PaginationInconsistent(_))),
        "{result:?}"
    );
}

#[tokio::test]
async fn list_drops_the_repeats_of_a_server_whose_token_is_inclusive() {
    let data = contacts_in_ties(300, 4);
    let quirks = Quirks {
        inclusive: true,
        ..Quirks::default()
    };
    let (server, _heard) = list_server_with(data.clone(), quirks).await;
    assert_each_once(&list_all(&server, 50).await.unwrap(), &data);
}

#[tokio::test]
async fn list_with_inclusive_token_and_ms_data_yields_each_once() {
    let data: Vec<_> = (0..400)
        .map(|i| contact(&format!("c{i:03}"), at(0) + TimeDelta::milliseconds(i / 3)))
        .collect();
    let quirks = Quirks {
        inclusive: true,
        ..Quirks::default()
    };
    let (server, _heard) = list_server_with(data.clone(), quirks).await;
    assert_each_once(&list_all(&server, 64).await.unwrap(), &data);
}

/// A parallel listing of `data` in `ranges` ranges against a server that reads `pageToken` only
/// to `token_unit`.
async fn list_parallel_with_token_unit(
    data: &[chatcaptain::Contact],
    token_unit: TimeDelta,
    ranges: usize,
) -> Vec<chatcaptain::Contact> {
    let quirks = Quirks {
        token_unit: Some(token_unit),
        ..Quirks::default()
    };
    let (server, _heard) = list_server_with(data.to_vec(), quirks).await;
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
        (
            "inclusive token",
            Quirks {
                inclusive: true,
                ..Quirks::default()
            },
        ),
        (
            "silent cap of 30",
            Quirks {
                cap: Some(30),
                ..Quirks::default()
            },
        ),
        (
            "400 above 60",
            Quirks {
                max_limit: Some(60),
                ..Quirks::default()
            },
        ),
        (
            "oldest first",
            Quirks {
                order: Order::OldestFirst,
                ..Quirks::default()
            },
        ),
        (
            "insertion order",
            Quirks {
                order: Order::Insertion,
                ..Quirks::default()
            },
        ),
        (
            "whole-second token",
            Quirks {
                token_unit: Some(TimeDelta::seconds(1)),
                ..Quirks::default()
            },
        ),
    ];
    for (shape, quirks) in shapes {
        for ranges in [2, 5] {
            let (server, _heard) = list_server_with(data.clone(), quirks.clone()).await;
            let listed = client(&server)
                .contacts(BOT)
                .list()
                .page_size(50)
                .parallel(ranges)
                .collect_all()
                .await;
            match listed {
                Ok(got) => {
                    assert_each_once_in_any_order(&got, &data, &format!("{shape}, {ranges} ranges"))
                }
                Err(e) => assert!(
                    matches!(
                        e,
                        Error::PaginationInconsistent(_) | Error::PaginationStalled(_)
                    ),
                    "{shape}, {ranges} ranges: {e}"
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
    let quirks = Quirks {
        token_unit: Some(TimeDelta::seconds(1)),
        ..Quirks::default()
    };
    let (server, mut heard) = list_server_with(data.clone(), quirks).await;
    assert_each_once(&list_all(&server, 50).await.unwrap(), &data);
    let tokens: Vec<String> = drain(&mut heard)
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
    let (server, mut heard) = raw_list_server(raw, Quirks::default()).await;
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
    let requests = drain(&mut heard);
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

/// A search server over `hits()` (called per request, so the hit list may change), paging by
/// `page`/`pageSize` with its own rules in `page_of`; counts requests.
async fn search_server_with<H, P>(hits: H, page_of: P) -> (wiremock::MockServer, Arc<AtomicUsize>)
where
    H: Fn(usize) -> Vec<Value> + Send + Sync + 'static,
    P: Fn(&[Value], usize, usize) -> Vec<Value> + Send + Sync + 'static,
{
    use wiremock::matchers::{method, path};
    let server = wiremock::MockServer::start().await;
    let requests = Arc::new(AtomicUsize::new(0));
    let counter = requests.clone();
    wiremock::Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts/search")))
        .respond_with(move |request: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            let param = |name: &str| -> usize {
                let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
                pairs
                    .iter()
                    .find(|(k, _)| k == name)
                    .unwrap()
                    .1
                    .parse()
                    .unwrap()
            };
            let all = hits(n);
            let page = page_of(&all, param("page"), param("pageSize"));
            let documents: Vec<Value> =
                page.into_iter().map(|d| json!({ "document": d })).collect();
            wiremock::ResponseTemplate::new(200)
                .set_body_json(json!({ "results": { "found": all.len(), "hits": documents } }))
        })
        .mount(&server)
        .await;
    (server, requests)
}

fn raw_hits(prefix: &str, n: usize) -> Vec<Value> {
    (0..n)
        .map(|i| json!({ "id": format!("{prefix}{i:03}"), "created": at(i as i64).to_rfc3339() }))
        .collect()
}

fn by_page(all: &[Value], page: usize, size: usize) -> Vec<Value> {
    all.iter()
        .skip((page - 1) * size)
        .take(size)
        .cloned()
        .collect()
}

async fn search_ids(server: &wiremock::MockServer, page_size: u32) -> Result<Vec<String>, Error> {
    let got = client(server)
        .contacts(BOT)
        .search("x")
        .page_size(page_size)
        .collect_all()
        .await?;
    Ok(ids(&got))
}

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[tokio::test]
async fn search_goes_on_after_a_short_page_before_found_is_reached() {
    // The backend dropped a stale hit from page one after paging: 9 of 10, `found` 30.
    let (server, _requests) = search_server_with(
        |_| raw_hits("h", 30),
        |all, page, size| {
            let mut hits = by_page(all, page, size);
            hits.retain(|h| h["id"] != "h003");
            hits
        },
    )
    .await;
    let got = search_ids(&server, 10).await.unwrap();
    assert_eq!(got.len(), 29, "{got:?}");
    assert_eq!(got.iter().collect::<HashSet<_>>().len(), 29);
}

#[tokio::test]
async fn search_follows_a_server_that_caps_the_page_size() {
    let (server, _requests) = search_server_with(
        |_| raw_hits("h", 45),
        |all, page, size| by_page(all, page, size.min(10)),
    )
    .await;
    let got = search_ids(&server, 25).await.unwrap();
    let expected: Vec<String> = (0..45).map(|i| format!("h{i:03}")).collect();
    assert_eq!(got, expected);
}

#[tokio::test]
async fn search_resumed_with_another_page_size_starts_at_the_same_hit() {
    let (server, _requests) = search_server_with(|_| raw_hits("h", 200), by_page).await;
    let contacts = client(&server).contacts(BOT);
    let mut pages = contacts.search("x").page_size(10).max_items(120).pages();
    let mut first = Vec::new();
    let mut position = None;
    while let Some(page) = pages.next().await {
        let page = page.unwrap();
        first.extend(ids(page.items()));
        position = page.next_position().cloned();
    }
    let position = position.unwrap();
    let rest = contacts
        .search("x")
        .page_size(25)
        .resume(serde_json::from_str(&serde_json::to_string(&position).unwrap()).unwrap())
        .collect_all()
        .await
        .unwrap();
    first.extend(ids(&rest));
    let expected: Vec<String> = (0..200).map(|i| format!("h{i:03}")).collect();
    assert_eq!(first, expected);
}

#[tokio::test]
async fn search_never_repeats_a_hit_when_hits_are_inserted_ahead_between_pages() {
    // Before every request after the first, three new hits appear at the top.
    let (server, _requests) = search_server_with(
        |n| {
            let mut all = raw_hits("new", 3 * n);
            all.reverse();
            all.extend(raw_hits("h", 190));
            all
        },
        by_page,
    )
    .await;
    let got = search_ids(&server, 10).await.unwrap();
    let unique: HashSet<_> = got.iter().collect();
    assert_eq!(unique.len(), got.len(), "duplicates in {got:?}");
    assert!(got.len() >= 190 - 30, "{}", got.len());
}

#[tokio::test]
async fn search_answer_with_only_an_error_is_an_api_error_and_not_retried() {
    use wiremock::matchers::{method, path};
    let server = wiremock::MockServer::start().await;
    wiremock::Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts/search")))
        .respond_with(
            wiremock::ResponseTemplate::new(200)
                .set_body_json(json!({ "error": "Insufficient permissions." })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let result = search_ids(&server, 10).await;
    match result {
        Err(Error::Api {
            status, message, ..
        }) => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(message, "Insufficient permissions.");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn search_yields_an_odd_hit_as_its_own_error_and_goes_on() {
    let (server, _requests) = search_server_with(
        |_| {
            let mut all = raw_hits("h", 25);
            all[12]["variables"] = json!({ "n": 1 });
            all
        },
        by_page,
    )
    .await;
    let items: Vec<_> = client(&server)
        .contacts(BOT)
        .search("x")
        .page_size(10)
        .items()
        .collect()
        .await;
    assert_eq!(items.len(), 25);
    let bad: Vec<_> = items.iter().filter_map(|i| i.as_ref().err()).collect();
    assert_eq!(bad.len(), 1);
    assert!(
        matches!(bad[0], Error::InvalidItem { id: Some(id), .. } if id == "h012"),
        "{:?}",
        bad[0]
    );
}

#[tokio::test]
async fn search_fails_instead_of_looping_on_a_server_that_ignores_page() {
    let (server, requests) = search_server_with(
        |_| raw_hits("h", 50),
        |all, _page, size| by_page(all, 1, size),
    )
    .await;
    let result = search_ids(&server, 10).await;
    assert!(
        matches!(result, Err(Error::PaginationInconsistent(_))),
        "{result:?}"
    );
    assert_eq!(requests.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn search_cut_by_max_items_after_an_odd_hit_resumes_at_the_next_hit() {
    let (server, _requests) = search_server_with(
        |_| {
            let mut all = raw_hits("h", 25);
            all[2]["variables"] = json!({ "n": 1 });
            all
        },
        by_page,
    )
    .await;
    let search = || client(&server).contacts(BOT).search("x").page_size(10);
    let (mut good, mut odd, mut next) = (Vec::new(), 0, None);
    let mut pages = Box::pin(search().max_items(4).pages());
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => {
                good.extend(ids(page.items()));
                next = page.next_position().cloned();
            }
            Err(Error::InvalidItem { .. }) => odd += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((good.len(), odd), (4, 1));
    let rest = search()
        .resume(next.unwrap())
        .items()
        .collect::<Vec<_>>()
        .await;
    assert!(rest.iter().all(Result::is_ok), "the odd hit came again");
    good.extend(rest.into_iter().map(|c| c.unwrap().id));
    let unique: HashSet<_> = good.iter().collect();
    assert_eq!((good.len(), unique.len()), (24, 24), "{good:?}");
}
