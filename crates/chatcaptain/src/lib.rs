//! Ergonomic client for the ChatCaptain contacts API.
//!
//! One [`Client`] (cheap to clone, one connection pool), a [`Contacts`] handle per chatbot,
//! envelopes unwrapped, one [`Error`]. Listings are streams that page for you: the contact
//! list follows the API's date-time cursor without losing contacts that share a timestamp,
//! search follows page numbers; both can prefetch, stop at `max_items`, and resume from a
//! saved [`Page`]. The generated client stays reachable through [`Client::inner`].
//!
//! # Configure
//!
//! ```no_run
//! use std::time::Duration;
//! use chatcaptain::Client;
//!
//! # fn run() -> Result<(), chatcaptain::Error> {
//! let client = Client::from_env()?; // CHATCAPTAIN_API_KEY, optional CHATCAPTAIN_BASE_URL
//! let tuned = Client::builder()
//!     .api_key("my-key")
//!     .timeout(Duration::from_secs(10))
//!     .max_attempts(5)
//!     .build()?;
//! # Ok(()) }
//! ```
//!
//! The examples below run as doc tests against `chatcaptain-fake`, the in-memory fake of the API
//! that this workspace tests with (the hidden lines start it and build `client` for it).
//!
//! # Create, get, update, delete
//!
//! ```
//! use chatcaptain::{ContactUpdate, NewContact};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), chatcaptain::Error> {
//! # let server = chatcaptain_fake::FakeServer::start().await;
//! # let client = chatcaptain::Client::builder().api_key(server.api_key()).base_url(server.base_url()).build()?;
//! let contacts = client.contacts("aBcDeFgHiJkLmNoPqRsT");
//!
//! let max = contacts.create(NewContact::new("EN").name("Max").email("max@example.com")).await?;
//! let same = contacts.get(&max.id).await?;
//! let renamed = contacts.update(&same.id, ContactUpdate::new().name("Moritz")).await?;
//! assert_eq!(renamed.name.as_deref(), Some("Moritz"));
//! assert!(contacts.delete(&max.id).await?);
//! assert!(contacts.get(&max.id).await.unwrap_err().is_not_found());
//! # Ok(()) }
//! ```
//!
//! # List all contacts
//!
//! ```
//! use futures::TryStreamExt;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), chatcaptain::Error> {
//! # let server = chatcaptain_fake::FakeServer::builder().seed_contacts("aBcDeFgHiJkLmNoPqRsT", 1200).start().await;
//! # let client = chatcaptain::Client::builder().api_key(server.api_key()).base_url(server.base_url()).build()?;
//! let mut contacts = client.contacts("aBcDeFgHiJkLmNoPqRsT").list().page_size(500).prefetch(true).items();
//! let mut count = 0;
//! while let Some(contact) = contacts.try_next().await? {
//!     count += 1; // newest first: contact.id, contact.created, ...
//! }
//! # assert_eq!(count, 1200);
//! # Ok(()) }
//! ```
//!
//! # Search
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), chatcaptain::Error> {
//! # let server = chatcaptain_fake::FakeServer::builder().seed_contacts("aBcDeFgHiJkLmNoPqRsT", 500).start().await;
//! # let client = chatcaptain::Client::builder().api_key(server.api_key()).base_url(server.base_url()).build()?;
//! let found = client
//!     .contacts("aBcDeFgHiJkLmNoPqRsT")
//!     .search("Max")
//!     .exclude(["uVwXyZ0123456789AbCd"])
//!     .max_items(20)
//!     .collect_all()
//!     .await?;
//! assert!(found.len() <= 20);
//! # assert!(!found.is_empty());
//! # Ok(()) }
//! ```
//!
//! # Resume a listing later
//!
//! A [`Page`] tells where the listing goes on; the [`Cursor`] is serializable.
//!
//! ```
//! use futures::TryStreamExt;
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = chatcaptain_fake::FakeServer::builder().seed_contacts("aBcDeFgHiJkLmNoPqRsT", 250).start().await;
//! # let client = chatcaptain::Client::builder().api_key(server.api_key()).base_url(server.base_url()).build()?;
//! let contacts = client.contacts("aBcDeFgHiJkLmNoPqRsT");
//! let mut pages = contacts.list().page_size(100).pages();
//! let first = pages.try_next().await?.expect("at least one contact");
//! let saved = serde_json::to_string(first.next_cursor().expect("more to come"))?;
//!
//! // ...later, maybe in another process:
//! let cursor: chatcaptain::Cursor = serde_json::from_str(&saved)?;
//! let rest = contacts.list().page_size(100).resume(cursor).collect_all().await?;
//! assert_eq!(first.items().len() + rest.len(), 250);
//! # Ok(()) }
//! ```
//!
//! # Blocking
//!
//! With the `blocking` feature, `blocking::Client` has the same handle and builders and
//! returns iterators. It runs its own runtime on a thread of its own, so it works from a plain
//! `fn main` and can also be created, used and dropped inside an async runtime.
//!
//! ```
//! # #[cfg(feature = "blocking")]
//! fn main() -> Result<(), chatcaptain::Error> {
//! #   let runtime = tokio::runtime::Runtime::new().unwrap();
//! #   let server = runtime.block_on(chatcaptain_fake::FakeServer::builder().seed_contacts("aBcDeFgHiJkLmNoPqRsT", 300).start());
//! #   let async_client = chatcaptain::Client::builder().api_key(server.api_key()).base_url(server.base_url()).build()?;
//!     // Or chatcaptain::blocking::Client::from_env()?, or ::builder().api_key(..).build()?
//!     let client = chatcaptain::blocking::Client::from_async(async_client)?;
//!     let contacts = client.contacts("aBcDeFgHiJkLmNoPqRsT");
//!     let mut count = 0;
//!     for contact in contacts.list().page_size(200).items() {
//!         let _id = contact?.id;
//!         count += 1;
//!     }
//!     assert_eq!(count, 300);
//!     Ok(())
//! }
//! # #[cfg(not(feature = "blocking"))]
//! # fn main() {}
//! ```
//!
//! # Features
//!
//! | feature | what it gives |
//! |---|---|
//! | `rustls-ring` (default) | TLS with rustls and the *ring* crypto provider; certificates checked against the platform's roots (rustls-platform-verifier) |
//! | `rustls` | rustls with aws-lc-rs (reqwest's default provider), the platform's roots |
//! | `native-tls` | the platform's TLS library (OpenSSL on Linux, which needs its headers and `pkg-config` to build) |
//! | `blocking` | [`blocking::Client`](crate#blocking) |
//! | `system-proxy` | also the proxy of the OS settings on macOS and Windows when no `HTTPS_PROXY`/`HTTP_PROXY` is set (off: the variables work everywhere) |
//!
//! The TLS features are additive: with several on, the first of `native-tls`, `rustls`,
//! `rustls-ring` is used ([`api::tls::BACKEND`] says which). `rustls-ring` is the default because
//! it compiles fastest; `default-features = false, features = ["rustls"]` picks aws-lc-rs instead.
//! With none, `build()` refuses an `https` base URL, naming these features, unless given a
//! `reqwest::Client` of your own ([`ClientBuilder::http_client`]).
#![warn(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod call_options;
mod client;
mod contacts;
mod error;
mod lock;
// Generated by `cargo xtask codegen` from the spec (its `x-pagination` and `x-rust-setters`);
// never edited by hand.
#[rustfmt::skip]
mod generated;
mod pacing;
pub mod paging;
mod raw;
mod redirect;
mod retries;
mod transport;
mod types;

pub use call_options::CallOptions;
pub use chatcaptain_api::operations::Operation;
pub use client::{
    API_KEY_ENV, API_KEY_HEADER, BASE_URL_ENV, Client, ClientBuilder, DEFAULT_BASE_URL,
    DEFAULT_MAX_RESPONSE_BYTES,
};
pub use contacts::Contacts;
pub use error::{Error, REQUEST_ID_HEADERS};
pub use generated::*;
pub use pacing::MAX_REQUESTS_PER_SECOND;
pub use paging::{Checkpoint, Cursor, Page, PagePosition, ParallelCursor, Resume, SyncContacts};
pub use raw::{RawAnswer, RawRequest};
pub use retries::RetryMode;
pub use types::{Address, Contact, ContactUpdate, Organization};

/// The generated client underneath, for what this crate does not wrap.
pub use chatcaptain_api as api;

/// The README's quick start, compiled with the doc tests with warnings as errors, so that what
/// a user pastes into a new project builds cleanly.
#[cfg(doctest)]
#[doc(test(attr(deny(warnings))))]
#[doc = include_str!("../README.md")]
pub struct ReadmeQuickStart;
