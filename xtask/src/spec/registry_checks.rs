//! What both rule registries (spec-lint's and spec-diff's) promise, checked in one place: ids
//! are unique kebab-case, and CONTRIBUTING.md shows the very table `--rules` prints.

use std::collections::HashSet;

/// Asserts no id stands twice and each is kebab-case; returns how many ids there are.
pub(crate) fn assert_unique_kebab_case<S: AsRef<str>>(ids: impl IntoIterator<Item = S>) -> usize {
    let mut seen = HashSet::new();
    for id in ids {
        let id = id.as_ref().to_owned();
        assert!(
            id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "`{id}` is not kebab-case"
        );
        assert!(seen.insert(id.clone()), "`{id}` twice");
    }
    seen.len()
}

/// Asserts CONTRIBUTING.md holds `table`, the one `cargo xtask COMMAND --rules` prints for `tool`.
pub(crate) fn assert_contributing_shows(table: &str, tool: &str) {
    let readme = std::fs::read_to_string(crate::spec::workspace_root().join("CONTRIBUTING.md"))
        .expect("CONTRIBUTING.md");
    // The table stands in a numbered list, indented.
    let readme: String = readme
        .lines()
        .map(|l| format!("{}\n", l.trim_start()))
        .collect();
    assert!(
        readme.contains(table),
        "CONTRIBUTING.md's {tool} rule table differs from the registry; \
         `cargo xtask {tool} --rules` prints it:\n{table}"
    );
}
