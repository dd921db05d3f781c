//! A fake server per test, and the binary pointed at it.

use assert_cmd::Command;
use chatcaptain::Contact;
use chatcaptain_fake::{FakeServer, FakeServerBuilder};
use chrono::{TimeZone, Utc};
use tokio::runtime::Runtime;

/// Looks nothing like the rest of the output, so a leak is easy to spot.
pub const KEY: &str = "sk-test-Zq8v3LmN0pR7";
pub const BOT: &str = "bot1";

/// A running fake; the runtime serves it while the test runs the binary on its own thread.
pub struct Fake {
    pub server: FakeServer,
    _runtime: Runtime,
}

/// A fake holding `contacts` generated contacts in [`BOT`].
pub fn fake(contacts: u64) -> Fake {
    fake_with(FakeServer::builder().seed_contacts(BOT, contacts))
}

/// A fake from `builder`, with [`KEY`] as its key.
pub fn fake_with(builder: FakeServerBuilder) -> Fake {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let server = runtime.block_on(builder.api_key(KEY).start());
    Fake {
        server,
        _runtime: runtime,
    }
}

impl Fake {
    /// `chatcaptain` with the key in its environment and the fake as its base URL.
    pub fn cli(&self) -> Command {
        let mut cmd = bare();
        cmd.env("CHATCAPTAIN_API_KEY", KEY)
            .args(["--base-url", &self.server.base_url()]);
        cmd
    }

    /// `chatcaptain contacts <args> --chatbot bot1`, ready to run.
    pub fn contacts(&self, args: &[&str]) -> Command {
        let mut cmd = self.cli();
        cmd.arg("contacts").args(args).args(["--chatbot", BOT]);
        cmd
    }
}

/// `chatcaptain` with none of its environment variables inherited from the caller.
pub fn bare() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chatcaptain"));
    for var in [
        "CHATCAPTAIN_API_KEY",
        "CHATCAPTAIN_BASE_URL",
        "CHATCAPTAIN_CHATBOT",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// A contact with a known id, for tests that need to name one.
pub fn contact(id: &str, name: &str) -> Contact {
    Contact::builder()
        .id(id)
        .created(Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap())
        .email(Some(format!("{}@example.com", id.to_lowercase())))
        .language(Some("EN".to_owned()))
        .name(Some(name.to_owned()))
        .try_into()
        .unwrap()
}

/// Every line of `out` as a JSON object; panics naming the line that is not one.
pub fn ndjson(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("line {} is not JSON ({e}): {line:?}", i + 1))
        })
        .collect()
}

/// The `id` of each record.
pub fn ids(records: &[serde_json::Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["id"].as_str().expect("every record has an id").to_owned())
        .collect()
}
