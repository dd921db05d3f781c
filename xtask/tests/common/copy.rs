//! A copy of part of the workspace under `target/tmp`, generated from an edited spec and tested
//! with cargo in this workspace's target directory (shared dependencies are reused).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::repo_root;

/// The copy of `crates` (each `crates/<name>`: sources, examples and manifest) in `target/tmp/<name>`,
/// with `spec` as its `spec/chatcaptain.yaml`; always the same place, so that a rerun rebuilds
/// the copied crates in place instead of adding a new set of artifacts.
pub fn workspace(name: &str, crates: &[&str], spec: &str) -> PathBuf {
    let root = repo_root();
    let copy = root.join("target/tmp").join(name);
    if copy.exists() {
        std::fs::remove_dir_all(&copy).unwrap();
    }
    for krate in crates {
        let (from, into) = (
            root.join("crates").join(krate),
            copy.join("crates").join(krate),
        );
        copy_dir(&from.join("src"), &into.join("src"));
        // The manifest names examples (`required-features`), which must then exist.
        if from.join("examples").exists() {
            copy_dir(&from.join("examples"), &into.join("examples"));
        }
        let mut manifest = std::fs::read_to_string(from.join("Cargo.toml")).unwrap();
        if !crates.contains(&"chatcaptain-fake") {
            manifest = manifest.replace("chatcaptain-fake.workspace = true\n", "");
        }
        // Cargo names artifacts by package, version and features, not by path: without another
        // version the copy would overwrite this workspace's own artifacts of the same crates
        // (and they would look fresh to it). Binaries are copied out of `deps/` by name, so the
        // copy's get names of their own too.
        let version = package_version(&manifest)
            .unwrap_or_else(|| panic!("{krate}'s manifest has no version"));
        manifest = manifest
            .replacen(
                &format!("\"{version}\""),
                &format!("\"{version}-{name}\""),
                1,
            )
            .replace(
                "name = \"chatcaptain\"\npath = \"src/main.rs\"",
                &format!("name = \"chatcaptain-{name}\"\npath = \"src/main.rs\""),
            );
        std::fs::write(into.join("Cargo.toml"), manifest).unwrap();
    }
    let members: Vec<String> = crates.iter().map(|c| format!("\"crates/{c}\"")).collect();
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let all = "members = [\"xtask\", \"crates/*\"]";
    assert!(manifest.contains(all));
    let manifest = manifest
        .replace(all, &format!("members = [{}]", members.join(", ")))
        .lines()
        // The siblings are named by version too; the copy's carry its own.
        .map(|line| match package_version(line) {
            Some(version) if line.starts_with("chatcaptain") => {
                let named = format!("\"{version}-{name}\"");
                format!("{}\n", line.replacen(&format!("\"{version}\""), &named, 1))
            }
            _ => format!("{line}\n"),
        })
        .collect::<String>();
    std::fs::write(copy.join("Cargo.toml"), manifest).unwrap();
    if crates.contains(&"chatcaptain-spec") {
        // The crate embeds the spec as JSON (written by codegen in the real tree).
        let embedded = copy.join("crates/chatcaptain-spec/spec");
        std::fs::create_dir_all(&embedded).unwrap();
        let document: serde_norway::Value = serde_norway::from_str(spec).unwrap();
        let json = serde_json::to_string_pretty(&document).unwrap();
        std::fs::write(embedded.join("chatcaptain.json"), json).unwrap();
    }
    std::fs::copy(root.join("Cargo.lock"), copy.join("Cargo.lock")).unwrap();
    std::fs::create_dir_all(copy.join("spec")).unwrap();
    std::fs::write(copy.join("spec/chatcaptain.yaml"), spec).unwrap();
    copy
}

/// Runs `cargo xtask codegen` on the copy's spec, writing the copy's generated files.
pub fn codegen(copy: &Path) -> Output {
    let arg = |p: &str| copy.join(p).to_str().unwrap().to_owned();
    let mut args = vec![
        "codegen".to_owned(),
        "--spec".to_owned(),
        arg("spec/chatcaptain.yaml"),
        "--out".to_owned(),
        arg("crates/chatcaptain-api/src/generated.rs"),
        "--glue".to_owned(),
        arg("crates/chatcaptain/src/generated.rs"),
    ];
    // The fake's routes and permissions, when the copy has the fake.
    if copy.join("crates/chatcaptain-fake").exists() {
        args.push("--fake-route".to_owned());
        args.push(arg("crates/chatcaptain-fake/src/generated.rs"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    super::xtask(&args)
}

/// Puts each fixture (under `xtask/tests/fixtures`) into its crate of the copy as a test of the
/// given name and runs them all in one cargo command (`cargo test --workspace --all-features
/// --test NAME ...`). All features, as the workspace's own test build has them, so that the copy
/// reuses what that build compiled (with default features it would compile reqwest and rustls
/// again: chatcaptain's TLS features change theirs).
/// A fixture given by an absolute path is taken from there (a test module of the workspace). A
/// test named a second time gets the fixture as a module (named for its file): one test binary
/// less to link.
pub fn run_tests(copy: &Path, tests: &[(&str, &str, &str)]) -> Output {
    let mut cargo = cargo(copy);
    cargo.args(["--workspace", "--all-features"]);
    let mut written: Vec<&str> = Vec::new();
    for (fixture, krate, test) in tests {
        let dir = copy.join("crates").join(krate).join("tests");
        let root = dir.join(format!("{test}.rs"));
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture);
        if written.contains(test) {
            let name = fixture.file_stem().unwrap().to_str().unwrap();
            let module = dir.join(test).join(format!("{name}.rs"));
            std::fs::create_dir_all(module.parent().unwrap()).unwrap();
            std::fs::copy(&fixture, module).unwrap();
            let mut text = std::fs::read_to_string(&root).unwrap();
            // Beside the root, a file would be a test target of its own.
            text.push_str(&format!("\n#[path = \"{test}/{name}.rs\"]\nmod {name};\n"));
            std::fs::write(&root, text).unwrap();
            continue;
        }
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(fixture, &root).unwrap();
        cargo.args(["--test", test]);
        written.push(test);
    }
    cargo.output().expect("cargo runs")
}

/// Builds, without running, test `test` (put there by `run_tests`) after the copy was generated
/// again: whether it still compiles. The features of `run_tests`, so its build is reused.
pub fn build_test(copy: &Path, test: &str) -> Output {
    cargo(copy)
        .args(["--no-run", "--workspace", "--all-features", "--test", test])
        .output()
        .expect("cargo runs")
}

/// `cargo test` on the copy, in this workspace's target directory.
fn cargo(copy: &Path) -> Command {
    let mut cargo = Command::new(env!("CARGO"));
    cargo
        .args(["test", "--offline", "--manifest-path"])
        .arg(copy.join("Cargo.toml"));
    // Not the variables cargo set for this test (`CARGO_MANIFEST_DIR`, `CARGO_PKG_NAME`, ...):
    // ring's build script reruns when they change (`rerun-if-env-changed`), and with it
    // everything above ring, in the copy and again in the workspace's next build (~50 s).
    // `RUSTC_WORKSPACE_WRAPPER` (CI's clippy) stays, for the same reason.
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let set_for_tests = name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_BIN_")
            || name.starts_with("CARGO_MANIFEST_")
            || [
                "CARGO_CRATE_NAME",
                "CARGO_PRIMARY_PACKAGE",
                "CARGO_TARGET_TMPDIR",
                "OUT_DIR",
            ]
            .contains(&name.as_ref());
        if set_for_tests {
            cargo.env_remove(name.as_ref());
        }
    }
    cargo.env("CARGO_TARGET_DIR", repo_root().join("target"));
    cargo
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The first `version = "x.y.z"` of a manifest (its package's) or of one line: `x.y.z`.
fn package_version(text: &str) -> Option<String> {
    let start = text.find("version = \"")? + "version = \"".len();
    let end = start + text[start..].find('"')?;
    Some(text[start..end].to_owned())
}
