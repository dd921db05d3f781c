//! Clients for the project's fake server, with waits short enough for tests.

use std::time::Duration;

use chatcaptain::{Client, ClientBuilder};
use chatcaptain_fake::{FakeServer, FakeServerBuilder, seed_base_time};
use chrono::TimeDelta;

use super::BOT;

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

/// A fake (with [`FAKE_KEY`]) whose chatbot [`BOT`] holds the one contact `c1`.
pub fn holding_c1() -> FakeServerBuilder {
    FakeServer::builder()
        .api_key(FAKE_KEY)
        .contact(BOT, super::contact("c1", super::at(0)))
}

/// A fake (with [`FAKE_KEY`]) that knows chatbot [`BOT`], which holds no contact.
pub async fn empty_fake() -> FakeServer {
    FakeServer::builder()
        .api_key(FAKE_KEY)
        .chatbot(BOT)
        .start()
        .await
}

/// A fake (with [`FAKE_KEY`]) whose chatbot [`BOT`] holds `n` contacts one second apart.
pub async fn seeded_fake(n: u64) -> FakeServer {
    FakeServer::builder()
        .api_key(FAKE_KEY)
        .seed_contacts(BOT, n)
        .start()
        .await
}

/// A fake (with [`FAKE_KEY`]) whose chatbot [`BOT`] holds `n` contacts one second apart and
/// `tied` more created at the instant of the seeded contact `tie_at` seconds in: a tie that
/// page boundaries fall into.
pub fn tied_fake(n: u64, tied: u64, tie_at: i64) -> FakeServerBuilder {
    FakeServer::builder()
        .api_key(FAKE_KEY)
        .seed_contacts(BOT, n)
        .seed_contacts_at(BOT, tied, seed_base_time() + TimeDelta::seconds(tie_at))
}

/// Starts the fake from `builder` (with [`FAKE_KEY`]) on a runtime of its own, so the test's
/// thread (or the test's runtime) may block on calls to it without starving it.
pub fn start_apart(builder: FakeServerBuilder) -> FakeServer {
    builder.api_key(FAKE_KEY).start_blocking()
}
