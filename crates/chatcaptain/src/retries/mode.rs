//! The one retry configuration both clients and the CLI take.

/// How the client meets 429s: the two modes of aws-sdk-rust and the AWS CLI's `retry_mode`
/// (the CLI's `--retry-mode` is this value). Set with
/// [`ClientBuilder::retry_mode`](crate::ClientBuilder::retry_mode).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum RetryMode {
    /// Retry with backoff, and wait out each `Retry-After`, every call through the client at
    /// once. The default.
    #[default]
    Standard,
    /// Standard, and after a 429 pace every request at a rate learned from the server's answers.
    Adaptive,
}

impl RetryMode {
    /// Every mode, by its name.
    pub const ALL: [RetryMode; 2] = [RetryMode::Standard, RetryMode::Adaptive];

    /// Its name: `standard`, `adaptive`.
    pub const fn name(self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
        }
    }
}

impl std::fmt::Display for RetryMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Parses a mode's name, in any case; the error names the modes there are.
impl std::str::FromStr for RetryMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        RetryMode::ALL
            .into_iter()
            .find(|mode| mode.name().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("{s:?} is not a retry mode: use standard or adaptive"))
    }
}

#[cfg(test)]
mod tests {
    use super::RetryMode;

    #[test]
    fn a_retry_mode_reads_and_writes_by_its_name_in_any_case() {
        assert_eq!("Adaptive".parse::<RetryMode>(), Ok(RetryMode::Adaptive));
        assert_eq!(" standard ".parse::<RetryMode>(), Ok(RetryMode::Standard));
        let err = "fast".parse::<RetryMode>().unwrap_err();
        assert!(err.contains("use standard or adaptive"), "{err}");
        assert_eq!(
            serde_json::to_string(&RetryMode::Adaptive).unwrap(),
            "\"adaptive\""
        );
        let read: RetryMode = serde_json::from_str("\"standard\"").unwrap();
        assert_eq!(read, RetryMode::default());
    }
}
