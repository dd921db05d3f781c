//! A fake on a runtime of its own (`start_blocking`), for blocking code and blocked runtimes.

use std::io::{Read, Write};

use chatcaptain_fake::{API_KEY_HEADER, FakeServer};

use crate::common::{BOT, contacts_path};

/// A blocking HTTP/1.1 GET, on the calling thread.
fn blocking_get(server: &FakeServer, path: &str) -> String {
    let mut http = std::net::TcpStream::connect(server.addr()).unwrap();
    write!(
        http,
        "GET {path} HTTP/1.1\r\nhost: fake\r\n{API_KEY_HEADER}: {}\r\nconnection: close\r\n\r\n",
        server.api_key()
    )
    .unwrap();
    let mut answer = String::new();
    http.read_to_string(&mut answer).unwrap();
    answer
}

#[tokio::test(flavor = "current_thread")]
async fn a_fake_started_blocking_answers_while_the_tests_only_thread_blocks_and_drops_there() {
    let server = FakeServer::builder().seed_contacts(BOT, 2).start_blocking();
    // The test's runtime has one thread, blocked in this read: a fake served by it would never
    // answer.
    let answer = blocking_get(&server, &contacts_path(BOT));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert_eq!(server.contact_count(BOT), 2);
    // Dropping a runtime inside another one panics unless it is shut down without waiting.
    drop(server);
}

#[test]
fn a_fake_started_blocking_needs_no_runtime() {
    let server = FakeServer::builder().start_blocking();
    let answer = blocking_get(&server, &contacts_path(BOT));
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
