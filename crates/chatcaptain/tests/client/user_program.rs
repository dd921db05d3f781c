//! A program written against the crates' public API as it is today: it reads fields, matches
//! the generated types with `..`, builds them with their builders and `NewContact::new`, and
//! lists. It runs here, and `xtask/tests/from_the_spec_alone.rs` compiles and runs it again in a
//! copy of the workspace whose spec gained a field in every response type, an optional request
//! field, an optional parameter and operations (it must keep compiling: spec-diff calls that
//! compatible), then in one whose `Address` lost `location` (it must not: spec-diff calls that
//! breaking). So it depends only on `chatcaptain`, its fake and the crates every test has.

use chatcaptain::api::types;
use chatcaptain::{Client, ContactUpdate, NewContact};
use chatcaptain_fake::FakeServer;

const KEY: &str = "user-program-key";

/// Reads fields by name and ignores the ones it does not know, as a program should.
fn describe(contact: &types::Contact) -> String {
    let types::Contact {
        id, name, email, ..
    } = contact;
    let city = match &contact.address {
        Some(types::Address { location, .. }) => location.clone(),
        None => None,
    };
    format!(
        "{id}: {} <{}> in {}",
        name.as_deref().unwrap_or("?"),
        email.as_deref().unwrap_or("-"),
        city.as_deref().unwrap_or("?")
    )
}

/// A response built the way a test double builds one: with the generated builders.
fn canned_contact() -> types::Contact {
    types::Contact::builder()
        .id("c1")
        .created(chrono::DateTime::UNIX_EPOCH)
        .name(Some("Ada".to_owned()))
        .email(Some("ada@example.com".to_owned()))
        .address(Some(
            types::Address::builder()
                .location(Some("Berlin".to_owned()))
                .try_into()
                .unwrap(),
        ))
        .try_into()
        .unwrap()
}

#[tokio::test]
async fn a_program_written_against_todays_api_reads_builds_and_lists() {
    assert_eq!(
        describe(&canned_contact()),
        "c1: Ada <ada@example.com> in Berlin"
    );
    let canned: types::ListContactsResponse = types::ListContactsResponse::builder()
        .contacts(vec![canned_contact()])
        .try_into()
        .unwrap();
    let types::ListContactsResponse { contacts, .. } = &canned;
    assert_eq!(contacts.len(), 1);

    let server = FakeServer::builder()
        .api_key(KEY)
        .seed_contacts("bot1", 30)
        .start()
        .await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(server.base_url())
        .build()
        .unwrap();
    let contacts = client.contacts("bot1");
    let created = contacts
        .create(NewContact::new("EN").name("Ada").email("ada@example.com"))
        .await
        .unwrap();
    assert!(describe(&created).ends_with("Ada <ada@example.com> in ?"));
    let updated = contacts
        .update(&created.id, ContactUpdate::new().name("Ada L."))
        .await
        .unwrap();
    assert_eq!(updated.name.as_deref(), Some("Ada L."));

    let listed = client
        .list_contacts("bot1")
        .page_size(7)
        .max_items(20)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(listed.len(), 20);
    let found = client
        .search_contacts("bot1", "")
        .page_size(10)
        .max_items(15)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(found.len(), 15);
}
