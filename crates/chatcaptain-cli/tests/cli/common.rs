//! A fake server per test, and the binary pointed at it.

use std::borrow::BorrowMut;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chatcaptain::Contact;
use chatcaptain_fake::{FakeServer, FakeServerBuilder};
use chrono::{TimeZone, Utc};
use tokio::runtime::Runtime;

/// Looks nothing like the rest of the output, so a leak is easy to spot.
pub const KEY: &str = "sk-test-Zq8v3LmN0pR7";
pub const BOT: &str = "bot1";

/// A running fake, on a runtime of its own while the test runs the binary on its own thread.
pub struct Fake {
    pub server: FakeServer,
}

/// A fake holding `contacts` generated contacts in [`BOT`].
pub fn fake(contacts: u64) -> Fake {
    fake_with(FakeServer::builder().seed_contacts(BOT, contacts))
}

/// A fake holding `contact` alone, in [`BOT`].
pub fn fake_holding(contact: Contact) -> Fake {
    fake_with(FakeServer::builder().contact(BOT, contact))
}

/// A fake from `builder`, with [`KEY`] as its key.
pub fn fake_with(builder: FakeServerBuilder) -> Fake {
    Fake {
        server: builder.api_key(KEY).start_blocking(),
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

    /// `chatcaptain organizations <args> --chatbot bot1`, ready to run.
    pub fn organizations(&self, args: &[&str]) -> Command {
        let mut cmd = self.cli();
        cmd.arg("organizations").args(args).args(["--chatbot", BOT]);
        cmd
    }

    /// `chatcaptain contacts <args> --chatbot bot1`, ready to run.
    pub fn contacts(&self, args: &[&str]) -> Command {
        let mut cmd = self.cli();
        cmd.arg("contacts").args(args).args(["--chatbot", BOT]);
        cmd
    }
}

/// The variables the tool reads, none of them inherited from the caller: the config is looked
/// for in a directory that does not exist, so the real home's is never read.
pub fn isolated(cmd: &mut std::process::Command) {
    let nowhere = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("no-home");
    for var in [
        "CHATCAPTAIN_API_KEY",
        "CHATCAPTAIN_BASE_URL",
        "CHATCAPTAIN_CHATBOT",
        "CHATCAPTAIN_PROFILE",
        "CHATCAPTAIN_STATE_DIR",
        "CHATCAPTAIN_CONFIG_DIR",
        "CHATCAPTAIN_CA_FILE",
    ] {
        cmd.env_remove(var);
    }
    // The state directory too: an import keeps its journal there by default.
    cmd.env("HOME", &nowhere)
        .env("XDG_CONFIG_HOME", nowhere.join(".config"))
        .env("XDG_STATE_HOME", nowhere.join(".local/state"));
}

/// `chatcaptain` with none of its environment variables inherited from the caller.
pub fn bare() -> Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_chatcaptain"));
    isolated(&mut cmd);
    Command::from_std(cmd)
}

/// A loopback address where nothing listens: bound, then let go.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
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

/// Runs `cmd`, which must succeed, and answers the records it printed as ndjson.
pub fn printed_records(mut cmd: impl BorrowMut<Command>) -> Vec<serde_json::Value> {
    stdout_of(&cmd.borrow_mut().assert().success())
}

/// Runs `cmd`, which must succeed, and answers what it printed, as text.
pub fn printed_text(mut cmd: impl BorrowMut<Command>) -> String {
    stdout_text(&cmd.borrow_mut().assert().success())
}

/// The records a run printed as ndjson.
pub fn stdout_of(out: &assert_cmd::assert::Assert) -> Vec<serde_json::Value> {
    ndjson(&out.get_output().stdout)
}

/// What a run printed, as text.
pub fn stdout_text(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stdout).into_owned()
}

/// What a run said on stderr, as text.
pub fn stderr_of(out: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&out.get_output().stderr).into_owned()
}

/// Asserts `text` contains each of `words` (the whole text shown when one is missing).
pub fn assert_contains(text: &str, words: &[&str]) {
    for word in words {
        assert!(text.contains(word), "no `{word}` in:\n{text}");
    }
}

/// Asserts `text` contains none of `words` (the whole text shown when one is there).
pub fn assert_lacks(text: &str, words: &[&str]) {
    for word in words {
        assert!(!text.contains(word), "`{word}` in:\n{text}");
    }
}

/// Runs `cmd`, which must exit with `code` and say `message` on stderr; answers the run, for
/// more checks.
pub fn assert_exits(
    mut cmd: impl BorrowMut<Command>,
    code: i32,
    message: impl Into<String>,
) -> assert_cmd::assert::Assert {
    cmd.borrow_mut()
        .assert()
        .code(code)
        .stderr(predicates::str::contains(message))
}

/// Runs `cmd`, which must be refused as a usage error (exit 2) saying `message`; answers the run,
/// for more checks.
pub fn assert_usage_error(
    cmd: impl BorrowMut<Command>,
    message: impl Into<String>,
) -> assert_cmd::assert::Assert {
    assert_exits(cmd, 2, message)
}

/// Runs `cmd` with a key the fake does not know: it must exit 3 with nothing on stdout and the
/// server's 401 on stderr.
pub fn assert_key_refused(mut cmd: impl BorrowMut<Command>) {
    cmd.borrow_mut()
        .env("CHATCAPTAIN_API_KEY", "not-the-key")
        .assert()
        .code(3)
        .stdout("")
        .stderr(predicates::str::starts_with("error: 401 Unauthorized"));
}

/// Runs `cmd`, a listing without `--limit` of more than 50 records: it prints the first 50 and
/// says so with `notice` on stderr.
pub fn assert_stops_at_fifty(mut cmd: Command, notice: &str) {
    let out = cmd
        .assert()
        .success()
        .stderr(predicates::str::contains(notice));
    assert_eq!(stdout_of(&out).len(), 50);
}

/// The `created` of each record, in the order printed.
pub fn created_of(records: &[serde_json::Value]) -> Vec<&str> {
    records
        .iter()
        .map(|r| r["created"].as_str().unwrap())
        .collect()
}

/// The `id` of each record.
pub fn ids(records: &[serde_json::Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["id"].as_str().expect("every record has an id").to_owned())
        .collect()
}

/// A home directory of its own for one test, with `XDG_CONFIG_HOME` inside it: what the tool
/// reads and writes there is this test's alone.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Self {
        Home {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `$XDG_CONFIG_HOME` for the tool.
    pub fn xdg_config_home(&self) -> PathBuf {
        self.path().join("xdg")
    }

    /// Where the tool looks for its config.
    pub fn config_file(&self) -> PathBuf {
        self.xdg_config_home()
            .join("chatcaptain")
            .join("config.toml")
    }

    /// Writes the config file, creating its directory.
    pub fn write_config(&self, text: &str) -> PathBuf {
        let file = self.config_file();
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, text).unwrap();
        file
    }

    /// A file holding `key` that only its owner can read.
    pub fn key_file(&self, name: &str, key: &str) -> PathBuf {
        let file = self.path().join(name);
        std::fs::write(&file, format!("{key}\n")).unwrap();
        #[cfg(unix)]
        chmod(&file, 0o600);
        file
    }

    /// `chatcaptain` with this home and none of the caller's variables.
    pub fn cli(&self) -> Command {
        let mut cmd = bare();
        cmd.env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.xdg_config_home());
        cmd
    }

    /// `chatcaptain contacts list` with this home.
    pub fn list_contacts(&self) -> Command {
        let mut cmd = self.cli();
        cmd.args(["contacts", "list"]);
        cmd
    }
}

/// A home whose `default` profile points at `fake` with the right key (in a key file) and
/// chatbot, followed by the TOML lines `more` (`max_rate = 20\n`).
pub fn home_with_default(fake: &Fake, more: &str) -> Home {
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    let mut config = bot_profile("default", &key_file, &fake.server.base_url());
    config.push_str(more);
    home.write_config(&config);
    home
}

/// A path named `name` in a directory of its own, where nothing is written yet; the directory
/// is removed with the guard.
pub fn temp_path(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

/// A temporary file holding `text`, removed when dropped.
pub fn file_holding(text: impl AsRef<[u8]>) -> tempfile::NamedTempFile {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), text).unwrap();
    file
}

/// `path` with these permission bits.
#[cfg(unix)]
pub fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A TOML table for `[profiles.NAME]` with the given keys (values quoted as TOML strings).
pub fn profile_toml(name: &str, settings: &[(&str, &str)]) -> String {
    let mut text = format!("[profiles.{name}]\n");
    for (key, value) in settings {
        text.push_str(&format!("{key} = {}\n", toml_string(value)));
    }
    text
}

/// A TOML table for `[profiles.NAME]` for [`BOT`], its key in `key_file`, at `base_url`.
pub fn bot_profile(name: &str, key_file: impl AsRef<Path>, base_url: &str) -> String {
    let key_file = key_file.as_ref().to_str().unwrap();
    profile_toml(
        name,
        &[
            ("chatbot", BOT),
            ("key_file", key_file),
            ("base_url", base_url),
        ],
    )
}

/// `value` as a TOML basic string.
pub fn toml_string(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A list endpoint on wiremock whose one page holds `c3`, `c1` and, between them, `c2`, whose
/// `variables.age` is a number where the spec says string: an odd record. The runtime serves it
/// while the test runs the binary.
pub fn odd_record_server() -> (Runtime, wiremock::MockServer) {
    let runtime = Runtime::new().expect("a tokio runtime");
    let server = runtime.block_on(async {
        use wiremock::matchers::{method, path};
        let server = wiremock::MockServer::start().await;
        let contacts = serde_json::json!({ "contacts": [
            { "id": "c3", "created": "2025-01-01T00:00:03Z", "language": "EN" },
            { "id": "c2", "created": "2025-01-01T00:00:02Z", "variables": { "age": 42 } },
            { "id": "c1", "created": "2025-01-01T00:00:01Z", "language": "DE" },
        ]});
        wiremock::Mock::given(method("GET"))
            .and(path(format!("/v1/chatbots/{BOT}/contacts")))
            .respond_with(move |request: &wiremock::Request| {
                let first = !request.url.query().unwrap_or("").contains("pageToken");
                let body = match first {
                    true => contacts.clone(),
                    false => serde_json::json!({ "contacts": [] }),
                };
                wiremock::ResponseTemplate::new(200).set_body_json(body)
            })
            .mount(&server)
            .await;
        server
    });
    (runtime, server)
}
