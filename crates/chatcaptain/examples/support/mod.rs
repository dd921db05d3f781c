//! What the examples run against. With `CHATCAPTAIN_BASE_URL` set: that server, with
//! `CHATCAPTAIN_API_KEY` and the chatbot `CHATCAPTAIN_CHATBOT` (as the `chatcaptain` tool reads
//! them). Without it: an in-memory fake of the API, started in-process, so that
//! `cargo run -p chatcaptain --example NAME` needs no account and no network.

// Each example uses part of this module.
#![allow(dead_code)]

use std::error::Error;

use chatcaptain::{BASE_URL_ENV, Client};
use chatcaptain_fake::{FakeServer, FakeServerBuilder};

/// The chatbot the fake's contacts belong to.
pub const FAKE_CHATBOT: &str = "bot1";

/// A client and the chatbot to work on.
pub struct Target {
    pub client: Client,
    pub chatbot: String,
    /// The fake, when there is no real server; it stops when dropped.
    pub fake: Option<FakeServer>,
}

/// The server of `CHATCAPTAIN_BASE_URL`, or else a fake set up by `setup` (seed contacts,
/// inject faults) and announced on stderr.
pub async fn target(
    setup: impl FnOnce(FakeServerBuilder) -> FakeServerBuilder,
) -> Result<Target, Box<dyn Error>> {
    if std::env::var(BASE_URL_ENV).is_ok_and(|url| !url.trim().is_empty()) {
        let chatbot = std::env::var("CHATCAPTAIN_CHATBOT")
            .map_err(|_| "CHATCAPTAIN_BASE_URL is set: set CHATCAPTAIN_CHATBOT too")?;
        return Ok(Target {
            client: Client::from_env()?,
            chatbot,
            fake: None,
        });
    }
    let fake = setup(FakeServer::builder().chatbot(FAKE_CHATBOT))
        .start()
        .await;
    eprintln!(
        "(against an in-memory fake at {}; set CHATCAPTAIN_BASE_URL, CHATCAPTAIN_API_KEY and \
         CHATCAPTAIN_CHATBOT to use a real server)",
        fake.base_url()
    );
    let client = Client::builder()
        .api_key(fake.api_key())
        .base_url(fake.base_url())
        .build()?;
    Ok(Target {
        client,
        chatbot: FAKE_CHATBOT.to_owned(),
        fake: Some(fake),
    })
}

/// The blocking form of [`target`]: the fake, if any, runs on a runtime of its own, kept here.
#[cfg(feature = "blocking")]
pub struct BlockingTarget {
    pub client: chatcaptain::blocking::Client,
    pub chatbot: String,
    _fake: Option<(FakeServer, tokio::runtime::Runtime)>,
}

#[cfg(feature = "blocking")]
pub fn blocking_target(
    setup: impl FnOnce(FakeServerBuilder) -> FakeServerBuilder,
) -> Result<BlockingTarget, Box<dyn Error>> {
    let runtime = tokio::runtime::Runtime::new()?;
    let target = runtime.block_on(target(setup))?;
    Ok(BlockingTarget {
        client: chatcaptain::blocking::Client::from_async(target.client)?,
        chatbot: target.chatbot,
        _fake: target.fake.map(|fake| (fake, runtime)),
    })
}
