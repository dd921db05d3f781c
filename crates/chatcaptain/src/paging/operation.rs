//! What the listings need to know of a paginated operation and of its items.
//!
//! Nobody implements these by hand: `cargo xtask codegen` reads each operation's `x-pagination`
//! in the spec and writes the implementations into `src/generated.rs`. The engine and its two
//! strategies are written once, over these traits.

use std::num::NonZeroU32;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use serde::de::DeserializeOwned;

use crate::Error;
use crate::transport::envelope::{ApiResult, Envelope};

/// An item of a listing: what paging needs to tell two items apart.
pub trait Item: DeserializeOwned + Clone + Send + Sync + 'static {
    /// The JSON name of the id, read on its own from an item that does not decode.
    const ID_FIELD: &'static str;
    /// The item's id.
    fn id(&self) -> &str;
}

/// An item a date-time cursor can page: it knows when it was created.
pub trait Dated: Item + serde::Serialize {
    /// The JSON name of the creation time, read on its own from an item that does not decode.
    const CREATED_FIELD: &'static str;
    /// When the item was created; `None` when a schema shared with other answers leaves the
    /// field optional and this item lacks it. A listing yields such an item as an
    /// [`Error::InvalidItem`](crate::Error::InvalidItem): it cannot page past it.
    fn created(&self) -> Option<DateTime<Utc>>;
}

/// The creation time of an item a listing delivered. Every such item has one: an item without
/// it is odd from the moment its page is read (`Entry::dated`).
pub(crate) fn created_of<T: Dated>(item: &T) -> DateTime<Utc> {
    item.created().unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// A paginated operation with its parameters other than the paging ones (a chatbot id, a query).
pub trait Operation: Clone + std::fmt::Debug + Send + Sync + 'static {
    /// What the listing yields.
    type Item: Item;
    /// The typed answer of one page.
    type Response: Envelope + Send + 'static;
    /// The operation, from the generated table: its name in logs and spans, its retries.
    const OPERATION: chatcaptain_api::operations::Operation;
    /// The page size used when the caller sets none.
    const DEFAULT_PAGE_SIZE: u32;
    /// The JSON pointer of the items' array in an answer.
    const ITEMS: &'static str;
    /// The JSON pointer of the item inside one element of that array (`""`: the element itself).
    const ITEM_IN_ELEMENT: &'static str;
    /// The JSON pointer of the total count in an answer, when the operation has one.
    const TOTAL: Option<&'static str>;

    /// Refuses parameters that cannot be sent (an empty path segment).
    fn validate(&self) -> Result<(), Error>;
    /// The items of a typed answer; `None` when a container on the way is null or absent (no items).
    fn items(response: Self::Response) -> Option<Vec<Self::Item>>;
    /// The total count of a typed answer, when it has one.
    fn total(response: &Self::Response) -> Option<u64>;
    /// The chatbot the listing addresses, named by its errors ([`Error::chatbot`]); `None` for
    /// an operation not scoped by one.
    fn chatbot_id(&self) -> Option<&str> {
        None
    }
}

/// An operation paged by a date-time cursor, newest first.
pub trait CursorOperation: Operation<Item: Dated> {
    /// Sends one page request: items created strictly before `token`, at most `limit` of them.
    fn send<'a>(
        &self,
        api: &'a chatcaptain_api::Client,
        token: Option<DateTime<Utc>>,
        limit: NonZeroU32,
    ) -> BoxFuture<'a, ApiResult<Self::Response>>;
}

/// An operation paged by page number.
pub trait PageOperation: Operation {
    /// Sends one page request; `exclude` is the comma-separated ids to leave out, for an
    /// operation that can ([`Excluding`]).
    fn send<'a>(
        &self,
        api: &'a chatcaptain_api::Client,
        page: NonZeroU32,
        size: NonZeroU32,
        exclude: Option<&str>,
    ) -> BoxFuture<'a, ApiResult<Self::Response>>;
}

/// A page-number operation that can leave given ids out of its results.
pub trait Excluding: PageOperation {}
