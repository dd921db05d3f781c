//! `--checkpoint` runs the way unattended jobs end: Ctrl-C, a kill, a failed request, an odd
//! record, two runs at once, a contact dated ahead of the clock, a file that is no checkpoint.

use std::collections::HashSet;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chatcaptain_fake::{FakeServer, Fault, Route};
use chrono::{TimeDelta, Utc};

use crate::common::*;
use crate::stopping::wait;

const CONTACTS: u64 = 223;
const PAGE: usize = 20;

/// `contacts list --all --checkpoint FILE -o ndjson --page-size 20`, as a child process
/// appending to `out`.
fn sync_child(fake: &Fake, file: &str, out: &std::path::Path) -> std::process::Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chatcaptain"));
    isolated(&mut cmd);
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(out)
        .unwrap();
    cmd.env("CHATCAPTAIN_API_KEY", KEY)
        .args(["--base-url", &fake.server.base_url()])
        .args(["contacts", "list", "--all", "--output", "ndjson"])
        .args(["--checkpoint", file, "--page-size", &PAGE.to_string()])
        .args(["--chatbot", BOT])
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn lines(path: &std::path::Path) -> usize {
    std::fs::read(path)
        .unwrap_or_default()
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Runs a sync, stops it with `signal` once `after` records are out, then runs it to the end;
/// returns every id written (in order) and how many the stopped run wrote.
fn stopped_then_rerun(signal: nix::sys::signal::Signal, after: usize) -> (Vec<String>, usize) {
    // Slow pages, so the run is still going when the signal comes.
    let fake = fake_with(
        FakeServer::builder()
            .seed_contacts(BOT, CONTACTS)
            .fault(Fault::latency(Duration::from_millis(15)).on(Route::ListContacts)),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sync.checkpoint");
    let file = file.to_str().unwrap();
    let out = dir.path().join("contacts.ndjson");
    let mut child = sync_child(&fake, file, &out);
    let start = Instant::now();
    while lines(&out) < after {
        assert!(start.elapsed() < Duration::from_secs(15), "no output");
        assert!(
            child.try_wait().unwrap().is_none(),
            "ended before the signal"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(child.id() as i32), signal).unwrap();
    let status = wait(&mut child);
    if signal == nix::sys::signal::Signal::SIGINT {
        assert_eq!(status.code(), Some(130));
    }
    let first = lines(&out);
    assert!(
        first < CONTACTS as usize,
        "the run was through before the signal"
    );

    let mut rerun = sync_child(&fake, file, &out);
    let status = wait(&mut rerun);
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut rerun.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(stderr.contains("resuming the interrupted run"), "{stderr}");
    (ids(&ndjson(&std::fs::read(&out).unwrap())), first)
}

#[test]
fn ctrl_c_then_the_same_command_writes_every_contact_exactly_once() {
    let (ids, first) = stopped_then_rerun(nix::sys::signal::Signal::SIGINT, 50);
    assert!(first >= 50);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), CONTACTS as usize, "contacts missing");
    assert_eq!(ids.len(), CONTACTS as usize, "contacts written twice");
}

#[test]
fn a_kill_then_the_same_command_repeats_at_most_one_page_size_and_misses_nothing() {
    let (ids, _) = stopped_then_rerun(nix::sys::signal::Signal::SIGKILL, 70);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), CONTACTS as usize, "contacts missing");
    assert!(
        ids.len() <= CONTACTS as usize + PAGE,
        "{} written again, more than the page size {PAGE}",
        ids.len() - CONTACTS as usize
    );
}

#[test]
fn a_failed_run_saves_its_progress_and_the_next_writes_only_the_rest() {
    let fake = fake(CONTACTS);
    fake.server
        .add_fault(Fault::status(403).on(Route::ListContacts).nth(3));
    let (_dir, file) = temp_path("sync.checkpoint");
    let file = file.to_str().unwrap();
    let page = PAGE.to_string();
    let args = [
        "list",
        "--all",
        "--checkpoint",
        file,
        "--page-size",
        &page,
        "-o",
        "ndjson",
    ];
    let failed = fake.contacts(&args).assert().code(3);
    let mut all = ids(&stdout_of(&failed));
    assert!(!all.is_empty());
    let rest = fake.contacts(&args).assert().success();
    all.extend(ids(&stdout_of(&rest)));
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), CONTACTS as usize);
    assert_eq!(all.len(), CONTACTS as usize, "contacts written twice");
}

#[test]
fn an_odd_record_is_reported_and_the_checkpoint_still_moves_past_the_good_ones() {
    let (_runtime, server) = odd_record_server();
    let (_dir, file) = temp_path("sync.checkpoint");
    let sync = || {
        let mut cmd = bare();
        cmd.env("CHATCAPTAIN_API_KEY", KEY)
            .args(["--base-url", &server.uri(), "contacts", "list", "--all"])
            .args(["--checkpoint", file.to_str().unwrap(), "-o", "ndjson"])
            .args(["--chatbot", BOT]);
        cmd
    };
    let first = sync().assert().code(1);
    assert_eq!(ids(&stdout_of(&first)), ["c3", "c1"]);
    let stderr = stderr_of(&first);
    assert!(
        stderr.contains(r#""age":42"#),
        "the odd record as sent: {stderr}"
    );
    // The next run does not print the good ones again.
    let second = sync().assert().success();
    assert!(second.get_output().stdout.is_empty());
}

#[test]
fn a_second_run_on_a_checkpoint_in_use_fails_at_once() {
    let fake = fake(5);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sync.checkpoint");
    // Another run holds the lock.
    let lock = std::fs::File::create(dir.path().join("sync.checkpoint.lock")).unwrap();
    lock.try_lock().unwrap();
    let out = fake
        .contacts(&["list", "--all", "--checkpoint", file.to_str().unwrap()])
        .assert()
        .code(2);
    let stderr = stderr_of(&out);
    assert!(stderr.contains("in use by another run"), "{stderr}");
    assert!(out.get_output().stdout.is_empty());
    assert!(!file.exists());
    drop(lock);
    fake.contacts(&["list", "--all", "--checkpoint", file.to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn a_file_that_is_not_a_checkpoint_is_refused_and_left_as_it_is() {
    let fake = fake(5);
    let (_dir, file) = temp_path("sync.checkpoint");
    let path = file.to_str().unwrap();
    for text in [
        "{}",
        "[]",
        "",
        r#"{"newest":null}"#,
        r#"{"newst":"2025-01-01T00:00:00Z"}"#,
    ] {
        std::fs::write(&file, text).unwrap();
        let out = fake
            .contacts(&["list", "--all", "--checkpoint", path, "-o", "ndjson"])
            .assert()
            .code(2);
        let stderr = stderr_of(&out);
        assert!(stderr.contains("is not a checkpoint"), "{text}: {stderr}");
        assert!(out.get_output().stdout.is_empty(), "{text}");
        assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
    }
    // Starting over is asked for, not assumed.
    assert_eq!(
        printed_records(fake.contacts(&[
            "list",
            "--all",
            "--checkpoint",
            path,
            "--from-start",
            "-o",
            "ndjson",
        ]))
        .len(),
        5
    );
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(saved["version"], 1);
}

#[test]
fn a_contact_dated_an_hour_ahead_is_written_once_and_does_not_hide_new_ones() {
    let fake = fake(10);
    let mut future = contact("FUTURE", "Marty");
    future.created = Utc::now() + TimeDelta::hours(1);
    fake.server.insert_contact(BOT, future);
    let (_dir, file) = temp_path("sync.checkpoint");
    let path = file.to_str().unwrap();
    let sync = || {
        fake.contacts(&["list", "--all", "--checkpoint", path, "-o", "ndjson"])
            .assert()
            .success()
    };
    let first = sync();
    assert_eq!(stdout_of(&first).len(), 11);
    let stderr = stderr_of(&first);
    assert!(
        stderr.contains("contact FUTURE is dated")
            && stderr.contains("ahead of this machine's clock"),
        "{stderr}"
    );
    let mut now = contact("NOW", "Ada");
    now.created = Utc::now();
    fake.server.insert_contact(BOT, now);
    let second = sync();
    assert_eq!(ids(&stdout_of(&second)), ["NOW"]);
}
