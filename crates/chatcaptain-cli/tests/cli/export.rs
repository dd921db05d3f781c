//! Big exports stream every contact exactly once.

use std::collections::HashSet;

use crate::common::{fake, ids, printed_records};

#[test]
fn ndjson_export_of_10000_contacts_has_every_id_exactly_once() {
    let fake = fake(10_000);
    let ids = ids(&printed_records(fake.contacts(&[
        "list",
        "--all",
        "--page-size",
        "1000",
        "--output",
        "ndjson",
    ])));
    assert_eq!(ids.len(), 10_000);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 10_000);
}

#[test]
fn csv_export_with_all_has_a_row_per_contact() {
    let fake = fake(1_500);
    let out = fake
        .contacts(&["list", "--all", "--page-size", "500", "-o", "csv"])
        .assert()
        .success();
    let mut reader = csv::Reader::from_reader(&out.get_output().stdout[..]);
    let ids: HashSet<String> = reader.records().map(|r| r.unwrap()[0].to_owned()).collect();
    assert_eq!(ids.len(), 1_500);
}
