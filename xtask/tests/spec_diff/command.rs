//! The command as a user drives it: exit codes 0/1/2, the markdown form, `--rules`, revisions.

use crate::common::{MINIMAL, assert_contains, minimal_with, stderr, stdout, write_spec, xtask};

/// `cargo xtask spec-diff BASE HEAD EXTRA..` over two specs written to files.
pub(crate) fn spec_diff(base: &str, head: &str, extra: &[&str]) -> std::process::Output {
    let (_a, base) = write_spec("base.yaml", base);
    let (_b, head) = write_spec("head.yaml", head);
    let mut args = vec!["spec-diff", base.to_str().unwrap(), head.to_str().unwrap()];
    args.extend_from_slice(extra);
    xtask(&args)
}

/// `spec_diff`, which must exit with `code` (stderr shown when not); returns the report.
pub(crate) fn spec_diff_report(base: &str, head: &str, extra: &[&str], code: i32) -> String {
    let output = spec_diff(base, head, extra);
    assert_eq!(output.status.code(), Some(code), "{}", stderr(&output));
    stdout(&output)
}

/// MINIMAL with a second operation, `GET /v1/health` (`health`).
pub(crate) fn minimal_with_health() -> String {
    minimal_with(
        "components:",
        "  /v1/health:\n    get:\n      operationId: health\n      responses:\n        '200':\n          \
         description: ok\n          content:\n            application/json:\n              schema:\n                \
         type: string\ncomponents:",
    )
}

const REMOVED_SIZE: (&str, &str) = (
    "        size:\n          type: integer\n          minimum: 0\n          description: How big.\n          example: 3\n",
    "",
);

#[test]
fn identical_specs_exit_0_with_no_changes() {
    let report = spec_diff_report(MINIMAL, MINIMAL, &[], 0);
    assert_contains(&report, &["no changes"]);
}

#[test]
fn same_git_revision_on_both_sides_exits_0() {
    let output = xtask(&["spec-diff", "HEAD", "HEAD"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("no changes"));
}

#[test]
fn compatible_change_exits_0_and_checks_the_minor_bump() {
    // A new operation: a new method and builder for Rust, nothing changed for existing callers.
    let head = minimal_with_health().replace("version: 1.0.0", "version: 1.1.0");
    let report = spec_diff_report(MINIMAL, &head, &[], 0);
    assert_contains(
        &report,
        &[
            "operation added",
            "method `Client::health` added",
            "1.0.0 → 1.1.0: bumped accordingly",
        ],
    );
}

#[test]
fn breaking_change_exits_1_and_says_the_version_was_not_bumped() {
    let report = spec_diff_report(
        MINIMAL,
        &minimal_with(REMOVED_SIZE.0, REMOVED_SIZE.1),
        &[],
        1,
    );
    assert_contains(
        &report,
        &[
            "GET /v1/things/{id} (getThing)",
            "BREAKING  response 200 body: property `size` removed [response-property-removed]",
            "NOT bumped",
        ],
    );
}

#[test]
fn allow_breaking_exits_0_on_a_breaking_change() {
    let head = minimal_with(REMOVED_SIZE.0, REMOVED_SIZE.1);
    let report = spec_diff_report(MINIMAL, &head, &["--allow-breaking"], 0);
    assert_contains(&report, &["BREAKING"]);
}

#[test]
fn markdown_format_is_a_table_per_operation() {
    let head = minimal_with(REMOVED_SIZE.0, REMOVED_SIZE.1);
    let output = spec_diff(MINIMAL, &head, &["--format", "markdown"]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    assert!(report.starts_with("### API changes: `"), "{report}");
    assert_contains(
        &report,
        &[
            "#### `GET /v1/things/{id} (getThing)`",
            "| | change |\n|---|---|\n",
            "| | change | rule |\n|---|---|---|\n| **breaking** | response 200 body: property `size` \
             removed | `response-property-removed` |",
        ],
    );
}

#[test]
fn unreadable_spec_exits_2_naming_the_file_and_line() {
    let output = spec_diff(MINIMAL, &minimal_with("  title: t\n", "  title: [t\n"), &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_contains(&err, &["head.yaml:", "cannot compare"]);
}

#[test]
fn rules_flag_prints_the_wire_rules_as_a_table() {
    let output = xtask(&["spec-diff", "--rules"]);
    assert_eq!(output.status.code(), Some(0));
    let table = stdout(&output);
    assert!(table.starts_with("| rule | verdict | why |\n"), "{table}");
    assert_contains(&table, &["| `request-property-removed` | breaking |"]);
}

#[test]
fn bad_revision_exits_2() {
    let output = xtask(&["spec-diff", "no-such-revision-xyz", "HEAD"]);
    assert_eq!(output.status.code(), Some(2));
    assert_contains(
        &stderr(&output),
        &["`no-such-revision-xyz` is neither a file nor a git revision"],
    );
}
