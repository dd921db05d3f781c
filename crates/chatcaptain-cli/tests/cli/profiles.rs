//! Profiles in the config file, and the order in which flags, variables, the profile and the
//! defaults are taken.

use predicates::prelude::*;

#[cfg(unix)]
use crate::common::chmod;
use crate::common::{
    BOT, Fake, Home, KEY, assert_exits, assert_usage_error, bot_profile, fake, home_with_default,
    printed_records, profile_toml, refused_url,
};

/// The chatbot in the path of the requests the fake has seen, each run of one chatbot once (a
/// listing may take two requests).
fn chatbots_asked(fake: &Fake) -> Vec<String> {
    let mut chatbots: Vec<String> = fake
        .server
        .requests()
        .iter()
        .map(|r| r.path.split('/').nth(3).unwrap_or_default().to_owned())
        .collect();
    chatbots.dedup();
    chatbots
}

/// A fake holding one contact, and a home whose `default` profile points at it.
fn configured() -> (Fake, Home) {
    let fake = fake(1);
    let home = home_with_default(&fake, "");
    (fake, home)
}

/// Nothing was sent while `path` was too open; with `mode`, the listing goes through.
#[cfg(unix)]
fn assert_lists_once_fixed(fake: &Fake, home: &Home, path: &std::path::Path, mode: u32) {
    assert!(fake.server.requests().is_empty());
    chmod(path, mode);
    home.list_contacts().assert().success();
}

#[test]
fn the_default_profile_gives_key_chatbot_and_base_url() {
    let fake = fake(3);
    let home = home_with_default(&fake, "");
    assert_eq!(printed_records(home.list_contacts()).len(), 3);
}

#[test]
fn profile_flag_and_variable_select_a_named_profile() {
    let fake = fake(2);
    let home = Home::new();
    let good = home.key_file("shop.key", KEY);
    let wrong = home.key_file("other.key", "not-the-key");
    let url = fake.server.base_url();
    home.write_config(&format!(
        "{}\n{}",
        profile_toml(
            "default",
            &[
                ("chatbot", "other"),
                ("key_file", wrong.to_str().unwrap()),
                ("base_url", &url)
            ]
        ),
        bot_profile("shop", &good, &url),
    ));
    home.cli()
        .args(["--profile", "shop", "contacts", "list"])
        .assert()
        .success();
    // Without a name, `default`, whose key the fake refuses.
    home.list_contacts().assert().code(3);
    home.list_contacts()
        .env("CHATCAPTAIN_PROFILE", "shop")
        .assert()
        .success();
    assert_eq!(chatbots_asked(&fake), [BOT, "other", BOT]);
}

#[test]
fn the_chatbot_comes_from_the_flag_then_the_variable_then_the_profile() {
    let (fake, home) = configured();
    // The key belongs to BOT: the other chatbots are asked, and refused (exit 3).
    home.cli()
        .env("CHATCAPTAIN_CHATBOT", "from-env")
        .args(["contacts", "list", "--chatbot", "from-flag"])
        .assert()
        .code(3);
    home.list_contacts()
        .env("CHATCAPTAIN_CHATBOT", "from-env")
        .assert()
        .code(3);
    home.list_contacts().assert().success();
    assert_eq!(chatbots_asked(&fake), ["from-flag", "from-env", BOT]);
}

#[test]
fn the_base_url_comes_from_the_flag_then_the_variable_then_the_profile() {
    let fake = fake(1);
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    home.write_config(&bot_profile("default", &key_file, &refused_url()));
    // Only the fake answers: each run succeeds only if the setting that should win did.
    home.cli()
        .env("CHATCAPTAIN_BASE_URL", refused_url())
        .args(["--base-url", &fake.server.base_url(), "contacts", "list"])
        .assert()
        .success();
    home.list_contacts()
        .env("CHATCAPTAIN_BASE_URL", fake.server.base_url())
        .assert()
        .success();
    assert_exits(home.list_contacts(), 1, "error sending request");
}

#[test]
fn the_key_comes_from_the_flag_then_the_variable_then_the_profile() {
    let fake = fake(1);
    let home = Home::new();
    let wrong = home.key_file("wrong.key", "not-the-key");
    let good = home.key_file("good.key", KEY);
    let url = fake.server.base_url();
    let with_key_file = |file: &std::path::Path| {
        home.write_config(&bot_profile("default", file, &url));
    };
    with_key_file(&wrong);
    home.cli()
        .env("CHATCAPTAIN_API_KEY", "not-the-key")
        .args(["contacts", "list", "--api-key-file", good.to_str().unwrap()])
        .assert()
        .success();
    home.list_contacts()
        .env("CHATCAPTAIN_API_KEY", KEY)
        .assert()
        .success();
    with_key_file(&good);
    home.list_contacts().assert().success();
}

#[test]
fn a_profile_named_by_the_flag_comes_before_the_variables() {
    let fake = fake(1);
    let home = Home::new();
    let key_file = home.key_file("shop.key", KEY);
    home.write_config(&bot_profile("shop", &key_file, &fake.server.base_url()));
    let leftovers = [
        ("CHATCAPTAIN_API_KEY", "not-the-key".to_owned()),
        ("CHATCAPTAIN_BASE_URL", refused_url()),
        ("CHATCAPTAIN_CHATBOT", "from-env".to_owned()),
    ];
    home.cli()
        .envs(leftovers.clone())
        .args(["--profile", "shop", "contacts", "list"])
        .assert()
        .success();
    assert_eq!(chatbots_asked(&fake), [BOT]);
    // Named by the variable, the profile comes after the other variables, as in the AWS CLI.
    assert_exits(
        home.list_contacts()
            .envs(leftovers)
            .env("CHATCAPTAIN_PROFILE", "shop"),
        1,
        "error sending request",
    );
}

#[test]
fn an_unknown_profile_is_an_error_listing_the_profiles_and_the_file() {
    let home = Home::new();
    let file = home.write_config(&format!(
        "{}{}",
        profile_toml("default", &[("chatbot", BOT)]),
        profile_toml("shop", &[("chatbot", BOT)])
    ));
    home.cli()
        .args(["--profile", "shpo", "contacts", "list"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "error: unknown profile 'shpo' in {} (it has default, shop)\n",
            file.display()
        ));
}

#[test]
fn an_unknown_profile_without_a_config_file_says_how_to_create_it() {
    let home = Home::new();
    home.list_contacts()
        .env("CHATCAPTAIN_PROFILE", "shop")
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown profile 'shop'")
                .and(predicate::str::contains(
                    home.config_file().to_str().unwrap(),
                ))
                .and(predicate::str::contains(
                    "chatcaptain configure --profile shop",
                )),
        );
}

#[test]
fn a_malformed_config_file_is_an_error_naming_the_file_and_the_line() {
    let home = Home::new();
    let file = home.write_config("[profiles.default]\nchatbot = \"bot1\"\nkey_file = /no/quotes\n");
    home.list_contacts()
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(format!(
            "error: the config file {}, line 3, column 12: ",
            file.display()
        )));
}

#[test]
fn a_key_written_into_the_config_file_is_refused_and_not_printed() {
    let home = Home::new();
    home.write_config(&profile_toml(
        "default",
        &[("chatbot", BOT), ("api_key", KEY)],
    ));
    let out = home
        .list_contacts()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("line 3").and(predicate::str::contains("api_key")));
    assert!(!String::from_utf8_lossy(&out.get_output().stderr).contains(KEY));
}

#[test]
fn a_relative_key_file_is_found_next_to_the_config_file() {
    let fake = fake(1);
    let home = Home::new();
    let config = home.write_config(&bot_profile("default", "bot1.key", &fake.server.base_url()));
    let key_file = home.key_file("bot1.key", KEY);
    std::fs::rename(&key_file, config.with_file_name("bot1.key")).unwrap();
    home.list_contacts().assert().success();
}

#[test]
fn without_xdg_config_home_the_config_is_in_dot_config_under_home() {
    let (_fake, home) = configured();
    let dot_config = home.path().join(".config");
    std::fs::rename(home.xdg_config_home(), &dot_config).unwrap();
    home.list_contacts()
        .env_remove("XDG_CONFIG_HOME")
        .assert()
        .success();
    // A relative XDG_CONFIG_HOME is invalid, and ignored as the XDG spec says.
    home.list_contacts()
        .env("XDG_CONFIG_HOME", "relative/dir")
        .assert()
        .success();
}

#[test]
fn chatcaptain_config_dir_moves_the_config_and_wins_over_xdg_config_home() {
    let (_fake, home) = configured();
    let moved = home.path().join("moved");
    std::fs::rename(home.config_file().parent().unwrap(), &moved).unwrap();
    // Without the variable, XDG_CONFIG_HOME holds no config: no profile, so no chatbot.
    assert_usage_error(home.list_contacts(), "chatbot");
    home.list_contacts()
        .env("CHATCAPTAIN_CONFIG_DIR", &moved)
        .assert()
        .success();
    // `configure` writes there too, and nothing under XDG_CONFIG_HOME.
    let key_file = home.key_file("bot2.key", KEY);
    home.cli()
        .env("CHATCAPTAIN_CONFIG_DIR", &moved)
        .args([
            "configure",
            "--profile",
            "other",
            "--chatbot",
            BOT,
            "--key-file",
        ])
        .arg(&key_file)
        .assert()
        .success();
    let written = std::fs::read_to_string(moved.join("config.toml")).unwrap();
    assert!(written.contains("[profiles.other]"), "{written}");
    assert!(!home.config_file().exists());
}

#[cfg(unix)]
#[test]
fn a_profiles_key_file_readable_by_others_is_refused_naming_the_profile() {
    let (fake, home) = configured();
    let key_file = home.path().join("bot1.key");
    chmod(&key_file, 0o644);
    let path = key_file.display();
    home.list_contacts().assert().code(2).stderr(
        predicate::str::contains(format!(
            "permissions 0644 for '{path}' are too open; run chmod 600 {path}"
        ))
        .and(predicate::str::contains("profile 'default'")),
    );
    assert!(fake.server.requests().is_empty());
}

#[test]
fn a_missing_chatbot_says_where_one_can_come_from() {
    let fake = fake(1);
    let home = Home::new();
    home.cli()
        .env("CHATCAPTAIN_API_KEY", KEY)
        .args(["--base-url", &fake.server.base_url(), "contacts", "list"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("no chatbot: pass --chatbot ID, set CHATCAPTAIN_CHATBOT")
                .and(predicate::str::contains("chatcaptain configure")),
        );
}

/// `contacts list` from `home` exits 2, naming `path`, its `mode` and the `chmod` that fixes it.
#[cfg(unix)]
fn assert_refused_as_too_open(home: &Home, path: &std::path::Path, mode: u32) {
    let shown = path.display();
    home.list_contacts().assert().code(2).stderr(
        predicate::str::contains(format!("permissions {mode:04o} for '{shown}'"))
            .and(predicate::str::contains(format!("run chmod go-w {shown}"))),
    );
}

// The tests run as whoever runs cargo, so they cannot make a file another user's (only root could,
// and then root-owned files count as the user's, as in ssh): they test the modes.
#[cfg(unix)]
#[test]
fn a_config_file_others_or_the_group_can_write_is_refused_and_nothing_is_sent() {
    let (fake, home) = configured();
    let file = home.config_file();
    for mode in [0o666, 0o646, 0o664, 0o620] {
        chmod(&file, mode);
        assert_refused_as_too_open(&home, &file, mode);
    }
    assert_lists_once_fixed(&fake, &home, &file, 0o644);
}

#[cfg(unix)]
#[test]
fn a_config_file_in_a_directory_others_can_write_is_refused() {
    // Whoever can write the directory can put another config.toml in the file's place.
    let (fake, home) = configured();
    let dir = home.config_file().parent().unwrap().to_owned();
    chmod(&dir, 0o777);
    assert_refused_as_too_open(&home, &dir, 0o777);
    // `configure` does not edit it either, nor does `configure list` show it.
    home.cli()
        .args(["configure", "--chatbot", "other"])
        .assert()
        .code(2);
    home.cli().args(["configure", "list"]).assert().code(2);
    assert_lists_once_fixed(&fake, &home, &dir, 0o755);
}

#[cfg(unix)]
#[test]
fn a_linked_config_file_is_checked_where_it_really_is() {
    let (fake, home) = configured();
    let file = home.config_file();
    let elsewhere = home.path().join("dotfiles");
    std::fs::create_dir(&elsewhere).unwrap();
    let real = elsewhere.join("config.toml");
    std::fs::rename(&file, &real).unwrap();
    std::os::unix::fs::symlink(&real, &file).unwrap();
    home.list_contacts().assert().success();
    let sent = fake.server.requests().len();
    chmod(&elsewhere, 0o757);
    assert_refused_as_too_open(&home, &elsewhere, 0o757);
    assert_eq!(fake.server.requests().len(), sent);
}
