//! `--max-rate` and `--retry-mode`: from the flag, the variable or the profile, and refused with
//! a usage error when malformed.

use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::common::{BOT, Home, assert_usage_error, fake, home_with_default, stdout_of};

/// 30 contacts in pages of 5: 7 requests (the last finds nothing new).
const PAGED: [&str; 5] = ["list", "--all", "--page-size", "5", "--output"];

/// Runs `cmd`, a listing of [`PAGED`] at 20 requests a second, and checks it lists all 30 and
/// keeps the pace: 7 requests at 20 a second are 6 gaps of 50 ms at least.
fn assert_paced(mut cmd: assert_cmd::Command) {
    let started = Instant::now();
    let out = cmd.assert().success();
    let took = started.elapsed();
    assert_eq!(stdout_of(&out).len(), 30);
    assert!(took >= Duration::from_millis(290), "{took:?}");
}

#[test]
fn max_rate_spaces_the_requests_of_a_listing() {
    let fake = fake(30);
    assert_paced(fake.contacts(&[&PAGED[..], &["ndjson", "--max-rate", "20"]].concat()));
}

#[test]
fn the_profile_gives_max_rate_and_retry_mode() {
    let fake = fake(30);
    let home = home_with_default(&fake, "max_rate = 20\nretry_mode = \"adaptive\"\n");
    let mut cmd = home.cli();
    cmd.args(["contacts"]).args(&PAGED[..]).arg("ndjson");
    assert_paced(cmd);
}

#[test]
fn malformed_pacing_settings_are_usage_errors() {
    let fake = fake(1);
    assert_usage_error(
        fake.contacts(&["list", "--max-rate", "0"]),
        "positive number of requests per second",
    );
    fake.contacts(&["list", "--retry-mode", "fast"])
        .assert()
        .code(2);
    assert_usage_error(
        fake.contacts(&["list"]).env("CHATCAPTAIN_MAX_RATE", "lots"),
        "CHATCAPTAIN_MAX_RATE=lots",
    );
    assert_usage_error(
        fake.contacts(&["list"])
            .env("CHATCAPTAIN_RETRY_MODE", "fast"),
        "use standard or adaptive",
    );
}

#[test]
fn a_profile_with_a_malformed_retry_mode_names_the_file() {
    let home = Home::new();
    home.write_config("[profiles.default]\nretry_mode = \"fast\"\n");
    assert_usage_error(
        home.cli().args(["contacts", "list", "--chatbot", BOT]),
        "config.toml",
    );
}

/// Values no pace can be kept at, as typed on a command line, in a variable and in TOML.
const ABSURD_RATES: [&str; 8] = ["1e-300", "5e-324", "NaN", "inf", "-1", "0", "1e300", "-inf"];

#[test]
fn an_absurd_max_rate_is_a_usage_error_from_the_flag_the_variable_and_the_profile() {
    let fake = fake(1);
    let range = predicate::str::contains("from 0.001 to 1000000");
    for value in ABSURD_RATES {
        fake.contacts(&["list", &format!("--max-rate={value}")])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("error: --max-rate ").and(range.clone()));
        fake.contacts(&["list"])
            .env("CHATCAPTAIN_MAX_RATE", value)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("CHATCAPTAIN_MAX_RATE=").and(range.clone()));
        let toml = match value {
            "NaN" => "nan",
            other => other,
        };
        let home = home_with_default(&fake, &format!("max_rate = {toml}\n"));
        home.list_contacts().assert().code(2).stderr(
            predicate::str::contains("max_rate = ")
                .and(predicate::str::contains("profile 'default'"))
                .and(range.clone()),
        );
    }
    assert!(fake.server.requests().is_empty());
}
