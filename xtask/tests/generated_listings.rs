//! The proof that a paginated operation needs nothing but the spec: two organization listings
//! are added to a copy of the spec, `cargo xtask codegen` writes a copy of the client crates,
//! and the copy's own test (`fixtures/organizations/listing.rs`) pages them over loopback HTTP
//! (ties at page boundaries, prefetch, resume, exclusion, the blocking iterators).
//!
//! It builds the copy with cargo in this workspace's target directory, so shared dependencies
//! are reused; only the two copied crates compile.

mod common;

use std::path::Path;

use common::{copy, repo_root, stderr, stdout};

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

#[test]
fn paginated_operations_added_to_the_spec_get_listings_that_page_every_item_once() {
    let copy = copy::workspace(
        "generated-listings",
        &["chatcaptain-api", "chatcaptain"],
        &spec_with_organizations(),
    );
    let output = copy::codegen(&copy);
    assert!(output.status.success(), "{}", stderr(&output));
    let glue = copy.join("crates/chatcaptain/src/generated.rs");
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

    let output = copy::run_test(
        &copy,
        "organizations/listing.rs",
        "chatcaptain",
        "organizations",
        &[], // the blocking listings too: the copy is tested with all features
    );
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
