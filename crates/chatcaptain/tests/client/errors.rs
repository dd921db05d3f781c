//! What an error says: each message in a `source()` chain says its own part once, so a printer
//! that walks the chain (as the CLI does) never repeats a cause.

use crate::common;

use std::error::Error as _;
use std::time::Duration;

use chatcaptain::{Client, Error};
use common::{BOT, KEY, closed_port, refused_get_once};
use wiremock::ResponseTemplate;

/// Every message of the chain, outermost first.
fn chain(error: &Error) -> Vec<String> {
    let mut messages = vec![error.to_string()];
    let mut current = error.source();
    while let Some(e) = current {
        messages.push(e.to_string());
        current = e.source();
    }
    messages
}

fn assert_no_message_repeats(error: &Error) {
    let messages = chain(error);
    for (i, outer) in messages.iter().enumerate() {
        for inner in &messages[i + 1..] {
            assert!(
                !outer.contains(inner.as_str()),
                "{outer:?} repeats its cause {inner:?}; chain: {messages:#?}"
            );
        }
    }
}

fn fast(base_url: String) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(base_url)
        .backoff(Duration::from_millis(1), Duration::from_millis(2))
        .build()
        .unwrap()
}

#[tokio::test]
async fn no_message_in_the_source_chain_of_a_transport_error_repeats_its_cause() {
    // A port just freed: nothing listens, the connect is refused.
    let port = closed_port();
    let err = fast(format!("http://127.0.0.1:{port}"))
        .contacts(BOT)
        .get("c1")
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::RetriesExhausted { ref last, .. } if matches!(**last, Error::Transport(_))),
        "{err:?}"
    );
    assert!(chain(&err).len() >= 3, "{:#?}", chain(&err));
    assert_no_message_repeats(&err);
    assert_no_message_repeats(err.last_attempt());
}

#[tokio::test]
async fn no_message_in_the_source_chain_of_a_decode_error_repeats_its_cause() {
    let server = common::answering_every_get(
        ResponseTemplate::new(200).set_body_string("<html>oops</html>"),
    )
    .await;
    let err = fast(server.uri())
        .contacts(BOT)
        .get("c1")
        .await
        .unwrap_err();
    assert!(
        matches!(err.last_attempt(), Error::Decode { .. }),
        "{err:?}"
    );
    assert_no_message_repeats(&err);
}

#[tokio::test]
async fn no_message_in_the_source_chain_of_a_timeout_with_a_cause_repeats_it() {
    let server =
        common::answering_every_get(ResponseTemplate::new(429).insert_header("retry-after", "30"))
            .await;
    let client = common::builder(&server)
        .call_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    let err = client.contacts(BOT).get("c1").await.unwrap_err();
    assert!(
        matches!(err, Error::Timeout { cause: Some(_), .. }),
        "{err:?}"
    );
    assert_eq!(chain(&err).len(), 2, "{:#?}", chain(&err));
    assert_no_message_repeats(&err);
}

#[tokio::test]
async fn a_refused_connection_debugs_as_a_short_chain_naming_the_address() {
    let (port, err) = refused_get_once().await;
    // What `fn main() -> Result<(), chatcaptain::Error>` prints after "Error: ".
    let debug = format!("{err:?}");
    assert!(debug.len() < 400, "{} characters: {debug}", debug.len());
    assert!(
        debug.starts_with("could not reach ChatCaptain [Error::Transport]"),
        "{debug}"
    );
    assert!(debug.contains(&format!("127.0.0.1:{port}")), "{debug}");
    assert!(
        debug.to_lowercase().contains("connection refused"),
        "{debug}"
    );
    for internal in ["hyper", "reqwest::Error", "kind:", "ConnectError", "Some("] {
        assert!(!debug.contains(internal), "{internal} in {debug}");
    }
    assert!(!debug.contains(KEY));
}
