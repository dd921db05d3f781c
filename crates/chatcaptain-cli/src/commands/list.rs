//! `contacts list`: newest first, streamed.

use chatcaptain::Client;

use super::stream;
use crate::cli::ListArgs;
use crate::exit::Outcome;
use crate::output::Output;

pub async fn run(client: &Client, args: &ListArgs, output: Output) -> anyhow::Result<Outcome> {
    let mut listing = client.contacts(&args.chatbot.id).list().prefetch(true);
    if let Some(max) = stream::limit(&args.window) {
        listing = listing.max_items(max);
    }
    if let Some(size) = args.window.page_size {
        listing = listing.page_size(size);
    }
    if let Some(before) = args.before {
        listing = listing.starting_before(before);
    }
    stream::write_all(listing.items(), &args.window, output).await
}
