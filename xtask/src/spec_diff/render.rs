//! The report, for a terminal or for a pull request.

use std::fmt::Write;

use super::rules::Change;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
}

pub struct Report<'a> {
    pub base: &'a str,
    pub head: &'a str,
    pub changes: &'a [Change],
    pub version_line: String,
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

fn summary(changes: &[Change]) -> String {
    let breaking = changes.iter().filter(|c| c.breaking).count();
    if changes.is_empty() {
        "no changes".into()
    } else {
        format!(
            "{breaking} breaking, {} compatible change(s)",
            changes.len() - breaking
        )
    }
}

pub fn render(report: &Report, format: Format) -> String {
    let mut out = String::new();
    let Report {
        base,
        head,
        changes,
        ..
    } = report;
    match format {
        Format::Text => {
            writeln!(
                out,
                "API changes from {base} to {head}: {}",
                summary(changes)
            )
            .unwrap();
            for (operation, list) in grouped(changes) {
                writeln!(out, "\n{operation}").unwrap();
                for change in list {
                    let tag = if change.breaking { "BREAKING" } else { "ok" };
                    writeln!(out, "  {tag:<8}  {}", change.text).unwrap();
                }
            }
            writeln!(out, "\n{}", report.version_line).unwrap();
        }
        Format::Markdown => {
            writeln!(out, "### API changes: `{base}` → `{head}`\n").unwrap();
            writeln!(out, "**{}**\n", summary(changes)).unwrap();
            for (operation, list) in grouped(changes) {
                writeln!(out, "#### `{operation}`\n").unwrap();
                writeln!(out, "| | change |\n|---|---|").unwrap();
                for change in list {
                    let tag = if change.breaking {
                        "**breaking**"
                    } else {
                        "compatible"
                    };
                    writeln!(out, "| {tag} | {} |", change.text.replace('|', "\\|")).unwrap();
                }
                writeln!(out).unwrap();
            }
            writeln!(out, "{}", report.version_line).unwrap();
        }
    }
    out
}
