//! `Client::from_env`: an empty variable counts as unset. Each case runs in a child process (this
//! test binary again, this test alone) whose environment is set when it starts: changing the
//! environment of a running process is unsafe since edition 2024, and the workspace forbids
//! unsafe code.

use chatcaptain::{API_KEY_ENV, BASE_URL_ENV, Client, DEFAULT_BASE_URL, Error};

#[path = "support/child.rs"]
mod child;

/// Names the case a child process checks; unset in the parent.
const CASE: &str = "CHATCAPTAIN_TEST_FROM_ENV_CASE";
const TEST: &str = "from_env_treats_empty_variables_as_unset";

fn config_error(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        other => panic!("expected a config error, got {other:?}"),
    }
}

/// The child's side: what `Client::from_env` makes of the environment it was started with.
fn check(case: &str) {
    match case {
        "base-url-blank" => match (Client::from_env(), chatcaptain::api::tls::BACKEND) {
            (Ok(client), Some(_)) => assert_eq!(client.base_url(), DEFAULT_BASE_URL),
            // Built without a TLS feature, the default (https) base URL is refused by name.
            (Err(Error::Config(message)), None) => assert!(message.contains(DEFAULT_BASE_URL)),
            (other, _) => panic!("an empty base URL means the default: {other:?}"),
        },
        "base-url-set" => {
            assert_eq!(Client::from_env().unwrap().base_url(), "http://127.0.0.1:9");
        }
        "key-unset" => {
            let unset = config_error(Client::from_env());
            assert!(unset.contains("CHATCAPTAIN_API_KEY is not set"), "{unset}");
        }
        "key-blank" => {
            let message = config_error(Client::from_env());
            assert!(
                message.contains("CHATCAPTAIN_API_KEY is not set"),
                "{message}"
            );
        }
        other => panic!("unknown case {other}"),
    }
}

/// Runs this test again in a child process with `env` (`None`: removed) and `case`.
fn run_child(case: &str, env: &[(&str, Option<&str>)]) {
    let mut cmd = child::rerun(TEST, CASE, case);
    for (name, value) in env {
        match value {
            Some(value) => cmd.env(name, value),
            None => cmd.env_remove(name),
        };
    }
    child::assert_passed(&cmd.output().unwrap(), &format!("case {case} with {env:?}"));
}

#[test]
fn from_env_treats_empty_variables_as_unset() {
    if let Ok(case) = std::env::var(CASE) {
        return check(&case);
    }
    let key = Some("env-key");
    for blank in ["", "  "] {
        run_child(
            "base-url-blank",
            &[(API_KEY_ENV, key), (BASE_URL_ENV, Some(blank))],
        );
    }
    run_child(
        "base-url-set",
        &[
            (API_KEY_ENV, key),
            (BASE_URL_ENV, Some("http://127.0.0.1:9/")),
        ],
    );
    run_child("key-unset", &[(API_KEY_ENV, None), (BASE_URL_ENV, None)]);
    for blank in ["", " ", "\t\n"] {
        run_child(
            "key-blank",
            &[(API_KEY_ENV, Some(blank)), (BASE_URL_ENV, None)],
        );
    }
}
