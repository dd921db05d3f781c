//! `--max-rate` and `--retry-mode`: from the flag, the variable or the profile, and refused with
//! a usage error when malformed.

use std::time::{Duration, Instant};

use predicates::prelude::*;

use crate::common::{BOT, Home, KEY, fake, ndjson, profile_toml};

/// 30 contacts in pages of 5: 7 requests (the last finds nothing new).
const PAGED: [&str; 5] = ["list", "--all", "--page-size", "5", "--output"];

#[test]
fn max_rate_spaces_the_requests_of_a_listing() {
    let fake = fake(30);
    let started = Instant::now();
    let out = fake
        .contacts(&[&PAGED[..], &["ndjson", "--max-rate", "20"]].concat())
        .assert()
        .success();
    let took = started.elapsed();
    assert_eq!(ndjson(&out.get_output().stdout).len(), 30);
    // 7 requests at 20 a second: 6 gaps of 50 ms at least.
    assert!(took >= Duration::from_millis(290), "{took:?}");
}

#[test]
fn the_profile_gives_max_rate_and_retry_mode() {
    let fake = fake(30);
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    let mut config = profile_toml(
        "default",
        &[
            ("chatbot", BOT),
            ("key_file", key_file.to_str().unwrap()),
            ("base_url", &fake.server.base_url()),
        ],
    );
    config.push_str("max_rate = 20\nretry_mode = \"adaptive\"\n");
    home.write_config(&config);
    let started = Instant::now();
    let out = home
        .cli()
        .args(["contacts"])
        .args(&PAGED[..])
        .arg("ndjson")
        .assert()
        .success();
    let took = started.elapsed();
    assert_eq!(ndjson(&out.get_output().stdout).len(), 30);
    assert!(took >= Duration::from_millis(290), "{took:?}");
}

#[test]
fn malformed_pacing_settings_are_usage_errors() {
    let fake = fake(1);
    fake.contacts(&["list", "--max-rate", "0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "positive number of requests per second",
        ));
    fake.contacts(&["list", "--retry-mode", "fast"])
        .assert()
        .code(2);
    fake.contacts(&["list"])
        .env("CHATCAPTAIN_MAX_RATE", "lots")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("CHATCAPTAIN_MAX_RATE=lots"));
    fake.contacts(&["list"])
        .env("CHATCAPTAIN_RETRY_MODE", "fast")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("use standard or adaptive"));
}

#[test]
fn a_profile_with_a_malformed_retry_mode_names_the_file() {
    let home = Home::new();
    home.write_config("[profiles.default]\nretry_mode = \"fast\"\n");
    home.cli()
        .args(["contacts", "list", "--chatbot", BOT])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("config.toml"));
}
