//! `cargo xtask spec-diff [BASE] [HEAD]`: what changed between two versions of
//! `spec/chatcaptain.yaml`, judged at two levels:
//!
//! - the wire: each change grouped by operation and classified as breaking or compatible for a
//!   client (the rules are in `spec_diff/kinds.rs`), and whether `info.version` got the bump;
//! - the Rust API: both sides generated in-process and the public surface of the generated code
//!   compared (`spec_diff/rust_surface.rs`), and whether the `chatcaptain-api` crate version got
//!   the bump its users need.
//!
//! A change harmless on the wire (a request field made nullable) can still break every program
//! compiled against the generated crate (`Vec<String>` became `Option<Vec<String>>`), and the
//! other way round (an auth header renamed): so both verdicts are given, side by side.
//!
//! progenitor cannot generate every valid OpenAPI 3.0 document (an operation without an
//! `operationId`, a `deepObject` parameter, a body with two media types): the wire can always be
//! judged, so then it is judged alone, and the report says why the Rust API was not.

mod compare;
mod kinds;
mod lenient;
mod model;
mod operations;
mod render;
mod rust_surface;
mod schema_kinds;
mod schemas;
mod security;
mod versions;

use anyhow::Result;

pub use model::Source;
pub use render::Format;

use crate::codegen;
use crate::spec::Spec;
use model::Api;
use render::{Report, RustLevel};
use rust_surface::Surface;
use versions::{Scheme, bump_line};

/// The wire rules as CONTRIBUTING.md's table, for `spec-diff --rules`.
pub fn rules_table() -> String {
    kinds::table()
}

/// Prints our spec (`ours`) read against another description of the API (`theirs`): see
/// `compare.rs`.
pub fn compare(ours: Source, theirs: Source) -> Result<()> {
    let (our_spec, their_spec) = (ours.load()?, theirs.load()?);
    let changes = operations::diff(&Api::from_spec(&our_spec), &Api::from_spec(&their_spec));
    let labels = (ours.label(), theirs.label());
    print!(
        "{}",
        compare::render(
            &our_spec.json(),
            &their_spec.json(),
            &changes,
            (&labels.0, &labels.1)
        )
    );
    Ok(())
}

/// Prints the report; returns whether the API changed in a breaking way at either level.
/// An error means the two sides could not be compared: one is not an OpenAPI 3.0 document (or
/// cannot be read). When progenitor cannot generate a side, the wire is judged alone and the
/// report says why the Rust API was not.
pub fn run(base: Source, head: Source, format: Format) -> Result<bool> {
    let (old_spec, new_spec) = (base.load()?, head.load()?);
    let (old, new) = (Api::from_spec(&old_spec), Api::from_spec(&new_spec));
    let changes = operations::diff(&old, &new);
    let rust = match (surface(&old_spec), surface(&new_spec)) {
        (Ok(a), Ok(b)) => RustLevel::Judged(rust_surface::diff(&a, &b)),
        (a, b) => RustLevel::NotJudged(match (a.err(), b.err()) {
            (Some(a), Some(b)) if a == b => format!("progenitor cannot generate either side: {a}"),
            (Some(a), Some(b)) => {
                format!("progenitor cannot generate the base ({a}) nor the head ({b})")
            }
            (Some(a), None) => format!("progenitor cannot generate the base: {a}"),
            (None, b) => format!(
                "progenitor cannot generate the head: {}",
                b.unwrap_or_default()
            ),
        }),
    };
    let wire_breaking = changes.iter().any(kinds::Change::breaking);
    let rust_breaking = rust.breaking();
    let crate_line = match &rust {
        RustLevel::Judged(found) => bump_line(
            "chatcaptain-api crate version (Rust API)",
            Scheme::Crate,
            &base.crate_version()?,
            &head.crate_version()?,
            rust_breaking,
            !found.is_empty(),
        ),
        RustLevel::NotJudged(_) => {
            "chatcaptain-api crate version (Rust API): not checked (the Rust API was not judged)"
                .to_owned()
        }
    };
    let report = Report {
        base: &base.label(),
        head: &head.label(),
        changes: &changes,
        rust: &rust,
        version_lines: vec![
            bump_line(
                "info.version (wire)",
                Scheme::Api,
                &old.version,
                &new.version,
                wire_breaking,
                !changes.is_empty(),
            ),
            crate_line,
        ],
    };
    print!("{}", render::render(&report, format));
    Ok(wire_breaking || rust_breaking)
}

/// The public surface of the code generated from `spec`, or, in one line, why there is none.
fn surface(spec: &Spec) -> Result<Surface, String> {
    match codegen::generate_api(spec) {
        Ok(file) => Ok(Surface::of(&file)),
        Err(err) => match codegen::generate_syntax(spec) {
            Ok(_) => Err(first_line(&format!("{err:#}"))),
            Err(err) => Err(why_progenitor_fails(spec, &format!("{err:#}"))),
        },
    }
}

/// progenitor's own words when it returns an error ("path /pets is missing operation ID"); when
/// it panics, its message is an internal one (`not yet implemented: ...`), so the lint's error
/// for the shape it cannot handle says it instead.
fn why_progenitor_fails(spec: &Spec, message: &str) -> String {
    const REJECTED: &str = "progenitor rejected the spec: ";
    const VAGUE: &str = "unexpected or unhandled format in the OpenAPI document ";
    if let Some(i) = message.find(REJECTED) {
        let said = &message[i + REJECTED.len()..];
        return first_line(said.strip_prefix(VAGUE).unwrap_or(said));
    }
    let from_lint = crate::spec_lint::problems(spec)
        .into_iter()
        .find(|p| p.rule.stops_progenitor())
        .map(|p| p.message);
    match from_lint {
        Some(why) => first_line(&why),
        None => "it fails inside on a shape spec-lint does not name".to_owned(),
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_owned()
}

#[cfg(test)]
mod tests;
