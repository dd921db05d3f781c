//! Incremental sync: the contacts created since the last run, none twice, none missed.
//!
//! A [`Checkpoint`] remembers the newest creation time a run delivered and the ids delivered at
//! that instant. The next run lists newest first down to that instant and stops there: it yields
//! every contact created after it, and those created *at* it that the last run did not see (a
//! contact created in the same millisecond, after the last run read that page). A contact whose
//! `created` lies before the checkpoint when it is inserted (an import back-dating it) is not seen
//! by a checkpoint on `created`; a full listing finds it.

use std::collections::BTreeSet;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use chrono::{DateTime, Utc};
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
            seen: BTreeSet::new(),
        }
    }

    /// The newest creation time delivered so far.
    pub fn newest(&self) -> Option<DateTime<Utc>> {
        self.newest
    }

    /// Whether a contact was delivered by the runs this checkpoint covers (or is older).
    pub(crate) fn covers(&self, created: DateTime<Utc>, id: &str) -> bool {
        self.newest
            .is_some_and(|at| created < at || (created == at && self.seen.contains(id)))
    }

    /// Whether a creation time lies before the checkpoint (a run can stop there).
    pub(crate) fn below(&self, created: DateTime<Utc>) -> bool {
        self.newest.is_some_and(|at| created < at)
    }

    fn record<T: Dated>(&mut self, item: &T) {
        let created = item.created();
        match self.newest {
            Some(at) if created < at => {}
            Some(at) if created == at => {
                self.seen.insert(item.id().to_owned());
            }
            _ => {
                self.newest = Some(created);
                self.seen = BTreeSet::from([item.id().to_owned()]);
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
