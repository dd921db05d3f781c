//! Where the key comes from, what a refused key looks like, and that the key never shows.

use chatcaptain_fake::{FakeServer, Permission};
use predicates::prelude::*;

use crate::common::{BOT, KEY, assert_key_refused, bare, fake, fake_with, file_holding};

#[test]
fn bad_key_exits_3_with_the_servers_answer() {
    assert_key_refused(fake(1).contacts(&["list"]));
}

#[test]
fn missing_permission_exits_3() {
    let fake = fake_with(
        FakeServer::builder()
            .seed_contacts(BOT, 1)
            .revoke(Permission::ContactsList),
    );
    fake.contacts(&["list"])
        .assert()
        .code(3)
        .stderr(predicate::str::starts_with("error: 403 Forbidden"));
}

#[test]
fn api_key_file_is_read_and_wins_over_the_environment() {
    let fake = fake(2);
    let file = file_holding(format!("{KEY}\n"));
    fake.contacts(&["list", "--api-key-file", file.path().to_str().unwrap()])
        .env("CHATCAPTAIN_API_KEY", "not-the-key")
        .assert()
        .success();
}

#[test]
fn missing_key_is_a_usage_error_naming_both_sources() {
    bare()
        .args(["contacts", "list", "--chatbot", BOT])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("CHATCAPTAIN_API_KEY")
                .and(predicate::str::contains("--api-key-file")),
        );
}

#[test]
fn key_never_appears_in_output_or_errors() {
    let fake = fake(3);
    let file = file_holding(KEY);
    let key_file = file.path().to_str().unwrap();
    let runs = [
        fake.contacts(&["list", "--all", "-o", "json"])
            .output()
            .unwrap(),
        fake.contacts(&["get", "missing"]).output().unwrap(),
        fake.contacts(&["list", "--api-key-file", key_file, "--page-size", "0"])
            .output()
            .unwrap(),
        // Nothing listens there: a transport error that names the URL.
        bare()
            .env("CHATCAPTAIN_API_KEY", KEY)
            .args([
                "--base-url",
                "http://127.0.0.1:9",
                "contacts",
                "list",
                "--chatbot",
                BOT,
            ])
            .output()
            .unwrap(),
    ];
    for run in runs {
        for stream in [&run.stdout, &run.stderr] {
            assert!(
                !String::from_utf8_lossy(stream).contains(KEY),
                "key leaked: {run:?}"
            );
        }
    }
    // Nor in the help, where clap would show an `env` value.
    let help = bare()
        .env("CHATCAPTAIN_API_KEY", KEY)
        .arg("--help")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&help.stdout).contains(KEY));
}

#[test]
fn long_help_documents_the_exit_codes_and_the_missing_key_flag() {
    bare().arg("--help").assert().success().stdout(
        predicate::str::contains("Exit codes:")
            .and(predicate::str::contains("130"))
            .and(predicate::str::contains(
                "no flag that takes the key itself",
            )),
    );
}

#[cfg(unix)]
#[test]
fn api_key_file_readable_by_group_or_others_is_refused_as_ssh_does() {
    use crate::common::chmod;

    let fake = fake(1);
    let file = file_holding(KEY);
    let path = file.path().to_str().unwrap();
    for mode in [0o644, 0o640, 0o604, 0o620] {
        chmod(file.path(), mode);
        fake.contacts(&["list", "--api-key-file", path])
            .assert()
            .code(2)
            .stdout("")
            .stderr(format!(
                "error: permissions {mode:04o} for '{path}' are too open; run chmod 600 {path} \
                 (an API key file must be private to its owner)\n"
            ));
    }
    assert!(fake.server.requests().is_empty(), "a request went out");
    chmod(file.path(), 0o600);
    fake.contacts(&["list", "--api-key-file", path])
        .assert()
        .success();
}

#[test]
fn a_chatbot_the_key_does_not_belong_to_exits_3_naming_it_and_the_request() {
    let fake = fake(2);
    fake.cli()
        .args(["contacts", "list", "--chatbot", "b0t1"])
        .assert()
        .code(3)
        .stdout("")
        .stderr(
            "error: 403 Forbidden: Insufficient permissions. (chatbot \"b0t1\": the API key may \
             belong to another chatbot, or lack the permission) (request id fake-000001)\n",
        );
}
