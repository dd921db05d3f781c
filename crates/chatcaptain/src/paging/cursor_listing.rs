//! The listing by date-time cursor users build: page size, start, resume, `parallel`, `since`
//! and `sync`, on top of the cursor strategy (`cursor_strategy.rs`) or the parallel ranges
//! (`parallel.rs`).

use chrono::{DateTime, Utc};
use futures::StreamExt;

use super::checkpoint::Checkpoint;
use super::cursor::Cursor;
use super::cursor_strategy::CursorStrategy;
use super::engine::{self, Options};
use super::operation::CursorOperation;
use super::page::{Page, Resume};
use super::parallel_cursor::ParallelCursor;
use super::sync::SyncContacts;
use crate::{Client, Error};

/// A listing by date-time cursor, newest first (the contact list is
/// [`ListContacts`](crate::ListContacts)): build it, then take `.items()`, `.pages()` or
/// `.collect_all()`.
#[derive(Clone, Debug)]
#[must_use = "a listing does nothing until its items or pages are consumed"]
pub struct CursorListing<O> {
    client: Client,
    params: O,
    page_size: u32,
    start: Cursor,
    options: Options,
    parallel: usize,
    resume_parallel: Option<ParallelCursor>,
}

impl<O: CursorOperation> CursorListing<O> {
    pub(crate) fn new(client: Client, params: O) -> Self {
        CursorListing {
            client,
            params,
            page_size: O::DEFAULT_PAGE_SIZE,
            start: Cursor::newest(),
            options: Options::default(),
            parallel: 1,
            resume_parallel: None,
        }
    }

    /// Starts with the items created strictly before `instant`.
    pub fn starting_before(mut self, instant: DateTime<Utc>) -> Self {
        self.start = Cursor::before(instant);
        self
    }

    /// Resumes where a [`Page`] said the listing goes on.
    pub fn resume(mut self, cursor: Cursor) -> Self {
        self.start = cursor;
        self
    }

    engine::listing_methods!(O::Item);

    fn page_stream(self) -> futures::stream::BoxStream<'static, Result<Page<O::Item>, Error>> {
        if self.parallel > 1 || self.resume_parallel.is_some() {
            // Resumed without `parallel(n)`: as many at once as the saved listing paged.
            let workers = match (&self.resume_parallel, self.parallel) {
                (Some(at), 1) => at.workers(),
                _ => self.parallel,
            };
            return super::parallel::pages(
                self.client,
                self.params,
                self.page_size,
                self.start,
                self.options,
                workers,
                self.resume_parallel,
            );
        }
        let strategy = CursorStrategy::new(self.params, self.page_size, self.start);
        engine::pages(self.client, strategy, self.options)
    }
}

impl<O: CursorOperation> CursorListing<O> {
    /// Pages `ranges` disjoint time ranges of the list at once, each with its own cursor, so the
    /// listing takes about pages / `ranges` round trips instead of pages. Every item still
    /// comes exactly once, but not newest first across ranges. The ranges are found with a few
    /// one-item probes, and a range that is through hands its worker to the range with the
    /// most time left. A 429 halves the requests in flight; answers without one grow them back.
    /// Each page's [`Page::next_parallel`] resumes the listing (with
    /// [`resume_parallel`](Self::resume_parallel)). `1` (the default) is the plain sequential
    /// listing.
    pub fn parallel(mut self, ranges: usize) -> Self {
        self.parallel = ranges.max(1);
        self
    }

    /// Resumes a parallel listing where a [`Page`] said it goes on
    /// ([`Page::next_parallel`]); it pages `parallel(n)` ranges at once, or as many as the saved
    /// listing did.
    pub fn resume_parallel(mut self, at: ParallelCursor) -> Self {
        self.resume_parallel = Some(at);
        self
    }

    /// Only the items created since `checkpoint` (see [`sync`](Self::sync)).
    pub fn since(mut self, checkpoint: Checkpoint) -> Self {
        self.start.since = Some(checkpoint);
        self
    }

    /// An incremental sync run: the items created since the checkpoint given to
    /// [`since`](Self::since) (every item without one), newest first, and the checkpoint to
    /// save for the next run: once this one is through, or for whatever it yielded when it
    /// stops early ([`SyncContacts::progress`]). `max_items` does not apply: stop consuming
    /// instead, and save the progress.
    ///
    /// The API lists by `created` only: a sync sees new contacts, never updates or deletions
    /// (nor a contact inserted with a `created` older than the checkpoint). Run a full export now
    /// and then for those; [`parallel`](Self::parallel) makes it cheap.
    pub fn sync(mut self) -> SyncContacts<O::Item> {
        let previous = self.start.since.take().unwrap_or_default();
        self.options.max_items = None;
        let start = self.start.clone();
        let listing = self;
        let open = Box::new(move |at: Resume| {
            let mut listing = listing.clone();
            match at {
                Resume::Cursor(cursor) => {
                    listing.start = cursor;
                    listing.resume_parallel = None;
                }
                Resume::Parallel(ranges) => listing.resume_parallel = Some(ranges),
                Resume::Page(_) => {
                    let error = Error::InvalidArgument(
                        "a sync run resumes from a list cursor, not a search position".into(),
                    );
                    return futures::stream::once(async { Err(error) }).boxed();
                }
            }
            listing.page_stream()
        });
        SyncContacts::new(open, start, previous)
    }
}
