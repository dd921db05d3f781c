//! The journal: keyed by each record's content, tied to its chatbot and server, found by default,
//! locked, and read whole even after a crash cut its last line.

use std::process::Stdio;
use std::time::Duration;

use chatcaptain_fake::{FakeServer, Fault, Route};

use super::*;

#[test]
fn a_journal_reused_with_another_file_creates_that_files_records() {
    let (fake, dir) = empty_chatbot();
    let journal = dir.path("shared.journal");
    let first = dir.file("first.ndjson", &records("first", 3));
    let second = dir.file("second.ndjson", &records("second", 3));
    for input in [&first, &second] {
        import(&fake, &dir, &[arg(input), "--journal", arg(&journal)])
            .assert()
            .success();
    }
    let expected = [
        "first1", "first2", "first3", "second1", "second2", "second3",
    ];
    assert_eq!(names(&fake, BOT), expected);
}

#[test]
fn records_the_server_rejected_are_sent_again_by_the_same_command() {
    // The first two creates are refused (the server was not ready for them).
    let fake = fake_with_fault(Fault::status(422).on(Route::CreateContact).times(2));
    let dir = Dir::new();
    let input = dir.file("in.ndjson", &records("r", 3));
    let out = import(&fake, &dir, &[arg(&input)]).assert().code(1);
    assert_eq!(stdout_of(&out).len(), 1);

    let out = import(&fake, &dir, &[arg(&input)]).assert().success();
    assert_eq!(stdout_of(&out).len(), 2);
    assert_stderr_says(&out, "resuming: 1 of 3 done");
    assert_eq!(names(&fake, BOT), ["r1", "r2", "r3"]);
    assert_eq!(fake.server.request_count(Route::CreateContact), 5);
}

#[test]
fn a_fixed_line_and_an_inserted_line_are_created_and_nothing_else_twice() {
    let (fake, dir) = empty_chatbot();
    let a = r#"{"language":"EN","name":"a"}"#;
    let c = r#"{"language":"EN","name":"c"}"#;
    let input = dir.file("in.ndjson", &format!("{a}\n{{\"name\":\"b\"}}\n{c}\n"));
    import(&fake, &dir, &[arg(&input)]).assert().code(1);
    assert_eq!(names(&fake, BOT), ["a", "c"]);

    // The user fixes b (it lacked a language) and puts a new record first: every line moves.
    let b = r#"{"language":"EN","name":"b"}"#;
    let x = r#"{"language":"EN","name":"x"}"#;
    std::fs::write(&input, format!("{x}\n{a}\n{b}\n{c}\n")).unwrap();
    assert_eq!(
        lines_of(&printed_records(import(&fake, &dir, &[arg(&input)]))),
        [1, 3]
    );
    assert_eq!(names(&fake, BOT), ["a", "b", "c", "x"]);
}

#[test]
fn identical_records_are_counted_so_each_occurrence_is_created_once() {
    let (fake, dir) = empty_chatbot();
    let twin = r#"{"language":"EN","name":"twin"}"#;
    let input = dir.file("in.ndjson", &format!("{twin}\n{twin}\n"));
    import(&fake, &dir, &[arg(&input)]).assert().success();
    // A third twin later in the file: only it is new.
    std::fs::write(
        &input,
        format!("{twin}\n{twin}\n{{\"language\":\"EN\",\"name\":\"other\"}}\n{twin}\n"),
    )
    .unwrap();
    import(&fake, &dir, &[arg(&input)]).assert().success();
    assert_eq!(names(&fake, BOT), ["other", "twin", "twin", "twin"]);
}

#[test]
fn a_journal_of_another_chatbot_or_server_is_refused() {
    let (fake, dir) = empty_chatbot();
    let journal = dir.path("import.journal");
    let input = dir.file("in.ndjson", &records("r", 2));
    let args = [arg(&input), "--journal", arg(&journal)];
    import(&fake, &dir, &args).assert().success();

    let out = fake
        .cli()
        .args(["contacts", "import"])
        .args(args)
        .args(["--chatbot", "other"])
        .assert()
        .code(2);
    assert_stderr_says(&out, "belongs to chatbot bot1");
    let elsewhere = fake_with(FakeServer::builder().chatbot(BOT));
    let out = import(&elsewhere, &dir, &args).assert().code(2);
    assert_stderr_says(&out, &fake.server.base_url());
    assert_eq!(fake.server.contact_count("other"), 0);
    assert_eq!(elsewhere.server.contact_count(BOT), 0);
}

#[test]
fn a_journal_keyed_by_line_numbers_is_refused() {
    let (fake, dir) = empty_chatbot();
    let journal = dir.file(
        "old.journal",
        "{\"line\":1,\"state\":\"created\",\"id\":\"X\"}\n",
    );
    let input = dir.file("in.ndjson", &records("r", 1));
    let out = import(&fake, &dir, &[arg(&input), "--journal", arg(&journal)])
        .assert()
        .code(2);
    assert_stderr_says(&out, "is not a journal");
    assert_eq!(fake.server.request_count(Route::CreateContact), 0);
}

#[test]
fn the_same_command_again_creates_nothing_and_no_journal_imports_again_on_purpose() {
    let (fake, dir) = empty_chatbot();
    let input = dir.file("in.ndjson", &records("r", 3));
    import(&fake, &dir, &[arg(&input)]).assert().success();
    assert_eq!(dir.journals().len(), 1, "a journal in the state directory");

    let out = import(&fake, &dir, &[arg(&input)]).assert().success();
    let stderr = stderr_of(&out);
    assert!(stderr.contains("resuming: 3 of 3 done"), "{stderr}");
    assert!(
        stderr.contains(dir.journals()[0].to_str().unwrap()),
        "{stderr}"
    );
    assert_eq!(fake.server.request_count(Route::CreateContact), 3);

    import(&fake, &dir, &[arg(&input), "--no-journal"])
        .assert()
        .success();
    assert_eq!(fake.server.contact_count(BOT), 6);
}

#[test]
fn stdin_again_resumes_from_the_journal_its_first_records_name_even_after_a_fix() {
    let (fake, dir) = empty_chatbot();
    let mut text = records("r", 20);
    text = text.replacen("\"language\":\"EN\",\"name\":\"r2\"", "\"name\":\"r2\"", 1);
    import(&fake, &dir, &["-"])
        .write_stdin(text.clone())
        .assert()
        .code(1);
    assert_eq!(fake.server.contact_count(BOT), 19);

    // r2 fixed: one of the first records differs, the journal is still found.
    let fixed = records("r", 20);
    let out = import(&fake, &dir, &["-"])
        .write_stdin(fixed)
        .assert()
        .success();
    assert_stderr_says(&out, "resuming: 19");
    assert_eq!(stdout_of(&out).len(), 1);
    assert_eq!(fake.server.contact_count(BOT), 20);
    assert_eq!(dir.journals().len(), 1);
}

#[test]
fn a_second_import_on_a_journal_in_use_fails_at_once() {
    let fake = fake_with_fault(Fault::latency(Duration::from_millis(100)).on(Route::CreateContact));
    let dir = Dir::new();
    let journal = dir.path("import.journal");
    let input = dir.file("in.ndjson", &records("r", 10));
    let args = [arg(&input), "--journal", arg(&journal), "--parallel", "1"];
    let mut running = import_process(&fake, &dir, &args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for("the first import sent nothing", || {
        fake.server.request_count(Route::CreateContact) > 0
    });
    let out = import(&fake, &dir, &args).assert().code(2);
    assert_stderr_says(&out, "in use by another run");
    assert!(running.wait().unwrap().success());
    assert_eq!(fake.server.request_count(Route::CreateContact), 10);
    assert_eq!(fake.server.contact_count(BOT), 10);
}

#[test]
fn a_journal_line_cut_by_a_crash_leaves_its_record_in_flight_and_the_next_entry_on_its_own_line() {
    let (fake, dir) = empty_chatbot();
    let journal = dir.path("import.journal");
    let input = dir.file("in.ndjson", &records("r", 3));
    let args = [arg(&input), "--journal", arg(&journal), "--parallel", "1"];
    import(&fake, &dir, &args).assert().success();

    // Killed runs: r2's answer never got into the journal, r3's line was cut while written.
    let text = std::fs::read_to_string(&journal).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let r3 = lines.remove(created_at(&lines, 3));
    lines.remove(created_at(&lines, 2));
    let mut cut = lines.join("\n");
    cut.push('\n');
    cut.push_str(&r3[..r3.len() / 2]);
    std::fs::write(&journal, &cut).unwrap();
    std::fs::write(&input, records("r", 4)).unwrap();

    let rejects_file = dir.path("rejects.ndjson");
    let out = import(
        &fake,
        &dir,
        &[&args[..], &["--rejects", arg(&rejects_file)]].concat(),
    )
    .assert()
    .code(1);
    assert_eq!(stdout_of(&out).len(), 1, "r4 only");
    let mut unknown: Vec<String> = rejects(&rejects_file)
        .iter()
        .map(|r| {
            assert_eq!(r["outcome"], "unknown");
            r["record"]["name"].as_str().unwrap().to_owned()
        })
        .collect();
    unknown.sort();
    assert_eq!(unknown, ["r2", "r3"]);
    assert_eq!(fake.server.request_count(Route::CreateContact), 4);
    assert_eq!(names(&fake, BOT), ["r1", "r2", "r3", "r4"]);

    // The cut line stays alone; the new run's entries each on a line of their own.
    let after = std::fs::read_to_string(&journal).unwrap();
    let cut_line = &r3[..r3.len() / 2];
    for line in after.lines().filter(|l| *l != cut_line) {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
    }
    assert!(after.contains(&format!("{cut_line}\n")));
}

/// Where the journal says the record of `line` was created.
fn created_at(lines: &[&str], line: u64) -> usize {
    let entry = |l: &&str| {
        let v: Value = serde_json::from_str(l).unwrap();
        v["state"] == "created" && v["line"] == line
    };
    lines.iter().position(entry).unwrap()
}
