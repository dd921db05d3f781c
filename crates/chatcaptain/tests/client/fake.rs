//! End to end against the project's fake server, which keeps state and honours the spec.

use std::collections::HashMap;

use chatcaptain::{Client, Contact, ContactUpdate, Contacts, NewContact};
use chatcaptain_fake::{FakeServer, Route, seed_base_time};
use chrono::TimeDelta;

use crate::common::client;
use crate::common::fake::{FAKE_KEY as KEY, empty_fake, tied_fake};
use crate::common::listing::assert_n_distinct;

#[tokio::test]
async fn list_against_the_fake_yields_every_contact_once_despite_ties() {
    // 50 contacts share the timestamp of seeded contact 500, so several pages end inside the tie.
    let server = tied_fake(1000, 50, 500).start().await;
    let got = client(&server)
        .contacts("bot1")
        .list()
        .page_size(7)
        .prefetch(true)
        .collect_all()
        .await
        .unwrap();
    assert_n_distinct(&got, 1050, "");
    assert!(got.windows(2).all(|w| w[0].created >= w[1].created));
}

#[tokio::test]
async fn more_ties_than_an_inclusive_servers_cap_fail_loudly_never_end_with_a_hole() {
    // 26 contacts share the newest instant; the server answers at most 7 and counts its token
    // in, so no cursor can page past them. The probe after the first short page met the
    // boundary itself (the first sign of an inclusive token): it once took that for the end
    // and returned 7 contacts of 86 as the whole list.
    let server = tied_fake(60, 26, 3600)
        .list_shape(
            chatcaptain_fake::ListShape::spec()
                .limit_cap(7)
                .inclusive_token(true),
        )
        .start()
        .await;
    let got = list_all(&server, 10).await;
    assert!(
        matches!(got, Err(chatcaptain::Error::PaginationStalled(_))),
        "{:?}",
        got.map(|all| all.len())
    );
}

#[tokio::test]
async fn search_against_the_fake_stops_at_found() {
    let server = crate::common::fake::seeded_fake(120).await;
    let got = client(&server)
        .contacts("bot1")
        .search("")
        .page_size(50)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(got.len(), 120);
    assert_eq!(server.request_count(Route::SearchContacts), 3);
}

#[tokio::test]
async fn create_get_update_delete_round_trip_against_the_fake() {
    let server = empty_fake().await;
    let contacts = client(&server).contacts("bot1");
    let max = contacts
        .create(NewContact::new("EN").name("Max"))
        .await
        .unwrap();
    assert_eq!(
        contacts.get(&max.id).await.unwrap().name.as_deref(),
        Some("Max")
    );
    let renamed = contacts
        .update(&max.id, ContactUpdate::new().name("Moritz"))
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Moritz"));
    assert!(contacts.delete(&max.id).await.unwrap());
    assert!(contacts.get(&max.id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn an_update_with_empty_organizations_and_variables_clears_them() {
    let server = empty_fake().await;
    let contacts = client(&server).contacts("bot1");
    let max = contacts.create(NewContact::new("EN")).await.unwrap();
    let filled = ContactUpdate::new()
        .organization_ids(["o1", "o2"])
        .variable("plan", "premium");
    let filled = contacts.update(&max.id, filled).await.unwrap();
    assert_eq!(filled.organization_ids, ["o1", "o2"]);
    assert_eq!(filled.variables.len(), 1);

    let cleared = ContactUpdate::new()
        .organization_ids(Vec::<String>::new())
        .variables(Default::default());
    let cleared = contacts.update(&max.id, cleared).await.unwrap();
    assert!(cleared.organization_ids.is_empty());
    assert!(cleared.variables.is_empty());
}

fn variables(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A new contact whose stored variables are `plan=premium` and `tier=gold`.
async fn created_with_plan_and_tier(contacts: &Contacts) -> Contact {
    let max = contacts.create(NewContact::new("EN")).await.unwrap();
    let both = variables(&[("plan", "premium"), ("tier", "gold")]);
    contacts
        .update(&max.id, ContactUpdate::new().variables(both))
        .await
        .unwrap()
}

#[tokio::test]
async fn setting_one_variable_keeps_the_other_stored_variables() {
    let server = empty_fake().await;
    let contacts = client(&server).contacts("bot1");
    let max = created_with_plan_and_tier(&contacts).await;

    let merged = contacts
        .update(&max.id, ContactUpdate::new().variable("source", "import"))
        .await
        .unwrap();
    let all_three = variables(&[("plan", "premium"), ("tier", "gold"), ("source", "import")]);
    assert_eq!(merged.variables, all_three);
    assert_eq!(
        server.contact("bot1", &max.id).unwrap().variables,
        all_three
    );
}

#[tokio::test]
async fn setting_a_whole_variables_map_replaces_the_stored_one() {
    let server = empty_fake().await;
    let contacts = client(&server).contacts("bot1");
    let max = created_with_plan_and_tier(&contacts).await;
    server.clear_requests();

    let replaced = ContactUpdate::new()
        .variables(variables(&[("source", "import")]))
        .variable("batch", "7");
    let replaced = contacts.update(&max.id, replaced).await.unwrap();
    assert_eq!(
        replaced.variables,
        variables(&[("source", "import"), ("batch", "7")])
    );
    // A whole map needs no read of the stored one.
    assert_eq!(server.request_count(Route::GetContact), 0);
}

#[tokio::test]
async fn a_wrong_key_is_refused_with_the_status_and_the_server_text() {
    let server = FakeServer::builder().api_key(KEY).start().await;
    let wrong = Client::builder()
        .api_key("nope")
        .base_url(server.base_url())
        .build()
        .unwrap();
    let err = wrong.contacts("bot1").get("x").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err}");
}

/// Lists every contact of `bot1` on `server`, `page_size` at a time.
async fn list_all(server: &FakeServer, page_size: u32) -> Result<Vec<Contact>, chatcaptain::Error> {
    client(server)
        .contacts("bot1")
        .list()
        .page_size(page_size)
        .collect_all()
        .await
}

/// How many contacts `bot1` holds on `server`, and all of them listed 120 at a time.
async fn list_on(server: FakeServer) -> (usize, Result<Vec<Contact>, chatcaptain::Error>) {
    (server.contact_count("bot1"), list_all(&server, 120).await)
}

#[tokio::test]
async fn list_against_fakes_shaped_unlike_the_spec_yields_every_contact_once() {
    use chatcaptain_fake::ListShape;
    let shapes = [
        ListShape::spec().limit_cap(100),
        ListShape::spec().max_limit(125),
        ListShape::spec().inclusive_token(true),
        ListShape::spec().limit_cap(90).inclusive_token(true),
    ];
    for shape in shapes {
        let server = tied_fake(700, 40, 300)
            .list_shape(shape.clone())
            .start()
            .await;
        let (count, got) = list_on(server).await;
        let got = got.unwrap_or_else(|e| panic!("{shape:?}: {e}"));
        assert_n_distinct(&got, count, &format!("{shape:?}"));
    }
}

#[tokio::test]
async fn list_against_a_fake_of_millisecond_data_yields_every_contact_once() {
    let server = FakeServer::builder()
        .api_key(KEY)
        .seed_contacts_every("bot1", 3000, TimeDelta::milliseconds(1))
        .seed_contacts_at("bot1", 3, seed_base_time() + TimeDelta::seconds(2))
        .start()
        .await;
    let (count, got) = list_on(server).await;
    let got = got.unwrap();
    assert_n_distinct(&got, count, "");
}

#[tokio::test]
async fn list_against_an_oldest_first_fake_fails_loudly() {
    let server = FakeServer::builder()
        .api_key(KEY)
        .seed_contacts("bot1", 300)
        .list_shape(chatcaptain_fake::ListShape::spec().oldest_first(true))
        .start()
        .await;
    let (_, got) = list_on(server).await;
    assert!(
        matches!(got, Err(chatcaptain::Error::PaginationInconsistent(_))),
        "{got:?}"
    );
}

#[tokio::test]
async fn a_chatbot_the_key_does_not_belong_to_is_a_403_that_names_it() {
    let server = FakeServer::builder()
        .api_key(KEY)
        .seed_contacts("bot1", 3)
        .seed_organizations("bot1", 2)
        .start()
        .await;
    let client = client(&server);
    let typo = "b0t1";
    let contacts = client.contacts(typo);
    let organizations = client.organizations(typo);
    let errors = [
        contacts.list().collect_all().await.unwrap_err(),
        contacts.search("a").collect_all().await.unwrap_err(),
        contacts.get("c1").await.unwrap_err(),
        contacts.create(NewContact::new("EN")).await.unwrap_err(),
        organizations.list().collect_all().await.unwrap_err(),
        organizations
            .create(chatcaptain::NewOrganization::new("Acme"))
            .await
            .unwrap_err(),
    ];
    for err in errors {
        assert_eq!(err.status().map(|s| s.as_u16()), Some(403), "{err:?}");
        assert_eq!(err.chatbot(), Some(typo), "{err:?}");
        let text = err.to_string();
        assert!(
            text.starts_with("ChatCaptain answered 403 Forbidden: Insufficient permissions. (chatbot \"b0t1\": the API key may belong to another chatbot, or lack the permission)"),
            "{text}"
        );
        assert!(
            err.request_id().is_some_and(|id| id.starts_with("fake-")),
            "{err:?}"
        );
    }
    // Nothing was retried: a 403 does not change by asking again.
    assert_eq!(server.request_count(Route::Any), 6);
    assert_eq!(
        client
            .contacts("bot1")
            .list()
            .collect_all()
            .await
            .unwrap()
            .len(),
        3
    );
}
