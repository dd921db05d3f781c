//! The import's journal: what was sent, and what came of it, so a run again resumes.
//!
//! One JSON object per line. The first line says whose journal it is (chatbot and base URL: a
//! journal from another chatbot or server is refused, it says nothing about this one). Then, for
//! each record, `sending` before its request goes out and its outcome after: `created` (with the
//! id), `incomplete` (created with the id, but the update that follows failed), `rejected` or
//! `unknown`. Entries are keyed by the record's fingerprint (see `fingerprint.rs`); identical
//! records are interchangeable, so the journal counts them: three `created` for one fingerprint
//! mean its first three occurrences in the input are done.
//!
//! Only `created` is done. A `rejected` record is sent again (the server may be back, the user
//! may have fixed the record: then it has another fingerprint). A `sending` without an outcome
//! (a killed run), an `unknown`, and a line cut short by a crash are in flight: the record may
//! have been created, so it is reported as unknown and never sent again.
//!
//! Each entry is written with one `write_all` of the whole line to a file opened for appending,
//! so a crash cuts at most the last line; the next run starts on a fresh line after it.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::fingerprint::Fingerprint;
use crate::exit::Usage;
use crate::lock;

/// Set by a journal's first line; any other value means another program's file.
const KIND: &str = "chatcaptain contacts import";
const VERSION: u64 = 2;

/// Whose records a journal follows.
pub struct Owner<'a> {
    pub chatbot: &'a str,
    pub base_url: &'a str,
}

/// An open journal, locked against other runs until dropped.
pub struct Journal {
    pub path: PathBuf,
    file: File,
    _lock: lock::Held,
}

/// What an entry says of a record.
pub enum State<'a> {
    Sending,
    Created(&'a str),
    Incomplete(&'a str),
    Rejected,
    Unknown,
}

/// What the earlier runs did, per fingerprint.
#[derive(Default)]
pub struct Known {
    counts: HashMap<Fingerprint, Counts>,
    /// Contacts created whose update failed, by the fingerprint of their record.
    incomplete: HashMap<Fingerprint, Vec<String>>,
    /// The fingerprints (or their beginnings) of lines cut short.
    torn: Vec<String>,
    /// `created` entries: records done.
    pub created: u64,
    /// Lines that were not entries at all.
    pub unreadable: u64,
}

#[derive(Default)]
struct Counts {
    created: u32,
    in_flight: u32,
    unknown: u32,
}

/// What to do with a record, given the journal.
pub enum Verdict {
    /// An earlier run created it.
    Done,
    /// An earlier run created it as this id, but its update failed: do the update.
    Update(String),
    /// It may have been created (why): report it, do not send it.
    Unknown(&'static str),
    /// Send it.
    Send,
}

impl Known {
    /// Whether the journal holds any record's entries.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty() && self.incomplete.is_empty() && self.torn.is_empty()
    }

    /// What to do with the next occurrence of a record with fingerprint `f`; each call uses up
    /// one of the journal's entries for it.
    pub fn take(&mut self, f: &Fingerprint) -> Verdict {
        if let Some(counts) = self.counts.get_mut(f)
            && counts.created > 0
        {
            counts.created -= 1;
            return Verdict::Done;
        }
        if let Some(id) = self.incomplete.get_mut(f).and_then(Vec::pop) {
            return Verdict::Update(id);
        }
        if let Some(counts) = self.counts.get_mut(f)
            && counts.unknown > 0
        {
            counts.unknown -= 1;
            return Verdict::Unknown(
                "an earlier run sent it and never learned the answer, so it may exist: not sent \
                 again (look for it; to create it anyway, import its record on its own)",
            );
        }
        if !self.torn.is_empty() {
            let hex = f.to_string();
            if let Some(i) = self.torn.iter().position(|p| hex.starts_with(p.as_str())) {
                self.torn.swap_remove(i);
                return Verdict::Unknown(
                    "the journal's line for it was cut short (a crash), so it may have been \
                     sent: not sent again (look for it; to create it anyway, import its record on \
                     its own)",
                );
            }
        }
        Verdict::Send
    }

    fn apply(&mut self, entry: &Value) -> bool {
        let (Some(f), Some(state)) = (
            entry["fp"].as_str().and_then(Fingerprint::parse),
            entry["state"].as_str(),
        ) else {
            return false;
        };
        let id = entry["id"].as_str();
        let counts = self.counts.entry(f).or_default();
        match (state, id) {
            ("sending", _) => counts.in_flight += 1,
            ("created", Some(id)) => {
                // The update of an incomplete contact (it was not sent again) completes it.
                let finished = self.incomplete.get_mut(&f).and_then(|ids| {
                    let i = ids.iter().position(|known| known == id)?;
                    Some(ids.swap_remove(i))
                });
                if finished.is_none() {
                    counts.in_flight = counts.in_flight.saturating_sub(1);
                }
                counts.created += 1;
                self.created += 1;
            }
            ("incomplete", Some(id)) => {
                let ids = self.incomplete.entry(f).or_default();
                if !ids.iter().any(|known| known == id) {
                    counts.in_flight = counts.in_flight.saturating_sub(1);
                    ids.push(id.to_owned());
                }
            }
            ("rejected", _) => counts.in_flight = counts.in_flight.saturating_sub(1),
            ("unknown", _) => {
                counts.in_flight = counts.in_flight.saturating_sub(1);
                counts.unknown += 1;
            }
            _ => return false,
        }
        true
    }

    /// A line that is not a whole entry: cut by a crash while it was written. Whatever it was
    /// (a `sending`, an outcome), its record may be out there.
    fn torn(&mut self, line: &str) {
        let prefix = line
            .split_once("\"fp\":\"")
            .map(|(_, rest)| {
                rest.chars()
                    .take_while(char::is_ascii_hexdigit)
                    .take(32)
                    .collect()
            })
            .unwrap_or_default();
        self.torn.push(prefix);
    }

    fn settle(&mut self) {
        for counts in self.counts.values_mut() {
            counts.unknown += std::mem::take(&mut counts.in_flight);
        }
    }
}

impl Journal {
    /// Opens (or starts) the journal at `path` for `owner`'s records, locked for this run, and
    /// reads what earlier runs did. `input` and `head` (the fingerprints of the first records)
    /// go into a new journal's first line.
    pub fn open(
        path: &Path,
        owner: &Owner,
        input: &str,
        head: &[Fingerprint],
    ) -> anyhow::Result<(Journal, Known)> {
        let what = format!("the import journal {}", path.display());
        let held = lock::exclusive(&lock::beside(path), &what)?;
        let file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .map_err(|e| Usage(format!("cannot open {what}: {e}")))?;
        let mut journal = Journal {
            path: path.to_owned(),
            file,
            _lock: held,
        };
        let mut known = Known::default();
        let mut reader = BufReader::new(&journal.file);
        let mut line = Vec::new();
        let mut number = 0u64;
        let mut ends_clean = true;
        loop {
            line.clear();
            if reader.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            number += 1;
            ends_clean = line.last() == Some(&b'\n');
            let text = String::from_utf8_lossy(&line);
            let entry = serde_json::from_str::<Value>(text.trim_end()).ok();
            if number == 1 {
                match entry {
                    Some(header) => check_header(path, &header, owner)?,
                    // A first line cut short: the run that wrote it sent nothing yet.
                    None if !ends_clean => {}
                    None => return Err(not_a_journal(path).into()),
                }
                continue;
            }
            match entry {
                Some(entry) if known.apply(&entry) => {}
                Some(_) => known.unreadable += 1,
                None => known.torn(&text),
            }
        }
        known.settle();
        if number == 0 || (number == 1 && !ends_clean) {
            journal.file.set_len(0)?;
            let header = json!({
                "journal": KIND,
                "version": VERSION,
                "chatbot": owner.chatbot,
                "base_url": owner.base_url,
                "input": input,
                "head": head.iter().map(ToString::to_string).collect::<Vec<_>>(),
            });
            journal.write_line(&header)?;
        } else if !ends_clean {
            // The cut line stays as it is (it is read as in flight); what follows starts on a
            // line of its own instead of merging with it.
            journal.file.write_all(b"\n")?;
        }
        Ok((journal, known))
    }

    /// Records what came of the record `f` on `line`.
    pub fn write(&self, f: &Fingerprint, line: u64, state: State) -> std::io::Result<()> {
        let (name, id) = match state {
            State::Sending => ("sending", None),
            State::Created(id) => ("created", Some(id)),
            State::Incomplete(id) => ("incomplete", Some(id)),
            State::Rejected => ("rejected", None),
            State::Unknown => ("unknown", None),
        };
        // The fingerprint first: a line cut short most likely still names its record.
        let mut entry = json!({ "fp": f.to_string(), "state": name, "line": line });
        if let Some(id) = id {
            entry["id"] = Value::String(id.to_owned());
        }
        self.write_line(&entry)
    }

    fn write_line(&self, entry: &Value) -> std::io::Result<()> {
        let mut bytes = serde_json::to_vec(entry)?;
        bytes.push(b'\n');
        // One write of the whole line: a crash leaves it whole or cut, never interleaved.
        (&self.file).write_all(&bytes)
    }
}

fn check_header(path: &Path, header: &Value, owner: &Owner) -> anyhow::Result<()> {
    if header["journal"] != KIND {
        return Err(not_a_journal(path).into());
    }
    if header["version"] != VERSION {
        return Err(Usage(format!(
            "the import journal {} has version {}, which this chatcaptain does not read",
            path.display(),
            header["version"]
        ))
        .into());
    }
    let (chatbot, base_url) = (header["chatbot"].as_str(), header["base_url"].as_str());
    if chatbot != Some(owner.chatbot) || base_url != Some(owner.base_url) {
        return Err(Usage(format!(
            "the import journal {} belongs to chatbot {} at {}, not to chatbot {} at {}: what it \
             says was done was done there; give this import another journal",
            path.display(),
            chatbot.unwrap_or("?"),
            base_url.unwrap_or("?"),
            owner.chatbot,
            owner.base_url,
        ))
        .into());
    }
    Ok(())
}

fn not_a_journal(path: &Path) -> Usage {
    Usage(format!(
        "{} is not a journal of chatcaptain contacts import (its first line is not a journal's \
         header; a journal of an earlier version, keyed by line numbers, cannot be trusted with \
         another input): give another journal",
        path.display()
    ))
}

/// The user's state directory for chatcaptain: `CHATCAPTAIN_STATE_DIR`, else
/// `$XDG_STATE_HOME/chatcaptain`, else `~/.local/state/chatcaptain`.
fn state_dir() -> anyhow::Result<PathBuf> {
    if let Some(dir) = crate::environment::env("CHATCAPTAIN_STATE_DIR") {
        return Ok(PathBuf::from(dir));
    }
    if let Some(dir) =
        crate::environment::env("XDG_STATE_HOME").filter(|d| Path::new(d).is_absolute())
    {
        return Ok(Path::new(&dir).join("chatcaptain"));
    }
    match std::env::home_dir() {
        Some(home) => Ok(home.join(".local").join("state").join("chatcaptain")),
        None => Err(Usage(
            "no state directory for the import's journal (no HOME): set CHATCAPTAIN_STATE_DIR, \
             or give --journal FILE or --no-journal"
                .into(),
        )
        .into()),
    }
}

/// Where the journal of an import of `input` (`-` for stdin) goes when `--journal` does not say:
/// in the state directory, named for the chatbot, the base URL and the file's absolute path, so
/// the same command again finds it. Stdin has no path: its journal is the one whose first
/// records are mostly this input's first records (`head`), else a new one named by them.
pub fn default_path(owner: &Owner, input: &Path, head: &[Fingerprint]) -> anyhow::Result<PathBuf> {
    let dir = state_dir()?.join("imports");
    create_private_dir(&dir)?;
    let whose = format!("{}\0{}\0", owner.chatbot, owner.base_url);
    if input.as_os_str() != "-" {
        let absolute = std::fs::canonicalize(input)
            .map_err(|e| Usage(format!("cannot read {}: {e}", input.display())))?;
        let key = Fingerprint::of_bytes(format!("{whose}{}", absolute.display()).as_bytes());
        let stem = absolute
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem: String = stem
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        return Ok(dir.join(format!("{stem}-{}.journal", &key.to_string()[..16])));
    }
    // Stdin: found by its content, read as it comes. Hashing all of it would mean reading it to
    // its end (or spooling it to disk) before the first request; its first records are enough
    // to tell one input from another, and matching most of them rather than all still finds the
    // journal after the user fixed one of them. Entries are keyed by fingerprint, so even a
    // wrong match could only skip records that were created in this chatbot already.
    let prefix = format!(
        "stdin-{}-",
        &Fingerprint::of_bytes(whose.as_bytes()).to_string()[..12]
    );
    let mut best: Option<(usize, PathBuf)> = None;
    for entry in std::fs::read_dir(&dir)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(&prefix) && name.ends_with(".journal")) {
            continue;
        }
        let theirs = recorded_head(&entry.path());
        let shared = head.iter().filter(|f| theirs.contains(f)).count();
        let needed = head.len().min(theirs.len()) / 2 + 1;
        if shared >= needed && best.as_ref().is_none_or(|(n, _)| shared > *n) {
            best = Some((shared, entry.path()));
        }
    }
    Ok(match best {
        Some((_, path)) => path,
        None => dir.join(format!(
            "{prefix}{}.journal",
            &Fingerprint::of_all(head).to_string()[..12]
        )),
    })
}

/// The `head` of a journal's first line.
fn recorded_head(path: &Path) -> Vec<Fingerprint> {
    let Ok(file) = File::open(path) else {
        return Vec::new();
    };
    let mut first = String::new();
    let _ = BufReader::new(file).read_line(&mut first);
    let header: Value = serde_json::from_str(first.trim_end()).unwrap_or_default();
    header["head"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .filter_map(|f| f.as_str().and_then(Fingerprint::parse))
                .collect()
        })
        .unwrap_or_default()
}

fn create_private_dir(dir: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| {
        Usage(format!(
            "cannot create the state directory {}: {e}",
            dir.display()
        ))
    })?;
    Ok(())
}
