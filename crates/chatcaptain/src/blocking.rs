//! A blocking client for programs without async: the same handle and builders, returning iterators.
//!
//! It owns a small tokio runtime; do not use it from inside an async runtime. Requests take the
//! same retry policy as the async client's; to configure it, build an async client and wrap it:
//! `blocking::Client::from_async(chatcaptain::Client::builder().api_key(key).max_attempts(5).build()?)`.
//!
//! ```no_run
//! use chatcaptain::blocking::Client;
//!
//! fn main() -> Result<(), chatcaptain::Error> {
//!     let client = Client::from_env()?;
//!     for contact in client.contacts("aBcDeFgHiJkLmNoPqRsT").list().page_size(200).items() {
//!         println!("{}", contact?.id);
//!     }
//!     Ok(())
//! }
//! ```

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::stream::{BoxStream, StreamExt};
use tokio::runtime::Runtime;

use crate::{Contact, ContactUpdate, Cursor, Error, NewContact, Organization, Page, PagePosition};

/// A blocking ChatCaptain client; cheap to clone, clones share the runtime and connection pool.
#[derive(Clone)]
pub struct Client {
    inner: crate::Client,
    runtime: Arc<Runtime>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("blocking::Client")
            .field(&self.inner)
            .finish()
    }
}

impl Client {
    /// A client for the production API with this key.
    pub fn new(api_key: impl Into<String>) -> Result<Client, Error> {
        Client::from_async(crate::Client::new(api_key)?)
    }

    /// A client configured from `CHATCAPTAIN_API_KEY` and, if set, `CHATCAPTAIN_BASE_URL`.
    pub fn from_env() -> Result<Client, Error> {
        Client::from_async(crate::Client::from_env()?)
    }

    /// Wraps an async client (built with [`crate::Client::builder`]) for blocking use.
    pub fn from_async(inner: crate::Client) -> Result<Client, Error> {
        // A worker thread, not a current-thread runtime: prefetched requests must progress
        // while the caller is busy with the items it already has.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("chatcaptain-blocking")
            .enable_all()
            .build()
            .map_err(|e| Error::Config(format!("could not start the blocking runtime: {e}")))?;
        Ok(Client {
            inner,
            runtime: Arc::new(runtime),
        })
    }

    /// The contacts of one chatbot.
    pub fn contacts(&self, chatbot_id: impl Into<String>) -> Contacts {
        Contacts {
            inner: self.inner.contacts(chatbot_id),
            runtime: self.runtime.clone(),
        }
    }

    /// The async client underneath.
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }
}

/// A blocking handle on the contacts of one chatbot.
#[derive(Clone, Debug)]
pub struct Contacts {
    inner: crate::Contacts,
    runtime: Arc<Runtime>,
}

impl Contacts {
    /// Creates a contact and returns it as stored.
    pub fn create(&self, contact: NewContact) -> Result<Contact, Error> {
        self.runtime.block_on(self.inner.create(contact))
    }

    /// Fetches one contact.
    pub fn get(&self, id: &str) -> Result<Contact, Error> {
        self.runtime.block_on(self.inner.get(id))
    }

    /// Changes the given fields of a contact and returns it as stored.
    pub fn update(&self, id: &str, update: ContactUpdate) -> Result<Contact, Error> {
        self.runtime.block_on(self.inner.update(id, update))
    }

    /// Deletes a contact; `Ok(false)` when the server says it deleted nothing.
    pub fn delete(&self, id: &str) -> Result<bool, Error> {
        self.runtime.block_on(self.inner.delete(id))
    }

    /// The organizations a contact belongs to.
    pub fn organizations(&self, id: &str) -> Result<Vec<Organization>, Error> {
        self.runtime.block_on(self.inner.organizations(id))
    }

    /// All contacts, newest first.
    pub fn list(&self) -> ListContacts {
        ListContacts {
            inner: self.inner.list(),
            runtime: self.runtime.clone(),
        }
    }

    /// The contacts matching a full-text query.
    pub fn search(&self, query: impl Into<String>) -> SearchContacts {
        SearchContacts {
            inner: self.inner.search(query),
            runtime: self.runtime.clone(),
        }
    }
}

/// An iterator over a listing, driving its stream on the client's runtime.
pub struct Iter<T> {
    stream: BoxStream<'static, Result<T, Error>>,
    runtime: Arc<Runtime>,
}

impl<T> Iterator for Iter<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        self.runtime.block_on(self.stream.next())
    }
}

impl<T> std::fmt::Debug for Iter<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("blocking::Iter")
    }
}

macro_rules! blocking_listing {
    ($name:ident, $what:literal) => {
        #[doc = concat!("Blocking ", $what, ": build it, then take `.items()`, `.pages()` or `.collect_all()`.")]
        #[derive(Clone, Debug)]
        #[must_use = "a listing does nothing until its items or pages are consumed"]
        pub struct $name {
            inner: crate::$name,
            runtime: Arc<Runtime>,
        }

        impl $name {
            /// Items per request.
            pub fn page_size(self, size: u32) -> Self {
                self.map(|l| l.page_size(size))
            }

            /// Stops after this many contacts, whatever the page size.
            pub fn max_items(self, max: usize) -> Self {
                self.map(|l| l.max_items(max))
            }

            /// Fetches the next page while this one is consumed (at most one request ahead).
            pub fn prefetch(self, prefetch: bool) -> Self {
                self.map(|l| l.prefetch(prefetch))
            }

            /// The contacts, one at a time.
            pub fn items(self) -> Iter<Contact> {
                Iter {
                    stream: self.inner.items().boxed(),
                    runtime: self.runtime,
                }
            }

            /// The contacts, a page at a time, each page telling where to resume after it.
            pub fn pages(self) -> Iter<Page<Contact>> {
                Iter {
                    stream: self.inner.pages().boxed(),
                    runtime: self.runtime,
                }
            }

            /// All the contacts (up to `max_items`) in one vector.
            pub fn collect_all(self) -> Result<Vec<Contact>, Error> {
                self.runtime.block_on(self.inner.collect_all())
            }

            fn map(self, f: impl FnOnce(crate::$name) -> crate::$name) -> Self {
                $name {
                    inner: f(self.inner),
                    runtime: self.runtime,
                }
            }
        }
    };
}

blocking_listing!(ListContacts, "list of contacts");
blocking_listing!(SearchContacts, "contact search");

impl ListContacts {
    /// Starts with the contacts created strictly before `instant`.
    pub fn starting_before(self, instant: DateTime<Utc>) -> Self {
        self.map(|l| l.starting_before(instant))
    }

    /// Resumes where a [`Page`] said the listing goes on.
    pub fn resume(self, cursor: Cursor) -> Self {
        self.map(|l| l.resume(cursor))
    }
}

impl SearchContacts {
    /// Starts at page `page` (the first page is 1).
    pub fn start_page(self, page: u32) -> Self {
        self.map(|s| s.start_page(page))
    }

    /// Resumes where a [`Page`] said the search goes on.
    pub fn resume(self, position: PagePosition) -> Self {
        self.map(|s| s.resume(position))
    }

    /// Leaves these contact ids out of the results (`hiddenHits`).
    pub fn exclude<I, S>(self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.map(|s| s.exclude(ids))
    }
}
