//! `cargo xtask spec-lint`, driven as a user drives it: each rule fires on a small bad spec, at
//! the right JSON pointer, with the right severity.

mod common;

use common::{MINIMAL, minimal_with, stderr, stdout, write_spec, xtask};

const GET: &str = "/paths/~1v1~1things~1{id}/get";

/// Lints `text`; returns the exit code and stdout (one `severity: pointer: message` per line).
fn lint(text: &str) -> (i32, String) {
    let (_dir, path) = write_spec("spec.yaml", text);
    let output = xtask(&["spec-lint", path.to_str().unwrap()]);
    (output.status.code().unwrap(), stdout(&output))
}

fn assert_reported(report: &str, severity: &str, pointer: &str, words: &str) {
    let prefix = format!("{severity}: {pointer}: ");
    let line = report.lines().find(|l| l.starts_with(&prefix));
    let line = line.unwrap_or_else(|| panic!("no `{prefix}` in:\n{report}"));
    assert!(line.contains(words), "`{words}` not in: {line}");
}

#[test]
fn committed_spec_lints_clean() {
    let output = xtask(&["spec-lint"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("no problems"));
}

#[test]
fn minimal_fixture_lints_clean() {
    let (code, report) = lint(MINIMAL);
    assert_eq!(code, 0, "{report}");
}

#[test]
fn missing_operation_id_is_an_error_at_the_operation() {
    let (code, report) = lint(&minimal_with("      operationId: getThing\n", ""));
    assert_eq!(code, 1);
    assert_reported(&report, "error", GET, "no operationId");
}

#[test]
fn duplicate_operation_id_is_an_error_at_the_second_one() {
    let spec = minimal_with(
        "components:",
        "    delete:\n      operationId: getThing\n      summary: Delete\n      tags: [things]\n      \
         responses:\n        '200':\n          description: ok\n          content:\n            \
         application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\ncomponents:",
    );
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "error",
        "/paths/~1v1~1things~1{id}/delete/operationId",
        "also used",
    );
}

#[test]
fn missing_summary_is_a_warning_at_the_operation() {
    let (code, report) = lint(&minimal_with("      summary: Get a thing\n", ""));
    assert_eq!(code, 1);
    assert_reported(&report, "warning", GET, "no summary");
}

#[test]
fn missing_tags_is_a_warning_at_the_operation() {
    let (code, report) = lint(&minimal_with("      tags: [things]\n", ""));
    assert_eq!(code, 1);
    assert_reported(&report, "warning", GET, "no tags");
}

#[test]
fn success_response_without_json_body_is_a_warning() {
    let spec = minimal_with(
        "          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\n",
        "",
    );
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "warning",
        &format!("{GET}/responses/200"),
        "no application/json body",
    );
}

#[test]
fn two_success_responses_with_the_same_json_body_lint_clean() {
    // One body type for both statuses is what progenitor generates one type for; "200 or 201"
    // is how a spec says it does not know which of the two the server answers.
    let spec = minimal_with(
        "components:",
        "        '201':\n          description: created\n          content:\n            application/json:\n              \
         schema:\n                $ref: '#/components/schemas/Thing'\ncomponents:",
    );
    let (code, report) = lint(&spec);
    assert_eq!(code, 0, "{report}");
}

#[test]
fn a_second_success_response_without_a_body_is_a_warning() {
    let spec = minimal_with(
        "components:",
        "        '204':\n          description: nothing\ncomponents:",
    );
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "warning",
        &format!("{GET}/responses/204"),
        "no application/json body",
    );
}

#[test]
fn two_success_bodies_are_an_error_naming_the_operation() {
    let spec = minimal_with(
        "components:",
        "        '201':\n          description: created\n          content:\n            application/json:\n              \
         schema:\n                type: string\ncomponents:",
    );
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "error",
        &format!("{GET}/responses/201"),
        "operation `getThing`",
    );
}

#[test]
fn parameter_without_description_is_a_warning_at_the_parameter() {
    let (code, report) = lint(&minimal_with("          description: The id.\n", ""));
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "warning",
        &format!("{GET}/parameters/0"),
        "parameter `id` has no description",
    );
}

#[test]
fn property_without_description_is_a_warning_at_the_property() {
    let (code, report) = lint(&minimal_with("          description: How big.\n", ""));
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "warning",
        "/components/schemas/Thing/properties/other",
        "no description",
    );
    let (code, report) = lint(&format!("{spec}      description: Another.\n"));
    assert_eq!(code, 0, "{report}");
}

#[test]
fn property_example_outside_its_schema_is_a_warning_at_the_example() {
    let (code, report) = lint(&minimal_with(
        "          example: 3\n",
        "          example: -3\n",
    ));
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "warning",
        "/components/schemas/Thing/properties/size/example",
        "minimum",
    );
}

#[test]
fn parameter_example_of_the_wrong_type_is_a_warning_at_the_example() {
    let (code, report) = lint(&minimal_with(
        "          example: abc\n",
        "          example: [1]\n",
    ));
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 0, "{report}");
}

#[test]
fn unused_component_is_a_warning_at_the_component() {
    let spec = format!("{MINIMAL}    Spare:\n      type: string\n      description: Not used.\n");
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(&report, "warning", "/components/schemas/Spare", "not used");
}

#[test]
fn unresolved_ref_is_an_error_at_the_ref() {
    let spec = minimal_with("schemas/Thing'", "schemas/Nothing'");
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    assert!(
        stderr(&output).contains("3.0.x required"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn codegen_refuses_a_spec_with_a_lint_error_naming_the_operation() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    std::fs::write(&spec, minimal_with("schemas/Thing'", "schemas/Nothing'")).unwrap();
    let out = dir.path().join("generated.rs");
    let output = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("operation `getThing`"), "{err}");
    assert!(err.contains("does not resolve"), "{err}");
    assert!(!out.exists());
}

#[test]
fn codegen_generates_despite_lint_warnings_and_prints_them() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    std::fs::write(&spec, minimal_with("      summary: Get a thing\n", "")).unwrap();
    let out = dir.path().join("generated.rs");
    let output = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("warning: /paths/~1v1~1things~1{id}/get: "));
    assert!(out.exists());
}

// What openapi-spec-validator, Redocly and Spectral catch, spec-lint catches too.

const ID_PARAM: &str = "        - name: id\n          in: path\n          required: true\n";

#[test]
fn path_parameter_not_required_is_an_error_at_required() {
    let spec = minimal_with(
        ID_PARAM,
        "        - name: id\n          in: path\n          required: false\n",
    );
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "error",
        &format!("{GET}/parameters/0/required"),
        "path parameter `id` must be `required: true`",
    );
}

#[test]
fn path_template_variable_without_a_parameter_is_an_error_at_the_operation() {
    let spec = minimal_with("  /v1/things/{id}:\n", "  /v1/things/{id}/{contactId}:\n");
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "error",
        "/paths/~1v1~1things~1{id}~1{contactId}/get",
        "path template variable `{contactId}`",
    );
}

#[test]
fn path_parameter_missing_from_the_path_is_an_error() {
    let spec = minimal_with("  /v1/things/{id}:\n", "  /v1/things:\n");
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "error",
        "/components/schemas/Thing/properties/size",
        "not valid OpenAPI 3.0: Additional properties are not allowed ('nulable' was unexpected)",
    );
}

#[test]
fn codegen_refuses_a_path_parameter_that_is_not_required_without_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("spec.yaml");
    let text = minimal_with(
        ID_PARAM,
        "        - name: id\n          in: path\n          required: false\n",
    );
    std::fs::write(&spec, text).unwrap();
    let out = dir.path().join("generated.rs");
    let output = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("must be `required: true`"), "{err}");
    assert!(!err.contains("panic"), "{err}");
    assert!(!out.exists());
}

#[test]
fn default_outside_its_schema_is_an_error() {
    let spec = minimal_with(
        "          minimum: 0\n          description: How big.\n",
        "          minimum: 0\n          default: -1\n          description: How big.\n",
    );
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
        "error",
        "/components/schemas/Thing/properties/size/enum/1",
        "enum value \"big\" does not match the type",
    );
}

#[test]
fn security_requirement_naming_no_scheme_is_an_error() {
    let spec = minimal_with("paths:\n", "security:\n  - apiKey: []\npaths:\n");
    let (code, report) = lint(&spec);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&spec);
    assert_eq!(code, 1, "{report}");
    assert_reported(
        &report,
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

// ---------------------------------------------------------------------------------------------
// Rules by name: each problem names its rule, and `x-spec-lint-allow` silences one where the spec
// says why.

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
    let (code, report) = lint(&allowed);
    assert_eq!(code, 0, "{report}");
    // Another rule's allow does not silence it, and is itself reported as silencing nothing.
    let other = allowed.replace("parameter-description:", "operation-tags:");
    let (code, report) = lint(&other);
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    let (code, report) = lint(&at("{parameter-description: ''}"));
    assert_eq!(code, 1);
    assert_reported(
        &report,
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
    assert!(
        table.contains("| `operation-id-missing` | error |"),
        "{table}"
    );
    assert!(table.contains("| `unknown-format` | warning |"), "{table}");
}
