//! The kinds of record the tool lists and searches (contacts, organizations): what the commands
//! written once over [`Resource`] need to know of each.
//!
//! Fields, CSV and table columns come from [`Record`] (the spec's properties); the operations
//! from the generated listings. A resource adds its nouns and which listings are its own.

use chatcaptain::paging::{CursorListing, CursorOperation, Dated, PageListing, PageOperation};
use chatcaptain::{Client, Contact, ListContactsParams, SearchContactsParams};

use crate::output::Record;

/// A kind of record with a cursor listing and a search.
pub trait Resource: Record + Dated + 'static {
    /// One of them, in messages: `contact`.
    const ONE: &'static str;
    /// More of them, in messages and help: `contacts`.
    const MANY: &'static str;
    /// Its listing, newest first.
    type List: CursorOperation<Item = Self>;
    /// Its full-text search.
    type Search: PageOperation<Item = Self>;

    /// The listing of the chatbot's records.
    fn list(client: &Client, chatbot: &str) -> CursorListing<Self::List>;
    /// The search of the chatbot's records for `query`.
    fn search(client: &Client, chatbot: &str, query: &str) -> PageListing<Self::Search>;
}

impl Resource for Contact {
    const ONE: &'static str = "contact";
    const MANY: &'static str = "contacts";
    type List = ListContactsParams;
    type Search = SearchContactsParams;

    fn list(client: &Client, chatbot: &str) -> CursorListing<Self::List> {
        client.contacts(chatbot).list()
    }

    fn search(client: &Client, chatbot: &str, query: &str) -> PageListing<Self::Search> {
        client.contacts(chatbot).search(query)
    }
}
