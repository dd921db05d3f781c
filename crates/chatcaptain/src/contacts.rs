//! The contacts of one chatbot: single operations, and the entry points of the listings.

use std::sync::atomic::{AtomicU32, Ordering};

use chatcaptain_api::types::{self, ContactResponse};
use futures::FutureExt;
use futures::future::BoxFuture;

use crate::transport::envelope::{ApiResult, Envelope};
use crate::transport::path::path_segment;
use crate::{
    Client, Contact, ContactUpdate, Error, ListContacts, NewContact, Organization, SearchContacts,
};
use chatcaptain_api::operations::Operation;

/// A handle on the contacts of one chatbot; cheap to clone.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), chatcaptain::Error> {
/// # let server = chatcaptain_fake::FakeServer::start().await;
/// # let client = chatcaptain::Client::builder().api_key(server.api_key()).base_url(server.base_url()).build()?;
/// use chatcaptain::{ContactUpdate, NewContact};
///
/// let contacts = client.contacts("aBcDeFgHiJkLmNoPqRsT");
/// let ada = contacts.create(NewContact::new("EN").name("Ada Lovelace")).await?;
/// contacts.update(&ada.id, ContactUpdate::new().variable("plan", "premium")).await?;
/// let hits = contacts.search("Lovelace").collect_all().await?;
/// assert_eq!(hits[0].id, ada.id);
/// assert!(contacts.delete(&ada.id).await?);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Contacts {
    client: Client,
    chatbot_id: String,
}

// The entry point lives with the handle it opens, so the client does not know its resources.
impl Client {
    /// The contacts of one chatbot.
    pub fn contacts(&self, chatbot_id: impl Into<String>) -> Contacts {
        Contacts::new(self.clone(), chatbot_id.into())
    }
}

impl Contacts {
    pub(crate) fn new(client: Client, chatbot_id: String) -> Self {
        Contacts { client, chatbot_id }
    }

    /// This handle with `options` overriding the client's settings for its calls and listings
    /// (see [`Client::with`]).
    pub fn with(&self, options: crate::CallOptions) -> Contacts {
        Contacts::new(self.client.with(options), self.chatbot_id.clone())
    }

    /// The chatbot these contacts belong to.
    pub fn chatbot_id(&self) -> &str {
        &self.chatbot_id
    }

    /// Creates a contact and returns it as stored (from a 200 or a 201: the reference documents
    /// neither). Not idempotent: each call creates one.
    pub async fn create(&self, contact: NewContact) -> Result<Contact, Error> {
        let bot = self.bot()?;
        let body = types::NewContact::from(contact);
        self.send_for_contact(Operation::CreateContact, |api| {
            api.create_contact()
                .chatbot_id(bot)
                .body(body.clone())
                .send()
                .boxed()
        })
        .await
    }

    /// Sends `operation`, built by `send` for every attempt, for this chatbot; its errors name
    /// the chatbot.
    async fn send<T, F>(&self, operation: Operation, send: F) -> Result<T, Error>
    where
        T: Envelope,
        F: for<'a> Fn(&'a chatcaptain_api::Client) -> BoxFuture<'a, ApiResult<T>>,
    {
        let bot = self.bot()?;
        self.client
            .execute(operation, send)
            .await
            .map_err(|e| e.in_chatbot(bot))
    }

    /// Sends `operation` as [`send`](Self::send) does, for an answer that carries one contact.
    async fn send_for_contact<F>(&self, operation: Operation, send: F) -> Result<Contact, Error>
    where
        F: for<'a> Fn(&'a chatcaptain_api::Client) -> BoxFuture<'a, ApiResult<ContactResponse>>,
    {
        unwrap_contact(self.send(operation, send).await?)
    }

    /// Fetches one contact.
    pub async fn get(&self, id: &str) -> Result<Contact, Error> {
        let (bot, id) = (self.bot()?, contact_id(id)?);
        self.send_for_contact(Operation::GetContact, |api| {
            api.get_contact()
                .chatbot_id(bot)
                .contact_id(id)
                .send()
                .boxed()
        })
        .await
    }

    /// Changes the given fields of a contact and returns it as stored.
    ///
    /// Variables set one at a time with [`ContactUpdate::variable`] are merged into the stored
    /// ones: the API replaces the whole map, so this first fetches the contact, then sends its
    /// map with those changes. A change to the contact's variables made by someone else between
    /// that read and the write is lost (the API has no conditional update). A map given with
    /// [`ContactUpdate::variables`] is sent as is, without the read.
    pub async fn update(&self, id: &str, update: ContactUpdate) -> Result<Contact, Error> {
        let (bot, id) = (self.bot()?, contact_id(id)?);
        let (mut contact, merge) = update.split();
        if !merge.is_empty() {
            let mut variables = self.get(id).await?.variables;
            variables.extend(merge);
            contact.variables = Some(variables);
        }
        // The generated types are #[non_exhaustive]: built with their builders.
        let body = types::UpdateContactRequest::builder().contact(contact);
        self.send_for_contact(Operation::UpdateContact, |api| {
            api.update_contact()
                .chatbot_id(bot)
                .contact_id(id)
                .body(body.clone())
                .send()
                .boxed()
        })
        .await
    }

    /// Deletes a contact: `Ok(true)` when it is gone, `Ok(false)` when the server says it
    /// deleted nothing.
    ///
    /// A 404 is an error on the first attempt, but `Ok(true)` on a retry: the attempt before
    /// may have deleted the contact and lost its answer (a cut connection, a timeout), and
    /// either way the contact is gone, which is what was asked.
    pub async fn delete(&self, id: &str) -> Result<bool, Error> {
        let (bot, id) = (self.bot()?, contact_id(id)?);
        let sent = AtomicU32::new(0);
        let result = self
            .client
            .execute(Operation::DeleteContact, |api| {
                sent.fetch_add(1, Ordering::Relaxed);
                api.delete_contact()
                    .chatbot_id(bot)
                    .contact_id(id)
                    .send()
                    .boxed()
            })
            .await;
        match result {
            Ok(response) => Ok(response.deleted.unwrap_or(false)),
            Err(e) if e.is_not_found() && sent.load(Ordering::Relaxed) > 1 => Ok(true),
            Err(e) => Err(e.in_chatbot(bot)),
        }
    }

    /// The organizations a contact belongs to.
    pub async fn organizations(&self, id: &str) -> Result<Vec<Organization>, Error> {
        let (bot, id) = (self.bot()?, contact_id(id)?);
        let response = self
            .send(Operation::ListContactOrganizations, |api| {
                api.list_contact_organizations()
                    .chatbot_id(bot)
                    .contact_id(id)
                    .send()
                    .boxed()
            })
            .await?;
        Ok(response.organizations)
    }

    /// All contacts, newest first, fetched page by page as they are consumed.
    pub fn list(&self) -> ListContacts {
        self.client.list_contacts(self.chatbot_id.clone())
    }

    /// The contacts matching a full-text query, fetched page by page as they are consumed.
    pub fn search(&self, query: impl Into<String>) -> SearchContacts {
        self.client
            .search_contacts(self.chatbot_id.clone(), query.into())
    }

    fn bot(&self) -> Result<&str, Error> {
        path_segment("chatbot id", &self.chatbot_id)
    }
}

fn contact_id(id: &str) -> Result<&str, Error> {
    path_segment("contact id", id)
}

fn unwrap_contact(mut response: ContactResponse) -> Result<Contact, Error> {
    match response.contact.take() {
        Some(contact) => Ok(contact),
        None => Err(crate::transport::envelope::missing_field(
            &response, "contact",
        )),
    }
}
