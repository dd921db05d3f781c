//! Building the client: where the API key comes from, and where requests go.

use std::path::Path;

use anyhow::Context;
use chatcaptain::{API_KEY_ENV, Client};

use crate::exit::Usage;

/// A client for `base_url` with the key from `key_file`, else from `CHATCAPTAIN_API_KEY`.
pub fn client(key_file: Option<&Path>, base_url: &str) -> anyhow::Result<Client> {
    let key = match key_file {
        Some(path) => {
            // The path is named in errors; the contents never are.
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading the API key file {}", path.display()))?;
            let key = text.trim().to_owned();
            if key.is_empty() {
                return Err(Usage(format!("the API key file {} is empty", path.display())).into());
            }
            key
        }
        None => match std::env::var(API_KEY_ENV) {
            Ok(key) if !key.trim().is_empty() => key.trim().to_owned(),
            _ => {
                return Err(Usage(format!(
                    "no API key: set {API_KEY_ENV} or pass --api-key-file PATH"
                ))
                .into());
            }
        },
    };
    Ok(Client::builder().api_key(key).base_url(base_url).build()?)
}
