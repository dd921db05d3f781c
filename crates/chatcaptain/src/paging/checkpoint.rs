//! Incremental sync: where the last run ended, saved between runs.
//!
//! A [`Checkpoint`] remembers the newest creation time a run delivered and the ids delivered at
//! that instant. The next run lists newest first down to that instant and stops there: it yields
//! every contact created after it, and those created *at* it that the last run did not see (a
//! contact created in the same millisecond, after the last run read that page). A contact whose
//! `created` lies before the checkpoint when it is inserted (an import back-dating it) is not seen
//! by a checkpoint on `created`; a full listing finds it. Nor are updates and deletions: the API
//! lists by `created` only.
//!
//! With a [`lookback`](Checkpoint::lookback), the next run lists down to that much before the
//! newest instant instead, and drops by id what the earlier runs delivered there: a contact that
//! became visible late (a slow insert, a server instance whose clock is behind) with a `created`
//! inside the window is delivered, not missed. The ids of the window are kept in the checkpoint.
//!
//! A contact dated ahead of this machine's clock (more than [`Checkpoint::CLOCK_TOLERANCE`]) does
//! not move the checkpoint: moved to it, every later run would stop above the contacts created
//! meanwhile and miss them. It is delivered once and its id is kept until the checkpoint passes it.
//!
//! A run stopped part way (Ctrl-C, a failed request, a crash after a save) has a checkpoint too
//! ([`SyncContacts::progress`](super::SyncContacts::progress)): it holds a *pending* segment, the
//! part of the run's listing not yet delivered, which the next run lists before what is new.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::operation::{Dated, created_of};
use super::page::Resume;

/// The version a saved checkpoint carries; a file without it is no checkpoint of this crate's
/// (unless it is one of the first format, which always had `newest`).
const VERSION: u32 = 1;

/// The longest lookback: a day.
const MAX_LOOKBACK_MS: u32 = 86_400_000;

/// Where the last sync run ended: serializable, to be saved between runs.
///
/// Saved as a JSON object with `"version": 1`. Reading refuses anything else (`{}`, `[]`, an
/// unknown or misspelt key, a lookback over a day): a file that is not a checkpoint must not be
/// taken for "start", which lists everything again.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Saved", into = "Saved")]
pub struct Checkpoint {
    /// The newest `created` delivered so far; `None` before any contact was.
    newest: Option<DateTime<Utc>>,
    /// The ids delivered at `newest`.
    seen: BTreeSet<String>,
    /// How far before `newest` the next run lists again, in milliseconds.
    lookback_ms: Option<u32>,
    /// The ids delivered within the lookback before `newest`, by `created`.
    recent: BTreeMap<DateTime<Utc>, BTreeSet<String>>,
    /// The ids of contacts delivered though dated ahead of the clock, by `created`.
    ahead: BTreeMap<DateTime<Utc>, BTreeSet<String>>,
    /// The part of an interrupted run not yet delivered.
    pending: Option<Box<Pending>>,
}

/// The rest of an interrupted run: where its listing goes on (down to the checkpoint that run
/// started from, which the position holds), and the ids it delivered past that point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Pending {
    pub(super) resume: Resume,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub(super) done: BTreeSet<String>,
}

impl Checkpoint {
    /// How far ahead of this machine's clock a contact's `created` may lie and still move the
    /// checkpoint: one second. A contact dated further ahead (a server clock set wrong, an import
    /// in the wrong time zone) is delivered once, remembered by id, and leaves the checkpoint
    /// where it was, so the contacts created until the clock reaches it are not skipped.
    pub const CLOCK_TOLERANCE: Duration = Duration::from_secs(1);

    /// A checkpoint before anything: the first run lists every contact.
    pub fn start() -> Self {
        Checkpoint::default()
    }

    /// A lower bound at `at`: everything created before it is covered.
    pub(crate) fn at(at: DateTime<Utc>) -> Self {
        Checkpoint {
            newest: Some(at),
            ..Checkpoint::default()
        }
    }

    /// This checkpoint with a lookback of `window` (whole milliseconds, at most a day), kept by
    /// every checkpoint that follows from it: each run lists again the contacts created up to
    /// `window` before the newest one delivered so far, and yields those the earlier runs did
    /// not (by id). Set it on the first run's `Checkpoint::start()`.
    ///
    /// A contact can become visible after a run has passed its `created`: an insert that took a
    /// while, or a server whose instances' clocks differ by a few milliseconds. Without a
    /// lookback the next run starts above it and never sees it; with one as long as that delay,
    /// it does. The cost is re-reading the window's contacts each run, and their ids in the
    /// checkpoint.
    ///
    /// ```
    /// use std::time::Duration;
    /// use chatcaptain::Checkpoint;
    ///
    /// let first_run = Checkpoint::start().lookback(Duration::from_secs(5));
    /// # let _ = first_run;
    /// ```
    pub fn lookback(mut self, window: std::time::Duration) -> Self {
        let ms = window.as_millis().min(u128::from(MAX_LOOKBACK_MS)) as u32;
        self.lookback_ms = (ms > 0).then_some(ms);
        self
    }

    /// The newest creation time delivered so far.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.newest
    }

    /// Whether this checkpoint holds the rest of an interrupted run, which the next run lists
    /// before what is new.
    pub fn is_interrupted(&self) -> bool {
        self.pending.is_some()
    }

    /// Where the next run stops: the newest instant, less the lookback.
    pub(crate) fn floor(&self) -> Option<DateTime<Utc>> {
        self.newest.map(|at| at - self.window())
    }

    fn window(&self) -> TimeDelta {
        TimeDelta::milliseconds(i64::from(self.lookback_ms.unwrap_or(0)))
    }

    /// Whether a contact was delivered by the runs this checkpoint covers (or is older).
    pub(crate) fn covers(&self, created: DateTime<Utc>, id: &str) -> bool {
        if self.delivered_ahead(created, id) {
            return true;
        }
        let (Some(newest), Some(floor)) = (self.newest, self.floor()) else {
            return false;
        };
        if created == newest {
            return self.seen.contains(id);
        }
        created < floor
            || (created < newest
                && self
                    .recent
                    .get(&created)
                    .is_some_and(|ids| ids.contains(id)))
    }

    /// Whether a contact dated ahead of the clock was delivered already. Checked by the sync run
    /// itself too: the ranges of a parallel run above the checkpoint do not carry its ids.
    pub(super) fn delivered_ahead(&self, created: DateTime<Utc>, id: &str) -> bool {
        self.ahead.get(&created).is_some_and(|ids| ids.contains(id))
    }

    /// Whether a creation time lies below the checkpoint's floor (a run can stop there).
    pub(crate) fn below(&self, created: DateTime<Utc>) -> bool {
        self.floor().is_some_and(|floor| created < floor)
    }

    /// This checkpoint without its pending segment, and that segment.
    pub(super) fn take_pending(mut self) -> (Checkpoint, Option<Pending>) {
        let pending = self.pending.take().map(|p| *p);
        (self, pending)
    }

    /// This checkpoint with `pending` as the rest of an interrupted run.
    pub(super) fn with_pending(mut self, pending: Option<Pending>) -> Self {
        self.pending = pending.map(Box::new);
        self
    }

    /// Takes a delivered item into the checkpoint; `now` is this machine's clock.
    pub(super) fn record<T: Dated>(&mut self, item: &T, now: DateTime<Utc>) {
        let created = created_of(item);
        let id = item.id().to_owned();
        let tolerance = TimeDelta::from_std(Self::CLOCK_TOLERANCE).unwrap_or_default();
        if created > now + tolerance {
            tracing::warn!(
                id = %id,
                created = %created.to_rfc3339(),
                "a contact is dated ahead of this machine's clock: it is delivered once and does \
                 not move the checkpoint (check the server's clock and this machine's)"
            );
            self.ahead.entry(created).or_default().insert(id);
            return;
        }
        match self.newest {
            Some(at) if created == at => {
                self.seen.insert(id);
            }
            Some(at) if created < at => {
                if self.lookback_ms.is_some() && created >= at - self.window() {
                    self.recent.entry(created).or_default().insert(id);
                }
            }
            _ => {
                if let Some(at) = self.newest.filter(|_| self.lookback_ms.is_some()) {
                    let ids = std::mem::take(&mut self.seen);
                    self.recent.entry(at).or_default().extend(ids);
                }
                self.newest = Some(created);
                self.seen = BTreeSet::from([id]);
                let floor = created - self.window();
                self.recent = self.recent.split_off(&floor);
                // Below the floor no run lists again: those ids are no longer needed.
                self.ahead = self.ahead.split_off(&floor);
            }
        }
    }
}

/// A checkpoint as saved: the fields of [`Checkpoint`], marked with the format's version.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Saved {
    #[serde(default)]
    version: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    newest: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    seen: BTreeSet<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lookback_ms: Option<u32>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    recent: BTreeMap<DateTime<Utc>, BTreeSet<String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    ahead: BTreeMap<DateTime<Utc>, BTreeSet<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pending: Option<Box<Pending>>,
}

impl TryFrom<Saved> for Checkpoint {
    type Error = String;

    fn try_from(saved: Saved) -> Result<Self, String> {
        match saved.version {
            Some(VERSION) => {}
            Some(other) => {
                return Err(format!(
                    "checkpoint version {other}: this program reads version {VERSION}"
                ));
            }
            // The first format had no version, but always a `newest`.
            None if saved.newest.is_some() => {}
            None => {
                return Err(format!(
                    "not a checkpoint: no \"version\": {VERSION} (and no \"newest\")"
                ));
            }
        }
        if let Some(ms) = saved.lookback_ms.filter(|ms| *ms > MAX_LOOKBACK_MS) {
            return Err(format!(
                "lookback_ms {ms} is over a day ({MAX_LOOKBACK_MS})"
            ));
        }
        if let Some(Resume::Page(_)) = saved.pending.as_deref().map(|p| &p.resume) {
            return Err("the pending segment is a search position, not a list cursor".into());
        }
        Ok(Checkpoint {
            newest: saved.newest,
            seen: saved.seen,
            lookback_ms: saved.lookback_ms.filter(|ms| *ms > 0),
            recent: saved.recent,
            ahead: saved.ahead,
            pending: saved.pending,
        })
    }
}

impl From<Checkpoint> for Saved {
    fn from(c: Checkpoint) -> Self {
        Saved {
            version: Some(VERSION),
            newest: c.newest,
            seen: c.seen,
            lookback_ms: c.lookback_ms,
            recent: c.recent,
            ahead: c.ahead,
            pending: c.pending,
        }
    }
}
