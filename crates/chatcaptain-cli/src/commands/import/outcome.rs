//! What became of a record, and where that is said: stdout for the created, the rejects for the
//! rest, the journal for the next run.

use std::io::Write;

use chatcaptain::{ContactUpdate, Contacts, Error, NewContact};
use serde_json::{Value, json};

use super::fingerprint::Fingerprint;
use super::journal::{Journal, State};
use crate::exit;

/// What became of a record.
pub enum Fate {
    Created(String),
    /// Created as `id`, but the update that sets what create cannot take failed: the contact
    /// exists without its address, variables or organizations.
    Incomplete {
        id: String,
        error: String,
    },
    /// Surely not created.
    Rejected(String),
    /// It may have been created: sent, but no answer says.
    Unknown(String),
}

/// Creates one contact, then sets what create cannot take; says what came of it.
pub async fn create(contacts: &Contacts, new: NewContact, rest: Option<ContactUpdate>) -> Fate {
    let created = match contacts.create(new).await {
        Ok(contact) => contact,
        Err(e) if surely_not_created(&e) => return Fate::Rejected(exit::chain(&e)),
        Err(e) => return Fate::Unknown(exit::chain(&e)),
    };
    match rest {
        None => Fate::Created(created.id),
        Some(update) => finish(contacts, created.id, update).await,
    }
}

/// Sets what create could not on the contact `id` (an update: repeating it does no harm).
pub async fn finish(contacts: &Contacts, id: String, update: ContactUpdate) -> Fate {
    match contacts.update(&id, update).await {
        Ok(_) => Fate::Created(id),
        Err(e) => Fate::Incomplete {
            error: format!(
                "created, but its address, variables or organizations were not set: {}",
                exit::chain(&e)
            ),
            id,
        },
    }
}

/// A refusal (4xx, a rate limit never lifted) or a connection never opened: nothing was created.
fn surely_not_created(error: &Error) -> bool {
    if error.status().is_some_and(|s| s.is_client_error()) {
        return true;
    }
    match error.last_attempt() {
        Error::Transport(e) => e.is_connect(),
        Error::InvalidArgument(_) | Error::Config(_) | Error::RateLimited { .. } => true,
        _ => false,
    }
}

/// Counts of what became of the records of this run.
#[derive(Default)]
pub struct Tally {
    pub created: u64,
    pub done_before: u64,
    pub incomplete: u64,
    pub rejected: u64,
    pub unknown: u64,
}

impl Tally {
    /// Records that need the user's eye: not created, or not surely, or not wholly.
    pub fn failed(&self) -> u64 {
        self.incomplete + self.rejected + self.unknown
    }
}

/// Where outcomes go.
pub struct Report<'a> {
    pub stdout: Box<dyn Write + 'a>,
    pub rejects: Box<dyn Write + 'a>,
    pub journal: Option<&'a Journal>,
    pub tally: Tally,
}

/// The record a fate belongs to.
pub struct Of<'a> {
    pub line: u64,
    pub fingerprint: &'a Fingerprint,
    pub record: &'a Value,
}

impl Report<'_> {
    /// Says what came of a record: first where the user reads it, then in the journal (so the
    /// journal never calls done what was not reported; a crash in between leaves it in flight).
    /// `journaled` is false for what never went out (a record that cannot be read) or whose
    /// state the journal already holds.
    pub fn fate(&mut self, of: Of, fate: &Fate, journaled: bool) -> anyhow::Result<()> {
        let state = match fate {
            Fate::Created(id) => {
                self.tally.created += 1;
                writeln!(self.stdout, "{}", json!({ "line": of.line, "id": id }))?;
                self.stdout.flush()?;
                State::Created(id)
            }
            Fate::Incomplete { id, error } => {
                self.tally.incomplete += 1;
                let mut line = reject_line(&of, "incomplete", error);
                line["id"] = Value::String(id.clone());
                writeln!(self.rejects, "{line}")?;
                State::Incomplete(id)
            }
            Fate::Rejected(error) => {
                self.tally.rejected += 1;
                writeln!(self.rejects, "{}", reject_line(&of, "rejected", error))?;
                State::Rejected
            }
            Fate::Unknown(error) => {
                self.tally.unknown += 1;
                writeln!(self.rejects, "{}", reject_line(&of, "unknown", error))?;
                State::Unknown
            }
        };
        if journaled && let Some(journal) = self.journal {
            // The line above must be out before the journal says so.
            self.rejects.flush()?;
            journal.write(of.fingerprint, of.line, state)?;
        }
        Ok(())
    }
}

fn reject_line(of: &Of, outcome: &str, error: &str) -> Value {
    json!({ "line": of.line, "outcome": outcome, "error": error, "record": of.record })
}
