//! `contacts search`: full-text hits, streamed.

use chatcaptain::Client;

use super::stream;
use crate::cli::SearchArgs;
use crate::exit::Outcome;
use crate::output::Output;

pub async fn run(client: &Client, args: &SearchArgs, output: Output) -> anyhow::Result<Outcome> {
    let output = output.with_fields(&args.columns.fields)?;
    let mut search = client
        .contacts(args.chatbot.id())
        .search(&args.query)
        .prefetch(true);
    if let Some(max) = stream::limit(&args.window) {
        search = search.max_items(max);
    }
    let default =
        <chatcaptain::SearchContactsParams as chatcaptain::paging::Operation>::DEFAULT_PAGE_SIZE;
    if let Some(size) = stream::page_size(&args.window, default) {
        search = search.page_size(size);
    }
    stream::write_all(search.items(), &args.window, output).await
}
