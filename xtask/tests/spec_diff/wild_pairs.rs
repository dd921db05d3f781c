//! spec-diff over pairs met in the wild (a public breaking-change checker's corpus): each pair
//! in `fixtures/more_pairs/` gets the exit code and the rules its table row says.

use std::path::Path;
use std::process::Output;

use super::corpus::{Pair, assert_pairs, fixtures, run_pair};
use crate::common::{assert_contains, stderr, stdout, write_spec, xtask};

/// name, exit code, the wire rules named (in order).
const PAIRS: &[Pair] = &[
    (
        "omitted_required_fields",
        1,
        &["request-property-became-required"],
    ),
    (
        "media_type_added_with_its_own_schema",
        0,
        &["request-media-type-added", "response-media-type-added"],
    ),
    (
        "property_removed_from_the_second_media_type",
        1,
        &["response-property-removed"],
    ),
    (
        "integer_became_number",
        0,
        &["request-type-generalized", "response-type-specialized"],
    ),
    (
        "number_became_integer",
        1,
        &["request-type-specialized", "response-type-generalized"],
    ),
    (
        "extensible_enum_value_removed",
        1,
        &["request-enum-narrowed", "response-enum-widened"],
    ),
    (
        "oauth_alternatives_scope_added",
        1,
        &["security-scope-added"],
    ),
    (
        "schema_containing_itself",
        1,
        &["request-property-became-required"],
    ),
];

fn run(name: &str) -> std::process::Output {
    run_pair("more_pairs", name)
}

#[test]
fn every_pair_gets_its_verdict_and_names_its_rules() {
    assert_pairs("more_pairs", PAIRS);
}

/// `cargo xtask spec-diff PATH PATH`: one side read against itself.
fn against_itself(path: &Path) -> Output {
    xtask(&["spec-diff", path.to_str().unwrap(), path.to_str().unwrap()])
}

/// `doc`, written as `base.yaml` and read against itself, which must exit 2; returns stderr.
fn refused(doc: &str) -> String {
    let (_dir, base) = write_spec("base.yaml", doc);
    let output = against_itself(&base);
    assert_eq!(output.status.code(), Some(2), "{}", stdout(&output));
    stderr(&output)
}

#[test]
fn every_side_read_against_itself_has_no_changes() {
    let dir = fixtures("more_pairs");
    let mut wrong = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let output = against_itself(&path);
        if output.status.code() != Some(0) || !stdout(&output).contains("no changes") {
            wrong.push(format!("{}:\n{}", path.display(), stdout(&output)));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn required_fields_a_lenient_reader_supplies_are_filled_in_and_each_kind_said_once() {
    let output = run("omitted_required_fields");
    let err = stderr(&output);
    let said = [
        "omitted_required_fields.base.yaml: `info` has no `version`: read as empty",
        "base.yaml: operation POST /pets has no `responses`: read as none declared",
        "base.yaml: GET /pets/{id} response 200 has no `description`: read as empty",
        "base.yaml: GET /pets/{id} response 200 `content` is empty (null): read as no media type",
        "links.nowhere has no `operationId` nor `operationRef`: dropped",
        "security scheme oauth flow clientCredentials has no `scopes`: read as none",
        "base.yaml: /pets/{id} parameter trace has no `schema` nor `content`: read as any value",
    ];
    assert_contains(&err, &said);
    assert_eq!(err.matches("base.yaml: ").count(), 7, "{err}");
}

#[test]
fn what_says_which_api_it_is_is_never_filled_in() {
    // No `paths` at all, or no `info`: a fragment, not an OpenAPI document.
    for (doc, missing) in [
        ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\n", "paths"),
        ("openapi: 3.0.3\npaths: {}\n", "info"),
    ] {
        assert_contains(
            &refused(doc),
            &["base.yaml", format!("missing field `{missing}`").as_str()],
        );
    }
}

#[test]
fn a_document_wrong_beyond_the_fill_ins_names_the_place_by_its_path() {
    // `responses` left out (filled in), and a parameter with an `in` OpenAPI does not have.
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
               parameters:\n        - {name: x, in: body, schema: {type: string}}\n";
    assert_contains(
        &refused(doc),
        &["base.yaml: not a valid OpenAPI 3.0 document: at `paths./a.get.parameters"],
    );
}
