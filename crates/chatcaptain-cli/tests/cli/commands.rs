//! Each `contacts` subcommand does what it says, seen from the shell and from the server.

use chatcaptain_fake::FakeServer;
use predicates::prelude::*;

use crate::common::{
    BOT, assert_stops_at_fifty, assert_usage_error, contact, created_of, fake, fake_holding,
    fake_with, file_holding, ids, printed_records, printed_text,
};

#[test]
fn list_prints_newest_first_up_to_the_limit() {
    let fake = fake(30);
    let records = printed_records(fake.contacts(&["list", "--limit", "7"]));
    assert_eq!(records.len(), 7);
    let created = created_of(&records);
    let mut newest_first = created.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(created, newest_first);
}

#[test]
fn list_without_limit_stops_at_fifty_and_says_so() {
    let fake = fake(60);
    assert_stops_at_fifty(
        fake.contacts(&["list"]),
        "first 50 contacts; --limit N or --all",
    );
}

#[test]
fn search_prints_only_matching_contacts() {
    let fake = fake_with(
        FakeServer::builder()
            .seed_contacts(BOT, 20)
            .contact(BOT, contact("ZEBRA1", "Zebediah Quux")),
    );
    assert_eq!(
        ids(&printed_records(fake.contacts(&["search", "Zebediah"]))),
        ["ZEBRA1"]
    );
}

#[test]
fn get_prints_the_contact() {
    let fake = fake_holding(contact("C1", "Ada Lovelace"));
    let records = printed_records(fake.contacts(&["get", "C1"]));
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["name"], "Ada Lovelace");
}

#[test]
fn get_of_a_missing_contact_exits_4_with_the_status() {
    let fake = fake(1);
    fake.contacts(&["get", "nope"])
        .assert()
        .code(4)
        .stdout("")
        .stderr(predicate::str::starts_with("error: 404 Not Found: "))
        .stderr(predicate::str::ends_with("\n").and(predicate::str::contains('\n').count(1)));
}

#[test]
fn create_from_flags_stores_the_contact_and_prints_it() {
    let fake = fake(0);
    let created = &printed_records(fake.contacts(&[
        "create",
        "--language",
        "DE",
        "--name",
        "Max",
        "--email",
        "max@example.com",
    ]))[0];
    let id = created["id"].as_str().unwrap();
    let stored = fake.server.contact(BOT, id).expect("the contact is stored");
    assert_eq!(stored.name.as_deref(), Some("Max"));
    assert_eq!(stored.email.as_deref(), Some("max@example.com"));
    assert_eq!(stored.language.as_deref(), Some("DE"));
}

#[test]
fn create_from_a_json_file_lets_flags_override_it() {
    let fake = fake(0);
    let file =
        file_holding(r#"{"language": "EN", "name": "From File", "phoneNumber": "+491510000"}"#);
    let path = file.path().to_str().unwrap();
    let created =
        printed_records(fake.contacts(&["create", "--from-file", path, "--name", "From Flag"]));
    let id = ids(&created).remove(0);
    let stored = fake.server.contact(BOT, &id).unwrap();
    assert_eq!(stored.name.as_deref(), Some("From Flag"));
    assert_eq!(stored.phone_number.as_deref(), Some("+491510000"));
}

#[test]
fn create_with_an_unknown_field_in_the_file_is_a_usage_error_naming_it() {
    let fake = fake(0);
    let file = file_holding(r#"{"language": "EN", "phone": "1"}"#);
    assert_usage_error(
        fake.contacts(&["create", "--from-file", file.path().to_str().unwrap()]),
        "unknown field \"phone\"",
    );
    assert_eq!(fake.server.contact_count(BOT), 0);
}

#[test]
fn update_changes_the_given_fields_and_keeps_the_rest() {
    let fake = fake_holding(contact("C1", "Old Name"));
    fake.contacts(&["update", "C1", "--name", "New Name", "--var", "plan=gold"])
        .assert()
        .success()
        .stdout(predicate::str::contains("New Name"));
    let stored = fake.server.contact(BOT, "C1").unwrap();
    assert_eq!(stored.name.as_deref(), Some("New Name"));
    assert_eq!(stored.email.as_deref(), Some("c1@example.com"));
    assert_eq!(
        stored.variables.get("plan").map(String::as_str),
        Some("gold")
    );
}

#[test]
fn update_var_keeps_the_other_stored_variables() {
    let mut stored = contact("C1", "Ada");
    stored.variables = [("plan", "premium"), ("tier", "gold")]
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .into();
    let fake = fake_holding(stored);
    fake.contacts(&["update", "C1", "--var", "source=import"])
        .assert()
        .success();
    let variables = fake.server.contact(BOT, "C1").unwrap().variables;
    let expected: std::collections::HashMap<String, String> =
        [("plan", "premium"), ("tier", "gold"), ("source", "import")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into();
    assert_eq!(variables, expected);
}

#[test]
fn update_variables_from_a_file_replace_the_stored_ones_and_var_adds_to_them() {
    let mut stored = contact("C1", "Ada");
    stored.variables = [("plan".to_owned(), "premium".to_owned())].into();
    let fake = fake_holding(stored);
    let file = file_holding(r#"{"variables": {"tier": "gold"}}"#);
    let path = file.path().to_str().unwrap();
    fake.contacts(&[
        "update",
        "C1",
        "--from-file",
        path,
        "--var",
        "source=import",
    ])
    .assert()
    .success();
    let variables = fake.server.contact(BOT, "C1").unwrap().variables;
    let expected: std::collections::HashMap<String, String> =
        [("tier", "gold"), ("source", "import")]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .into();
    assert_eq!(variables, expected);
}

#[test]
fn update_without_fields_is_a_usage_error() {
    let fake = fake_holding(contact("C1", "Ada"));
    assert_usage_error(fake.contacts(&["update", "C1"]), "nothing to update");
}

#[test]
fn delete_with_yes_removes_the_contact() {
    let fake = fake_holding(contact("C1", "Ada"));
    assert_eq!(
        printed_text(fake.contacts(&["delete", "C1", "--yes"])),
        "{\"deleted\":true,\"id\":\"C1\"}\n"
    );
    assert!(fake.server.contact(BOT, "C1").is_none());
}

#[test]
fn delete_without_yes_off_a_terminal_refuses_and_deletes_nothing() {
    let fake = fake_holding(contact("C1", "Ada"));
    assert_usage_error(
        fake.contacts(&["delete", "C1"]).write_stdin("y\n"),
        "pass --yes",
    );
    assert!(fake.server.contact(BOT, "C1").is_some());
}

#[test]
fn organizations_lists_the_contacts_memberships() {
    let organization: chatcaptain::Organization = chatcaptain::Organization::builder()
        .id("ORG1")
        .industry(Some("Shipping".to_owned()))
        .name(Some("Acme".to_owned()))
        .try_into()
        .unwrap();
    let fake = fake_with(
        FakeServer::builder()
            .contact(BOT, contact("C1", "Ada"))
            .organization(BOT, "C1", organization),
    );
    let records = printed_records(fake.contacts(&["organizations", "C1"]));
    assert_eq!(ids(&records), ["ORG1"]);
    assert_eq!(records[0]["name"], "Acme");
}

#[test]
fn server_error_exits_1_with_one_line() {
    let fake = fake_with(
        FakeServer::builder()
            .contact(BOT, contact("C1", "Ada"))
            .fault(chatcaptain_fake::Fault::status(500).on(chatcaptain_fake::Route::Any)),
    );
    fake.contacts(&["get", "C1"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(
            predicate::str::starts_with("error: 500 Internal Server Error")
                .and(predicate::str::contains('\n').count(1)),
        );
}

#[test]
fn error_midway_through_a_json_export_still_closes_the_array() {
    let fake = fake_with(
        FakeServer::builder().seed_contacts(BOT, 50).fault(
            // From the second page on, every attempt fails: beyond the client's retries.
            chatcaptain_fake::Fault::status(500)
                .on(chatcaptain_fake::Route::ListContacts)
                .from_nth(2),
        ),
    );
    let out = fake
        .contacts(&["list", "--all", "--page-size", "10", "-o", "json"])
        .assert()
        .code(1);
    let array: Vec<serde_json::Value> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(array.len(), 10);
}

#[test]
fn completions_are_printed_for_each_shell_without_a_key() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef chatcaptain"),
        ("fish", "complete -c chatcaptain"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = crate::common::bare()
            .args(["completions", shell])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains(marker), "{shell}: {text}");
        assert!(
            text.contains("import") && text.contains("doctor"),
            "{shell}"
        );
    }
}

#[test]
fn limit_1_asks_the_api_for_one_contact() {
    let fake = crate::common::fake(30);
    fake.contacts(&["list", "--limit", "1", "--output", "ndjson"])
        .assert()
        .success();
    fake.contacts(&["search", "example", "--limit", "2", "--output", "ndjson"])
        .assert()
        .success();
    let requests = fake.server.requests();
    assert_eq!(requests[0].query_param("limit"), Some("1"));
    assert_eq!(requests.last().unwrap().query_param("pageSize"), Some("2"));
}
