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
use std::collections::HashSet;
use std::num::NonZeroU32;

use chrono::{DateTime, Utc};
use futures::FutureExt;
use futures::future::BoxFuture;

use super::checkpoint::Checkpoint;
use super::cursor::Cursor;
use super::engine::{Odd, Step, Strategy};
use super::entry::{self, Entry};
use super::operation::{CursorOperation, Dated, Item, created_of};
use crate::transport::Lenient;
use crate::{Client, Error};

/// One answer of the list operation, with what was asked.
pub(super) struct Fetched<T> {
    limit: u32,
    token: Option<DateTime<Utc>>,
    probe: bool,
    /// The items, or the server's refusal of the request (400 or 422), which may be about `limit`.
    answer: Result<Vec<Entry<T>>, Error>,
}

/// What an answer showed, before its items are sorted into new and repeated.
struct Seen {
    returned: usize,
    /// The most items any answer held before this one.
    largest_before: usize,
    created_all: Vec<DateTime<Utc>>,
    single_instant: bool,
    /// The server did not repeat the page boundary: the answer is not used.
    boundary_skipped: bool,
}

/// The new items of an answer, and where the cursor stands after them.
struct Fresh<T> {
    items: Vec<T>,
    invalid: Vec<Odd>,
    any_placed: bool,
    next_cursor: Cursor,
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

    /// The entries of an answer; `None` when the server refused a `limit` above one it had
    /// answered (it has an undocumented maximum between the two: the next request asks below).
    fn answered(
        &mut self,
        answer: Result<Vec<Entry<O::Item>>, Error>,
        limit: u32,
        probe: bool,
    ) -> Result<Option<Vec<Entry<O::Item>>>, Error> {
        match answer {
            Ok(entries) => Ok(Some(entries)),
            Err(_) if !probe && self.accepted > 0 && limit > self.accepted => {
                self.refused = Some(self.refused.map_or(limit, |r| r.min(limit)));
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    /// The answer to a one-item probe below the boundary.
    fn after_probe(
        &mut self,
        entries: &[Entry<O::Item>],
        token: Option<DateTime<Utc>>,
    ) -> Result<Step<O::Item>, Error> {
        self.probing = false;
        let was_inclusive = self.inclusive;
        self.check_token(entries, token)?;
        if self.inclusive && !was_inclusive {
            // The probe asked for older than the boundary with the boundary itself as the
            // token, and got the boundary back: the token is inclusive, which no answer had
            // shown yet. Ask again strictly below it; taking this answer for the end would
            // end the listing with the older contacts missing.
            self.probing = true;
            return Ok(Step::default());
        }
        self.probed(entries)
    }

    /// What an answer shows about the server, checked before anything of it is used: its
    /// order, its cursor, whether it repeated the page boundary.
    fn check(
        &mut self,
        entries: &[Entry<O::Item>],
        limit: u32,
        token: Option<DateTime<Utc>>,
    ) -> Result<Seen, Error> {
        self.accepted = self.accepted.max(limit);
        let returned = entries.len();
        let largest_before = self.largest;
        self.largest = self.largest.max(returned);
        Self::check_order(entries)?;
        self.check_token(entries, token)?;
        let created_each: Vec<Option<DateTime<Utc>>> = entries.iter().map(Entry::created).collect();
        let boundary_skipped = self.cursor.boundary_skipped(&created_each, token);
        if boundary_skipped {
            // Perhaps a hole (or the boundary's contacts were deleted meanwhile): nothing of this
            // answer is used, the same place is asked for again with a whole-second token.
            tracing::debug!(
                operation = O::OPERATION.name(),
                "the server did not repeat the page boundary: rounding tokens up to whole seconds"
            );
            self.cursor.whole_second_tokens = true;
        }
        let created_all: Vec<DateTime<Utc>> = created_each.iter().flatten().copied().collect();
        let single_instant = created_all
            .first()
            .is_some_and(|first| created_all.iter().all(|c| c == first));
        Ok(Seen {
            returned,
            largest_before,
            created_all,
            single_instant,
            boundary_skipped,
        })
    }

    /// The entries not delivered before, and the cursor after them. Which are new is decided on
    /// borrowed ids; the others are then dropped in place, so an item is moved once on its way
    /// to the caller (this runs for every page).
    fn fresh(&mut self, entries: Vec<Entry<O::Item>>) -> Fresh<O::Item> {
        let mut keep = Vec::with_capacity(entries.len());
        {
            // The page's order was checked, so an item listed twice sits in one run of equal
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
        Fresh {
            items,
            invalid,
            any_placed,
            next_cursor,
        }
    }

    /// Whether the listing goes on, from what the answer held and what was new in it.
    fn decide(
        &mut self,
        page: Fresh<O::Item>,
        seen: &Seen,
        limit: u32,
    ) -> Result<Step<O::Item>, Error> {
        let Fresh {
            items,
            invalid,
            any_placed,
            next_cursor,
        } = page;
        let returned = seen.returned;
        let short = returned < limit as usize;
        // A sync run ends where the page reaches below its checkpoint: everything newer came first.
        if let Some(since) = &self.cursor.since
            && seen.created_all.iter().any(|c| since.below(*c))
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
            // New items after a short answer: that answer was cut, not the end.
            if let Some(previous) = self.short.take() {
                self.cap = Some(self.cap.map_or(previous, |c| c.min(previous)));
            }
            self.short = short.then_some(returned);
            self.cursor = next_cursor;
            self.want = self
                .page_size
                .saturating_add(saturating_u32(self.cursor.seen_at_boundary()));
            // A short answer all at one instant, as long as any answer so far, may be a cap
            // hiding older items; a one-item probe tells, where a repeat of the page could not.
            self.probing = short && seen.single_instant && returned >= seen.largest_before;
            return Ok(Step {
                items,
                invalid,
                done: false,
                total: None,
            });
        }
        // Nothing new but repeats of the boundary.
        if !short {
            self.grow(limit, returned)?;
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
        if seen.single_instant && returned >= seen.largest_before && self.cursor.has_boundary() {
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
        let Some(entries) = self.answered(fetched.answer, fetched.limit, fetched.probe)? else {
            return Ok(Step::default()); // a refused limit: ask again below it
        };
        if fetched.probe {
            return self.after_probe(&entries, fetched.token);
        }
        let seen = self.check(&entries, fetched.limit, fetched.token)?;
        if seen.boundary_skipped {
            return Ok(Step::default()); // asked again with whole-second tokens
        }
        let page = self.fresh(entries);
        self.decide(page, &seen, fetched.limit)
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
