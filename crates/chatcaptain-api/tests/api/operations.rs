//! Each generated operation against wiremock on loopback: the request it sends
//! (method, path, query, body) and the response it decodes.

use chatcaptain_api::{Client, Error, Hooks, types};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

use crate::{BOT, ID, delete_contact, get_contact};

fn contact_json() -> serde_json::Value {
    json!({
        "id": ID,
        "created": "2025-09-28T10:00:00Z",
        "updated": "2025-09-29T11:30:00Z",
        "language": "EN",
        "name": "Max Example",
        "email": "max.mustermann@example.com",
        "phoneNumber": "+4917612345678",
        "address": { "street": "Hauptstrasse", "houseNumber": "12a", "zipcode": "10115", "location": "Berlin", "country": "DE" },
        "variables": { "plan": "premium" },
        "organizationIds": ["oRgAnIzAtIoN0123456x"]
    })
}

/// A server that answers `request` with `status` and `body`, expecting it exactly once (checked
/// when the server drops), and a client aimed at it.
async fn answering(request: MockBuilder, status: u16, body: Value) -> (MockServer, Client) {
    let (server, client) = setup().await;
    answer(request, status, body).expect(1).mount(&server).await;
    (server, client)
}

/// Like [`answering`], however many times the request comes.
async fn answering_any_times(
    request: MockBuilder,
    status: u16,
    body: Value,
) -> (MockServer, Client) {
    let (server, client) = setup().await;
    answer(request, status, body).mount(&server).await;
    (server, client)
}

/// A `verb` request to `tail` below chatbot [`BOT`] (`/v1/chatbots/{BOT}{tail}`).
fn route(verb: &str, tail: impl std::fmt::Display) -> MockBuilder {
    Mock::given(method(verb)).and(path(format!("/v1/chatbots/{BOT}{tail}")))
}

fn answer(request: MockBuilder, status: u16, body: Value) -> Mock {
    request.respond_with(ResponseTemplate::new(status).set_body_json(body))
}

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(&server.uri(), Hooks::default());
    (server, client)
}

/// "search contacts" of [`BOT`] for `query`, page `page` of `page_size` hits, ready to send.
fn search<'a>(
    client: &'a Client,
    query: &str,
    page: u32,
    page_size: u32,
) -> chatcaptain_api::builder::SearchContacts<'a> {
    client
        .search_contacts()
        .chatbot_id(BOT)
        .query(query)
        .page(page)
        .page_size(page_size)
}

#[tokio::test]
async fn search_contacts_sends_query_paging_and_hidden_hits() {
    let (_server, client) = answering(
        route("GET", "/contacts/search")
            .and(query_param("query", "Max"))
            .and(query_param("page", "2"))
            .and(query_param("pageSize", "25"))
            .and(query_param("hiddenHits", "a,b")),
        200,
        json!({
            "results": { "found": 26, "facetCounts": [], "hits": [{ "document": contact_json() }] }
        }),
    )
    .await;

    let response = search(&client, "Max", 2, 25)
        .hidden_hits("a,b")
        .send()
        .await
        .unwrap()
        .into_inner();
    let results = response.results.expect("results");
    assert_eq!(results.found, 26);
    assert_eq!(results.hits[0].document.id, ID);
}

#[tokio::test]
async fn search_contacts_decodes_null_results() {
    let (_server, client) = answering_any_times(
        route("GET", "/contacts/search"),
        200,
        json!({ "results": null }),
    )
    .await;
    let response = search(&client, "nobody", 1, 10).send().await.unwrap();
    assert_eq!(response.into_inner().results, None);
}

#[tokio::test]
async fn list_contacts_sends_cursor_and_limit() {
    let (_server, client) = answering(
        route("GET", "/contacts")
            .and(query_param("pageToken", "2025-09-29T07:08:00Z"))
            .and(query_param("limit", "50")),
        200,
        json!({ "contacts": [contact_json()] }),
    )
    .await;

    let token: chrono::DateTime<chrono::Utc> = "2025-09-29T07:08:00Z".parse().unwrap();
    let response = client
        .list_contacts()
        .chatbot_id(BOT)
        .page_token(token)
        .limit(50u32)
        .send()
        .await
        .unwrap()
        .into_inner();
    let contacts = response.contacts;
    assert_eq!(contacts.len(), 1);
    assert_eq!(
        contacts[0].created.to_rfc3339(),
        "2025-09-28T10:00:00+00:00"
    );
    assert_eq!(
        contacts[0]
            .address
            .as_ref()
            .unwrap()
            .house_number
            .as_deref(),
        Some("12a")
    );
}

#[tokio::test]
async fn list_contacts_omits_unset_optional_parameters() {
    let (_server, client) = answering(
        route("GET", "/contacts")
            .and(query_param_is_missing("pageToken"))
            .and(query_param_is_missing("limit")),
        200,
        json!({ "contacts": [] }),
    )
    .await;
    let response = client.list_contacts().chatbot_id(BOT).send().await.unwrap();
    assert!(response.into_inner().contacts.is_empty());
}

#[tokio::test]
async fn create_contact_posts_the_body_and_decodes_201() {
    let (_server, client) = answering(
        route("POST", "/contacts").and(body_json(
            json!({ "language": "EN", "name": "Max Example" }),
        )),
        201,
        json!({ "contact": contact_json() }),
    )
    .await;

    let response = client
        .create_contact()
        .chatbot_id(BOT)
        .body(
            types::NewContact::builder()
                .language("EN")
                .name(Some("Max Example".into())),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.into_inner().contact.unwrap().id, ID);
}

#[tokio::test]
async fn get_contact_uses_the_contact_path() {
    let (_server, client) = answering(
        route("GET", format!("/contacts/{ID}")),
        200,
        json!({ "contact": contact_json() }),
    )
    .await;
    let contact = get_contact(&client)
        .await
        .unwrap()
        .into_inner()
        .contact
        .unwrap();
    assert_eq!(
        contact.variables.get("plan").map(String::as_str),
        Some("premium")
    );
}

#[tokio::test]
async fn delete_contact_sends_delete_and_decodes_deleted() {
    let (_server, client) = answering(
        route("DELETE", format!("/contacts/{ID}")),
        200,
        json!({ "deleted": true }),
    )
    .await;
    let response = delete_contact(&client).await.unwrap();
    assert_eq!(response.into_inner().deleted, Some(true));
}

#[tokio::test]
async fn update_contact_patches_a_body_wrapped_in_contact() {
    let (_server, client) = answering(
        route("PATCH", format!("/contacts/{ID}")).and(body_json(
            json!({ "contact": { "name": "Erika", "organizationIds": ["o1"] } }),
        )),
        200,
        json!({ "contact": contact_json() }),
    )
    .await;
    let update = types::ContactUpdate::builder()
        .name(Some("Erika".into()))
        .organization_ids(vec!["o1".to_string()]);
    let response = client
        .update_contact()
        .chatbot_id(BOT)
        .contact_id(ID)
        .body(types::UpdateContactRequest::builder().contact(update))
        .send()
        .await
        .unwrap();
    assert!(response.into_inner().contact.is_some());
}

#[tokio::test]
async fn list_contact_organizations_decodes_organizations() {
    let (_server, client) = answering(
        route("GET", format!("/contacts/{ID}/organizations")),
        200,
        json!({
            "organizations": [{ "id": "o1", "name": "Example GmbH", "created": "2025-09-28T10:00:00Z", "size": 50 }]
        }),
    )
    .await;
    let orgs = client
        .list_contact_organizations()
        .chatbot_id(BOT)
        .contact_id(ID)
        .send()
        .await
        .unwrap()
        .into_inner()
        .organizations;
    assert_eq!(orgs[0].name.as_deref(), Some("Example GmbH"));
    assert_eq!(orgs[0].size, Some(50));
}

#[tokio::test]
async fn error_status_decodes_the_error_response() {
    let (_server, client) = answering_any_times(
        route("GET", format!("/contacts/{ID}")),
        403,
        json!({ "error": "Insufficient permissions." }),
    )
    .await;
    let err = get_contact(&client).await.unwrap_err();
    let response = crate::expect_error_response(err);
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(response.error.as_deref(), Some("Insufficient permissions."));
}

#[tokio::test]
async fn missing_required_parameter_is_an_error_before_any_request() {
    let (server, client) = setup().await;
    let err = client
        .get_contact()
        .chatbot_id(BOT)
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}
