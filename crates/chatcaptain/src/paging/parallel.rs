//! A contact list split into time ranges, each paged by its own cursor, several at a time.
//!
//! The cursor is a point in time ("created before"), so the list splits into disjoint ranges
//! `[lower, upper)`: each is paged newest first by its own [`CursorStrategy`] that starts before
//! `upper` and stops at `lower` (contacts created at `lower` belong to the range, exactly as the
//! cursor's strict "before" puts them; ties at a bound are handled like ties at a page bound).
//! Every contact falls in one range, so each is yielded once; across ranges the order is not
//! newest first.
//!
//! A cut point becomes a `pageToken`, so it falls on a whole second: a server may read a token
//! no finer than that (a JavaScript `Date` keeps milliseconds, some keep only seconds), and one
//! that drops the rest of a finer token would lose, from the range below the cut, the contacts
//! of the instant it rounded to. So a range of two seconds or less is not cut further.
//!
//! The API offers no "oldest", so the listing starts as one range and its first page, an
//! ordinary page of the top range, shows the newest contact and how dense the data is. The span
//! below is found with one-contact probes, a few at a time, going back from that page's oldest
//! contact by the page's own span times 1, 4, 16, ..., until one finds nothing older; a round of
//! probes between the last two narrows it down as far as the cuts need. Every probe asks for an
//! instant of years 0001-9999 (a `pageToken` is an RFC 3339 date-time). The span is cut into
//! equal ranges; whenever a worker is idle, the range with the most work left (its span times
//! the density of its last page) is cut in two, so data crowded into a short burst still keeps
//! every worker busy. The estimate of the oldest only balances the work: the bottom range has no
//! lower bound, so nothing older than the estimate can be missed. So a listing costs the
//! sequential listing's requests plus the probes (5 to 20 for most data) and part of a page per
//! range.
//!
//! Each page carries a [`ParallelCursor`]: the cursors of the ranges not yet through, as they
//! stood when the page was made. Pages come out in the order they were made, so that snapshot
//! covers exactly the pages delivered up to it, and a listing resumed from it repeats and
//! misses nothing.
//!
//! The ranges at work at once follow the server's rate limit: a 429 (to any request of the
//! client) halves how many requests the listing keeps in flight, and each answer without one
//! grows it by a fraction, one more per round of answers, up to the number of ranges asked for
//! (additive increase, multiplicative decrease).

use std::collections::VecDeque;

use chrono::{DateTime, TimeDelta, Utc};
use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, FuturesUnordered, StreamExt};

use super::checkpoint::Checkpoint;
use super::cursor::{Cursor, round_down_to_second};
use super::cursor_strategy::{CursorStrategy, Fetched};
use super::engine::{self, Options, Strategy};
use super::operation::{CursorOperation, created_of};
use super::page::{Page, Resume};
use super::parallel_cursor::ParallelCursor;
use crate::pacing::Concurrency;
use crate::{Client, Error};

/// Cut points fall on whole seconds (see the module's docs).
const GRID: TimeDelta = TimeDelta::seconds(1);
/// How many probes for the oldest contact go out at once, each four times as far back as the
/// one before it: the first round reaches 64 pages' worth back, the second 16,384.
const BATCH: u32 = 4;

/// At most this many probes at once narrow down the oldest contact after the rounds of [`BATCH`].
const MOST_BETWEEN: usize = 8;

/// The earliest instant a probe asks for: a `pageToken` is an RFC 3339 date-time, whose year
/// has four digits.
fn earliest() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("0001-01-01T00:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// A page request of the range at that index, with the number of requests launched before it.
type RangeFetch<O> = BoxFuture<
    'static,
    (
        usize,
        u64,
        Result<Fetched<<O as super::operation::Operation>::Item>, Error>,
    ),
>;

struct Range<O: CursorOperation> {
    strategy: CursorStrategy<O>,
    busy: bool,
    done: bool,
    /// Where the range began (its upper bound, or its first contact's `created`) and how many
    /// contacts it has delivered since: its density, which says how much work is left in it.
    origin: Option<DateTime<Utc>>,
    delivered: usize,
    /// Contacts per second of the range's last page: a burst below sparse contacts shows
    /// here long before it shows in the density of the whole range so far.
    recent: Option<f64>,
}

impl<O: CursorOperation> Range<O> {
    /// The range's remaining span: its current top and its lower bound (`oldest` for the
    /// bottom range, which has none).
    fn span(&self, oldest: Option<DateTime<Utc>>) -> Option<(DateTime<Utc>, TimeDelta)> {
        let (top, lower) = self.strategy.remaining();
        let lower = lower.or(oldest)?;
        Some((lower, top? - lower))
    }

    /// How many seconds of the range's time its contacts have covered so far.
    fn covered(&self) -> f64 {
        match (self.origin, self.strategy.remaining().0) {
            (Some(origin), Some(top)) => seconds(origin - top),
            _ => 0.0,
        }
    }
}

fn seconds(delta: TimeDelta) -> f64 {
    delta
        .num_microseconds()
        .map_or(f64::MAX, |us| us as f64 / 1e6)
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
    /// Where a resumed listing picks up (no discovery then).
    resumed: Option<ParallelCursor>,
    /// The span is still to be found, below the first page of the top range.
    discovering: bool,
    concurrency: Concurrency,
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
    resumed: Option<ParallelCursor>,
) -> BoxStream<'static, Result<Page<O::Item>, Error>> {
    let workers = workers.max(1);
    let state = Parallel {
        client,
        params,
        page_size,
        start,
        workers,
        options,
        ranges: Vec::new(),
        oldest: None,
        resumed,
        discovering: false,
        concurrency: Concurrency::new(workers),
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
                // A fresh listing starts as one range, whose first page shows where the data
                // begins and how dense it is; the span below is found before that page is out.
                let begun = match self.resumed.take() {
                    Some(at) => self.resume(at),
                    None => {
                        self.discovering = true;
                        self.add_range(self.start.clone())
                    }
                };
                if let Err(e) = begun {
                    self.finished = true;
                    return Some(Err(e));
                }
                continue;
            }
            self.launch();
            let Some((index, seq, fetched)) = self.in_flight.next().await else {
                self.finished = true;
                continue;
            };
            let throttles = self.client.pacing().throttles();
            self.concurrency.answered(seq, throttles);
            let range = &mut self.ranges[index];
            range.busy = false;
            let from = range.strategy.position();
            let top_before = range.strategy.remaining().0;
            let step = match fetched.and_then(|raw| range.strategy.advance(raw)) {
                Ok(step) => step,
                Err(e) => {
                    self.finished = true;
                    self.in_flight.clear();
                    return Some(Err(e));
                }
            };
            let (mut items, mut invalid) = (step.items, step.invalid);
            let mut done = step.done;
            let room = self
                .options
                .max_items
                .map_or(usize::MAX, |m| m - self.delivered);
            if let Some(cut) = engine::cap_page(&mut items, &mut invalid, room) {
                if cut {
                    // The rest of the page is not delivered: the range stands after what is,
                    // and is not through, whatever its answer said (a resume goes on there).
                    let within = range.strategy.position_within(&from, &items, &invalid);
                    range.strategy.reset(within);
                    done = false;
                }
                self.finished = true;
                self.in_flight.clear();
            }
            range.done = done;
            range.delivered += items.len();
            if let (Some(before), Some(after)) = (top_before, range.strategy.remaining().0)
                && !items.is_empty()
            {
                // A page all at one instant is as dense as it gets: a second's worth of it.
                range.recent = Some(items.len() as f64 / seconds(before - after).max(1.0));
            }
            if range.origin.is_none() {
                range.origin = items.first().map(created_of);
            }
            self.queued
                .extend(invalid.into_iter().map(|odd| Err(odd.error)));
            self.delivered += items.len();
            if self.discovering && !items.is_empty() && !self.finished {
                self.discovering = false;
                let newest = created_of(&items[0]);
                if let Err(e) = self.discover(newest).await {
                    self.finished = true;
                    return Some(Err(e));
                }
            } else if !self.finished {
                // Not only when a range is through: a page can show that a range is denser
                // than its first pages said (a burst below sparse contacts) while a worker idles.
                self.split_largest();
            }
            if !items.is_empty() {
                // Made now, delivered after every page made before it: the snapshot of all
                // ranges covers exactly what has been delivered once this page is.
                let next = self.snapshot().map(Resume::from);
                self.queued.push_back(Ok(Page {
                    items,
                    next,
                    total: None,
                }));
            }
        }
    }

    /// The ranges not yet through, as they stand; `None` when every one is.
    fn snapshot(&self) -> Option<ParallelCursor> {
        let ranges: Vec<Cursor> = self
            .ranges
            .iter()
            .filter(|r| !r.done)
            .map(|r| r.strategy.position())
            .collect();
        (!ranges.is_empty()).then_some(ParallelCursor {
            ranges,
            oldest: self.oldest,
            workers: Some(self.workers),
        })
    }

    /// Takes up the ranges a [`ParallelCursor`] saved.
    fn resume(&mut self, at: ParallelCursor) -> Result<(), Error> {
        // Saved before the span was found (`max_items` within the first page): find it now.
        self.discovering = at.oldest.is_none() && at.ranges.len() == 1;
        self.oldest = at.oldest;
        for cursor in at.ranges {
            self.add_range(cursor)?;
        }
        Ok(())
    }

    /// Finds the span of the data below the top range's first page (whose newest contact is
    /// `newest`) and cuts it into ranges.
    ///
    /// Probes with `limit=1` go back from the page's oldest contact by the page's own span
    /// times 1, 4, 16, ..., a few at once, until one finds nothing older: the data begins
    /// between that one and the last that found something. Probes between the two narrow that
    /// down to about a range; the estimate only balances the work (the bottom range has no
    /// lower bound), so it need be no finer.
    async fn discover(&mut self, newest: DateTime<Utc>) -> Result<(), Error> {
        let Some(top) = self.ranges[0].strategy.remaining().0 else {
            return Ok(());
        };
        // A sync run's checkpoint is the floor: cut only above the checkpoint's newest instant.
        // The bottom range lists down to the floor (the lookback) with the checkpoint's ids,
        // which drop what earlier runs delivered there; a range cut from it below that instant
        // would not have them.
        if let (_, Some(checkpoint)) = self.ranges[0].strategy.remaining() {
            return self.cut(checkpoint.min(top), top);
        }
        let step = (newest - top).max(GRID);
        let back = |quadruplings: u32| {
            let far = 4i32
                .checked_pow(quadruplings)
                .and_then(|factor| step.checked_mul(factor))
                .and_then(|delta| top.checked_sub_signed(delta));
            far.map_or(earliest(), |t| t.max(earliest()))
        };
        // The newest probe that found a contact older than it, and the oldest that found none.
        let mut found = top;
        let mut empty = None;
        let mut quadruplings = 0;
        while empty.is_none() {
            let mut at: Vec<_> = (quadruplings..quadruplings + BATCH).map(back).collect();
            at.dedup();
            quadruplings += BATCH;
            for (t, hit) in at
                .iter()
                .zip(probe_all(&self.client, &self.params, &at).await?)
            {
                match hit {
                    true => found = *t,
                    false => {
                        empty = Some(*t);
                        break;
                    }
                }
            }
            if at.last() == Some(&earliest()) {
                empty = empty.or(Some(earliest()));
            }
        }
        let mut oldest = empty.unwrap_or(earliest());
        if found == top {
            // What is left lies within one step, about a page's worth: cutting it into ranges
            // would cost more requests than it saves. (A burst there is split as it shows.)
            self.oldest = Some(oldest);
            return Ok(());
        }
        // The oldest lies between `oldest` (nothing before it) and `found` (something before
        // it), up to three quarters of the span. Rounds of probes spread over that stretch (up
        // to one per range and 8, two rounds at most) narrow it to half a range: an error of
        // that much the idle workers' splits make up for, the cuts need it no finer. A probe
        // costs a request, and a listing of few pages gains less from the balance than that:
        // one probe per four pages' worth above `found`.
        let workers = i32::try_from(self.workers).unwrap_or(i32::MAX);
        let mut budget = (seconds(top - found) / seconds(step) / 4.0) as usize;
        for _ in 0..2 {
            let half_range = ((top - oldest) / workers.saturating_mul(2)).max(GRID);
            let stretch = found - oldest;
            let needed = (seconds(stretch) / seconds(half_range)).ceil() as usize;
            let between = needed
                .saturating_sub(1)
                .min(self.workers.saturating_sub(1))
                .min(MOST_BETWEEN)
                .min(budget);
            if between == 0 || stretch <= GRID * 2 {
                break;
            }
            budget -= between;
            let gap = stretch / (between as i32 + 1);
            let at: Vec<_> = (1..=between as i32)
                .map(|k| round_down_to_second(found - gap * k))
                .collect();
            let hits = probe_all(&self.client, &self.params, &at).await?;
            for (t, hit) in at.into_iter().zip(hits) {
                if hit {
                    found = t;
                } else {
                    oldest = t;
                    break;
                }
            }
        }
        self.cut(oldest, top)
    }

    /// Cuts the top range's remaining span, `[oldest, top]`, into equal ranges, as far as whole
    /// seconds allow: the top range keeps the part above the highest cut, a new range takes
    /// each part below, the bottom one down to the top range's old lower bound.
    fn cut(&mut self, oldest: DateTime<Utc>, top: DateTime<Utc>) -> Result<(), Error> {
        self.oldest = Some(oldest);
        let end = top + GRID;
        let workers = i32::try_from(self.workers).unwrap_or(i32::MAX);
        let step = (end - oldest) / workers;
        let mut cuts: Vec<DateTime<Utc>> = (1..workers)
            .map(|k| round_down_to_second(oldest + step * k))
            .filter(|&at| at > oldest && at <= top)
            .collect();
        cuts.dedup();
        let Some(&highest) = cuts.last() else {
            return Ok(());
        };
        let bottom = self.ranges[0].strategy.split_at(highest);
        for k in (0..cuts.len()).rev() {
            let since = match k.checked_sub(1) {
                None => bottom.clone(),
                Some(below) => Some(Checkpoint::at(cuts[below])),
            };
            self.add_range(Cursor::before(cuts[k]).with_since(since))?;
        }
        Ok(())
    }

    fn add_range(&mut self, cursor: Cursor) -> Result<(), Error> {
        let cursor_top = cursor.last_created().or(cursor.upper());
        let strategy = CursorStrategy::new(self.params.clone(), self.page_size, cursor)?;
        self.ranges.push(Range {
            origin: cursor_top,
            strategy,
            busy: false,
            done: false,
            delivered: 0,
            recent: None,
        });
        Ok(())
    }

    /// Starts a request for ranges that are not through and have none on the way, as many as
    /// the concurrency allows.
    fn launch(&mut self) {
        for (index, range) in self.ranges.iter_mut().enumerate() {
            if !self.concurrency.room(self.in_flight.len()) {
                break;
            }
            if !range.done && !range.busy {
                range.busy = true;
                let fetch = range.strategy.fetch(&self.client);
                let seq = self.concurrency.launch();
                self.in_flight
                    .push(Box::pin(async move { (index, seq, fetch.await) }));
            }
        }
    }

    /// Fewer ranges are at work than asked for: cut the one with the most work left in two, so
    /// every worker has one.
    ///
    /// The work left in a range is its remaining span times its density (contacts per second of
    /// its last page, or the whole listing's before it delivered any). A range with
    /// less than two pages' worth left is not cut: each cut costs a request of its own, and
    /// cutting small ranges ends a listing with a string of one-page ranges.
    fn split_largest(&mut self) {
        let active = self.ranges.iter().filter(|r| !r.done).count();
        if active >= self.workers {
            return;
        }
        let oldest = self.oldest;
        let (delivered, covered) = self
            .ranges
            .iter()
            .fold((0, 0.0), |(d, c), r| (d + r.delivered, c + r.covered()));
        let overall = (delivered > 0 && covered > 0.0).then(|| delivered as f64 / covered);
        let enough = 2.0 * f64::from(self.page_size);
        let largest = self
            .ranges
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.done)
            .filter_map(|(i, r)| {
                let (lower, span) = r.span(oldest)?;
                // The cut, on a whole second, must leave both halves a second at least.
                if span <= GRID * 2 {
                    return None;
                }
                let own = r.recent.or_else(|| {
                    (r.delivered > 0 && r.covered() > 0.0).then(|| r.delivered as f64 / r.covered())
                });
                // Before anything was delivered, the span is all there is to go by.
                let work = match own.or(overall) {
                    Some(density) => density * seconds(span),
                    None => return Some((i, lower, span, seconds(span))),
                };
                (work >= enough).then_some((i, lower, span, work))
            })
            .max_by(|a, b| a.3.total_cmp(&b.3));
        let Some((index, lower, span, _)) = largest else {
            return;
        };
        let middle = round_down_to_second(lower + span / 2);
        let below = self.ranges[index].strategy.split_at(middle);
        // The new range takes over below the cut, down to the old range's lower bound.
        let _ = self.add_range(Cursor::before(middle).with_since(below));
    }
}

/// Whether a contact was created before each instant, asked all at once, in order.
async fn probe_all<O: CursorOperation>(
    client: &Client,
    params: &O,
    at: &[DateTime<Utc>],
) -> Result<Vec<bool>, Error> {
    let probes = at
        .iter()
        .map(|&t| async move { Ok::<_, Error>(probe(client, params, t).await?.is_some()) });
    futures::future::try_join_all(probes).await
}

/// The newest contact created before `before`, asked with `limit=1`.
async fn probe<O: CursorOperation>(
    client: &Client,
    params: &O,
    before: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, Error> {
    let strategy = CursorStrategy::new(params.clone(), 1, Cursor::before(before))?;
    let fetched = strategy.fetch(client).await?;
    Ok(CursorStrategy::<O>::newest_of(&fetched))
}
