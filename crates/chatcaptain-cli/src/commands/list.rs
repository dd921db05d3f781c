//! `contacts list`: newest first, streamed; with `--checkpoint`, an incremental sync.

use chatcaptain::{Checkpoint, Client, Contact, SyncContacts};
use chrono::{DateTime, TimeDelta, Utc};

use super::checkpoint_file::CheckpointFile;
use super::stream::{self, NoProgress, Progress, Uncounted};
use crate::cli::ListArgs;
use crate::exit::Outcome;
use crate::output::Output;

pub async fn run(client: &Client, args: &ListArgs, output: Output) -> anyhow::Result<Outcome> {
    let output = output.with_fields(&args.columns.fields)?;
    let mut listing = client.contacts(args.chatbot.id()).list().prefetch(true);
    if let Some(max) = stream::limit(&args.window) {
        listing = listing.max_items(max);
    }
    let default =
        <chatcaptain::ListContactsParams as chatcaptain::paging::Operation>::DEFAULT_PAGE_SIZE;
    let page_size = stream::page_size(&args.window, default);
    if let Some(size) = page_size {
        listing = listing.page_size(size);
    }
    if let Some(before) = args.before {
        listing = listing.starting_before(before);
    }
    if let Some(ranges) = args.parallel {
        listing = listing.parallel(ranges);
    }
    let Some(path) = &args.checkpoint else {
        let mut contacts = stream::uncounted(listing.items());
        return stream::write_all(&mut contacts, &args.window, output, &mut NoProgress).await;
    };
    // Locked until the run ends: a second sync on this file would undo this one's progress.
    let (file, mut checkpoint) = CheckpointFile::open(path, args.from_start)?;
    if let Some(seconds) = args.lookback {
        checkpoint = checkpoint.lookback(std::time::Duration::from_secs(seconds.into()));
    }
    let every = page_size.unwrap_or(default) as usize;
    if checkpoint.is_interrupted() {
        stream::note(&format!(
            "resuming the interrupted run saved in {} before listing what is new (if it was \
             killed rather than stopped, up to {every} contacts it wrote after its last save \
             are written again)",
            path.display()
        ));
    }
    let mut run = stream::uncounted(listing.since(checkpoint).sync());
    let mut saver = Saver { file, every };
    stream::write_all(&mut run, &args.window, output, &mut saver).await
}

/// Saves a sync run's progress into its checkpoint file.
struct Saver {
    file: CheckpointFile,
    every: usize,
}

type Run = Uncounted<SyncContacts>;

impl Progress<Run> for Saver {
    fn save(&mut self, run: &Run, end: bool) -> anyhow::Result<()> {
        self.file.save(&run.get_ref().progress(), end)
    }

    fn every(&self) -> Option<usize> {
        Some(self.every)
    }

    fn written(&mut self, contact: &Contact) {
        let now = DateTime::<Utc>::from(std::time::SystemTime::now());
        let tolerance = TimeDelta::from_std(Checkpoint::CLOCK_TOLERANCE).unwrap_or_default();
        if contact.created > now + tolerance {
            stream::note(&format!(
                "contact {} is dated {}, ahead of this machine's clock: it is written once, and \
                 the checkpoint does not move past the clock (check the server's clock and this \
                 machine's)",
                contact.id,
                contact.created.to_rfc3339()
            ));
        }
    }
}
