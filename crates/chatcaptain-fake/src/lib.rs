//! An in-memory fake of the ChatCaptain contacts API, served over real HTTP on loopback.
//!
//! It keeps state (chatbots, their contacts and organizations), enforces the spec's semantics (auth and
//! permissions, newest-first cursor listing, paged search, request validation), records every request,
//! and injects faults on a deterministic schedule.
//!
//! ```
//! use std::time::Duration;
//! use chatcaptain_fake::{FakeServer, Fault, Route};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let server = FakeServer::builder()
//!     .api_key("test-key")
//!     .seed_contacts("bot1", 1000)
//!     .fault(Fault::status(503).on(Route::ListContacts).nth(2))
//!     .fault(Fault::latency(Duration::from_millis(1)).on(Route::GetContact))
//!     .start()
//!     .await;
//! assert!(server.base_url().starts_with("http://127.0.0.1:"));
//! assert_eq!(server.contact_count("bot1"), 1000);
//! assert_eq!(server.request_count(Route::Any), 0);
//! # }
//! ```
//!
//! Fixed behaviour worth knowing: `limit` defaults to [`DEFAULT_LIST_LIMIT`] and is at most
//! [`MAX_LIST_LIMIT`]; `pageSize` is at most [`MAX_SEARCH_PAGE_SIZE`]; an empty search `query` matches
//! every contact; unknown chatbots have no contacts (an empty list, 404 for a contact).
#![warn(missing_docs)]

mod auth;
mod builder;
mod error;
mod faults;
mod gate;
mod kinds;
mod limit;
mod record;
mod records;
mod route;
mod routes;
mod seed;
mod server;
mod shape;
mod state;

pub use auth::{API_KEY_HEADER, DEFAULT_API_KEY, Permission};
pub use builder::{DEFAULT_SEED, FakeServerBuilder};
pub use faults::{Fault, FaultKind, Schedule};
pub use record::{REDACTED, RecordedRequest};
pub use route::Route;
pub use routes::{DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, MAX_SEARCH_PAGE_SIZE};
pub use seed::base_time as seed_base_time;
pub use server::{FakeServer, StartError};
pub use shape::ListShape;
