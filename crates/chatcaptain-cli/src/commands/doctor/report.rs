//! What a doctor run found: each check's lines, and the count of differences and of checks that
//! could not be made.

use chatcaptain::RawAnswer;
use serde_json::Value;

/// What one check found.
#[derive(Default)]
pub(super) struct Report {
    pub(super) lines: Vec<String>,
    pub(super) differences: usize,
    pub(super) unchecked: usize,
    /// The header the first checked answer carried the server's request id in (`Some(None)`:
    /// none), once an answer was checked.
    pub(super) request_id_header: Option<Option<&'static str>>,
}

impl Report {
    pub(super) fn say(&mut self, line: String) {
        self.lines.push(line);
    }

    pub(super) fn differ(&mut self, operation: &str, line: String) {
        self.differences += 1;
        self.lines.push(format!("  DIFFERS {operation}: {line}"));
    }

    /// A guess this run could not check, and why.
    pub(super) fn not_checked(&mut self, guess: &str, why: String) {
        self.unchecked += 1;
        self.lines.push(format!("  NOT CHECKED {guess}: {why}"));
    }

    /// The page of records (at the JSON pointer `items`) a probe of `guess` got, or `None`
    /// (reported as not checked) when the server did not answer it with one.
    pub(super) fn probed(
        &mut self,
        guess: &str,
        answer: &RawAnswer,
        items: &str,
    ) -> Option<Vec<Value>> {
        match answer.body.pointer(items).and_then(Value::as_array) {
            Some(page) if answer.status.is_success() => Some(page.clone()),
            _ => {
                self.not_checked(
                    guess,
                    format!(
                        "its probe was answered {} ({})",
                        answer.status,
                        excerpt(&answer.body.to_string())
                    ),
                );
                None
            }
        }
    }

    /// Validates one answer against the spec's schema for its operation and status.
    pub(super) fn check(&mut self, operation: &str, asked: &str, answer: &RawAnswer) -> bool {
        self.request_id_header
            .get_or_insert_with(|| answer.request_id_with_header().map(|(header, _)| header));
        let status = answer.status.as_u16();
        self.say(format!("{operation} ({asked}): {}", answer.status));
        if !answer.status.is_success() {
            let why = format!(
                "answered {} ({}), so its success shape could not be checked",
                answer.status,
                excerpt(&answer.body.to_string())
            );
            // A server error or a rate limit says nothing of the API's shape: the check did not
            // run. Any other refusal of a request the spec documents is a difference.
            if answer.status.is_server_error() || answer.status.as_u16() == 429 {
                self.not_checked(operation, why);
            } else {
                self.differ(operation, why);
            }
            return false;
        }
        match chatcaptain_spec::bundled().validate_response(operation, status, &answer.body) {
            Ok(()) => {
                self.say("  ok: the answer matches the spec".into());
                true
            }
            Err(errors) => {
                for error in errors {
                    self.differ(operation, error);
                }
                false
            }
        }
    }
}

pub(super) fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(160).collect();
    if out.len() < text.len() {
        out.push('…');
    }
    out
}
