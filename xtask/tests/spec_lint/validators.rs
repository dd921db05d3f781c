//! What openapi-spec-validator, Redocly and Spectral catch, spec-lint catches too.

use super::{GET, assert_reported, lint_fails_with};
use crate::common::{assert_contains, codegen_spec, minimal_with, stderr};

const ID_PARAM: &str = "        - name: id\n          in: path\n          required: true\n";

#[test]
fn path_parameter_not_required_is_an_error_at_required() {
    let spec = minimal_with(
        ID_PARAM,
        "        - name: id\n          in: path\n          required: false\n",
    );
    lint_fails_with(
        &spec,
        "error",
        &format!("{GET}/parameters/0/required"),
        "path parameter `id` must be `required: true`",
    );
}

#[test]
fn path_template_variable_without_a_parameter_is_an_error_at_the_operation() {
    let spec = minimal_with("  /v1/things/{id}:\n", "  /v1/things/{id}/{contactId}:\n");
    lint_fails_with(
        &spec,
        "error",
        "/paths/~1v1~1things~1{id}~1{contactId}/get",
        "path template variable `{contactId}`",
    );
}

#[test]
fn path_parameter_missing_from_the_path_is_an_error() {
    let spec = minimal_with("  /v1/things/{id}:\n", "  /v1/things:\n");
    lint_fails_with(
        &spec,
        "error",
        "/paths/~1v1~1things/get/parameters/0",
        "path parameter `id` does not appear in `/v1/things`",
    );
}

#[test]
fn parameter_declared_twice_is_an_error_at_the_second() {
    let limit = "        - name: limit\n          in: query\n          description: How many.\n          \
                 schema:\n            type: integer\n          example: 5\n";
    let spec = minimal_with(
        "      responses:\n",
        &format!("{limit}{limit}      responses:\n"),
    );
    lint_fails_with(
        &spec,
        "error",
        &format!("{GET}/parameters/2"),
        "parameter `limit` (query) is declared twice, also at",
    );
}

#[test]
fn unknown_type_is_an_error_at_the_keyword_of_its_own_schema() {
    // `Address` sorts before `Thing`: it used to be blamed, with an empty pointer.
    let spec = minimal_with("          type: integer\n", "          type: strin\n")
        + "    Address:\n      type: object\n      description: Where.\n";
    let spec = spec.replace(
        "        id:\n          type: string\n",
        "        id:\n          type: string\n        place:\n          $ref: '#/components/schemas/Address'\n",
    );
    let report = lint_fails_with(
        &spec,
        "error",
        "/components/schemas/Thing/properties/size/type",
        "`type: strin` is not a type",
    );
    assert!(
        !report.lines().any(|l| l.contains(": : ")),
        "a problem without a pointer:\n{report}"
    );
    assert!(
        !report.contains("/components/schemas/Address"),
        "blamed the wrong schema:\n{report}"
    );
}

#[test]
fn unknown_format_is_a_warning_with_a_suggestion() {
    let spec = minimal_with(
        "          type: string\n          description: The id.\n          example: abc\n",
        "          type: string\n          format: datetime\n          description: The id.\n          example: abc\n",
    );
    lint_fails_with(
        &spec,
        "warning",
        "/components/schemas/Thing/properties/id/format",
        "unknown format `datetime` (did you mean `date-time`?)",
    );
}

#[test]
fn nullable_without_type_is_an_error() {
    let spec = minimal_with(
        "        size:\n          type: integer\n",
        "        size:\n          nullable: true\n          allOf:\n            - type: integer\n",
    );
    lint_fails_with(
        &spec,
        "error",
        "/components/schemas/Thing/properties/size/nullable",
        "`nullable: true` without `type`",
    );
}

#[test]
fn unknown_keyword_is_an_error_from_the_openapi_schema() {
    let spec = minimal_with(
        "          description: How big.\n",
        "          description: How big.\n          nulable: true\n",
    );
    lint_fails_with(
        &spec,
        "error",
        "/components/schemas/Thing/properties/size",
        "not valid OpenAPI 3.0: Additional properties are not allowed ('nulable' was unexpected)",
    );
}

#[test]
fn codegen_refuses_a_path_parameter_that_is_not_required_without_a_panic() {
    let (output, wrote) = codegen_spec(&minimal_with(
        ID_PARAM,
        "        - name: id\n          in: path\n          required: false\n",
    ));
    assert!(!output.status.success());
    let err = stderr(&output);
    assert_contains(&err, &["must be `required: true`"]);
    assert!(!err.contains("panic"), "{err}");
    assert!(!wrote);
}

#[test]
fn default_outside_its_schema_is_an_error() {
    let spec = minimal_with(
        "          minimum: 0\n          description: How big.\n",
        "          minimum: 0\n          default: -1\n          description: How big.\n",
    );
    lint_fails_with(
        &spec,
        "error",
        "/components/schemas/Thing/properties/size/default",
        "default does not match its schema",
    );
}

#[test]
fn enum_value_of_another_type_is_an_error() {
    let spec = minimal_with(
        "          minimum: 0\n          description: How big.\n          example: 3\n",
        "          minimum: 0\n          enum: [3, big]\n          description: How big.\n          example: 3\n",
    );
    lint_fails_with(
        &spec,
        "error",
        "/components/schemas/Thing/properties/size/enum/1",
        "enum value \"big\" does not match the type",
    );
}

#[test]
fn security_requirement_naming_no_scheme_is_an_error() {
    let spec = minimal_with("paths:\n", "security:\n  - apiKey: []\npaths:\n");
    lint_fails_with(
        &spec,
        "error",
        "/security/0/apiKey",
        "security scheme `apiKey` is not defined",
    );
}

#[test]
fn codegen_extensions_of_the_wrong_kind_are_errors_at_their_pointer() {
    let spec = minimal_with(
        "      operationId: getThing\n",
        "      operationId: getThing\n      x-idempotent: 'yes'\n      x-rust-method: Fetch\n",
    );
    let spec = spec.replacen(
        "    Thing:\n",
        "    Thing:\n      x-rust-wrapper: 1\n      x-rust-unwrap: nothing\n",
        1,
    );
    let spec = spec.replacen(
        "paths:\n",
        "tags:\n  - name: things\n    x-rust-handle: Things\npaths:\n",
        1,
    );
    let report = lint_fails_with(
        &spec,
        "error",
        &format!("{GET}/x-idempotent"),
        "true or false",
    );
    assert_reported(
        &report,
        "error",
        &format!("{GET}/x-rust-method"),
        "snake_case",
    );
    assert_reported(&report, "error", "/tags/0/x-rust-handle", "snake_case");
    assert_reported(
        &report,
        "error",
        "/components/schemas/Thing/x-rust-wrapper",
        "true or false",
    );
    assert_reported(
        &report,
        "error",
        "/components/schemas/Thing/x-rust-unwrap",
        "one of its properties",
    );
}
