//! The pieces every listing is made of, for reading the generated glue.
//!
//! Each operation with `x-pagination` in the spec gets, from `cargo xtask codegen`, a parameters
//! struct implementing [`Operation`] and [`CursorOperation`] or [`PageOperation`], a listing type
//! named after it ([`ListContacts`](crate::ListContacts) is a [`CursorListing`],
//! [`SearchContacts`](crate::SearchContacts) a [`PageListing`]) and a constructor on
//! [`Client`](crate::Client) and the blocking client. The engine and both strategies are written
//! once, over these traits; nothing here is implemented by hand.

pub(crate) use crate::contacts::path_segment;
pub use crate::paginate::operation::{
    ApiResult, CursorOperation, Dated, Envelope, Excluding, Item, Operation, PageOperation,
    envelope_error, missing_field,
};
pub use crate::paginate::{CursorListing, PageListing};
