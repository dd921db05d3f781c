//! One incremental sync run: the contacts created since a [`Checkpoint`], none twice, none
//! missed, and a checkpoint for wherever the run stops.
//!
//! A run is one or two segments of the list. When the checkpoint holds the rest of an
//! interrupted run, that segment comes first (from where that run stopped, down to the
//! checkpoint it started from). Then what is new: newest first, down to the checkpoint as it
//! stands then. The run remembers, for the page it is handing out, the point the listing
//! resumes from before that page and the ids of the page already handed out, so a checkpoint
//! taken at any moment ([`SyncContacts::progress`]) covers exactly what was yielded.

use std::collections::{BTreeSet, VecDeque};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use chrono::{DateTime, Utc};
use futures::stream::BoxStream;
use futures::{Stream, StreamExt};

use super::checkpoint::{Checkpoint, Pending};
use super::cursor::Cursor;
use super::operation::{Dated, created_of};
use super::page::{Page, Resume};
use crate::{Contact, Error};

/// Opens the listing from a resume point: the sync run's listing, with its page size and
/// parallelism, but another start.
pub(super) type Open<T> =
    Box<dyn Fn(Resume) -> BoxStream<'static, Result<Page<T>, Error>> + Send + Sync>;

/// One sync run: the contacts created since a [`Checkpoint`], newest first (in each range, for
/// a parallel run), and the checkpoint to save: [`checkpoint`](Self::checkpoint) once the run is
/// through, [`progress`](Self::progress) when it stops early.
///
/// The API lists contacts by `created` only: a sync run sees contacts created since the last
/// one, never updates or deletions. For those, run a full export now and then (`parallel(n)`
/// makes it cheap).
#[must_use = "a sync run does nothing until its items are consumed"]
pub struct SyncContacts<T = Contact> {
    open: Open<T>,
    /// Where the new segment starts (newest first, or before an instant).
    start: Cursor,
    /// What the run has yielded so far, taken into the checkpoint it started from.
    state: Checkpoint,
    /// The interrupted run's segment, until it is opened.
    pending: Option<Pending>,
    segment: Option<Segment<T>>,
    phase: Phase,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// Listing the rest of an interrupted run.
    Pending,
    /// Listing what is new.
    New,
    /// Through: every segment listed.
    Complete,
    /// A request failed; the run yields nothing more.
    Failed,
}

/// One listing of the run, and where it stands.
struct Segment<T> {
    pages: BoxStream<'static, Result<Page<T>, Error>>,
    /// The page being handed out.
    items: VecDeque<T>,
    /// Where the listing resumes before that page.
    at: Resume,
    /// Where it resumes after that page; `None` once the last page is in hand.
    after: Option<Resume>,
    /// The ids of that page handed out so far.
    done: BTreeSet<String>,
    /// Ids an earlier, interrupted run delivered past `at`: dropped when listed again.
    carried: BTreeSet<String>,
    /// Whether its rest must be kept: it is an interrupted run's, or it has yielded anything.
    keep: bool,
}

impl<T> Segment<T> {
    fn open(open: &Open<T>, at: Resume, carried: BTreeSet<String>, keep: bool) -> Self {
        Segment {
            pages: open(at.clone()),
            items: VecDeque::new(),
            after: Some(at.clone()),
            at,
            done: BTreeSet::new(),
            carried,
            keep,
        }
    }

    /// The rest of this segment, as a pending segment of a checkpoint.
    fn rest(&self) -> Pending {
        let mut done: BTreeSet<String> = self.carried.clone();
        // The page in hand is through: resume after it rather than fetch it again.
        let at = match (&self.after, self.items.is_empty()) {
            (Some(after), true) => after.clone(),
            _ => {
                done.extend(self.done.iter().cloned());
                self.at.clone()
            }
        };
        Pending { resume: at, done }
    }
}

impl<T> SyncContacts<T> {
    /// The checkpoint to save: `Some` once the run has yielded its last contact without an error
    /// that ended it; `None` while it runs or after it failed (save [`progress`](Self::progress)
    /// then).
    pub fn checkpoint(&self) -> Option<Checkpoint> {
        (self.phase == Phase::Complete).then(|| self.state.clone())
    }

    /// The checkpoint for exactly what this run has yielded so far, whenever it stops: after
    /// the last contact it is [`checkpoint`](Self::checkpoint); before, it also holds the rest
    /// of this run (see [`Checkpoint::is_interrupted`]), which the next run lists first, so
    /// nothing this run yielded comes again and nothing is missed. Save it when a run is stopped
    /// or fails part way, after what it yielded is safely stored.
    pub fn progress(&self) -> Checkpoint {
        let pending = match (self.phase, &self.segment) {
            (Phase::Complete, _) => None,
            (_, Some(segment)) if segment.keep => Some(segment.rest()),
            // Nothing new was yielded: the checkpoint as it stood covers the same.
            (_, Some(_)) => None,
            (_, None) => self.pending.clone(),
        };
        self.state.clone().with_pending(pending)
    }
}

impl<T: Dated> SyncContacts<T> {
    pub(super) fn new(open: Open<T>, start: Cursor, previous: Checkpoint) -> Self {
        let (state, pending) = previous.take_pending();
        let phase = match pending {
            Some(_) => Phase::Pending,
            None => Phase::New,
        };
        SyncContacts {
            open,
            start,
            state,
            pending,
            segment: None,
            phase,
        }
    }

    /// Opens the next segment, or ends the run.
    fn open_next(&mut self) {
        match self.phase {
            Phase::Pending => match self.pending.take() {
                Some(pending) => {
                    let segment = Segment::open(&self.open, pending.resume, pending.done, true);
                    self.segment = Some(segment);
                }
                None => self.phase = Phase::New,
            },
            Phase::New => {
                let at = self.start.clone().with_since(Some(self.state.clone()));
                let segment = Segment::open(&self.open, at.into(), BTreeSet::new(), false);
                self.segment = Some(segment);
            }
            Phase::Complete | Phase::Failed => {}
        }
    }

    /// The current segment is through.
    fn segment_ended(&mut self) {
        self.segment = None;
        self.phase = match self.phase {
            Phase::Pending => Phase::New,
            _ => Phase::Complete,
        };
    }
}

// Nothing in a run is pinned in place: items are moved out of their page's queue.
impl<T> Unpin for SyncContacts<T> {}

impl<T: Dated> Stream for SyncContacts<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if matches!(this.phase, Phase::Complete | Phase::Failed) {
                return Poll::Ready(None);
            }
            let Some(segment) = &mut this.segment else {
                this.open_next();
                continue;
            };
            while let Some(item) = segment.items.pop_front() {
                if segment.carried.contains(item.id())
                    || this.state.delivered_ahead(created_of(&item), item.id())
                {
                    continue;
                }
                segment.done.insert(item.id().to_owned());
                segment.keep = true;
                this.state
                    .record(&item, DateTime::<Utc>::from(std::time::SystemTime::now()));
                return Poll::Ready(Some(Ok(item)));
            }
            match ready!(segment.pages.poll_next_unpin(cx)) {
                Some(Ok(page)) => {
                    // The page before is through: the listing resumes after it.
                    if let Some(after) = segment.after.take() {
                        segment.at = after;
                    }
                    segment.done.clear();
                    segment.after = page.next;
                    segment.items = page.items.into();
                }
                // An odd item is yielded and the run goes on; it does not end the run.
                Some(Err(e @ Error::InvalidItem { .. })) => return Poll::Ready(Some(Err(e))),
                Some(Err(e)) => {
                    this.phase = Phase::Failed;
                    return Poll::Ready(Some(Err(e)));
                }
                None => this.segment_ended(),
            }
        }
    }
}

impl<T> std::fmt::Debug for SyncContacts<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SyncContacts")
            .field("phase", &self.phase)
            .finish_non_exhaustive()
    }
}
