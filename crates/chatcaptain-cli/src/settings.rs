//! Where each setting comes from, and the client built from them.
//!
//! As in the AWS CLI, a flag wins over an environment variable, which wins over the profile,
//! which wins over the built-in default. One exception: a profile named by `--profile` comes
//! before the environment. Its key, chatbot and base URL belong together (a key works for one
//! chatbot), and a `CHATCAPTAIN_BASE_URL` left over from a test must not send the named
//! profile's key to that server.

use std::path::{Path, PathBuf};

use chatcaptain::{API_KEY_ENV, BASE_URL_ENV, Client};

use crate::cli::{Chatbot, RetryMode};
use crate::config::Profile;
use crate::environment::env;
use crate::exit::Usage;
use crate::key_file;
use crate::profile::Selected;

/// The variable that names the chatbot when `--chatbot` does not.
pub const CHATBOT_ENV: &str = "CHATCAPTAIN_CHATBOT";

/// The variable for the requests per second at most.
pub const MAX_RATE_ENV: &str = "CHATCAPTAIN_MAX_RATE";
/// The variable for how 429s are met.
pub const RETRY_MODE_ENV: &str = "CHATCAPTAIN_RETRY_MODE";

/// The variable for a PEM file of extra root certificates.
pub const CA_FILE_ENV: &str = "CHATCAPTAIN_CA_FILE";

/// The pacing flags.
#[derive(Clone, Copy, Debug, Default)]
pub struct Pacing {
    pub max_rate: Option<f64>,
    pub retry_mode: Option<RetryMode>,
}

/// A client for the base URL and with the key the flags, the environment and `profile` give.
pub fn client(
    key_file: Option<&Path>,
    base_url: Option<&str>,
    pacing: Pacing,
    ca_file: Option<&Path>,
    profile: Option<&Selected>,
) -> anyhow::Result<Client> {
    let mut builder = Client::builder().api_key(key(key_file, profile)?);
    if let Some(pem) = roots(ca_file, profile)? {
        builder = builder.add_root_certificates_pem(pem);
    }
    if let Some(rate) = max_rate(pacing.max_rate, profile)? {
        builder = builder.max_requests_per_second(rate);
    }
    let mode = pick(pacing.retry_mode, env_retry_mode()?, profile, |p| {
        p.retry_mode
    });
    if let Some(mode) = mode {
        builder = builder.retry_mode(mode);
    }
    let base_url = pick(
        base_url
            .map(str::trim)
            .filter(|url| !url.is_empty())
            .map(str::to_owned),
        env(BASE_URL_ENV),
        profile,
        |p| p.base_url.clone(),
    );
    if let Some(url) = base_url {
        builder = builder.base_url(url);
    }
    Ok(builder.build()?)
}

/// The extra root certificates of `--ca-file`, `CHATCAPTAIN_CA_FILE` or the profile's
/// `ca_file` (in `pick`'s order, as the base URL: both decide whom the key is sent to), read
/// and checked here so that an error names the file and where it was named.
fn roots(flag: Option<&Path>, profile: Option<&Selected>) -> Result<Option<Vec<u8>>, Usage> {
    let from_profile = |_: &Profile| {
        profile.and_then(|p| {
            p.ca_file()
                .map(|path| path.map(|path| (path, p.describe())))
        })
    };
    let chosen = pick(
        flag.map(|path| Ok((path.to_owned(), "--ca-file".to_owned()))),
        env(CA_FILE_ENV).map(|path| Ok((PathBuf::from(path), CA_FILE_ENV.to_owned()))),
        profile,
        from_profile,
    );
    let Some(chosen) = chosen else {
        return Ok(None);
    };
    let (path, source) = chosen?;
    let named = format!("{} (from {source})", path.display());
    let pem = std::fs::read(&path).map_err(|e| Usage(format!("CA file {named}: {e}")))?;
    chatcaptain::api::tls::client_builder_trusting(&pem)
        .map(drop)
        .map_err(|e| Usage(format!("CA file {named}: {e}")))?;
    Ok(Some(pem))
}

/// The requests per second at most, from the flag, the variable or the profile; one outside
/// what the client accepts (zero, negative, NaN, infinite, `1e-300`) is an error naming where it
/// came from.
fn max_rate(flag: Option<f64>, profile: Option<&Selected>) -> Result<Option<f64>, Usage> {
    let from_profile = |p: &Profile| p.max_rate.map(|rate| (rate, Source::Profile));
    let Some((rate, source)) = pick(
        flag.map(|rate| (rate, Source::Flag)),
        env_max_rate()?.map(|rate| (rate, Source::Env)),
        profile,
        from_profile,
    ) else {
        return Ok(None);
    };
    let range = chatcaptain::MAX_REQUESTS_PER_SECOND;
    if range.contains(&rate) {
        return Ok(Some(rate));
    }
    // `{:?}` shows 1e-300 as such (`{}` would print 300 zeros).
    let given = match source {
        Source::Flag => format!("--max-rate {rate:?}"),
        Source::Env => format!("{MAX_RATE_ENV}={rate:?}"),
        Source::Profile => format!(
            "max_rate = {rate:?} in {}",
            profile.map_or_else(String::new, Selected::describe)
        ),
    };
    Err(Usage(format!(
        "{given}: give a positive number of requests per second, from {} to {}",
        range.start(),
        range.end()
    )))
}

/// Where a setting came from, for messages.
#[derive(Clone, Copy)]
enum Source {
    Flag,
    Env,
    Profile,
}

fn env_max_rate() -> Result<Option<f64>, Usage> {
    env(MAX_RATE_ENV)
        .map(|value| {
            value.parse().map_err(|_| {
                Usage(format!(
                    "{MAX_RATE_ENV}={value} is not a number of requests per second"
                ))
            })
        })
        .transpose()
}

fn env_retry_mode() -> Result<Option<RetryMode>, Usage> {
    env(RETRY_MODE_ENV)
        .map(|value| {
            value
                .parse::<RetryMode>()
                .map_err(|e| Usage(format!("{RETRY_MODE_ENV}: {e}")))
        })
        .transpose()
}

/// Fills in the chatbot's ID from the flag, the environment or `profile`.
pub fn chatbot(chatbot: &mut Chatbot, profile: Option<&Selected>) -> Result<(), Usage> {
    let given = chatbot.id.take().filter(|id| !id.trim().is_empty());
    let Some(id) = pick(given, env(CHATBOT_ENV), profile, |p| p.chatbot.clone()) else {
        return Err(Usage(format!(
            "no chatbot: pass --chatbot ID, set {CHATBOT_ENV}, or {}",
            in_profile("chatbot", "--chatbot ID", profile)
        )));
    };
    chatbot.id = Some(id);
    Ok(())
}

/// The key: from `--api-key-file`, `CHATCAPTAIN_API_KEY` or the profile's key file.
fn key(flag: Option<&Path>, profile: Option<&Selected>) -> Result<String, Usage> {
    if let Some(path) = flag {
        return key_file::read(path);
    }
    let from_profile = profile.and_then(|p| p.key_file().map(|path| (p, path)));
    let from_env = env(API_KEY_ENV);
    let profile_first = profile.is_some_and(|p| p.named_by_flag);
    match (from_profile, from_env) {
        (Some((selected, path)), Some(_)) if profile_first => profile_key(selected, path),
        (_, Some(key)) => Ok(key),
        (Some((selected, path)), None) => profile_key(selected, path),
        (None, None) => Err(Usage(format!(
            "no API key: set {API_KEY_ENV}, pass --api-key-file PATH, or {}",
            in_profile("key_file", "--key-file PATH", profile)
        ))),
    }
}

/// The key in a profile's key file; an error says which profile named the file.
fn profile_key(selected: &Selected, path: Result<PathBuf, Usage>) -> Result<String, Usage> {
    key_file::read(&path?)
        .map_err(|Usage(e)| Usage(format!("{e} (the key_file of {})", selected.describe())))
}

/// The flag's value, else (for a profile named by `--profile`, the profile's, then) the
/// environment's, else the profile's.
fn pick<T>(
    flag: Option<T>,
    env: Option<T>,
    profile: Option<&Selected>,
    of: impl Fn(&Profile) -> Option<T>,
) -> Option<T> {
    let from_profile = || profile.and_then(|p| of(&p.profile));
    match profile {
        Some(p) if p.named_by_flag => flag.or_else(from_profile).or(env),
        _ => flag.or(env).or_else(from_profile),
    }
}

/// How to put `field` in a profile: the one in use, else a new `default` one.
fn in_profile(field: &str, flag: &str, profile: Option<&Selected>) -> String {
    match profile {
        Some(selected) => format!(
            "set {field} in {} (chatcaptain configure --profile {} {flag})",
            selected.describe(),
            selected.name
        ),
        None => {
            "save it in a profile (chatcaptain configure --chatbot ID --key-file PATH)".to_owned()
        }
    }
}
