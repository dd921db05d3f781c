//! The partitioned parallel listing against the fake: every contact exactly once, whatever the
//! spread of `created`, ties at range bounds, concurrent inserts, `max_items`.

mod common;

use std::collections::HashSet;

use chatcaptain::NewContact;
use chatcaptain_fake::{FakeServer, FakeServerBuilder, seed_base_time};
use chrono::TimeDelta;
use common::BOT;
use common::fake::{FAKE_KEY, fake_client};
use futures::TryStreamExt;

async fn listed_once(builder: FakeServerBuilder, ranges: usize, page_size: u32) {
    let server = builder.api_key(FAKE_KEY).start().await;
    let got = fake_client(&server)
        .contacts(BOT)
        .list()
        .page_size(page_size)
        .parallel(ranges)
        .collect_all()
        .await
        .unwrap();
    let unique: HashSet<_> = got.iter().map(|c| c.id.clone()).collect();
    let count = server.contact_count(BOT);
    assert_eq!((got.len(), unique.len()), (count, count), "{ranges} ranges");
}

#[tokio::test]
async fn parallel_listing_of_evenly_spread_contacts_yields_each_once() {
    for ranges in [2, 4, 8] {
        let builder = FakeServer::builder()
            .seed_contacts(BOT, 2000)
            .seed_contacts_at(BOT, 60, seed_base_time() + TimeDelta::seconds(1000));
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
    let server = FakeServer::builder()
        .api_key(FAKE_KEY)
        .seed_contacts(BOT, 1000)
        .start()
        .await;
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
    let server = FakeServer::builder()
        .api_key(FAKE_KEY)
        .seed_contacts(BOT, 500)
        .start()
        .await;
    let got = fake_client(&server)
        .contacts(BOT)
        .list()
        .page_size(20)
        .parallel(4)
        .max_items(77)
        .collect_all()
        .await
        .unwrap();
    let unique: HashSet<_> = got.iter().map(|c| c.id.clone()).collect();
    assert_eq!((got.len(), unique.len()), (77, 77));
}
