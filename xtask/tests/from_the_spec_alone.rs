//! The proof that the client follows the spec alone. A copy of the workspace gets a spec with two
//! paginated organization operations and a new optional contact field (`nickname`); `cargo xtask
//! codegen` regenerates the copy's crates, and the copy's own tests show that:
//! - the organization listings page every item once over loopback HTTP (ties at page boundaries,
//!   prefetch, resume, exclusion, the blocking iterators): `fixtures/organizations/listing.rs`;
//! - the field goes from a file through the CLI to the fake and back into the CLI's CSV and
//!   table, and gets setters: `fixtures/new_field/cli.rs`.
//!
//! One copy for both: each copy compiles the generated client again (~30 s). It is built with
//! cargo in this workspace's target directory, so shared dependencies are reused; only the copied
//! crates compile.

mod common;

use std::path::Path;

use common::{copy, repo_root, stderr, stdout};

const FIXTURES: &str = "tests/fixtures/organizations";

/// The committed spec with the organization operations and schemas added, and `created`
/// required of an organization (a cursor pages by a required creation time).
fn with_organizations(spec: String) -> String {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES);
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

/// `nickname` added to the properties of `Contact`, `NewContact` and `ContactUpdate`.
fn with_nickname(spec: String) -> String {
    let field = "        nickname:\n          type: string\n          description: What friends call the contact.\n          example: Maxi\n";
    [
        "    Contact:\n",
        "    NewContact:\n",
        "    ContactUpdate:\n",
    ]
    .into_iter()
    .fold(spec, |spec, schema| {
        let at = spec.find(schema).expect("the schema is in the spec");
        let anchor = "      properties:\n";
        let properties = at + spec[at..].find(anchor).unwrap() + anchor.len();
        format!("{}{field}{}", &spec[..properties], &spec[properties..])
    })
}

#[test]
fn new_listings_and_a_new_contact_field_work_from_the_spec_alone() {
    let spec = std::fs::read_to_string(repo_root().join("spec/chatcaptain.yaml")).unwrap();
    let copy = copy::workspace(
        "spec-alone",
        &[
            "chatcaptain-api",
            "chatcaptain",
            "chatcaptain-spec",
            "chatcaptain-fake",
            "chatcaptain-cli",
        ],
        &with_nickname(with_organizations(spec)),
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

    // All features: the blocking listings too.
    let output = copy::run_tests(
        &copy,
        &[
            ("organizations/listing.rs", "chatcaptain", "organizations"),
            ("new_field/cli.rs", "chatcaptain-cli", "new_field"),
        ],
    );
    assert!(
        output.status.success(),
        "the copy's tests failed:\n{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    let passed = stdout(&output);
    for (count, what) in [(5, "organization listings"), (2, "new field")] {
        assert!(
            passed.contains(&format!("test result: ok. {count} passed")),
            "not all {count} tests of the {what} passed:\n{passed}"
        );
    }
}
