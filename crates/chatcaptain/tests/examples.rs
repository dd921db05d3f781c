//! Every example runs to its end against the in-memory fake, as `cargo run -p chatcaptain
//! --example NAME` runs it. `cargo test` builds the examples before it runs the tests; this
//! runs the binaries it built.

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs `target/<profile>/examples/<name>` with `args`, away from any real server.
fn run(name: &str, args: &[&str]) -> Output {
    let binary = example(name);
    assert!(
        binary.exists(),
        "{} is missing: `cargo test -p chatcaptain` builds the examples, `--test examples` alone \
         does not (`cargo build -p chatcaptain --examples --all-features` first)",
        binary.display()
    );
    let output = Command::new(&binary)
        .args(args)
        .env_remove("CHATCAPTAIN_BASE_URL")
        .env_remove("CHATCAPTAIN_API_KEY")
        .env_remove("CHATCAPTAIN_CHATBOT")
        .output()
        .expect("the example starts");
    assert!(
        output.status.success(),
        "{name} failed ({}):\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The binary of example `name`, which `cargo test` built.
fn example(name: &str) -> PathBuf {
    let deps = std::env::current_exe().expect("the test binary has a path");
    deps.parent()
        .and_then(|deps| deps.parent())
        .expect("test binaries live in target/<profile>/deps")
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}

/// Asserts `text` (what an example printed) says each of `parts`.
fn assert_says(text: &str, parts: &[&str]) {
    for part in parts {
        assert!(text.contains(part), "{part:?} missing from:\n{text}");
    }
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("the examples print UTF-8")
}

#[test]
fn export_csv_writes_a_header_and_a_row_per_contact() {
    let output = run("export_csv", &[]);
    let csv = stdout(&output);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("id,created,name,email,phoneNumber,language")
    );
    assert_eq!(lines.count(), 1_000);
    assert!(stderr(&output).contains("exported 1000 contacts, set aside 0"));
}

#[test]
fn an_exported_file_imports_every_record_but_the_two_the_fake_fails() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contacts.csv");
    run("export_csv", &[file.to_str().unwrap()]);
    let output = run("import", &[file.to_str().unwrap()]);
    // The fake refuses the third create and cuts off the answer to the fifth.
    assert!(
        stderr(&output).contains("998 created, 1 rejected, 1 unknown"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn import_accounts_for_every_record_of_the_sample() {
    let output = run("import", &[]);
    let text = stderr(&output);
    assert_says(
        &text,
        &[
            "4 created, 2 rejected, 1 unknown",
            "line 5: rejected, nothing created: no language",
        ],
    );
    assert_eq!(stdout(&output).lines().count(), 4);
}

#[test]
fn incremental_sync_delivers_everything_then_only_what_was_created_since() {
    let output = run("incremental_sync", &[]);
    let text = stderr(&output);
    assert_says(&text, &["run 1: 200 new contacts", "run 2: 3 new contacts"]);
    assert_eq!(stdout(&output).lines().count(), 203);
}

#[test]
fn sync_contacts_resumes_through_the_faults_without_losing_a_contact() {
    let output = run("sync_contacts", &[]);
    let text = stdout(&output);
    assert!(
        text.contains("synced 20000 contacts (20000 unique)"),
        "{text}"
    );
}

#[cfg(feature = "blocking")]
#[test]
fn blocking_lists_creates_searches_and_deletes_without_a_runtime() {
    let output = run("blocking", &[]);
    let text = stdout(&output);
    assert_says(&text, &["300 contacts in all", "found 1 for \"Lovelace\""]);
}

#[test]
fn hooks_run_on_every_attempt_and_never_see_the_key() {
    let text = stdout(&run("hooks", &[]));
    assert_eq!(
        text.matches("-> GET").count(),
        3,
        "a listing and a read tried twice: {text}"
    );
    assert_says(
        &text,
        &[
            "<- 503 Service Unavailable for getContact",
            "after 3 requests",
        ],
    );
    assert!(!text.contains("key visible to the hook: true"), "{text}");
}

#[test]
fn raw_calls_read_create_and_see_errors_but_refuse_other_hosts() {
    let text = stdout(&run("raw_calls", &[]));
    assert_says(
        &text,
        &[
            "GET contacts: 200 OK, 2 contacts",
            "POST organization: 201",
            "GET missing: 404 Not Found",
            "GET missing, any status: 404 Not Found {",
            "an absolute URL is not a path",
        ],
    );
}

#[test]
fn custom_ca_is_refused_without_the_root_and_trusted_with_it() {
    let text = stdout(&run("custom_ca", &[]));
    assert_says(
        &text,
        &[
            "without the CA: refused (",
            "certificate",
            "with the CA: 200 OK {\"hello\"",
        ],
    );
}

#[test]
fn an_example_that_cannot_reach_its_server_prints_the_error_and_its_causes() {
    // A port just closed: connecting to it is refused.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let output = Command::new(example("export_csv"))
        .env("CHATCAPTAIN_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("CHATCAPTAIN_API_KEY", "example-key")
        .env("CHATCAPTAIN_CHATBOT", "aBcDeFgHiJkLmNoPqRsT")
        .output()
        .expect("the example starts");
    assert!(!output.status.success());
    // `main` returns the error: Rust prints "Error: " and its `Debug`, the chain of causes.
    let text = stderr(&output);
    assert!(
        text.starts_with("Error: gave up after 3 attempts"),
        "{text}"
    );
    assert!(
        text.contains("\n\nCaused by:\n    0: could not reach ChatCaptain"),
        "{text}"
    );
    assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
    assert!(text.to_lowercase().contains("connection refused"), "{text}");
    assert!(
        !text.contains("hyper_util") && !text.contains("example-key"),
        "{text}"
    );
}

/// The quick start of the workspace README is the crate README's, which a doc test compiles with
/// warnings as errors (`src/lib.rs`), and its `[dependencies]` line asks for this version.
#[test]
fn the_readme_quick_start_is_the_compiled_one_and_asks_for_this_version() {
    let root = include_str!("../../../README.md");
    let crate_page = include_str!("../README.md");
    let between = |text: &'static str, end: &str| {
        let start = text.find("In a new project").expect("a quick start");
        let stop = start + text[start..].find(end).expect("the quick start's end");
        text[start..stop].trim()
    };
    assert_eq!(
        between(root, "(A test checks"),
        between(crate_page, "TLS is rustls")
    );
    let asked = crate_page
        .lines()
        .find_map(|l| l.strip_prefix("chatcaptain = \""))
        .and_then(|rest| rest.split('"').next())
        .expect("a chatcaptain = \"VERSION\" line");
    // A caret requirement: below 1.0, `0.2` takes 0.2.x only.
    let version = env!("CARGO_PKG_VERSION");
    let mut parts = version.split('.');
    let wanted = match (parts.next(), parts.next()) {
        (Some("0"), Some(minor)) => format!("0.{minor}"),
        (Some(major), _) => major.to_owned(),
        _ => unreachable!("a crate version"),
    };
    assert_eq!(
        asked, wanted,
        "the README asks for {asked}, the crate is {version}"
    );
}
