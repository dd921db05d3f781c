//! The copy of the spec that `chatcaptain-spec` embeds.
//!
//! A published crate can only embed files inside itself, so `crates/chatcaptain-spec/spec/`
//! holds a copy of `spec/chatcaptain.yaml`. The spec stays one fact in one place: the copy is
//! written by `cargo xtask codegen` with the generated code, and `--check` fails when it drifts.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::spec;

pub fn path() -> PathBuf {
    spec::workspace_root().join("crates/chatcaptain-spec/spec/chatcaptain.yaml")
}

/// Makes the copy equal to the spec.
pub fn write(spec_path: &Path) -> Result<()> {
    let text = std::fs::read_to_string(spec_path)
        .with_context(|| format!("cannot read {}", spec_path.display()))?;
    let copy = path();
    if std::fs::read_to_string(&copy).is_ok_and(|old| old == text) {
        return Ok(());
    }
    std::fs::write(&copy, text).with_context(|| format!("cannot write {}", copy.display()))?;
    println!(
        "wrote {} (the copy chatcaptain-spec embeds)",
        copy.display()
    );
    Ok(())
}

/// Fails when the copy differs from the spec.
pub fn check(spec_path: &Path) -> Result<()> {
    let text = std::fs::read_to_string(spec_path)
        .with_context(|| format!("cannot read {}", spec_path.display()))?;
    let copy = path();
    if std::fs::read_to_string(&copy).is_ok_and(|old| old == text) {
        return Ok(());
    }
    bail!(
        "{} differs from {}: run `cargo xtask codegen` and commit the result",
        copy.display(),
        spec_path.display()
    )
}
