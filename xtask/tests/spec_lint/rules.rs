//! Rules by name: each problem names its rule, and `x-spec-lint-allow` silences one where the
//! spec says why.

use super::{GET, assert_lints_clean, assert_reported, lint, lint_fails_with};
use crate::common::{assert_contains, minimal_with, stdout, xtask};

#[test]
fn each_problem_names_its_rule() {
    let (_, report) = lint(&minimal_with("      operationId: getThing\n", ""));
    let line = report
        .lines()
        .find(|l| l.starts_with(&format!("error: {GET}: ")))
        .unwrap_or_else(|| panic!("no error at the operation in:\n{report}"));
    assert!(line.ends_with(" [operation-id-missing]"), "{line}");
}

#[test]
fn a_rule_allowed_with_a_reason_is_silenced_there_and_below() {
    let without = minimal_with("          description: The id.\n", "");
    // On the operation: covers its parameter.
    let allowed = without.replace(
        "      operationId: getThing\n",
        "      operationId: getThing\n      x-spec-lint-allow:\n        parameter-description: the vendor documents none\n",
    );
    assert_lints_clean(&allowed);
    // Another rule's allow does not silence it, and is itself reported as silencing nothing.
    let other = allowed.replace("parameter-description:", "operation-tags:");
    let report = lint_fails_with(
        &other,
        "warning",
        &format!("{GET}/parameters/0"),
        "parameter `id` has no description",
    );
    assert_reported(
        &report,
        "warning",
        &format!("{GET}/x-spec-lint-allow/operation-tags"),
        "nothing here breaks it",
    );
}

#[test]
fn an_allow_without_a_reason_or_naming_no_rule_is_an_error() {
    let without = minimal_with("          description: The id.\n", "");
    let at = |entries: &str| {
        without.replace(
            "      operationId: getThing\n",
            &format!("      operationId: getThing\n      x-spec-lint-allow: {entries}\n"),
        )
    };
    lint_fails_with(
        &at("{parameter-description: ''}"),
        "error",
        &format!("{GET}/x-spec-lint-allow/parameter-description"),
        "say why",
    );
    let (_, report) = lint(&at("{no-such-rule: because}"));
    assert_reported(
        &report,
        "error",
        &format!("{GET}/x-spec-lint-allow/no-such-rule"),
        "no rule of spec-lint",
    );
    let (_, report) = lint(&at("[parameter-description]"));
    assert_reported(
        &report,
        "error",
        &format!("{GET}/x-spec-lint-allow"),
        "maps each rule to why",
    );
}

#[test]
fn rules_flag_prints_the_registry_as_a_table() {
    let output = xtask(&["spec-lint", "--rules"]);
    assert_eq!(output.status.code(), Some(0));
    let table = stdout(&output);
    assert!(
        table.starts_with("| rule | severity | what it finds |\n"),
        "{table}"
    );
    assert_contains(
        &table,
        &[
            "| `operation-id-missing` | error |",
            "| `unknown-format` | warning |",
        ],
    );
}
