//! Draining a listing against the fake under faults, and checking what came out of it.

use std::collections::HashSet;
use std::time::Duration;

use chatcaptain::{Client, Contact, Error};
use chatcaptain_fake::{FakeServer, Route};
use futures::StreamExt;

/// The two pagination styles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `list()`: the date-time cursor.
    List,
    /// `search("")`: page numbers; an empty query matches every contact.
    Search,
}

impl Style {
    /// The fake's route for this style's requests, to aim faults at.
    pub fn route(self) -> Route {
        match self {
            Style::List => Route::ListContacts,
            Style::Search => Route::SearchContacts,
        }
    }
}

/// Every pagination style with prefetch off and on.
pub const COMBINATIONS: [(Style, bool); 4] = [
    (Style::List, false),
    (Style::List, true),
    (Style::Search, false),
    (Style::Search, true),
];

/// What a listing yielded before it ended, and the error it ended with, if any.
#[derive(Debug)]
pub struct Outcome {
    pub contacts: Vec<Contact>,
    pub error: Option<Error>,
}

/// Takes items until the stream ends or fails; a generous timeout guards against a hang.
pub async fn drain(
    client: &Client,
    bot: &str,
    style: Style,
    prefetch: bool,
    page_size: u32,
) -> Outcome {
    let contacts = client.contacts(bot);
    let mut items = match style {
        Style::List => contacts
            .list()
            .page_size(page_size)
            .prefetch(prefetch)
            .items()
            .boxed(),
        Style::Search => contacts
            .search("")
            .page_size(page_size)
            .prefetch(prefetch)
            .items()
            .boxed(),
    };
    let run = async {
        let mut outcome = Outcome {
            contacts: Vec::new(),
            error: None,
        };
        while let Some(item) = items.next().await {
            match item {
                Ok(contact) => outcome.contacts.push(contact),
                Err(e) => {
                    outcome.error = Some(e);
                    // A failed stream must stay ended, not resume with more items.
                    assert!(items.next().await.is_none(), "items after the error");
                    break;
                }
            }
        }
        outcome
    };
    tokio::time::timeout(Duration::from_secs(60), run)
        .await
        .unwrap_or_else(|_| panic!("{style:?} prefetch={prefetch} hung"))
}

/// Asserts no contact came twice.
pub fn assert_no_duplicates(contacts: &[Contact], context: &str) {
    let unique: HashSet<&str> = contacts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(unique.len(), contacts.len(), "{context}: duplicates");
}

/// Asserts `contacts` are `n` contacts, no two with the same id.
pub fn assert_n_distinct(contacts: &[Contact], n: usize, context: &str) {
    let unique: HashSet<&str> = contacts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        (contacts.len(), unique.len()),
        (n, n),
        "{context}: (contacts, distinct ids)"
    );
}

/// Asserts the listing yielded every contact of `bot` on `server` exactly once.
pub fn assert_exactly_once(server: &FakeServer, bot: &str, contacts: &[Contact], context: &str) {
    assert_no_duplicates(contacts, context);
    assert_eq!(
        contacts.len(),
        server.contact_count(bot),
        "{context}: count"
    );
    // As many distinct ids as the server holds, each of them the server's: the whole set.
    assert!(
        contacts
            .iter()
            .all(|c| server.contact(bot, &c.id).is_some()),
        "{context}: an id the server does not have"
    );
}
