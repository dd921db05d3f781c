//! Clients for the project's fake server, with waits short enough for tests.

use std::time::Duration;

use chatcaptain::{Client, ClientBuilder};
use chatcaptain_fake::FakeServer;

/// The key the fake servers of these tests accept.
pub const FAKE_KEY: &str = "fake-key";

/// A builder aimed at `server`, with a 1–5 ms backoff so retries cost no time.
pub fn builder_for(server: &FakeServer) -> ClientBuilder {
    Client::builder()
        .api_key(FAKE_KEY)
        .base_url(server.base_url())
        .backoff(Duration::from_millis(1), Duration::from_millis(5))
}

/// A client aimed at `server` with the default policy and the short backoff.
pub fn fake_client(server: &FakeServer) -> Client {
    builder_for(server).build().expect("client builds")
}
