//! The doctor's one way to ask: a read-only `GET` of an operation's path, answered whatever the
//! status, with a refused key stopping the run.

use chatcaptain::{Client, RawAnswer};

use super::report::excerpt;
use crate::exit::Refused;

/// `GET` of `segments` with `query`, answered whatever the status; a key the API refuses (401)
/// or that may not read the chatbot (403) stops the run as [`Refused`]: no check can be made,
/// and it is not a difference from the spec.
pub(super) async fn probe(
    client: &Client,
    segments: &[&str],
    query: &[(&str, String)],
) -> anyhow::Result<RawAnswer> {
    let answer = client.get_raw(segments, query).await?;
    if matches!(answer.status.as_u16(), 401 | 403) {
        // As the client reads an error: `error`, unless it only repeats the reason phrase
        // ("Unauthorized") and a `message` says more.
        let text = |field: &str| answer.body[field].as_str().filter(|t| !t.trim().is_empty());
        let reason = answer.status.canonical_reason().unwrap_or_default();
        let message = match (text("error"), text("message")) {
            (Some(e), Some(m)) if e.trim().eq_ignore_ascii_case(reason) => m.to_owned(),
            (Some(e), _) => e.to_owned(),
            (None, Some(m)) => m.to_owned(),
            (None, None) => excerpt(&answer.body.to_string()),
        };
        return Err(Refused {
            status: answer.status.to_string(),
            code: answer.status.as_u16(),
            message,
            // Every probed path is `v1/chatbots/{chatbotId}/...`.
            chatbot: segments.get(2).map(|bot| (*bot).to_owned()),
            request_id: answer.request_id(),
        }
        .into());
    }
    Ok(answer)
}

/// The path of `operation` for `bot`, as segments (its one parameter is the chatbot).
pub(super) fn segments(operation: chatcaptain::api::operations::Operation, bot: &str) -> Vec<&str> {
    operation
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| if s.starts_with('{') { bot } else { s })
        .collect()
}
