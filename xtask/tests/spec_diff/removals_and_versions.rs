//! Both levels, continued: media types, defaults, patterns, auth, `allOf`, removals and renames,
//! and the version bumps each change needs. Each case edits DIFF_BASE.

use super::both_levels::{DIFF_BASE, diff_base_with, edited, levels};
use super::{minimal_with_health, spec_diff, spec_diff_report};
use crate::common::{MINIMAL, assert_contains, stdout};

#[test]
fn response_media_type_changed_is_breaking_on_the_wire() {
    let found = edited(
        "            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}",
        "            application/vnd.thing+json:\n              schema: {$ref: '#/components/schemas/Thing'}",
    );
    found.exits(1);
    found.wire_has(
        "BREAKING",
        "response 200: media type `application/json` removed [response-media-type-removed]",
    );
}

#[test]
fn default_changed_is_breaking_on_the_wire() {
    let found = edited("default: 10", "default: 20");
    found.exits(1);
    found.wire_has(
        "BREAKING",
        "parameter `limit`: default changed from `10` to `20`",
    );
}

#[test]
fn pattern_added_to_a_request_property_is_breaking_at_both_levels() {
    edited(
        "        name: {type: string}\n        tags",
        "        name: {type: string, pattern: '^[a-z]+$'}\n        tags",
    )
    .breaking_at_both_levels(
        "`name` pattern changed from (none)",
        "field `types::NewThing.name`: type changed",
    );
}

#[test]
fn auth_header_renamed_is_breaking_on_the_wire_though_no_code_changes() {
    let found = edited("name: x-key}", "name: x-api-key}");
    found.exits(1);
    found.wire_has("BREAKING", "`name` changed from `x-key` to `x-api-key`");
    found.says("Rust API: no changes");
}

#[test]
fn second_all_of_branch_is_reported() {
    let found = edited(
        "origin: {allOf: [{$ref: '#/components/schemas/Owner'}]}",
        "origin: {allOf: [{$ref: '#/components/schemas/Owner'}, {type: object, required: [since], properties: {since: {type: string}}}]}",
    );
    found.breaking_at_both_levels(
        "`origin` `allOf` branch added",
        "field `types::NewThing.origin`: type changed from `Option<Owner>` to `Option<NewThingOrigin>`",
    );
    assert_eq!(found.wire_changes().len(), 1, "{}", found.report);
}

#[test]
fn wrapping_a_ref_as_nullable_all_of_changes_only_nullability() {
    let found = edited(
        "owner: {$ref: '#/components/schemas/Owner'}",
        "owner: {nullable: true, allOf: [{$ref: '#/components/schemas/Owner'}]}",
    );
    let wire_lines = found.wire_changes();
    assert_eq!(wire_lines.len(), 1, "{}", found.report);
    assert!(
        wire_lines[0].contains("`owner` became nullable"),
        "{}",
        found.report
    );
    found.says("Rust API: no changes");
}

#[test]
fn the_crate_version_line_names_the_bump_the_rust_api_needs() {
    let found = edited("      required: [id]\n", "      required: [id, size]\n");
    found.says("chatcaptain-api crate version (Rust API)");
    found.says("these changes need a minor bump (0.x: breaking)");
}

#[test]
fn markdown_report_has_a_rust_api_section() {
    let head = diff_base_with("      required: [id]\n", "      required: [id, size]\n");
    let output = spec_diff(DIFF_BASE, &head, &["--format", "markdown"]);
    let report = stdout(&output);
    assert_contains(
        &report,
        &[
            "#### Rust API (chatcaptain-api, generated code compared)\n\n| | change |",
            "| **breaking** | field `types::Thing.size`: type changed",
        ],
    );
}

// ---------------------------------------------------------------------------------------------
// What an API that grows does (compatible at both levels, a minor wire bump and a patch crate
// bump), and what stays breaking at both levels.

#[test]
fn optional_parameter_added_is_compatible_at_both_levels_and_needs_minor_and_patch_bumps() {
    let found = edited(
        "        - {name: limit,",
        "        - {name: color, in: query, schema: {type: string}}\n        - {name: limit,",
    );
    found.compatible_at_both_levels(
        "optional parameter `color` added (query)",
        "method `builder::PutThing::color` added",
    );
    for line in [
        "info.version (wire) 1.0.0 → 1.0.0: NOT bumped (these changes need a minor bump)",
        // Both sides are files: the crate version is the working tree's on both.
        ": NOT bumped (these changes need a patch bump)",
    ] {
        found.says(line);
    }
}

#[test]
fn additions_with_a_minor_wire_bump_are_bumped_accordingly_and_a_patch_one_is_not_enough() {
    let added = diff_base_with(
        "        size: {type: integer}\n",
        "        size: {type: integer}\n        color: {type: string}\n",
    );
    let minor = levels(&added.replace("version: 1.0.0", "version: 1.1.0"));
    minor.says("1.0.0 → 1.1.0: bumped accordingly (these changes need a minor bump)");
    let patch = levels(&added.replace("version: 1.0.0", "version: 1.0.1"));
    patch.says("1.0.0 → 1.0.1: NOT bumped enough (these changes need a minor bump)");
}

#[test]
fn response_enum_value_added_is_compatible_at_both_levels() {
    edited("enum: [open, closed]", "enum: [open, closed, archived]").compatible_at_both_levels(
        "`status` enum value \"archived\" added",
        "variant `types::ThingStatus::Archived` added",
    );
}

#[test]
fn response_enum_value_removed_breaks_the_rust_api() {
    edited("enum: [open, closed]", "enum: [open]").ok_on_the_wire_but_breaking_in_rust(
        "`status` enum value \"closed\" removed",
        "variant `types::ThingStatus::Closed` removed",
    );
}

#[test]
fn operation_removed_is_breaking_at_both_levels() {
    let with_health = minimal_with_health();
    let report = spec_diff_report(&with_health, MINIMAL, &[], 1);
    let rust = &report[report.find("\nRust API (").expect("a Rust section")..];
    assert_contains(&report, &["BREAKING  operation removed"]);
    assert_contains(rust, &["BREAKING  method `Client::health` removed"]);
}

#[test]
fn parameter_removed_is_breaking_at_both_levels() {
    edited(
        "        - {name: limit, in: query, schema: {type: integer, format: int32, default: 10}}\n",
        "",
    )
    .breaking_at_both_levels(
        "parameter `limit` removed",
        "method `builder::PutThing::limit` removed",
    );
}

#[test]
fn response_property_renamed_is_breaking_at_both_levels() {
    edited(
        "        size: {type: integer}\n",
        "        bulk: {type: integer}\n",
    )
    .breaking_at_both_levels(
        "property `size` removed",
        "field `types::Thing.size` removed",
    );
}

#[test]
fn property_type_changed_is_breaking_at_both_levels() {
    edited("size: {type: integer}", "size: {type: string}").breaking_at_both_levels(
        "`size` type changed from `integer` to `string`",
        "field `types::Thing.size`: type changed from `Option<i64>` to `Option<String>`",
    );
}

#[test]
fn request_field_made_required_is_breaking_at_both_levels() {
    edited(
        "      required: [name]\n",
        "      required: [name, origin]\n",
    )
    .breaking_at_both_levels(
        "property `origin` became required",
        "field `types::NewThing.origin`: type changed from `Option<Owner>` to `Owner`",
    );
}
