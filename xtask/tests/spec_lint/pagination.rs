//! `spec-lint` on the `x-pagination` extension: each named thing must exist with the type the
//! generated listing relies on, and the error points at the key that is wrong.

use super::{assert_reported, lint};
use crate::common::repo_root;

const LIST: &str = "/paths/~1v1~1chatbots~1{chatbotId}~1contacts/get/x-pagination";
const SEARCH: &str = "/paths/~1v1~1chatbots~1{chatbotId}~1contacts~1search/get/x-pagination";

/// The committed spec with `from` replaced by `to` (which must be there), linted.
fn lint_spec_with(from: &str, to: &str) -> String {
    let spec = std::fs::read_to_string(repo_root().join("spec/chatcaptain.yaml")).unwrap();
    assert!(spec.contains(from), "fixture anchor not found: {from:?}");
    let (code, report) = lint(&spec.replacen(from, to, 1));
    assert_eq!(code, 1, "{report}");
    report
}

#[test]
fn pagination_naming_a_parameter_the_operation_lacks_is_an_error() {
    let report = lint_spec_with("token: pageToken", "token: pageTokn");
    assert_reported(
        &report,
        "error",
        &format!("{LIST}/token"),
        "no parameter `pageTokn`",
    );
}

#[test]
fn pagination_cursor_token_that_is_not_a_date_time_is_an_error() {
    let report = lint_spec_with("token: pageToken", "token: limit");
    assert_reported(&report, "error", &format!("{LIST}/token"), "date-time");
}

#[test]
fn pagination_size_that_is_not_an_integer_is_an_error() {
    let report = lint_spec_with("size: pageSize", "size: query");
    assert_reported(&report, "error", &format!("{SEARCH}/size"), "an integer");
}

#[test]
fn pagination_items_path_missing_from_the_success_body_is_an_error() {
    let report = lint_spec_with(
        "items: results.hits[].document",
        "items: results.hitz[].document",
    );
    assert_reported(
        &report,
        "error",
        &format!("{SEARCH}/items"),
        "no such field in SearchContactsResponse",
    );
}

#[test]
fn pagination_cursor_field_that_is_not_a_date_time_is_an_error() {
    let report = lint_spec_with("cursorField: created", "cursorField: name");
    assert_reported(
        &report,
        "error",
        &format!("{LIST}/cursorField"),
        "must be a date-time property of Contact",
    );
}

#[test]
fn pagination_id_field_that_is_not_a_required_string_is_an_error() {
    let report = lint_spec_with(
        "        idField: id\n      parameters:",
        "        idField: name\n      parameters:",
    );
    assert_reported(
        &report,
        "error",
        &format!("{SEARCH}/idField"),
        "required string property of Contact",
    );
}

#[test]
fn pagination_total_that_is_not_an_integer_is_an_error() {
    let report = lint_spec_with("total: results.found", "total: results.hits");
    assert_reported(
        &report,
        "error",
        &format!("{SEARCH}/total"),
        "must be an integer field",
    );
}

#[test]
fn pagination_unknown_style_and_key_are_errors() {
    let report = lint_spec_with("        style: cursor", "        style: offset");
    assert_reported(
        &report,
        "error",
        &format!("{LIST}/style"),
        "not one of `cursor`, `page-number`",
    );
    let report = lint_spec_with("        order: newest-first", "        order: oldest-first");
    assert_reported(&report, "error", &format!("{LIST}/order"), "newest-first");
    let report = lint_spec_with(
        "exclude: hiddenHits",
        "exclude: hiddenHits\n        next: pageToken",
    );
    assert_reported(
        &report,
        "error",
        &format!("{SEARCH}/next"),
        "not a key of this style",
    );
}

#[test]
fn pagination_cursor_token_that_is_required_is_an_error() {
    let report = lint_spec_with(
        "        - name: pageToken\n          in: query\n          required: false",
        "        - name: pageToken\n          in: query\n          required: true",
    );
    assert_reported(
        &report,
        "error",
        &format!("{LIST}/token"),
        "must be optional",
    );
}
