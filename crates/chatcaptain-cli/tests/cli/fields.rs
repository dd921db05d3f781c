//! `--fields`: only the fields asked for, in the order asked for, in every format.

use assert_cmd::assert::Assert;
use predicates::prelude::*;

use crate::common::{assert_lacks, contact, fake, fake_holding, printed_records, printed_text};

/// The keys of a one-line JSON object in the order written (serde_json's `Value` sorts them).
fn keys_in_order(line: &str) -> Vec<String> {
    let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
    let mut keys: Vec<(usize, String)> = object
        .keys()
        .map(|key| (line.find(&format!("\"{key}\":")).unwrap(), key.clone()))
        .collect();
    keys.sort();
    keys.into_iter().map(|(_, key)| key).collect()
}

#[test]
fn ndjson_has_exactly_the_fields_asked_for_in_that_order() {
    let fake = fake(3);
    let full = printed_records(fake.contacts(&["list", "--limit", "3"]));
    let text = printed_text(fake.contacts(&[
        "list",
        "--limit",
        "3",
        "--fields",
        "email,id,name",
        "-o",
        "ndjson",
    ]));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    for (line, whole) in lines.iter().zip(&full) {
        assert_eq!(keys_in_order(line), ["email", "id", "name"]);
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in ["email", "id", "name"] {
            assert_eq!(record[key], whole[key], "{key}");
        }
    }
}

#[test]
fn csv_has_exactly_the_columns_asked_for_in_that_order() {
    let fake = fake(2);
    let full = printed_records(fake.contacts(&["list", "--limit", "2"]));
    let out = fake
        .contacts(&["list", "--limit", "2", "--fields", "name,id", "-o", "csv"])
        .assert()
        .success();
    let expected: String = std::iter::once("name,id".to_owned())
        .chain(full.iter().map(|r| {
            format!(
                "{},{}",
                r["name"].as_str().unwrap(),
                r["id"].as_str().unwrap()
            )
        }))
        .map(|line| line + "\n")
        .collect();
    assert_eq!(String::from_utf8_lossy(&out.get_output().stdout), expected);
}

#[test]
fn a_table_has_exactly_the_columns_asked_for_in_that_order() {
    let fake = fake(2);
    let table = printed_text(fake.contacts(&[
        "list",
        "--limit",
        "2",
        "--fields",
        "email,name",
        "-o",
        "table",
    ]));
    let header = table.lines().nth(1).unwrap();
    let columns: Vec<&str> = header
        .split(['│', '┆'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(columns, ["email", "name"], "{table}");
    assert_lacks(&table, &["CREATED", "+49"]);
}

#[test]
fn get_and_search_take_fields_too() {
    let fake = fake_holding(contact("C1", "Ada Lovelace"));
    let out = fake
        .contacts(&["get", "C1", "--fields", "name,language", "-o", "json"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout),
        "{\n  \"name\": \"Ada Lovelace\",\n  \"language\": \"EN\"\n}\n"
    );
    fake.contacts(&["get", "C1", "--fields", "name,id", "-o", "table"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Ada Lovelace").and(predicate::str::contains("email").not()),
        );
    assert_eq!(
        printed_text(fake.contacts(&["search", "Lovelace", "--fields", "id", "-o", "ndjson"])),
        "{\"id\":\"C1\"}\n"
    );
}

#[test]
fn a_field_that_is_not_set_is_null_in_json_and_empty_in_csv() {
    let fake = fake_holding(contact("C1", "Ada Lovelace"));
    assert_eq!(
        printed_text(fake.contacts(&["get", "C1", "--fields", "id,street", "-o", "ndjson"])),
        "{\"id\":\"C1\",\"street\":null}\n"
    );
    assert_eq!(
        printed_text(fake.contacts(&["get", "C1", "--fields", "id,street", "-o", "csv"])),
        "id,street\nC1,\n"
    );
}

/// Runs `contacts list --fields FIELDS`, which must be refused as a usage error (exit 2, nothing
/// on stdout) before any request is sent; answers the run, for its message.
fn refused_fields(fields: &str) -> Assert {
    let fake = fake(1);
    let out = fake
        .contacts(&["list", "--fields", fields])
        .assert()
        .code(2)
        .stdout("");
    assert!(fake.server.requests().is_empty());
    out
}

#[test]
fn an_unknown_field_is_a_usage_error_listing_the_valid_names() {
    refused_fields("id,nmae").stderr(
        predicate::str::contains("invalid value 'nmae' for '--fields <FIELD,...>'")
            .and(predicate::str::contains(
                "[possible values: id, created, updated, name, email, phoneNumber,",
            ))
            .and(predicate::str::contains("street, houseNumber")),
    );
}

#[test]
fn a_field_named_twice_is_a_usage_error() {
    refused_fields("id,name,id").stderr("error: --fields names id twice\n");
}
