//! Both levels: the wire and the Rust API of the generated crate. Each case edits DIFF_BASE.

use super::spec_diff;
use crate::common::{stderr, stdout};

/// One operation that sends (`id`, `sort`, `limit`, body `NewThing`) and receives (`Thing`, with
/// an enum), with a security scheme, a map, a `$ref` property and an `allOf`.
pub(crate) const DIFF_BASE: &str = include_str!("../fixtures/diff_base.yaml");

pub(crate) fn diff_base_with(from: &str, to: &str) -> String {
    assert!(
        DIFF_BASE.contains(from),
        "fixture anchor not found: {from:?}"
    );
    DIFF_BASE.replacen(from, to, 1)
}

/// The report of DIFF_BASE -> `head`, split into the wire part and the Rust part.
pub(crate) struct Levels {
    pub(crate) code: Option<i32>,
    pub(crate) wire: String,
    pub(crate) rust: String,
    pub(crate) report: String,
}

/// The levels of DIFF_BASE -> DIFF_BASE with `from` replaced by `to`.
pub(crate) fn edited(from: &str, to: &str) -> Levels {
    levels(&diff_base_with(from, to))
}

pub(crate) fn levels(head: &str) -> Levels {
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

impl Levels {
    /// Asserts the exit code: 1 when something breaks, 0 when nothing does.
    pub(crate) fn exits(&self, code: i32) {
        assert_eq!(self.code, Some(code), "{}", self.report);
    }

    /// Asserts exit 1, a `BREAKING` line naming `wire` in the wire part and one naming `rust` in
    /// the Rust API part.
    pub(crate) fn breaking_at_both_levels(&self, wire: &str, rust: &str) {
        self.judged(1, ("BREAKING", wire), ("BREAKING", rust));
    }

    /// Asserts exit 1, an `ok` line naming `wire` in the wire part and a `BREAKING` line naming
    /// `rust` in the Rust API part.
    pub(crate) fn ok_on_the_wire_but_breaking_in_rust(&self, wire: &str, rust: &str) {
        self.judged(1, ("ok", wire), ("BREAKING", rust));
    }

    /// Asserts exit 0 and an `ok` line naming `wire`, resp. `rust`, in each part.
    pub(crate) fn compatible_at_both_levels(&self, wire: &str, rust: &str) {
        self.judged(0, ("ok", wire), ("ok", rust));
    }

    /// Asserts the exit code and a (tag, words) line in each part.
    fn judged(&self, code: i32, wire: (&str, &str), rust: (&str, &str)) {
        self.exits(code);
        self.wire_has(wire.0, wire.1);
        self.rust_has(rust.0, rust.1);
    }

    /// Asserts a `tag` line (`BREAKING` or `ok`) naming `words` in the wire part.
    pub(crate) fn wire_has(&self, tag: &str, words: &str) {
        assert_line(&self.wire, tag, words, &self.report);
    }

    /// Asserts a `tag` line (`BREAKING` or `ok`) naming `words` in the Rust API part.
    pub(crate) fn rust_has(&self, tag: &str, words: &str) {
        assert_line(&self.rust, tag, words, &self.report);
    }

    /// The change lines (indented) of the wire part.
    pub(crate) fn wire_changes(&self) -> Vec<&str> {
        self.wire.lines().filter(|l| l.starts_with("  ")).collect()
    }

    /// Asserts the whole report says `words` somewhere.
    pub(crate) fn says(&self, words: &str) {
        assert!(
            self.report.contains(words),
            "no `{words}` in:\n{}",
            self.report
        );
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
    found.exits(0);
    found.says(": no changes");
}

#[test]
fn response_property_made_required_is_compatible_on_the_wire_but_breaks_the_rust_api() {
    let found = edited("      required: [id]\n", "      required: [id, size]\n");
    found.ok_on_the_wire_but_breaking_in_rust(
        "property `size` became required",
        "field `types::Thing.size`: type changed from `Option<i64>` to `i64`",
    );
    found.says("Rust API: ");
}

#[test]
fn request_property_made_optional_breaks_the_rust_api() {
    edited("      required: [name]\n", "").ok_on_the_wire_but_breaking_in_rust(
        "property `name` became optional",
        "field `types::NewThing.name`: type changed from `String` to `Option<String>`",
    );
}

#[test]
fn request_property_made_nullable_breaks_the_rust_api_like_93f91f9() {
    let found = edited(
        "tags: {type: array, items: {type: string}}",
        "tags: {type: array, nullable: true, items: {type: string}}",
    );
    found.ok_on_the_wire_but_breaking_in_rust(
        "`tags` became nullable",
        "field `types::NewThing.tags`: type changed from `Vec<String>` to `Option<Vec<String>>`",
    );
    found.says("wire: 0 breaking, 1 compatible; Rust API: ");
}

#[test]
fn response_minimum_raised_is_compatible_on_the_wire_but_changes_the_rust_type() {
    edited("size: {type: integer}", "size: {type: integer, minimum: 1}")
        .ok_on_the_wire_but_breaking_in_rust(
            "minimum changed",
            "field `types::Thing.size`: type changed from `Option<i64>` to `Option<NonZeroU64>`",
        );
}

#[test]
fn optional_property_added_to_a_request_struct_is_compatible_as_the_struct_is_non_exhaustive() {
    let found = edited(
        "        name: {type: string}\n",
        "        name: {type: string}\n        color: {type: string}\n",
    );
    found.compatible_at_both_levels(
        "optional property `color` added",
        "field `types::NewThing.color` added",
    );
    found.says("need a patch bump");
}

#[test]
fn enum_value_added_to_a_request_parameter_is_compatible_as_the_enum_is_non_exhaustive() {
    edited("enum: [asc, desc]", "enum: [asc, desc, random]").compatible_at_both_levels(
        "enum value \"random\" added",
        "variant `types::PutThingSort::Random` added",
    );
}

#[test]
fn field_added_to_a_response_struct_is_compatible_at_both_levels() {
    let found = edited(
        "        size: {type: integer}\n",
        "        size: {type: integer}\n        color: {type: string}\n",
    );
    found.exits(0);
    found.rust_has("ok", "field `types::Thing.color` added");
}

#[test]
fn field_removed_from_a_response_struct_is_still_breaking() {
    let found = edited("        size: {type: integer}\n", "");
    found.exits(1);
    found.rust_has("BREAKING", "field `types::Thing.size` removed");
}

#[test]
fn additional_properties_string_to_true_is_reported_at_both_levels() {
    edited(
        "additionalProperties: {type: string}",
        "additionalProperties: true",
    )
    .breaking_at_both_levels(
        "`labels{*}` type changed",
        "field `types::Thing.labels`: type changed",
    );
}

#[test]
fn operation_id_renamed_renames_the_method() {
    let found = edited("operationId: putThing", "operationId: storeThing");
    found.ok_on_the_wire_but_breaking_in_rust(
        "operationId changed from `putThing` to `storeThing`",
        "method `Client::put_thing` removed",
    );
    found.rust_has("ok", "method `Client::store_thing` added");
}

#[test]
fn component_schema_renamed_renames_the_type() {
    let head = DIFF_BASE
        .replace("schemas/Owner'", "schemas/Person'")
        .replace("    Owner:\n", "    Person:\n");
    let found = levels(&head);
    found.exits(1);
    found.says("wire: no changes");
    found.rust_has("BREAKING", "struct `types::Owner` removed");
}
