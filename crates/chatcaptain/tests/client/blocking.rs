//! The blocking client over loopback HTTP: same answers as the async one, from plain threads,
//! from inside async runtimes, and dropped anywhere. (Compiled with the `blocking` feature: see `main.rs`.)

use crate::common;

use std::time::Duration;

use chatcaptain::{ContactUpdate, NewContact, blocking};
use chatcaptain_fake::{FakeServer, Fault, Route};
use common::fake::{FAKE_KEY, builder_for, start_apart};
use common::*;

#[test]
fn blocking_iterator_yields_the_same_contacts_as_the_async_stream() {
    // The server lives on its own runtime; the blocking client brings its own.
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let mut data = contacts_one_second_apart(12);
    data.extend(tied_at(at(5), 4, "tie"));
    let (server, _heard) = server_runtime.block_on(list_server(data));
    let async_client = client(&server);

    let expected = server_runtime
        .block_on(async_client.contacts(BOT).list().page_size(5).collect_all())
        .unwrap();
    let blocking = blocking::Client::from_async(async_client).unwrap();
    let got: Vec<_> = blocking
        .contacts(BOT)
        .list()
        .page_size(5)
        .prefetch(true)
        .items()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(ids(&got), ids(&expected));
    assert_eq!(got.len(), 16);
}

#[test]
fn blocking_single_operations_work_from_plain_fn() {
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let (server, _log) = server_runtime.block_on(search_server(contacts_one_second_apart(3)));
    let blocking = blocking::Client::from_async(client(&server)).unwrap();
    let hits = blocking.contacts(BOT).search("Max").collect_all().unwrap();
    assert_eq!(ids(&hits), ["c0", "c1", "c2"]);
}

fn seeded(contacts: u64) -> FakeServer {
    start_apart(FakeServer::builder().seed_contacts(BOT, contacts))
}

fn blocking_client(fake: &FakeServer) -> blocking::Client {
    blocking::Client::from_async(builder_for(fake).build().unwrap()).unwrap()
}

/// A fake [`seeded`] with `contacts`, and a blocking client for it.
fn seeded_client(contacts: u64) -> (FakeServer, blocking::Client) {
    let fake = seeded(contacts);
    let client = blocking_client(&fake);
    (fake, client)
}

/// Creates, reads, lists (with prefetch) and searches, then drops the client where it stands.
fn exercise(fake: &FakeServer) {
    let client = blocking_client(fake);
    let contacts = client.contacts(BOT);
    let max = contacts.create(NewContact::new("EN").name("Max")).unwrap();
    assert_eq!(contacts.get(&max.id).unwrap().name.as_deref(), Some("Max"));
    let listed = contacts
        .list()
        .page_size(7)
        .prefetch(true)
        .items()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert_eq!(listed.len(), 31);
    assert!(!contacts.search("Max").collect_all().unwrap().is_empty());
    drop(contacts);
    drop(client);
}

#[tokio::test(flavor = "current_thread")]
async fn blocking_client_is_created_used_and_dropped_inside_a_current_thread_runtime() {
    let fake = seeded(30);
    exercise(&fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocking_client_is_created_used_and_dropped_inside_a_multi_thread_runtime() {
    let fake = seeded(30);
    exercise(&fake);
}

#[test]
fn blocking_client_is_created_used_and_dropped_inside_runtime_block_on() {
    let fake = seeded(30);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async { exercise(&fake) });
}

#[test]
fn blocking_iterator_keeps_working_after_its_client_is_dropped() {
    let (_fake, client) = seeded_client(25);
    let mut items = client
        .contacts(BOT)
        .list()
        .page_size(10)
        .prefetch(true)
        .items();
    let first = items.next().unwrap().unwrap();
    drop(client);
    let rest = items.collect::<Result<Vec<_>, _>>().unwrap();
    assert_eq!(rest.len(), 24);
    assert!(rest.iter().all(|c| c.id != first.id));
}

#[test]
fn blocking_iterator_is_fused_after_the_end() {
    let fake = seeded(3);
    let mut pages = blocking_client(&fake).contacts(BOT).list().pages();
    assert_eq!(pages.next().unwrap().unwrap().items().len(), 3);
    for _ in 0..3 {
        assert!(pages.next().is_none());
    }
}

#[test]
fn blocking_iterator_is_fused_after_an_error() {
    let fake = start_apart(
        FakeServer::builder()
            .seed_contacts(BOT, 20)
            .fault(Fault::status(500).on(Route::ListContacts).from_nth(2)),
    );
    let client =
        blocking::Client::from_async(builder_for(&fake).max_attempts(1).build().unwrap()).unwrap();
    let mut items = client.contacts(BOT).list().page_size(5).items();
    for _ in 0..5 {
        items.next().unwrap().unwrap();
    }
    let error = items.next().unwrap().unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500), "{error}");
    for _ in 0..3 {
        assert!(items.next().is_none());
    }
    assert_eq!(fake.request_count(Route::ListContacts), 2);
}

#[test]
fn blocking_update_and_delete_reach_the_fake() {
    let fake = seeded(0);
    let contacts = blocking_client(&fake).contacts(BOT);
    let max = contacts.create(NewContact::new("EN")).unwrap();
    contacts
        .update(&max.id, ContactUpdate::new().name("Moritz"))
        .unwrap();
    assert_eq!(
        fake.contact(BOT, &max.id).unwrap().name.as_deref(),
        Some("Moritz")
    );
    assert!(contacts.delete(&max.id).unwrap());
    assert_eq!(fake.contact_count(BOT), 0);
}

#[test]
fn blocking_builder_options_take_effect() {
    let fake = start_apart(
        FakeServer::builder()
            .seed_contacts(BOT, 1)
            .fault(Fault::status(503).on(Route::GetContact).always()),
    );
    let client = blocking::Client::builder()
        .api_key(FAKE_KEY)
        .base_url(fake.base_url())
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .max_attempts(5)
        .retry_mode(chatcaptain::RetryMode::Adaptive)
        .user_agent("blocking-test/1")
        .build()
        .unwrap();
    let error = client.contacts(BOT).get("anything").unwrap_err();
    assert_eq!(error.attempts(), 5, "{error}");
    assert_eq!(fake.request_count(Route::GetContact), 5);
    let agents: Vec<_> = fake
        .requests()
        .iter()
        .map(|r| r.header("user-agent").map(str::to_owned))
        .collect();
    assert!(
        agents
            .iter()
            .all(|a| a.as_deref() == Some("blocking-test/1")),
        "{agents:?}"
    );
}

#[test]
fn debug_of_the_blocking_builder_redacts_the_key() {
    let builder = blocking::Client::builder().api_key(FAKE_KEY);
    let printed = format!("{builder:?}");
    assert!(
        !printed.contains(FAKE_KEY) && printed.contains("[redacted]"),
        "{printed}"
    );
}

#[test]
fn a_blocking_parallel_listing_resumes_from_a_saved_page() {
    let (_fake, client) = seeded_client(300);
    let mut pages = client
        .contacts(BOT)
        .list()
        .page_size(20)
        .parallel(4)
        .pages();
    let first = pages.next().unwrap().unwrap();
    let saved = first.next_parallel().unwrap().clone();
    drop(pages);
    let rest = client
        .contacts(BOT)
        .list()
        .page_size(20)
        .resume_parallel(saved)
        .collect_all()
        .unwrap();
    let mut all: Vec<_> = first.items().iter().chain(&rest).map(|c| &c.id).collect();
    all.sort();
    all.dedup();
    assert_eq!((first.items().len() + rest.len(), all.len()), (300, 300));
}

#[test]
fn blocking_iterators_go_on_after_an_odd_record_as_the_async_stream_does() {
    let server_runtime = tokio::runtime::Runtime::new().unwrap();
    let mut raw: Vec<serde_json::Value> = (0..100)
        .map(|i| {
            serde_json::json!({ "id": format!("c{i:03}"), "created": at(i).to_rfc3339(), "language": "EN" })
        })
        .collect();
    raw[79]["variables"] = serde_json::json!({ "age": 42 });
    let (server, _heard) = server_runtime.block_on(raw_list_server(raw, ListShape::spec()));
    let client = blocking::Client::from_async(client(&server)).unwrap();
    for ranges in [1, 3] {
        let (mut good, mut odd) = (Vec::new(), Vec::new());
        for item in client
            .contacts(BOT)
            .list()
            .page_size(10)
            .parallel(ranges)
            .items()
        {
            match item {
                Ok(contact) => good.push(contact.id),
                Err(e) => odd.push(e),
            }
        }
        assert!(
            matches!(odd[..], [chatcaptain::Error::InvalidItem { .. }]),
            "{ranges} ranges: {odd:?}"
        );
        good.sort();
        good.dedup();
        assert_eq!(
            good.len(),
            99,
            "{ranges} ranges: contacts after the odd one"
        );
    }
}

/// The `pub fn`s of each `impl` block of `ClientBuilder` in `source`, by the block's header.
fn builder_blocks(source: &str) -> Vec<(String, Vec<String>)> {
    source
        .split("\nimpl")
        .skip(1)
        .filter_map(|block| {
            let (header, body) = block.split_once('{')?;
            let header = header.trim().to_owned();
            if !header.contains("ClientBuilder") || header.contains(" for ") {
                return None;
            }
            let body = body.split("\n}\n").next().unwrap_or_default();
            let methods = body
                .split("pub fn ")
                .skip(1)
                .filter_map(|rest| rest.split(['(', '<']).next())
                .map(str::to_owned)
                .collect();
            Some((header, methods))
        })
        .collect()
}

#[test]
fn every_option_of_the_async_builder_is_an_option_of_the_blocking_one() {
    // The blocking builder is the async one (`ClientBuilder<blocking::Client>`): its options are
    // those of the block generic over the client kind. An option written in a block for one
    // kind only would be missing from the other; only `build` may be.
    let blocks = [
        builder_blocks(include_str!("../../src/client.rs")),
        builder_blocks(include_str!("../../src/blocking.rs")),
    ]
    .concat();
    let generic: Vec<_> = blocks
        .iter()
        .filter(|(h, _)| h.starts_with("<C>"))
        .collect();
    assert_eq!(generic.len(), 1, "{blocks:?}");
    assert!(generic[0].1.len() > 10 && generic[0].1.contains(&"retry_mode".to_owned()));
    for (header, methods) in blocks.iter().filter(|(h, _)| !h.starts_with("<C>")) {
        assert_eq!(
            methods,
            &["build"],
            "impl {header}: an option for one kind of client"
        );
    }
    let _same: fn(blocking::ClientBuilder) -> chatcaptain::ClientBuilder<blocking::Client> = |b| b;
}

#[test]
fn a_blocking_sync_run_hands_out_the_checkpoint_and_the_next_run_only_new_contacts() {
    let (fake, client) = seeded_client(40);
    let contacts = client.contacts(BOT);
    for ranges in [1, 3] {
        let mut run = contacts
            .list()
            .page_size(7)
            .parallel(ranges)
            .since(chatcaptain::Checkpoint::start())
            .sync();
        assert_eq!(run.checkpoint(), None, "before the run is through");
        let first = run.by_ref().collect::<Result<Vec<_>, _>>().unwrap();
        let saved = run.checkpoint().expect("the run is through");
        let created = contacts.create(NewContact::new("EN")).unwrap();
        let mut next = contacts.list().parallel(ranges).since(saved).sync();
        let new = next.by_ref().collect::<Result<Vec<_>, _>>().unwrap();
        assert_eq!(first.len(), fake.contact_count(BOT) - 1, "{ranges} ranges");
        assert_eq!(ids(&new), [created.id], "{ranges} ranges");
        assert!(next.checkpoint().is_some());
    }
}

#[test]
fn a_blocking_sync_run_stopped_part_way_resumes_from_its_progress() {
    let (_fake, client) = seeded_client(40);
    let contacts = client.contacts(BOT);
    let mut run = contacts.list().page_size(7).sync();
    let first: Vec<_> = run.by_ref().take(10).map(Result::unwrap).collect();
    let saved = run.progress().expect("the runtime is alive");
    assert!(saved.is_interrupted());
    let rest = contacts
        .list()
        .page_size(7)
        .since(saved)
        .sync()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let all = ids_then(&first, &rest);
    let unique: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (40, 40));
}
