//! `configure`: saving profiles in the config file, and `configure list`.

use predicates::prelude::*;

use crate::common::{BOT, Home, KEY, assert_usage_error, fake, printed_records, profile_toml};

/// `chatcaptain configure --chatbot bot1 --key-file KEY_FILE` from `home`.
fn configure_bot1(home: &Home, key_file: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = home.cli();
    cmd.args(["configure", "--chatbot", BOT, "--key-file"])
        .arg(key_file);
    cmd
}

#[test]
fn configure_saves_a_profile_that_the_next_run_uses() {
    let fake = fake(2);
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    assert!(!home.config_file().parent().unwrap().exists());
    configure_bot1(&home, &key_file)
        .args(["--base-url", &fake.server.base_url()])
        .assert()
        .success()
        .stdout(format!(
            "Saved profile 'default' in {}.\n",
            home.config_file().display()
        ));
    let text = std::fs::read_to_string(home.config_file()).unwrap();
    assert!(!text.contains(KEY), "the key itself was saved:\n{text}");
    assert_eq!(printed_records(home.list_contacts()).len(), 2);
}

#[test]
fn configure_stores_the_key_file_as_an_absolute_path() {
    let home = Home::new();
    home.key_file("bot1.key", KEY);
    home.cli()
        .current_dir(home.path())
        .args(["configure", "--profile", "shop", "--chatbot", BOT])
        .args(["--key-file", "bot1.key"])
        .assert()
        .success();
    let text = std::fs::read_to_string(home.config_file()).unwrap();
    let absolute = home.path().join("bot1.key");
    assert!(
        text.contains(&profile_toml(
            "shop",
            &[("chatbot", BOT), ("key_file", absolute.to_str().unwrap())]
        )),
        "{text}"
    );
}

#[test]
fn configure_keeps_other_profiles_comments_and_the_settings_not_given() {
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    let before = format!(
        "# Shops, one chatbot each.\n{}\n# Staging: ask Ada.\n{}",
        profile_toml("shop", &[("chatbot", "s1"), ("key_file", "/k/s1")]),
        profile_toml(
            "staging",
            &[("chatbot", "s2"), ("key_file", key_file.to_str().unwrap())]
        ),
    );
    home.write_config(&before);
    home.cli()
        .args([
            "--profile",
            "staging",
            "configure",
            "--base-url",
            "http://127.0.0.1:8080",
        ])
        .assert()
        .success();
    let after = std::fs::read_to_string(home.config_file()).unwrap();
    assert_eq!(
        after,
        format!("{before}base_url = \"http://127.0.0.1:8080\"\n")
    );
    // An empty base URL removes it: the profile goes back to the default.
    home.cli()
        .args(["configure", "--profile", "staging", "--base-url", ""])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(home.config_file()).unwrap(), before);
}

#[test]
fn configure_writes_the_profile_the_variable_names_and_no_variables_values() {
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    configure_bot1(&home, &key_file)
        .env("CHATCAPTAIN_PROFILE", "shop")
        .env("CHATCAPTAIN_BASE_URL", "http://127.0.0.1:9")
        .env("CHATCAPTAIN_CHATBOT", "from-env")
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(home.config_file()).unwrap(),
        profile_toml(
            "shop",
            &[("chatbot", BOT), ("key_file", key_file.to_str().unwrap())]
        )
    );
}

#[test]
fn a_new_profile_needs_a_chatbot_and_a_key_file() {
    let home = Home::new();
    home.cli()
        .args(["configure", "--profile", "shop", "--chatbot", BOT])
        .assert()
        .code(2)
        .stderr("error: profile 'shop' is new: it needs --chatbot ID and --key-file PATH\n");
    assert!(!home.config_file().exists());
}

#[test]
fn configure_without_a_setting_is_a_usage_error() {
    assert_usage_error(Home::new().cli().arg("configure"), "nothing to configure");
}

#[test]
fn configure_refuses_a_base_url_the_client_would_refuse() {
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    configure_bot1(&home, &key_file)
        .args(["--base-url", "http://api.example.com"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("http://api.example.com")
                .and(predicate::str::contains("https")),
        );
    assert!(!home.config_file().exists());
}

#[test]
fn configure_refuses_a_missing_key_file() {
    let home = Home::new();
    let missing = home.path().join("no.key");
    configure_bot1(&home, &missing)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(missing.to_str().unwrap()));
    assert!(!home.config_file().exists());
}

#[cfg(unix)]
#[test]
fn configure_refuses_a_key_file_readable_by_others() {
    use crate::common::chmod;

    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    chmod(&key_file, 0o644);
    assert_usage_error(
        configure_bot1(&home, &key_file),
        format!("permissions 0644 for '{}' are too open", key_file.display()),
    );
    assert!(!home.config_file().exists());
}

#[test]
fn configure_leaves_a_malformed_config_file_as_it_is_and_names_the_line() {
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    let broken = "[profiles.shop]\nchatbot = \"s1\"\n[profiles.shop\n";
    let file = home.write_config(broken);
    configure_bot1(&home, &key_file)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(format!(
            "error: the config file {}, line 3,",
            file.display()
        )));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), broken);
}

#[test]
fn configure_replaces_the_file_leaving_nothing_beside_it() {
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    for bot in ["b1", "b2"] {
        home.cli()
            .args(["configure", "--chatbot", bot, "--key-file"])
            .arg(&key_file)
            .assert()
            .success();
    }
    let dir = home.config_file().parent().unwrap().to_owned();
    let names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, ["config.toml"]);
}

#[cfg(unix)]
#[test]
fn configure_edits_a_linked_config_file_where_it_is() {
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    let real = home.path().join("dotfiles").join("chatcaptain.toml");
    std::fs::create_dir_all(real.parent().unwrap()).unwrap();
    let mine = format!("# mine\n{}", profile_toml("shop", &[("chatbot", "s1")]));
    std::fs::write(&real, &mine).unwrap();
    std::fs::create_dir_all(home.config_file().parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(&real, home.config_file()).unwrap();
    configure_bot1(&home, &key_file).assert().success();
    assert!(home.config_file().symlink_metadata().unwrap().is_symlink());
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.starts_with(&mine) && text.contains("chatbot = \"bot1\""),
        "{text}"
    );
}

#[test]
fn configure_list_shows_the_profiles_and_no_key() {
    let home = Home::new();
    let key_file = home.key_file("bot1.key", KEY);
    for (profile, bot) in [("default", BOT), ("shop", "s1")] {
        home.cli()
            .args([
                "configure",
                "--profile",
                profile,
                "--chatbot",
                bot,
                "--key-file",
            ])
            .arg(&key_file)
            .assert()
            .success();
    }
    let rows = printed_records(home.cli().args(["configure", "list", "-o", "ndjson"]));
    let names: Vec<_> = rows.iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["default", "shop"]);
    assert_eq!(rows[1]["chatbot"], "s1");
    assert_eq!(rows[1]["key_file"], key_file.to_str().unwrap());
    for format in ["table", "csv", "json"] {
        let out = home
            .cli()
            .args(["configure", "list", "-o", format])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("shop") && !text.contains(KEY),
            "{format}: {text}"
        );
    }
}
