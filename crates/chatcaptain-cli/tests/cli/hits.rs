//! A search says how many hits there are in all (its `found`): under a table, in the note about
//! the limit, and in the progress bar.

use predicates::prelude::*;

use crate::common::{fake, printed_text};

/// Matches every seeded contact: each has an e-mail at example.com.
const EVERYONE: &str = "example.com";

#[test]
fn a_search_table_ends_with_how_many_hits_of_how_many() {
    let fake = fake(12);
    let text = printed_text(fake.contacts(&["search", EVERYONE, "--limit", "3", "-o", "table"]));
    assert!(text.ends_with("┘\n3 of 12 hits\n"), "{text}");
}

#[test]
fn a_search_in_a_format_for_programs_has_no_footer() {
    let fake = fake(12);
    let text = printed_text(fake.contacts(&["search", EVERYONE, "--limit", "3", "-o", "csv"]));
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(!text.contains("hits"), "{text}");
}

#[test]
fn a_search_cut_short_by_the_default_limit_says_how_many_hits_there_are() {
    let fake = fake(60);
    fake.contacts(&["search", EVERYONE])
        .assert()
        .success()
        .stderr("showing the first 50 of 60 hits; --limit N or --all for more\n");
}

#[test]
fn a_search_with_exactly_the_default_limit_of_hits_does_not_offer_more() {
    let fake = fake(50);
    let out = fake
        .contacts(&["search", EVERYONE])
        .assert()
        .success()
        .stderr("");
    assert_eq!(
        String::from_utf8_lossy(&out.get_output().stdout)
            .lines()
            .count(),
        50
    );
}

#[test]
fn a_list_which_does_not_count_still_offers_more_at_the_default_limit() {
    let fake = fake(50);
    fake.contacts(&["list"])
        .assert()
        .success()
        .stderr(predicate::str::contains("showing the first 50 contacts;"));
}

/// The progress bar is drawn only on a terminal: stderr here is a pseudo-terminal's.
#[cfg(unix)]
#[test]
fn the_progress_bar_on_a_terminal_shows_the_number_of_hits() {
    use std::io::Read;
    use std::process::Stdio;

    let fake = fake(40);
    let (mut master, slave) = {
        let size = nix::pty::Winsize {
            ws_row: 24,
            ws_col: 200,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        let pty = nix::pty::openpty(&size, None).expect("openpty");
        (std::fs::File::from(pty.master), pty.slave)
    };
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_chatcaptain"));
    crate::common::isolated(&mut cmd);
    let mut child = cmd
        .env("CHATCAPTAIN_API_KEY", crate::common::KEY)
        .args([
            "--base-url",
            &fake.server.base_url(),
            "contacts",
            "search",
            EVERYONE,
        ])
        .args([
            "--chatbot",
            crate::common::BOT,
            "--limit",
            "20",
            "--page-size",
            "5",
        ])
        .args(["-o", "ndjson"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::from(slave))
        .spawn()
        .unwrap();
    // The command keeps its copy of the terminal's other end until dropped; then the child holds
    // the only one, and when it exits, reading ends (EIO on Linux).
    drop(cmd);
    let mut drawn = Vec::new();
    let _ = master.read_to_end(&mut drawn);
    assert!(child.wait().unwrap().success());
    let drawn = String::from_utf8_lossy(&drawn);
    assert!(drawn.contains("contacts of 40 hits"), "{drawn:?}");
}
