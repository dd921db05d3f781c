//! `--compare`: our spec against the vendor's fragment.

use crate::common::{repo_root, stderr, stdout, xtask};

/// `--compare` reads our spec against the vendor's fragment: every difference lands in the group
/// that says what it means, and theirs being cut off is never called a disagreement.
#[test]
fn compare_sorts_differences_with_the_vendors_fragment_by_what_they_mean() {
    // Every checkout and CI run has `../shared` beside the project.
    let vendor = repo_root().join("../shared/reference/vendor-contacts.yaml");
    let ours = repo_root().join("spec/chatcaptain.yaml");
    let output = xtask(&[
        "spec-diff",
        "--compare",
        ours.to_str().unwrap(),
        vendor.to_str().unwrap(),
    ]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}{}", stderr(&output));
    let group_of = |line: &str| {
        let at = report
            .find(line)
            .unwrap_or_else(|| panic!("no `{line}` in:\n{report}"));
        report[..at]
            .lines()
            .rev()
            .find(|l| !l.starts_with("  ") && !l.is_empty())
            .unwrap_or_default()
            .to_owned()
    };
    for (line, group) in [
        (
            "parameter `limit`: type changed from `integer` to `number`",
            "Ours is stricter",
        ),
        (
            "(listOrganizations): operation removed",
            "Theirs says nothing here",
        ),
        (
            "(createContact): response 201 removed",
            "Theirs says nothing here",
        ),
        (
            "(searchContacts): response 200 body: property `results.hits` removed",
            "Theirs says nothing here",
        ),
        (
            "(searchContacts): response 403 body: type changed from `object` to no body",
            "Their description settles",
        ),
    ] {
        let found = group_of(line);
        assert!(found.starts_with(group), "`{line}` is under `{found}`");
    }
}
