//! Helpers shared by the xtask integration tests: run the binary, write a spec to a temp dir.

#![allow(dead_code)] // each test file uses a different subset

pub mod copy;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A small spec that lints clean; tests break one thing in it.
pub const MINIMAL: &str = include_str!("../fixtures/minimal.yaml");

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .expect("xtask runs")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Asserts `text` contains each of `words` (the whole text shown when one is missing).
pub fn assert_contains(text: &str, words: &[impl AsRef<str>]) {
    for words in words.iter().map(AsRef::as_ref) {
        assert!(text.contains(words), "no `{words}` in:\n{text}");
    }
}

/// Writes `text` as `name` in a fresh temp dir (kept alive by the returned guard).
pub fn write_spec(name: &str, text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    (dir, path)
}

/// `cargo xtask codegen` on `text`, written to a fresh temp dir; returns the output and whether
/// it wrote `generated.rs` there.
pub fn codegen_spec(text: &str) -> (Output, bool) {
    let (dir, spec) = write_spec("spec.yaml", text);
    let out = dir.path().join("generated.rs");
    let output = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    (output, out.exists())
}

/// `MINIMAL` with `from` replaced by `to`; panics when `from` is not there, so a fixture
/// that silently stopped breaking anything fails loudly.
pub fn minimal_with(from: &str, to: &str) -> String {
    assert!(MINIMAL.contains(from), "fixture anchor not found: {from:?}");
    MINIMAL.replacen(from, to, 1)
}
