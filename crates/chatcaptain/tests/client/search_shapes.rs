//! Searches against search servers shaped differently from what the spec assumes: a capped page
//! size and a server that ignores `page` are the fake's `SearchShape`s, as users' tests get them;
//! a short page, hits inserted between pages and an odd hit are small wiremock responders with
//! their own paging rule (`page_of`), which no fixed shape of the fake expresses.

use crate::common;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chatcaptain::Error;
use chatcaptain_fake::{FakeServer, Route, SearchShape};
use common::*;
use futures::StreamExt;
use serde_json::{Value, json};

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
    let server = fake_with_search_shape(45, SearchShape::spec().page_size_cap(10)).await;
    let got = fake_search(&server)
        .page_size(25)
        .collect_all()
        .await
        .unwrap();
    let unique: HashSet<_> = got.iter().map(|c| c.id.clone()).collect();
    assert_eq!((got.len(), unique.len()), (45, 45));
    // In the server's order, newest first, as a search without the cap answers.
    let uncapped = fake_with_search_shape(45, SearchShape::spec()).await;
    let expected = fake_search(&uncapped)
        .page_size(25)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(ids(&got), ids(&expected));
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
        .resume(through_json(&position))
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

/// A search server of 25 hits by page, hit `odd` with a number among its string variables.
async fn with_an_odd_hit(odd: usize) -> wiremock::MockServer {
    let (server, _requests) = search_server_with(
        move |_| {
            let mut all = raw_hits("h", 25);
            all[odd]["variables"] = json!({ "n": 1 });
            all
        },
        by_page,
    )
    .await;
    server
}

#[tokio::test]
async fn search_yields_an_odd_hit_as_its_own_error_and_goes_on() {
    let server = with_an_odd_hit(12).await;
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
    let server = fake_with_search_shape(50, SearchShape::spec().ignore_page(true)).await;
    let result = fake_search(&server).page_size(10).collect_all().await;
    assert!(
        matches!(result, Err(Error::PaginationInconsistent(_))),
        "{result:?}"
    );
    assert_eq!(server.request_count(Route::SearchContacts), 3);
}

/// A fake with `n` contacts whose searches are shaped as `shape` says.
async fn fake_with_search_shape(n: u64, shape: SearchShape) -> FakeServer {
    FakeServer::builder()
        .chatbot(BOT)
        .seed_contacts(BOT, n)
        .search_shape(shape)
        .start()
        .await
}

/// A search every generated contact matches (their e-mail addresses all end so).
fn fake_search(server: &FakeServer) -> chatcaptain::SearchContacts {
    client(server).contacts(BOT).search("example.com")
}

#[tokio::test]
async fn search_cut_by_max_items_after_an_odd_hit_resumes_at_the_next_hit() {
    let server = with_an_odd_hit(2).await;
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
