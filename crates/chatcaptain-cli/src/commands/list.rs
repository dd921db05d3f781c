//! `contacts list`: newest first, streamed; with `--checkpoint`, an incremental sync.

use std::path::Path;

use anyhow::Context;
use chatcaptain::{Checkpoint, Client};

use super::stream;
use crate::cli::ListArgs;
use crate::exit::{Outcome, Usage};
use crate::lock;
use crate::output::Output;

pub async fn run(client: &Client, args: &ListArgs, output: Output) -> anyhow::Result<Outcome> {
    let output = output.with_fields(&args.columns.fields)?;
    let mut listing = client.contacts(args.chatbot.id()).list().prefetch(true);
    if let Some(max) = stream::limit(&args.window) {
        listing = listing.max_items(max);
    }
    let default =
        <chatcaptain::ListContactsParams as chatcaptain::paging::Operation>::DEFAULT_PAGE_SIZE;
    if let Some(size) = stream::page_size(&args.window, default) {
        listing = listing.page_size(size);
    }
    if let Some(before) = args.before {
        listing = listing.starting_before(before);
    }
    if let Some(ranges) = args.parallel {
        listing = listing.parallel(ranges);
    }
    let Some(file) = &args.checkpoint else {
        return stream::write_all(stream::uncounted(listing.items()), &args.window, output).await;
    };
    // Held to the end of the run: a second sync on this file would undo this one's progress.
    let _lock = lock::exclusive(
        &lock::beside(file),
        &format!("the checkpoint {}", file.display()),
    )?;
    let mut checkpoint = read_checkpoint(file)?;
    if let Some(seconds) = args.lookback {
        checkpoint = checkpoint.lookback(std::time::Duration::from_secs(seconds.into()));
    }
    let mut run = listing.since(checkpoint).sync();
    let outcome = stream::write_all(stream::uncounted(&mut run), &args.window, output).await?;
    if let Some(next) = run.checkpoint() {
        write_checkpoint(file, &next)?;
    }
    Ok(outcome)
}

/// The checkpoint saved in `file`; the start when there is no such file yet.
fn read_checkpoint(file: &Path) -> anyhow::Result<Checkpoint> {
    match std::fs::read_to_string(file) {
        Ok(text) => serde_json::from_str(&text)
            .map_err(|e| Usage(format!("{} is not a checkpoint: {e}", file.display())).into()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Checkpoint::start()),
        Err(e) => Err(Usage(format!("cannot read {}: {e}", file.display())).into()),
    }
}

/// Replaces `file` at once: written beside it, then renamed over it, so a crash leaves either
/// the old checkpoint or the new one, never half of one.
fn write_checkpoint(file: &Path, checkpoint: &Checkpoint) -> anyhow::Result<()> {
    let dir = match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write a checkpoint next to {}", file.display()))?;
    serde_json::to_writer(&mut temp, checkpoint)?;
    temp.as_file().sync_all()?;
    temp.persist(file)
        .with_context(|| format!("cannot replace {}", file.display()))?;
    Ok(())
}
