//! `search` (of contacts, organizations): full-text hits, streamed.

use chatcaptain::Client;
use chatcaptain::paging::Operation;
use futures::StreamExt;
use futures::future::{self, Either};

use super::stream;
use crate::cli::SearchArgs;
use crate::exit::Outcome;
use crate::output::Output;
use crate::resource::Resource;

pub async fn run<R: Resource>(
    client: &Client,
    args: &SearchArgs<R>,
    output: Output,
) -> anyhow::Result<Outcome> {
    let output = output.with_fields(&args.columns.fields)?;
    let mut search = R::search(client, args.chatbot.id(), &args.query).prefetch(true);
    if let Some(max) = stream::limit(&args.window) {
        search = search.max_items(max);
    }
    let default = <R::Search as Operation>::DEFAULT_PAGE_SIZE;
    if let Some(size) = stream::page_size(&args.window, default) {
        search = search.page_size(size);
    }
    // Pages rather than items: each page says how many hits there are in all (`found`).
    let hits = search.pages().flat_map(|page| match page {
        Ok(page) => {
            let found = page.total();
            let records = page.into_items().into_iter();
            Either::Left(futures::stream::iter(
                records.map(move |record| Ok((record, found))),
            ))
        }
        // Also a record that does not match the spec: written to stderr, and the search goes on.
        Err(e) => Either::Right(futures::stream::once(future::ready(Err(e)))),
    });
    let mut hits = hits;
    stream::write_all(&mut hits, &args.window, output, &mut stream::NoProgress).await
}
