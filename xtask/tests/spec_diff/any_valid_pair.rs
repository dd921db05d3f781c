//! A verdict for every valid OpenAPI 3.0 pair: when progenitor cannot generate a side, the wire
//! is judged alone and the report says why the Rust API was not.

use super::{spec_diff, spec_diff_report};
use crate::both_levels::DIFF_BASE;
use crate::common::{MINIMAL, assert_contains, stderr};

/// Valid OpenAPI 3.0 that progenitor cannot generate: the operation has no operationId.
const NO_OPERATION_ID: &str = include_str!("../fixtures/no_operation_id.yaml");

#[test]
fn a_side_progenitor_cannot_generate_gets_the_wire_verdict_and_says_why_the_rust_api_was_not() {
    let head = NO_OPERATION_ID.replace("                  size: {type: integer}\n", "");
    let report = spec_diff_report(NO_OPERATION_ID, &head, &[], 1);
    assert_contains(
        &report,
        &[
            "BREAKING  response 200 body: property `size` removed",
            "Rust API: not judged",
        ],
    );
    let why = report
        .lines()
        .find(|l| l.starts_with("Rust API not judged: "))
        .unwrap_or_else(|| panic!("no reason line in:\n{report}"));
    assert_eq!(
        why,
        "Rust API not judged: progenitor cannot generate either side: path /v1/things is missing operation ID"
    );

    let compatible = NO_OPERATION_ID.replace(
        "                  size: {type: integer}\n",
        "                  size: {type: integer}\n                  color: {type: string}\n",
    );
    let report = spec_diff_report(NO_OPERATION_ID, &compatible, &["--format", "markdown"], 0);
    assert_contains(
        &report,
        &[
            "#### Rust API (chatcaptain-api, generated code compared)\n\nNot judged: progenitor \
             cannot generate either side: path /v1/things is missing operation ID\n",
        ],
    );
}

#[test]
fn a_progenitor_panic_is_named_by_the_shape_it_cannot_handle_without_its_panic_text() {
    // Two media types for one body: progenitor panics ("not yet implemented").
    let two = DIFF_BASE.replace(
        "          application/json:\n            schema: {$ref: '#/components/schemas/NewThing'}",
        "          application/json:\n            schema: {$ref: '#/components/schemas/NewThing'}\n          \
         application/xml:\n            schema: {$ref: '#/components/schemas/NewThing'}",
    );
    assert_ne!(two, DIFF_BASE);
    let report = spec_diff_report(&two, &two, &[], 0);
    let why = report
        .lines()
        .find(|l| l.starts_with("Rust API not judged: "))
        .unwrap_or_else(|| panic!("no reason line in:\n{report}"));
    assert_contains(why, &["2 media types"]);
    assert!(
        !why.contains("panic") && !why.contains("not yet implemented"),
        "{why}"
    );
}

#[test]
fn only_a_document_that_is_not_openapi_3_0_exits_2_and_says_what_is_wrong() {
    let output = spec_diff(
        MINIMAL,
        &MINIMAL.replace("openapi: 3.0.3", "openapi: 3.1.0"),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_contains(
        &err,
        &["head.yaml:1: OpenAPI version 3.1.0 is not supported"],
    );
    let output = spec_diff(
        MINIMAL,
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\n",
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert_contains(
        &stderr(&output),
        &["a Swagger \"2.0\" document (OpenAPI 2): OpenAPI 3.0.x required"],
    );
    let output = spec_diff(MINIMAL, "info: {title: t, version: '1'}\npaths: {}\n", &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_contains(&stderr(&output), &["no `openapi` version field"]);
}

#[test]
fn openapi_3_0_without_a_patch_number_is_read_as_3_0_quoted_or_not() {
    for version in ["openapi: 3.0", "openapi: '3.0'"] {
        let output = spec_diff(MINIMAL, &MINIMAL.replace("openapi: 3.0.3", version), &[]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{version}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn yaml_keys_that_are_not_strings_are_read_as_strings() {
    // `0:` in `examples`, `1.5:` and `true:` in `properties`, `200:` in `responses`.
    let base = r#"openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /v1/things:
    get:
      operationId: getThings
      parameters:
        - name: q
          in: query
          schema: {type: string}
          examples:
            0: {value: abc}
      responses:
        200:
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  1.5: {type: string}
                  true: {type: integer}
"#;
    let report = spec_diff_report(base, base, &[], 0);
    assert_contains(&report, &[": no changes"]);
    let head = base.replace("true: {type: integer}", "true: {type: string}");
    let report = spec_diff_report(base, &head, &[], 1);
    assert_contains(
        &report,
        &["response 200 body: `true` type changed from `integer` to `string`"],
    );
    assert!(!report.contains("not judged"), "{report}");
}
