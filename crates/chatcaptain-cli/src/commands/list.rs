//! `list` (of contacts, organizations): newest first, streamed; with `--checkpoint`, an
//! incremental sync.

use chatcaptain::paging::Operation;
use chatcaptain::{Checkpoint, Client, SyncContacts};
use chrono::{DateTime, TimeDelta, Utc};

use super::checkpoint_file::CheckpointFile;
use super::stream::{self, NoProgress, Progress, Uncounted};
use crate::cli::ListArgs;
use crate::exit::Outcome;
use crate::output::Output;
use crate::resource::Resource;

pub async fn run<R: Resource>(
    client: &Client,
    args: &ListArgs<R>,
    output: Output,
) -> anyhow::Result<Outcome> {
    let output = output.with_fields(&args.columns.fields)?;
    let mut listing = R::list(client, args.chatbot.id()).prefetch(true);
    if let Some(max) = stream::limit(&args.window) {
        listing = listing.max_items(max);
    }
    let default = <R::List as Operation>::DEFAULT_PAGE_SIZE;
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
        let mut records = stream::uncounted(listing.items());
        return stream::write_all(&mut records, &args.window, output, &mut NoProgress).await;
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
             killed rather than stopped, up to {every} {} it wrote after its last save are \
             written again)",
            path.display(),
            R::MANY
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

type Run<R> = Uncounted<SyncContacts<R>, R>;

impl<R: Resource> Progress<Run<R>, R> for Saver {
    fn save(&mut self, run: &Run<R>, end: bool) -> anyhow::Result<()> {
        self.file.save(&run.get_ref().progress(), end)
    }

    fn every(&self) -> Option<usize> {
        Some(self.every)
    }

    fn written(&mut self, record: &R) {
        let now = DateTime::<Utc>::from(std::time::SystemTime::now());
        let tolerance = TimeDelta::from_std(Checkpoint::CLOCK_TOLERANCE).unwrap_or_default();
        // A listing yields no record without a `created` (it is an odd one).
        let Some(created) = record.created() else {
            return;
        };
        if created > now + tolerance {
            stream::note(&format!(
                "{} {} is dated {}, ahead of this machine's clock: it is written once, and the \
                 checkpoint does not move past the clock (check the server's clock and this \
                 machine's)",
                R::ONE,
                record.id(),
                created.to_rfc3339()
            ));
        }
    }
}
