//! Searching contacts, paginated by page number.

use std::num::NonZeroU32;

use futures::FutureExt;
use futures::future::BoxFuture;
use serde::{Deserialize, Serialize};

use super::{Options, Page, Resume, Step, Strategy};
use crate::retry::Operation;
use crate::{Client, Contact, Error};

/// The API's largest `pageSize` (assumed in the spec).
const MAX_PAGE_SIZE: u32 = 250;
const DEFAULT_PAGE_SIZE: u32 = 50;

/// Where a search stands: a page number, and how many hits of that page were already delivered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PagePosition {
    page: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    skip: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl PagePosition {
    /// The start of page `page` (the first page is 1).
    pub fn page(page: u32) -> Self {
        PagePosition { page, skip: 0 }
    }

    /// The page number to ask for next.
    pub fn number(&self) -> u32 {
        self.page
    }

    /// How many hits at the start of that page were already delivered (after a `max_items` cut).
    pub fn skip(&self) -> usize {
        self.skip
    }
}

impl From<PagePosition> for Resume {
    fn from(p: PagePosition) -> Self {
        Resume::Page(p)
    }
}

/// Searches the contacts of a chatbot: build it, then take `.items()`, `.pages()` or
/// `.collect_all()`.
#[derive(Clone, Debug)]
#[must_use = "a search does nothing until its items or pages are consumed"]
pub struct SearchContacts {
    client: Client,
    chatbot_id: String,
    query: String,
    page_size: u32,
    start: PagePosition,
    exclude: Vec<String>,
    options: Options,
}

impl SearchContacts {
    pub(crate) fn new(client: Client, chatbot_id: String, query: String) -> Self {
        SearchContacts {
            client,
            chatbot_id,
            query,
            page_size: DEFAULT_PAGE_SIZE,
            start: PagePosition::page(1),
            exclude: Vec::new(),
            options: Options::default(),
        }
    }

    /// Hits per request, 1 to 250 (default 50).
    pub fn page_size(mut self, size: u32) -> Self {
        self.page_size = size;
        self
    }

    /// Starts at page `page` (the first page is 1).
    pub fn start_page(mut self, page: u32) -> Self {
        self.start = PagePosition::page(page);
        self
    }

    /// Resumes where a [`Page`] said the search goes on.
    pub fn resume(mut self, position: PagePosition) -> Self {
        self.start = position;
        self
    }

    /// Leaves these contact ids out of the results (`hiddenHits`).
    pub fn exclude<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.exclude.extend(ids.into_iter().map(Into::into));
        self
    }

    super::listing_methods!("matching contacts");

    fn page_stream(self) -> futures::stream::BoxStream<'static, Result<Page<Contact>, Error>> {
        let strategy = PageStrategy::new(
            self.chatbot_id,
            self.query,
            self.page_size,
            self.exclude,
            self.start,
        );
        super::pages(self.client, strategy, self.options)
    }
}

struct PageStrategy {
    chatbot_id: String,
    query: String,
    page_size: u32,
    hidden: Option<String>,
    position: PagePosition,
}

impl PageStrategy {
    fn new(
        chatbot_id: String,
        query: String,
        page_size: u32,
        exclude: Vec<String>,
        position: PagePosition,
    ) -> Result<Self, Error> {
        crate::contacts::path_segment("chatbot id", &chatbot_id)?;
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(Error::InvalidArgument(format!(
                "page size {page_size} is outside 1..={MAX_PAGE_SIZE}"
            )));
        }
        if position.page == 0 {
            return Err(Error::InvalidArgument("pages are numbered from 1".into()));
        }
        if let Some(bad) = exclude.iter().find(|id| id.is_empty() || id.contains(',')) {
            return Err(Error::InvalidArgument(format!(
                "cannot exclude {bad:?}: ids are sent as a comma-separated list"
            )));
        }
        let hidden = (!exclude.is_empty()).then(|| exclude.join(","));
        Ok(PageStrategy {
            chatbot_id,
            query,
            page_size,
            hidden,
            position,
        })
    }
}

impl Strategy for PageStrategy {
    type Raw = Option<chatcaptain_api::types::SearchResult>;
    type Position = PagePosition;

    fn fetch(&self, client: &Client) -> BoxFuture<'static, Result<Self::Raw, Error>> {
        let client = client.clone();
        let (bot, query, hidden) = (
            self.chatbot_id.clone(),
            self.query.clone(),
            self.hidden.clone(),
        );
        let page = NonZeroU32::new(self.position.page).expect("page is validated to be at least 1");
        let size =
            NonZeroU32::new(self.page_size).expect("page size is validated to be at least 1");
        async move {
            let response = client
                .execute(Operation::idempotent("search_contacts"), |api| {
                    let request = api
                        .search_contacts()
                        .chatbot_id(bot.as_str())
                        .query(query.as_str())
                        .page(page)
                        .page_size(size);
                    match &hidden {
                        Some(hidden) => request.hidden_hits(hidden.as_str()).send().boxed(),
                        None => request.send().boxed(),
                    }
                })
                .await?;
            Ok(response.results)
        }
        .boxed()
    }

    fn advance(&mut self, raw: Self::Raw) -> Result<Step, Error> {
        // `results: null` is how the API says "no hits", not a failure.
        let Some(result) = raw else {
            return Ok(Step {
                items: Vec::new(),
                done: true,
                total: Some(0),
            });
        };
        let returned = result.hits.len();
        let reached =
            u64::from(self.position.page - 1) * u64::from(self.page_size) + returned as u64;
        let done = returned == 0
            || returned < self.page_size as usize
            || reached >= u64::try_from(result.found).unwrap_or(0);
        let items = result
            .hits
            .into_iter()
            .skip(self.position.skip)
            .map(|hit| hit.document)
            .collect();
        self.position = PagePosition::page(self.position.page.saturating_add(1));
        Ok(Step {
            items,
            done,
            total: u64::try_from(result.found).ok(),
        })
    }

    fn position(&self) -> PagePosition {
        self.position.clone()
    }

    fn position_within(&self, from: &PagePosition, delivered: &[Contact]) -> PagePosition {
        PagePosition {
            page: from.page,
            skip: from.skip + delivered.len(),
        }
    }
}
