//! `Client::from_env`: an empty variable counts as unset. The environment is one per process, so
//! this file holds a single test that changes it, alone in its test binary.

use chatcaptain::{API_KEY_ENV, BASE_URL_ENV, Client, DEFAULT_BASE_URL, Error};

fn set(name: &str, value: Option<&str>) {
    // SAFETY: this test binary runs one test, on one thread; nothing else reads the environment
    // while it changes.
    unsafe {
        match value {
            Some(v) => std::env::set_var(name, v),
            None => std::env::remove_var(name),
        }
    }
}

fn config_error(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::Config(message)) => message,
        other => panic!("expected a config error, got {other:?}"),
    }
}

#[test]
fn from_env_treats_empty_variables_as_unset() {
    set(API_KEY_ENV, Some("env-key"));
    for empty in ["", "  "] {
        set(BASE_URL_ENV, Some(empty));
        match (Client::from_env(), chatcaptain::api::tls::BACKEND) {
            (Ok(client), Some(_)) => assert_eq!(client.base_url(), DEFAULT_BASE_URL),
            // Built without a TLS feature, the default (https) base URL is refused by name.
            (Err(Error::Config(message)), None) => assert!(message.contains(DEFAULT_BASE_URL)),
            (other, _) => panic!("an empty base URL means the default: {other:?}"),
        }
    }
    set(BASE_URL_ENV, Some("http://127.0.0.1:9/"));
    assert_eq!(Client::from_env().unwrap().base_url(), "http://127.0.0.1:9");

    set(BASE_URL_ENV, None);
    set(API_KEY_ENV, None);
    let unset = config_error(Client::from_env());
    assert!(unset.contains("CHATCAPTAIN_API_KEY is not set"), "{unset}");
    for blank in ["", " ", "\t\n"] {
        set(API_KEY_ENV, Some(blank));
        assert_eq!(config_error(Client::from_env()), unset, "key {blank:?}");
    }
}
