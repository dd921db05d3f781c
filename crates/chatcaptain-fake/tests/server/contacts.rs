//! Create, get, update, delete and organizations really change and show the fake's state.

use crate::common;

use chatcaptain_api::types::{Contact, Organization};
use chatcaptain_fake::FakeServer;
use common::{BOT, call, contact_path, contacts_path, create_contact, get, send};
use reqwest::Method;
use serde_json::json;

#[tokio::test]
async fn created_contact_answers_201_and_can_be_fetched() {
    let server = FakeServer::start().await;
    let body = json!({"language": "EN", "name": "Max Example", "email": "max@example.com"});
    let created = create_contact(&server, body).await;
    assert_eq!(created.status, 201);
    let contact = &created.json["contact"];
    assert_eq!(contact["name"], "Max Example");
    assert_eq!(contact["language"], "EN");
    let id = contact["id"].as_str().unwrap();
    assert_eq!(id.len(), 20);

    let fetched = get(&server, &contact_path(BOT, id)).await;
    assert_eq!(fetched.status, 200);
    assert_eq!(&fetched.json["contact"], contact);
    assert_eq!(server.contact_count(BOT), 1);
}

#[tokio::test]
async fn creating_twice_makes_two_contacts() {
    let server = FakeServer::start().await;
    for _ in 0..2 {
        let reply = create_contact(&server, json!({"language": "DE"})).await;
        assert_eq!(reply.status, 201);
    }
    assert_eq!(server.contact_count(BOT), 2);
}

#[tokio::test]
async fn update_merges_present_fields_and_keeps_the_others() {
    let server = FakeServer::start().await;
    let created = create_contact(
        &server,
        json!({"language": "EN", "name": "Old", "email": "a@example.com"}),
    )
    .await;
    let id = created.json["contact"]["id"].as_str().unwrap().to_owned();
    let update = json!({"contact": {"name": "New", "address": {"location": "Berlin"}, "variables": {"plan": "premium"}}});
    let updated = call(
        &server,
        Method::PATCH,
        &contact_path(BOT, &id),
        Some(update),
    )
    .await;
    assert_eq!(updated.status, 200);
    let contact = &updated.json["contact"];
    assert_eq!(contact["name"], "New");
    assert_eq!(contact["email"], "a@example.com");
    assert_eq!(contact["address"]["location"], "Berlin");
    assert_eq!(contact["variables"]["plan"], "premium");
    assert_eq!(
        server.contact(BOT, &id).unwrap().name.as_deref(),
        Some("New")
    );
}

#[tokio::test]
async fn update_with_empty_or_null_lists_and_maps_clears_them() {
    let server = FakeServer::start().await;
    let created = create_contact(&server, json!({"language": "EN"})).await;
    let id = created.json["contact"]["id"].as_str().unwrap().to_owned();
    let path = contact_path(BOT, &id);
    let filled =
        json!({"contact": {"organizationIds": ["o1", "o2"], "variables": {"plan": "premium"}}});
    let reply = call(&server, Method::PATCH, &path, Some(filled)).await;
    assert_eq!(
        reply.json["contact"]["organizationIds"],
        json!(["o1", "o2"])
    );

    for clearing in [
        json!({"contact": {"organizationIds": [], "variables": {}}}),
        json!({"contact": {"organizationIds": null, "variables": null}}),
    ] {
        let refill = json!({"contact": {"organizationIds": ["o1"], "variables": {"a": "b"}}});
        call(&server, Method::PATCH, &path, Some(refill)).await;
        let reply = call(&server, Method::PATCH, &path, Some(clearing.clone())).await;
        assert_eq!(reply.status, 200, "{clearing}");
        let stored = server.contact(BOT, &id).unwrap();
        assert!(stored.organization_ids.is_empty(), "{clearing}");
        assert!(stored.variables.is_empty(), "{clearing}");
    }
}

#[tokio::test]
async fn update_cannot_change_id_or_created() {
    let server = FakeServer::start().await;
    let created = create_contact(&server, json!({"language": "EN"})).await;
    let original = created.json["contact"].clone();
    let id = original["id"].as_str().unwrap();
    let update =
        json!({"contact": {"id": "other", "created": "2000-01-01T00:00:00Z", "name": "X"}});
    let updated = call(&server, Method::PATCH, &contact_path(BOT, id), Some(update)).await;
    assert_eq!(updated.json["contact"]["id"], original["id"]);
    assert_eq!(updated.json["contact"]["created"], original["created"]);
}

#[tokio::test]
async fn deleted_contact_is_gone() {
    let server = common::with_contacts(3).await;
    let id = common::newest_contact_id(&server).await;
    let deleted = call(&server, Method::DELETE, &contact_path(BOT, &id), None).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.json, json!({"deleted": true}));
    assert_eq!(get(&server, &contact_path(BOT, &id)).await.status, 404);
    let again = call(&server, Method::DELETE, &contact_path(BOT, &id), None).await;
    assert_eq!(again.status, 404);
    assert_eq!(server.contact_count(BOT), 2);
}

#[tokio::test]
async fn unknown_contact_is_404_on_every_by_id_operation() {
    let server = FakeServer::start().await;
    let path = contact_path(BOT, "nope");
    let reply = get(&server, &path).await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.json["statusCode"], 404);
    assert_eq!(reply.json["message"], "Contact not found");
    let update = call(
        &server,
        Method::PATCH,
        &path,
        Some(json!({"contact": {"name": "x"}})),
    )
    .await;
    assert_eq!(update.status, 404);
    assert_eq!(
        get(&server, &format!("{path}/organizations")).await.status,
        404
    );
}

#[tokio::test]
async fn seeded_organizations_are_listed_and_linked_to_the_contact() {
    let contact: Contact =
        serde_json::from_value(json!({"id": "c1", "created": "2025-01-01T00:00:00Z"})).unwrap();
    let org: Organization =
        serde_json::from_value(json!({"id": "o1", "name": "Example GmbH", "size": 50})).unwrap();
    let server = FakeServer::builder()
        .organization(BOT, "c1", org)
        .contact(BOT, contact)
        .start()
        .await;
    let orgs = get(
        &server,
        &format!("{}/organizations", contact_path(BOT, "c1")),
    )
    .await;
    assert_eq!(orgs.status, 200);
    assert_eq!(orgs.json["organizations"][0]["name"], "Example GmbH");
    let fetched = get(&server, &contact_path(BOT, "c1")).await;
    assert_eq!(fetched.json["contact"]["organizationIds"], json!(["o1"]));
}

#[tokio::test]
async fn contact_without_organizations_has_an_empty_list() {
    let (server, id) = common::with_one_contact().await;
    let orgs = get(
        &server,
        &format!("{}/organizations", contact_path(BOT, &id)),
    )
    .await;
    assert_eq!(orgs.json, json!({"organizations": []}));
}

#[tokio::test]
async fn chatbots_are_separate() {
    // A key belongs to one chatbot: one key per chatbot reads each.
    let server = FakeServer::builder()
        .seed_contacts("a", 2)
        .seed_contacts("b", 5)
        .key_for_chatbot("key-b", "b")
        .key_for_chatbot("key-c", "c")
        .start()
        .await;
    assert_eq!(listed(&server, "a", server.api_key()).await, 2);
    assert_eq!(listed(&server, "b", "key-b").await, 5);
    assert_eq!(listed(&server, "c", "key-c").await, 0);
}

async fn listed(server: &FakeServer, bot: &str, key: &str) -> usize {
    let reply = send(server, Method::GET, &contacts_path(bot), Some(key), None).await;
    common::ids(&reply).len()
}
