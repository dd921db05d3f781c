//! The proof that a paginated operation needs nothing but the spec: two organization listings
//! are added to a copy of the spec, `cargo xtask codegen` writes a copy of the client crates,
//! and the copy's own test (`fixtures/organizations/listing.rs`) pages them over loopback HTTP
//! (ties at page boundaries, prefetch, resume, exclusion, the blocking iterators).
//!
//! It builds the copy with cargo in this workspace's target directory, so shared dependencies
//! are reused; only the two copied crates compile.

mod common;

use std::path::Path;
use std::process::Command;

use common::{repo_root, stderr, stdout, xtask};

const FIXTURES: &str = "tests/fixtures/organizations";

/// The committed spec with the organization operations and schemas added, and `created`
/// required of an organization (a cursor pages by a required creation time).
fn spec_with_organizations() -> String {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES);
    let spec = std::fs::read_to_string(repo_root().join("spec/chatcaptain.yaml")).unwrap();
    let paths = std::fs::read_to_string(fixtures.join("paths.yaml")).unwrap();
    let schemas = std::fs::read_to_string(fixtures.join("schemas.yaml")).unwrap();
    let edits = [
        ("\ncomponents:\n", format!("\n{paths}components:\n")),
        ("\n  schemas:\n", format!("\n  schemas:\n{schemas}")),
        (
            "organization pages).\n      required: [id]\n",
            "organization pages).\n      required: [id, created]\n".to_owned(),
        ),
    ];
    edits.into_iter().fold(spec, |spec, (anchor, with)| {
        assert!(spec.contains(anchor), "spec anchor not found: {anchor:?}");
        spec.replacen(anchor, &with, 1)
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The two client crates and the workspace manifest, without tests, examples or other members.
fn copy_workspace(root: &Path, to: &Path) {
    for krate in ["chatcaptain-api", "chatcaptain"] {
        let (from, into) = (
            root.join("crates").join(krate),
            to.join("crates").join(krate),
        );
        copy_dir(&from.join("src"), &into.join("src"));
        // The fake is another member of the real workspace; the copy's test needs none.
        let manifest = std::fs::read_to_string(from.join("Cargo.toml"))
            .unwrap()
            .replace("chatcaptain-fake.workspace = true\n", "");
        std::fs::write(into.join("Cargo.toml"), manifest).unwrap();
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let members = "members = [\"xtask\", \"crates/*\"]";
    assert!(manifest.contains(members));
    let manifest = manifest.replace(
        members,
        "members = [\"crates/chatcaptain-api\", \"crates/chatcaptain\"]",
    );
    std::fs::write(to.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(root.join("Cargo.lock"), to.join("Cargo.lock")).unwrap();
}

#[test]
fn paginated_operations_added_to_the_spec_get_listings_that_page_every_item_once() {
    let root = repo_root();
    // Always the same place: the copied crates keep their identity (cargo's hash of the path),
    // so a rerun rebuilds them in place instead of adding a new set of artifacts.
    let copy = &root.join("target/tmp/generated-listings");
    if copy.exists() {
        std::fs::remove_dir_all(copy).unwrap();
    }
    copy_workspace(&root, copy);
    let spec = copy.join("chatcaptain.yaml");
    std::fs::write(&spec, spec_with_organizations()).unwrap();

    let api = copy.join("crates/chatcaptain-api/src/generated.rs");
    let glue = copy.join("crates/chatcaptain/src/listings.rs");
    let output = xtask(&[
        "codegen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        api.to_str().unwrap(),
        "--glue",
        glue.to_str().unwrap(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let glue_code = std::fs::read_to_string(&glue).unwrap();
    for expected in [
        "pub type ListOrganizations = crate::paging::CursorListing<ListOrganizationsParams>;",
        "pub type SearchOrganizations = crate::paging::PageListing<SearchOrganizationsParams>;",
        "impl crate::paging::Dated for types::Organization",
    ] {
        assert!(
            glue_code.contains(expected),
            "no `{expected}` in:\n{glue_code}"
        );
    }

    let test = copy.join("crates/chatcaptain/tests/organizations.rs");
    std::fs::create_dir_all(test.parent().unwrap()).unwrap();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(FIXTURES)
            .join("listing.rs"),
        &test,
    )
    .unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["test", "--offline", "--manifest-path"])
        .arg(copy.join("Cargo.toml"))
        .args([
            "-p",
            "chatcaptain",
            "--features",
            "blocking",
            "--test",
            "organizations",
        ])
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "the copy's listings failed:\n{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("test result: ok. 5 passed"),
        "{}",
        stdout(&output)
    );
}
