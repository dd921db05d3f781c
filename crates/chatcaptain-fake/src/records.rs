//! One chatbot's records of one kind (its contacts, its organizations), kept in the order the cursor
//! listings read them, with the listing and the search every kind shares.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Bound;

use chatcaptain_api::operations::Operation;
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::seed::Generator;
use crate::shape::ListShape;

/// A kind of record a chatbot has, listed by a date-time cursor, searched, and created.
pub(crate) trait Item: Clone + Serialize + DeserializeOwned + Send + Sync + 'static {
    /// The body of its create operation.
    type New: Serialize + DeserializeOwned;
    /// The envelope's field for one of them (`contact`) and for a page of them (`contacts`).
    const ONE: &'static str;
    const MANY: &'static str;
    /// Its create operation, whose request schema validates the body.
    const CREATE: Operation;

    fn id(&self) -> &str;
    fn created(&self) -> DateTime<Utc>;
    /// Whether a search for `needle` (lower case, trimmed, not empty) finds it.
    fn matches(&self, needle: &str) -> bool;
    /// A plausible generated one; `n` keeps its details distinct from the others'.
    fn generate(generator: &mut Generator, n: u64, created: DateTime<Utc>) -> Self;
}

/// The records of one kind of one chatbot.
pub(crate) struct Records<T> {
    // Keyed by (created, id): newest-first listing is a reverse range scan from the cursor, and the id
    // orders records that share a `created` so every page is deterministic.
    by_created: BTreeMap<(DateTime<Utc>, String), T>,
    created_of: HashMap<String, DateTime<Utc>>,
    /// When each was first stored, for the insertion-order shape: a count, not a time.
    stored: HashMap<String, u64>,
    /// Records answered exactly as given instead of as their typed form (odd records).
    raw: HashMap<String, Value>,
    /// How many were generated, so the next generated ones continue the sequence.
    pub(crate) generated: u64,
}

impl<T> Default for Records<T> {
    fn default() -> Self {
        Records {
            by_created: BTreeMap::new(),
            created_of: HashMap::new(),
            stored: HashMap::new(),
            raw: HashMap::new(),
            generated: 0,
        }
    }
}

/// One page of search hits and the number of hits over all pages.
pub(crate) struct SearchPage<T> {
    pub(crate) found: u64,
    pub(crate) hits: Vec<T>,
}

impl<T: Item> Records<T> {
    /// Stores `item`, replacing one with the same id.
    pub(crate) fn insert(&mut self, item: T) {
        let id = item.id().to_owned();
        if let Some(old) = self.created_of.insert(id.clone(), item.created()) {
            self.by_created.remove(&(old, id.clone()));
        }
        let next = self.stored.len() as u64;
        self.stored.entry(id.clone()).or_insert(next);
        self.raw.remove(&id);
        self.by_created.insert((item.created(), id), item);
    }

    /// Stores `raw` to be answered exactly as given (an odd record a client must survive), placed
    /// by its `id` and `created`, which must be there; a typed form stands in for it where the fake
    /// itself reads the record (a search matches what the typed form holds).
    pub(crate) fn insert_raw(
        &mut self,
        raw: Value,
        generator: &mut Generator,
    ) -> Result<(), String> {
        let id = raw["id"]
            .as_str()
            .ok_or("a raw record needs a string `id`")?
            .to_owned();
        let created = raw["created"]
            .as_str()
            .and_then(read_created)
            .ok_or_else(|| format!("the raw record {id} needs a `created` date-time"))?;
        let mut typed =
            serde_json::to_value(T::generate(generator, 0, created)).map_err(|e| e.to_string())?;
        typed["id"] = Value::String(id.clone());
        let typed: T = serde_json::from_value(typed).map_err(|e| e.to_string())?;
        self.insert(typed);
        self.raw.insert(id, raw);
        Ok(())
    }

    /// A record as the API answers it: its raw form when it was stored raw.
    pub(crate) fn answer(&self, item: &T) -> Value {
        self.raw
            .get(item.id())
            .cloned()
            .unwrap_or_else(|| serde_json::to_value(item).expect("a stored record serializes"))
    }

    pub(crate) fn get(&self, id: &str) -> Option<&T> {
        let created = self.created_of.get(id)?;
        self.by_created.get(&(*created, id.to_owned()))
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        let created = *self.created_of.get(id)?;
        self.by_created.get_mut(&(created, id.to_owned()))
    }

    pub(crate) fn remove(&mut self, id: &str) -> bool {
        let Some(created) = self.created_of.remove(id) else {
            return false;
        };
        self.by_created.remove(&(created, id.to_owned()));
        self.raw.remove(id);
        true
    }

    pub(crate) fn len(&self) -> usize {
        self.by_created.len()
    }

    /// Records created strictly before `before` (all when `None`), newest first (ties by id), at
    /// most `limit`;
    /// `shape` may make the bound inclusive and the order oldest first or the insertion order.
    pub(crate) fn list(
        &self,
        before: Option<DateTime<Utc>>,
        limit: usize,
        shape: &ListShape,
    ) -> Vec<T> {
        // (t, "") is the smallest key at instant t, so excluding it excludes every record created at t:
        // the cursor is strictly "before", ties with the cursor included. The inclusive shape takes
        // every key up to the next instant instead.
        let upper = match before {
            Some(t) if shape.inclusive_token => {
                Bound::Excluded((t + Duration::nanoseconds(1), String::new()))
            }
            Some(t) => Bound::Excluded((t, String::new())),
            None => Bound::Unbounded,
        };
        let range = self.by_created.range((Bound::Unbounded, upper));
        let page = |it: &mut dyn Iterator<Item = (&(DateTime<Utc>, String), &T)>| {
            it.take(limit).map(|(_, c)| c.clone()).collect()
        };
        if shape.insertion_order {
            let mut stored: Vec<_> = range.collect();
            stored.sort_by_key(|(_, c)| std::cmp::Reverse(self.stored.get(c.id()).copied()));
            page(&mut stored.into_iter())
        } else if shape.oldest_first {
            page(&mut range.into_iter())
        } else {
            newest_first(range.rev(), limit)
        }
    }

    /// Case-insensitive substring search (see [`Item::matches`]), newest first; an empty query
    /// matches every record.
    pub(crate) fn search(
        &self,
        query: &str,
        page: usize,
        page_size: usize,
        hidden: &HashSet<&str>,
    ) -> SearchPage<T> {
        let needle = query.trim().to_lowercase();
        let skip = page.saturating_sub(1).saturating_mul(page_size);
        let mut found = 0u64;
        let mut hits = Vec::new();
        for item in self.by_created.values().rev() {
            if hidden.contains(item.id()) || !(needle.is_empty() || item.matches(&needle)) {
                continue;
            }
            if found as usize >= skip && hits.len() < page_size {
                hits.push(item.clone());
            }
            found += 1;
        }
        SearchPage { found, hits }
    }
}

/// The first `limit` of `newest` (keys newest first, ids descending within an instant), newest
/// first and ids ascending within an instant: the order the spec assumes, `(created desc, id)`.
fn newest_first<'a, T: Clone + 'a>(
    newest: impl Iterator<Item = (&'a (DateTime<Utc>, String), &'a T)>,
    limit: usize,
) -> Vec<T> {
    let mut page: Vec<T> = Vec::new();
    let mut instant: Vec<&T> = Vec::new();
    let mut at = None;
    for ((created, _), item) in newest {
        if at != Some(*created) {
            page.extend(instant.drain(..).rev().take(limit - page.len()).cloned());
            if page.len() >= limit {
                return page;
            }
            at = Some(*created);
        }
        instant.push(item);
    }
    page.extend(instant.drain(..).rev().take(limit - page.len()).cloned());
    page
}

/// A `created` as a lenient server reads it: RFC 3339, or without a zone as UTC.
fn read_created(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|t| t.and_utc())
        })
}

/// Whether any of `fields` contains `needle` (already lower case), ignoring case.
pub(crate) fn any_contains<const N: usize>(fields: [Option<&String>; N], needle: &str) -> bool {
    fields
        .into_iter()
        .flatten()
        .any(|field| contains_ignoring_case(field, needle))
}

/// `needle` is already lower-case; ASCII needles are compared without allocating, since a search walks
/// every record of a chatbot.
fn contains_ignoring_case(haystack: &str, needle: &str) -> bool {
    if needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_insensitive_match_handles_ascii_and_unicode() {
        assert!(contains_ignoring_case("Max Example", "max ex"));
        assert!(contains_ignoring_case("JÜRGEN", "jür"));
        assert!(!contains_ignoring_case("Max", "maxi"));
    }
}
