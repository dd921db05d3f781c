//! Whether each version got the bump its level of change needs: `info.version` for the wire,
//! the `chatcaptain-api` crate version for the Rust API.

use anyhow::{Context, Result};
use semver::Version;

/// What a version number promises its users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `info.version`: a compatible change is a new feature, so at least a minor bump; a
    /// breaking one a major bump (a minor one below 1.0).
    Api,
    /// Cargo's semver: below 1.0 the minor number is the "major" one, so a breaking change needs
    /// a minor bump and a compatible one a patch bump; from 1.0 on, major and minor.
    Crate,
}

/// One line saying what `old` -> `new` is worth, for `label` (`info.version`, `chatcaptain-api`).
pub fn bump_line(
    label: &str,
    scheme: Scheme,
    old: &str,
    new: &str,
    breaking: bool,
    changed: bool,
) -> String {
    let (Ok(a), Ok(b)) = (Version::parse(old.trim()), Version::parse(new.trim())) else {
        return format!("{label} {old} → {new}: not semver, cannot check the bump");
    };
    let triple = |v: &Version| (v.major, v.minor, v.patch);
    let (a, b) = (triple(&a), triple(&b));
    let (need, ok) = match (breaking, changed, scheme, a.0) {
        (true, _, _, 0) => ("a minor bump (0.x: breaking)", b.0 > 0 || b.1 > a.1),
        (true, _, _, _) => ("a major bump", b.0 > a.0),
        (false, true, Scheme::Crate, 0) => ("a patch bump", b > a),
        (false, true, _, _) => ("a minor bump", (b.0, b.1) > (a.0, a.1)),
        (false, false, _, _) => {
            return if a == b {
                format!("{label} {old}: unchanged, as no change needs")
            } else {
                format!("{label} {old} → {new}: bumped without a change")
            };
        }
    };
    let verdict = if ok {
        "bumped accordingly"
    } else if a == b {
        "NOT bumped"
    } else {
        "NOT bumped enough"
    };
    format!("{label} {old} → {new}: {verdict} (these changes need {need})")
}

/// `package.version` of a Cargo.toml; `file` names it in errors.
pub fn package_version(file: &str, text: &str) -> Result<String> {
    let manifest: toml::Table =
        toml::from_str(text).with_context(|| format!("{file}: not a valid Cargo.toml"))?;
    manifest
        .get("package")
        .and_then(|p| p.get("version"))
        .and_then(|v| v.as_str())
        .map(str::to_owned)
        .with_context(|| format!("{file}: no `package.version`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(scheme: Scheme, old: &str, new: &str, breaking: bool, changed: bool) -> String {
        bump_line("v", scheme, old, new, breaking, changed)
    }

    /// Asserts each (old, new, breaking, changed, words): the bump line says `words`.
    fn assert_lines(scheme: Scheme, cases: &[(&str, &str, bool, bool, &str)]) {
        for &(old, new, breaking, changed, words) in cases {
            let said = line(scheme, old, new, breaking, changed);
            assert!(
                said.contains(words),
                "{old} -> {new} (breaking {breaking}, changed {changed}): {said}"
            );
        }
    }

    #[test]
    fn api_version_bump_is_checked_against_the_kind_of_change() {
        assert_lines(
            Scheme::Api,
            &[
                ("1.0.0", "2.0.0", true, true, "bumped accordingly"),
                ("1.0.0", "1.1.0", true, true, "NOT bumped enough"),
                ("1.0.0", "1.0.0", true, true, "NOT bumped"),
                ("1.0.0", "1.1.0", false, true, "bumped accordingly"),
                ("1.0.0", "1.0.1", false, true, "NOT bumped enough"),
                ("0.3.0", "0.4.0", true, true, "bumped accordingly"),
                ("1.0.0", "1.0.0", false, false, "unchanged"),
            ],
        );
    }

    #[test]
    fn crate_version_follows_cargo_semver_below_1_0() {
        assert_lines(
            Scheme::Crate,
            &[
                ("0.1.0", "0.2.0", true, true, "bumped accordingly"),
                ("0.1.0", "0.1.1", true, true, "NOT bumped enough"),
                ("0.1.0", "0.1.1", false, true, "bumped accordingly"),
                ("0.1.0", "0.1.0", false, true, "NOT bumped"),
                ("1.2.0", "1.2.1", false, true, "NOT bumped enough"),
            ],
        );
    }

    #[test]
    fn package_version_is_read_and_a_bad_manifest_is_named() {
        let text = "[package]\nname = \"chatcaptain-api\"\nversion = \"0.3.1\"\n";
        assert_eq!(package_version("Cargo.toml", text).unwrap(), "0.3.1");
        let err = package_version("x/Cargo.toml", "[package\n").unwrap_err();
        assert!(format!("{err:#}").contains("x/Cargo.toml"), "{err:#}");
    }
}
