//! Writing a listing as it arrives, and stopping cleanly on Ctrl-C.

use std::io::{self, Write};

use chatcaptain::Error;
use futures::{FutureExt, Stream, StreamExt};

use crate::cli::Window;
use crate::exit::Outcome;
use crate::output::Output;
use crate::resource::Resource;
use crate::{output, progress};

/// How many records a listing shows unless told `--limit N` or `--all`.
pub const DEFAULT_LIMIT: usize = 50;

/// The `max_items` a listing runs with, `None` for everything.
pub fn limit<R: Resource>(window: &Window<R>) -> Option<usize> {
    if window.all {
        None
    } else {
        Some(window.limit.unwrap_or(DEFAULT_LIMIT))
    }
}

/// The page size to ask for: the one given, else no more than the records wanted (`--limit 1`
/// asks the API for one record, not for the operation's default page of `default`).
pub fn page_size<R: Resource>(window: &Window<R>, default: u32) -> Option<u32> {
    window.page_size.or_else(|| {
        let wanted = u32::try_from(limit(window)?).unwrap_or(u32::MAX);
        (wanted < default).then_some(wanted.max(1))
    })
}

/// A listing of `R`s as [`Listed`] items.
pub type Uncounted<S, R> =
    futures::stream::Map<S, fn(Result<R, Error>) -> Result<Listed<R>, Error>>;

/// A record of a listing, with how many records the whole listing has when the server says so
/// (a search's `found`; the list does not count).
pub type Listed<R> = (R, Option<u64>);

/// The records of a listing that does not count them, as [`Listed`] (`get_ref` reaches the
/// listing, for a sync run's progress).
pub fn uncounted<S, R>(records: S) -> Uncounted<S, R>
where
    S: Stream<Item = Result<R, Error>> + Unpin,
{
    records.map(|record| record.map(|record| (record, None)))
}

/// A listing's progress, saved where the records written so far have reached the reader.
pub trait Progress<S, R> {
    /// Saves how far `listing` got; `end` for the last save of the run.
    fn save(&mut self, listing: &S, end: bool) -> anyhow::Result<()>;
    /// Saves at least every this many records (`None`: only at the end).
    fn every(&self) -> Option<usize> {
        None
    }
    /// Sees each record as it is written.
    fn written(&mut self, _record: &R) {}
}

/// No progress to save: a plain listing.
pub struct NoProgress;

impl<S, R> Progress<S, R> for NoProgress {
    fn save(&mut self, _: &S, _: bool) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Writes every record of `records` as `output` says, until the listing ends, fails, or Ctrl-C.
///
/// Whatever stops it, the sink is finished, so the output holds whole records only, and then
/// `progress` is saved (also when the listing failed: it covers exactly what was written).
/// While it runs, `progress` is saved whenever the output is flushed, and at least every
/// [`Progress::every`] records, so a kill repeats no more than that many on the next run.
pub async fn write_all<R, S>(
    records: &mut S,
    window: &Window<R>,
    output: Output,
    progress: &mut impl Progress<S, R>,
) -> anyhow::Result<Outcome>
where
    R: Resource,
    S: Stream<Item = Result<Listed<R>, Error>> + Unpin,
{
    let limit = limit(window);
    let bar = progress::bar(limit, R::MANY);
    let mut found: Option<u64> = None;
    let mut sink = output::listing::<R>(output, output::stdout());
    let streams = sink.streams();
    let every = progress.every().unwrap_or(usize::MAX).max(1);
    let mut unsaved = 0usize;
    let mut written = 0usize;
    let mut rejected = 0usize;
    // Polled from the first turn of the loop on, so SIGINT is ours before any record is out;
    // checked before every record, as a fast server can keep records ready without a pause.
    let mut ctrl_c = std::pin::pin!(interrupt());
    let ended = loop {
        if (&mut ctrl_c).now_or_never().is_some() {
            break Ended::Interrupted;
        }
        let next = match records.next().now_or_never() {
            Some(next) => next,
            None => {
                // The next page is on its way: let the reader (`jq`, `tail -f`) have this one.
                if let Err(e) = sink.flush() {
                    bar.finish_and_clear();
                    return Err(e.into());
                }
                if streams && unsaved > 0 {
                    progress.save(records, false)?;
                    unsaved = 0;
                }
                tokio::select! {
                    biased;
                    () = &mut ctrl_c => break Ended::Interrupted,
                    next = records.next() => next,
                }
            }
        };
        match next {
            None => break Ended::Done,
            // One odd record does not sink an export, and is not dropped silently: it goes to
            // stderr whole, and the run ends with exit 1.
            Some(Err(Error::InvalidItem { id, path, raw, .. })) => {
                rejected += 1;
                note(&format!(
                    "{} {} does not match the spec at `{path}`; as sent: {raw}",
                    R::ONE,
                    id.as_deref().unwrap_or("(no id)")
                ));
            }
            Some(Err(e)) => break Ended::Failed(e),
            Some(Ok((record, total))) => {
                progress.written(&record);
                if total.is_some() && total != found {
                    found = total;
                    progress::found(&bar, total.unwrap_or_default(), limit, R::MANY);
                }
                if let Err(e) = sink.write(&record) {
                    bar.finish_and_clear();
                    return Err(e.into());
                }
                written += 1;
                unsaved += 1;
                bar.inc(1);
                if streams && unsaved >= every {
                    if let Err(e) = sink.flush() {
                        bar.finish_and_clear();
                        return Err(e.into());
                    }
                    progress.save(records, false)?;
                    unsaved = 0;
                }
            }
        }
    };
    bar.finish_and_clear();
    match ended {
        Ended::Done => {
            if let Some(found) = found {
                sink.footer(format!("{written} of {found} hits"));
            }
            sink.finish()?
        }
        Ended::Interrupted | Ended::Failed(_) => sink.finish_early()?,
    }
    // Everything written has reached the reader: the progress covers exactly that.
    progress.save(records, true)?;
    match ended {
        Ended::Done if rejected > 0 => Err(anyhow::anyhow!(
            "{rejected} {}(s) did not match the spec and were not written (each is shown \
             above as sent); the other {written} were",
            R::ONE
        )),
        Ended::Done => {
            // The default limit cut the listing short, unless the count says nothing is left.
            if window.limit.is_none()
                && limit == Some(written)
                && found.is_none_or(|found| found > written as u64)
            {
                let what = match found {
                    Some(found) => format!("{written} of {found} hits"),
                    None => format!("{written} {}", R::MANY),
                };
                note(&format!(
                    "showing the first {what}; --limit N or --all for more"
                ));
            }
            Ok(Outcome::Done)
        }
        Ended::Interrupted => {
            note(&format!("interrupted after {written} {}", R::MANY));
            Ok(Outcome::Interrupted)
        }
        Ended::Failed(e) => {
            if written > 0 {
                note(&format!("stopped after {written} {}", R::MANY));
            }
            Err(e.into())
        }
    }
}

enum Ended {
    Done,
    Interrupted,
    Failed(Error),
}

/// Resolves on Ctrl-C; never, where signals cannot be listened to.
async fn interrupt() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// A line for the person at the terminal; lost quietly if stderr is gone.
pub fn note(text: &str) {
    let _ = writeln!(io::stderr(), "{}", crate::terminal::shown(text));
}
