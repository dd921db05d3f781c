//! Ergonomic client for the ChatCaptain contacts API.
#![warn(missing_docs)]

#[cfg(feature = "blocking")]
#[cfg_attr(docsrs, doc(cfg(feature = "blocking")))]
pub mod blocking;
mod client;
mod contacts;
mod error;
mod paginate;
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
