//! `configure`: saves one profile of the config file, as `aws configure set` does, without
//! asking anything; `configure list` shows the profiles.
//!
//! The file is edited, not rewritten: other profiles, comments and layout stay as they were,
//! since people edit it by hand too. It is replaced at once (written beside it, then renamed
//! over it), so a crash leaves the old file or the new one, never half of one.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Serialize;
use toml_edit::{DocumentMut, Item, Table, value};

use crate::cli::{ConfigureAction, ConfigureArgs};
use crate::config::{self, Profile};
use crate::environment::env;
use crate::exit::{Outcome, Usage};
use crate::output::{self, Output, Record};
use crate::profile::{DEFAULT, ENV};
use crate::{key_file, terminal};

/// What was asked for on the command line.
pub struct Request<'a> {
    /// `--profile`, if given.
    pub profile: Option<&'a str>,
    /// `--base-url`, if given; empty removes it from the profile.
    pub base_url: Option<&'a str>,
    /// `--api-key-file`, if given: a mistake here.
    pub api_key_file: Option<&'a Path>,
}

pub fn run(args: &ConfigureArgs, request: Request, output: Output) -> anyhow::Result<Outcome> {
    if let Some(ConfigureAction::List) = args.action {
        return list(output);
    }
    if request.api_key_file.is_some() {
        return Err(Usage(
            "configure stores a key file with --key-file; --api-key-file is for a single run"
                .into(),
        )
        .into());
    }
    // As when a profile is used: the flag, else the variable, else `default`.
    let name = match request.profile {
        Some(name) => name.to_owned(),
        None => env(ENV).unwrap_or_else(|| DEFAULT.to_owned()),
    };
    check_name(&name)?;
    let change = Change {
        chatbot: args.chatbot.as_deref().map(chatbot).transpose()?,
        key_file: args.key_file.as_deref().map(key_file).transpose()?,
        base_url: request.base_url.map(base_url).transpose()?,
    };
    if change.chatbot.is_none() && change.key_file.is_none() && change.base_url.is_none() {
        return Err(Usage(
            "nothing to configure: give --chatbot ID, --key-file PATH or --base-url URL \
             (`chatcaptain configure list` shows the profiles)"
                .into(),
        )
        .into());
    }
    let file = config::path()?;
    save(&file, &name, &change)?;
    let mut out = output::stdout();
    writeln!(
        out,
        "Saved profile '{}' in {}.",
        terminal::shown(&name),
        terminal::shown(&file.display().to_string())
    )?;
    out.flush()?;
    Ok(Outcome::Done)
}

/// The settings to write; `None` leaves a setting as it is.
struct Change {
    chatbot: Option<String>,
    key_file: Option<PathBuf>,
    /// `Some(None)` removes the base URL: the profile then uses the default.
    base_url: Option<Option<String>>,
}

/// Names as people type them on a command line and see them in a TOML header.
fn check_name(name: &str) -> Result<(), Usage> {
    let fine = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.');
    if name.is_empty() || !name.chars().all(fine) {
        return Err(Usage(format!(
            "invalid profile name {name:?}: use letters, digits, '-', '_' and '.'"
        )));
    }
    Ok(())
}

fn chatbot(id: &str) -> Result<String, Usage> {
    let id = id.trim();
    if id.is_empty() {
        return Err(Usage("--chatbot needs an ID".into()));
    }
    Ok(id.to_owned())
}

/// The key file as an absolute path (the profile is used from any directory), checked now as it
/// will be when used: there, private to its owner, not empty. The key itself is not kept.
fn key_file(path: &Path) -> Result<PathBuf, Usage> {
    let path = std::path::absolute(path)
        .map_err(|e| Usage(format!("cannot resolve {}: {e}", path.display())))?;
    key_file::read(&path)?;
    Ok(path)
}

/// Checked by the client's own rules (a URL; https unless on this machine) with a stand-in key,
/// so that the profile never holds an address the tool would refuse later. Empty means "unset".
fn base_url(url: &str) -> Result<Option<String>, Usage> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(None);
    }
    chatcaptain::Client::builder()
        .api_key("unused")
        .base_url(url)
        .build()
        .map_err(|e| Usage(format!("--base-url: {e}")))?;
    Ok(Some(url.to_owned()))
}

/// Applies `change` to profile `name` in the config file at `path`, creating both as needed.
fn save(path: &Path, name: &str, change: &Change) -> anyhow::Result<()> {
    // A config kept elsewhere and linked here (dotfiles) is edited where it is; renaming over the
    // link would replace it with a copy.
    config::trusted(path)?;
    let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Usage(format!("cannot read {}: {e}", path.display())).into()),
    };
    // Read as it will be used, so a broken file is reported (with its line), not edited.
    let config = config::parse(&path, &text)?;
    let existing = config.profiles.get(name);
    if existing.is_none() && (change.chatbot.is_none() || change.key_file.is_none()) {
        return Err(Usage(format!(
            "profile '{name}' is new: it needs --chatbot ID and --key-file PATH"
        ))
        .into());
    }
    let mut document: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        config::malformed(&path, &text, e.span(), e.message())
    })?;
    let profiles = table(document.as_table_mut(), "profiles");
    let profile = table(profiles, name);
    if let Some(chatbot) = &change.chatbot {
        profile.insert("chatbot", value(chatbot.as_str()));
    }
    if let Some(file) = &change.key_file {
        let file = file
            .to_str()
            .ok_or_else(|| Usage(format!("{} is not valid UTF-8", file.display())))?;
        profile.insert("key_file", value(file));
    }
    match &change.base_url {
        Some(Some(url)) => {
            profile.insert("base_url", value(url.as_str()));
        }
        Some(None) => {
            profile.remove("base_url");
        }
        None => {}
    }
    replace(&path, &document.to_string())
}

/// The table under `key` in `parent`, created when missing; an inline table becomes a section.
fn table<'a>(parent: &'a mut Table, key: &str) -> &'a mut Table {
    let item = parent.entry(key).or_insert_with(|| {
        let mut table = Table::new();
        // `[profiles.shop]` alone, without an empty `[profiles]` above it.
        table.set_implicit(true);
        Item::Table(table)
    });
    if let Ok(table) = std::mem::take(item).into_table() {
        *item = Item::Table(table);
    }
    item.as_table_mut()
        .expect("checked as a table by config::parse")
}

/// Replaces `path` with `text` at once, keeping its permissions; creates its directory.
fn replace(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut temp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write a file in {}", dir.display()))?;
    temp.write_all(text.as_bytes())?;
    if let Ok(metadata) = std::fs::metadata(path) {
        temp.as_file().set_permissions(metadata.permissions())?;
    }
    temp.as_file().sync_all()?;
    temp.persist(path)
        .with_context(|| format!("cannot replace {}", path.display()))?;
    Ok(())
}

/// One line of `configure list`: a profile as stored, which holds no key.
#[derive(Serialize)]
struct Row {
    name: String,
    chatbot: Option<String>,
    key_file: Option<PathBuf>,
    base_url: Option<String>,
}

impl Record for Row {
    const FIELDS: &'static [&'static str] = &["name", "chatbot", "key_file", "base_url"];
    const TABLE: &'static [(&'static str, &'static str)] = &[
        ("PROFILE", "name"),
        ("CHATBOT", "chatbot"),
        ("KEY FILE", "key_file"),
        ("BASE URL", "base_url"),
    ];

    // Its own cells: a key file's path shown as it is, also where it is not UTF-8 (it cannot be
    // JSON).
    fn table_row(&self) -> Vec<String> {
        let text = |value: &Option<String>| value.clone().unwrap_or_default();
        vec![
            self.name.clone(),
            text(&self.chatbot),
            self.key_file
                .as_ref()
                .map(|p| p.display().to_string())
                .unwrap_or_default(),
            text(&self.base_url),
        ]
    }
}

/// Every profile of the config file, in the output format asked for.
fn list(output: Output) -> anyhow::Result<Outcome> {
    let profiles = config::load(&config::path()?)?.unwrap_or_default().profiles;
    let mut sink = output::listing::<Row>(output, output::stdout());
    for (
        name,
        Profile {
            chatbot,
            key_file,
            base_url,
            .. // pacing: set by hand in the file, shown there
        },
    ) in profiles
    {
        sink.write(&Row {
            name,
            chatbot,
            key_file,
            base_url,
        })?;
    }
    sink.finish()?;
    Ok(Outcome::Done)
}
