//! The config file: one profile per chatbot, because an API key belongs to one chatbot.
//!
//! ```toml
//! [profiles.default]
//! chatbot = "aBcDeFgHiJkLmNoPqRsT"
//! key_file = "/home/ada/.config/chatcaptain/shop.key"
//! base_url = "https://api.chatcaptain.com"   # optional
//! max_rate = 10                              # optional: requests per second
//! retry_mode = "adaptive"                    # optional: or "standard"
//! ```
//!
//! A profile names the file the key is in, never the key: the config can then be shown, shared
//! and backed up without giving a key away.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::exit::Usage;

/// Every profile in the file, by name.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// `[profiles.NAME]` tables.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// The settings of one chatbot; each is optional, a flag or variable can give it instead.
// Unknown keys are refused: `api_key = "..."` must not sit there quietly unused (and a typo
// such as `keyfile` must not make the tool fall back to another key).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The chatbot's ID.
    pub chatbot: Option<String>,
    /// The file the API key is in; relative to the config file's directory, `~/` for home.
    pub key_file: Option<PathBuf>,
    /// The API's address.
    pub base_url: Option<String>,
    /// Requests per second at most.
    pub max_rate: Option<f64>,
    /// How 429s are met.
    pub retry_mode: Option<crate::cli::RetryMode>,
    /// A PEM file of root certificates to trust beside the system's; relative to the config
    /// file's directory, `~/` for home.
    pub ca_file: Option<PathBuf>,
}

/// The variable that moves the config directory (the one holding `config.toml`).
pub const CONFIG_DIR_ENV: &str = "CHATCAPTAIN_CONFIG_DIR";

/// `$CHATCAPTAIN_CONFIG_DIR/config.toml`, else `$XDG_CONFIG_HOME/chatcaptain/config.toml`, else
/// `~/.config/chatcaptain/config.toml`: the same on every system (on Windows `~` is
/// `%USERPROFILE%`), so instructions need no per-system variant.
pub fn path() -> Result<PathBuf, Usage> {
    if let Some(dir) = crate::environment::env(CONFIG_DIR_ENV) {
        return Ok(PathBuf::from(dir).join("config.toml"));
    }
    // The XDG spec: a relative value is invalid and is ignored, an empty one is unset.
    let xdg = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|dir| dir.is_absolute());
    let dir = match xdg {
        Some(dir) => dir,
        None => home()?.join(".config"),
    };
    Ok(dir.join("chatcaptain").join("config.toml"))
}

/// The user's home directory.
pub fn home() -> Result<PathBuf, Usage> {
    std::env::home_dir()
        .filter(|dir| !dir.as_os_str().is_empty())
        .ok_or_else(|| {
            Usage(
                "cannot find the home directory for the config file: set HOME, XDG_CONFIG_HOME \
                 or CHATCAPTAIN_CONFIG_DIR"
                    .into(),
            )
        })
}

/// The config in `path`; `None` when there is no such file (no profile configured yet). A file
/// that is not [`trusted`] is refused before it is read.
pub fn load(path: &Path) -> Result<Option<Config>, Usage> {
    trusted(path)?;
    match std::fs::read_to_string(path) {
        Ok(text) => parse(path, &text).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Usage(format!(
            "cannot read the config file {}: {e}",
            path.display()
        ))),
    }
}

/// Refuses a config file that anyone but the user could have written, as ssh refuses such a
/// `~/.ssh/config`: it chooses the key file and the server the key is sent to, so whoever can
/// change it can have the key sent to them. The file and its directory (and, for a linked file,
/// the directory it is really in) must belong to the user or root, and be writable by no group
/// and no other user. No file: nothing to trust.
#[cfg(unix)]
pub fn trusted(path: &Path) -> Result<(), Usage> {
    use std::os::unix::fs::MetadataExt;

    // A file that cannot be looked at is reported by the read that follows.
    let Ok(file) = std::fs::metadata(path) else {
        return Ok(());
    };
    let mut checked = vec![(path.to_owned(), file)];
    let mut dirs: Vec<PathBuf> = path.parent().map(Path::to_owned).into_iter().collect();
    if let Ok(real) = std::fs::canonicalize(path)
        && let Some(dir) = real.parent()
        && !dirs
            .iter()
            .any(|d| std::fs::canonicalize(d).is_ok_and(|d| d == dir))
    {
        dirs.push(dir.to_owned());
    }
    for dir in dirs {
        let dir = if dir.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            dir
        };
        if let Ok(metadata) = std::fs::metadata(&dir) {
            checked.push((dir, metadata));
        }
    }
    let user = nix::unistd::geteuid().as_raw();
    for (checked, metadata) in checked {
        let what = if metadata.is_dir() {
            "the directory of the config file"
        } else {
            "the config file"
        };
        let shown = checked.display();
        let owner = metadata.uid();
        if owner != user && owner != 0 {
            return Err(Usage(format!(
                "{what} {shown} belongs to another user (uid {owner}), who could make it send \
                 your API key to a server of theirs; refusing to use the config file {}: make it \
                 yours (chown) or move it away",
                path.display()
            )));
        }
        let mode = metadata.mode() & 0o7777;
        if mode & 0o022 != 0 {
            return Err(Usage(format!(
                "permissions {mode:04o} for '{shown}' are too open: others could make the config \
                 file send your API key to a server of theirs; run chmod go-w {shown} ({what} \
                 must be writable by its owner only)"
            )));
        }
    }
    Ok(())
}

/// Windows has no mode bits to check; its ACLs are the user profile's.
#[cfg(not(unix))]
pub fn trusted(_path: &Path) -> Result<(), Usage> {
    Ok(())
}

/// The config in `text`, read from `path`; an error names the file, the line and the column.
pub fn parse(path: &Path, text: &str) -> Result<Config, Usage> {
    toml::from_str(text).map_err(|e| malformed(path, text, e.span(), e.message()))
}

/// A malformed config file: where, and what is wrong, on one line, with no value from the file.
/// toml's own `Display` quotes the offending line and serde's messages quote a string of the
/// wrong type, and either could be a key pasted into the wrong place (`api_key = "..."`).
pub fn malformed(
    path: &Path,
    text: &str,
    span: Option<std::ops::Range<usize>>,
    message: &str,
) -> Usage {
    let message = without_strings(message.trim()).replace('\n', "; ");
    let Some(span) = span else {
        return Usage(format!("the config file {}: {message}", path.display()));
    };
    let before = &text[..span.start.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Usage(format!(
        "the config file {}, line {line}, column {column}: {message}",
        path.display()
    ))
}

/// `message` with the text of each `"..."` left out (names are in backticks, values in quotes).
fn without_strings(message: &str) -> String {
    let mut kept = String::with_capacity(message.len());
    for (i, part) in message.split('"').enumerate() {
        match i % 2 {
            0 => kept.push_str(part),
            _ => kept.push_str("\"...\""),
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::parse;

    #[test]
    fn an_error_names_the_line_and_column_but_not_the_value() {
        let text = "[profiles.shop]\nchatbot = \"b1\"\napi_key = \"sk-secret\"\n";
        let error = parse(Path::new("c.toml"), text).unwrap_err().0;
        assert!(
            error.starts_with("the config file c.toml, line 3, column 1: "),
            "{error}"
        );
        assert!(
            error.contains("api_key") && !error.contains("sk-secret"),
            "{error}"
        );
    }

    #[test]
    fn a_string_of_the_wrong_type_is_not_quoted() {
        let text = "[profiles]\nshop = \"sk-secret\"\n";
        let error = parse(Path::new("c.toml"), text).unwrap_err().0;
        assert!(
            error.contains("line 2") && !error.contains("sk-secret"),
            "{error}"
        );
    }
}
