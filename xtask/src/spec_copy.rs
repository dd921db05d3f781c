//! The copy of the spec that `chatcaptain-spec` embeds, as JSON.
//!
//! A published crate can only embed files inside itself, so `crates/chatcaptain-spec/spec/`
//! holds the spec, converted to JSON so that the crate reads it with serde_json and has no YAML
//! parser among its dependencies or in its API. The spec stays one fact in one place: the copy is
//! written by `cargo xtask codegen` with the generated code (its first key, `x-generated`, says
//! so; `.gitattributes` marks it generated), and `--check` fails when it drifts.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::spec::{self, Spec};

/// The document's first key, naming where it comes from (an OpenAPI extension: allowed at the
/// root, and ignored by every reader).
const MARKER: &str = "x-generated";

pub fn path() -> PathBuf {
    spec::workspace_root().join("crates/chatcaptain-spec/spec/chatcaptain.json")
}

/// What the copy must hold: the spec as JSON, marked generated.
pub fn generate(spec_path: &Path) -> Result<String> {
    let text = std::fs::read_to_string(spec_path)
        .with_context(|| format!("cannot read {}", spec_path.display()))?;
    let sha256 = Spec::from_text(spec_path, text.clone())?.sha256();
    let note = format!(
        "by `cargo xtask codegen` from spec/chatcaptain.yaml (sha256 {sha256}). \
         DO NOT EDIT: edit the spec and re-run the generator."
    );
    spec::json_text(spec_path, &text, (MARKER, &note))
}

/// Makes the copy equal to what the spec generates.
pub fn write(spec_path: &Path) -> Result<()> {
    let json = generate(spec_path)?;
    let copy = path();
    if std::fs::read_to_string(&copy).is_ok_and(|old| old == json) {
        return Ok(());
    }
    std::fs::write(&copy, json).with_context(|| format!("cannot write {}", copy.display()))?;
    println!(
        "wrote {} (the spec as JSON, which chatcaptain-spec embeds)",
        copy.display()
    );
    Ok(())
}

/// Fails when the copy differs from what the spec generates.
pub fn check(spec_path: &Path) -> Result<()> {
    let json = generate(spec_path)?;
    let copy = path();
    if std::fs::read_to_string(&copy).is_ok_and(|old| old == json) {
        return Ok(());
    }
    bail!(
        "{} differs from what {} generates: run `cargo xtask codegen` and commit the result",
        copy.display(),
        spec_path.display()
    )
}
