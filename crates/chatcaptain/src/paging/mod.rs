//! Listings: the pagination engine, and the pieces every listing is made of.
//!
//! Each operation with `x-pagination` in the spec gets, from `cargo xtask codegen`, a parameters
//! struct implementing [`Operation`] and [`CursorOperation`] or [`PageOperation`], a listing type
//! named after it ([`ListContacts`](crate::ListContacts) is a [`CursorListing`],
//! [`SearchContacts`](crate::SearchContacts) a [`PageListing`]) and a constructor on
//! [`Client`](crate::Client) and the blocking client. Nothing here is implemented by hand.
//!
//! One engine (`engine.rs`); a `Strategy` per pagination style says how to fetch and when to
//! stop. This module only names the rooms and what they show.

mod checkpoint;
mod cursor;
mod cursor_listing;
mod cursor_strategy;
mod engine;
mod entry;
mod operation;
mod page;
mod page_position;
mod pages;
mod parallel;
mod parallel_cursor;
mod sync;

pub use crate::transport::envelope::{ApiResult, Envelope, envelope_error, missing_field};
pub(crate) use crate::transport::path::path_segment;
pub use checkpoint::Checkpoint;
pub use cursor::Cursor;
pub use cursor_listing::CursorListing;
pub use operation::{CursorOperation, Dated, Excluding, Item, Operation, PageOperation};
pub use page::{Page, Resume};
pub use page_position::PagePosition;
pub use pages::PageListing;
pub use parallel_cursor::ParallelCursor;
pub use sync::SyncContacts;
