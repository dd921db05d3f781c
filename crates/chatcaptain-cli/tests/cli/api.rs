//! `api METHOD PATH`: any call with the tool's key and settings, printed as `gh api` prints it.

use chatcaptain_fake::Route;
use predicates::prelude::*;
use serde_json::{Value, json};

use crate::common::*;

/// `chatcaptain api METHOD PATH ARGS...` against `fake`.
fn api(fake: &Fake, method: &str, path: &str) -> assert_cmd::Command {
    let mut cmd = fake.cli();
    cmd.args(["api", method, path]);
    cmd
}

/// What a run printed, as one JSON value.
fn stdout_json(out: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&out.get_output().stdout).expect("stdout is JSON")
}

#[test]
fn a_get_sends_the_fields_as_query_and_prints_the_body() {
    let fake = fake(5);
    let out = api(&fake, "get", "/v1/chatbots/bot1/contacts")
        .args(["--field", "limit=2"])
        .assert()
        .success();
    let body = stdout_json(&out);
    assert_eq!(body["contacts"].as_array().map(Vec::len), Some(2), "{body}");
    let sent = fake.server.requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].query, [("limit".to_owned(), "2".to_owned())]);
}

#[test]
fn a_post_sends_typed_and_raw_fields_as_a_json_body() {
    let fake = fake(0);
    let out = api(&fake, "POST", "/v1/chatbots/bot1/organizations")
        .args([
            "--raw-field",
            "name=Acme",
            "-F",
            "size=12",
            "-f",
            "industry=12",
        ])
        .assert()
        .success();
    assert_eq!(stdout_json(&out)["organization"]["name"], "Acme");
    let sent = &fake.server.requests()[0];
    let body: Value = serde_json::from_str(&sent.body).unwrap();
    assert_eq!(body, json!({"name": "Acme", "size": 12, "industry": "12"}));
    assert_eq!(fake.server.organization_count(BOT), 1);
}

#[test]
fn input_from_stdin_is_the_body_and_include_prints_status_and_headers() {
    let fake = fake(0);
    let out = api(&fake, "POST", "/v1/chatbots/bot1/organizations")
        .args(["--input", "-", "-i"])
        .args(["-H", "X-Trace: t-9"])
        .write_stdin(r#"{"name": "From stdin"}"#)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("HTTP/1.1 "))
        .stdout(predicate::str::contains("content-type: application/json"))
        .stdout(predicate::str::contains("From stdin"));
    drop(out);
    let sent = &fake.server.requests()[0];
    assert!(
        sent.headers
            .iter()
            .any(|(n, v)| n == "x-trace" && v == "t-9"),
        "{:?}",
        sent.headers
    );
    assert_eq!(fake.server.request_count(Route::CreateOrganization), 1);
}

#[test]
fn an_error_status_prints_the_body_and_exits_with_the_code_of_the_other_commands() {
    let fake = fake(0);
    let out = assert_exits(
        api(&fake, "GET", "/v1/chatbots/bot1/contacts/no-such-contact"),
        4,
        "404",
    );
    assert_eq!(
        stdout_json(&out)["statusCode"],
        404,
        "the server's own body"
    );

    let wrong_key = api(&fake, "GET", "/v1/chatbots/bot1/contacts")
        .env("CHATCAPTAIN_API_KEY", "not-the-key")
        .assert()
        .code(3);
    drop(wrong_key);
}

#[test]
fn a_full_url_or_a_bad_field_is_a_usage_error_and_sends_nothing() {
    let fake = fake(0);
    for args in [
        vec![
            "api",
            "GET",
            "https://evil.example/v1/chatbots/bot1/contacts",
        ],
        vec!["api", "GET", "//evil.example/v1"],
        vec!["api", "POST", "/v1/x", "--field", "no-equals-sign"],
        vec!["api", "NOT A METHOD", "/v1/x"],
    ] {
        assert_usage_error(fake.cli().args(&args), "error:");
    }
    assert!(fake.server.requests().is_empty());
}
