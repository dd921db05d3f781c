//! `chatcaptain doctor`: the spec's guesses checked against a server, read-only.

use chatcaptain_fake::{FakeServer, FakeServerBuilder, Fault, Route};
use predicates::prelude::*;
use serde_json::{Value, json};

use crate::common::*;

/// A fake server holding `n` generated contacts and as many organizations in [`BOT`].
fn seeded(n: u64) -> FakeServerBuilder {
    FakeServer::builder()
        .seed_contacts(BOT, n)
        .seed_organizations(BOT, n)
}

/// A fake holding `n` generated contacts and as many organizations in [`BOT`].
fn fake_with_organizations(n: u64) -> Fake {
    fake_with(seeded(n))
}

/// `chatcaptain doctor --chatbot CHATBOT` against `fake`.
fn doctor(fake: &Fake, chatbot: &str) -> assert_cmd::Command {
    let mut cmd = fake.cli();
    cmd.args(["doctor", "--chatbot", chatbot]);
    cmd
}

/// The report a run printed.
fn report(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

#[test]
fn doctor_against_the_fake_finds_no_difference_and_writes_nothing() {
    let fake = fake_with_organizations(300);
    let text = report(&doctor(&fake, BOT).assert().success());
    for operation in [
        "listContacts",
        "searchContacts",
        "getContact",
        "listContactOrganizations",
        "listOrganizations",
        "searchOrganizations",
    ] {
        assert!(text.contains(&format!("{operation} (")), "{text}");
    }
    assert_eq!(
        text.matches("ok: the answer matches the spec").count(),
        6,
        "{text}"
    );
    assert_eq!(text.matches("order: newest first").count(), 2, "{text}");
    assert!(text.contains("summary: the API matches the spec"), "{text}");
    assert!(
        text.contains("fact: the API names each request in `x-request-id`"),
        "{text}"
    );
    let requests = fake.server.requests();
    assert!(!requests.is_empty());
    assert!(requests.iter().all(|r| r.method == "GET"), "{requests:?}");
    assert!(fake.server.request_count(Route::Any) >= 4);
}

/// Answers GET `/v1/chatbots/bot1/{under_bot}` on `server` with `response`.
async fn mount_get(
    server: &wiremock::MockServer,
    under_bot: &str,
    response: impl wiremock::Respond + 'static,
) {
    wiremock::Mock::given(wiremock::matchers::method("GET"))
        .and(wiremock::matchers::path(format!(
            "/v1/chatbots/{BOT}/{under_bot}"
        )))
        .respond_with(response)
        .mount(server)
        .await;
}

/// `body` as a 200 answer.
fn ok(body: Value) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(200).set_body_json(body)
}

/// The `pageToken` a request names, if any.
fn page_token(request: &wiremock::Request) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(k, _)| k == "pageToken")
        .map(|(_, v)| v.into_owned())
}

/// What a listing's `pageToken` means.
#[derive(Clone, Copy)]
enum Token {
    /// Created strictly before it, as the spec says.
    Strict,
    /// Created before it or at it.
    Inclusive,
    /// Created strictly before it read without its fraction of a second.
    WholeSeconds,
}

/// A contacts listing over `all`, in their order: those created before the request's
/// `pageToken` as `token` reads it, at most `cap` of them.
fn listing(all: Vec<Value>, token: Token, cap: usize) -> impl wiremock::Respond {
    move |request: &wiremock::Request| {
        let before = page_token(request).map(|t| match token {
            Token::WholeSeconds => t
                .split('.')
                .next()
                .unwrap()
                .trim_end_matches('Z')
                .to_owned(),
            _ => t,
        });
        let page: Vec<Value> = all
            .iter()
            .filter(|c| {
                let created = c["created"].as_str().unwrap();
                before.as_deref().is_none_or(|t| match token {
                    Token::Inclusive => created <= t,
                    _ => created < t,
                })
            })
            .take(cap)
            .cloned()
            .collect();
        ok(json!({ "contacts": page }))
    }
}

/// A server unlike the spec: an odd variable, oldest first, a cap of 2 on `limit`, an inclusive
/// `pageToken`.
async fn different_server() -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    let contact = |id: &str, secs: u32| json!({ "id": id, "created": format!("2025-01-01T00:00:{secs:02}Z"), "language": "EN" });
    let mut odd = contact("c1", 1);
    odd["variables"] = json!({ "age": 42 });
    let all: Vec<Value> = vec![odd, contact("c2", 2), contact("c3", 3)];
    mount_get(
        &server,
        "contacts",
        listing(all.clone(), Token::Inclusive, 2),
    )
    .await;
    mount_get(&server, "contacts/search", ok(json!({ "results": null }))).await;
    mount_get(&server, "contacts/c1", ok(json!({ "contact": all[0] }))).await;
    // A refusal other than the key's (401, 403: exit 3) is a difference.
    let refusal = json!({ "statusCode": 400, "message": "Bad Request", "error": "Bad Request" });
    let refused = wiremock::ResponseTemplate::new(400).set_body_json(refusal);
    mount_get(&server, "contacts/c1/organizations", refused).await;
    server
}

/// The report of `doctor` against the server `start` answers, which must exit 1 (the API differs
/// from the spec).
fn doctor_finds_differences(start: impl Future<Output = wiremock::MockServer>) -> String {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(start);
    let assert = bare()
        .env("CHATCAPTAIN_API_KEY", KEY)
        .args(["--base-url", &server.uri(), "doctor", "--chatbot", BOT])
        .assert()
        .code(1);
    report(&assert)
}

#[test]
fn doctor_against_a_different_server_names_every_difference_and_exits_1() {
    let text = doctor_finds_differences(different_server());
    // Each with its operation and JSON pointer or the guess it contradicts.
    assert_contains(
        &text,
        &[
            "DIFFERS listContacts: /contacts/0/variables/age",
            "DIFFERS getContact: /contact/variables/age",
            "not newest first",
            "caps `limit` at 2",
            "the token includes its instant",
            "fact: the API's answers carry no request id (none of x-request-id, \
             x-amzn-requestid, x-correlation-id, traceparent)",
            "DIFFERS listContactOrganizations: answered 400 Bad Request",
        ],
    );
    assert!(!text.contains(KEY));
}

#[test]
fn doctor_finds_a_server_that_reads_page_tokens_in_whole_seconds() {
    let text = doctor_finds_differences(async {
        let server = wiremock::MockServer::start().await;
        // Millisecond timestamps, newest first; the token is read without its fraction.
        let all: Vec<Value> = (0..3)
            .rev()
            .map(|i| json!({ "id": format!("c{i}"), "created": format!("2025-01-01T00:00:0{i}.250Z") }))
            .collect();
        mount_get(
            &server,
            "contacts",
            listing(all, Token::WholeSeconds, usize::MAX),
        )
        .await;
        server
    });
    assert!(
        text.contains("did not return the contact created at 2025-01-01T00:00:02.250Z"),
        "{text}"
    );
}

/// `doctor` against `fake` (searching for a term every generated contact matches), which must
/// exit 5: nothing differs, but not everything was checked.
fn doctor_cannot_check_everything(fake: &Fake) -> String {
    let assert = assert_exits(
        doctor(fake, BOT).args(["--query", "example.com"]),
        5,
        "could not be made",
    );
    let text = report(&assert);
    assert_lacks(&text, &["the API matches the spec", "DIFFERS"]);
    text
}

#[test]
fn doctor_on_a_chatbot_without_contacts_says_what_it_could_not_check_and_exits_5() {
    let text = doctor_cannot_check_everything(&fake(0));
    assert_contains(
        &text,
        &[
            "NOT CHECKED order",
            "NOT CHECKED timestamp precision",
            "NOT CHECKED pageToken strictly before",
            "NOT CHECKED the end of the list",
            "NOT CHECKED searchContacts paging",
            "NOT CHECKED getContact",
            "NOT CHECKED listContactOrganizations",
        ],
    );
    assert!(!text.contains("fact: order"), "{text}");
}

#[test]
fn doctor_with_one_contact_does_not_call_its_order_newest_first() {
    let text = doctor_cannot_check_everything(&fake(1));
    assert!(text.contains("NOT CHECKED order"), "{text}");
}

#[test]
fn doctor_whose_probe_the_server_fails_says_it_could_not_check_that_guess() {
    // The list's probes: 2 is the token at the newest instant, 3 the one-contact probe past a
    // short page (the parallel listing's span probe is the same request).
    for (nth, guess) in [
        (
            2,
            "NOT CHECKED pageToken strictly before: its probe was answered 500",
        ),
        (
            3,
            "NOT CHECKED the end of the list (limit cap): its probe was answered 500",
        ),
    ] {
        let fake = fake_with(seeded(30).fault(Fault::status(500).on(Route::ListContacts).nth(nth)));
        let text = doctor_cannot_check_everything(&fake);
        assert!(text.contains(guess), "{guess}: {text}");
        assert_eq!(text.matches("NOT CHECKED").count(), 1, "{text}");
        assert!(text.contains("fact: page 2 (pageSize=10) continues page 1"));
    }
}

/// A server whose search answers the same first hits whatever `page` says; the rest as the spec.
async fn search_ignoring_page() -> wiremock::MockServer {
    let server = wiremock::MockServer::start().await;
    let all: Vec<Value> = (0..30)
        .rev()
        .map(|i| json!({ "id": format!("c{i}"), "created": format!("2025-01-01T00:00:{i:02}Z"), "language": "EN", "name": "Ada" }))
        .collect();
    mount_get(
        &server,
        "contacts",
        listing(all.clone(), Token::Strict, usize::MAX),
    )
    .await;
    let hits: Vec<Value> = all
        .iter()
        .take(10)
        .map(|c| json!({ "document": c }))
        .collect();
    mount_get(
        &server,
        "contacts/search",
        ok(json!({ "results": { "found": 30, "facetCounts": [], "hits": hits } })),
    )
    .await;
    mount_get(&server, "contacts/c29", ok(json!({ "contact": all[0] }))).await;
    mount_get(
        &server,
        "contacts/c29/organizations",
        ok(json!({ "organizations": [] })),
    )
    .await;
    // No organizations: their checks are not made, and nothing of them differs.
    mount_get(&server, "organizations", ok(json!({ "organizations": [] }))).await;
    mount_get(
        &server,
        "organizations/search",
        ok(json!({ "results": { "found": 0, "facetCounts": [], "hits": [] } })),
    )
    .await;
    server
}

#[test]
fn doctor_finds_a_search_that_ignores_page() {
    let text = doctor_finds_differences(search_ignoring_page());
    assert_contains(
        &text,
        &[
            "DIFFERS searchContacts: page=2 with pageSize=10 returned hits of page 1 again",
            "summary: 1 difference(s)",
        ],
    );
}

#[test]
fn doctor_without_a_query_probes_search_paging_with_a_term_the_records_share() {
    // 30 contacts: the first one's name has one hit, their e-mail domain 30. 30 organizations:
    // each has a domain of its own under example.com.
    let fake = fake_with_organizations(30);
    let out = doctor(&fake, BOT).assert().success();
    let text = report(&out);
    assert_eq!(
        text.matches("probed with query=\"example.com\"").count(),
        2,
        "{text}"
    );
    assert_eq!(
        text.matches("fact: page 2 (pageSize=10) continues page 1")
            .count(),
        2,
        "{text}"
    );
    assert!(text.contains("summary: the API matches the spec"), "{text}");
}

#[test]
fn doctor_counts_a_server_error_as_not_checked_not_as_a_match() {
    let fake = fake_with(seeded(30).fault(Fault::status(500).on(Route::GetContact)));
    let text = doctor_cannot_check_everything(&fake);
    assert!(
        text.contains("NOT CHECKED getContact: answered 500 Internal Server Error"),
        "{text}"
    );
}

#[test]
fn doctor_on_a_chatbot_without_organizations_checks_their_list_but_not_its_guesses_and_exits_5() {
    let text = doctor_cannot_check_everything(&fake(30));
    let organizations = text
        .split("listOrganizations (")
        .nth(1)
        .expect("the organizations are probed");
    for line in [
        "ok: the answer matches the spec",
        "fact: a limit of 1000 returned 0 organizations",
        "NOT CHECKED order: the list gave no organization with a `created` to look at",
        "NOT CHECKED searchOrganizations paging",
    ] {
        assert!(organizations.contains(line), "{line}: {text}");
    }
    // The contacts' guesses were all checked.
    let contacts = text.split("listOrganizations (").next().unwrap();
    assert!(!contacts.contains("NOT CHECKED"), "{text}");
}

#[test]
fn doctor_names_an_organizations_probe_the_server_refuses_as_a_difference() {
    let fake = fake_with(
        seeded(30)
            // Not 403: a refused key is exit 3, not a difference.
            .fault(Fault::status(400).on(Route::SearchOrganizations)),
    );
    let out = doctor(&fake, BOT).assert().code(1);
    let text = report(&out);
    assert!(
        text.contains("DIFFERS searchOrganizations: answered 400 Bad Request"),
        "{text}"
    );
    assert!(text.contains("summary: 1 difference(s)"), "{text}");
}

#[test]
fn doctor_on_a_chatbot_the_key_does_not_belong_to_exits_3_and_names_it() {
    let fake = fake_with_organizations(3);
    let out = doctor(&fake, "b0t1").assert().code(3).stderr(
        "error: doctor could not check the API: 403 Forbidden: Insufficient permissions. \
             (chatbot \"b0t1\": the API key may belong to another chatbot, or lack the \
             permission to read it) (request id fake-000001)\n",
    );
    let text = report(&out);
    assert_lacks(&text, &["differ", "summary"]);
    assert_eq!(fake.server.request_count(Route::Any), 1);
}

#[test]
fn doctor_with_a_refused_key_exits_3() {
    let fake = fake_with_organizations(3);
    doctor(&fake, BOT)
        .env("CHATCAPTAIN_API_KEY", "not-the-key")
        .assert()
        .code(3)
        .stderr(predicate::str::starts_with(
            "error: doctor could not check the API: 401 Unauthorized: Invalid or missing API key \
             (the API key was not accepted)",
        ));
}

#[test]
fn doctor_whose_key_may_not_read_organizations_shows_the_contacts_checks_then_exits_3() {
    let fake = fake_with(seeded(30).revoke(chatcaptain_fake::Permission::OrganizationsList));
    let out = assert_exits(
        doctor(&fake, BOT),
        3,
        "403 Forbidden: Insufficient permissions.",
    );
    let text = report(&out);
    assert_eq!(
        text.matches("ok: the answer matches the spec").count(),
        4,
        "{text}"
    );
}
