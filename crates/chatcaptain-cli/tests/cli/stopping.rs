//! Stopping early: Ctrl-C during an export, and a reader that closes the pipe.

use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use chatcaptain_fake::{FakeServer, Fault, Route};

use crate::common::{BOT, Fake, KEY, fake, fake_with, ids, isolated, ndjson};

const DEADLINE: Duration = Duration::from_secs(15);

fn export(fake: &Fake, page_size: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chatcaptain"));
    isolated(&mut cmd);
    cmd.env("CHATCAPTAIN_API_KEY", KEY)
        .args(["--base-url", &fake.server.base_url()])
        .args(["contacts", "list", "--all", "--output", "ndjson"])
        .args(["--page-size", page_size, "--chatbot", BOT])
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Waits for `child` to exit, killing it if it has not by the deadline.
pub fn wait(child: &mut Child) -> ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > DEADLINE {
            child.kill().unwrap();
            panic!("chatcaptain did not exit within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn ctrl_c_during_an_export_leaves_whole_records_and_exits_130() {
    // Slow pages, so that the export is still running when the signal comes.
    let fake = fake_with(
        FakeServer::builder()
            .seed_contacts(BOT, 10_000)
            .fault(Fault::latency(Duration::from_millis(20)).on(Route::ListContacts)),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("contacts.ndjson");
    let file = std::fs::File::create(&path).unwrap();
    let mut child = export(&fake, "20").stdout(file).spawn().unwrap();

    let start = Instant::now();
    while std::fs::read(&path)
        .unwrap()
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        < 40
    {
        assert!(start.elapsed() < DEADLINE, "no output within {DEADLINE:?}");
        assert!(
            child.try_wait().unwrap().is_none(),
            "exited before the signal"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let status = wait(&mut child);

    assert_eq!(status.code(), Some(130));
    let written = std::fs::read(&path).unwrap();
    assert!(written.ends_with(b"\n"), "the last record is cut short");
    let ids = ids(&ndjson(&written));
    assert!(
        ids.len() >= 40 && ids.len() < 10_000,
        "{} records",
        ids.len()
    );
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(stderr.contains("interrupted after"), "{stderr}");
}

#[test]
fn a_reader_closing_the_pipe_ends_the_export_quietly() {
    let fake = fake(3_000);
    let mut child = export(&fake, "1000")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here, like `head -1` exiting.
    assert!(first.contains("\"id\""));
    let status = wait(&mut child);
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert!(status.success(), "{status:?}: {stderr}");
    assert_eq!(stderr, "");
}
