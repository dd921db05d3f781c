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
//! The API offers no "oldest", so the time span is found with one-contact probes: the newest
//! contact, then probes ever further back (1 s, 2 s, 4 s, ... before it, concurrently) until one
//! finds nothing older. The span is cut into equal ranges; whenever a range is through, the range
//! with the most time left is cut in two, so data crowded into a short burst still keeps every
//! worker busy. The estimate of the oldest only balances the work: the bottom range has no lower
//! bound, so nothing older than the estimate can be missed.
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
use serde::{Deserialize, Serialize};

use super::checkpoint::Checkpoint;
use super::cursor::{Cursor, CursorStrategy, Fetched, round_down_to_second};
use super::operation::{CursorOperation, Dated};
use super::{Options, Page, Resume, Strategy};
use crate::{Client, Error};

/// Cut points fall on whole seconds (see the module's docs).
const GRID: TimeDelta = TimeDelta::seconds(1);
/// How far back the probes for the oldest contact reach: 2^40 s, some 35,000 years.
const PROBES: u32 = 40;
/// The first round of probes takes every this many exponents.
const COARSE_STEP: usize = 5;
/// How many probes the first round sends.
const COARSE: u32 = PROBES / COARSE_STEP as u32 + 1;

/// A page request of the range at that index, with the number of requests launched before it.
type RangeFetch<O> = BoxFuture<
    'static,
    (
        usize,
        u64,
        Result<Fetched<<O as super::operation::Operation>::Item>, Error>,
    ),
>;

/// Where a parallel listing stands: the ranges not yet through, each its own cursor.
///
/// Serializable like [`Cursor`]; resume with
/// [`CursorListing::resume_parallel`](super::CursorListing::resume_parallel).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParallelCursor {
    ranges: Vec<Cursor>,
    /// The estimate of the oldest contact, which balances later splits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    oldest: Option<DateTime<Utc>>,
}

impl ParallelCursor {
    /// How many ranges are left to page.
    pub fn ranges(&self) -> usize {
        self.ranges.len()
    }
}

impl From<ParallelCursor> for Resume {
    fn from(c: ParallelCursor) -> Self {
        Resume::Parallel(c)
    }
}

/// How many requests a parallel listing keeps in flight: halved by a 429, grown by one per
/// round of answers without one.
struct Concurrency {
    limit: f64,
    most: f64,
    /// The client's 429 count when last looked at.
    throttles: u64,
    /// Requests launched so far, and how many had been when the limit was last cut: a 429 to a
    /// request launched before the cut was already answered by it.
    launched: u64,
    cut_at: u64,
}

impl Concurrency {
    fn new(most: usize) -> Self {
        let most = most as f64;
        Concurrency {
            limit: most,
            most,
            throttles: 0,
            launched: 0,
            cut_at: 0,
        }
    }

    fn room(&self, in_flight: usize) -> bool {
        (in_flight as f64) < self.limit.floor()
    }

    /// A request launched as number `seq` was answered; `throttles` is the client's 429 count.
    fn answered(&mut self, seq: u64, throttles: u64) {
        if throttles > self.throttles {
            self.throttles = throttles;
            if seq >= self.cut_at {
                self.limit = (self.limit / 2.0).max(1.0);
                self.cut_at = self.launched;
            }
        } else {
            self.limit = (self.limit + 1.0 / self.limit).min(self.most);
        }
    }
}

struct Range<O: CursorOperation> {
    strategy: CursorStrategy<O>,
    busy: bool,
    done: bool,
    /// Where the range began (its upper bound, or its first contact's `created`) and how many
    /// contacts it has delivered since: its density, which says how much work is left in it.
    origin: Option<DateTime<Utc>>,
    delivered: usize,
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
                let begun = match self.resumed.take() {
                    Some(at) => self.resume(at),
                    None => self.discover().await,
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
            let throttles = self.client.budget().throttles();
            self.concurrency.answered(seq, throttles);
            let range = &mut self.ranges[index];
            range.busy = false;
            let from = range.strategy.position();
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
            if let Some(cut) = super::cap_page(&mut items, &mut invalid, room) {
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
            if done {
                range.done = true;
                if !self.finished {
                    self.split_largest();
                }
            }
            self.queued
                .extend(invalid.into_iter().map(|odd| Err(odd.error)));
            let range = &mut self.ranges[index];
            range.delivered += items.len();
            if range.origin.is_none() {
                range.origin = items.first().map(Dated::created);
            }
            self.delivered += items.len();
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
        })
    }

    /// Takes up the ranges a [`ParallelCursor`] saved.
    fn resume(&mut self, at: ParallelCursor) -> Result<(), Error> {
        self.oldest = at.oldest;
        for cursor in at.ranges {
            self.add_range(cursor)?;
        }
        Ok(())
    }

    /// Finds the span of the data and cuts it into the first ranges.
    async fn discover(&mut self) -> Result<(), Error> {
        let upper = self.start.upper();
        let (client, params) = (&self.client, &self.params);
        let Some(newest) = probe(client, params, upper).await? else {
            return Ok(()); // no contact at all: no range
        };
        // A sync run's checkpoint is the floor: nothing below it is wanted.
        let since = self.start.since();
        if let (Some(floor), Some(checkpoint)) = (
            since.as_ref().and_then(Checkpoint::floor),
            since.as_ref().and_then(Checkpoint::newest),
        ) {
            if newest < floor {
                return Ok(()); // nothing since the checkpoint
            }
            // Cut only above the checkpoint's newest instant: the bottom range lists down to the
            // floor (the lookback) with the checkpoint's ids, which drop what earlier runs
            // delivered there; a range cut from it below that instant would not have them.
            return self.cut(checkpoint.min(newest), newest);
        }
        // Probes 2^i s before the newest: the oldest lies between the furthest that still finds
        // a contact and the next. Two rounds of requests instead of one per few exponents:
        // every fifth exponent first, then the four between the furthest hit and its miss.
        let furthest_of = |exponents: Vec<u32>| async move {
            let probes = exponents.into_iter().map(|i| {
                let at = newest - TimeDelta::seconds(1i64 << i);
                async move { (i, probe(client, params, Some(at)).await) }
            });
            let mut answers = stream::iter(probes).buffer_unordered(COARSE as usize + 1);
            let mut furthest = None;
            while let Some((i, answer)) = answers.next().await {
                if answer?.is_some() {
                    furthest = furthest.max(Some(i));
                }
            }
            Ok::<_, Error>(furthest)
        };
        let coarse = furthest_of((0..=PROBES).step_by(COARSE_STEP).collect()).await?;
        let furthest = match coarse {
            Some(i) => {
                let between = (i + 1..i + COARSE_STEP as u32).filter(|&e| e <= PROBES);
                furthest_of(between.collect()).await?.max(Some(i))
            }
            None => None,
        };
        let oldest = match furthest {
            Some(i) => newest - TimeDelta::seconds(1i64 << (i + 1).min(PROBES)),
            None => newest - TimeDelta::seconds(1),
        };
        self.cut(oldest, newest)
    }

    /// The first ranges: `[oldest, newest]` in equal parts, as far as whole seconds allow.
    fn cut(&mut self, oldest: DateTime<Utc>, newest: DateTime<Utc>) -> Result<(), Error> {
        self.oldest = Some(oldest);
        let top = newest + TimeDelta::seconds(1);
        let workers = i32::try_from(self.workers).unwrap_or(i32::MAX);
        let step = (top - oldest) / workers;
        let mut cuts: Vec<DateTime<Utc>> = (1..workers)
            .map(|k| round_down_to_second(oldest + step * k))
            .filter(|&at| at > oldest)
            .collect();
        cuts.dedup();
        // Between consecutive cuts, newest first; the top range starts where the listing was
        // asked to, the bottom one has no lower bound.
        for k in (0..=cuts.len()).rev() {
            let cursor = match cuts.get(k) {
                None => self.start.clone(),
                Some(&upper) => Cursor::before(upper),
            };
            let since = match k.checked_sub(1) {
                None => self.start.since(),
                Some(below) => Some(Checkpoint::at(cuts[below])),
            };
            self.add_range(cursor.with_since(since))?;
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
                let seq = self.concurrency.launched;
                self.concurrency.launched += 1;
                self.in_flight
                    .push(Box::pin(async move { (index, seq, fetch.await) }));
            }
        }
    }

    /// A range is through: cut the one with the most work left in two, so every worker has one.
    ///
    /// The work left in a range is its remaining span times its density (contacts delivered per
    /// second of its time so far, or the whole listing's before it delivered any). A range with
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
                let own = (r.delivered > 0 && r.covered() > 0.0)
                    .then(|| r.delivered as f64 / r.covered());
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

#[cfg(test)]
mod tests {
    use super::Concurrency;

    /// Launches `n` requests, as `Parallel::launch` numbers them.
    fn launch(c: &mut Concurrency, n: u64) -> std::ops::Range<u64> {
        let first = c.launched;
        c.launched += n;
        first..c.launched
    }

    #[test]
    fn a_429_halves_the_requests_in_flight_once_per_round() {
        let mut c = Concurrency::new(8);
        let round = launch(&mut c, 8);
        // Three of the round were answered 429: the first answer after them cuts.
        for (i, seq) in round.enumerate() {
            c.answered(seq, if i < 3 { (i + 1) as u64 } else { 3 });
        }
        // One cut for the round's three 429s (those after the first were sent before the cut),
        // then answers without a 429 grow it by 1/limit each.
        assert!(c.limit > 4.0 && c.limit < 6.0, "{}", c.limit);
        assert!(c.room(3) && !c.room(5));
    }

    #[test]
    fn answers_without_429_grow_it_by_one_per_round_up_to_the_ranges_asked_for() {
        let mut c = Concurrency::new(8);
        let seq = launch(&mut c, 1).start;
        c.answered(seq, 1);
        assert_eq!(c.limit, 4.0);
        for seq in launch(&mut c, 4) {
            c.answered(seq, 1);
        }
        assert!((c.limit - 5.0).abs() < 0.2, "{}", c.limit);
        for seq in launch(&mut c, 100) {
            c.answered(seq, 1);
        }
        assert_eq!(c.limit, 8.0);
    }

    #[test]
    fn it_never_drops_below_one() {
        let mut c = Concurrency::new(2);
        for throttles in 1..10 {
            let seq = launch(&mut c, 1).start;
            c.answered(seq, throttles);
        }
        assert_eq!(c.limit, 1.0);
        assert!(c.room(0) && !c.room(1));
    }
}
