//! Reading the tool's environment variables.

/// The value of the variable `name`; one that is empty or only whitespace counts as unset
/// (`export CHATCAPTAIN_BASE_URL=` undoes a test setup), as in `Client::from_env`.
pub fn env(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}
