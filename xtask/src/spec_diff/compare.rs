//! `cargo xtask spec-diff --compare OURS THEIRS`: our spec read against another description of
//! the same API (the vendor's fragment), not against its own next version. A release's verdict
//! (breaking or compatible) means little there; what a maintainer needs is where the other
//! description settles one of our "Assumed" guesses, where the two disagree, where ours is only
//! stricter (every request we send, they accept), and where theirs says nothing (cut off, never
//! stored), so that its silence is not read as a disagreement.

use serde_json::Value;

use super::kinds::{Change, Kind, SchemaChange};

/// What one difference means for our spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reading {
    /// Their description documents what ours marks "Assumed", and says otherwise.
    Settles,
    /// Ours assumes something (marked "Assumed") their description, where it is whole, does not
    /// have: a guess it does not confirm.
    Unconfirmed,
    /// Both document it and they differ.
    Disagree,
    /// Ours narrows what they accept (an integer for their number, a format, a bound): what we
    /// send, they take.
    Stricter,
    /// Theirs has nothing there: cut off or never stored.
    Silent,
}

impl Reading {
    fn heading(self) -> &'static str {
        match self {
            Reading::Settles => "Their description settles one of our \"Assumed\" notes",
            Reading::Unconfirmed => "Ours assumes what theirs does not have",
            Reading::Disagree => "They disagree",
            Reading::Stricter => "Ours is stricter (they accept every request we send)",
            Reading::Silent => "Theirs says nothing here (cut off, or never stored)",
        }
    }
}

/// Sorts each change into what it means, and renders the report.
pub fn render(ours: &Value, theirs: &Value, changes: &[Change], labels: (&str, &str)) -> String {
    let mut read: Vec<(Reading, &Change)> = changes
        .iter()
        .map(|change| (reading(ours, theirs, change), change))
        .collect();
    read.sort_by_key(|(reading, _)| *reading);
    let mut out = format!(
        "Ours ({}) read against {}: {} differences\n",
        labels.0,
        labels.1,
        changes.len()
    );
    for group in [
        Reading::Settles,
        Reading::Unconfirmed,
        Reading::Disagree,
        Reading::Stricter,
        Reading::Silent,
    ] {
        let members: Vec<&Change> = read
            .iter()
            .filter(|(r, _)| *r == group)
            .map(|(_, c)| *c)
            .collect();
        out.push_str(&format!("\n{} ({}):\n", group.heading(), members.len()));
        for change in members {
            out.push_str(&format!(
                "  {}: {} [{}]\n",
                change.operation,
                change.shown(),
                change.kind.rule().id
            ));
        }
    }
    out
}

pub fn reading(ours: &Value, theirs: &Value, change: &Change) -> Reading {
    if stricter(change) {
        return Reading::Stricter;
    }
    let (Some(mine), their_op) = (
        operation(ours, &change.operation),
        operation(theirs, &change.operation),
    ) else {
        return Reading::Disagree;
    };
    let Some(their_op) = their_op else {
        return Reading::Silent; // the operation is not in their description at all
    };
    if silent(theirs, their_op, change) {
        return Reading::Silent;
    }
    if assumed(ours, mine, change) && change.shown().ends_with("removed") {
        Reading::Unconfirmed
    } else if assumed(ours, mine, change) {
        Reading::Settles
    } else {
        Reading::Disagree
    }
}

/// A narrowing of ours that their looser description accepts.
fn stricter(change: &Change) -> bool {
    let text = change.shown();
    match change.kind {
        Kind::Request(SchemaChange::TypeGeneralized) => true,
        Kind::Request(
            SchemaChange::FormatChanged
            | SchemaChange::PatternChanged
            | SchemaChange::DefaultChanged,
        ) => text.ends_with("to (none)"),
        Kind::Request(SchemaChange::BoundWidened | SchemaChange::EnumWidened) => true,
        _ => false,
    }
}

/// Whether their operation documents nothing where the change is: a response they did not
/// store (only a `default` "not in the stored material"), a body marked `x-truncated`.
fn silent(theirs: &Value, op: &Value, change: &Change) -> bool {
    let text = change.shown();
    if text.starts_with("response") || matches!(change.kind, Kind::ResponseRemoved) {
        let responses = op["responses"].as_object();
        let only_default = responses.is_some_and(|r| r.keys().all(|k| k == "default"));
        if only_default {
            return true;
        }
    }
    let truncated = |value: &Value| truncated(theirs, value, 0);
    if text.starts_with("request body") {
        // A body they show only by an example has no schema to compare with.
        let body = &op["requestBody"];
        let no_schema = body["content"]
            .as_object()
            .is_some_and(|media| media.values().all(|m| m.get("schema").is_none()));
        return no_schema || truncated(body);
    }
    if let Some(status) = status(text) {
        return truncated(&op["responses"][status]);
    }
    false
}

/// The status a change's text names: `response 403 body: ...` -> `403`.
fn status(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("response ")?;
    let end = rest.find([' ', ':']).unwrap_or(rest.len());
    Some(&rest[..end])
}

/// Whether `value` (or a schema it refers to) is marked cut off.
fn truncated(doc: &Value, value: &Value, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    match value {
        Value::Object(map) => {
            if map.get("x-truncated") == Some(&Value::Bool(true)) {
                return true;
            }
            if let Some(target) = map.get("$ref").and_then(Value::as_str) {
                let pointer = target.trim_start_matches('#');
                if let Some(resolved) = doc.pointer(pointer) {
                    return truncated(doc, resolved, depth + 1);
                }
            }
            map.values().any(|v| truncated(doc, v, depth + 1))
        }
        Value::Array(items) => items.iter().any(|v| truncated(doc, v, depth + 1)),
        _ => false,
    }
}

/// Whether ours marks what changed as a guess: "Assumed" in the operation's description, or in
/// a description anywhere in the part the change names (its responses, its body).
fn assumed(ours: &Value, op: &Value, change: &Change) -> bool {
    let text = change.shown();
    let part = if let Some(status) = status(text) {
        &op["responses"][status]
    } else if text.starts_with("request body") {
        &op["requestBody"]
    } else if text.starts_with("parameter") {
        &op["parameters"]
    } else {
        op
    };
    mentions_assumed(ours, op.get("description").unwrap_or(&Value::Null), 0)
        || mentions_assumed(ours, part, 0)
}

fn mentions_assumed(doc: &Value, value: &Value, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    match value {
        Value::String(s) => s.contains("Assumed") || s.contains("assumed"),
        Value::Object(map) => {
            if let Some(target) = map.get("$ref").and_then(Value::as_str)
                && let Some(resolved) = doc.pointer(target.trim_start_matches('#'))
            {
                return mentions_assumed(doc, resolved, depth + 1);
            }
            map.values().any(|v| mentions_assumed(doc, v, depth + 1))
        }
        Value::Array(items) => items.iter().any(|v| mentions_assumed(doc, v, depth + 1)),
        _ => false,
    }
}

/// The operation a change names (`GET /v1/... (id)`), found by method and path.
fn operation<'a>(doc: &'a Value, named: &str) -> Option<&'a Value> {
    let mut words = named.split_whitespace();
    let method = words.next()?.to_lowercase();
    let path = words.next()?;
    doc.pointer(&format!(
        "/paths/{}/{method}",
        path.replace('~', "~0").replace('/', "~1")
    ))
}
