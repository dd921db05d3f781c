//! Each output format, and the default when stdout is not a terminal.

use predicates::prelude::*;

use crate::common::{fake, ids, printed_records, printed_text};

#[test]
fn default_output_off_a_terminal_is_ndjson() {
    let fake = fake(3);
    assert_eq!(
        printed_records(fake.contacts(&["list", "--limit", "3"])).len(),
        3
    );
}

#[test]
fn table_output_has_a_header_and_a_row_per_contact() {
    let fake = fake(3);
    let listed = ids(&printed_records(fake.contacts(&["list", "--limit", "3"])));
    let table = printed_text(fake.contacts(&["list", "--limit", "3", "--output", "table"]));
    assert!(table.contains("ID") && table.contains("EMAIL"), "{table}");
    for id in listed {
        assert!(table.contains(&id), "{id} missing from\n{table}");
    }
}

#[test]
fn table_output_of_one_contact_lists_its_fields() {
    let fake = fake(1);
    let id = ids(&printed_records(fake.contacts(&["list"]))).remove(0);
    fake.contacts(&["get", &id, "-o", "table"])
        .assert()
        .success()
        .stdout(predicate::str::contains("email").and(predicate::str::contains(id.as_str())));
}

#[test]
fn json_output_is_one_array_of_contacts() {
    let fake = fake(4);
    let out = fake
        .contacts(&["list", "--limit", "4", "--output", "json"])
        .assert()
        .success();
    let array: Vec<serde_json::Value> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(array.len(), 4);
}

#[test]
fn json_output_of_an_empty_listing_is_an_empty_array() {
    let fake = fake(0);
    assert_eq!(printed_text(fake.contacts(&["list", "-o", "json"])), "[]\n");
}

#[test]
fn csv_output_has_the_documented_header_and_a_row_per_contact() {
    let fake = fake(5);
    let text = printed_text(fake.contacts(&["list", "--limit", "5", "--output", "csv"]));
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,created,updated,name,email,phoneNumber,language,whatsappId,webId,instagramId,\
         facebookId,telegramId,providerId,avatar,organizationIds,street,houseNumber,zipcode,\
         location,country,variables"
    );
    assert_eq!(lines.count(), 5);
}

#[test]
fn ndjson_output_of_one_contact_is_one_line() {
    let fake = fake(1);
    let id = ids(&printed_records(fake.contacts(&["list"]))).remove(0);
    assert_eq!(
        ids(&printed_records(
            fake.contacts(&["get", &id, "--output", "ndjson"])
        )),
        [id]
    );
}
