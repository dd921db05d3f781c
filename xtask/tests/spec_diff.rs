//! `cargo xtask spec-diff`, driven as a user drives it: exit codes 0/1/2 and the markdown form.

mod common;

use common::{MINIMAL, minimal_with, repo_root, stderr, stdout, write_spec, xtask};

fn spec_diff(base: &str, head: &str, extra: &[&str]) -> std::process::Output {
    let (_a, base) = write_spec("base.yaml", base);
    let (_b, head) = write_spec("head.yaml", head);
    let mut args = vec!["spec-diff", base.to_str().unwrap(), head.to_str().unwrap()];
    args.extend_from_slice(extra);
    xtask(&args)
}

const REMOVED_SIZE: (&str, &str) = (
    "        size:\n          type: integer\n          minimum: 0\n          description: How big.\n          example: 3\n",
    "",
);

#[test]
fn identical_specs_exit_0_with_no_changes() {
    let output = spec_diff(MINIMAL, MINIMAL, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("no changes"),
        "{}",
        stdout(&output)
    );
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
    let head = minimal_with(
        "components:",
        "  /v1/health:\n    get:\n      operationId: health\n      responses:\n        '200':\n          \
         description: ok\n          content:\n            application/json:\n              schema:\n                \
         type: string\ncomponents:",
    )
    .replace("version: 1.0.0", "version: 1.1.0");
    let output = spec_diff(MINIMAL, &head, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(report.contains("operation added"), "{report}");
    assert!(report.contains("method `Client::health` added"), "{report}");
    assert!(
        report.contains("1.0.0 → 1.1.0: bumped accordingly"),
        "{report}"
    );
}

#[test]
fn breaking_change_exits_1_and_says_the_version_was_not_bumped() {
    let output = spec_diff(MINIMAL, &minimal_with(REMOVED_SIZE.0, REMOVED_SIZE.1), &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("GET /v1/things/{id} (getThing)"),
        "{report}"
    );
    assert!(
        report.contains(
            "BREAKING  response 200 body: property `size` removed [response-property-removed]"
        ),
        "{report}"
    );
    assert!(report.contains("NOT bumped"), "{report}");
}

#[test]
fn allow_breaking_exits_0_on_a_breaking_change() {
    let head = minimal_with(REMOVED_SIZE.0, REMOVED_SIZE.1);
    let output = spec_diff(MINIMAL, &head, &["--allow-breaking"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout(&output).contains("BREAKING"));
}

#[test]
fn markdown_format_is_a_table_per_operation() {
    let head = minimal_with(REMOVED_SIZE.0, REMOVED_SIZE.1);
    let output = spec_diff(MINIMAL, &head, &["--format", "markdown"]);
    assert_eq!(output.status.code(), Some(1));
    let report = stdout(&output);
    assert!(report.starts_with("### API changes: `"), "{report}");
    assert!(
        report.contains("#### `GET /v1/things/{id} (getThing)`"),
        "{report}"
    );
    assert!(report.contains("| | change |\n|---|---|\n"), "{report}");
    assert!(
        report.contains(
            "| | change | rule |\n|---|---|---|\n| **breaking** | response 200 body: property `size` \
             removed | `response-property-removed` |"
        ),
        "{report}"
    );
}

#[test]
fn unreadable_spec_exits_2_naming_the_file_and_line() {
    let output = spec_diff(MINIMAL, &minimal_with("  title: t\n", "  title: [t\n"), &[]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("head.yaml:"), "{err}");
    assert!(err.contains("cannot compare"), "{err}");
}

#[test]
fn rules_flag_prints_the_wire_rules_as_a_table() {
    let output = xtask(&["spec-diff", "--rules"]);
    assert_eq!(output.status.code(), Some(0));
    let table = stdout(&output);
    assert!(table.starts_with("| rule | verdict | why |\n"), "{table}");
    assert!(
        table.contains("| `request-property-removed` | breaking |"),
        "{table}"
    );
}

#[test]
fn bad_revision_exits_2() {
    let output = xtask(&["spec-diff", "no-such-revision-xyz", "HEAD"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("`no-such-revision-xyz` is neither a file nor a git revision"),
        "{}",
        stderr(&output)
    );
}

// ---------------------------------------------------------------------------------------------
// Both levels: the wire and the Rust API of the generated crate. Each case edits DIFF_BASE.

/// One operation that sends (`id`, `sort`, `limit`, body `NewThing`) and receives (`Thing`, with
/// an enum), with a security scheme, a map, a `$ref` property and an `allOf`.
const DIFF_BASE: &str = r#"openapi: 3.0.3
info: {title: t, version: 1.0.0}
security: [{key: []}]
paths:
  /v1/things/{id}:
    put:
      operationId: putThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: sort, in: query, schema: {type: string, enum: [asc, desc]}}
        - {name: limit, in: query, schema: {type: integer, format: int32, default: 10}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewThing'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: x-key}
  schemas:
    NewThing:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tags: {type: array, items: {type: string}}
        origin: {allOf: [{$ref: '#/components/schemas/Owner'}]}
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer}
        labels: {type: object, additionalProperties: {type: string}}
        owner: {$ref: '#/components/schemas/Owner'}
        status: {type: string, enum: [open, closed]}
    Owner:
      type: object
      properties:
        name: {type: string}
"#;

fn diff_base_with(from: &str, to: &str) -> String {
    assert!(
        DIFF_BASE.contains(from),
        "fixture anchor not found: {from:?}"
    );
    DIFF_BASE.replacen(from, to, 1)
}

/// The report of DIFF_BASE -> `head`, split into the wire part and the Rust part.
struct Levels {
    code: Option<i32>,
    wire: String,
    rust: String,
    report: String,
}

fn levels(head: &str) -> Levels {
    let output = spec_diff(DIFF_BASE, head, &[]);
    let report = stdout(&output);
    assert!(
        output.status.code() != Some(2),
        "could not compare: {}",
        stderr(&output)
    );
    let (wire, rust) = match report.find("\nRust API (") {
        Some(i) => (report[..i].to_owned(), report[i..].to_owned()),
        None => (report.clone(), String::new()),
    };
    Levels {
        code: output.status.code(),
        wire,
        rust,
        report,
    }
}

fn assert_line(text: &str, tag: &str, words: &str, report: &str) {
    let found = text
        .lines()
        .any(|l| l.trim_start().starts_with(tag) && l.contains(words));
    assert!(found, "no `{tag}` line with `{words}` in:\n{report}");
}

#[test]
fn diff_base_fixture_has_no_changes_against_itself() {
    let found = levels(DIFF_BASE);
    assert_eq!(found.code, Some(0), "{}", found.report);
    assert!(found.report.contains(": no changes"), "{}", found.report);
}

#[test]
fn response_property_made_required_is_compatible_on_the_wire_but_breaks_the_rust_api() {
    let found = levels(&diff_base_with(
        "      required: [id]\n",
        "      required: [id, size]\n",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "ok",
        "property `size` became required",
        &found.report,
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::Thing.size`: type changed from `Option<i64>` to `i64`",
        &found.report,
    );
    assert!(found.report.contains("Rust API: "), "{}", found.report);
}

#[test]
fn request_property_made_optional_breaks_the_rust_api() {
    let found = levels(&diff_base_with("      required: [name]\n", ""));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "ok",
        "property `name` became optional",
        &found.report,
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::NewThing.name`: type changed from `String` to `Option<String>`",
        &found.report,
    );
}

#[test]
fn request_property_made_nullable_breaks_the_rust_api_like_93f91f9() {
    let found = levels(&diff_base_with(
        "tags: {type: array, items: {type: string}}",
        "tags: {type: array, nullable: true, items: {type: string}}",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(&found.wire, "ok", "`tags` became nullable", &found.report);
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::NewThing.tags`: type changed from `Vec<String>` to `Option<Vec<String>>`",
        &found.report,
    );
    assert!(
        found
            .report
            .contains("wire: 0 breaking, 1 compatible; Rust API: "),
        "{}",
        found.report
    );
}

#[test]
fn response_minimum_raised_is_compatible_on_the_wire_but_changes_the_rust_type() {
    let found = levels(&diff_base_with(
        "size: {type: integer}",
        "size: {type: integer, minimum: 1}",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(&found.wire, "ok", "minimum changed", &found.report);
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::Thing.size`: type changed from `Option<i64>` to `Option<NonZeroU64>`",
        &found.report,
    );
}

#[test]
fn optional_property_added_to_a_request_struct_is_compatible_as_the_struct_is_non_exhaustive() {
    let found = levels(&diff_base_with(
        "        name: {type: string}\n",
        "        name: {type: string}\n        color: {type: string}\n",
    ));
    assert_eq!(found.code, Some(0), "{}", found.report);
    assert_line(
        &found.wire,
        "ok",
        "optional property `color` added",
        &found.report,
    );
    assert_line(
        &found.rust,
        "ok",
        "field `types::NewThing.color` added",
        &found.report,
    );
    assert!(
        found.report.contains("need a patch bump"),
        "{}",
        found.report
    );
}

#[test]
fn enum_value_added_to_a_request_parameter_is_compatible_as_the_enum_is_non_exhaustive() {
    let found = levels(&diff_base_with(
        "enum: [asc, desc]",
        "enum: [asc, desc, random]",
    ));
    assert_eq!(found.code, Some(0), "{}", found.report);
    assert_line(
        &found.wire,
        "ok",
        "enum value \"random\" added",
        &found.report,
    );
    assert_line(
        &found.rust,
        "ok",
        "variant `types::PutThingSort::Random` added",
        &found.report,
    );
}

#[test]
fn field_added_to_a_response_struct_is_compatible_at_both_levels() {
    let found = levels(&diff_base_with(
        "        size: {type: integer}\n",
        "        size: {type: integer}\n        color: {type: string}\n",
    ));
    assert_eq!(found.code, Some(0), "{}", found.report);
    assert_line(
        &found.rust,
        "ok",
        "field `types::Thing.color` added",
        &found.report,
    );
}

#[test]
fn field_removed_from_a_response_struct_is_still_breaking() {
    let found = levels(&diff_base_with("        size: {type: integer}\n", ""));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::Thing.size` removed",
        &found.report,
    );
}

#[test]
fn additional_properties_string_to_true_is_reported_at_both_levels() {
    let found = levels(&diff_base_with(
        "additionalProperties: {type: string}",
        "additionalProperties: true",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "BREAKING",
        "`labels{*}` type changed",
        &found.report,
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::Thing.labels`: type changed",
        &found.report,
    );
}

#[test]
fn operation_id_renamed_renames_the_method() {
    let found = levels(&diff_base_with(
        "operationId: putThing",
        "operationId: storeThing",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "ok",
        "operationId changed from `putThing` to `storeThing`",
        &found.report,
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "method `Client::put_thing` removed",
        &found.report,
    );
    assert_line(
        &found.rust,
        "ok",
        "method `Client::store_thing` added",
        &found.report,
    );
}

#[test]
fn component_schema_renamed_renames_the_type() {
    let head = DIFF_BASE
        .replace("schemas/Owner'", "schemas/Person'")
        .replace("    Owner:\n", "    Person:\n");
    let found = levels(&head);
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert!(
        found.report.contains("wire: no changes"),
        "{}",
        found.report
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "struct `types::Owner` removed",
        &found.report,
    );
}

#[test]
fn response_media_type_changed_is_breaking_on_the_wire() {
    let found = levels(&diff_base_with(
        "            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}",
        "            application/vnd.thing+json:\n              schema: {$ref: '#/components/schemas/Thing'}",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "BREAKING",
        "response 200: media type `application/json` removed [response-media-type-removed]",
        &found.report,
    );
}

#[test]
fn default_changed_is_breaking_on_the_wire() {
    let found = levels(&diff_base_with("default: 10", "default: 20"));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "BREAKING",
        "parameter `limit`: default changed from `10` to `20`",
        &found.report,
    );
}

#[test]
fn pattern_added_to_a_request_property_is_breaking_at_both_levels() {
    let found = levels(&diff_base_with(
        "        name: {type: string}\n        tags",
        "        name: {type: string, pattern: '^[a-z]+$'}\n        tags",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "BREAKING",
        "`name` pattern changed from (none)",
        &found.report,
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::NewThing.name`: type changed",
        &found.report,
    );
}

#[test]
fn auth_header_renamed_is_breaking_on_the_wire_though_no_code_changes() {
    let found = levels(&diff_base_with("name: x-key}", "name: x-api-key}"));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "BREAKING",
        "`name` changed from `x-key` to `x-api-key`",
        &found.report,
    );
    assert!(
        found.report.contains("Rust API: no changes"),
        "{}",
        found.report
    );
}

#[test]
fn second_all_of_branch_is_reported() {
    let found = levels(&diff_base_with(
        "origin: {allOf: [{$ref: '#/components/schemas/Owner'}]}",
        "origin: {allOf: [{$ref: '#/components/schemas/Owner'}, {type: object, required: [since], properties: {since: {type: string}}}]}",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "BREAKING",
        "`origin` `allOf` branch added",
        &found.report,
    );
    let wire_changes = found.wire.lines().filter(|l| l.starts_with("  ")).count();
    assert_eq!(wire_changes, 1, "{}", found.report);
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::NewThing.origin`: type changed from `Option<Owner>` to `Option<NewThingOrigin>`",
        &found.report,
    );
}

#[test]
fn wrapping_a_ref_as_nullable_all_of_changes_only_nullability() {
    let found = levels(&diff_base_with(
        "owner: {$ref: '#/components/schemas/Owner'}",
        "owner: {nullable: true, allOf: [{$ref: '#/components/schemas/Owner'}]}",
    ));
    let wire_lines: Vec<&str> = found.wire.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(wire_lines.len(), 1, "{}", found.report);
    assert!(
        wire_lines[0].contains("`owner` became nullable"),
        "{}",
        found.report
    );
    assert!(
        found.report.contains("Rust API: no changes"),
        "{}",
        found.report
    );
}

#[test]
fn the_crate_version_line_names_the_bump_the_rust_api_needs() {
    let found = levels(&diff_base_with(
        "      required: [id]\n",
        "      required: [id, size]\n",
    ));
    assert!(
        found
            .report
            .contains("chatcaptain-api crate version (Rust API)"),
        "{}",
        found.report
    );
    assert!(
        found
            .report
            .contains("these changes need a minor bump (0.x: breaking)"),
        "{}",
        found.report
    );
}

#[test]
fn markdown_report_has_a_rust_api_section() {
    let head = diff_base_with("      required: [id]\n", "      required: [id, size]\n");
    let output = spec_diff(DIFF_BASE, &head, &["--format", "markdown"]);
    let report = stdout(&output);
    assert!(
        report.contains("#### Rust API (chatcaptain-api, generated code compared)\n\n| | change |"),
        "{report}"
    );
    assert!(
        report.contains("| **breaking** | field `types::Thing.size`: type changed"),
        "{report}"
    );
}

// ---------------------------------------------------------------------------------------------
// What an API that grows does (compatible at both levels, a minor wire bump and a patch crate
// bump), and what stays breaking at both levels.

#[test]
fn optional_parameter_added_is_compatible_at_both_levels_and_needs_minor_and_patch_bumps() {
    let found = levels(&diff_base_with(
        "        - {name: limit,",
        "        - {name: color, in: query, schema: {type: string}}\n        - {name: limit,",
    ));
    assert_eq!(found.code, Some(0), "{}", found.report);
    assert_line(
        &found.wire,
        "ok",
        "optional parameter `color` added (query)",
        &found.report,
    );
    assert_line(
        &found.rust,
        "ok",
        "method `builder::PutThing::color` added",
        &found.report,
    );
    for line in [
        "info.version (wire) 1.0.0 → 1.0.0: NOT bumped (these changes need a minor bump)",
        // Both sides are files: the crate version is the working tree's on both.
        ": NOT bumped (these changes need a patch bump)",
    ] {
        assert!(
            found.report.contains(line),
            "no `{line}` in:\n{}",
            found.report
        );
    }
}

#[test]
fn additions_with_a_minor_wire_bump_are_bumped_accordingly_and_a_patch_one_is_not_enough() {
    let added = diff_base_with(
        "        size: {type: integer}\n",
        "        size: {type: integer}\n        color: {type: string}\n",
    );
    let minor = levels(&added.replace("version: 1.0.0", "version: 1.1.0"));
    assert!(
        minor
            .report
            .contains("1.0.0 → 1.1.0: bumped accordingly (these changes need a minor bump)"),
        "{}",
        minor.report
    );
    let patch = levels(&added.replace("version: 1.0.0", "version: 1.0.1"));
    assert!(
        patch
            .report
            .contains("1.0.0 → 1.0.1: NOT bumped enough (these changes need a minor bump)"),
        "{}",
        patch.report
    );
}

#[test]
fn response_enum_value_added_is_compatible_at_both_levels() {
    let found = levels(&diff_base_with(
        "enum: [open, closed]",
        "enum: [open, closed, archived]",
    ));
    assert_eq!(found.code, Some(0), "{}", found.report);
    assert_line(
        &found.wire,
        "ok",
        "`status` enum value \"archived\" added",
        &found.report,
    );
    assert_line(
        &found.rust,
        "ok",
        "variant `types::ThingStatus::Archived` added",
        &found.report,
    );
}

#[test]
fn response_enum_value_removed_breaks_the_rust_api() {
    let found = levels(&diff_base_with("enum: [open, closed]", "enum: [open]"));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "ok",
        "`status` enum value \"closed\" removed",
        &found.report,
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "variant `types::ThingStatus::Closed` removed",
        &found.report,
    );
}

#[test]
fn operation_removed_is_breaking_at_both_levels() {
    let with_health = minimal_with(
        "components:",
        "  /v1/health:\n    get:\n      operationId: health\n      responses:\n        '200':\n          \
         description: ok\n          content:\n            application/json:\n              schema:\n                \
         type: string\ncomponents:",
    );
    let output = spec_diff(&with_health, MINIMAL, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stdout(&output);
    let rust = &report[report.find("\nRust API (").expect("a Rust section")..];
    assert!(report.contains("BREAKING  operation removed"), "{report}");
    assert!(
        rust.contains("BREAKING  method `Client::health` removed"),
        "{report}"
    );
}

#[test]
fn parameter_removed_is_breaking_at_both_levels() {
    let found = levels(&diff_base_with(
        "        - {name: limit, in: query, schema: {type: integer, format: int32, default: 10}}\n",
        "",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "BREAKING",
        "parameter `limit` removed",
        &found.report,
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "method `builder::PutThing::limit` removed",
        &found.report,
    );
}

#[test]
fn response_property_renamed_is_breaking_at_both_levels() {
    let found = levels(&diff_base_with(
        "        size: {type: integer}\n",
        "        bulk: {type: integer}\n",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "BREAKING",
        "property `size` removed",
        &found.report,
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::Thing.size` removed",
        &found.report,
    );
}

#[test]
fn property_type_changed_is_breaking_at_both_levels() {
    let found = levels(&diff_base_with(
        "size: {type: integer}",
        "size: {type: string}",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "BREAKING",
        "`size` type changed from `integer` to `string`",
        &found.report,
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::Thing.size`: type changed from `Option<i64>` to `Option<String>`",
        &found.report,
    );
}

#[test]
fn request_field_made_required_is_breaking_at_both_levels() {
    let found = levels(&diff_base_with(
        "      required: [name]\n",
        "      required: [name, origin]\n",
    ));
    assert_eq!(found.code, Some(1), "{}", found.report);
    assert_line(
        &found.wire,
        "BREAKING",
        "property `origin` became required",
        &found.report,
    );
    assert_line(
        &found.rust,
        "BREAKING",
        "field `types::NewThing.origin`: type changed from `Option<Owner>` to `Owner`",
        &found.report,
    );
}

// ---------------------------------------------------------------------------------------------
// A verdict for every valid OpenAPI 3.0 pair: when progenitor cannot generate a side, the wire
// is judged alone and the report says why the Rust API was not.

/// Valid OpenAPI 3.0 that progenitor cannot generate: the operation has no operationId.
const NO_OPERATION_ID: &str = r#"openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /v1/things:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string}
                  size: {type: integer}
"#;

#[test]
fn a_side_progenitor_cannot_generate_gets_the_wire_verdict_and_says_why_the_rust_api_was_not() {
    let head = NO_OPERATION_ID.replace("                  size: {type: integer}\n", "");
    let output = spec_diff(NO_OPERATION_ID, &head, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("BREAKING  response 200 body: property `size` removed"),
        "{report}"
    );
    assert!(report.contains("Rust API: not judged"), "{report}");
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
    let output = spec_diff(NO_OPERATION_ID, &compatible, &["--format", "markdown"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains(
            "#### Rust API (chatcaptain-api, generated code compared)\n\nNot judged: progenitor \
             cannot generate either side: path /v1/things is missing operation ID\n"
        ),
        "{report}"
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
    let output = spec_diff(&two, &two, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    let why = report
        .lines()
        .find(|l| l.starts_with("Rust API not judged: "))
        .unwrap_or_else(|| panic!("no reason line in:\n{report}"));
    assert!(why.contains("2 media types"), "{why}");
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
    assert!(
        err.contains("head.yaml:1: OpenAPI version 3.1.0 is not supported"),
        "{err}"
    );
    let output = spec_diff(
        MINIMAL,
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\n",
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no `openapi` version field"),
        "{}",
        stderr(&output)
    );
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
    let output = spec_diff(base, base, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains(": no changes"),
        "{}",
        stdout(&output)
    );
    let head = base.replace("true: {type: integer}", "true: {type: string}");
    let output = spec_diff(base, &head, &[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(
        report.contains("response 200 body: `true` type changed from `integer` to `string`"),
        "{report}"
    );
    assert!(!report.contains("not judged"), "{report}");
}

// ---------------------------------------------------------------------------------------------
// A corpus of small valid OpenAPI 3.0 pairs (`tests/fixtures/pairs/NAME.{base,head}.yaml`):
// without operationIds, with deepObject, two media types, XML, security, oneOf/anyOf, headers,
// readOnly/writeOnly. Each is judged with exit 0 or 1, never 2, and names the rule expected.

/// (pair, exit code, the rule ids the report names; none: no wire change).
const PAIRS: &[(&str, i32, &[&str])] = &[
    ("security_added", 1, &["security-added"]),
    ("security_removed", 0, &["security-removed"]),
    ("security_scope_added", 1, &["security-scope-added"]),
    (
        "security_requirement_added",
        0,
        &["security-requirement-added"],
    ),
    (
        "security_requirement_removed",
        1,
        &["security-requirement-removed"],
    ),
    (
        "unused_security_scheme_removed",
        0,
        &["unused-security-scheme-removed"],
    ),
    (
        "response_one_of_branch_added",
        1,
        &["response-one-of-branch-added"],
    ),
    (
        "request_one_of_branch_added",
        0,
        &["request-one-of-branch-added"],
    ),
    (
        "request_any_of_branch_removed",
        1,
        &["request-any-of-branch-removed"],
    ),
    (
        "response_types_widened",
        1,
        &[
            "response-one-of-became-any-of",
            "response-list-of-types-widened",
        ],
    ),
    (
        "request_plain_became_one_of",
        0,
        &["request-list-of-types-widened"],
    ),
    ("request_read_only_removed", 0, &[]),
    (
        "request_read_only_became_required",
        1,
        &["request-required-property-added"],
    ),
    ("response_write_only_removed", 0, &[]),
    ("response_header_added", 0, &["response-header-added"]),
    ("response_header_removed", 1, &["response-header-removed"]),
    (
        "response_header_became_optional",
        1,
        &["response-header-became-optional"],
    ),
    (
        "response_header_type_changed",
        1,
        &["response-type-changed"],
    ),
    ("match_all_pattern_added", 0, &[]),
    (
        "response_media_type_added",
        0,
        &["response-media-type-added"],
    ),
    (
        "request_media_type_removed",
        1,
        &["request-media-type-removed"],
    ),
    ("endpoint_deprecated", 0, &["endpoint-deprecated"]),
    (
        "response_property_deprecated",
        0,
        &["response-property-deprecated"],
    ),
    (
        "deep_object_parameter_added",
        0,
        &["new-optional-request-parameter"],
    ),
    (
        "xml_body_property_removed",
        1,
        &["response-property-removed"],
    ),
    (
        "two_media_types_property_added",
        0,
        &["request-optional-property-added"],
    ),
];

#[test]
fn every_pair_of_the_corpus_gets_its_verdict_and_names_its_rules() {
    let dir = common::repo_root().join("xtask/tests/fixtures/pairs");
    let mut wrong = Vec::new();
    for (name, code, ids) in PAIRS {
        let side = |s: &str| dir.join(format!("{name}.{s}.yaml"));
        let (base, head) = (side("base"), side("head"));
        let output = xtask(&["spec-diff", base.to_str().unwrap(), head.to_str().unwrap()]);
        let report = stdout(&output);
        let wire = report.split("\nRust API").next().unwrap_or_default();
        let named: Vec<&str> = wire
            .lines()
            .filter_map(|l| l.rsplit_once(" [").map(|(_, id)| id.trim_end_matches(']')))
            .collect();
        if output.status.code() != Some(*code) || named != *ids {
            wrong.push(format!(
                "{name}: exit {:?} (want {code}), rules {named:?} (want {ids:?})\n{report}{}",
                output.status.code(),
                stderr(&output)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every pair on disk is in the table.
    let on_disk = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        on_disk,
        2 * PAIRS.len(),
        "a pair in {} is not in PAIRS",
        dir.display()
    );
}

#[test]
fn a_removal_of_what_was_not_deprecated_first_is_called_out_in_the_markdown_report() {
    let dir = common::repo_root().join("xtask/tests/fixtures/pairs");
    let side = |s: &str| dir.join(format!("xml_body_property_removed.{s}.yaml"));
    let (base, head) = (side("base"), side("head"));
    let args = |extra: &[&'static str]| {
        let mut all = vec![
            "spec-diff".to_owned(),
            base.display().to_string(),
            head.display().to_string(),
        ];
        all.extend(extra.iter().map(|s| (*s).to_owned()));
        all
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        stdout(&xtask(&a))
    };
    let report = run(args(&["--format", "markdown"]));
    assert!(
        report.contains("> **Removed without being deprecated first**"),
        "{report}"
    );
    assert!(
        report
            .contains("> - `POST /things (postThing)`: response 200 body: property `size` removed"),
        "{report}"
    );
    // Deprecated first: no call-out.
    let deprecated = std::fs::read_to_string(&base).unwrap().replace(
        "size: {type: integer}",
        "size: {type: integer, deprecated: true}",
    );
    let output = spec_diff(
        &deprecated,
        &std::fs::read_to_string(&head).unwrap(),
        &["--format", "markdown"],
    );
    assert!(
        !stdout(&output).contains("Removed without"),
        "{}",
        stdout(&output)
    );
}

/// `--compare` reads our spec against the vendor's fragment: every difference lands in the group
/// that says what it means, and theirs being cut off is never called a disagreement.
#[test]
fn compare_sorts_differences_with_the_vendors_fragment_by_what_they_mean() {
    // Every checkout and CI run has `../shared` beside the project.
    let vendor = repo_root().join("../shared/reference/vendor-contacts.yaml");
    let ours = repo_root().join("spec/chatcaptain.yaml");
    let output = xtask(&[
        "spec-diff",
        "--compare",
        ours.to_str().unwrap(),
        vendor.to_str().unwrap(),
    ]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}{}", stderr(&output));
    let group_of = |line: &str| {
        let at = report
            .find(line)
            .unwrap_or_else(|| panic!("no `{line}` in:\n{report}"));
        report[..at]
            .lines()
            .rev()
            .find(|l| !l.starts_with("  ") && !l.is_empty())
            .unwrap_or_default()
            .to_owned()
    };
    for (line, group) in [
        (
            "parameter `limit`: type changed from `integer` to `number`",
            "Ours is stricter",
        ),
        (
            "(listOrganizations): operation removed",
            "Theirs says nothing here",
        ),
        (
            "(createContact): response 201 removed",
            "Theirs says nothing here",
        ),
        (
            "(searchContacts): response 200 body: property `results.hits` removed",
            "Theirs says nothing here",
        ),
        (
            "(searchContacts): response 403 body: type changed from `object` to no body",
            "Their description settles",
        ),
    ] {
        let found = group_of(line);
        assert!(found.starts_with(group), "`{line}` is under `{found}`");
    }
}
