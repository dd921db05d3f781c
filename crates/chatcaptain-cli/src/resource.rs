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

/// Implements [`Resource`] for a record: its nouns, its listing's and search's parameters, and
/// the client's handle for it (whose `list` and `search` the resource's are).
macro_rules! resource {
    ($record:ty, $one:literal, $many:literal, $list:ty, $search:ty, $handle:ident) => {
        impl Resource for $record {
            const ONE: &'static str = $one;
            const MANY: &'static str = $many;
            type List = $list;
            type Search = $search;

            fn list(client: &Client, chatbot: &str) -> CursorListing<Self::List> {
                client.$handle(chatbot).list()
            }

            fn search(client: &Client, chatbot: &str, query: &str) -> PageListing<Self::Search> {
                client.$handle(chatbot).search(query)
            }
        }
    };
}

resource!(
    Contact,
    "contact",
    "contacts",
    ListContactsParams,
    SearchContactsParams,
    contacts
);
resource!(
    Organization,
    "organization",
    "organizations",
    ListOrganizationsParams,
    SearchOrganizationsParams,
    organizations
);

impl Creatable for Organization {
    const NEW: &'static str = "NewOrganization";
    const NEW_FIELDS: &'static [&'static str] = fields::NEW_ORGANIZATION;
    type New = NewOrganization;

    async fn create(client: &Client, chatbot: &str, body: NewOrganization) -> Result<Self, Error> {
        client.organizations(chatbot).create(body).await
    }
}
