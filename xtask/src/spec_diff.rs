//! `cargo xtask spec-diff [BASE] [HEAD]`: what changed in the API between two versions of
//! `spec/chatcaptain.yaml`, grouped by operation, each change classified as breaking or
//! compatible for a client (the rules are in `spec_diff/rules.rs`), and whether `info.version`
//! was bumped accordingly (major for breaking, minor for compatible).

mod model;
mod render;
mod rules;

use anyhow::Result;

pub use model::Source;
pub use render::Format;

use model::Api;
use render::Report;

/// Prints the report; returns whether the API changed in a breaking way.
/// An error means the two sides could not be compared.
pub fn run(base: Source, head: Source, format: Format) -> Result<bool> {
    let old = Api::from_spec(&base.load()?);
    let new = Api::from_spec(&head.load()?);
    let changes = rules::diff(&old, &new);
    let breaking = changes.iter().any(|c| c.breaking);
    let report = Report {
        base: &base.label(),
        head: &head.label(),
        changes: &changes,
        version_line: version_line(&old.version, &new.version, breaking, !changes.is_empty()),
    };
    print!("{}", render::render(&report, format));
    Ok(breaking)
}

/// Semver: a breaking change needs a major bump (a minor one below 1.0), a compatible one at
/// least a minor bump; no API change needs none.
fn version_line(old: &str, new: &str, breaking: bool, changed: bool) -> String {
    let parse = |v: &str| -> Option<(u64, u64, u64)> {
        let core = v.trim().split(['-', '+']).next()?;
        let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
        Some((parts.next()??, parts.next()??, parts.next()??))
    };
    let (Some(a), Some(b)) = (parse(old), parse(new)) else {
        return format!("info.version {old} → {new}: not semver, cannot check the bump");
    };
    let (need, ok) = if breaking {
        if a.0 == 0 {
            ("a minor bump (0.x: breaking)", b.0 > 0 || b.1 > a.1)
        } else {
            ("a major bump", b.0 > a.0)
        }
    } else if changed {
        ("a minor bump", (b.0, b.1) > (a.0, a.1))
    } else {
        return if a == b {
            format!("info.version {old}: unchanged, as no API change needs")
        } else {
            format!("info.version {old} → {new}: bumped without an API change")
        };
    };
    let verdict = if ok {
        "bumped accordingly"
    } else if a == b {
        "NOT bumped"
    } else {
        "NOT bumped enough"
    };
    format!("info.version {old} → {new}: {verdict} (these changes need {need})")
}

#[cfg(test)]
mod tests;
