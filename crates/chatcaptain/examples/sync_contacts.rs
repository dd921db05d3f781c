//! A sync job against the in-memory fake: list every contact of a chatbot while the "API"
//! rate-limits and drops connections, resume from a saved cursor, and check nothing was lost.
//!
//! `cargo run -p chatcaptain --example sync_contacts`
//! Against the real API, build the client with `Client::from_env()` instead.

use std::collections::HashSet;
use std::time::Duration;

use chatcaptain::{Client, Cursor};
use chatcaptain_fake::{FakeServer, Fault, Route};
use futures::TryStreamExt;

const CHATBOT: &str = "bot1";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = FakeServer::builder()
        .seed_contacts(CHATBOT, 20_000)
        .fault(Fault::rate_limited(0).on(Route::ListContacts).every(7))
        .fault(Fault::drop_connection().on(Route::ListContacts).every(11))
        .start()
        .await;
    let client = Client::builder()
        .api_key(server.api_key())
        .base_url(server.base_url())
        .backoff(Duration::from_millis(5), Duration::from_millis(50))
        .max_attempts(5)
        .build()?;
    let contacts = client.contacts(CHATBOT);

    // First run: stop after one page and keep the cursor, as a job interrupted mid-way would.
    let mut pages = contacts.list().page_size(500).pages();
    let first = pages.try_next().await?.expect("the chatbot has contacts");
    let saved = serde_json::to_string(first.next_cursor().expect("more pages"))?;
    drop(pages);

    // Second run: resume from the saved cursor, with prefetch, through the injected faults.
    let cursor: Cursor = serde_json::from_str(&saved)?;
    let rest = contacts
        .list()
        .page_size(500)
        .prefetch(true)
        .resume(cursor)
        .collect_all()
        .await?;

    let ids: HashSet<&str> = first
        .items()
        .iter()
        .chain(&rest)
        .map(|c| c.id.as_str())
        .collect();
    println!(
        "synced {} contacts ({} unique) in {} list requests, faults included",
        first.items().len() + rest.len(),
        ids.len(),
        server.request_count(Route::ListContacts),
    );
    assert_eq!(ids.len(), 20_000);
    Ok(())
}
