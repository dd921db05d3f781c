//! `contacts list --all --checkpoint FILE`: incremental sync from the shell, and odd records.

use chatcaptain_fake::{Fault, Route};

use crate::common::*;

#[test]
fn checkpoint_runs_yield_only_the_new_contacts_and_keep_the_file_after_a_failure() {
    let fake = fake(120);
    let (_dir, file) = temp_path("contacts.checkpoint");
    let file = file.to_str().unwrap();
    let sync = || {
        printed_records(fake.contacts(&[
            "list",
            "--all",
            "--checkpoint",
            file,
            "--output",
            "ndjson",
        ]))
    };

    assert_eq!(sync().len(), 120);
    let saved = std::fs::read_to_string(file).unwrap();
    assert!(sync().is_empty(), "nothing new since the checkpoint");

    fake.server.insert_contact(BOT, contact("NEW1", "Ada"));
    fake.server.insert_contact(BOT, contact("NEW2", "Grace"));
    let before_failure = std::fs::read_to_string(file).unwrap();
    assert_ne!(before_failure, "");
    fake.server
        .add_fault(Fault::status(403).on(Route::ListContacts).times(1));
    fake.contacts(&["list", "--all", "--checkpoint", file])
        .assert()
        .code(3);
    assert_eq!(std::fs::read_to_string(file).unwrap(), before_failure);

    let new = ids(&sync());
    assert_eq!(new.len(), 2);
    assert!(new.contains(&"NEW1".to_owned()) && new.contains(&"NEW2".to_owned()));
    assert_ne!(std::fs::read_to_string(file).unwrap(), saved);
}

#[test]
fn a_lookback_prints_a_contact_that_became_visible_late_once() {
    let fake = fake(30);
    let (_dir, file) = temp_path("contacts.checkpoint");
    let file = file.to_str().unwrap();
    let sync = |extra: &[&str]| {
        let mut args = vec!["list", "--all", "--checkpoint", file, "--output", "ndjson"];
        args.extend_from_slice(extra);
        ids(&printed_records(fake.contacts(&args)))
    };
    assert_eq!(sync(&["--lookback", "10"]).len(), 30);
    // Stamped 3 s before the newest contact of the first run, visible only now.
    let first_newest =
        serde_json::from_str::<serde_json::Value>(&std::fs::read_to_string(file).unwrap()).unwrap()
            ["newest"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap();
    let mut late = contact("LATE", "Ada");
    late.created = first_newest - chrono::TimeDelta::seconds(3);
    fake.server.insert_contact(BOT, late);
    // The lookback was kept in the file: no flag needed on later runs.
    assert_eq!(sync(&[]), vec!["LATE".to_owned()]);
    assert!(sync(&[]).is_empty());
}

#[test]
fn lookback_needs_a_checkpoint() {
    let fake = fake(1);
    fake.contacts(&["list", "--all", "--lookback", "5"])
        .assert()
        .code(2);
}

#[test]
fn checkpoint_needs_all() {
    let fake = fake(1);
    fake.contacts(&["list", "--checkpoint", "x.json"])
        .assert()
        .code(2);
}

#[test]
fn an_odd_record_is_shown_on_stderr_and_the_export_goes_on_with_exit_1() {
    let (_runtime, server) = odd_record_server();
    let out = bare()
        .env("CHATCAPTAIN_API_KEY", KEY)
        .args([
            "--base-url",
            &server.uri(),
            "contacts",
            "list",
            "--all",
            "--output",
            "ndjson",
        ])
        .args(["--chatbot", BOT])
        .assert()
        .code(1);
    let output = out.get_output();
    assert_eq!(ids(&ndjson(&output.stdout)), ["c3", "c1"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("contact c2 does not match the spec at `variables.age`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(r#""age":42"#),
        "the record as sent: {stderr}"
    );
}

#[test]
fn parallel_export_writes_every_contact_once_in_each_format() {
    let fake = fake(900);
    let export = |format: &str| {
        let args = [
            "list",
            "--all",
            "--parallel",
            "4",
            "--page-size",
            "50",
            "--output",
            format,
        ];
        let out = fake
            .contacts(&args)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let once = |ids: Vec<String>| {
        let unique: std::collections::HashSet<_> = ids.iter().collect();
        assert_eq!((ids.len(), unique.len()), (900, 900));
    };
    once(ids(&ndjson(export("ndjson").as_bytes())));
    let json: Vec<serde_json::Value> = serde_json::from_str(&export("json")).unwrap();
    once(ids(&json));
    let csv = export("csv");
    once(
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_owned())
            .collect(),
    );
}
