//! The pagination engine: one loop for every listing, a `Strategy` per pagination style saying
//! how to fetch and when to stop. The engine owns what the styles share: the `max_items` cap,
//! the resume point a [`Page`] hands out, and prefetching (at most one request ahead, aborted
//! with the stream).

use std::collections::VecDeque;

use futures::future::{BoxFuture, Either};
use futures::stream::{self, BoxStream, StreamExt};
use tokio::task::JoinHandle;

use super::page::{Page, Resume};
use crate::{Client, Error};

/// The builder methods both listings share, over their `params`, `page_size`, `options` and
/// `page_stream`, for items of type `$item` (in an `impl` whose operation type parameter is `O`).
macro_rules! listing_methods {
    ($item:ty) => {
        /// Changes the operation's own parameters: the generated setters of its optional ones.
        #[allow(
            dead_code,
            reason = "unused while no paginated operation has an optional parameter"
        )]
        pub(crate) fn with_params(mut self, change: impl FnOnce(&mut O)) -> Self {
            change(&mut self.params);
            self
        }

        /// Items per request: the spec's default for the size parameter unless set (else 100 for
        /// a cursor listing, 50 for pages). A size the server refuses fails with its answer, and
        /// a page it silently shortens is followed.
        pub fn page_size(mut self, size: u32) -> Self {
            self.page_size = size;
            self
        }

        /// Stops after this many items, whatever the page size.
        pub fn max_items(mut self, max: usize) -> Self {
            self.options.max_items = Some(max);
            self
        }

        /// Fetches the next page while this one is consumed (at most one request ahead).
        pub fn prefetch(mut self, prefetch: bool) -> Self {
            self.options.prefetch = prefetch;
            self
        }

        /// The items, one at a time.
        pub fn items(
            self,
        ) -> impl futures::Stream<Item = Result<$item, Error>> + Send + Unpin + 'static {
            super::engine::items(self.page_stream())
        }

        /// The items, a page at a time, each page telling where to resume after it.
        pub fn pages(
            self,
        ) -> impl futures::Stream<Item = Result<Page<$item>, Error>> + Send + Unpin + 'static {
            self.page_stream()
        }

        /// All the items (up to `max_items`) in one vector.
        pub async fn collect_all(self) -> Result<Vec<$item>, Error> {
            futures::TryStreamExt::try_collect(self.items()).await
        }
    };
}
pub(super) use listing_methods;

/// What a strategy made of one fetched page.
pub(crate) struct Step<T> {
    /// The items the caller has not seen yet.
    pub(super) items: Vec<T>,
    /// One [`Error::InvalidItem`] per new item that did not decode; they come out before the page.
    pub(super) invalid: Vec<Odd>,
    /// Whether the listing is over.
    pub(super) done: bool,
    /// The size of the whole listing, if the page said.
    pub(super) total: Option<u64>,
}

// Not derived: a derive would want `T: Default`.
impl<T> Default for Step<T> {
    fn default() -> Self {
        Step {
            items: Vec::new(),
            invalid: Vec::new(),
            done: false,
            total: None,
        }
    }
}

/// An item of a page that did not decode, and where it sat among the page's items.
pub(crate) struct Odd {
    /// How many items of the page came before it: `max_items` cuts the odd ones too.
    pub(super) before: usize,
    /// Its id and creation time, as far as they could be read, for a cursor that stops at it.
    pub(super) id: Option<String>,
    pub(super) created: Option<chrono::DateTime<chrono::Utc>>,
    /// The [`Error::InvalidItem`] the caller gets.
    pub(super) error: Error,
}

/// What `max_items` leaves of a page when `room` items may still come: `None` when the cap is
/// not reached; `Some(cut)` when it is, `cut` saying whether anything of the page (an item, or
/// an odd item after the last one let through) was left out, for the resume point to cover.
pub(super) fn cap_page<T>(items: &mut Vec<T>, invalid: &mut Vec<Odd>, room: usize) -> Option<bool> {
    if items.len() < room {
        return None;
    }
    // An odd item after the last item let through lies beyond the cap, as an item would.
    let cut = items.len() > room || invalid.iter().any(|odd| odd.before >= room);
    items.truncate(room);
    invalid.retain(|odd| odd.before < room);
    Some(cut)
}

/// One pagination style.
pub(crate) trait Strategy: Send + 'static {
    /// What the listing yields.
    type Item: Send + 'static;
    /// A fetched page, before the strategy has looked at it.
    type Raw: Send + 'static;
    /// Where the listing stands between two pages.
    type Position: Clone + Into<Resume> + Send;

    /// Fetches the page at the current position; the future owns all it needs so it can be spawned.
    fn fetch(&self, client: &Client) -> BoxFuture<'static, Result<Self::Raw, Error>>;
    /// Digests the page fetched at the current position and moves past it.
    fn advance(&mut self, raw: Self::Raw) -> Result<Step<Self::Item>, Error>;
    /// The current position.
    fn position(&self) -> Self::Position;
    /// The position after only `delivered` and `odd`, a prefix of the page fetched at `from`.
    fn position_within(
        &self,
        from: &Self::Position,
        delivered: &[Self::Item],
        odd: &[Odd],
    ) -> Self::Position;
}

/// Knobs the engine reads, the same for every style.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Options {
    pub max_items: Option<usize>,
    pub prefetch: bool,
}

/// A spawned fetch that dies with its owner, so a dropped stream leaves no request behind.
struct Ahead<R>(JoinHandle<Result<R, Error>>);

impl<R> Drop for Ahead<R> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

struct Engine<S: Strategy> {
    client: Client,
    strategy: S,
    options: Options,
    delivered: usize,
    ahead: Option<Ahead<S::Raw>>,
    finished: bool,
    /// What one fetch produced beyond its first output: a page behind its items' errors.
    queued: VecDeque<Result<Page<S::Item>, Error>>,
}

impl<S: Strategy> Engine<S> {
    async fn next_page(&mut self) -> Option<Result<Page<S::Item>, Error>> {
        loop {
            if let Some(queued) = self.queued.pop_front() {
                return Some(queued);
            }
            if self.finished || self.cap_reached() {
                self.finished = true;
                return None;
            }
            let from = self.strategy.position();
            let step = match self
                .fetch()
                .await
                .and_then(|raw| self.strategy.advance(raw))
            {
                Ok(step) => step,
                Err(e) => {
                    self.finished = true;
                    return Some(Err(e));
                }
            };
            let (mut items, mut invalid) = (step.items, step.invalid);
            let room = self
                .options
                .max_items
                .map_or(usize::MAX, |m| m - self.delivered);
            let next = match cap_page(&mut items, &mut invalid, room) {
                Some(true) => Some(
                    self.strategy
                        .position_within(&from, &items, &invalid)
                        .into(),
                ),
                _ if step.done => None,
                _ => Some(self.strategy.position().into()),
            };
            self.delivered += items.len();
            self.finished = step.done || self.cap_reached();
            if !self.finished && self.options.prefetch {
                self.spawn_ahead();
            }
            // An item that did not decode is its own error, ahead of the page it came in; the
            // listing goes on after it, so a million-contact export survives one odd record.
            self.queued
                .extend(invalid.into_iter().map(|odd| Err(odd.error)));
            if !items.is_empty() {
                self.queued.push_back(Ok(Page {
                    items,
                    next,
                    total: step.total,
                }));
            }
        }
    }

    fn cap_reached(&self) -> bool {
        self.options.max_items.is_some_and(|m| self.delivered >= m)
    }

    async fn fetch(&mut self) -> Result<S::Raw, Error> {
        if let Some(mut ahead) = self.ahead.take() {
            match (&mut ahead.0).await {
                Ok(result) => return result,
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                // Cancelled by a runtime shutting down: fetch again in the caller's task.
                Err(_) => {}
            }
        }
        self.strategy.fetch(&self.client).await
    }

    fn spawn_ahead(&mut self) {
        // Without a tokio runtime (another executor), prefetch quietly falls back to sequential.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let fetch = self.strategy.fetch(&self.client);
            self.ahead = Some(Ahead(runtime.spawn(fetch)));
        }
    }
}

/// The pages of a listing; an invalid strategy comes out as the stream's only item.
pub(crate) fn pages<S: Strategy>(
    client: Client,
    strategy: Result<S, Error>,
    options: Options,
) -> BoxStream<'static, Result<Page<S::Item>, Error>> {
    let strategy = match strategy {
        Ok(s) => s,
        Err(e) => return stream::once(async { Err(e) }).fuse().boxed(),
    };
    let engine = Engine {
        client,
        strategy,
        options,
        delivered: 0,
        ahead: None,
        finished: false,
        queued: VecDeque::new(),
    };
    // Fused: polled again after its end (or after a failure that ended it), it stays ended.
    stream::unfold(engine, |mut engine| async move {
        let page = engine.next_page().await?;
        Some((page, engine))
    })
    .fuse()
    .boxed()
}

/// The items of a listing, one page buffered (two with prefetch).
pub(crate) fn items<T: Send + 'static>(
    pages: BoxStream<'static, Result<Page<T>, Error>>,
) -> BoxStream<'static, Result<T, Error>> {
    // Not `try_flatten`: an item's decode error must pass through without ending the stream.
    pages
        .flat_map(|page| match page {
            Ok(page) => Either::Left(stream::iter(page.items.into_iter().map(Ok))),
            Err(e) => Either::Right(stream::once(async { Err(e) })),
        })
        .fuse()
        .boxed()
}
