//! Listing contacts by the API's date-time cursor, without losing contacts that share a timestamp.

use std::collections::BTreeSet;
use std::num::NonZeroU32;

use chrono::{DateTime, TimeDelta, Utc};
use futures::FutureExt;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::{Options, Page, Resume, Step, Strategy};
use crate::retry::Operation;
use crate::{Client, Contact, Error};

/// The API's largest `limit` (assumed in the spec; the reference documents none).
const MAX_LIMIT: u32 = 1000;
const DEFAULT_PAGE_SIZE: u32 = 100;

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
            boundary: None,
        }
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
    // stays bounded) drop the ones already delivered. The tick is the finest unit the boundary
    // shows (1 s, 1 ms, 1 µs or 1 ns): a server that truncates tokens to its own precision
    // still lands past the boundary, and anything newer than the boundary that a coarse tick
    // lets in was delivered earlier and is dropped by time. The price is re-reading the
    // boundary's contacts once per page, asked for on top of the page size; when they fill a
    // whole page anyway the limit grows (up to the API's 1000), and beyond that the listing fails with `PaginationStalled` rather than
    // lose contacts or loop.
    fn token(&self) -> Option<DateTime<Utc>> {
        match &self.boundary {
            Some(b) => Some(b.at + tick(b.at)),
            None => self.before,
        }
    }

    /// Whether a contact returned by the server was already delivered (or is not wanted).
    fn already_delivered(&self, c: &Contact) -> bool {
        match (&self.boundary, self.before) {
            (Some(b), _) => c.created > b.at || (c.created == b.at && b.seen.contains(&c.id)),
            (None, Some(before)) => c.created >= before,
            (None, None) => false,
        }
    }

    /// The cursor after `delivered`, fresh contacts in the server's order, newest first.
    fn after(&self, delivered: &[Contact]) -> Cursor {
        let Some(at) = delivered.iter().map(|c| c.created).min() else {
            return self.clone();
        };
        let mut seen = match &self.boundary {
            Some(b) if b.at == at => b.seen.clone(),
            _ => BTreeSet::new(),
        };
        seen.extend(
            delivered
                .iter()
                .filter(|c| c.created == at)
                .map(|c| c.id.clone()),
        );
        Cursor {
            before: self.before,
            boundary: Some(Boundary { at, seen }),
        }
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

/// The finest unit a timestamp shows, so that `at + tick(at)` survives truncation to it.
fn tick(at: DateTime<Utc>) -> TimeDelta {
    match at.timestamp_subsec_nanos() {
        0 => TimeDelta::seconds(1),
        n if n % 1_000_000 == 0 => TimeDelta::milliseconds(1),
        n if n % 1_000 == 0 => TimeDelta::microseconds(1),
        _ => TimeDelta::nanoseconds(1),
    }
}

/// Lists the contacts of a chatbot, newest first: build it, then take `.items()`, `.pages()` or
/// `.collect_all()`.
#[derive(Clone, Debug)]
#[must_use = "a listing does nothing until its items or pages are consumed"]
pub struct ListContacts {
    client: Client,
    chatbot_id: String,
    page_size: u32,
    start: Cursor,
    options: Options,
}

impl ListContacts {
    pub(crate) fn new(client: Client, chatbot_id: String) -> Self {
        ListContacts {
            client,
            chatbot_id,
            page_size: DEFAULT_PAGE_SIZE,
            start: Cursor::newest(),
            options: Options::default(),
        }
    }

    /// Contacts per request, 1 to 1000 (default 100).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size;
        self
    }

    /// Starts with the contacts created strictly before `instant`.
    pub fn starting_before(mut self, instant: DateTime<Utc>) -> Self {
        self.start = Cursor::before(instant);
        self
    }

    /// Resumes where a [`Page`] said the listing goes on.
    pub fn resume(mut self, cursor: Cursor) -> Self {
        self.start = cursor;
        self
    }

    super::listing_methods!("contacts");

    fn page_stream(self) -> futures::stream::BoxStream<'static, Result<Page<Contact>, Error>> {
        let strategy = CursorStrategy::new(self.chatbot_id, self.page_size, self.start);
        super::pages(self.client, strategy, self.options)
    }
}

struct CursorStrategy {
    chatbot_id: String,
    page_size: u32,
    limit: u32,
    cursor: Cursor,
}

impl CursorStrategy {
    fn new(chatbot_id: String, page_size: u32, cursor: Cursor) -> Result<Self, Error> {
        crate::contacts::path_segment("chatbot id", &chatbot_id)?;
        if !(1..=MAX_LIMIT).contains(&page_size) {
            return Err(Error::InvalidArgument(format!(
                "page size {page_size} is outside 1..={MAX_LIMIT}"
            )));
        }
        let mut strategy = CursorStrategy {
            chatbot_id,
            page_size,
            limit: page_size,
            cursor,
        };
        strategy.limit = strategy.limit_past_boundary();
        Ok(strategy)
    }

    /// A limit that reaches `page_size` past the contacts the next request will repeat, so a
    /// short answer still means the end and every page brings `page_size` new contacts.
    fn limit_past_boundary(&self) -> u32 {
        let repeated = u32::try_from(self.cursor.seen_at_boundary()).unwrap_or(u32::MAX);
        self.page_size.saturating_add(repeated).min(MAX_LIMIT)
    }

    fn stalled(&self, returned: usize) -> Error {
        let token = self
            .cursor
            .token()
            .map_or("none".into(), |t| t.to_rfc3339());
        let at = self
            .cursor
            .last_created()
            .map_or("none".into(), |t| t.to_rfc3339());
        Error::PaginationStalled(format!(
            "pageToken {token} with limit {} returned {returned} contacts, none of them new \
             (boundary {at}, {} contacts already delivered there): either more than {MAX_LIMIT} \
             contacts share one creation time, or the server does not honour the cursor",
            self.limit,
            self.cursor.seen_at_boundary()
        ))
    }
}

impl Strategy for CursorStrategy {
    type Raw = (u32, Vec<Contact>);
    type Position = Cursor;

    fn fetch(&self, client: &Client) -> BoxFuture<'static, Result<Self::Raw, Error>> {
        let (client, bot, limit, token) = (
            client.clone(),
            self.chatbot_id.clone(),
            self.limit,
            self.cursor.token(),
        );
        async move {
            let limit_nz = NonZeroU32::new(limit).expect("limit is validated to be at least 1");
            let response = client
                .execute(Operation::idempotent("list_contacts"), |api| {
                    let request = api.list_contacts().chatbot_id(bot.as_str()).limit(limit_nz);
                    match token {
                        Some(token) => request.page_token(token).send().boxed(),
                        None => request.send().boxed(),
                    }
                })
                .await?;
            Ok((limit, response.contacts))
        }
        .boxed()
    }

    fn advance(&mut self, (limit, contacts): Self::Raw) -> Result<Step, Error> {
        let returned = contacts.len();
        let token = self.cursor.token();
        if let Some(bad) = contacts
            .iter()
            .find(|c| token.is_some_and(|t| c.created >= t))
        {
            return Err(Error::PaginationStalled(format!(
                "asked for contacts created before {}, the server returned {} created {}: \
                 it does not honour the cursor, so paging on could loop or repeat",
                token.expect("checked above").to_rfc3339(),
                bad.id,
                bad.created.to_rfc3339()
            )));
        }
        let full = returned >= limit as usize;
        let window = self
            .cursor
            .boundary
            .as_ref()
            .map(|b| (b.at, b.at + tick(b.at)));
        let all_repeats = window
            .is_some_and(|(from, to)| contacts.iter().all(|c| c.created >= from && c.created < to));
        let fresh: Vec<Contact> = contacts
            .into_iter()
            .filter(|c| !self.cursor.already_delivered(c))
            .collect();
        if full && fresh.is_empty() {
            // The page held only contacts at the boundary: a longer page reaches past them.
            if all_repeats && self.limit < MAX_LIMIT {
                self.limit = self
                    .limit
                    .saturating_mul(2)
                    .max(self.limit + self.page_size)
                    .min(MAX_LIMIT);
                return Ok(Step {
                    items: fresh,
                    done: false,
                    total: None,
                });
            }
            return Err(self.stalled(returned));
        }
        self.cursor = self.cursor.after(&fresh);
        self.limit = self.limit_past_boundary();
        Ok(Step {
            items: fresh,
            done: !full,
            total: None,
        })
    }

    fn position(&self) -> Cursor {
        self.cursor.clone()
    }

    fn position_within(&self, from: &Cursor, delivered: &[Contact]) -> Cursor {
        from.after(delivered)
    }
}
