//! `cargo xtask spec-lint`, driven as a user drives it: each rule fires on a small bad spec, at
//! the right JSON pointer, with the right severity.
//!
//! One test binary (each links progenitor again): the documents, what validators catch, rules by
//! name, and the `x-pagination` extension.

#[path = "../common/mod.rs"]
mod common;

mod documents;
mod pagination;
mod rules;
mod validators;

use crate::common::{stdout, write_spec, xtask};

pub(crate) const GET: &str = "/paths/~1v1~1things~1{id}/get";

/// Lints `text`; returns the exit code and stdout (one `severity: pointer: message` per line).
pub(crate) fn lint(text: &str) -> (i32, String) {
    let (_dir, path) = write_spec("spec.yaml", text);
    let output = xtask(&["spec-lint", path.to_str().unwrap()]);
    (output.status.code().unwrap(), stdout(&output))
}

pub(crate) fn assert_reported(report: &str, severity: &str, pointer: &str, words: &str) {
    let prefix = format!("{severity}: {pointer}: ");
    let line = report.lines().find(|l| l.starts_with(&prefix));
    let line = line.unwrap_or_else(|| panic!("no `{prefix}` in:\n{report}"));
    assert!(line.contains(words), "`{words}` not in: {line}");
}

/// Lints `text`, which must fail (exit 1) with a `severity` line at `pointer` naming `words`;
/// returns the report for whatever else the test checks.
pub(crate) fn lint_fails_with(text: &str, severity: &str, pointer: &str, words: &str) -> String {
    let (code, report) = lint(text);
    assert_eq!(code, 1, "{report}");
    assert_reported(&report, severity, pointer, words);
    report
}

/// Lints `text`, which must pass (exit 0; the report shown when not).
pub(crate) fn assert_lints_clean(text: &str) {
    let (code, report) = lint(text);
    assert_eq!(code, 0, "{report}");
}
