//! `cargo xtask spec-diff [BASE] [HEAD]`: what changed between two versions of
//! `spec/chatcaptain.yaml`, judged at two levels:
//!
//! - the wire: each change grouped by operation and classified as breaking or compatible for a
//!   client (the rules are in `spec_diff/rules.rs`), and whether `info.version` got the bump;
//! - the Rust API: both sides generated in-process and the public surface of the generated code
//!   compared (`spec_diff/rust_surface.rs`), and whether the `chatcaptain-api` crate version got
//!   the bump its users need.
//!
//! A change harmless on the wire (a request field made nullable) can still break every program
//! compiled against the generated crate (`Vec<String>` became `Option<Vec<String>>`), and the
//! other way round (an auth header renamed): so both verdicts are given, side by side.

mod model;
mod render;
mod rules;
mod rust_surface;
mod versions;

use anyhow::{Context, Result};

pub use model::Source;
pub use render::Format;

use crate::codegen;
use model::Api;
use render::Report;
use rust_surface::Surface;
use versions::{Scheme, bump_line};

/// Prints the report; returns whether the API changed in a breaking way at either level.
/// An error means the two sides could not be compared.
pub fn run(base: Source, head: Source, format: Format) -> Result<bool> {
    let (old_spec, new_spec) = (base.load()?, head.load()?);
    let (old, new) = (Api::from_spec(&old_spec), Api::from_spec(&new_spec));
    let changes = rules::diff(&old, &new);
    let surface = |spec| -> Result<Surface> {
        let file = codegen::generate_api(spec)
            .context("cannot generate the Rust client to compare its API")?;
        Ok(Surface::of(&file))
    };
    let rust = rust_surface::diff(&surface(&old_spec)?, &surface(&new_spec)?);
    let wire_breaking = changes.iter().any(|c| c.breaking);
    let rust_breaking = rust.iter().any(|c| c.breaking);
    let (old_crate, new_crate) = (base.crate_version()?, head.crate_version()?);
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
            bump_line(
                "chatcaptain-api crate version (Rust API)",
                Scheme::Crate,
                &old_crate,
                &new_crate,
                rust_breaking,
                !rust.is_empty(),
            ),
        ],
    };
    print!("{}", render::render(&report, format));
    Ok(wire_breaking || rust_breaking)
}

#[cfg(test)]
mod tests;
