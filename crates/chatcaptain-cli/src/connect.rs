//! Building the client: where the API key comes from, and where requests go.

use std::path::Path;

use chatcaptain::{API_KEY_ENV, Client};

use crate::exit::Usage;
use crate::key_file;

/// A client for `base_url` (production when it is absent or empty) with the key from
/// `key_file`, else from `CHATCAPTAIN_API_KEY`.
pub fn client(key_file: Option<&Path>, base_url: Option<&str>) -> anyhow::Result<Client> {
    let key = match key_file {
        Some(path) => key_file::read(path)?,
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
    let mut builder = Client::builder().api_key(key);
    // An empty CHATCAPTAIN_BASE_URL (`export CHATCAPTAIN_BASE_URL=` to undo a test setup) means
    // unset, as for most tools; clap hands it over as an empty value.
    if let Some(url) = base_url.filter(|url| !url.trim().is_empty()) {
        builder = builder.base_url(url);
    }
    Ok(builder.build()?)
}
