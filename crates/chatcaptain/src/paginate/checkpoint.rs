//! Incremental sync: the contacts created since the last run, none twice, none missed.
//!
//! A [`Checkpoint`] remembers the newest creation time a run delivered and the ids delivered at
//! that instant. The next run lists newest first down to that instant and stops there: it yields
//! every contact created after it, and those created *at* it that the last run did not see (a
//! contact created in the same millisecond, after the last run read that page). A contact whose
//! `created` lies before the checkpoint when it is inserted (an import back-dating it) is not seen
//! by a checkpoint on `created`; a full listing finds it.
//!
//! With a [`lookback`](Checkpoint::lookback), the next run lists down to that much before the
//! newest instant instead, and drops by id what the earlier runs delivered there: a contact that
//! became visible late (a slow insert, a server instance whose clock is behind) with a `created`
//! inside the window is delivered, not missed. The ids of the window are kept in the checkpoint.

use std::collections::{BTreeMap, BTreeSet};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use chrono::{DateTime, TimeDelta, Utc};
use futures::Stream;
use futures::stream::BoxStream;
use serde::{Deserialize, Serialize};

use super::operation::Dated;
use crate::{Contact, Error};

/// Where the last sync run ended: serializable, to be saved between runs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The newest `created` delivered so far; `None` before any contact was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    newest: Option<DateTime<Utc>>,
    /// The ids delivered at `newest`.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    seen: BTreeSet<String>,
    /// How far before `newest` the next run lists again, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lookback_ms: Option<u32>,
    /// The ids delivered within the lookback before `newest`, by `created`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    recent: BTreeMap<DateTime<Utc>, BTreeSet<String>>,
}

impl Checkpoint {
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
        let ms = window.as_millis().min(86_400_000) as u32;
        self.lookback_ms = (ms > 0).then_some(ms);
        self
    }

    /// The newest creation time delivered so far.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.newest
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

    /// Whether a creation time lies below the checkpoint's floor (a run can stop there).
    pub(crate) fn below(&self, created: DateTime<Utc>) -> bool {
        self.floor().is_some_and(|floor| created < floor)
    }

    fn record<T: Dated>(&mut self, item: &T) {
        let created = item.created();
        let id = item.id().to_owned();
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
            }
        }
    }
}

/// One sync run: the contacts created since a [`Checkpoint`], newest first, and the checkpoint
/// to save once the run is through ([`SyncContacts::checkpoint`]).
#[must_use = "a sync run does nothing until its items are consumed"]
pub struct SyncContacts<T = Contact> {
    items: BoxStream<'static, Result<T, Error>>,
    state: Arc<Mutex<(Checkpoint, Progress)>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Progress {
    Running,
    Failed,
    Complete,
}

impl<T> SyncContacts<T> {
    pub(crate) fn new(items: BoxStream<'static, Result<T, Error>>, previous: Checkpoint) -> Self {
        SyncContacts {
            items,
            state: Arc::new(Mutex::new((previous, Progress::Running))),
        }
    }

    /// The checkpoint to save: `Some` once the run has yielded its last contact without an error
    /// that ended it; `None` while it runs or after it failed (keep the previous checkpoint then:
    /// the next run repeats nothing and misses nothing).
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        (state.1 == Progress::Complete).then(|| state.0.clone())
    }
}

impl<T: Dated> Stream for SyncContacts<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let next = self.items.as_mut().poll_next(cx);
        if let Poll::Ready(item) = &next {
            let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
            match item {
                Some(Ok(contact)) => state.0.record(contact),
                // An odd item is yielded and the run goes on; it does not end the run.
                Some(Err(Error::InvalidItem { .. })) => {}
                Some(Err(_)) => state.1 = Progress::Failed,
                None if state.1 == Progress::Running => state.1 = Progress::Complete,
                None => {}
            }
        }
        next
    }
}

impl<T> std::fmt::Debug for SyncContacts<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncContacts").finish_non_exhaustive()
    }
}
