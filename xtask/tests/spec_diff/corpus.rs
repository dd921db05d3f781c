//! A corpus of small valid OpenAPI 3.0 pairs (`tests/fixtures/pairs/NAME.{base,head}.yaml`):
//! without operationIds, with deepObject, two media types, XML, security, oneOf/anyOf, headers,
//! readOnly/writeOnly. Each is judged with exit 0 or 1, never 2, and names the rule expected.

use std::path::PathBuf;
use std::process::Output;

use super::spec_diff;
use crate::common::{assert_contains, stderr, stdout, xtask};

/// (pair, exit code, the rule ids the report names; none: no wire change).
const PAIRS: &[Pair] = &[
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

/// A pair: its name, the exit code, the wire rule ids the report names (in order; none: no wire
/// change).
pub(crate) type Pair = (&'static str, i32, &'static [&'static str]);

/// A folder of pairs under `xtask/tests/fixtures/`: `NAME.{base,head}.yaml`.
pub(crate) fn fixtures(folder: &str) -> PathBuf {
    crate::common::repo_root()
        .join("xtask/tests/fixtures")
        .join(folder)
}

/// `cargo xtask spec-diff` on the pair `name` of `folder`.
pub(crate) fn run_pair(folder: &str, name: &str) -> Output {
    let side = |s: &str| fixtures(folder).join(format!("{name}.{s}.yaml"));
    let (base, head) = (side("base"), side("head"));
    xtask(&["spec-diff", base.to_str().unwrap(), head.to_str().unwrap()])
}

/// Asserts each pair of `folder` gets its exit code and names its wire rules, and that every pair
/// on disk is in `pairs`.
pub(crate) fn assert_pairs(folder: &str, pairs: &[Pair]) {
    let mut wrong = Vec::new();
    for (name, code, ids) in pairs {
        let output = run_pair(folder, name);
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
    let dir = fixtures(folder);
    let on_disk = std::fs::read_dir(&dir).unwrap().count();
    assert_eq!(
        on_disk,
        2 * pairs.len(),
        "a pair in {} is not in PAIRS",
        dir.display()
    );
}

#[test]
fn every_pair_of_the_corpus_gets_its_verdict_and_names_its_rules() {
    assert_pairs("pairs", PAIRS);
}

#[test]
fn a_removal_of_what_was_not_deprecated_first_is_called_out_in_the_markdown_report() {
    let dir = fixtures("pairs");
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
    assert_contains(
        &report,
        &[
            "> **Removed without being deprecated first**",
            "> - `POST /things (postThing)`: response 200 body: property `size` removed",
        ],
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
