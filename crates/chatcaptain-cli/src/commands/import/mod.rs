//! `contacts import`: one contact per record of an ndjson or CSV file, nothing lost, nothing
//! created twice.
//!
//! Every record ends up created (its new id on stdout with its line number) or in the rejects
//! (the record, the error, and whether it was surely not created, created without what the update
//! after the create sets, or of unknown fate). Create is not idempotent, so a record whose request
//! went out but whose answer never came is reported as unknown, never sent again, in this run and
//! (through the journal, see `journal.rs`) in every later one.

mod fingerprint;
mod input;
mod journal;
mod outcome;

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use chatcaptain::{Client, ContactUpdate, Contacts, NewContact};
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use serde_json::{Map, Value};
use tokio::sync::mpsc;
use tokio::time::Instant;

use self::fingerprint::Fingerprint;
use self::input::{Input, Parsed};
use self::journal::{Journal, Known, Owner, State, Verdict};
use self::outcome::{Fate, Of, Report};
use crate::cli::{ImportArgs, ImportFormat};
use crate::exit::{Outcome, Usage};
use crate::{fields, progress};

/// How many first records name the journal of stdin.
const HEAD: usize = 16;

/// How long the first records are waited for once one has come.
const HEAD_WAIT: Duration = Duration::from_millis(300);

/// How long Ctrl-C waits for the requests in flight before reporting them as unknown.
const GRACE: Duration = Duration::from_secs(10);

pub async fn run(client: &Client, args: &ImportArgs) -> anyhow::Result<Outcome> {
    let format = args.format.unwrap_or_else(|| {
        if args
            .file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            ImportFormat::Csv
        } else {
            ImportFormat::Ndjson
        }
    });
    refuse_overwriting_the_input(args)?;
    let owner = Owner {
        chatbot: args.chatbot.id(),
        base_url: client.base_url(),
    };
    let mut records = input::spawn(input::open(&args.file)?, format);
    // Nothing is sent before the journal is open, and stdin's journal is found by its first
    // records: read them first (an error here comes before anything was sent, so it is simply
    // the answer). A slow pipe is not waited for beyond HEAD_WAIT: the first request goes out
    // soon, and a journal is found by most of the first records, not all of them.
    let mut head = VecDeque::new();
    let mut until = None;
    while head.len() < HEAD {
        let next = match until {
            None => records.recv().await,
            Some(until) => match tokio::time::timeout_at(until, records.recv()).await {
                Ok(next) => next,
                Err(_) => break,
            },
        };
        match next {
            Some(input) => head.push_back(input?),
            None => break,
        }
        until.get_or_insert_with(|| Instant::now() + HEAD_WAIT);
    }
    if head.is_empty() {
        return Ok(Outcome::Done);
    }
    let head_fingerprints: Vec<Fingerprint> = head.iter().map(|i| i.fingerprint).collect();
    let opened = match (&args.journal, args.no_journal) {
        (_, true) => None,
        (Some(path), false) => Some(path.clone()),
        (None, false) => Some(journal::default_path(
            &owner,
            &args.file,
            &head_fingerprints,
        )?),
    }
    .map(|path| {
        let input = args.file.display().to_string();
        Journal::open(&path, &owner, &input, &head_fingerprints)
    })
    .transpose()?;
    let (journal, mut known) = match opened {
        Some((journal, known)) => (Some(journal), known),
        None => (None, Known::default()),
    };
    if let Some(journal) = &journal
        && !known.is_empty()
    {
        note(&resuming(&known, journal, &args.file, format).await);
    }
    let rejects: Box<dyn Write> = match &args.rejects {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write the rejects to {}", path.display()))?,
        )),
        None => Box::new(std::io::stderr()),
    };
    let mut report = Report {
        stdout: Box::new(std::io::stdout().lock()),
        rejects,
        journal: journal.as_ref(),
        tally: Default::default(),
    };
    let contacts = client.contacts(args.chatbot.id());
    let run = Run {
        contacts: &contacts,
        journal: journal.as_ref(),
        parallel: args.parallel.max(1),
    };
    let ended = run.all(head, &mut records, &mut known, &mut report).await;
    report.rejects.flush()?;
    let tally = &report.tally;
    let where_rejects = args
        .rejects
        .as_ref()
        .map(|p| format!(" in {}", p.display()))
        .unwrap_or_default();
    let summary = format!(
        "{} created, {} done by an earlier run, {} rejected, {} incomplete, {} unknown",
        tally.created, tally.done_before, tally.rejected, tally.incomplete, tally.unknown
    );
    match ended {
        Ended::Failed(e) => {
            note(&format!(
                "stopped: {summary} (see the rejects{where_rejects})"
            ));
            Err(e)
        }
        Ended::Interrupted => {
            note(&format!(
                "interrupted: {summary}; the records after them were not sent{}",
                match &journal {
                    Some(_) => ": run the same command again to go on",
                    None => "",
                }
            ));
            Ok(Outcome::Interrupted)
        }
        Ended::Done if tally.failed() > 0 => Err(anyhow::anyhow!(
            "{} record(s) were not created, not wholly, or may not have been: {summary} (see \
             the rejects{where_rejects})",
            tally.failed()
        )),
        Ended::Done => Ok(Outcome::Done),
    }
}

/// "resuming: N of M done": M counted in the file (on a resume only: the file is read once more),
/// left out for stdin, which is read as it comes.
async fn resuming(known: &Known, journal: &Journal, file: &Path, format: ImportFormat) -> String {
    let total = if file.as_os_str() == "-" {
        None
    } else {
        let file = file.to_owned();
        tokio::task::spawn_blocking(move || input::count(&file, format))
            .await
            .ok()
            .and_then(Result::ok)
    };
    match total {
        Some(total) => format!(
            "resuming: {} of {total} done (journal {})",
            known.created.min(total),
            journal.path.display()
        ),
        None => format!(
            "resuming: {} done (journal {}); what is left follows",
            known.created,
            journal.path.display()
        ),
    }
}

/// `--rejects` naming the input would empty it before it is read.
fn refuse_overwriting_the_input(args: &ImportArgs) -> anyhow::Result<()> {
    let Some(rejects) = &args.rejects else {
        return Ok(());
    };
    if args.file.as_os_str() == "-" {
        return Ok(());
    }
    let same = |a: &Path, b: &Path| match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(rejects, &args.file) {
        return Err(Usage(format!(
            "--rejects {} is the input: write the rejects elsewhere, then import that file",
            rejects.display()
        ))
        .into());
    }
    Ok(())
}

enum Ended {
    Done,
    Interrupted,
    Failed(anyhow::Error),
}

/// What a request does.
enum Job {
    Create(Box<(NewContact, Option<ContactUpdate>)>),
    /// The contact exists: set its fields (an update, safe to repeat).
    Update(String, Box<ContactUpdate>),
}

/// A record whose request is out.
struct Flying {
    line: u64,
    fingerprint: Fingerprint,
    record: Value,
}

struct Run<'a> {
    contacts: &'a Contacts,
    journal: Option<&'a Journal>,
    parallel: usize,
}

impl Run<'_> {
    /// Sends every record `parallel` at a time until the input ends, an error stops it, or
    /// Ctrl-C: then no record is taken any more, the requests in flight are waited for (up to
    /// [`GRACE`], or a second Ctrl-C) and each outcome reported; those still out after that are
    /// reported as unknown.
    async fn all(
        &self,
        head: VecDeque<Input>,
        records: &mut mpsc::Receiver<anyhow::Result<Input>>,
        known: &mut Known,
        report: &mut Report<'_>,
    ) -> Ended {
        let bar = progress::bar(None, "contacts");
        let mut pending = head;
        let mut in_flight = FuturesUnordered::new();
        let mut flying: HashMap<u64, Flying> = HashMap::new();
        let mut sequence = 0u64;
        let mut input_open = true;
        let mut interrupted = false;
        let mut failed: Option<anyhow::Error> = None;
        let mut deadline: Option<Instant> = None;
        // Listening from before the first request: from here on, SIGINT is ours.
        let mut ctrl_c = Box::pin(interrupt());
        loop {
            let taking =
                input_open && !interrupted && failed.is_none() && in_flight.len() < self.parallel;
            if !taking && in_flight.is_empty() {
                break;
            }
            let stop_waiting = deadline.unwrap_or_else(|| Instant::now() + GRACE);
            tokio::select! {
                biased;
                () = &mut ctrl_c => {
                    if interrupted {
                        deadline = Some(Instant::now());
                    } else {
                        interrupted = true;
                        deadline = Some(Instant::now() + GRACE);
                        records.close();
                        if !in_flight.is_empty() {
                            note(&format!(
                                "stopping: waiting for the {} request(s) in flight (Ctrl-C again \
                                 to stop at once; they are then reported as unknown)",
                                in_flight.len()
                            ));
                        }
                    }
                    ctrl_c = Box::pin(interrupt());
                }
                () = tokio::time::sleep_until(stop_waiting), if deadline.is_some() => break,
                Some((seq, fate)) = in_flight.next(), if !in_flight.is_empty() => {
                    let Some(f) = flying.remove(&seq) else { continue };
                    let of = Of { line: f.line, fingerprint: &f.fingerprint, record: &f.record };
                    let fate = match fate {
                        Ok(fate) => fate,
                        Err(e) => {
                            let why = format!("not sent: {e:#}");
                            failed.get_or_insert(e);
                            if let Err(e) = report.fate(of, &Fate::Rejected(why), false) {
                                return Ended::Failed(e);
                            }
                            bar.inc(1);
                            continue;
                        }
                    };
                    if let Err(e) = report.fate(of, &fate, true) {
                        return Ended::Failed(e);
                    }
                    bar.inc(1);
                }
                next = next_input(&mut pending, records), if taking => {
                    let input = match next {
                        None => {
                            input_open = false;
                            continue;
                        }
                        Some(Err(e)) => {
                            failed = Some(e);
                            continue;
                        }
                        Some(Ok(input)) => input,
                    };
                    let job = match self.job(input.parsed, &input.fingerprint, known) {
                        Ok(Some(job)) => job,
                        Ok(None) => {
                            report.tally.done_before += 1;
                            bar.inc(1);
                            continue;
                        }
                        Err(fate) => {
                            let of = Of {
                                line: input.line,
                                fingerprint: &input.fingerprint,
                                record: &input.record,
                            };
                            if let Err(e) = report.fate(of, &fate, false) {
                                return Ended::Failed(e);
                            }
                            bar.inc(1);
                            continue;
                        }
                    };
                    sequence += 1;
                    in_flight.push(self.send(sequence, input.fingerprint, input.line, job));
                    flying.insert(sequence, Flying {
                        line: input.line,
                        fingerprint: input.fingerprint,
                        record: input.record,
                    });
                }
            }
        }
        drop(in_flight);
        bar.finish_and_clear();
        // What is still out after the wait: it may have been created.
        let mut abandoned: Vec<Flying> = flying.into_values().collect();
        abandoned.sort_by_key(|f| f.line);
        for f in abandoned {
            let of = Of {
                line: f.line,
                fingerprint: &f.fingerprint,
                record: &f.record,
            };
            let why = "interrupted while its request was in flight: it may have been created";
            if let Err(e) = report.fate(of, &Fate::Unknown(why.into()), true) {
                return Ended::Failed(e);
            }
        }
        match (failed, interrupted) {
            (Some(e), _) => Ended::Failed(e),
            (None, true) => Ended::Interrupted,
            (None, false) => Ended::Done,
        }
    }

    /// The request a record needs; `Ok(None)` when an earlier run created it, `Err` with its
    /// fate when it is not sent.
    fn job(
        &self,
        parsed: Parsed,
        fingerprint: &Fingerprint,
        known: &mut Known,
    ) -> Result<Option<Job>, Fate> {
        let (record, created_as) = match parsed {
            Parsed::Bad(why) => return Err(Fate::Rejected(why)),
            Parsed::Unknown(why) => return Err(Fate::Unknown(why)),
            Parsed::Create(record) => (record, None),
            Parsed::Update { id, record } => (record, Some(id)),
        };
        let created_as = match known.take(fingerprint) {
            Verdict::Done => return Ok(None),
            Verdict::Unknown(why) => return Err(Fate::Unknown(why.into())),
            Verdict::Update(id) => Some(id),
            Verdict::Send => created_as,
        };
        match created_as {
            Some(id) => Ok(Some(Job::Update(
                id,
                Box::new(update_of(record).map_err(Fate::Rejected)?),
            ))),
            None => {
                let (new, rest) = fields::body_of(record)
                    .and_then(fields::to_create)
                    .map_err(Fate::Rejected)?;
                Ok(Some(Job::Create(Box::new((new, rest)))))
            }
        }
    }

    async fn send(
        &self,
        sequence: u64,
        fingerprint: Fingerprint,
        line: u64,
        job: Job,
    ) -> (u64, anyhow::Result<Fate>) {
        let fate = async {
            match job {
                Job::Create(create) => {
                    let (new, rest) = *create;
                    // Before the request goes out, the journal says it may: a run killed from
                    // here on leaves the record in flight, never absent.
                    if let Some(journal) = self.journal {
                        journal
                            .write(&fingerprint, line, State::Sending)
                            .context("cannot write the journal")?;
                    }
                    Ok(outcome::create(self.contacts, new, rest).await)
                }
                Job::Update(id, update) => Ok(outcome::finish(self.contacts, id, *update).await),
            }
        };
        (sequence, fate.await)
    }
}

/// The whole record as an update of the contact that exists (what create set, set again).
fn update_of(record: Map<String, Value>) -> Result<ContactUpdate, String> {
    Ok(ContactUpdate::from(fields::body_of(record)?))
}

async fn next_input(
    pending: &mut VecDeque<Input>,
    records: &mut mpsc::Receiver<anyhow::Result<Input>>,
) -> Option<anyhow::Result<Input>> {
    match pending.pop_front() {
        Some(input) => Some(Ok(input)),
        None => records.recv().await,
    }
}

/// Resolves on Ctrl-C; never, where signals cannot be listened to.
async fn interrupt() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// A line for the person at the terminal; lost quietly if stderr is gone.
fn note(text: &str) {
    let _ = writeln!(std::io::stderr(), "{}", crate::terminal::shown(text));
}
