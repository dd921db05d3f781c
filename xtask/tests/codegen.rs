//! `cargo xtask codegen`, driven as a user drives it: the binary, real files, exit codes.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{MINIMAL, assert_contains, minimal_with, stderr, write_spec};

const SENTINEL: &str = "// committed code that a failed run must not touch\n";

fn repo_spec() -> PathBuf {
    common::repo_root().join("spec/chatcaptain.yaml")
}

fn codegen(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .args(args)
        .output()
        .expect("xtask runs")
}

/// `cargo xtask codegen --spec SPEC --out OUT` and `more` (`--check`, `--glue FILE`).
fn codegen_to(spec: &Path, out: &Path, more: &[&str]) -> Output {
    let mut args = vec![
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(more);
    codegen(&args)
}

fn run_with_spec(spec_text: &str) -> (Output, String) {
    let (dir, spec) = write_spec("bad.yaml", spec_text);
    let out = dir.path().join("generated.rs");
    std::fs::write(&out, SENTINEL).unwrap();
    let output = codegen_to(&spec, &out, &[]);
    let after = std::fs::read_to_string(&out).unwrap();
    (output, after)
}

fn generate_into(dir: &Path, spec: &Path) -> String {
    let out = dir.join("generated.rs");
    let output = codegen_to(spec, &out, &[]);
    assert!(output.status.success(), "{}", stderr(&output));
    std::fs::read_to_string(out).unwrap()
}

/// Runs codegen on MINIMAL with `from` replaced by `to`, which must fail cleanly: the output left
/// untouched and a message that says each of `words`, not a backtrace. Returns that message
/// (stderr).
fn fails_cleanly_saying(from: &str, to: &str, words: &[&str]) -> String {
    let (output, after) = run_with_spec(&minimal_with(from, to));
    assert!(!output.status.success(), "expected failure");
    assert_eq!(
        after, SENTINEL,
        "a failed run must leave the output untouched"
    );
    let err = stderr(&output);
    assert!(
        !err.contains("panicked at"),
        "a backtrace is no message:\n{err}"
    );
    assert!(
        !err.contains("RUST_BACKTRACE"),
        "a backtrace is no message:\n{err}"
    );
    assert_contains(&err, words);
    err
}

#[test]
fn minimal_spec_generates() {
    let (output, after) = run_with_spec(MINIMAL);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(after.contains("pub struct Thing"));
    assert!(after.starts_with("// @generated"));
}

#[test]
fn two_runs_produce_identical_bytes() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let first = generate_into(a.path(), &repo_spec());
    let second = generate_into(b.path(), &repo_spec());
    assert!(first == second, "codegen is not deterministic");
}

#[test]
fn header_names_spec_hash_generator_versions_and_do_not_edit() {
    let dir = tempfile::tempdir().unwrap();
    let code = generate_into(dir.path(), &repo_spec());
    let header: String = code.lines().take(4).collect::<Vec<_>>().join("\n");
    assert_contains(
        &header,
        &["spec/chatcaptain.yaml", "DO NOT EDIT", "progenitor 0.15.1"],
    );
    let sha = header
        .split("spec sha256: ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a sha256 line");
    assert_eq!(sha.len(), 64);
    assert!(sha.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[test]
fn yaml_syntax_error_names_file_line_and_column() {
    let err = fails_cleanly_saying("  title: t\n", "  title: [t\n", &["bad.yaml:"]);
    // "file:line:column: message"
    let located = err.split("bad.yaml:").nth(1).and_then(|rest| {
        let mut parts = rest.splitn(3, ':');
        Some((
            parts.next()?.parse::<usize>().ok()?,
            parts.next()?.parse::<usize>().ok()?,
        ))
    });
    assert!(located.is_some(), "no line and column in: {err}");
}

#[test]
fn openapi_3_1_is_refused_with_3_0_required() {
    fails_cleanly_saying(
        "openapi: 3.0.3",
        "openapi: 3.1.0",
        &["3.0.x required", "bad.yaml:1:"],
    );
}

#[test]
fn invalid_openapi_structure_names_file_and_line() {
    // `responses` must be a map; a list is valid YAML but not OpenAPI.
    fails_cleanly_saying(
        "      responses:\n        '200':",
        "      responses:\n        - x\n      other:\n        '200':",
        &["bad.yaml:"],
    );
}

#[test]
fn missing_operation_id_names_the_path() {
    fails_cleanly_saying(
        "      operationId: getThing\n",
        "",
        &["/v1/things/{id}", "operation"],
    );
}

#[test]
fn media_type_without_schema_names_the_operation_instead_of_panicking() {
    // progenitor panics on this shape; the user must get a message instead.
    fails_cleanly_saying(
        "              schema:\n                $ref: '#/components/schemas/Thing'\n",
        "              example: {}\n",
        &["getThing", "schema"],
    );
}

#[test]
fn two_success_bodies_name_the_operation_instead_of_panicking() {
    fails_cleanly_saying(
        "components:",
        "        '201':\n          description: created\n          content:\n            application/json:\n              schema:\n                type: string\ncomponents:",
        &["getThing"],
    );
}

#[test]
fn missing_spec_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("generated.rs");
    let output = codegen_to(&dir.path().join("nope.yaml"), &out, &[]);
    assert!(!output.status.success());
    assert_contains(&stderr(&output), &["nope.yaml"]);
    assert!(!out.exists());
}

#[test]
fn check_fails_with_a_diff_when_the_committed_code_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let fresh = generate_into(dir.path(), &repo_spec());
    let out = dir.path().join("generated.rs");
    let stale = fresh.replacen("pub struct Contact {", "pub struct Contact { // edited", 1);
    std::fs::write(&out, &stale).unwrap();

    let output = codegen_to(&repo_spec(), &out, &["--check"]);
    assert!(!output.status.success());
    let diff = String::from_utf8_lossy(&output.stdout);
    assert_contains(
        &diff,
        &[
            "-    pub struct Contact { // edited",
            "+    pub struct Contact {",
        ],
    );
    assert_contains(&stderr(&output), &["stale"]);
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        stale,
        "--check never writes"
    );
}

#[test]
fn check_passes_when_the_code_is_fresh() {
    let dir = tempfile::tempdir().unwrap();
    generate_into(dir.path(), &repo_spec());
    let output = codegen_to(&repo_spec(), &dir.path().join("generated.rs"), &["--check"]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn adding_a_field_to_contact_only_adds_lines_for_that_field() {
    let dir = tempfile::tempdir().unwrap();
    let before = generate_into(dir.path(), &repo_spec());

    let spec = std::fs::read_to_string(repo_spec()).unwrap();
    let anchor = "      required: [id, created]\n      properties:\n";
    assert!(spec.contains(anchor));
    let edited = spec.replacen(
        anchor,
        &format!(
            "{anchor}        nickname:\n          type: string\n          description: What friends call the contact.\n"
        ),
        1,
    );
    let edited_path = dir.path().join("edited.yaml");
    std::fs::write(&edited_path, edited).unwrap();
    let other = tempfile::tempdir().unwrap();
    let after = generate_into(other.path(), &edited_path);

    let diff = similar::TextDiff::from_lines(&before, &after);
    let mut removed = Vec::new();
    let mut added = Vec::new();
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Delete => removed.push(change.to_string()),
            similar::ChangeTag::Insert => added.push(change.to_string()),
            similar::ChangeTag::Equal => {}
        }
    }
    // Only the header's spec hash changes; everything else is new lines for the new field.
    assert_eq!(removed.len(), 1, "removed: {removed:#?}");
    assert!(removed[0].contains("spec sha256"));
    let about_nickname = added.iter().filter(|l| l.contains("nickname")).count();
    assert!(about_nickname >= 5, "added: {added:#?}");
    assert!(added.len() < 40, "added: {added:#?}");
}

#[test]
fn check_fails_when_the_listings_glue_is_stale() {
    let dir = tempfile::tempdir().unwrap();
    let (out, glue) = (dir.path().join("generated.rs"), dir.path().join("glue.rs"));
    let run = |more: &[&str]| {
        codegen_to(
            &repo_spec(),
            &out,
            &[&["--glue", glue.to_str().unwrap()], more].concat(),
        )
    };
    assert!(run(&[]).status.success());
    let fresh = std::fs::read_to_string(&glue).unwrap();
    assert!(fresh.starts_with("// @generated"), "{fresh}");
    assert!(
        run(&["--check"]).status.success(),
        "fresh glue passes --check"
    );

    std::fs::write(&glue, fresh.replacen("100u32", "10u32", 1)).unwrap();
    let output = run(&["--check"]);
    assert!(!output.status.success());
    assert_contains(&stderr(&output), &["glue.rs is stale"]);
}

#[test]
fn committed_listings_glue_is_what_the_spec_generates() {
    let output = codegen(&["--check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        String::from_utf8_lossy(&output.stdout)
            .contains("chatcaptain/src/generated.rs is up to date")
    );
}

#[test]
fn two_runs_produce_identical_glue() {
    let glue = |dir: &Path| {
        let (out, glue) = (dir.join("generated.rs"), dir.join("glue.rs"));
        let output = codegen_to(&repo_spec(), &out, &["--glue", glue.to_str().unwrap()]);
        assert!(output.status.success(), "{}", stderr(&output));
        std::fs::read_to_string(glue).unwrap()
    };
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    assert_eq!(glue(a.path()), glue(b.path()));
}

/// The committed spec with one more query parameter of `listContacts`, its first.
fn list_contacts_with_parameter(name: &str, required: bool, schema: &str) -> String {
    let spec = std::fs::read_to_string(repo_spec()).unwrap();
    let anchor = "      operationId: listContacts\n";
    let at = spec.find(anchor).expect("listContacts is in the spec");
    let list = "      parameters:\n";
    let parameters = at + spec[at..].find(list).unwrap() + list.len();
    let parameter = format!(
        "        - name: {name}\n          in: query\n          required: {required}\n          \
         description: A filter.\n          schema: {schema}\n"
    );
    format!("{}{parameter}{}", &spec[..parameters], &spec[parameters..])
}

/// The glue generated from `spec` (the async glue, then the blocking glue codegen writes beside
/// it, in `blocking/`), or the failed run.
fn glue_of(spec: &str) -> Result<String, Output> {
    let (dir, path) = write_spec("spec.yaml", spec);
    let (out, glue) = (dir.path().join("generated.rs"), dir.path().join("glue.rs"));
    let output = codegen_to(&path, &out, &["--glue", glue.to_str().unwrap()]);
    match output.status.success() {
        true => Ok(std::fs::read_to_string(&glue).unwrap()
            + &std::fs::read_to_string(dir.path().join("blocking/glue.rs")).unwrap()),
        false => Err(output),
    }
}

/// Asserts the glue generated from `spec` holds each of `expected`, white space folded to one
/// space (so a signature is found however rustfmt broke its lines).
fn assert_glue_holds(spec: &str, expected: &[&str]) {
    let glue = glue_of(spec).unwrap_or_else(|output| panic!("{}", stderr(&output)));
    let squeezed: String = glue.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in expected {
        assert!(squeezed.contains(expected), "no `{expected}` in:\n{glue}");
    }
}

#[test]
fn an_optional_parameter_of_a_listing_is_a_setter_of_its_type_on_both_clients() {
    let spec = list_contacts_with_parameter("minScore", false, "{type: integer, format: int64}");
    assert_glue_holds(
        &spec,
        &[
            "pub min_score: Option<i64>,",
            // The async listing and the blocking one (`map` onto the async setter).
            "pub fn min_score(self, value: impl Into<i64>) -> Self { let value = value.into(); \
             self.with_params(|params| params.min_score = Some(value)) }",
            "pub fn min_score(self, value: impl Into<i64>) -> Self { self.map(|listing| listing.min_score(value)) }",
            // Sent only when set.
            "if let Some(value) = &self.min_score { request = request.min_score(::std::clone::Clone::clone(value)); }",
        ],
    );
}

#[test]
fn a_required_parameter_of_a_listing_is_an_argument_of_its_type() {
    let spec = list_contacts_with_parameter("year", true, "{type: integer, format: int32}");
    assert_glue_holds(
        &spec,
        &[
            "pub fn list_contacts( &self, year: impl Into<i32>, chatbot_id: impl Into<String>, ) -> ListContacts",
        ],
    );
}

#[test]
fn an_optional_parameter_named_like_a_listing_method_is_refused_by_name() {
    let output = glue_of(&list_contacts_with_parameter(
        "maxItems",
        false,
        "{type: integer}",
    ))
    .expect_err("a setter `max_items` would clash with the listing's own");
    let err = stderr(&output);
    assert_contains(
        &err,
        &["optional parameter `maxItems` would be the listing's setter `max_items`"],
    );
    assert!(!err.contains("panicked at"), "{err}");
}

/// The operation table has one entry per operation of the spec, with the spec's method and path
/// and an idempotency that follows the method unless `x-idempotent` says otherwise: an
/// operation with no entry would be retried and traced as nothing at all.
#[test]
fn the_operation_table_has_every_operation_with_its_method_path_and_idempotency() {
    let spec = minimal_with(
        "components:",
        "    post:\n      operationId: makeThing\n      summary: Make\n      tags: [things]\n      \
         parameters:\n        - name: id\n          in: path\n          required: true\n          \
         schema:\n            type: string\n      \
         responses:\n        '201':\n          description: ok\n          content:\n            \
         application/json:\n              schema:\n                $ref: '#/components/schemas/Thing'\n    \
         patch:\n      operationId: mergeThing\n      summary: Merge\n      tags: [things]\n      \
         x-idempotent: true\n      \
         parameters:\n        - name: id\n          in: path\n          required: true\n          \
         schema:\n            type: string\n      responses:\n        '200':\n          description: ok\n          \
         content:\n            application/json:\n              schema:\n                \
         $ref: '#/components/schemas/Thing'\ncomponents:",
    );
    let (dir, path) = write_spec("spec.yaml", &spec);
    let code = generate_into(dir.path(), &path);
    let table = &code[code
        .find("pub mod operations")
        .expect("an operations module")..];
    let doc: serde_json::Value = serde_norway::from_str(&spec).unwrap();
    let mut count = 0;
    let mut expected = Vec::new();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap();
            let variant = format!("Operation::{}{}", id[..1].to_uppercase(), &id[1..]);
            count += 1;
            expected.extend([
                format!("{variant} => \"{id}\""),
                format!("{variant} => \"{}\"", method.to_uppercase()),
                format!("{variant} => \"{template}\""),
            ]);
        }
    }
    assert_eq!(count, 3);
    expected.extend(
        [
            ("GetThing", true),
            ("MakeThing", false),
            ("MergeThing", true),
        ]
        .map(|(variant, idempotent)| format!("Operation::{variant} => {idempotent}")),
    );
    assert_contains(table, &expected);
}
