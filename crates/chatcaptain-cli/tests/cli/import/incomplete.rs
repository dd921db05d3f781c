//! Created, but the update after the create failed: its own outcome, with the id.

use chatcaptain_fake::{Fault, Route};

use super::*;

const WITH_VARIABLES: &str = r#"{"language":"EN","name":"Ada","variables":{"plan":"pro"}}"#;

fn first_update_fails() -> Fake {
    fake_with_fault(Fault::status(422).on(Route::UpdateContact).nth(1))
}

#[test]
fn created_but_not_updated_is_incomplete_with_its_id_and_its_rejects_line_imports_as_an_update() {
    let fake = first_update_fails();
    let dir = Dir::new();
    let input = dir.file("in.ndjson", &format!("{WITH_VARIABLES}\n"));
    let rejects_file = dir.path("rejects.ndjson");
    let out = import_with_rejects(&fake, &dir, &input, &rejects_file)
        .assert()
        .code(1);
    assert!(stdout_of(&out).is_empty());
    let rejected = rejects(&rejects_file);
    assert_eq!(rejected[0]["outcome"], "incomplete");
    let id = rejected[0]["id"]
        .as_str()
        .expect("the id as a field")
        .to_owned();
    assert!(fake.server.contact(BOT, &id).unwrap().variables.is_empty());

    // The rejects file imported: the contact is updated, nothing is created.
    let again = dir.path("rejects-again.ndjson");
    assert_eq!(
        printed_records(import_with_rejects(&fake, &dir, &rejects_file, &again))[0]["id"],
        id.as_str()
    );
    assert_eq!(fake.server.request_count(Route::CreateContact), 1);
    assert_eq!(fake.server.contact_count(BOT), 1);
    assert_eq!(
        fake.server.contact(BOT, &id).unwrap().variables["plan"],
        "pro"
    );
}

#[test]
fn the_same_command_again_finishes_an_incomplete_contact_without_creating_it_again() {
    let fake = first_update_fails();
    let dir = Dir::new();
    let input = dir.file("in.ndjson", &format!("{WITH_VARIABLES}\n"));
    import(&fake, &dir, &[arg(&input)]).assert().code(1);
    let id = ids(&printed_records(import(&fake, &dir, &[arg(&input)]))).remove(0);
    assert_eq!(fake.server.contact_count(BOT), 1);
    assert_eq!(
        fake.server.contact(BOT, &id).unwrap().variables["plan"],
        "pro"
    );
    // Done now: a third run sends nothing.
    import(&fake, &dir, &[arg(&input)]).assert().success();
    assert_eq!(fake.server.request_count(Route::CreateContact), 1);
    assert_eq!(fake.server.request_count(Route::UpdateContact), 2);
}

#[test]
fn an_unknown_line_of_the_rejects_is_reported_again_not_sent() {
    let (fake, dir) = empty_chatbot();
    let rejects_in = dir.file(
        "rejects.ndjson",
        r#"{"line":3,"outcome":"unknown","error":"lost","record":{"language":"EN","name":"maybe"}}
{"line":4,"outcome":"rejected","error":"422","record":{"language":"EN","name":"surely"}}
"#,
    );
    let rejects_out = dir.path("rejects-again.ndjson");
    import_with_rejects(&fake, &dir, &rejects_in, &rejects_out)
        .assert()
        .code(1);
    assert_eq!(names(&fake, BOT), ["surely"]);
    let again = rejects(&rejects_out);
    assert_eq!(
        (again.len(), again[0]["outcome"].as_str()),
        (1, Some("unknown"))
    );
    assert_eq!(again[0]["record"]["name"], "maybe");
}
