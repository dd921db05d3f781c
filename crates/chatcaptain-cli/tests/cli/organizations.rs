//! `organizations list|search|create`: the contacts' listing, search and sync machinery for the
//! second resource, and a create whose flags come from the spec's `NewOrganization`.

use std::collections::HashSet;

use chatcaptain::api::fields;
use chatcaptain_fake::{FakeServer, Fault, Route};

use crate::common::*;

/// A fake holding `n` generated organizations (and no contacts) in [`BOT`].
fn organizations(n: u64) -> Fake {
    fake_with(FakeServer::builder().seed_organizations(BOT, n))
}

/// Matches every seeded organization: each has an e-mail at a subdomain of example.com.
const EVERY_ONE: &str = "example.com";

#[test]
fn list_prints_newest_first_in_every_format_up_to_the_limit() {
    let fake = organizations(8);
    let records = printed_records(fake.organizations(&["list", "--limit", "5", "-o", "ndjson"]));
    assert_eq!(records.len(), 5);
    let created = created_of(&records);
    assert!(created.windows(2).all(|w| w[0] > w[1]), "{created:?}");
    let listed = ids(&records);

    let text = printed_text(fake.organizations(&["list", "--limit", "5", "-o", "csv"]));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(fields::ORGANIZATION.join(",").as_str()));
    let csv_ids: Vec<&str> = lines.map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(csv_ids, listed);

    let out = fake
        .organizations(&["list", "--limit", "5", "-o", "json"])
        .assert()
        .success();
    let array: Vec<serde_json::Value> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(ids(&array), listed);

    let table = printed_text(fake.organizations(&["list", "--limit", "5", "-o", "table"]));
    assert!(table.contains("INDUSTRY"), "{table}");
    for id in &listed {
        assert!(table.contains(id.as_str()), "{id} missing from\n{table}");
    }
}

#[test]
fn list_stops_at_fifty_and_says_so_and_all_lists_every_one_once() {
    let fake = organizations(130);
    assert_stops_at_fifty(
        fake.organizations(&["list"]),
        "showing the first 50 organizations;",
    );
    for extra in [&[][..], &["--parallel", "3"]] {
        let ids = ids(&printed_records(
            fake.organizations(&[&["list", "--all"][..], extra].concat()),
        ));
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!((ids.len(), unique.len()), (130, 130), "{extra:?}");
    }
}

#[test]
fn fields_are_the_organizations_and_a_contact_field_is_a_usage_error() {
    let fake = organizations(3);
    let text = printed_text(fake.organizations(&["list", "--fields", "industry,id", "-o", "csv"]));
    assert_eq!(text.lines().next(), Some("industry,id"), "{text}");
    assert_eq!(text.lines().count(), 4, "{text}");
    assert_usage_error(
        fake.organizations(&["list", "--fields", "language"]),
        "language",
    );
}

#[test]
fn a_checkpoint_run_cut_by_a_failure_resumes_and_writes_every_one_once() {
    let fake = organizations(100);
    let (_dir, file) = temp_path("organizations.checkpoint");
    let file = file.to_str().unwrap();
    let sync = ["list", "--all", "--checkpoint", file, "--page-size", "20"];
    // The fourth page is refused (403 is not retried): the run stops after three pages or so.
    fake.server
        .add_fault(Fault::status(403).on(Route::ListOrganizations).nth(4));
    let out = fake.organizations(&sync).assert().code(3);
    let first = ids(&stdout_of(&out));
    assert!(!first.is_empty() && first.len() < 100, "{}", first.len());

    let rest = ids(&printed_records(fake.organizations(&sync)));
    let all: Vec<&String> = first.iter().chain(&rest).collect();
    let unique: HashSet<&&String> = all.iter().collect();
    assert_eq!((all.len(), unique.len()), (100, 100));

    // Through: nothing new, nothing again.
    let out = fake.organizations(&sync).assert().success();
    assert!(out.get_output().stdout.is_empty());
}

#[test]
fn search_prints_the_hits_and_how_many_there_are() {
    let fake = organizations(12);
    let text =
        printed_text(fake.organizations(&["search", EVERY_ONE, "--limit", "3", "-o", "table"]));
    assert!(text.ends_with("┘\n3 of 12 hits\n"), "{text}");

    let one = printed_records(fake.organizations(&["list", "--limit", "1"])).remove(0);
    let name = one["name"].as_str().unwrap();
    let hits = printed_records(fake.organizations(&["search", name, "-o", "ndjson"]));
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["name"].as_str().unwrap().contains(name))
    );
}

#[test]
fn create_from_flags_stores_the_organization_and_prints_it() {
    let fake = organizations(0);
    let out = fake
        .organizations(&[
            "create",
            "--name",
            "Example GmbH",
            "--size",
            "50",
            "--industry",
            "Software",
            "--phone-number",
            "+49301234567",
            "-o",
            "json",
        ])
        .assert()
        .success();
    let printed: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let id = printed["id"].as_str().expect("the created one has an id");
    assert_eq!(printed["size"], 50);
    let stored = fake.server.organization(BOT, id).expect("it is stored");
    assert_eq!(stored.name.as_deref(), Some("Example GmbH"));
    assert_eq!(stored.industry.as_deref(), Some("Software"));
    assert_eq!(stored.phone_number.as_deref(), Some("+49301234567"));
    assert_eq!(stored.size, Some(50));
}

#[test]
fn create_without_a_name_is_a_usage_error_and_creates_nothing() {
    let fake = organizations(0);
    assert_usage_error(
        fake.organizations(&["create", "--industry", "Software"]),
        "--name <NAME>",
    );
    // The file may give the name instead; without one there either, the schema says what is missing.
    let file = file_holding(r#"{"industry": "Software"}"#);
    assert_usage_error(
        fake.organizations(&["create", "--from-file", file.path().to_str().unwrap()]),
        "\"name\" is a required property",
    );
    assert_eq!(fake.server.organization_count(BOT), 0);
}

#[test]
fn create_from_a_file_lets_flags_override_it_and_refuses_what_the_spec_does_not_have() {
    let fake = organizations(0);
    // As `-o json` prints one: its id and created are dropped, not sent.
    let file = file_holding(
        r#"{"id": "old", "created": "2025-01-01T00:00:00Z", "name": "From File", "website": "https://example.com"}"#,
    );
    let path = file.path().to_str().unwrap();
    let created = printed_records(fake.organizations(&[
        "create",
        "--from-file",
        path,
        "--name",
        "From Flag",
    ]));
    let id = ids(&created).remove(0);
    assert_ne!(id, "old");
    let stored = fake.server.organization(BOT, &id).unwrap();
    assert_eq!(stored.name.as_deref(), Some("From Flag"));
    assert_eq!(stored.website.as_deref(), Some("https://example.com"));

    std::fs::write(file.path(), r#"{"name": "A", "employees": 3}"#).unwrap();
    assert_usage_error(
        fake.organizations(&["create", "--from-file", path]),
        "unknown field \"employees\"",
    );
    assert_usage_error(
        fake.organizations(&["create", "--name", "A", "--size=-1"]),
        "size",
    );
    fake.organizations(&["create", "--name", "A", "--size", "many"])
        .assert()
        .code(2);
    assert_eq!(fake.server.organization_count(BOT), 1);
}

#[test]
fn create_has_a_flag_per_property_of_the_spec_body_with_its_description() {
    let help = printed_text(bare().args(["organizations", "create", "--help"]));
    for property in fields::NEW_ORGANIZATION {
        let flag: String = property
            .chars()
            .flat_map(|c| match c.is_uppercase() {
                true => vec!['-', c.to_ascii_lowercase()],
                false => vec![c],
            })
            .collect();
        assert!(
            help.contains(&format!("--{flag} <")),
            "--{flag} missing:\n{help}"
        );
    }
    // The first sentence of the spec's description, not the rest.
    assert!(help.contains("Number of employees\n"), "{help}");
    assert!(!help.contains("The reference types it"), "{help}");
}

#[test]
fn completions_offer_the_organizations_commands_and_their_flags() {
    let text = printed_text(bare().args(["completions", "bash"]));
    assert_contains(
        &text,
        &["organizations", "--phone-number", "--website", "--industry"],
    );
}
