//! `contacts import`: every record created or in the rejects with its line, never sent twice.

mod incomplete;
mod journal;
mod stop;

use std::path::{Path, PathBuf};

use chatcaptain_fake::{Fault, Route};
use serde_json::Value;

use crate::common::*;

/// The lines of a rejects file.
pub fn rejects(path: &Path) -> Vec<Value> {
    ndjson(std::fs::read_to_string(path).unwrap().as_bytes())
}

/// A directory of the test's own: inputs, rejects, and the state directory default journals
/// go to.
pub struct Dir(tempfile::TempDir);

impl Dir {
    pub fn new() -> Self {
        Dir(tempfile::tempdir().unwrap())
    }

    /// A file in it, written.
    pub fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }

    /// `CHATCAPTAIN_STATE_DIR` of the runs.
    pub fn state(&self) -> PathBuf {
        self.path("state")
    }

    /// The default journals written so far.
    pub fn journals(&self) -> Vec<PathBuf> {
        let dir = self.state().join("imports");
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|entries| entries.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        found.retain(|p| p.extension().is_some_and(|e| e == "journal"));
        found
    }
}

/// A fake whose [`BOT`] has no contacts yet, and a directory for the import's files.
pub fn empty_chatbot() -> (Fake, Dir) {
    (fake(0), Dir::new())
}

/// `chatcaptain contacts import ARGS --chatbot bot1` with the state directory in `dir`.
pub fn import(fake: &Fake, dir: &Dir, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = fake.cli();
    cmd.env("CHATCAPTAIN_STATE_DIR", dir.state())
        .args(["contacts", "import"])
        .args(args)
        .args(["--chatbot", BOT]);
    cmd
}

/// `n` ndjson records named `prefix1`, `prefix2`, ...
pub fn records(prefix: &str, n: usize) -> String {
    (1..=n)
        .map(|i| format!("{{\"language\":\"EN\",\"name\":\"{prefix}{i}\"}}\n"))
        .collect()
}

/// The names of the chatbot's contacts, sorted (a name twice is a contact created twice).
pub fn names(fake: &Fake, chatbot: &str) -> Vec<String> {
    let mut list = fake.cli();
    list.args([
        "contacts", "list", "--all", "--output", "ndjson", "--fields", "name",
    ])
    .args(["--chatbot", chatbot]);
    let mut names: Vec<String> = printed_records(list)
        .iter()
        .map(|c| c["name"].as_str().unwrap_or_default().to_owned())
        .collect();
    names.sort();
    names
}

/// `path` as a command-line argument.
pub fn arg(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// `import` of `input`, writing its rejects to `rejects_file`.
pub fn import_with_rejects(
    fake: &Fake,
    dir: &Dir,
    input: &Path,
    rejects_file: &Path,
) -> assert_cmd::Command {
    import(fake, dir, &[arg(input), "--rejects", arg(rejects_file)])
}

/// The same import as [`import`], as a process of its own: for a test that acts while it runs.
pub fn import_process(fake: &Fake, dir: &Dir, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_chatcaptain"));
    isolated(&mut cmd);
    cmd.env("CHATCAPTAIN_API_KEY", KEY)
        .env("CHATCAPTAIN_STATE_DIR", dir.state())
        .args(["--base-url", &fake.server.base_url(), "contacts", "import"])
        .args(args)
        .args(["--chatbot", BOT]);
    cmd
}

/// A fake with [`BOT`] and no contacts, whose answers `fault` spoils.
pub fn fake_with_fault(fault: Fault) -> Fake {
    fake_with(
        chatcaptain_fake::FakeServer::builder()
            .chatbot(BOT)
            .fault(fault),
    )
}

/// Waits for `done`, failing with `what` after 15 seconds.
pub fn wait_for(what: &str, done: impl Fn() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(15),
            "{what}"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// The `line` of each record, sorted.
pub fn lines_of(records: &[Value]) -> Vec<u64> {
    let mut lines: Vec<u64> = records
        .iter()
        .map(|r| r["line"].as_u64().unwrap())
        .collect();
    lines.sort();
    lines
}

/// Asserts that the run's stderr says `text`, showing the stderr where it does not.
pub fn assert_stderr_says(out: &assert_cmd::assert::Assert, text: &str) {
    let stderr = stderr_of(out);
    assert!(stderr.contains(text), "{stderr}");
}

/// Imports `text`, as the file `name`, into an empty [`BOT`]; some of its records are refused, so
/// the run exits 1. Answers the fake, the records reported created and the rejects file's lines.
fn import_partly(name: &str, text: &str) -> (Fake, Vec<Value>, Vec<Value>) {
    let (fake, dir) = empty_chatbot();
    let input = dir.file(name, text);
    let rejects_file = dir.path("rejects.ndjson");
    let out = import_with_rejects(&fake, &dir, &input, &rejects_file)
        .assert()
        .code(1);
    let rejected = rejects(&rejects_file);
    (fake, stdout_of(&out), rejected)
}

#[test]
fn import_creates_each_good_record_and_rejects_the_bad_ones_with_their_line() {
    let (fake, created, rejected) = import_partly(
        "in.ndjson",
        &[
            r#"{"language":"EN","name":"Ada"}"#,
            r#"{"language":"DE","name":"Grace","variables":{"plan":"pro"},"address":{"location":"Berlin"}}"#,
            r#"{"name":"no language"}"#,
            r#"{not json"#,
            "",
            r#"{"language":"FR","nickname":"unknown field"}"#,
            r#"{"language":"FR","name":"Marie"}"#,
        ]
        .join("\n"),
    );
    assert_eq!(lines_of(&created), [1, 2, 7]);
    assert_eq!(lines_of(&rejected), [3, 4, 6]);
    assert!(rejected.iter().all(|r| r["outcome"] == "rejected"));
    assert_eq!(fake.server.contact_count(BOT), 3);
    let grace = created.iter().find(|c| c["line"] == 2).unwrap();
    let stored = fake
        .server
        .contact(BOT, grace["id"].as_str().unwrap())
        .unwrap();
    assert_eq!(stored.variables["plan"], "pro");
    assert_eq!(stored.address.unwrap().location.as_deref(), Some("Berlin"));
}

#[test]
fn a_csv_export_imports_into_another_chatbot_and_a_short_row_is_rejected() {
    // A key belongs to one chatbot: the other chatbot's is another key.
    let other_key = "sk-test-other-chatbot";
    let fake = fake_with(
        chatcaptain_fake::FakeServer::builder()
            .seed_contacts(BOT, 40)
            .key_for_chatbot(other_key, "other"),
    );
    let export = fake
        .contacts(&["list", "--all", "--output", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut csv = String::from_utf8(export).unwrap();
    csv.push_str("only,three,cells\n");
    let dir = Dir::new();
    let input = dir.file("contacts.csv", &csv);
    let rejects_file = dir.path("rejects.ndjson");
    let out = fake
        .cli()
        .env("CHATCAPTAIN_STATE_DIR", dir.state())
        .env("CHATCAPTAIN_API_KEY", other_key)
        .args(["contacts", "import", arg(&input), "--chatbot", "other"])
        .args(["--rejects", arg(&rejects_file), "--parallel", "8"])
        .assert()
        .code(1);
    assert_eq!(stdout_of(&out).len(), 40);
    assert_eq!(fake.server.contact_count("other"), 40);
    let rejected = rejects(&rejects_file);
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["line"], 42);
    assert!(rejected[0]["error"].as_str().unwrap().contains("3 cells"));
}

#[test]
fn a_record_whose_answer_was_lost_is_reported_unknown_and_not_sent_again_by_a_rerun() {
    let fake = fake_with_fault(Fault::drop_connection().on(Route::CreateContact).nth(1));
    let dir = Dir::new();
    let input = dir.file("in.ndjson", &records("lost", 1));
    let rejects_file = dir.path("rejects.ndjson");
    import_with_rejects(&fake, &dir, &input, &rejects_file)
        .assert()
        .code(1);
    // The fake did create it before cutting the answer: one request, one contact, reported.
    assert_eq!(fake.server.request_count(Route::CreateContact), 1);
    assert_eq!(fake.server.contact_count(BOT), 1);
    assert_eq!(rejects(&rejects_file)[0]["outcome"], "unknown");

    // The same command again: still reported, still not sent.
    import_with_rejects(&fake, &dir, &input, &rejects_file)
        .assert()
        .code(1);
    assert_eq!(fake.server.request_count(Route::CreateContact), 1);
    let rejected = rejects(&rejects_file);
    assert_eq!(
        (rejected.len(), rejected[0]["outcome"].as_str()),
        (1, Some("unknown"))
    );
    assert_eq!(rejected[0]["record"]["name"], "lost1");
}

#[test]
fn csv_lines_are_counted_as_an_editor_shows_them_with_crlf_blank_lines_and_quoted_breaks() {
    let (fake, created, rejected) = import_partly(
        "in.csv",
        "name,language\r\n\r\nAda,EN\r\n\r\n\r\nbad,row,extra\r\n\"Two\r\nlines\",DE\r\nNo language,\r\nGrace,EN\r\n",
    );
    let mut created: Vec<(u64, String)> = created
        .iter()
        .map(|c| {
            let id = c["id"].as_str().unwrap();
            let name = fake.server.contact(BOT, id).unwrap().name.unwrap();
            (c["line"].as_u64().unwrap(), name)
        })
        .collect();
    created.sort();
    let expected = [(3, "Ada"), (7, "Two\nlines"), (10, "Grace")];
    assert_eq!(created, expected.map(|(n, s)| (n, s.to_owned())));
    assert_eq!(lines_of(&rejected), [6, 9]);
}

#[test]
fn ndjson_lines_with_crlf_and_blank_lines_keep_their_numbers() {
    let (_fake, created, rejected) = import_partly(
        "in.ndjson",
        "{\"language\":\"EN\",\"name\":\"a\"}\r\n\r\n{\"name\":\"b\"}\r\n\r\n{\"language\":\"EN\",\"name\":\"c\"}\r\n",
    );
    assert_eq!(lines_of(&created), [1, 5]);
    assert_eq!(rejected[0]["line"], 3);
}

#[test]
fn the_first_request_goes_out_while_stdin_is_still_open() {
    use std::io::Write;
    use std::process::Stdio;

    let (fake, dir) = empty_chatbot();
    let mut child = import_process(&fake, &dir, &["-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(records("early", 1).as_bytes()).unwrap();
    stdin.flush().unwrap();
    // The input is not over (stdin stays open), yet its first record is created. Should it
    // never be, the panic drops stdin, which ends the child.
    wait_for("nothing was created while stdin stayed open", || {
        fake.server.contact_count(BOT) > 0
    });
    stdin.write_all(records("late", 1).as_bytes()).unwrap();
    drop(stdin);
    assert!(child.wait().unwrap().success());
    assert_eq!(names(&fake, BOT), ["early1", "late1"]);
}

#[test]
fn rejects_naming_the_input_is_refused_before_the_input_is_emptied() {
    let (fake, dir) = empty_chatbot();
    let input = dir.file("in.ndjson", &records("r", 2));
    let out = import_with_rejects(&fake, &dir, &input, &input)
        .assert()
        .code(2);
    assert_stderr_says(&out, "is the input");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), records("r", 2));
}
