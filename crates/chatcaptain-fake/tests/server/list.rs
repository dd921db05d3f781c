//! "List contacts": newest first, a strict-before date-time cursor, `limit` default and maximum.

use crate::common;

use std::collections::HashSet;

use chatcaptain_fake::{DEFAULT_LIST_LIMIT, FakeServer, MAX_LIST_LIMIT, seed_base_time};
use chrono::Duration;
use common::{BOT, contacts_path, get, ids, walk};

#[tokio::test]
async fn list_is_newest_first() {
    let server = common::with_contacts(5).await;
    let page = get(&server, &contacts_path(BOT)).await;
    let created = common::fields_in(&page, "contacts", "created");
    assert_eq!(created.len(), 5);
    let mut sorted = created.clone();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(created, sorted);
    assert_eq!(created[0], "2025-01-01T00:00:04Z");
}

#[tokio::test]
async fn limit_defaults_to_100() {
    let server = common::with_contacts(150).await;
    assert_eq!(
        ids(&get(&server, &contacts_path(BOT)).await).len(),
        DEFAULT_LIST_LIMIT
    );
}

#[tokio::test]
async fn limit_above_the_maximum_is_400() {
    let server = FakeServer::start().await;
    let reply = get(
        &server,
        &format!("{}?limit={}", contacts_path(BOT), MAX_LIST_LIMIT + 1),
    )
    .await;
    assert_eq!(reply.status, 400);
    let ok = get(
        &server,
        &format!("{}?limit={MAX_LIST_LIMIT}", contacts_path(BOT)),
    )
    .await;
    assert_eq!(ok.status, 200);
}

#[tokio::test]
async fn cursor_walk_with_distinct_timestamps_yields_each_contact_once() {
    let server = common::with_contacts(250).await;
    let pages = walk(&server, BOT, 100).await;
    assert_eq!(
        pages.iter().map(Vec::len).collect::<Vec<_>>(),
        [100, 100, 50]
    );
    let all: HashSet<String> = pages.into_iter().flatten().collect();
    assert_eq!(all.len(), 250);
}

#[tokio::test]
async fn page_token_returns_contacts_created_strictly_before_it() {
    let t = seed_base_time() + Duration::days(30);
    let server = FakeServer::builder()
        .seed_contacts_at(BOT, 3, t - Duration::seconds(1))
        .seed_contacts_at(BOT, 4, t)
        .seed_contacts_at(BOT, 2, t + Duration::seconds(1))
        .start()
        .await;
    let page = get(
        &server,
        &format!("{}?pageToken=2025-01-31T00:00:00Z", contacts_path(BOT)),
    )
    .await;
    assert_eq!(
        ids(&page).len(),
        3,
        "only the 3 contacts before the cursor, not the 4 at it"
    );
}

#[tokio::test]
async fn ties_at_a_page_boundary_are_skipped_by_the_strict_cursor() {
    // 5 contacts share one instant and a page of 3 ends among them: the next page, strictly before that
    // instant, skips the other 2. This is the real API's behaviour a client must cope with.
    let t = seed_base_time();
    let server = FakeServer::builder()
        .seed_contacts_at(BOT, 2, t - Duration::seconds(1))
        .seed_contacts_at(BOT, 5, t)
        .start()
        .await;
    let pages = walk(&server, BOT, 3).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 2]);
}

#[tokio::test]
async fn contacts_sharing_a_timestamp_come_in_a_stable_order() {
    let server = FakeServer::builder()
        .seed_contacts_at(BOT, 50, seed_base_time())
        .start()
        .await;
    let first = ids(&get(&server, &contacts_path(BOT)).await);
    let second = ids(&get(&server, &contacts_path(BOT)).await);
    assert_eq!(first.len(), 50);
    assert_eq!(first, second);
}

#[tokio::test]
async fn same_seed_generates_the_same_contacts() {
    let a = FakeServer::builder()
        .seed(7)
        .seed_contacts(BOT, 20)
        .start()
        .await;
    let b = FakeServer::builder()
        .seed(7)
        .seed_contacts(BOT, 20)
        .start()
        .await;
    let c = FakeServer::builder()
        .seed(8)
        .seed_contacts(BOT, 20)
        .start()
        .await;
    let page = |s| async move { get(s, &contacts_path(BOT)).await.json };
    assert_eq!(page(&a).await, page(&b).await);
    assert_ne!(page(&a).await, page(&c).await);
}

#[tokio::test]
async fn a_created_contact_lists_first() {
    let server = common::with_contacts(10).await;
    let created = common::create_contact(&server, serde_json::json!({"language": "EN"})).await;
    let first = common::newest_contact_id(&server).await;
    assert_eq!(created.json["contact"]["id"], first.as_str());
}

#[tokio::test]
async fn seeding_a_hundred_thousand_contacts_lists_in_pages_of_250() {
    let server = common::with_contacts(100_000).await;
    let page = get(
        &server,
        &format!(
            "{}?limit=250&pageToken=2025-01-01T10:00:00Z",
            contacts_path(BOT)
        ),
    )
    .await;
    let contacts = page.json["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 250);
    assert_eq!(contacts[0]["created"], "2025-01-01T09:59:59Z");
}
