//! Ergonomic client for the ChatCaptain contacts API.
//!
//! One [`Client`] (cheap to clone, one connection pool), a [`Contacts`] handle per chatbot,
//! envelopes unwrapped, one [`Error`]. Listings are streams that page for you: the contact
//! list follows the API's date-time cursor without losing contacts that share a timestamp,
//! search follows page numbers; both can prefetch, stop at `max_items`, and resume from a
//! saved [`Page`]. The generated client stays reachable through [`Client::inner`].
//!
//! # Create, get, update, delete
//!
//! ```no_run
//! use chatcaptain::{Client, ContactUpdate, NewContact};
//!
//! # async fn run() -> Result<(), chatcaptain::Error> {
//! let client = Client::from_env()?; // CHATCAPTAIN_API_KEY, optional CHATCAPTAIN_BASE_URL
//! let contacts = client.contacts("aBcDeFgHiJkLmNoPqRsT");
//!
//! let max = contacts.create(NewContact::new("EN").name("Max").email("max@example.com")).await?;
//! let same = contacts.get(&max.id).await?;
//! let renamed = contacts.update(&same.id, ContactUpdate::new().name("Moritz")).await?;
//! assert_eq!(renamed.name.as_deref(), Some("Moritz"));
//! assert!(contacts.delete(&max.id).await?);
//! # Ok(()) }
//! ```
//!
//! # List all contacts
//!
//! ```no_run
//! use futures::TryStreamExt;
//!
//! # async fn run(client: chatcaptain::Client) -> Result<(), chatcaptain::Error> {
//! let mut contacts = client.contacts("aBcDeFgHiJkLmNoPqRsT").list().page_size(500).prefetch(true).items();
//! while let Some(contact) = contacts.try_next().await? {
//!     println!("{} {}", contact.id, contact.created);
//! }
//! # Ok(()) }
//! ```
//!
//! # Search
//!
//! ```no_run
//! # async fn run(client: chatcaptain::Client) -> Result<(), chatcaptain::Error> {
//! let found = client
//!     .contacts("aBcDeFgHiJkLmNoPqRsT")
//!     .search("Max")
//!     .exclude(["uVwXyZ0123456789AbCd"])
//!     .max_items(20)
//!     .collect_all()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! # Resume a listing later
//!
//! A [`Page`] tells where the listing goes on; the [`Cursor`] is serializable.
//!
//! ```no_run
//! use futures::TryStreamExt;
//!
//! # async fn run(client: chatcaptain::Client) -> Result<(), Box<dyn std::error::Error>> {
//! let contacts = client.contacts("aBcDeFgHiJkLmNoPqRsT");
//! let mut pages = contacts.list().page_size(100).pages();
//! let first = pages.try_next().await?.expect("at least one contact");
//! let saved = serde_json::to_string(first.next_cursor().expect("more to come"))?;
//!
//! // ...later, maybe in another process:
//! let cursor: chatcaptain::Cursor = serde_json::from_str(&saved)?;
//! let rest = contacts.list().page_size(100).resume(cursor).collect_all().await?;
//! # Ok(()) }
//! ```
//!
//! # Retries, timeouts and the key
//!
//! Every request, single or a page of a listing, goes through one retry policy: up to 3 attempts
//! with full-jitter exponential backoff, on 429, 500, 502, 503, 504 and failed connects, and, for
//! the operations that can safely run twice (all but `create`), on timeouts and answers cut
//! short or garbled. A `Retry-After` (seconds or an HTTP date) is waited out up to
//! `max_retry_wait`; a longer one fails at once with [`Error::RateLimited`]. When the attempts run
//! out, [`Error::RetriesExhausted`] carries the last error and the count. Each retry emits a
//! `tracing` warning with `operation`, `attempt`, `status`, `delay_ms` and `reason`.
//!
//! ```no_run
//! use std::time::Duration;
//!
//! # fn run() -> Result<(), chatcaptain::Error> {
//! let client = chatcaptain::Client::builder()
//!     .api_key("…")
//!     .max_attempts(5)                                             // default 3
//!     .backoff(Duration::from_millis(200), Duration::from_secs(10)) // default 100 ms, 20 s
//!     .max_retry_wait(Duration::from_secs(30))                     // default 60 s
//!     .timeout(Duration::from_secs(10))                            // per request, default 30 s
//!     .call_timeout(Duration::from_secs(60))                       // per call, retries included
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! The key never appears in `Debug` or an error, and the builder refuses to send it over plain
//! `http://` to anything but this machine (`localhost`, `127.0.0.0/8`, `::1`).
//!
//! # Blocking
//!
//! With the `blocking` feature, [`blocking::Client`] has the same handle and builders and
//! returns iterators; it runs its own runtime, so it works from a plain `fn main`.
//!
//! ```no_run
//! # #[cfg(feature = "blocking")]
//! fn main() -> Result<(), chatcaptain::Error> {
//!     let client = chatcaptain::blocking::Client::from_env()?;
//!     let contacts = client.contacts("aBcDeFgHiJkLmNoPqRsT");
//!     for contact in contacts.list().page_size(200).items() {
//!         println!("{}", contact?.id);
//!     }
//!     Ok(())
//! }
//! # #[cfg(not(feature = "blocking"))]
//! # fn main() {}
//! ```
#![warn(missing_docs)]

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod client;
mod contacts;
mod error;
mod paginate;
mod retry;
mod transport;
mod types;

pub use client::{
    API_KEY_ENV, API_KEY_HEADER, BASE_URL_ENV, Client, ClientBuilder, DEFAULT_BASE_URL,
};
pub use contacts::Contacts;
pub use error::Error;
pub use paginate::{Cursor, ListContacts, Page, PagePosition, Resume, SearchContacts};
pub use types::{Address, Contact, ContactUpdate, NewContact, Organization};

/// The generated client underneath, for what this crate does not wrap.
pub use chatcaptain_api as api;
