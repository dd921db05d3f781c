//! The items of a page, decoded one by one so that one odd record does not sink a listing.
//!
//! The generated client decodes a whole page or nothing. When it refuses a page that is valid
//! JSON, the listing takes the page apart here: every item that matches the spec becomes a
//! [`Contact`], every other one an [`Error::InvalidItem`] that keeps the raw JSON, the item's id
//! and the path of the field that failed. Paging still needs to know where the odd item sits, so
//! its `id` and `created` are read leniently on their own.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::{Contact, Error};

/// One item of a page, as the listing sees it.
// `Good` is nearly every item: boxing it to shrink the rare `Bad` would allocate per contact.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Entry {
    /// An item that matches the spec.
    Good(Contact),
    /// An item that does not; `id` and `created` are what could be read of it.
    Bad {
        id: Option<String>,
        created: Option<DateTime<Utc>>,
        error: Error,
    },
}

impl Entry {
    /// Decodes one raw item.
    pub(crate) fn decode(raw: Value) -> Entry {
        match serde_path_to_error::deserialize::<_, Contact>(&raw) {
            Ok(contact) => Entry::Good(contact),
            Err(e) => {
                let path = e.path().to_string();
                let id = raw.get("id").and_then(Value::as_str).map(str::to_owned);
                let created = raw
                    .get("created")
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
            Entry::Good(c) => Some(&c.id),
            Entry::Bad { id, .. } => id.as_deref(),
        }
    }

    /// When the item was created, when that could be read.
    pub(crate) fn created(&self) -> Option<DateTime<Utc>> {
        match self {
            Entry::Good(c) => Some(c.created),
            Entry::Bad { created, .. } => *created,
        }
    }

    /// What identifies an item: its id, else (an odd item without one) its whole text.
    pub(crate) fn identity(&self) -> Cow<'_, str> {
        match self {
            Entry::Good(c) => Cow::Borrowed(&c.id),
            Entry::Bad { id: Some(id), .. } => Cow::Borrowed(id),
            Entry::Bad { error, .. } => match error {
                Error::InvalidItem { raw, .. } => Cow::Owned(raw.to_string()),
                other => Cow::Owned(other.to_string()),
            },
        }
    }
}

/// The items of a listing's page, split into what the caller gets: contacts, and one error per
/// item that did not decode (in page order).
pub(crate) fn split(entries: Vec<Entry>) -> (Vec<Contact>, Vec<Error>) {
    let mut good = Vec::with_capacity(entries.len());
    let mut bad = Vec::new();
    for entry in entries {
        match entry {
            Entry::Good(c) => good.push(c),
            Entry::Bad { error, .. } => bad.push(error),
        }
    }
    (good, bad)
}

/// The items of the array at `pointer` in a page that the generated client refused, one by one;
/// with `inner`, each element wraps its item under that key (a search hit's `document`).
pub(crate) fn entries_at(
    body: &Value,
    pointer: &str,
    inner: Option<&'static str>,
) -> Result<Vec<Entry>, Error> {
    let array = body
        .pointer(pointer)
        .and_then(Value::as_array)
        .ok_or_else(|| {
            Error::PaginationInconsistent(format!(
                "the answer has no array at {pointer}: {}",
                crate::error::excerpt(body.to_string().as_bytes())
            ))
        })?;
    Ok(array
        .iter()
        .map(|element| match inner {
            None => Entry::decode(element.clone()),
            Some(key) => match element.get(key) {
                Some(item) => Entry::decode(item.clone()),
                None => Entry::Bad {
                    id: None,
                    created: None,
                    error: Error::InvalidItem {
                        id: None,
                        path: key.to_owned(),
                        raw: Box::new(element.clone()),
                        source: serde::de::Error::missing_field(key),
                    },
                },
            },
        })
        .collect())
}
