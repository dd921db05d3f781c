//! Sync runs cut anywhere: a run stopped after any contact, or failed part way, saves its
//! progress, and the next run delivers exactly the rest and what is new, none twice. A contact
//! dated ahead of the clock, and files that are not checkpoints.

use crate::common;

use std::collections::HashSet;

use chatcaptain::{Checkpoint, Contact};
use chatcaptain_fake::{FakeServer, Fault, ListShape, Route};
use chrono::{DateTime, TimeDelta, Utc};
use common::fake::{FAKE_KEY, fake_client, tied_fake};
use common::{BOT, contact, through_json};
use futures::TryStreamExt;

const SEEDED: usize = 223;

fn now() -> DateTime<Utc> {
    DateTime::<Utc>::from(std::time::SystemTime::now())
}

/// A sync run from `from` that stops after `stop_after` contacts (`None`: runs through), and
/// the checkpoint it leaves: its progress when stopped, its checkpoint when through.
async fn run(
    client: &chatcaptain::Client,
    from: &Checkpoint,
    ranges: usize,
    stop_after: Option<usize>,
) -> (Vec<Contact>, Checkpoint) {
    let mut run = client
        .contacts(BOT)
        .list()
        .page_size(20)
        .parallel(ranges)
        .since(from.clone())
        .sync();
    let mut got = Vec::new();
    while stop_after.is_none_or(|n| got.len() < n) {
        match run.try_next().await.unwrap() {
            Some(contact) => got.push(contact),
            None => {
                let checkpoint = run.checkpoint().expect("a run through has a checkpoint");
                assert_eq!(
                    checkpoint,
                    run.progress(),
                    "progress at the end is the checkpoint"
                );
                return (got, through_json(&checkpoint));
            }
        }
    }
    let progress = run.progress();
    assert!(run.checkpoint().is_none());
    (got, through_json(&progress))
}

fn assert_each_once(case: &str, got: &[String], expected: usize) {
    let unique: HashSet<&String> = got.iter().collect();
    assert_eq!(unique.len(), got.len(), "{case}: a contact came twice");
    assert_eq!(got.len(), expected, "{case}: contacts missing");
}

/// 218 contacts a second apart and 5 more sharing the newest one's instant (ties at a page
/// boundary), listed the way `shape` says.
async fn server(shape: ListShape) -> FakeServer {
    tied_fake(SEEDED as u64 - 5, 5, 100)
        .list_shape(shape)
        .start()
        .await
}

#[tokio::test]
async fn a_run_stopped_after_any_contact_is_resumed_with_nothing_twice_and_nothing_missed() {
    let shapes = [
        ("spec", ListShape::spec()),
        ("silent cap of 7", ListShape::spec().limit_cap(7)),
        ("inclusive token", ListShape::spec().inclusive_token(true)),
    ];
    // Cut points across the first page, page boundaries and the end, and two stops in a row.
    let cuts = [
        (1, None),
        (19, None),
        (20, Some(5)),
        (21, None),
        (57, Some(100)),
        (140, Some(1)),
        (222, None),
    ];
    for (name, shape) in shapes {
        for ranges in [1, 3] {
            // Every cut on the spec's shape, sequentially; the page-boundary ones otherwise.
            let cuts = match (name, ranges) {
                ("spec", 1) => &cuts[..],
                _ => &cuts[1..4],
            };
            for &(first, second) in cuts {
                let server = server(shape.clone()).await;
                let client = fake_client(&server);
                let case =
                    format!("{name}, {ranges} ranges, stopped after {first} then {second:?}");
                let (mut got, mut checkpoint) =
                    run(&client, &Checkpoint::start(), ranges, Some(first)).await;
                assert!(checkpoint.is_interrupted(), "{case}");
                // Created while no run was going: the next run delivers them too.
                server.insert_contact(BOT, contact("new-1", now()));
                if let Some(second) = second {
                    let (more, stopped) = run(&client, &checkpoint, ranges, Some(second)).await;
                    got.extend(more);
                    checkpoint = stopped;
                    server.insert_contact(BOT, contact("new-2", now()));
                }
                let (rest, through) = run(&client, &checkpoint, ranges, None).await;
                got.extend(rest);
                assert!(!through.is_interrupted(), "{case}");
                let ids: Vec<String> = got.iter().map(|c| c.id.clone()).collect();
                assert_each_once(&case, &ids, SEEDED + 1 + usize::from(second.is_some()));
                let (none, _) = run(&client, &through, ranges, None).await;
                assert!(none.is_empty(), "{case}: {none:?}");
            }
        }
    }
}

#[tokio::test]
async fn a_run_that_failed_part_way_is_resumed_from_its_progress() {
    let server = FakeServer::builder()
        .api_key(FAKE_KEY)
        .seed_contacts(BOT, SEEDED as u64)
        .fault(Fault::status(403).on(Route::ListContacts).nth(4))
        .start()
        .await;
    let client = fake_client(&server);
    let mut run = client.contacts(BOT).list().page_size(20).sync();
    let mut got = Vec::new();
    let error = loop {
        match run.try_next().await {
            Ok(Some(contact)) => got.push(contact.id),
            Ok(None) => panic!("the fault did not fire"),
            Err(e) => break e,
        }
    };
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
    assert!(!got.is_empty());
    assert!(run.checkpoint().is_none());
    let progress = through_json(&run.progress());
    let mut rest = client
        .contacts(BOT)
        .list()
        .page_size(20)
        .since(progress)
        .sync();
    while let Some(contact) = rest.try_next().await.unwrap() {
        got.push(contact.id);
    }
    assert_each_once("failed, then resumed", &got, SEEDED);
}

#[tokio::test]
async fn a_contact_dated_an_hour_ahead_does_not_blind_the_next_runs() {
    let server = common::fake::seeded_fake(30).await;
    server.insert_contact(BOT, contact("from-the-future", now() + TimeDelta::hours(1)));
    let client = fake_client(&server);

    let (first, checkpoint) = run(&client, &Checkpoint::start(), 1, None).await;
    assert_eq!(first.len(), 31);
    let newest = checkpoint.newest().unwrap();
    assert!(
        newest <= now() + TimeDelta::from_std(Checkpoint::CLOCK_TOLERANCE).unwrap(),
        "the checkpoint moved to {newest}, past the clock"
    );

    server.insert_contact(BOT, contact("made-now", now()));
    let (second, checkpoint) = run(&client, &checkpoint, 1, None).await;
    let second: Vec<String> = second.into_iter().map(|c| c.id).collect();
    assert_eq!(
        second,
        ["made-now"],
        "the future one comes once, the new one comes"
    );
    let (third, _) = run(&client, &checkpoint, 3, None).await;
    assert!(third.is_empty(), "{third:?}");
}

#[test]
fn anything_but_a_checkpoint_is_refused() {
    for text in [
        "{}",
        "[]",
        "null",
        "\"\"",
        r#"{"newest":null}"#,
        r#"{"newst":"2025-01-01T00:00:00Z"}"#,
        r#"{"newest":"2025-01-01T00:00:00Z","colour":"blue"}"#,
        r#"{"version":1,"extra":true}"#,
        r#"{"version":2,"newest":"2025-01-01T00:00:00Z"}"#,
        r#"{"version":1,"newest":"2025-01-01T00:00:00Z","lookback_ms":86400001}"#,
        r#"{"version":1,"pending":{"resume":{"Page":{"page":2}}}}"#,
    ] {
        let read = serde_json::from_str::<Checkpoint>(text);
        assert!(read.is_err(), "{text} was read as {read:?}");
    }
}

#[test]
fn checkpoints_are_saved_with_their_version_and_the_first_format_still_reads() {
    let start = serde_json::to_value(Checkpoint::start()).unwrap();
    assert_eq!(start, serde_json::json!({ "version": 1 }));
    assert_eq!(
        serde_json::from_value::<Checkpoint>(start).unwrap(),
        Checkpoint::start()
    );
    let legacy: Checkpoint = serde_json::from_str(
        r#"{"newest":"2025-01-01T00:00:00Z","seen":["a"],"lookback_ms":5000}"#,
    )
    .unwrap();
    assert_eq!(
        legacy.newest(),
        Some("2025-01-01T00:00:00Z".parse().unwrap())
    );
}
