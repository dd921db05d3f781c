//! An import: one contact created per CSV record, four at a time, and every record accounted
//! for: created, rejected (nothing was created: fix it and send it again) or unknown (sent, but
//! the answer was lost: it may exist, so look before sending it again).
//!
//! `cargo run -p chatcaptain --example import` (a built-in sample) or `-- contacts.csv`
//!
//! Reads the columns the `export_csv` example writes (`name`, `email`, `phoneNumber`,
//! `language`; others are ignored). Against the in-memory fake, the third create is refused
//! with a 422 and the fifth loses its answer, to show both; against a real server
//! (`CHATCAPTAIN_BASE_URL`, `CHATCAPTAIN_API_KEY`, `CHATCAPTAIN_CHATBOT`) it creates real
//! contacts. (The `chatcaptain` tool's `contacts import` also keeps a journal, so an
//! interrupted import can be run again.)

mod support;

use std::error::Error;

use chatcaptain::{Contacts, NewContact};
use chatcaptain_fake::{Fault, Route};
use futures::StreamExt;
use serde::Deserialize;

const SAMPLE: &str = "\
name,email,phoneNumber,language
Ada Lovelace,ada@example.com,+441234567890,EN
Grace Hopper,grace@example.com,,EN
Kurt Gödel,kurt@example.com,,DE
Nobody Knows,nobody@example.com,,
Edsger Dijkstra,edsger@example.com,,NL
Barbara Liskov,barbara@example.com,,EN
Alan Turing,alan@example.com,,EN
";

/// One CSV record, as read.
#[derive(Debug, Deserialize)]
struct Record {
    name: Option<String>,
    email: Option<String>,
    #[serde(rename = "phoneNumber")]
    phone_number: Option<String>,
    language: Option<String>,
}

/// What became of one record.
enum Outcome {
    Created(String),
    /// Nothing was created (the record is unreadable, or the API refused it).
    Rejected(String),
    /// The request went out but no clear answer came back: the contact may exist.
    Unknown(String),
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let target = support::target(|fake| {
        fake.fault(Fault::status(422).on(Route::CreateContact).nth(3))
            .fault(Fault::drop_connection().on(Route::CreateContact).nth(5))
    })
    .await?;
    let contacts = target.client.contacts(&target.chatbot);
    let input = match std::env::args().nth(1) {
        Some(path) => std::fs::read_to_string(path)?,
        None => SAMPLE.to_owned(),
    };

    let mut reader = csv::Reader::from_reader(input.as_bytes());
    let headers = reader.headers()?.clone();
    let line = |position: Option<&csv::Position>| position.map_or(0, |p| p.line());
    let records: Vec<(u64, Result<Record, csv::Error>)> = reader
        .records()
        .map(|row| match row {
            Ok(row) => (line(row.position()), row.deserialize(Some(&headers))),
            // A row with another number of cells than the header, say.
            Err(e) => (line(e.position()), Err(e)),
        })
        .collect();

    // Four creates in flight at a time; the client's retries and rate limits apply to each.
    let mut outcomes = futures::stream::iter(records)
        .map(|(line, record)| {
            let contacts = contacts.clone();
            async move { (line, import(&contacts, record).await) }
        })
        .buffer_unordered(4);

    let (mut created, mut rejected, mut unknown) = (0, 0, 0);
    while let Some((line, outcome)) = outcomes.next().await {
        match outcome {
            Outcome::Created(id) => {
                println!("line {line}: created {id}");
                created += 1;
            }
            Outcome::Rejected(why) => {
                eprintln!("line {line}: rejected, nothing created: {why}");
                rejected += 1;
            }
            Outcome::Unknown(why) => {
                eprintln!("line {line}: outcome unknown, look before sending it again: {why}");
                unknown += 1;
            }
        }
    }
    eprintln!("{created} created, {rejected} rejected, {unknown} unknown");
    Ok(())
}

async fn import(contacts: &Contacts, record: Result<Record, csv::Error>) -> Outcome {
    let record = match record {
        Ok(record) => record,
        Err(e) => return Outcome::Rejected(format!("unreadable: {e}")),
    };
    let Some(language) = record.language.filter(|l| !l.is_empty()) else {
        return Outcome::Rejected("no language (the one field the API requires)".into());
    };
    let mut contact = NewContact::new(language);
    if let Some(name) = record.name.filter(|v| !v.is_empty()) {
        contact = contact.name(name);
    }
    if let Some(email) = record.email.filter(|v| !v.is_empty()) {
        contact = contact.email(email);
    }
    if let Some(phone) = record.phone_number.filter(|v| !v.is_empty()) {
        contact = contact.phone_number(phone);
    }
    match contacts.create(contact).await {
        Ok(created) => Outcome::Created(created.id),
        // An answer with a 4xx status (a 429 that outlasted the retries too): not created.
        Err(e) if e.status().is_some_and(|s| s.is_client_error()) => {
            Outcome::Rejected(e.to_string())
        }
        // Refused before sending.
        Err(e @ chatcaptain::Error::InvalidArgument(_)) => Outcome::Rejected(e.to_string()),
        // Sent, and then the connection broke, a 5xx came, the body was cut short...: create is
        // not idempotent, so the client did not retry it, and neither should we blindly.
        Err(e) => Outcome::Unknown(error_chain(&e)),
    }
}

fn error_chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
