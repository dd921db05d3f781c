//! What every operation, parameter and property must have, and what the examples must match.

use super::{GET, assert_lints_clean, lint_fails_with};
use crate::common::{
    MINIMAL, assert_contains, codegen_spec, minimal_with, stderr, stdout, write_spec, xtask,
};

/// MINIMAL with one more response on `getThing` (`response` is its YAML, status first).
fn with_response(response: &str) -> String {
    minimal_with("components:", &format!("{response}components:"))
}

/// MINIMAL with a second success response, `201`, whose JSON body is `schema` (YAML, one line).
fn with_created_body(schema: &str) -> String {
    with_response(&format!(
        "        '201':\n          description: created\n          content:\n            \
         application/json:\n              schema:\n                {schema}\n"
    ))
}

#[test]
fn committed_spec_lints_clean() {
    let output = xtask(&["spec-lint"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("no problems"));
}

#[test]
fn minimal_fixture_lints_clean() {
    assert_lints_clean(MINIMAL);
}

#[test]
fn missing_operation_id_is_an_error_at_the_operation() {
    lint_fails_with(
        &minimal_with("      operationId: getThing\n", ""),
        "error",
        GET,
        "no operationId",
    );
}

#[test]
fn duplicate_operation_id_is_an_error_at_the_second_one() {
    let spec = minimal_with(
        "components:",
        "    delete:\n      operationId: getThing\n      summary: Delete\n      tags: [things]\n      \
         responses:\n        '200':\n          description: ok\n          content:\n            \
         application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\ncomponents:",
    );
    lint_fails_with(
        &spec,
        "error",
        "/paths/~1v1~1things~1{id}/delete/operationId",
        "also used",
    );
}

#[test]
fn missing_summary_is_a_warning_at_the_operation() {
    lint_fails_with(
        &minimal_with("      summary: Get a thing\n", ""),
        "warning",
        GET,
        "no summary",
    );
}

#[test]
fn missing_tags_is_a_warning_at_the_operation() {
    lint_fails_with(
        &minimal_with("      tags: [things]\n", ""),
        "warning",
        GET,
        "no tags",
    );
}

#[test]
fn success_response_without_json_body_is_a_warning() {
    let spec = minimal_with(
        "          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\n",
        "",
    );
    lint_fails_with(
        &spec,
        "warning",
        &format!("{GET}/responses/200"),
        "no application/json body",
    );
}

#[test]
fn two_success_responses_with_the_same_json_body_lint_clean() {
    // One body type for both statuses is what progenitor generates one type for; "200 or 201"
    // is how a spec says it does not know which of the two the server answers.
    assert_lints_clean(&with_created_body("$ref: '#/components/schemas/Thing'"));
}

#[test]
fn a_second_success_response_without_a_body_is_a_warning() {
    let spec = with_response("        '204':\n          description: nothing\n");
    lint_fails_with(
        &spec,
        "warning",
        &format!("{GET}/responses/204"),
        "no application/json body",
    );
}

#[test]
fn two_success_bodies_are_an_error_naming_the_operation() {
    lint_fails_with(
        &with_created_body("type: string"),
        "error",
        &format!("{GET}/responses/201"),
        "operation `getThing`",
    );
}

#[test]
fn parameter_without_description_is_a_warning_at_the_parameter() {
    lint_fails_with(
        &minimal_with("          description: The id.\n", ""),
        "warning",
        &format!("{GET}/parameters/0"),
        "parameter `id` has no description",
    );
}

#[test]
fn property_without_description_is_a_warning_at_the_property() {
    lint_fails_with(
        &minimal_with("          description: How big.\n", ""),
        "warning",
        "/components/schemas/Thing/properties/size",
        "property `size` has no description",
    );
}

#[test]
fn ref_property_is_described_by_its_target() {
    let spec = minimal_with(
        "        size:\n",
        "        other:\n          $ref: '#/components/schemas/Other'\n        size:\n",
    ) + "    Other:\n      type: string\n";
    lint_fails_with(
        &spec,
        "warning",
        "/components/schemas/Thing/properties/other",
        "no description",
    );
    assert_lints_clean(&format!("{spec}      description: Another.\n"));
}

#[test]
fn property_example_outside_its_schema_is_a_warning_at_the_example() {
    lint_fails_with(
        &minimal_with("          example: 3\n", "          example: -3\n"),
        "warning",
        "/components/schemas/Thing/properties/size/example",
        "minimum",
    );
}

#[test]
fn parameter_example_of_the_wrong_type_is_a_warning_at_the_example() {
    lint_fails_with(
        &minimal_with("          example: abc\n", "          example: [1]\n"),
        "warning",
        &format!("{GET}/parameters/0/example"),
        "not of type",
    );
}

#[test]
fn media_type_example_is_checked_against_the_referenced_schema() {
    let spec = minimal_with(
        "                $ref: '#/components/schemas/Thing'\n",
        "                $ref: '#/components/schemas/Thing'\n              example:\n                id: 5\n",
    );
    lint_fails_with(
        &spec,
        "warning",
        &format!("{GET}/responses/200/content/application~1json/example"),
        "/id:",
    );
}

#[test]
fn nullable_example_null_is_valid() {
    let spec = minimal_with(
        "          description: How big.\n          example: 3\n",
        "          description: How big.\n          nullable: true\n          example: null\n",
    );
    assert_lints_clean(&spec);
}

#[test]
fn unused_component_is_a_warning_at_the_component() {
    let spec = format!("{MINIMAL}    Spare:\n      type: string\n      description: Not used.\n");
    lint_fails_with(&spec, "warning", "/components/schemas/Spare", "not used");
}

#[test]
fn unresolved_ref_is_an_error_at_the_ref() {
    let spec = minimal_with("schemas/Thing'", "schemas/Nothing'");
    lint_fails_with(
        &spec,
        "error",
        &format!("{GET}/responses/200/content/application~1json/schema/$ref"),
        "does not resolve",
    );
}

#[test]
fn media_type_without_schema_is_an_error_naming_the_operation() {
    let spec = minimal_with(
        "              schema:\n                $ref: '#/components/schemas/Thing'\n",
        "              example: {}\n",
    );
    lint_fails_with(
        &spec,
        "error",
        &format!("{GET}/responses/200/content/application~1json"),
        "`getThing`",
    );
}

#[test]
fn openapi_3_1_fails_with_3_0_required() {
    let (_dir, path) = write_spec("spec.yaml", &minimal_with("3.0.3", "3.1.0"));
    let output = xtask(&["spec-lint", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert_contains(&stderr(&output), &["3.0.x required"]);
}

#[test]
fn codegen_refuses_a_spec_with_a_lint_error_naming_the_operation() {
    let (output, wrote) = codegen_spec(&minimal_with("schemas/Thing'", "schemas/Nothing'"));
    assert!(!output.status.success());
    let err = stderr(&output);
    assert_contains(&err, &["operation `getThing`", "does not resolve"]);
    assert!(!wrote);
}

#[test]
fn codegen_generates_despite_lint_warnings_and_prints_them() {
    let (output, wrote) = codegen_spec(&minimal_with("      summary: Get a thing\n", ""));
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("warning: /paths/~1v1~1things~1{id}/get: "));
    assert!(wrote);
}
