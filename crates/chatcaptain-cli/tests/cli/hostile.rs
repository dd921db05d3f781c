//! Contact data comes from chat end users: on a terminal it is shown, never obeyed; in CSV it
//! cannot become a spreadsheet formula; in JSON it stays exactly what the server holds.

use std::collections::HashMap;

use predicates::prelude::*;

use crate::common::{Fake, bare, contact, fake_holding, ndjson, printed_text};

/// Colours the table red and renames the terminal's window, if printed raw.
const EVIL: &str = "Evil\u{1b}[31mRED\u{1b}[0m\u{1b}]0;pwned\u{7}";
const EVIL_SHOWN: &str = "Evil\\u{1b}[31mRED\\u{1b}[0m\\u{1b}]0;pwned\\u{7}";

fn hostile() -> Fake {
    let mut evil = contact("EVIL1", EVIL);
    evil.email = Some("two\nlines@example.com".into());
    evil.variables = [("note".to_owned(), "bell\u{7}".to_owned())].into();
    fake_holding(evil)
}

fn assert_no_control_bytes(text: &[u8]) {
    let raw: Vec<u8> = text
        .iter()
        .copied()
        .filter(|b| (b.is_ascii_control() && *b != b'\n') || *b == 0x7f)
        .collect();
    assert!(
        raw.is_empty(),
        "control bytes {raw:?} in {:?}",
        String::from_utf8_lossy(text)
    );
}

#[test]
fn table_shows_control_characters_escaped() {
    let fake = hostile();
    let out = fake.contacts(&["list", "-o", "table"]).assert().success();
    let table = &out.get_output().stdout;
    assert_no_control_bytes(table);
    let text = String::from_utf8_lossy(table);
    assert!(text.contains(EVIL_SHOWN), "{text}");
    // The newline stays inside its cell: header, rule, one row, between the borders.
    assert!(text.contains("two\\nlines@example.com"), "{text}");
    assert_eq!(
        text.lines().filter(|l| l.contains("EVIL1")).count(),
        1,
        "{text}"
    );
}

#[test]
fn details_table_shows_control_characters_escaped() {
    let fake = hostile();
    let out = fake
        .contacts(&["get", "EVIL1", "-o", "table"])
        .assert()
        .success();
    assert_no_control_bytes(&out.get_output().stdout);
    let text = String::from_utf8_lossy(&out.get_output().stdout);
    assert!(
        text.contains(EVIL_SHOWN) && text.contains(r#""note":"bell\u0007""#),
        "{text}"
    );
}

#[test]
fn error_messages_show_control_characters_escaped() {
    let fake = hostile();
    let path = format!("/nonexistent/{EVIL}");
    let out = fake
        .contacts(&["list", "--api-key-file", &path])
        .assert()
        .failure();
    let stderr = &out.get_output().stderr;
    assert_no_control_bytes(stderr);
    assert!(String::from_utf8_lossy(stderr).contains(EVIL_SHOWN));
}

#[test]
fn ndjson_and_json_keep_the_data_exactly() {
    let fake = hostile();
    for format in ["ndjson", "json"] {
        let out = fake.contacts(&["list", "-o", format]).assert().success();
        let stdout = &out.get_output().stdout;
        // JSON escapes control characters itself: no raw ones, and the same text back.
        assert_no_control_bytes(stdout);
        let records = match format {
            "ndjson" => ndjson(stdout),
            _ => serde_json::from_slice(stdout).unwrap(),
        };
        assert_eq!(records[0]["name"], EVIL, "{format}");
        assert_eq!(records[0]["email"], "two\nlines@example.com", "{format}");
        assert_eq!(records[0]["variables"]["note"], "bell\u{7}", "{format}");
    }
}

/// Cells a spreadsheet would run as formulas, by column, as stored.
const FORMULAS: [(&str, &str); 5] = [
    ("name", "=HYPERLINK(\"http://x.test\",\"click\")"),
    ("email", "@SUM(A1:A9)"),
    ("webId", "-2+3+cmd|' /C calc'!A0"),
    ("telegramId", "\t=1+1"),
    ("facebookId", "\r=1+1"),
];

/// A sign and digits alone: a number to a spreadsheet, never a formula.
const NUMBERS: [(&str, &str); 2] = [("phoneNumber", "+4915100000999"), ("instagramId", "-42")];

/// A fake holding F1, whose cells are [`FORMULAS`] and [`NUMBERS`].
fn formulas() -> Fake {
    let mut c = serde_json::to_value(contact("F1", "")).unwrap();
    for (column, cell) in FORMULAS.iter().chain(&NUMBERS) {
        c[column] = (*cell).into();
    }
    fake_holding(serde_json::from_value(c).unwrap())
}

/// The one data row `contacts ARGS` prints as CSV from [`formulas`], as cells by column name.
fn formulas_csv(args: &[&str]) -> HashMap<String, String> {
    let fake = formulas();
    let out = printed_text(fake.contacts(args));
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    header
        .iter()
        .zip(row.iter())
        .map(|(h, v)| (h.to_owned(), v.to_owned()))
        .collect()
}

#[test]
fn csv_guards_cells_that_a_spreadsheet_would_run_as_formulas() {
    let row = formulas_csv(&["list", "-o", "csv"]);
    for (column, stored) in FORMULAS {
        assert_eq!(row[column], format!("'{stored}"), "{column}");
    }
    for (column, stored) in NUMBERS {
        assert_eq!(row[column], stored, "{column}");
    }
    assert_eq!(row["id"], "F1");
}

#[test]
fn no_csv_guard_writes_cells_as_stored() {
    let row = formulas_csv(&["list", "-o", "csv", "--no-csv-guard"]);
    for (column, stored) in FORMULAS.iter().chain(&NUMBERS) {
        assert_eq!(row[*column], *stored, "{column}");
    }
}

#[test]
fn csv_guard_applies_to_a_single_contact_too() {
    let fake = formulas();
    fake.contacts(&["get", "F1", "-o", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("'@SUM(A1:A9)"));
}

#[test]
fn the_long_help_holds_no_control_characters() {
    let out = bare().arg("--help").assert().success();
    assert_no_control_bytes(&out.get_output().stdout);
}
