//! Incremental sync against the fake: each run yields exactly the contacts created since the
//! last one, none twice, none missed, ties at the checkpoint's instant included.

use crate::common;

use std::collections::HashSet;

use chatcaptain::{Checkpoint, Contact, NewContact};
use chatcaptain_fake::{FakeServer, Route, seed_base_time};
use chrono::TimeDelta;
use common::fake::{FAKE_KEY, fake_client, tied_fake};
use common::{BOT, contact, through_json};
use futures::TryStreamExt;

/// A sync run in one range (`parallel(1)` is the plain listing), and the checkpoint it ends
/// with, saved and read back.
async fn run(
    client: &chatcaptain::Client,
    checkpoint: &Checkpoint,
    page_size: u32,
) -> (Vec<Contact>, Checkpoint) {
    let (got, next) = parallel_run(client, checkpoint.clone(), page_size, 1).await;
    (got, through_json(&next))
}

/// A sync run in `ranges` parallel ranges, and the checkpoint it ends with.
async fn parallel_run(
    client: &chatcaptain::Client,
    checkpoint: Checkpoint,
    page_size: u32,
    ranges: usize,
) -> (Vec<Contact>, Checkpoint) {
    let mut run = client
        .contacts(BOT)
        .list()
        .page_size(page_size)
        .parallel(ranges)
        .since(checkpoint)
        .sync();
    let mut got = Vec::new();
    while let Some(contact) = run.try_next().await.unwrap() {
        got.push(contact);
    }
    (
        got,
        run.checkpoint().expect("a complete run has a checkpoint"),
    )
}

fn ids(contacts: &[Contact]) -> HashSet<String> {
    contacts.iter().map(|c| c.id.clone()).collect()
}

#[tokio::test]
async fn each_run_yields_exactly_the_contacts_created_since_the_last() {
    let server = tied_fake(250, 5, 249).start().await;
    let client = fake_client(&server);

    let (first, checkpoint) = run(&client, &Checkpoint::start(), 40).await;
    assert_eq!((first.len(), ids(&first).len()), (255, 255));
    assert_eq!(
        checkpoint.newest(),
        Some(seed_base_time() + TimeDelta::seconds(249))
    );

    // Nothing new: one request, nothing yielded, the same checkpoint.
    server.clear_requests();
    let (none, same) = run(&client, &checkpoint, 40).await;
    assert!(none.is_empty(), "{none:?}");
    assert_eq!(same, checkpoint);
    assert_eq!(server.request_count(Route::ListContacts), 1);

    // Between runs: two at the checkpoint's own instant (after it was taken), three newer.
    let at = checkpoint.newest().unwrap();
    server.insert_contact(BOT, contact("tie-late-1", at));
    server.insert_contact(BOT, contact("tie-late-2", at));
    let mut created = Vec::new();
    for name in ["a", "b", "c"] {
        let made = client
            .contacts(BOT)
            .create(NewContact::new("EN").name(name))
            .await
            .unwrap();
        created.push(made.id);
    }
    let (new, checkpoint) = run(&client, &checkpoint, 2).await;
    let mut expected: HashSet<String> = created.iter().cloned().collect();
    expected.extend(["tie-late-1".to_owned(), "tie-late-2".to_owned()]);
    assert_eq!(ids(&new), expected);
    assert_eq!(new.len(), 5, "none twice");

    // And the run after that sees nothing again.
    let (none, _) = run(&client, &checkpoint, 2).await;
    assert!(none.is_empty(), "{none:?}");
}

#[tokio::test]
async fn contacts_created_during_a_run_come_in_this_run_or_the_next_never_twice() {
    let server = common::fake::seeded_fake(300).await;
    let client = fake_client(&server);
    let mut run_one = client.contacts(BOT).list().page_size(50).sync();
    let mut seen = Vec::new();
    let mut made = Vec::new();
    while let Some(contact) = run_one.try_next().await.unwrap() {
        seen.push(contact.id);
        if seen.len() % 60 == 0 {
            let new = client
                .contacts(BOT)
                .create(NewContact::new("EN"))
                .await
                .unwrap();
            made.push(new.id);
        }
    }
    let checkpoint = run_one.checkpoint().unwrap();
    let (second, _) = run(&client, &checkpoint, 50).await;
    seen.extend(second.into_iter().map(|c| c.id));
    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "a contact came twice");
    assert_eq!(
        seen.len(),
        300 + made.len(),
        "every contact, the new ones included"
    );
}

#[tokio::test]
async fn a_failed_run_gives_no_checkpoint() {
    let server = FakeServer::builder()
        .api_key(FAKE_KEY)
        .seed_contacts(BOT, 100)
        .fault(
            chatcaptain_fake::Fault::status(403)
                .on(Route::ListContacts)
                .nth(2),
        )
        .start()
        .await;
    let client = fake_client(&server);
    let mut run = client.contacts(BOT).list().page_size(30).sync();
    let mut failed = false;
    while let Some(item) = futures::StreamExt::next(&mut run).await {
        failed |= item.is_err();
    }
    assert!(failed);
    assert!(run.checkpoint().is_none());
}

#[tokio::test]
async fn a_parallel_sync_run_yields_the_same_as_a_sequential_one() {
    let server = common::fake::seeded_fake(600).await;
    let client = fake_client(&server);
    let (first, checkpoint) = parallel_run(&client, Checkpoint::start(), 40, 4).await;
    assert_eq!((first.len(), ids(&first).len()), (600, 600));
    let at = checkpoint.newest().unwrap();
    server.insert_contact(BOT, contact("late-tie", at));
    server.insert_contact(BOT, contact("newer", at + TimeDelta::seconds(5)));
    let (second, _) = parallel_run(&client, checkpoint, 40, 4).await;
    assert_eq!(
        ids(&second),
        HashSet::from(["late-tie".to_owned(), "newer".to_owned()])
    );
    assert_eq!(second.len(), 2);
}

#[tokio::test]
async fn a_lookback_delivers_a_contact_that_became_visible_late_and_nothing_twice() {
    let server = common::fake::seeded_fake(100).await;
    let client = fake_client(&server);
    let start = Checkpoint::start().lookback(std::time::Duration::from_secs(5));
    let (first, checkpoint) = run(&client, &start, 30).await;
    assert_eq!((first.len(), ids(&first).len()), (100, 100));
    let newest = checkpoint.newest().unwrap();

    // Visible only after the first run, stamped 2 s before the newest contact it delivered (a
    // slow insert, a server instance with its clock behind); and a newer one.
    server.insert_contact(BOT, contact("late", newest - TimeDelta::seconds(2)));
    server.insert_contact(BOT, contact("newer", newest + TimeDelta::seconds(1)));
    let (second, checkpoint) = run(&client, &checkpoint, 30).await;
    assert_eq!(
        ids(&second),
        HashSet::from(["late".to_owned(), "newer".to_owned()])
    );
    assert_eq!(second.len(), 2);
    // The lookback carries over, and what the window held is not delivered again.
    let (third, _) = run(&client, &checkpoint, 30).await;
    assert!(third.is_empty(), "{third:?}");

    // The same, run in parallel ranges.
    server.insert_contact(BOT, contact("late-2", newest - TimeDelta::seconds(1)));
    let (got, _) = parallel_run(&client, checkpoint, 30, 3).await;
    assert_eq!(ids(&got), HashSet::from(["late-2".to_owned()]));
    assert_eq!(got.len(), 1);
}

#[tokio::test]
async fn without_a_lookback_a_contact_stamped_before_the_checkpoint_is_not_seen() {
    // The documented limit of a checkpoint on `created`, which `lookback` is for.
    let server = common::fake::seeded_fake(50).await;
    let client = fake_client(&server);
    let (_, checkpoint) = run(&client, &Checkpoint::start(), 30).await;
    let newest = checkpoint.newest().unwrap();
    server.insert_contact(BOT, contact("late", newest - TimeDelta::seconds(2)));
    let (second, _) = run(&client, &checkpoint, 30).await;
    assert!(second.is_empty(), "{second:?}");
}
