//! The report, for a terminal or for a pull request.

use std::fmt::Write;

use super::kinds::Change;
use super::rust_surface::RustChange;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
}

pub struct Report<'a> {
    pub base: &'a str,
    pub head: &'a str,
    pub changes: &'a [Change],
    /// The generated crate's public API, compared item by item.
    pub rust: &'a RustLevel,
    /// `info.version` for the wire, then the crate version for the Rust API.
    pub version_lines: Vec<String>,
}

/// The Rust level: judged, or why not (progenitor cannot generate a side).
pub enum RustLevel {
    Judged(Vec<RustChange>),
    NotJudged(String),
}

impl RustLevel {
    pub fn breaking(&self) -> bool {
        match self {
            RustLevel::Judged(found) => found.iter().any(|c| c.breaking),
            RustLevel::NotJudged(_) => false,
        }
    }

    fn changes(&self) -> &[RustChange] {
        match self {
            RustLevel::Judged(found) => found,
            RustLevel::NotJudged(_) => &[],
        }
    }
}

/// Changes grouped by operation, in the order found (operations sorted by path and method).
fn grouped(changes: &[Change]) -> Vec<(&str, Vec<&Change>)> {
    let mut groups: Vec<(&str, Vec<&Change>)> = Vec::new();
    for change in changes {
        match groups.iter_mut().find(|(op, _)| *op == change.operation) {
            Some((_, list)) => list.push(change),
            None => groups.push((&change.operation, vec![change])),
        }
    }
    groups
}

fn summary(changes: &[Change], level: &RustLevel) -> String {
    let rust = level.changes();
    if changes.is_empty() && matches!(level, RustLevel::Judged(r) if r.is_empty()) {
        return "no changes".into();
    }
    let count = |breaking: usize, all: usize| {
        if all == 0 {
            "no changes".to_owned()
        } else {
            format!("{breaking} breaking, {} compatible", all - breaking)
        }
    };
    let rust = match level {
        RustLevel::Judged(_) => count(rust.iter().filter(|c| c.breaking).count(), rust.len()),
        RustLevel::NotJudged(_) => "not judged".to_owned(),
    };
    format!(
        "wire: {}; Rust API: {rust}",
        count(
            changes.iter().filter(|c| c.breaking()).count(),
            changes.len()
        ),
    )
}

const RUST_HEADING: &str = "Rust API (chatcaptain-api, generated code compared)";

pub fn render(report: &Report, format: Format) -> String {
    let mut out = String::new();
    let Report {
        base,
        head,
        changes,
        rust,
        ..
    } = report;
    match format {
        Format::Text => {
            let level = *rust;
            let rust = level.changes();
            writeln!(
                out,
                "API changes from {base} to {head}: {}",
                summary(changes, level)
            )
            .unwrap();
            for (operation, list) in grouped(changes) {
                writeln!(out, "\n{operation}").unwrap();
                for change in list {
                    let tag = if change.breaking() { "BREAKING" } else { "ok" };
                    let id = change.kind.rule().id;
                    writeln!(out, "  {tag:<8}  {} [{id}]", change.shown()).unwrap();
                }
            }
            if let RustLevel::NotJudged(why) = level {
                writeln!(out, "\nRust API not judged: {why}").unwrap();
            }
            if !rust.is_empty() {
                writeln!(out, "\n{RUST_HEADING}").unwrap();
                for change in rust.iter() {
                    let tag = if change.breaking { "BREAKING" } else { "ok" };
                    writeln!(out, "  {tag:<8}  {}", change.text).unwrap();
                }
            }
            writeln!(out).unwrap();
            for line in &report.version_lines {
                writeln!(out, "{line}").unwrap();
            }
        }
        Format::Markdown => {
            let level = *rust;
            let rust = level.changes();
            writeln!(out, "### API changes: `{base}` → `{head}`\n").unwrap();
            writeln!(out, "**{}**\n", summary(changes, level)).unwrap();
            for (operation, list) in grouped(changes) {
                writeln!(out, "#### `{operation}`\n").unwrap();
                writeln!(out, "| | change | rule |\n|---|---|---|").unwrap();
                for change in list {
                    let tag = if change.breaking() {
                        "**breaking**"
                    } else {
                        "compatible"
                    };
                    let id = change.kind.rule().id;
                    let text = change.shown().replace('|', "\\|");
                    writeln!(out, "| {tag} | {text} | `{id}` |").unwrap();
                }
                writeln!(out).unwrap();
            }
            let unannounced: Vec<&Change> = changes
                .iter()
                .filter(|c| c.removed_without_deprecation())
                .collect();
            if !unannounced.is_empty() {
                writeln!(
                    out,
                    "> **Removed without being deprecated first** (mark it `deprecated: true` \
                     in a release before, so its users hear of it):\n>"
                )
                .unwrap();
                for change in unannounced {
                    writeln!(out, "> - `{}`: {}", change.operation, change.shown()).unwrap();
                }
                writeln!(out).unwrap();
            }
            if let RustLevel::NotJudged(why) = level {
                writeln!(out, "#### {RUST_HEADING}\n\nNot judged: {why}\n").unwrap();
            }
            if !rust.is_empty() {
                writeln!(out, "#### {RUST_HEADING}\n").unwrap();
                writeln!(out, "| | change |\n|---|---|").unwrap();
                for change in rust.iter() {
                    let tag = if change.breaking {
                        "**breaking**"
                    } else {
                        "compatible"
                    };
                    writeln!(out, "| {tag} | {} |", change.text.replace('|', "\\|")).unwrap();
                }
                writeln!(out).unwrap();
            }
            for line in &report.version_lines {
                writeln!(out, "- {line}").unwrap();
            }
        }
    }
    out
}
