//! The items of a page, decoded one by one so that one odd record does not sink a listing.
//!
//! The generated client decodes a whole page or nothing. When it refuses a page that is valid
//! JSON, the listing takes the page apart here: every item that matches the spec becomes an
//! item, every other one an [`Error::InvalidItem`] that keeps the raw JSON, the item's id and
//! the path of the field that failed. Paging still needs to know where the odd item sits, so
//! its id and creation time are read leniently on their own.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::engine::Odd;
use super::operation::{Dated, Item, Operation};
use crate::Error;

/// One item of a page, as the listing sees it.
// `Good` is nearly every item: boxing it to shrink the rare `Bad` would allocate per contact.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Entry<T> {
    /// An item that matches the spec.
    Good(T),
    /// An item that does not; `id` and `created` are what could be read of it.
    Bad {
        id: Option<String>,
        created: Option<DateTime<Utc>>,
        error: Error,
    },
}

impl<T: Item> Entry<T> {
    /// Decodes one raw item; `created_field` names its creation time, for a cursor's items.
    pub(crate) fn decode(raw: Value, created_field: Option<&str>) -> Entry<T> {
        match serde_path_to_error::deserialize::<_, T>(&raw) {
            Ok(item) => Entry::Good(item),
            Err(e) => {
                let path = e.path().to_string();
                let id = raw
                    .get(T::ID_FIELD)
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                let created = created_field
                    .and_then(|field| raw.get(field))
                    .and_then(Value::as_str)
                    .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| t.with_timezone(&Utc));
                Entry::Bad {
                    id: id.clone(),
                    created,
                    error: Error::InvalidItem {
                        id,
                        path,
                        raw: Box::new(raw),
                        source: e.into_inner(),
                    },
                }
            }
        }
    }

    /// The item's id, when it has one.
    pub(crate) fn id(&self) -> Option<&str> {
        match self {
            Entry::Good(item) => Some(item.id()),
            Entry::Bad { id, .. } => id.as_deref(),
        }
    }

    /// What identifies an item: its id, else (an odd item without one) its whole text.
    pub(crate) fn identity(&self) -> Cow<'_, str> {
        match self {
            Entry::Good(item) => Cow::Borrowed(item.id()),
            Entry::Bad { id: Some(id), .. } => Cow::Borrowed(id),
            Entry::Bad { error, .. } => match error {
                Error::InvalidItem { raw, .. } => Cow::Owned(raw.to_string()),
                other => Cow::Owned(other.to_string()),
            },
        }
    }
}

impl<T: Dated> Entry<T> {
    /// When the item was created, when that could be read.
    pub(crate) fn created(&self) -> Option<DateTime<Utc>> {
        match self {
            Entry::Good(item) => item.created(),
            Entry::Bad { created, .. } => *created,
        }
    }

    /// An entry of a cursor's page: an item that matches the spec but has no creation time (its
    /// schema, shared with answers that may lack it, leaves the field optional) is odd, as the
    /// cursor cannot place it; it is reported whole rather than dropped.
    pub(crate) fn dated(self) -> Entry<T> {
        match self {
            Entry::Good(item) if item.created().is_none() => {
                let id = Some(item.id().to_owned());
                Entry::Bad {
                    id: id.clone(),
                    created: None,
                    error: Error::InvalidItem {
                        id,
                        path: T::CREATED_FIELD.to_owned(),
                        raw: Box::new(serde_json::to_value(&item).unwrap_or_default()),
                        source: serde::de::Error::missing_field(T::CREATED_FIELD),
                    },
                }
            }
            other => other,
        }
    }
}

/// The items of a listing's page, split into what the caller gets: items, and one [`Odd`] per
/// item that did not decode (in page order), placed among the items.
pub(crate) fn split<T>(entries: Vec<Entry<T>>) -> (Vec<T>, Vec<Odd>) {
    let mut good = Vec::with_capacity(entries.len());
    let mut bad = Vec::new();
    for entry in entries {
        match entry {
            Entry::Good(c) => good.push(c),
            Entry::Bad { id, created, error } => bad.push(Odd {
                before: good.len(),
                id,
                created,
                error,
            }),
        }
    }
    (good, bad)
}

/// One answer of a listing: the total, if any, and the items; `None` when a container of the
/// items is null or absent (a search's `results: null`: no items).
pub(crate) type Hits<T> = Option<(Option<u64>, Vec<Entry<T>>)>;

/// A page the generated client refused, taken apart where the operation's `x-pagination` says
/// its items are: the total, if any, and the items one by one. `None` when a container on the
/// way to the items is null or absent, which is how an answer says it has none (a search's
/// `results: null`); a missing array itself is an error.
pub(crate) fn raw_page<O: Operation>(
    body: &Value,
    created_field: Option<&str>,
) -> Result<Hits<O::Item>, Error> {
    let container = O::ITEMS.rsplit_once('/').map_or("", |(c, _)| c);
    if body.pointer(container).is_none_or(Value::is_null) {
        return Ok(None);
    }
    let total = O::TOTAL
        .and_then(|pointer| body.pointer(pointer))
        .and_then(Value::as_u64);
    let array = body
        .pointer(O::ITEMS)
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::PaginationInconsistent(format!(
                "the answer has no array at {}: {}",
                O::ITEMS,
                crate::error::excerpt(body.to_string().as_bytes())
            ))
        })?;
    let within = O::ITEM_IN_ELEMENT;
    let entries = array
        .iter()
        .map(|element| match element.pointer(within) {
            Some(item) => Entry::decode(item.clone(), created_field),
            None => Entry::Bad {
                id: None,
                created: None,
                error: Error::InvalidItem {
                    id: None,
                    path: within.trim_start_matches('/').to_owned(),
                    raw: Box::new(element.clone()),
                    source: serde::de::Error::missing_field(within.trim_start_matches('/')),
                },
            },
        })
        .collect();
    Ok(Some((total, entries)))
}
