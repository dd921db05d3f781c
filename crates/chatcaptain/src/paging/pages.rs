//! Listing by page number (the contact search), without delivering a hit twice.
//!
//! Page numbers index a result list the server may change between two requests: a hit inserted
//! ahead shifts every later page (the next page repeats hits), a hit removed ahead shifts them the
//! other way (the next page skips one). Repeats are caught: the ids of the last few pages are
//! remembered and a repeated hit is dropped. Skips cannot be seen from the client; that is the
//! limit of page-number paging, documented in the README. Neither a short page nor `found` is
//! taken on trust alone: the search goes on while fewer hits than `found` were seen and pages
//! are not empty (a backend that drops a stale hit from a page answers short before the end).

use std::collections::{HashSet, VecDeque};
use std::num::NonZeroU32;

use futures::FutureExt;
use futures::future::BoxFuture;

use super::engine::{self, Odd, Options, Step, Strategy};
use super::entry::{self, Entry, Hits};
use super::operation::{Excluding, PageOperation};
use super::page::Page;
use super::page_position::PagePosition;
use crate::transport::Lenient;
use crate::{Client, Error};

/// How many recent pages' ids a search remembers to drop repeated hits.
const REMEMBERED_PAGES: usize = 4;

/// A listing by page number (the contact search is [`SearchContacts`](crate::SearchContacts)):
/// build it, then take `.items()`, `.pages()` or `.collect_all()`.
#[derive(Clone, Debug)]
#[must_use = "a search does nothing until its items or pages are consumed"]
pub struct PageListing<O> {
    client: Client,
    params: O,
    page_size: u32,
    start: PagePosition,
    exclude: Vec<String>,
    options: Options,
}

impl<O: PageOperation> PageListing<O> {
    pub(crate) fn new(client: Client, params: O) -> Self {
        PageListing {
            client,
            params,
            page_size: O::DEFAULT_PAGE_SIZE,
            start: PagePosition::page(1),
            exclude: Vec::new(),
            options: Options::default(),
        }
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

    engine::listing_methods!(O::Item);

    fn page_stream(self) -> futures::stream::BoxStream<'static, Result<Page<O::Item>, Error>> {
        let strategy = PageStrategy::new(self.params, self.page_size, self.exclude, self.start);
        engine::pages(self.client, strategy, self.options)
    }
}

impl<O: Excluding> PageListing<O> {
    /// Leaves these ids out of the results (the parameter the spec's `exclude` names, such as
    /// `hiddenHits`).
    pub fn exclude<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.exclude.extend(ids.into_iter().map(Into::into));
        self
    }
}

struct PageStrategy<O> {
    params: O,
    page_size: u32,
    hidden: Option<String>,
    position: PagePosition,
    /// Hits before the first page this search fetched (from a resumed position).
    offset: u64,
    /// Distinct new hits delivered (or reported as undecodable) so far.
    delivered: u64,
    /// The ids of the last few pages, newest last: a hit among them is a repeat.
    recent: VecDeque<HashSet<String>>,
    /// Pages in a row that held nothing new.
    repeated_pages: u32,
}

impl<O: PageOperation> PageStrategy<O> {
    fn new(
        params: O,
        page_size: u32,
        exclude: Vec<String>,
        position: PagePosition,
    ) -> Result<Self, Error> {
        params.validate()?;
        if page_size == 0 {
            return Err(Error::InvalidArgument("the page size is 0".into()));
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
        let position = position.in_pages_of(page_size);
        Ok(PageStrategy {
            params,
            page_size,
            hidden,
            offset: position.offset(page_size),
            position,
            delivered: 0,
            recent: VecDeque::new(),
            repeated_pages: 0,
        })
    }

    fn repeated(&self, identity: &str) -> bool {
        self.recent.iter().any(|ids| ids.contains(identity))
    }
}

impl<O: PageOperation> Strategy for PageStrategy<O> {
    type Item = O::Item;
    type Raw = Hits<O::Item>;
    type Position = PagePosition;

    fn fetch(&self, client: &Client) -> BoxFuture<'static, Result<Self::Raw, Error>> {
        let (client, params, hidden) = (client.clone(), self.params.clone(), self.hidden.clone());
        let page = NonZeroU32::new(self.position.page).expect("page is validated to be at least 1");
        let size =
            NonZeroU32::new(self.page_size).expect("page size is validated to be at least 1");
        async move {
            let answer = client
                .execute_lenient(O::OPERATION, |api| {
                    params.send(api, page, size, hidden.as_deref())
                })
                .await
                .map_err(|e| e.in_chatbot_of(params.chatbot_id()))?;
            Ok(match answer {
                Lenient::Typed(response) => {
                    let total = O::total(&response);
                    O::items(response)
                        .map(|items| (total, items.into_iter().map(Entry::Good).collect()))
                }
                Lenient::Raw(body) => entry::raw_page::<O>(&body, None)?,
            })
        }
        .boxed()
    }

    fn advance(&mut self, raw: Self::Raw) -> Result<Step<O::Item>, Error> {
        // `results: null` is how the API says "no hits", not a failure.
        let Some((found, entries)) = raw else {
            return Ok(Step {
                done: true,
                total: Some(self.offset + self.delivered),
                ..Step::default()
            });
        };
        let returned = entries.len();
        let page = self.position.page;
        let mut ids = HashSet::new();
        let mut fresh = Vec::new();
        for entry in entries.into_iter().skip(self.position.skip) {
            let identity = entry.identity();
            if self.repeated(&identity) || !ids.insert(identity.into_owned()) {
                continue;
            }
            fresh.push(entry);
        }
        // Hits inserted ahead can make one page all repeats; two in a row mean the server
        // does not move with `page`, and going on would loop.
        if returned > self.position.skip && fresh.is_empty() {
            self.repeated_pages += 1;
            if self.repeated_pages >= 2 {
                return Err(Error::PaginationInconsistent(format!(
                    "pages {} and {page} of the search held only hits already delivered: the \
                     server does not move with `page`",
                    page - 1
                )));
            }
        } else {
            self.repeated_pages = 0;
        }
        self.delivered += fresh.len() as u64;
        self.recent.push_back(ids);
        if self.recent.len() > REMEMBERED_PAGES {
            self.recent.pop_front();
        }
        self.position = PagePosition {
            page: page.saturating_add(1),
            skip: 0,
            size: Some(self.page_size),
        };
        let seen = self.offset + self.delivered;
        let done = returned == 0 || found.is_some_and(|found| seen >= found);
        let (items, invalid) = entry::split(fresh);
        Ok(Step {
            items,
            invalid,
            done,
            total: found,
        })
    }

    fn position(&self) -> PagePosition {
        self.position.clone()
    }

    fn position_within(
        &self,
        from: &PagePosition,
        delivered: &[O::Item],
        odd: &[Odd],
    ) -> PagePosition {
        // An odd hit yielded takes its place in the page as a hit does.
        PagePosition {
            page: from.page,
            skip: from.skip + delivered.len() + odd.len(),
            size: Some(self.page_size),
        }
    }
}
