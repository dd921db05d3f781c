//! A contact list split into time ranges, each paged by its own cursor, several at a time.
//!
//! The cursor is a point in time ("created before"), so the list splits into disjoint ranges
//! `[lower, upper)`: each is paged newest first by its own [`CursorStrategy`] that starts before
//! `upper` and stops at `lower` (contacts created at `lower` belong to the range, exactly as the
//! cursor's strict "before" puts them; ties at a bound are handled like ties at a page bound).
//! Every contact falls in one range, so each is yielded once; across ranges the order is not
//! newest first.
//!
//! The API offers no "oldest", so the time span is found with one-contact probes: the newest
//! contact, then probes ever further back (1 s, 2 s, 4 s, ... before it, concurrently) until one
//! finds nothing older. The span is cut into equal ranges; whenever a range is through, the range
//! with the most time left is cut in two, so data crowded into a short burst still keeps every
//! worker busy. The estimate of the oldest only balances the work: the bottom range has no lower
//! bound, so nothing older than the estimate can be missed.

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};
use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, FuturesUnordered, StreamExt};

use super::cursor::{Cursor, CursorStrategy, Fetched};
use super::operation::CursorOperation;
use super::{Options, Page, Strategy};
use crate::{Client, Error};

/// Ranges shorter than this are not cut further (two milliseconds: any precision survives).
const SMALLEST_SPLIT: TimeDelta = TimeDelta::milliseconds(2);
/// How far back the probes for the oldest contact reach: 2^40 s, some 35,000 years.
const PROBES: u32 = 40;

/// A page request of the range at that index.
type RangeFetch<O> = BoxFuture<
    'static,
    (
        usize,
        Result<Fetched<<O as super::operation::Operation>::Item>, Error>,
    ),
>;

struct Range<O: CursorOperation> {
    strategy: CursorStrategy<O>,
    busy: bool,
    done: bool,
}

struct Parallel<O: CursorOperation> {
    client: Client,
    params: O,
    page_size: u32,
    start: Cursor,
    workers: usize,
    options: Options,
    ranges: Vec<Range<O>>,
    /// The oldest creation time the probes found bounds for; it only balances the work.
    oldest: Option<DateTime<Utc>>,
    in_flight: FuturesUnordered<RangeFetch<O>>,
    queued: VecDeque<Result<Page<O::Item>, Error>>,
    delivered: usize,
    started: bool,
    finished: bool,
}

/// The pages of a contact list paged by `workers` ranges at once.
pub(crate) fn pages<O: CursorOperation>(
    client: Client,
    params: O,
    page_size: u32,
    start: Cursor,
    options: Options,
    workers: usize,
) -> BoxStream<'static, Result<Page<O::Item>, Error>> {
    let state = Parallel {
        client,
        params,
        page_size,
        start,
        workers: workers.max(1),
        options,
        ranges: Vec::new(),
        oldest: None,
        in_flight: FuturesUnordered::new(),
        queued: VecDeque::new(),
        delivered: 0,
        started: false,
        finished: false,
    };
    stream::unfold(state, |mut state| async move {
        let page = state.next_page().await?;
        Some((page, state))
    })
    .fuse()
    .boxed()
}

impl<O: CursorOperation> Parallel<O> {
    async fn next_page(&mut self) -> Option<Result<Page<O::Item>, Error>> {
        loop {
            if let Some(queued) = self.queued.pop_front() {
                return Some(queued);
            }
            if self.finished {
                return None;
            }
            if !self.started {
                self.started = true;
                if let Err(e) = self.discover().await {
                    self.finished = true;
                    return Some(Err(e));
                }
                continue;
            }
            self.launch();
            let Some((index, fetched)) = self.in_flight.next().await else {
                self.finished = true;
                continue;
            };
            let range = &mut self.ranges[index];
            range.busy = false;
            let step = match fetched.and_then(|raw| range.strategy.advance(raw)) {
                Ok(step) => step,
                Err(e) => {
                    self.finished = true;
                    self.in_flight.clear();
                    return Some(Err(e));
                }
            };
            if step.done {
                range.done = true;
                self.split_largest();
            }
            self.queued.extend(step.invalid.into_iter().map(Err));
            let mut items = step.items;
            if let Some(max) = self.options.max_items {
                items.truncate(max - self.delivered);
                if self.delivered + items.len() >= max {
                    self.finished = true;
                    self.in_flight.clear();
                }
            }
            self.delivered += items.len();
            if !items.is_empty() {
                // A range's cursor alone cannot resume the whole listing: no resume point.
                self.queued.push_back(Ok(Page {
                    items,
                    next: None,
                    total: None,
                }));
            }
        }
    }

    /// Finds the span of the data and cuts it into the first ranges.
    async fn discover(&mut self) -> Result<(), Error> {
        let upper = self.start.upper();
        let (client, params) = (&self.client, &self.params);
        let Some(newest) = probe(client, params, upper).await? else {
            return Ok(()); // no contact at all: no range
        };
        // A sync run's checkpoint is the floor: nothing below it is wanted.
        let floor = self.start.since().and_then(|since| since.newest());
        if let Some(floor) = floor {
            if newest < floor {
                return Ok(()); // nothing since the checkpoint
            }
            return self.cut(floor, newest);
        }
        // Probes 1 s, 2 s, 4 s, ... before the newest: the oldest lies between the furthest
        // that still finds a contact and the next.
        let probes = (0..PROBES).map(|i| {
            let at = newest - TimeDelta::seconds(1i64 << i);
            async move { (i, probe(client, params, Some(at)).await) }
        });
        let mut furthest = None;
        {
            let mut answers = stream::iter(probes).buffer_unordered(8);
            while let Some((i, answer)) = answers.next().await {
                if answer?.is_some() {
                    furthest = furthest.max(Some(i));
                }
            }
        }
        let oldest = match furthest {
            Some(i) => newest - TimeDelta::seconds(1i64 << (i + 1).min(PROBES - 1)),
            None => newest - TimeDelta::seconds(1),
        };
        self.cut(oldest, newest)
    }

    /// The first ranges: `[oldest, newest]` in equal parts.
    fn cut(&mut self, oldest: DateTime<Utc>, newest: DateTime<Utc>) -> Result<(), Error> {
        self.oldest = Some(oldest);
        let top = newest + TimeDelta::seconds(1);
        let workers = i32::try_from(self.workers).unwrap_or(i32::MAX);
        let step = (top - oldest) / workers;
        // Range k covers [oldest + k * step, oldest + (k + 1) * step); the top one starts where
        // the listing was asked to, the bottom one has no lower bound.
        for k in (0..workers).rev() {
            let cursor = match k + 1 == workers {
                true => self.start.clone(),
                false => Cursor::before(oldest + step * (k + 1)),
            };
            let since = if k == 0 {
                self.start.since()
            } else {
                Some(super::checkpoint::Checkpoint::at(oldest + step * k))
            };
            self.add_range(cursor.with_since(since))?;
        }
        Ok(())
    }

    fn add_range(&mut self, cursor: Cursor) -> Result<(), Error> {
        let strategy = CursorStrategy::new(self.params.clone(), self.page_size, cursor)?;
        self.ranges.push(Range {
            strategy,
            busy: false,
            done: false,
        });
        Ok(())
    }

    /// Starts a request for every range that is not through and has none on the way.
    fn launch(&mut self) {
        for (index, range) in self.ranges.iter_mut().enumerate() {
            if !range.done && !range.busy {
                range.busy = true;
                let fetch = range.strategy.fetch(&self.client);
                self.in_flight
                    .push(Box::pin(async move { (index, fetch.await) }));
            }
        }
    }

    /// A range is through: cut the one with the most time left in two, so every worker has one.
    fn split_largest(&mut self) {
        let active = self.ranges.iter().filter(|r| !r.done).count();
        if active >= self.workers {
            return;
        }
        let oldest = self.oldest;
        let largest = self
            .ranges
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.done)
            .filter_map(|(i, r)| {
                let (top, lower) = r.strategy.remaining();
                let span = top? - lower.or(oldest)?;
                (span > SMALLEST_SPLIT).then_some((i, span, lower.or(oldest)?))
            })
            .max_by_key(|(_, span, _)| *span);
        let Some((index, span, lower)) = largest else {
            return;
        };
        let middle = lower + span / 2;
        let below = self.ranges[index].strategy.split_at(middle);
        // The new range takes over below the cut, down to the old range's lower bound.
        let _ = self.add_range(Cursor::before(middle).with_since(below));
    }
}

/// The newest contact created before `before` (at all, for `None`), asked with `limit=1`.
async fn probe<O: CursorOperation>(
    client: &Client,
    params: &O,
    before: Option<DateTime<Utc>>,
) -> Result<Option<DateTime<Utc>>, Error> {
    let cursor = before.map_or_else(Cursor::newest, Cursor::before);
    let strategy = CursorStrategy::new(params.clone(), 1, cursor)?;
    let fetched = strategy.fetch(client).await?;
    Ok(CursorStrategy::<O>::newest_of(&fetched))
}
