//! The kinds of record the tool lists and searches (contacts, organizations): what the commands
//! written once over [`Resource`] need to know of each.
//!
//! Fields, CSV and table columns come from [`Record`] (the spec's properties); the operations
//! from the generated listings. A resource adds its nouns and which listings are its own.

use std::future::Future;

use chatcaptain::api::fields;
use chatcaptain::api::types::NewOrganization;
use chatcaptain::paging::{CursorListing, CursorOperation, Dated, PageListing, PageOperation};
use chatcaptain::{Client, Contact, Error, ListContactsParams, SearchContactsParams};
use chatcaptain::{ListOrganizationsParams, Organization, SearchOrganizationsParams};

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

/// A resource created from flags its body's schema defines ([`crate::spec_flags`]).
pub trait Creatable: Resource {
    /// The body's schema in the spec, its properties in the spec's order, its generated type.
    const NEW: &'static str;
    const NEW_FIELDS: &'static [&'static str];
    type New: serde::de::DeserializeOwned;

    /// Creates one, answering the record as stored.
    fn create(
        client: &Client,
        chatbot: &str,
        body: Self::New,
    ) -> impl Future<Output = Result<Self, Error>> + Send;
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

impl Resource for Organization {
    const ONE: &'static str = "organization";
    const MANY: &'static str = "organizations";
    type List = ListOrganizationsParams;
    type Search = SearchOrganizationsParams;

    fn list(client: &Client, chatbot: &str) -> CursorListing<Self::List> {
        client.organizations(chatbot).list()
    }

    fn search(client: &Client, chatbot: &str, query: &str) -> PageListing<Self::Search> {
        client.organizations(chatbot).search(query)
    }
}

impl Creatable for Organization {
    const NEW: &'static str = "NewOrganization";
    const NEW_FIELDS: &'static [&'static str] = fields::NEW_ORGANIZATION;
    type New = NewOrganization;

    async fn create(client: &Client, chatbot: &str, body: NewOrganization) -> Result<Self, Error> {
        client.organizations(chatbot).create(body).await
    }
}
