//! One fixture pair per rule: a small spec before and after, and the classification expected.

use std::path::Path;

use super::kinds::Change;
use super::model::Api;
use super::operations::diff;
use crate::spec::Spec;

/// One operation that both sends (`id`, `limit`, body `NewThing`) and receives (`Thing`).
const BASE: &str = include_str!("../../tests/fixtures/wire_base.yaml");

fn api(text: &str) -> Api {
    Api::from_spec(&Spec::from_text(Path::new("fixture.yaml"), text.to_owned()).unwrap())
}

/// BASE with `from` replaced by `to` (which must be there, so a fixture cannot silently rot).
fn edit(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "fixture anchor not found: {from:?}");
    BASE.replacen(from, to, 1)
}

fn ids(expected: &[(&str, bool)]) -> Vec<(String, bool)> {
    expected
        .iter()
        .map(|(id, b)| ((*id).to_owned(), *b))
        .collect()
}

/// `changes` as (rule id, breaking), in order.
fn verdicts(changes: &[Change]) -> Vec<(String, bool)> {
    changes
        .iter()
        .map(|c| (c.kind.rule().id, c.breaking()))
        .collect()
}

/// The changes from `from` to `to` as (rule id, breaking), in order.
fn between(from: &str, to: &str) -> Vec<(String, bool)> {
    verdicts(&diff(&api(from), &api(to)))
}

/// Asserts the changes from `from` to `to` are `expected` (rule id, breaking), in order.
fn assert_between(from: &str, to: &str, expected: &[(&str, bool)]) {
    assert_eq!(between(from, to), ids(expected));
}

/// Asserts BASE with `from` replaced by `to` classifies as `expected` (rule id, breaking), in
/// order; returns that edited spec for what else the test checks.
fn assert_classified(from: &str, to: &str, expected: &[(&str, bool)]) -> String {
    let head = edit(from, to);
    assert_between(BASE, &head, expected);
    head
}

#[test]
fn identical_specs_have_no_changes() {
    assert_between(BASE, BASE, &[]);
}

#[test]
fn inlining_a_referenced_schema_is_no_change() {
    assert_classified(
        "schema: {$ref: '#/components/schemas/NewThing'}",
        "schema: {type: object, required: [name], properties: {name: {type: string}, \
         color: {type: string, enum: [red, blue]}, note: {type: string, nullable: true}}}",
        &[],
    );
}

#[test]
fn description_changes_are_not_api_changes() {
    assert_classified(
        "        name: {type: string}",
        "        name: {type: string, description: The name.}",
        &[],
    );
}

#[test]
fn removing_an_operation_is_breaking() {
    // same operationId at a new method: reported as a move, not remove + add
    assert_classified("    post:", "    put:", &[("endpoint-moved", true)]);
    let removed = BASE
        .replace("/v1/things/{id}:", "/v1/others/{id}:")
        .replace("putThing", "other");
    assert_between(
        BASE,
        &removed,
        &[("endpoint-removed", true), ("endpoint-added", false)],
    );
}

#[test]
fn changing_the_path_of_an_operation_is_breaking() {
    assert_classified(
        "/v1/things/{id}:",
        "/v2/things/{id}:",
        &[("endpoint-moved", true)],
    );
}

#[test]
fn adding_an_operation_is_compatible() {
    assert_classified(
        "components:",
        "  /v1/health:\n    get:\n      operationId: health\n      responses:\n        '200': {description: ok}\ncomponents:",
        &[("endpoint-added", false)],
    );
}

#[test]
fn adding_a_required_parameter_is_breaking() {
    assert_classified(
        "      requestBody:",
        "        - {name: q, in: query, required: true, schema: {type: string}}\n      requestBody:",
        &[("new-required-request-parameter", true)],
    );
}

#[test]
fn adding_an_optional_parameter_is_compatible() {
    assert_classified(
        "      requestBody:",
        "        - {name: q, in: query, schema: {type: string}}\n      requestBody:",
        &[("new-optional-request-parameter", false)],
    );
}

#[test]
fn removing_a_parameter_is_breaking() {
    assert_classified(
        "        - {name: limit, in: query, required: false, schema: {type: integer, format: int32, minimum: 1, maximum: 100}}\n",
        "",
        &[("request-parameter-removed", true)],
    );
}

#[test]
fn a_parameter_becoming_required_is_breaking_and_optional_is_compatible() {
    let head = assert_classified(
        "name: limit, in: query, required: false",
        "name: limit, in: query, required: true",
        &[("request-parameter-became-required", true)],
    );
    assert_between(&head, BASE, &[("request-parameter-became-optional", false)]);
}

#[test]
fn moving_a_parameter_to_another_location_is_breaking() {
    assert_classified(
        "name: limit, in: query",
        "name: limit, in: header",
        &[("request-parameter-moved", true)],
    );
}

#[test]
fn changing_a_parameter_type_is_breaking() {
    assert_classified(
        "{name: id, in: path, required: true, schema: {type: string}}",
        "{name: id, in: path, required: true, schema: {type: integer}}",
        &[("request-type-changed", true)],
    );
}

#[test]
fn narrowing_a_request_bound_is_breaking_and_widening_is_compatible() {
    assert_classified(
        "minimum: 1, maximum: 100",
        "minimum: 1, maximum: 50",
        &[("request-bound-narrowed", true)],
    );
    assert_classified(
        "minimum: 1, maximum: 100",
        "minimum: 1, maximum: 500",
        &[("request-bound-widened", false)],
    );
}

#[test]
fn adding_a_required_request_property_is_breaking() {
    assert_classified(
        "      required: [name]\n      properties:\n        name: {type: string}\n",
        "      required: [name, kind]\n      properties:\n        name: {type: string}\n        kind: {type: string}\n",
        &[("request-required-property-added", true)],
    );
}

#[test]
fn adding_an_optional_request_property_is_compatible() {
    assert_classified(
        "        name: {type: string}\n",
        "        name: {type: string}\n        kind: {type: string}\n",
        &[("request-optional-property-added", false)],
    );
}

#[test]
fn removing_a_request_property_is_breaking() {
    assert_classified(
        "        note: {type: string, nullable: true}\n",
        "",
        &[("request-property-removed", true)],
    );
}

#[test]
fn a_request_property_becoming_required_is_breaking() {
    assert_classified(
        "      required: [name]\n",
        "      required: [name, color]\n",
        &[("request-property-became-required", true)],
    );
}

#[test]
fn removing_a_request_enum_value_is_breaking_and_adding_one_is_compatible() {
    assert_classified(
        "color: {type: string, enum: [red, blue]}",
        "color: {type: string, enum: [red]}",
        &[("request-enum-narrowed", true)],
    );
    assert_classified(
        "color: {type: string, enum: [red, blue]}",
        "color: {type: string, enum: [red, blue, green]}",
        &[("request-enum-widened", false)],
    );
}

#[test]
fn a_request_property_no_longer_nullable_is_breaking() {
    assert_classified(
        "note: {type: string, nullable: true}",
        "note: {type: string}",
        &[("request-no-longer-nullable", true)],
    );
}

#[test]
fn making_the_request_body_optional_is_compatible_and_removing_it_is_breaking() {
    assert_classified(
        "      requestBody:\n        required: true\n",
        "      requestBody:\n        required: false\n",
        &[("request-body-became-optional", false)],
    );
    let start = BASE.find("      requestBody:").unwrap();
    let end = BASE.find("      responses:").unwrap();
    let removed = format!("{}{}", &BASE[..start], &BASE[end..]);
    assert_between(BASE, &removed, &[("request-body-removed", true)]);
}

#[test]
fn removing_a_response_property_is_breaking() {
    assert_classified(
        "        tags: {type: array, items: {type: string}}\n",
        "",
        &[("response-property-removed", true)],
    );
}

#[test]
fn adding_a_response_property_is_compatible_even_when_required() {
    assert_classified(
        "      required: [id]\n      properties:\n        id: {type: string}\n",
        "      required: [id, kind]\n      properties:\n        id: {type: string}\n        kind: {type: string}\n",
        &[("response-required-property-added", false)],
    );
}

#[test]
fn a_response_property_becoming_optional_is_breaking() {
    assert_classified(
        "      required: [id]\n",
        "",
        &[("response-property-became-optional", true)],
    );
}

#[test]
fn a_response_property_becoming_nullable_is_breaking() {
    assert_classified(
        "        size: {type: integer, format: int32}",
        "        size: {type: integer, format: int32, nullable: true}",
        &[("response-became-nullable", true)],
    );
}

#[test]
fn changing_a_response_format_is_breaking() {
    assert_classified(
        "size: {type: integer, format: int32}",
        "size: {type: integer, format: int64}",
        &[("response-format-changed", true)],
    );
}

#[test]
fn adding_a_response_enum_value_is_compatible_as_is_removing_one() {
    let thing_color = "        size: {type: integer, format: int32}\n        color: {type: string, enum: [red, blue]}";
    // The generated enum keeps a value it does not know (`Unknown`).
    assert_classified(
        thing_color,
        &thing_color.replace("[red, blue]", "[red, blue, green]"),
        &[("response-enum-widened", false)],
    );
    assert_classified(
        thing_color,
        &thing_color.replace("[red, blue]", "[red]"),
        &[("response-enum-narrowed", false)],
    );
}

#[test]
fn a_change_inside_an_array_item_is_reported_at_its_path() {
    let head = edit(
        "tags: {type: array, items: {type: string}}",
        "tags: {type: array, items: {type: integer}}",
    );
    let changes = diff(&api(BASE), &api(&head));
    assert_eq!(changes.len(), 1);
    assert!(changes[0].breaking());
    assert!(changes[0].text.contains("`tags[]`"), "{}", changes[0].text);
    assert!(
        changes[0].text.starts_with("response 200 body"),
        "{}",
        changes[0].text
    );
}

#[test]
fn adding_and_removing_response_statuses() {
    let head = assert_classified(
        "components:",
        "        '404': {description: missing}\ncomponents:",
        &[("response-status-added", false)],
    );
    assert_between(&head, BASE, &[("response-status-removed", true)]);
}

#[test]
fn renaming_the_operation_id_is_compatible_on_the_wire() {
    assert_classified(
        "operationId: putThing",
        "operationId: storeThing",
        &[("operation-id-changed", false)],
    );
}

#[test]
fn changing_a_media_type_is_breaking() {
    assert_classified(
        "          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}",
        "          content:\n            text/plain:\n              schema: {$ref: '#/components/schemas/Thing'}",
        &[
            ("response-media-type-removed", true),
            ("response-media-type-added", false),
        ],
    );
}

#[test]
fn changing_a_default_is_breaking_in_both_directions() {
    assert_classified(
        "note: {type: string, nullable: true}",
        "note: {type: string, nullable: true, default: x}",
        &[("request-default-changed", true)],
    );
    assert_classified(
        "id: {type: string}",
        "id: {type: string, default: x}",
        &[("response-default-changed", true)],
    );
}

#[test]
fn a_pattern_added_narrows_and_a_changed_one_breaks() {
    let added = assert_classified(
        "        name: {type: string}",
        "        name: {type: string, pattern: '^a'}",
        &[("request-bound-narrowed", true)],
    );
    let changed = added.replace("'^a'", "'^b'");
    assert_between(&added, &changed, &[("request-pattern-changed", true)]);
}

#[test]
fn an_all_of_branch_added_narrows_a_request_and_is_compatible_in_a_response() {
    let branch = "{type: object, properties: {x: {type: string}}}";
    assert_classified(
        "schema: {$ref: '#/components/schemas/NewThing'}",
        &format!("schema: {{allOf: [{{$ref: '#/components/schemas/NewThing'}}, {branch}]}}"),
        &[("request-all-of-branch-added", true)],
    );
    assert_classified(
        "schema: {$ref: '#/components/schemas/Thing'}",
        &format!("schema: {{allOf: [{{$ref: '#/components/schemas/Thing'}}, {branch}]}}"),
        &[("response-all-of-branch-added", false)],
    );
}

#[test]
fn wrapping_a_ref_in_a_nullable_all_of_is_only_a_nullability_change() {
    assert_classified(
        "schema: {$ref: '#/components/schemas/NewThing'}",
        "schema: {nullable: true, allOf: [{$ref: '#/components/schemas/NewThing'}]}",
        &[("request-became-nullable", false)],
    );
}

#[test]
fn renaming_the_key_header_of_a_security_scheme_is_breaking() {
    let with = |header: &str| {
        format!("{BASE}  securitySchemes:\n    key: {{type: apiKey, in: header, name: {header}}}\n")
            .replace("paths:", "security: [{key: []}]\npaths:")
    };
    let changes = diff(&api(&with("x-key")), &api(&with("x-api-key")));
    assert_eq!(
        verdicts(&changes),
        ids(&[("security-scheme-changed", true)])
    );
    assert_eq!(changes[0].operation, "security scheme `key`");
}

#[test]
fn a_request_body_made_required_is_breaking_and_made_optional_is_not() {
    let optional = edit(
        "      requestBody:\n        required: true",
        "      requestBody:\n        required: false",
    );
    assert_between(&optional, BASE, &[("request-body-became-required", true)]);
    assert_between(BASE, &optional, &[("request-body-became-optional", false)]);
}

#[test]
fn a_response_header_made_optional_is_breaking_and_made_required_is_not() {
    let header = |required: bool| {
        edit(
            "          description: ok\n",
            &format!(
                "          description: ok\n          headers:\n            x-rate-left: \
                 {{required: {required}, schema: {{type: integer}}}}\n"
            ),
        )
    };
    assert_between(
        &header(false),
        &header(true),
        &[("response-header-became-required", false)],
    );
    assert_between(
        &header(true),
        &header(false),
        &[("response-header-became-optional", true)],
    );
}
