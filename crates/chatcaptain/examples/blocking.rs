//! The blocking client, for programs without an async runtime: a plain `fn main`, iterators
//! instead of streams.
//!
//! `cargo run -p chatcaptain --example blocking --features blocking`
//!
//! Runs against an in-memory fake with 300 contacts, or against a real server when
//! `CHATCAPTAIN_BASE_URL`, `CHATCAPTAIN_API_KEY` and `CHATCAPTAIN_CHATBOT` are set (it creates,
//! renames and deletes one contact there). In your own program:
//! `chatcaptain = { version = "0.1", features = ["blocking"] }` and
//! `chatcaptain::blocking::Client::from_env()?`.

mod support;

use chatcaptain::{ContactUpdate, NewContact};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::blocking_target(|fake| fake.seed_contacts(support::FAKE_CHATBOT, 300))?;
    let contacts = target.client.contacts(&target.chatbot);

    // Listings are iterators; each item is a Result, and pages are fetched as they are needed.
    for contact in contacts.list().max_items(3).items() {
        let contact = contact?;
        println!("newest: {} {}", contact.id, contact.created);
    }
    let all = contacts.list().page_size(1_000).collect_all()?;
    println!("{} contacts in all", all.len());

    let ada = contacts.create(NewContact::new("EN").name("Ada"))?;
    let renamed = contacts.update(&ada.id, ContactUpdate::new().name("Ada Lovelace"))?;
    let hits = contacts.search("Lovelace").max_items(10).collect_all()?;
    println!("found {} for \"Lovelace\"", hits.len());
    contacts.delete(&renamed.id)?;
    Ok(())
}
