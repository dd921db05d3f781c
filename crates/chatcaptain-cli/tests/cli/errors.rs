//! How failures are reported: one line, each cause once, the right exit code, and nothing on
//! stdout that pretends the command did its work.

use crate::common::{BOT, KEY, bare};

/// A loopback address where nothing listens: bound, then let go.
fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

#[test]
fn connection_refused_prints_the_transport_message_once() {
    let out = bare()
        .env("CHATCAPTAIN_API_KEY", KEY)
        .args(["--base-url", &refused_url(), "contacts", "get", "C1"])
        .args(["--chatbot", BOT])
        .assert()
        .code(1)
        .stdout("");
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert_eq!(
        stderr.matches("error sending request").count(),
        1,
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
}
