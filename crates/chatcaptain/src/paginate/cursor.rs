//! Listing by a date-time cursor, without losing items that share a creation time.
//!
//! The spec's description of this cursor is partly guesswork (the public reference documents no
//! ordering, no maximum `limit`, no timestamp precision, and calls the token "created before"
//! without saying whether a tie is included). Every guess the paging depends on is checked
//! against what the server answers, and either adapted to or turned into an error:
//!
//! | guess | when the server differs |
//! | --- | --- |
//! | a short page is the last | never trusted: the listing ends on an answer that brings nothing new (one request more) |
//! | `limit` up to 1000 is honoured | a silent cap is followed; a 400 for a large `limit` teaches the largest one accepted |
//! | the token is exclusive | an inclusive server's repeats are dropped, and the token stops stepping past ties |
//! | timestamps have one precision | the tick past a tie is the finest unit any `created` of the listing showed |
//! | the token is read as precisely as it is sent | a server that reads it coarser does not repeat the boundary; tokens are rounded up to whole seconds from then on |
//! | pages are newest first | a page in another order fails with [`Error::PaginationInconsistent`] |
//! | the cursor is honoured | a contact newer than the token fails with [`Error::PaginationInconsistent`] |
//!
//! [`Error::PaginationStalled`] is left for the one case no cursor can page: more contacts share
//! one creation time than the server returns in one answer.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashSet};
use std::num::NonZeroU32;

use chrono::{DateTime, TimeDelta, Utc};
use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use serde::{Deserialize, Serialize};

use super::checkpoint::Checkpoint;
use super::entry::{self, Entry};
use super::operation::{CursorOperation, Dated, Item, created_of};
use super::parallel::ParallelCursor;
use super::sync::SyncContacts;
use super::{Odd, Options, Page, Resume, Step, Strategy};
use crate::transport::Lenient;
use crate::{Client, Error};

/// Where a contact list stands: a point in time plus the contacts already delivered at it.
///
/// Serializable, so a listing can be resumed by another process.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// Contacts created at or after this instant are not wanted (exclusive bound, from the caller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    before: Option<DateTime<Utc>>,
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
    since: Option<Checkpoint>,
    /// The server read a token finer than a second as a coarser one (it did not repeat the
    /// boundary's contacts): tokens are rounded up to whole seconds from then on.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    whole_second_tokens: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Boundary {
    at: DateTime<Utc>,
    seen: BTreeSet<String>,
}

impl Cursor {
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
    fn token(&self, inclusive: bool) -> Option<DateTime<Utc>> {
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
    fn boundary_skipped(
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
    fn unit(&self) -> TimeDelta {
        match (self.unit_ns, &self.boundary) {
            (Some(ns), _) => TimeDelta::nanoseconds(ns),
            (None, Some(b)) => unit_of(b.at),
            (None, None) => TimeDelta::seconds(1),
        }
    }

    fn learn_unit(&mut self, created: DateTime<Utc>) {
        let ns = unit_of(created).num_nanoseconds().unwrap_or(1);
        self.unit_ns = Some(self.unit_ns.map_or(ns, |u| u.min(ns)));
    }

    /// Whether an item the server returned was already delivered (or is not wanted).
    fn already_delivered(&self, created: DateTime<Utc>, identity: &str) -> bool {
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
    fn after<'a>(
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

    fn seen_at_boundary(&self) -> usize {
        self.boundary.as_ref().map_or(0, |b| b.seen.len())
    }
}

impl From<Cursor> for Resume {
    fn from(c: Cursor) -> Self {
        Resume::Cursor(c)
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

    /// Changes the operation's own parameters: the generated setters of its optional ones.
    #[allow(
        dead_code,
        reason = "unused while no paginated operation has an optional parameter"
    )]
    pub(crate) fn with_params(mut self, change: impl FnOnce(&mut O)) -> Self {
        change(&mut self.params);
        self
    }

    /// Items per request (the spec's default for the size parameter unless set). The API
    /// documents no maximum: a size the server refuses fails with its answer, one it silently
    /// cuts is followed.
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size;
        self
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

    super::listing_methods!(O::Item);

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
        super::pages(self.client, strategy, self.options)
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

/// One answer of the list operation, with what was asked.
pub(super) struct Fetched<T> {
    limit: u32,
    token: Option<DateTime<Utc>>,
    probe: bool,
    /// The items, or the server's refusal of the request (400 or 422), which may be about `limit`.
    answer: Result<Vec<Entry<T>>, Error>,
}

pub(super) struct CursorStrategy<O> {
    params: O,
    page_size: u32,
    cursor: Cursor,
    /// The `limit` the next request wants: the page size plus the contacts it will repeat.
    want: u32,
    /// The largest `limit` the server has answered.
    accepted: u32,
    /// The smallest `limit` the server refused, once a smaller one had been answered.
    refused: Option<u32>,
    /// The most items any answer held.
    largest: usize,
    /// The previous answer was shorter than its limit yet brought new contacts: its length.
    short: Option<usize>,
    /// Proven: the server answers at most this many, whatever the `limit`.
    cap: Option<usize>,
    /// The server includes contacts created at the token's instant.
    inclusive: bool,
    /// The next request only asks whether anything is older than the boundary.
    probing: bool,
    /// Items whose creation time cannot be read, already reported, so a re-read page does not
    /// report them twice.
    unplaced: HashSet<String>,
}

impl<O: CursorOperation> CursorStrategy<O> {
    pub(super) fn new(params: O, page_size: u32, cursor: Cursor) -> Result<Self, Error> {
        params.validate()?;
        if page_size == 0 {
            return Err(Error::InvalidArgument("the page size is 0".into()));
        }
        let want = page_size.saturating_add(saturating_u32(cursor.seen_at_boundary()));
        Ok(CursorStrategy {
            params,
            page_size,
            cursor,
            want,
            accepted: 0,
            refused: None,
            largest: 0,
            short: None,
            cap: None,
            inclusive: false,
            probing: false,
            unplaced: HashSet::new(),
        })
    }

    /// The limit to send: what is wanted, below the smallest limit the server refused (halfway
    /// between the largest it answered and that one, so a few requests find its maximum).
    fn limit_for(&self, want: u32) -> u32 {
        match self.refused {
            Some(refused) if want >= refused => {
                self.accepted + (refused - self.accepted.min(refused)) / 2
            }
            _ => want,
        }
    }

    /// The span this listing still has to cover: from where it stands down to its lower bound
    /// (`None`: no lower bound, the oldest contact).
    pub(super) fn remaining(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let top = self.cursor.last_created().or(self.cursor.before);
        // A sync run's lookback below its checkpoint's newest instant is not part of the span:
        // only the range holding the checkpoint's ids may list there (see `parallel`).
        let lower = self.cursor.since.as_ref().and_then(Checkpoint::newest);
        (top, lower)
    }

    /// Puts the listing back at `cursor` (a page cut short by `max_items`, for the resume
    /// point of a listing that ends there).
    pub(super) fn reset(&mut self, cursor: Cursor) {
        self.cursor = cursor;
    }

    /// Stops this listing at `lower` (contacts created at `lower` included), and says what
    /// lower bound it had, for the listing that takes over below.
    pub(super) fn split_at(&mut self, lower: DateTime<Utc>) -> Option<Checkpoint> {
        self.cursor.since.replace(Checkpoint::at(lower))
    }

    /// The newest contact of the first answer, for a parallel listing's range discovery.
    pub(super) fn newest_of(fetched: &Fetched<O::Item>) -> Option<DateTime<Utc>> {
        fetched
            .answer
            .as_ref()
            .ok()
            .and_then(|entries| entries.iter().find_map(Entry::created))
    }

    /// A page held nothing but contacts already delivered at the boundary: ask for more at once.
    fn grow(&mut self, sent: u32, returned: usize) -> Result<(), Error> {
        let next = self
            .want
            .saturating_mul(2)
            .max(self.want.saturating_add(self.page_size));
        if self.limit_for(next) <= sent {
            return Err(self.stalled(format!(
                "the server answers at most {sent} items per request (it refused a larger \
                 limit), and {returned} items already delivered filled the whole answer"
            )));
        }
        self.want = next;
        Ok(())
    }

    fn stalled(&self, why: String) -> Error {
        let at = self
            .cursor
            .last_created()
            .map_or("none".into(), |t| t.to_rfc3339());
        Error::PaginationStalled(format!(
            "{why}: more items share the creation time {at} ({} already delivered) than one \
             answer holds, and a cursor on `created` cannot page within one instant",
            self.cursor.seen_at_boundary()
        ))
    }

    /// The creation times of a page must not rise: the cursor moves to the oldest one, so a page
    /// in another order would leave a gap behind it.
    fn check_order(entries: &[Entry<O::Item>]) -> Result<(), Error> {
        let mut previous: Option<(DateTime<Utc>, Option<&str>)> = None;
        for entry in entries {
            let Some(created) = entry.created() else {
                continue;
            };
            if let Some((before, before_id)) = previous
                && created > before
            {
                return Err(Error::PaginationInconsistent(format!(
                    "the server listed item {:?} (created {}) after item {:?} (created \
                     {}): its pages are not newest first, as the spec assumes, and a cursor \
                     on `created` over another order would skip items",
                    entry.id().unwrap_or("?"),
                    created.to_rfc3339(),
                    before_id.unwrap_or("?"),
                    before.to_rfc3339()
                )));
            }
            previous = Some((created, entry.id()));
        }
        Ok(())
    }

    /// Nothing may be newer than the token; something exactly at it means an inclusive server.
    fn check_token(
        &mut self,
        entries: &[Entry<O::Item>],
        token: Option<DateTime<Utc>>,
    ) -> Result<(), Error> {
        let Some(token) = token else {
            return Ok(());
        };
        for entry in entries {
            match entry.created() {
                Some(created) if created > token => {
                    return Err(Error::PaginationInconsistent(format!(
                        "asked for items created before {}, the server returned {:?} created \
                         {}: it does not honour the cursor, so paging on could loop or repeat",
                        token.to_rfc3339(),
                        entry.id().unwrap_or("?"),
                        created.to_rfc3339()
                    )));
                }
                Some(created) if created == token => self.inclusive = true,
                _ => {}
            }
        }
        Ok(())
    }

    fn probed(&self, entries: &[Entry<O::Item>]) -> Result<Step<O::Item>, Error> {
        let at = self.cursor.last_created();
        if let Some(older) = entries
            .iter()
            .find(|e| e.created().zip(at).is_some_and(|(c, at)| c < at))
        {
            let cap = self.largest;
            return Err(self.stalled(format!(
                "the server answered {cap} items, all created at one instant, when asked for \
                 more, yet holds older ones ({:?}): it returns at most {cap} per request",
                older.id().unwrap_or("?")
            )));
        }
        Ok(Step {
            done: true,
            ..Step::default()
        })
    }
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Whether the server refused the request itself, which may be about a `limit` above its maximum.
fn refused(error: &Error) -> bool {
    matches!(error.status().map(|s| s.as_u16()), Some(400 | 422))
}

impl<O: CursorOperation> Strategy for CursorStrategy<O> {
    type Item = O::Item;
    type Raw = Fetched<O::Item>;
    type Position = Cursor;

    fn fetch(&self, client: &Client) -> BoxFuture<'static, Result<Self::Raw, Error>> {
        let (limit, token, probe) = if self.probing {
            // Strictly older than the boundary, for an exclusive token and an inclusive one.
            let at = self.cursor.last_created();
            let token = if self.inclusive {
                at.map(|at| at - self.cursor.unit())
            } else {
                at
            };
            (1, token, true)
        } else {
            (
                self.limit_for(self.want),
                self.cursor.token(self.inclusive),
                false,
            )
        };
        let (client, params) = (client.clone(), self.params.clone());
        async move {
            let limit_nz = NonZeroU32::new(limit).expect("limits are at least 1");
            let answer = client
                .execute_lenient(O::OPERATION, |api| params.send(api, token, limit_nz))
                .await
                .map_err(|e| e.in_chatbot_of(params.chatbot_id()));
            let answer = match answer {
                Ok(Lenient::Typed(page)) => Ok(O::items(page)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|item| Entry::Good(item).dated())
                    .collect()),
                Ok(Lenient::Raw(body)) => {
                    let created = Some(<O::Item as Dated>::CREATED_FIELD);
                    Ok(entry::raw_page::<O>(&body, created)?
                        .map(|(_, entries)| entries.into_iter().map(Entry::dated).collect())
                        .unwrap_or_default())
                }
                Err(e) if refused(&e) => Err(e),
                Err(e) => return Err(e),
            };
            Ok(Fetched {
                limit,
                token,
                probe,
                answer,
            })
        }
        .boxed()
    }

    fn advance(&mut self, fetched: Self::Raw) -> Result<Step<O::Item>, Error> {
        let entries = match fetched.answer {
            Ok(entries) => entries,
            // A 400 for a limit above one the server answered: it has an undocumented maximum
            // between the two; ask again below the refused one.
            Err(_) if !fetched.probe && self.accepted > 0 && fetched.limit > self.accepted => {
                self.refused = Some(self.refused.map_or(fetched.limit, |r| r.min(fetched.limit)));
                return Ok(Step::default());
            }
            Err(e) => return Err(e),
        };
        if fetched.probe {
            self.probing = false;
            let was_inclusive = self.inclusive;
            self.check_token(&entries, fetched.token)?;
            if self.inclusive && !was_inclusive {
                // The probe asked for older than the boundary with the boundary itself as the
                // token, and got the boundary back: the token is inclusive, which no answer had
                // shown yet. Ask again strictly below it; taking this answer for the end would
                // end the listing with the older contacts missing.
                self.probing = true;
                return Ok(Step::default());
            }
            return self.probed(&entries);
        }
        self.accepted = self.accepted.max(fetched.limit);
        let returned = entries.len();
        let largest_before = self.largest;
        self.largest = self.largest.max(returned);
        Self::check_order(&entries)?;
        self.check_token(&entries, fetched.token)?;
        let created_each: Vec<Option<DateTime<Utc>>> = entries.iter().map(Entry::created).collect();
        if self.cursor.boundary_skipped(&created_each, fetched.token) {
            // Perhaps a hole (or the boundary's contacts were deleted meanwhile): nothing of this
            // answer is used, the same place is asked for again with a whole-second token.
            tracing::debug!(
                operation = O::OPERATION.name(),
                "the server did not repeat the page boundary: rounding tokens up to whole seconds"
            );
            self.cursor.whole_second_tokens = true;
            return Ok(Step::default());
        }

        let created_all: Vec<DateTime<Utc>> = created_each.iter().flatten().copied().collect();
        let mut instants = created_all.iter().copied();
        let first = instants.next();
        let single_instant = first.is_some() && instants.all(|c| Some(c) == first);
        // Which entries are new, decided on borrowed ids; then the others are dropped in place,
        // so a contact is moved once on its way to the caller (this runs for every page).
        let mut keep = Vec::with_capacity(entries.len());
        {
            // The page's order was checked, so a contact listed twice sits in one run of equal
            // `created`: only ids within the current run are compared (runs are ties, small).
            let mut run_at = None;
            let mut run: Vec<Cow<'_, str>> = Vec::new();
            for entry in &entries {
                let identity = entry.identity();
                let created = entry.created();
                if created != run_at {
                    run.clear();
                    run_at = created;
                }
                let new = match created {
                    Some(created) => {
                        let twice = run.contains(&identity);
                        self.cursor.learn_unit(created);
                        let new = !twice && !self.cursor.already_delivered(created, &identity);
                        run.push(identity);
                        new
                    }
                    None => self.unplaced.insert(identity.into_owned()),
                };
                keep.push(new);
            }
        }
        let mut flags = keep.into_iter();
        let mut fresh = entries;
        fresh.retain(|_| flags.next().unwrap_or(false));
        let placed = fresh
            .iter()
            .filter_map(|e| Some((e.created()?, e.id().unwrap_or_default())));
        let any_placed = placed.clone().next().is_some();
        let next_cursor = self.cursor.after(placed);
        let (items, invalid) = entry::split(fresh);
        let short = returned < fetched.limit as usize;
        // A sync run ends where the page reaches below its checkpoint: everything newer came first.
        if let Some(since) = &self.cursor.since
            && created_all.iter().any(|c| since.below(*c))
        {
            self.cursor = next_cursor;
            return Ok(Step {
                items,
                invalid,
                done: true,
                total: None,
            });
        }

        if returned == 0 {
            return Ok(Step {
                done: true,
                ..Step::default()
            });
        }
        if any_placed {
            // New contacts after a short answer: that answer was cut, not the end.
            if let Some(previous) = self.short.take() {
                self.cap = Some(self.cap.map_or(previous, |c| c.min(previous)));
            }
            self.short = short.then_some(returned);
            self.cursor = next_cursor;
            self.want = self
                .page_size
                .saturating_add(saturating_u32(self.cursor.seen_at_boundary()));
            // A short answer all at one instant, as long as any answer so far, may be a cap
            // hiding older contacts; a one-item probe tells, where a repeat of the page could not.
            self.probing = short && single_instant && returned >= largest_before;
            return Ok(Step {
                items,
                invalid,
                done: false,
                total: None,
            });
        }
        // Nothing new but repeats of the boundary.
        if !short {
            self.grow(fetched.limit, returned)?;
            return Ok(Step {
                items,
                invalid,
                ..Step::default()
            });
        }
        if self.cap.is_some_and(|cap| returned >= cap) {
            return Err(self.stalled(format!(
                "the server returns at most {returned} items per request"
            )));
        }
        if single_instant && returned >= largest_before && self.cursor.boundary.is_some() {
            self.probing = true;
            return Ok(Step {
                items,
                invalid,
                ..Step::default()
            });
        }
        Ok(Step {
            items,
            invalid,
            done: true,
            total: None,
        })
    }

    fn position(&self) -> Cursor {
        self.cursor.clone()
    }

    fn position_within(&self, from: &Cursor, delivered: &[O::Item], odd: &[Odd]) -> Cursor {
        // The odd items yielded count as delivered, as `advance` counts them.
        let odd = odd
            .iter()
            .filter_map(|o| Some((o.created?, o.id.as_deref().unwrap_or_default())));
        from.after(
            delivered
                .iter()
                .map(|item| (created_of(item), item.id()))
                .chain(odd),
        )
    }
}
