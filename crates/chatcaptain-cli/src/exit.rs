//! Exit codes, and the one line an error is reported in.

use std::io;
use std::process::ExitCode;

/// Everything went well (also when a reader closed the pipe early: it had what it wanted).
pub const OK: u8 = 0;
/// The API answered with an error, could not be reached, or a deletion was declined.
pub const FAILURE: u8 = 1;
/// Bad usage: flags (clap's own code), a missing key, a refused confirmation on a pipe.
pub const USAGE: u8 = 2;
/// The key was refused (401) or lacks a permission (403).
pub const AUTH: u8 = 3;
/// The contact does not exist (404).
pub const NOT_FOUND: u8 = 4;
/// `doctor` found no difference but could not check everything (no contacts to look at, too
/// few search hits for a second page, a probe the server failed).
pub const UNCHECKED: u8 = 5;
/// Ctrl-C: the output was flushed up to the last whole record.
pub const INTERRUPTED: u8 = 130;

/// A mistake in how the tool was called, found after clap parsed the command line.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Usage(pub String);

/// `doctor`: the API refused the key (401) or its access to the chatbot (403): exit [`AUTH`],
/// as every other command, with no report.
#[derive(Debug)]
pub struct Refused {
    /// `403 Forbidden`.
    pub(crate) status: String,
    pub(crate) code: u16,
    pub(crate) message: String,
    pub(crate) chatbot: Option<String>,
    pub(crate) request_id: Option<String>,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "doctor could not check the API: {}: {}",
            self.status, self.message
        )?;
        match (self.code, &self.chatbot) {
            (403, Some(bot)) => write!(
                f,
                " (chatbot {bot:?}: the API key may belong to another chatbot, or lack the \
                 permission to read it)"
            )?,
            (401, _) => f.write_str(" (the API key was not accepted)")?,
            _ => {}
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Refused {}

/// `doctor`: the API differs from the spec: exit [`FAILURE`] after the report.
#[derive(Debug, thiserror::Error)]
#[error("the API differs from the spec in {0} place(s); see above")]
pub struct Differences(pub usize);

/// `doctor`: nothing differs, but not everything could be checked: exit [`UNCHECKED`] after
/// the report.
#[derive(Debug, thiserror::Error)]
#[error("{0} check(s) could not be made (NOT CHECKED above); nothing found differs")]
pub struct Unchecked(pub usize);

/// How a command ended when it did not fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// It did what it was asked.
    Done,
    /// Ctrl-C stopped it.
    Interrupted,
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(match outcome {
            Outcome::Done => OK,
            Outcome::Interrupted => INTERRUPTED,
        })
    }
}

/// Reports `error` on stderr as one line and says which code to exit with.
pub fn report(error: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(error) {
        return ExitCode::from(OK);
    }
    let _ = io::Write::write_all(
        &mut io::stderr(),
        format!("error: {}\n", crate::terminal::shown(&line(error))).as_bytes(),
    );
    ExitCode::from(code(error))
}

fn code(error: &anyhow::Error) -> u8 {
    if error.downcast_ref::<Usage>().is_some() {
        return USAGE;
    }
    if error.downcast_ref::<Unchecked>().is_some() {
        return UNCHECKED;
    }
    if error.downcast_ref::<Refused>().is_some() {
        return AUTH;
    }
    let Some(api) = error.downcast_ref::<chatcaptain::Error>() else {
        return FAILURE;
    };
    match api {
        chatcaptain::Error::Config(_) | chatcaptain::Error::InvalidArgument(_) => USAGE,
        _ => match api.status().map(|s| s.as_u16()) {
            Some(401 | 403) => AUTH,
            Some(404) => NOT_FOUND,
            _ => FAILURE,
        },
    }
}

/// `404 Not Found: Contact not found` for an API answer, with what a 403 likely means (the key
/// belongs to another chatbot, or lacks the permission); the error and its causes otherwise;
/// after retries, the last attempt's line and how many attempts were made; and the server's id
/// of the request, for a support ticket, when the answer carried one.
fn line(error: &anyhow::Error) -> String {
    let Some(api) = error.downcast_ref::<chatcaptain::Error>() else {
        return causes(error.chain().map(ToString::to_string));
    };
    let last = match api.last_attempt() {
        chatcaptain::Error::Api {
            status, message, ..
        } => match api.likely_cause() {
            Some(cause) => format!("{status}: {message} ({cause})"),
            None => format!("{status}: {message}"),
        },
        other => chain(other),
    };
    let line = match api.attempts() {
        1 => last,
        n => format!("{last} (gave up after {n} attempts)"),
    };
    // Some errors' own text carries the id already (a decode error, a rate limit).
    match api.request_id().map(|id| format!("(request id {id})")) {
        Some(id) if !line.contains(&id) => format!("{line} {id}"),
        _ => line,
    }
}

/// An error and its causes on one line, each once (see [`causes`]).
pub fn chain(error: &dyn std::error::Error) -> String {
    causes(std::iter::successors(Some(error), |e| e.source()).map(ToString::to_string))
}

/// An error's text and its causes' on one line, joined with ": ". A cause the line already ends
/// with is left out: some errors include their source in their own text, others do not (reqwest's
/// no longer does; this crate's are going the same way), and either way it is printed once.
fn causes(texts: impl Iterator<Item = String>) -> String {
    let mut line = String::new();
    for text in texts {
        if line.is_empty() {
            line = text;
        } else if !text.is_empty() && !line.ends_with(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
    }
    line
}

/// A reader such as `head` that has seen enough closes the pipe; that is not worth a message.
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
