//! Where a listing by date-time cursor stands: the instant it has reached, the ids delivered at
//! that instant (the ties a page boundary cuts through), the unit of time the server's
//! timestamps show, and how a token is rounded.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::checkpoint::Checkpoint;

/// Where a contact list stands: a point in time plus the contacts already delivered at it.
///
/// Serializable, so a listing can be resumed by another process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Contacts created at or after this instant are not wanted (exclusive bound, from the caller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) before: Option<DateTime<Utc>>,
    /// The oldest timestamp delivered so far and the ids delivered with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    boundary: Option<Boundary>,
    /// The finest unit, in nanoseconds, of any `created` the listing has seen: the server's
    /// precision as far as the data shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit_ns: Option<i64>,
    /// The lower bound of a sync run: contacts it covers are not wanted, and the listing ends
    /// where it is reached.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) since: Option<Checkpoint>,
    /// The server read a token finer than a second as a coarser one (it did not repeat the
    /// boundary's contacts): tokens are rounded up to whole seconds from then on.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(super) whole_second_tokens: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Boundary {
    at: DateTime<Utc>,
    seen: BTreeSet<String>,
}

impl Cursor {
    /// Whether the listing has delivered anything yet.
    pub(super) fn has_boundary(&self) -> bool {
        self.boundary.is_some()
    }

    /// A cursor at the newest contact.
    pub fn newest() -> Self {
        Cursor::default()
    }

    /// A cursor for the contacts created strictly before `instant`.
    pub fn before(instant: DateTime<Utc>) -> Self {
        Cursor {
            before: Some(instant),
            ..Cursor::default()
        }
    }

    /// This cursor, ending at `since` (a range of a parallel listing, or a sync run).
    pub(super) fn with_since(mut self, since: Option<Checkpoint>) -> Self {
        self.since = since;
        self
    }

    /// The exclusive upper bound the listing started from, if any.
    pub(super) fn upper(&self) -> Option<DateTime<Utc>> {
        self.before
    }

    /// The `created` of the oldest contact delivered so far, if any.
    pub fn last_created(&self) -> Option<DateTime<Utc>> {
        self.boundary.as_ref().map(|b| b.at)
    }

    /// The `pageToken` to send.
    //
    // The API returns contacts created *strictly before* the token. Sending the last `created`
    // as is, as the API's docs suggest, would skip every contact that shares that timestamp but
    // did not fit on the page. So the token is one tick past the boundary: the server repeats
    // the boundary's contacts, and the ids in `seen` (only those at the boundary, so memory
    // stays bounded) drop the ones already delivered. The tick is the finest unit any `created`
    // of the listing showed, not the boundary's own: a millisecond boundary that happens to
    // fall on a whole second must not step a whole second (re-reading everything in it). A
    // server that includes the token's instant needs no tick at all.
    //
    // A server that reads only whole seconds of a finer token (and has finer timestamps) would
    // skip what lies between the second it read and the boundary; such a server is found out
    // because it does not repeat the boundary (see `CursorStrategy::advance`), and gets tokens
    // rounded up to a whole second: later, so it repeats more, never skips.
    pub(super) fn token(&self, inclusive: bool) -> Option<DateTime<Utc>> {
        let token = match &self.boundary {
            Some(b) if inclusive => b.at,
            Some(b) => b.at + self.unit(),
            None => return self.before,
        };
        Some(match self.whole_second_tokens {
            true => round_up_to_second(token),
            false => token,
        })
    }

    /// Whether `answer`, to a token made from the boundary, should have repeated the boundary's
    /// contacts and did not: the server read the token coarser than it was sent.
    pub(super) fn boundary_skipped(
        &self,
        answer: &[Option<DateTime<Utc>>],
        sent: Option<DateTime<Utc>>,
    ) -> bool {
        let (Some(b), Some(sent)) = (&self.boundary, sent) else {
            return false;
        };
        // Only a token finer than a second can be read coarser (once rounded up, never again).
        sent.timestamp_subsec_nanos() != 0
            && !self.whole_second_tokens
            && !answer.iter().flatten().any(|created| *created >= b.at)
    }

    /// The finest unit seen; before anything was seen, the boundary's own.
    pub(super) fn unit(&self) -> TimeDelta {
        match (self.unit_ns, &self.boundary) {
            (Some(ns), _) => TimeDelta::nanoseconds(ns),
            (None, Some(b)) => unit_of(b.at),
            (None, None) => TimeDelta::seconds(1),
        }
    }

    pub(super) fn learn_unit(&mut self, created: DateTime<Utc>) {
        let ns = unit_of(created).num_nanoseconds().unwrap_or(1);
        self.unit_ns = Some(self.unit_ns.map_or(ns, |u| u.min(ns)));
    }

    /// Whether an item the server returned was already delivered (or is not wanted).
    pub(super) fn already_delivered(&self, created: DateTime<Utc>, identity: &str) -> bool {
        if self
            .since
            .as_ref()
            .is_some_and(|s| s.covers(created, identity))
        {
            return true;
        }
        match (&self.boundary, self.before) {
            (Some(b), _) => created > b.at || (created == b.at && b.seen.contains(identity)),
            (None, Some(before)) => created >= before,
            (None, None) => false,
        }
    }

    /// The cursor after `delivered` (creation time and identity of each), newest first.
    pub(super) fn after<'a>(
        &self,
        delivered: impl Iterator<Item = (DateTime<Utc>, &'a str)> + Clone,
    ) -> Cursor {
        let Some(at) = delivered.clone().map(|(c, _)| c).min() else {
            return self.clone();
        };
        let mut seen = match &self.boundary {
            Some(b) if b.at == at => b.seen.clone(),
            _ => BTreeSet::new(),
        };
        let mut next = Cursor {
            before: self.before,
            boundary: None,
            unit_ns: self.unit_ns,
            since: self.since.clone(),
            whole_second_tokens: self.whole_second_tokens,
        };
        for (created, id) in delivered {
            next.learn_unit(created);
            if created == at {
                seen.insert(id.to_owned());
            }
        }
        next.boundary = Some(Boundary { at, seen });
        next
    }

    pub(super) fn seen_at_boundary(&self) -> usize {
        self.boundary.as_ref().map_or(0, |b| b.seen.len())
    }
}

/// `at`, or the next whole second if it has a fraction.
fn round_up_to_second(at: DateTime<Utc>) -> DateTime<Utc> {
    match at.timestamp_subsec_nanos() {
        0 => at,
        _ => round_down_to_second(at) + TimeDelta::seconds(1),
    }
}

/// `at` without its fraction of a second.
pub(super) fn round_down_to_second(at: DateTime<Utc>) -> DateTime<Utc> {
    at - TimeDelta::nanoseconds(i64::from(at.timestamp_subsec_nanos()))
}

/// The finest unit a timestamp shows: 1 s, 1 ms, 1 µs or 1 ns.
fn unit_of(at: DateTime<Utc>) -> TimeDelta {
    match at.timestamp_subsec_nanos() {
        0 => TimeDelta::seconds(1),
        n if n % 1_000_000 == 0 => TimeDelta::milliseconds(1),
        n if n % 1_000 == 0 => TimeDelta::microseconds(1),
        _ => TimeDelta::nanoseconds(1),
    }
}
