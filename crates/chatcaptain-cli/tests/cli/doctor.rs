//! `chatcaptain doctor`: the spec's guesses checked against a server, read-only.

use chatcaptain_fake::Route;
use serde_json::{Value, json};

use crate::common::*;

#[test]
fn doctor_against_the_fake_finds_no_difference_and_writes_nothing() {
    let fake = fake(300);
    let output = fake
        .cli()
        .args(["doctor", "--chatbot", BOT])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).unwrap();
    for operation in [
        "listContacts",
        "searchContacts",
        "getContact",
        "listContactOrganizations",
    ] {
        assert!(text.contains(&format!("{operation} (")), "{text}");
    }
    assert_eq!(
        text.matches("ok: the answer matches the spec").count(),
        4,
        "{text}"
    );
    assert!(text.contains("order: newest first"), "{text}");
    assert!(text.contains("summary: the API matches the spec"), "{text}");
    let requests = fake.server.requests();
    assert!(!requests.is_empty());
    assert!(requests.iter().all(|r| r.method == "GET"), "{requests:?}");
    assert!(fake.server.request_count(Route::Any) >= 4);
}

/// A server unlike the spec: an odd variable, oldest first, a cap of 2 on `limit`, an inclusive
/// `pageToken`.
fn different_server(runtime: &tokio::runtime::Runtime) -> wiremock::MockServer {
    runtime.block_on(async {
        use wiremock::matchers::{method, path};
        let server = wiremock::MockServer::start().await;
        let contact = |id: &str, secs: u32| {
            json!({ "id": id, "created": format!("2025-01-01T00:00:{secs:02}Z"), "language": "EN" })
        };
        let mut odd = contact("c1", 1);
        odd["variables"] = json!({ "age": 42 });
        let all: Vec<Value> = vec![odd, contact("c2", 2), contact("c3", 3)];
        let list = all.clone();
        wiremock::Mock::given(method("GET"))
            .and(path(format!("/v1/chatbots/{BOT}/contacts")))
            .respond_with(move |request: &wiremock::Request| {
                let token = request
                    .url
                    .query_pairs()
                    .find(|(k, _)| k == "pageToken")
                    .map(|(_, v)| v.into_owned());
                let page: Vec<Value> = list
                    .iter()
                    .filter(|c| token.as_deref().is_none_or(|t| c["created"].as_str().unwrap() <= t))
                    .take(2)
                    .cloned()
                    .collect();
                wiremock::ResponseTemplate::new(200).set_body_json(json!({ "contacts": page }))
            })
            .mount(&server)
            .await;
        wiremock::Mock::given(method("GET"))
            .and(path(format!("/v1/chatbots/{BOT}/contacts/search")))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({ "results": null })))
            .mount(&server)
            .await;
        wiremock::Mock::given(method("GET"))
            .and(path(format!("/v1/chatbots/{BOT}/contacts/c1")))
            .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(json!({ "contact": all[0] })))
            .mount(&server)
            .await;
        wiremock::Mock::given(method("GET"))
            .and(path(format!("/v1/chatbots/{BOT}/contacts/c1/organizations")))
            .respond_with(wiremock::ResponseTemplate::new(403).set_body_json(json!({ "error": "Insufficient permissions." })))
            .mount(&server)
            .await;
        server
    })
}

/// The report of `doctor` against `server`, which must exit 1 (the API differs from the spec).
fn doctor_finds_differences(server: &wiremock::MockServer) -> String {
    let assert = bare()
        .env("CHATCAPTAIN_API_KEY", KEY)
        .args(["--base-url", &server.uri(), "doctor", "--chatbot", BOT])
        .assert()
        .code(1);
    String::from_utf8(assert.get_output().stdout.clone()).unwrap()
}

#[test]
fn doctor_against_a_different_server_names_every_difference_and_exits_1() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = different_server(&runtime);
    let text = doctor_finds_differences(&server);
    // Each with its operation and JSON pointer or the guess it contradicts.
    assert!(
        text.contains("DIFFERS listContacts: /contacts/0/variables/age"),
        "{text}"
    );
    assert!(
        text.contains("DIFFERS getContact: /contact/variables/age"),
        "{text}"
    );
    assert!(text.contains("not newest first"), "{text}");
    assert!(text.contains("caps `limit` at 2"), "{text}");
    assert!(text.contains("the token includes its instant"), "{text}");
    assert!(
        text.contains("DIFFERS listContactOrganizations: answered 403 Forbidden"),
        "{text}"
    );
    assert!(!text.contains(KEY));
}

#[test]
fn doctor_finds_a_server_that_reads_page_tokens_in_whole_seconds() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(async {
        use wiremock::matchers::{method, path};
        let server = wiremock::MockServer::start().await;
        // Millisecond timestamps, newest first; the token is read without its fraction.
        let all: Vec<Value> = (0..3)
            .rev()
            .map(|i| json!({ "id": format!("c{i}"), "created": format!("2025-01-01T00:00:0{i}.250Z") }))
            .collect();
        wiremock::Mock::given(method("GET"))
            .and(path(format!("/v1/chatbots/{BOT}/contacts")))
            .respond_with(move |request: &wiremock::Request| {
                let token = request
                    .url
                    .query_pairs()
                    .find(|(k, _)| k == "pageToken")
                    .map(|(_, v)| v.split('.').next().unwrap().trim_end_matches('Z').to_owned());
                let page: Vec<Value> = all
                    .iter()
                    .filter(|c| {
                        let created = c["created"].as_str().unwrap();
                        token.as_deref().is_none_or(|t| created < t)
                    })
                    .cloned()
                    .collect();
                wiremock::ResponseTemplate::new(200).set_body_json(json!({ "contacts": page }))
            })
            .mount(&server)
            .await;
        server
    });
    let text = doctor_finds_differences(&server);
    assert!(
        text.contains("did not return the contact created at 2025-01-01T00:00:02.250Z"),
        "{text}"
    );
}
