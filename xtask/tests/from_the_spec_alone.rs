//! The proof that the client follows the spec alone, and that additions to the spec are
//! compatible releases. A copy of the workspace gets a spec that only adds to the committed one:
//! two paginated partner operations (with optional parameters of three types, a required
//! integer one, and a plan enum the answers can hold), a new optional contact field
//! (`nickname`), a field in every schema and an optional parameter of `listContacts`.
//! `cargo xtask spec-diff` calls that compatible (exit 0), `cargo xtask codegen` regenerates the
//! copy's crates, and the copy's own tests show that:
//! - the partner listings page every item once over loopback HTTP (ties at page boundaries,
//!   prefetch, resume, exclusion, the blocking iterators), their optional parameters are setters,
//!   and a plan the spec does not list is kept: `fixtures/partners/listing.rs`;
//! - the field goes from a file through the CLI to the fake and back into the CLI's CSV and
//!   table, and gets setters: `fixtures/new_field/cli.rs`;
//! - a program written against today's API keeps compiling and working:
//!   `crates/chatcaptain/tests/client/user_program.rs`.
//!
//! Then `Address` loses `location`: spec-diff calls it breaking (exit 1) and, with
//! `CHATCAPTAIN_FULL_TESTS=1` (out of CI for time), the same program no longer compiles.
//!
//! One copy for all: each copy compiles the generated client again (~30 s). It is built with
//! cargo in this workspace's target directory, so shared dependencies are reused; only the copied
//! crates compile.

mod common;

use std::path::Path;

use common::{assert_contains, copy, repo_root, stderr, stdout, xtask};

const FIXTURES: &str = "tests/fixtures/partners";

/// The committed spec with the partner operations and schemas added.
fn with_partners(spec: String) -> String {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURES);
    let paths = std::fs::read_to_string(fixtures.join("paths.yaml")).unwrap();
    let schemas = std::fs::read_to_string(fixtures.join("schemas.yaml")).unwrap();
    // A third resource, with a handle (`client.partners(bot)`) generated from its tag.
    let tag = "  - name: partners\n    description: The partners of a chatbot\n    x-rust-handle: partners\n";
    let edits = [
        ("\npaths:\n", format!("\n{tag}paths:\n")),
        ("\ncomponents:\n", format!("\n{paths}components:\n")),
        ("\n  schemas:\n", format!("\n  schemas:\n{schemas}")),
    ];
    edits.into_iter().fold(spec, |spec, (anchor, with)| {
        assert!(spec.contains(anchor), "spec anchor not found: {anchor:?}");
        spec.replacen(anchor, &with, 1)
    })
}

/// Where schema `name` starts and ends (the next line indented as little as its name).
fn schema_block(spec: &str, name: &str) -> std::ops::Range<usize> {
    let start = spec
        .find(&format!("\n    {name}:\n"))
        .unwrap_or_else(|| panic!("no schema {name}"))
        + 1;
    let mut end = start + spec[start..].find('\n').unwrap() + 1;
    for line in spec[end..].split_inclusive('\n') {
        if !line.starts_with("     ") {
            break;
        }
        end += line.len();
    }
    start..end
}

/// `field` (YAML at the indentation of a property) added first to the properties of `schema`.
fn with_property(spec: String, schema: &str, field: &str) -> String {
    let block = schema_block(&spec, schema);
    let anchor = "      properties:\n";
    let properties = block.start
        + spec[block.clone()]
            .find(anchor)
            .unwrap_or_else(|| panic!("{schema} has no properties"))
        + anchor.len();
    format!("{}{field}{}", &spec[..properties], &spec[properties..])
}

/// `nickname` added to the properties of `Contact`, `NewContact` and `ContactUpdate`.
fn with_nickname(spec: String) -> String {
    let field = "        nickname:\n          type: string\n          description: What friends call the contact.\n          example: Maxi\n";
    ["Contact", "NewContact", "ContactUpdate"]
        .into_iter()
        .fold(spec, |spec, schema| with_property(spec, schema, field))
}

/// `revision` added to every schema with properties (every response type among them), and an
/// optional parameter to `listContacts`: what a vendor adds all the time.
fn with_additions(spec: String) -> String {
    let schemas: Vec<String> = spec
        .lines()
        .skip_while(|l| *l != "  schemas:")
        .filter_map(|l| l.strip_prefix("    ")?.strip_suffix(':').map(str::to_owned))
        .filter(|name| !name.starts_with(' '))
        .collect();
    let field = "        revision:\n          type: integer\n          format: int64\n          description: How often it changed.\n          example: 3\n";
    let mut spec = spec;
    let mut added = 0;
    for schema in &schemas {
        if spec[schema_block(&spec, schema)].contains("\n      properties:\n") {
            spec = with_property(spec, schema, field);
            added += 1;
        }
    }
    assert!(added >= 10, "revision added to only {added} schemas");
    let anchor = "      operationId: listContacts\n";
    let at = spec.find(anchor).expect("listContacts is in the spec");
    let list = "      parameters:\n";
    let parameters = at + spec[at..].find(list).unwrap() + list.len();
    let parameter = "        - name: channel\n          in: query\n          required: false\n          description: Only contacts of this channel.\n          schema:\n            type: string\n          example: whatsapp\n";
    format!("{}{parameter}{}", &spec[..parameters], &spec[parameters..])
}

/// `location` removed from `Address`.
fn without_address_location(spec: &str) -> String {
    let field = "        location:\n          type: string\n          description: City or town.\n          example: Berlin\n";
    assert!(spec.contains(field), "Address.location is not in the spec");
    spec.replacen(field, "", 1)
}

/// `cargo xtask spec-diff` from the committed spec to `spec` (written next to it in the copy).
fn spec_diff(copy: &Path, name: &str, spec: &str) -> std::process::Output {
    let path = copy.join(name);
    std::fs::write(&path, spec).unwrap();
    let committed = repo_root().join("spec/chatcaptain.yaml");
    xtask(&[
        "spec-diff",
        committed.to_str().unwrap(),
        path.to_str().unwrap(),
    ])
}

#[test]
fn additions_to_the_spec_work_from_the_spec_alone_and_break_no_program() {
    let committed = std::fs::read_to_string(repo_root().join("spec/chatcaptain.yaml")).unwrap();
    let spec = with_additions(with_nickname(with_partners(committed)));
    let copy = copy::workspace(
        "spec-alone",
        &[
            "chatcaptain-api",
            "chatcaptain",
            "chatcaptain-spec",
            "chatcaptain-fake",
            "chatcaptain-cli",
        ],
        &spec,
    );

    let output = spec_diff(&copy, "grown.yaml", &spec);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}{}", stderr(&output));
    for expected in [
        "operation added",
        "optional parameter `channel` added (query)",
        "optional property `contacts[].revision` added",
        "field `types::Contact.nickname` added",
        "field `types::ErrorResponse.revision` added",
        "wire: 0 breaking",
        "Rust API: 0 breaking",
        "these changes need a minor bump)",
        "these changes need a patch bump)",
    ] {
        assert!(report.contains(expected), "no `{expected}` in:\n{report}");
    }

    let output = copy::codegen(&copy);
    assert!(output.status.success(), "{}", stderr(&output));
    let glue = copy.join("crates/chatcaptain/src/generated.rs");
    let glue_code = std::fs::read_to_string(&glue).unwrap();
    for expected in [
        "pub type ListPartners = crate::paging::CursorListing<ListPartnersParams>;",
        "pub type SearchPartners = crate::paging::PageListing<SearchPartnersParams>;",
        "impl crate::paging::Dated for types::ListedPartner",
        "pub fn min_size(self, value: impl Into<i64>) -> Self",
        "pub fn channel(self, value: impl Into<String>) -> Self",
        "pub fn partners(&self, chatbot_id: impl Into<String>) -> Partners",
    ] {
        assert!(
            glue_code.contains(expected),
            "no `{expected}` in:\n{glue_code}"
        );
    }

    // All features: the blocking listings too.
    let program = repo_root().join("crates/chatcaptain/tests/client/user_program.rs");
    let output = copy::run_tests(
        &copy,
        &[
            ("partners/listing.rs", "chatcaptain", "partners"),
            ("new_field/cli.rs", "chatcaptain-cli", "new_field"),
            // A module of the partners' test binary.
            (program.to_str().unwrap(), "chatcaptain", "partners"),
        ],
    );
    assert!(
        output.status.success(),
        "the copy's tests failed:\n{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    let passed = stdout(&output);
    assert!(
        passed.contains("test user_program::a_program_written_against_todays_api"),
        "the user program did not run:\n{passed}"
    );
    for (count, what) in [(8, "partner listings and user program"), (2, "new field")] {
        assert!(
            passed.contains(&format!("test result: ok. {count} passed")),
            "not all {count} tests of the {what} passed:\n{passed}"
        );
    }

    // A field removed: breaking at both levels, and the program no longer compiles.
    let shrunk = without_address_location(&spec);
    let output = spec_diff(&copy, "shrunk.yaml", &shrunk);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}{}", stderr(&output));
    assert_contains(
        &report,
        &["BREAKING  field `types::Address.location` removed"],
    );
    // That the program then fails to compile costs a rebuild of the copy's client, crate and
    // fake (~10 s), which CI has no room for: `CHATCAPTAIN_FULL_TESTS=1` runs it (the README's
    // "Before a release" does).
    if std::env::var_os("CHATCAPTAIN_FULL_TESTS").is_none() {
        return;
    }
    std::fs::write(copy.join("spec/chatcaptain.yaml"), &shrunk).unwrap();
    let output = copy::codegen(&copy);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = copy::build_test(&copy, "partners");
    let errors = stderr(&output);
    assert!(!output.status.success(), "it still compiles:\n{errors}");
    assert!(
        errors.contains("user_program.rs") && errors.contains("location"),
        "not the program failing on `location`:\n{errors}"
    );
}
