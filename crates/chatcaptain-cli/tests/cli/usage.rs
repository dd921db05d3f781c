//! The help and usage text: what `--help` and a usage error say about each command.

use crate::common::{assert_contains, assert_lacks, bare, stderr_of};

/// Every command that takes arguments, as words after `chatcaptain`.
const COMMANDS: &[&[&str]] = &[
    &["contacts", "list"],
    &["contacts", "search"],
    &["contacts", "get"],
    &["contacts", "create"],
    &["contacts", "update"],
    &["contacts", "delete"],
    &["contacts", "organizations"],
    &["contacts", "import"],
    &["organizations", "list"],
    &["organizations", "search"],
    &["organizations", "create"],
    &["doctor"],
    &["configure"],
    &["completions"],
];

/// The `Usage:` line of `chatcaptain <command> --help`.
fn usage_line(command: &[&str]) -> String {
    let out = bare().args(command).arg("--help").output().unwrap();
    assert!(out.status.success(), "{command:?} --help failed: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|line| line.starts_with("Usage: "))
        .unwrap_or_else(|| panic!("no usage line for {command:?}"))
        .to_owned()
}

/// The text of `chatcaptain <command> --help`.
fn help(command: &[&str]) -> String {
    let out = bare().args(command).arg("--help").output().unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn get_usage_names_the_contact_id_apart_from_the_chatbot_id() {
    let usage = usage_line(&["contacts", "get"]);
    assert!(usage.ends_with(" <CONTACT_ID>"), "{usage}");
}

#[test]
fn no_usage_line_shows_the_same_placeholder_twice() {
    for command in COMMANDS {
        let usage = usage_line(command);
        let mut seen = Vec::new();
        for placeholder in usage.split_whitespace().filter(|w| w.starts_with('<')) {
            assert!(
                !seen.contains(&placeholder),
                "{placeholder} twice in {usage:?}"
            );
            seen.push(placeholder);
        }
    }
}

/// The line of `help` that describes `--language` (the one after the flag's own).
fn line_after_language(help: &str) -> &str {
    help.lines()
        .skip_while(|line| !line.contains("--language"))
        .nth(1)
        .unwrap_or_default()
}

#[test]
fn update_help_does_not_call_the_language_required() {
    let text = help(&["contacts", "update"]);
    let language = line_after_language(&text);
    assert!(language.contains("Language code"), "{text}");
    assert!(
        !text.to_lowercase().contains("required to create"),
        "{text}"
    );
    assert!(!language.contains("required"), "{text}");
}

#[test]
fn create_help_says_the_language_is_required() {
    let text = help(&["contacts", "create"]);
    let language = line_after_language(&text);
    assert!(language.contains("required"), "{text}");
}

#[test]
fn without_a_chatbot_no_usage_line_shows_optional_arguments_as_required() {
    let out = bare()
        .env("CHATCAPTAIN_API_KEY", "any")
        .args([
            "contacts",
            "list",
            "--limit",
            "3",
            "--base-url",
            "http://127.0.0.1:9",
        ])
        .assert()
        .code(2);
    let stderr = stderr_of(&out);
    assert!(stderr.starts_with("error: no chatbot: "), "{stderr}");
    assert_lacks(&stderr, &["<N>", "<URL>"]);
}

#[test]
fn a_usage_error_shows_the_commands_usage_line_not_the_arguments_given() {
    let cases: [(&[&str], &str); 3] = [
        (
            &[
                "--base-url",
                "http://127.0.0.1:9",
                "contacts",
                "search",
                "--limit",
                "3",
            ],
            "Usage: chatcaptain contacts search [OPTIONS] <QUERY>",
        ),
        (
            &["contacts", "get", "--chatbot", "bot1", "-o", "json"],
            "Usage: chatcaptain contacts get [OPTIONS] <CONTACT_ID>",
        ),
        (
            &["contacts", "list", "--limit", "3", "--all"],
            "Usage: chatcaptain contacts list [OPTIONS]",
        ),
    ];
    for (args, usage) in cases {
        let out = bare().args(args).assert().code(2);
        let stderr = stderr_of(&out);
        assert!(
            stderr.lines().any(|line| line == usage),
            "{args:?}:\n{stderr}"
        );
        assert_eq!(stderr.matches("Usage:").count(), 1, "{args:?}:\n{stderr}");
    }
}

#[test]
fn long_help_documents_where_each_setting_comes_from() {
    let text = help(&[]);
    assert_contains(
        &text,
        &[
            "API key     --api-key-file  CHATCAPTAIN_API_KEY     key_file    (none)",
            "chatbot     --chatbot       CHATCAPTAIN_CHATBOT     chatbot     (none)",
            "max rate    --max-rate      CHATCAPTAIN_MAX_RATE    max_rate    (none: the server's 429s)",
            "retry mode  --retry-mode    CHATCAPTAIN_RETRY_MODE  retry_mode  standard",
            "profile     --profile       CHATCAPTAIN_PROFILE                 default, if configured",
            "$XDG_CONFIG_HOME/chatcaptain/config.toml",
            "--fields id,name,email",
        ],
    );
}
