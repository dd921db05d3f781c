//! How failures are reported: one line, each cause once, the right exit code, and nothing on
//! stdout that pretends the command did its work.

use predicates::prelude::*;

use crate::common::{
    BOT, KEY, assert_key_refused, assert_usage_error, bare, fake, printed_text, refused_url,
    stderr_of,
};

#[test]
fn connection_refused_prints_the_transport_message_once() {
    let out = bare()
        .env("CHATCAPTAIN_API_KEY", KEY)
        .args(["--base-url", &refused_url(), "contacts", "get", "C1"])
        .args(["--chatbot", BOT])
        .assert()
        .code(1)
        .stdout("");
    let stderr = stderr_of(&out);
    assert_eq!(
        stderr.matches("error sending request").count(),
        1,
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
}

#[test]
fn empty_base_url_variable_means_the_default_not_a_config_error() {
    // `update` with nothing to change stops before any request: no network is needed to see
    // that the client was built.
    assert_usage_error(
        bare()
            .env("CHATCAPTAIN_API_KEY", KEY)
            .env("CHATCAPTAIN_BASE_URL", "")
            .args(["contacts", "update", "C1", "--chatbot", BOT]),
        "nothing to update",
    );
}

#[test]
fn missing_api_key_file_is_a_usage_error_naming_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-key");
    let fake = fake(1);
    fake.contacts(&["list", "--api-key-file", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(path.to_str().unwrap()));
}

#[test]
fn a_failed_table_listing_prints_no_empty_table_placeholder() {
    assert_key_refused(fake(3).contacts(&["list", "-o", "table"]));
}

#[test]
fn an_empty_table_listing_still_says_none() {
    assert_eq!(
        printed_text(fake(0).contacts(&["list", "-o", "table"])),
        "(none)\n"
    );
}

#[test]
fn delete_exits_0_when_the_server_reports_nothing_left_to_delete() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        use wiremock::matchers::{method, path};
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(method("DELETE"))
            .and(path(format!("/v1/chatbots/{BOT}/contacts/C1")))
            .respond_with(
                wiremock::ResponseTemplate::new(200)
                    .set_body_json(serde_json::json!({ "deleted": false })),
            )
            .mount(&server)
            .await;
        server
    });
    bare()
        .env("CHATCAPTAIN_API_KEY", KEY)
        .args([
            "--base-url",
            &server.uri(),
            "contacts",
            "delete",
            "C1",
            "--yes",
        ])
        .args(["--chatbot", BOT])
        .assert()
        .success()
        .stdout("{\"deleted\":false,\"id\":\"C1\"}\n");
}

#[test]
fn the_error_line_ends_with_the_servers_request_id() {
    // The fake names each answer in `x-request-id`, counting from fake-000001.
    let fake = crate::common::fake(1);
    fake.contacts(&["get", "missing"])
        .assert()
        .code(4)
        .stderr("error: 404 Not Found: Contact not found (request id fake-000001)\n");
}

#[test]
fn after_retries_the_request_id_is_the_last_attempts() {
    let fake = crate::common::fake_with(
        chatcaptain_fake::FakeServer::builder()
            .seed_contacts(crate::common::BOT, 1)
            .fault(chatcaptain_fake::Fault::status(503).on(chatcaptain_fake::Route::GetContact)),
    );
    fake.contacts(&["get", "c1"])
        .assert()
        .code(1)
        .stderr(predicates::str::ends_with(
            "503 Service Unavailable: Service Unavailable (gave up after 3 attempts) (request id \
             fake-000003)\n",
        ));
}
