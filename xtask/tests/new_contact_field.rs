//! The proof that a new optional contact field needs nothing but the spec: `nickname` is added to
//! `Contact`, `NewContact` and `ContactUpdate` in a copy of the spec, `cargo xtask codegen`
//! regenerates a copy of the crates, and the copy's test (`fixtures/new_field/cli.rs`) sends it
//! from a file through the CLI to the fake and reads it back in the CSV and the table.

mod common;

use common::{copy, repo_root, stderr, stdout};

fn spec_with_nickname() -> String {
    let spec = std::fs::read_to_string(repo_root().join("spec/chatcaptain.yaml")).unwrap();
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
fn a_new_optional_contact_field_reaches_the_fake_and_the_cli_from_the_spec_alone() {
    let copy = copy::workspace(
        "new-contact-field",
        &[
            "chatcaptain-api",
            "chatcaptain",
            "chatcaptain-spec",
            "chatcaptain-fake",
            "chatcaptain-cli",
        ],
        &spec_with_nickname(),
    );
    let output = copy::codegen(&copy);
    assert!(output.status.success(), "{}", stderr(&output));

    let output = copy::run_test(
        &copy,
        "new_field/cli.rs",
        "chatcaptain-cli",
        "new_field",
        &[],
    );
    assert!(
        output.status.success(),
        "the new field did not go through:\n{}\n{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("test result: ok. 2 passed"),
        "{}",
        stdout(&output)
    );
}
