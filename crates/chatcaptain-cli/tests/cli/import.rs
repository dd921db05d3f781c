//! `contacts import`: every record created or in the rejects with its line, never sent twice.

use chatcaptain_fake::{Fault, Route};
use serde_json::Value;

use crate::common::*;

fn rejects(path: &std::path::Path) -> Vec<Value> {
    ndjson(std::fs::read_to_string(path).unwrap().as_bytes())
}

#[test]
fn import_creates_each_good_record_and_rejects_the_bad_ones_with_their_line() {
    let fake = fake(0);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    std::fs::write(
        &input,
        [
            r#"{"language":"EN","name":"Ada"}"#,
            r#"{"language":"DE","name":"Grace","variables":{"plan":"pro"},"address":{"location":"Berlin"}}"#,
            r#"{"name":"no language"}"#,
            r#"{not json"#,
            "",
            r#"{"language":"FR","nickname":"unknown field"}"#,
            r#"{"language":"FR","name":"Marie"}"#,
        ]
        .join("\n"),
    )
    .unwrap();
    let rejects_file = dir.path().join("rejects.ndjson");
    let out = fake
        .contacts(&[
            "import",
            input.to_str().unwrap(),
            "--rejects",
            rejects_file.to_str().unwrap(),
        ])
        .assert()
        .code(1);
    let created = ndjson(&out.get_output().stdout);
    let mut lines: Vec<u64> = created
        .iter()
        .map(|c| c["line"].as_u64().unwrap())
        .collect();
    lines.sort();
    assert_eq!(lines, [1, 2, 7]);
    let rejected = rejects(&rejects_file);
    let mut lines: Vec<u64> = rejected
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    lines.sort();
    assert_eq!(lines, [3, 4, 6]);
    assert!(rejected.iter().all(|r| r["outcome"] == "rejected"));
    assert_eq!(fake.server.contact_count(BOT), 3);
    let grace = created.iter().find(|c| c["line"] == 2).unwrap();
    let stored = fake
        .server
        .contact(BOT, grace["id"].as_str().unwrap())
        .unwrap();
    assert_eq!(stored.variables["plan"], "pro");
    assert_eq!(stored.address.unwrap().location.as_deref(), Some("Berlin"));
}

#[test]
fn a_csv_export_imports_into_another_chatbot_and_a_short_row_is_rejected() {
    let fake = fake(40);
    let export = fake
        .contacts(&["list", "--all", "--output", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut csv = String::from_utf8(export).unwrap();
    csv.push_str("only,three,cells\n");
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("contacts.csv");
    std::fs::write(&input, csv).unwrap();
    let rejects_file = dir.path().join("rejects.ndjson");
    let out = fake
        .cli()
        .args([
            "contacts",
            "import",
            input.to_str().unwrap(),
            "--chatbot",
            "other",
        ])
        .args([
            "--rejects",
            rejects_file.to_str().unwrap(),
            "--parallel",
            "8",
        ])
        .assert()
        .code(1);
    assert_eq!(ndjson(&out.get_output().stdout).len(), 40);
    assert_eq!(fake.server.contact_count("other"), 40);
    let rejected = rejects(&rejects_file);
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["line"], 42);
    assert!(rejected[0]["error"].as_str().unwrap().contains("3 cells"));
}

#[test]
fn an_interrupted_import_run_again_with_its_journal_creates_nothing_twice() {
    let fake = fake(0);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    std::fs::write(
        &input,
        "{\"language\":\"EN\",\"name\":\"one\"}\n{\"language\":\"EN\",\"name\":\"two\"}\n{\"language\":\"EN\",\"name\":\"three\"}\n",
    )
    .unwrap();
    // The earlier run created line 1 and had sent line 2 when it was killed.
    let journal = dir.path().join("journal.ndjson");
    std::fs::write(
        &journal,
        "{\"line\":1,\"state\":\"sending\"}\n{\"line\":1,\"state\":\"created\",\"id\":\"X\"}\n{\"line\":2,\"state\":\"sending\"}\n{\"line\":3,\"sta",
    )
    .unwrap();
    let rejects_file = dir.path().join("rejects.ndjson");
    let out = fake
        .contacts(&["import", input.to_str().unwrap()])
        .args([
            "--journal",
            journal.to_str().unwrap(),
            "--rejects",
            rejects_file.to_str().unwrap(),
        ])
        .assert()
        .code(1);
    let created = ndjson(&out.get_output().stdout);
    assert_eq!(created.len(), 1);
    assert_eq!(created[0]["line"], 3);
    assert_eq!(fake.server.request_count(Route::CreateContact), 1);
    let rejected = rejects(&rejects_file);
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        (
            rejected[0]["line"].as_u64(),
            rejected[0]["outcome"].as_str()
        ),
        (Some(2), Some("unknown"))
    );

    // A third run with the same journal has nothing left to send.
    fake.contacts(&["import", input.to_str().unwrap()])
        .args([
            "--journal",
            journal.to_str().unwrap(),
            "--rejects",
            rejects_file.to_str().unwrap(),
        ])
        .assert()
        .code(1);
    assert_eq!(fake.server.request_count(Route::CreateContact), 1);
}

#[test]
fn a_record_whose_answer_was_lost_is_reported_unknown_and_not_sent_again() {
    let fake = fake_with(
        chatcaptain_fake::FakeServer::builder()
            .fault(Fault::drop_connection().on(Route::CreateContact).nth(1)),
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    std::fs::write(&input, "{\"language\":\"EN\",\"name\":\"lost\"}\n").unwrap();
    let rejects_file = dir.path().join("rejects.ndjson");
    fake.contacts(&[
        "import",
        input.to_str().unwrap(),
        "--rejects",
        rejects_file.to_str().unwrap(),
    ])
    .assert()
    .code(1);
    // The fake did create it before cutting the answer: one request, one contact, reported.
    assert_eq!(fake.server.request_count(Route::CreateContact), 1);
    assert_eq!(fake.server.contact_count(BOT), 1);
    let rejected = rejects(&rejects_file);
    assert_eq!(rejected[0]["outcome"], "unknown");
}
