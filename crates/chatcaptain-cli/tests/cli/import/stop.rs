//! Ctrl-C during an import: no more records are sent, each one in flight is reported, exit 130.

use std::collections::HashSet;
use std::process::Stdio;
use std::time::Duration;

use chatcaptain_fake::{Fault, Route};

use super::*;

#[test]
fn ctrl_c_during_an_import_reports_each_record_in_flight_and_the_rerun_finishes_it() {
    // Slow creates, so that the signal comes while requests are out.
    let fake = fake_with_fault(Fault::latency(Duration::from_millis(300)).on(Route::CreateContact));
    let dir = Dir::new();
    let input = dir.file("in.ndjson", &records("r", 40));
    let stdout = dir.path("created.ndjson");
    let rejects_file = dir.path("rejects.ndjson");
    let args = [
        arg(&input),
        "--parallel",
        "4",
        "--rejects",
        arg(&rejects_file),
    ];
    let mut child = import_process(&fake, &dir, &args)
        .stdout(std::fs::File::create(&stdout).unwrap())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for("no request went out", || {
        fake.server.request_count(Route::CreateContact) >= 4
    });
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(child.id() as i32),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let status = child.wait().unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");

    // Every contact the server holds was reported created, and nothing else was sent.
    let reported: HashSet<String> = ids(&ndjson(&std::fs::read(&stdout).unwrap()))
        .into_iter()
        .collect();
    let created = fake.server.contact_count(BOT);
    assert!((4..40).contains(&created), "{created} created");
    assert_eq!(reported.len(), created);
    for id in &reported {
        assert!(fake.server.contact(BOT, id).is_some());
    }
    assert_eq!(fake.server.request_count(Route::CreateContact), created);
    assert!(rejects(&rejects_file).is_empty());

    // The same command again creates the rest, each once.
    fake.server.clear_faults();
    import(&fake, &dir, &[arg(&input)]).assert().success();
    let expected: Vec<String> = {
        let mut v: Vec<String> = (1..=40).map(|i| format!("r{i}")).collect();
        v.sort();
        v
    };
    assert_eq!(names(&fake, BOT), expected);
}
