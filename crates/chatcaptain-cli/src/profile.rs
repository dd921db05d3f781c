//! Which profile of the config file a run uses: the one `--profile` names, else the one
//! `CHATCAPTAIN_PROFILE` names, else `default` when there is one.

use std::path::{Path, PathBuf};

use crate::config::{self, Profile};
use crate::environment::env;
use crate::exit::Usage;

/// The variable that names a profile when `--profile` does not.
pub const ENV: &str = "CHATCAPTAIN_PROFILE";
/// The profile used when none is named.
pub const DEFAULT: &str = "default";

/// A profile chosen for this run, and where it came from.
#[derive(Debug)]
pub struct Selected {
    /// Its name.
    pub name: String,
    /// Its settings.
    pub profile: Profile,
    /// Whether `--profile` named it (rather than the environment, or being `default`).
    pub named_by_flag: bool,
    /// The config file it is in.
    pub file: PathBuf,
}

impl Selected {
    /// The key file, a relative path taken from the config file's directory and a leading
    /// `~/` from home (the file is edited by hand too, and no shell expands it there).
    pub fn key_file(&self) -> Option<Result<PathBuf, Usage>> {
        let path = self.profile.key_file.as_deref()?;
        Some(resolve(path, self.file.parent().unwrap_or(Path::new("."))))
    }

    /// The CA file, resolved as [`key_file`](Self::key_file) is.
    pub fn ca_file(&self) -> Option<Result<PathBuf, Usage>> {
        let path = self.profile.ca_file.as_deref()?;
        Some(resolve(path, self.file.parent().unwrap_or(Path::new("."))))
    }

    /// `profile 'shop' in /home/ada/.config/chatcaptain/config.toml`, for messages.
    pub fn describe(&self) -> String {
        format!("profile '{}' in {}", self.name, self.file.display())
    }
}

fn resolve(path: &Path, dir: &Path) -> Result<PathBuf, Usage> {
    if let Ok(rest) = path.strip_prefix("~") {
        return Ok(config::home()?.join(rest));
    }
    Ok(dir.join(path))
}

/// The profile `flag` (else `CHATCAPTAIN_PROFILE`) names; without a name, `default` if the
/// config file has it, else none. A name that is not in the file is an error listing those that are.
pub fn select(flag: Option<&str>) -> Result<Option<Selected>, Usage> {
    let (name, named_by_flag) = match (flag, env(ENV)) {
        (Some(name), _) => (Some(name.to_owned()), true),
        (None, from_env) => (from_env, false),
    };
    let file = match config::path() {
        Ok(file) => file,
        // Without a home there is no config to look in; that matters only if one was asked for.
        Err(_) if name.is_none() => return Ok(None),
        Err(e) => return Err(e),
    };
    let config = config::load(&file)?;
    let Some(name) = name else {
        let profile = config.and_then(|mut c| c.profiles.remove(DEFAULT));
        return Ok(profile.map(|profile| Selected {
            name: DEFAULT.to_owned(),
            profile,
            named_by_flag: false,
            file,
        }));
    };
    let Some(mut config) = config else {
        return Err(Usage(format!(
            "unknown profile '{name}': there is no config file {} yet; create the profile with \
             chatcaptain configure --profile {name} --chatbot ID --key-file PATH",
            file.display()
        )));
    };
    let Some(profile) = config.profiles.remove(&name) else {
        let known: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
        let known = if known.is_empty() {
            "it has none".to_owned()
        } else {
            format!("it has {}", known.join(", "))
        };
        return Err(Usage(format!(
            "unknown profile '{name}' in {} ({known})",
            file.display()
        )));
    };
    Ok(Some(Selected {
        name,
        profile,
        named_by_flag,
        file,
    }))
}
