//! Each generated operation against wiremock on loopback: the request it sends
//! (method, path, query, body) and the response it decodes.

use chatcaptain_api::{Client, Error, Hooks, types};
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BOT: &str = "aBcDeFgHiJkLmNoPqRsT";
const ID: &str = "uVwXyZ0123456789AbCd";

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

async fn setup() -> (MockServer, Client) {
    let server = MockServer::start().await;
    let client = Client::new(&server.uri(), Hooks::default());
    (server, client)
}

#[tokio::test]
async fn search_contacts_sends_query_paging_and_hidden_hits() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts/search")))
        .and(query_param("query", "Max"))
        .and(query_param("page", "2"))
        .and(query_param("pageSize", "25"))
        .and(query_param("hiddenHits", "a,b"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "results": { "found": 26, "facetCounts": [], "hits": [{ "document": contact_json() }] }
        })))
        .expect(1)
        .mount(&server)
        .await;

    let response = client
        .search_contacts()
        .chatbot_id(BOT)
        .query("Max")
        .page(2u32)
        .page_size(25u32)
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
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts/search")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "results": null })))
        .mount(&server)
        .await;
    let response = client
        .search_contacts()
        .chatbot_id(BOT)
        .query("nobody")
        .page(1u32)
        .page_size(10u32)
        .send()
        .await
        .unwrap();
    assert_eq!(response.into_inner().results, None);
}

#[tokio::test]
async fn list_contacts_sends_cursor_and_limit() {
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts")))
        .and(query_param("pageToken", "2025-09-29T07:08:00Z"))
        .and(query_param("limit", "50"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "contacts": [contact_json()] })),
        )
        .expect(1)
        .mount(&server)
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
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts")))
        .and(query_param_is_missing("pageToken"))
        .and(query_param_is_missing("limit"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "contacts": [] })))
        .expect(1)
        .mount(&server)
        .await;
    let response = client.list_contacts().chatbot_id(BOT).send().await.unwrap();
    assert!(response.into_inner().contacts.is_empty());
}

#[tokio::test]
async fn create_contact_posts_the_body_and_decodes_201() {
    let (server, client) = setup().await;
    Mock::given(method("POST"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts")))
        .and(body_json(
            json!({ "language": "EN", "name": "Max Example" }),
        ))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({ "contact": contact_json() })),
        )
        .expect(1)
        .mount(&server)
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
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts/{ID}")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "contact": contact_json() })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let contact = client
        .get_contact()
        .chatbot_id(BOT)
        .contact_id(ID)
        .send()
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
    let (server, client) = setup().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts/{ID}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "deleted": true })))
        .expect(1)
        .mount(&server)
        .await;
    let response = client
        .delete_contact()
        .chatbot_id(BOT)
        .contact_id(ID)
        .send()
        .await
        .unwrap();
    assert_eq!(response.into_inner().deleted, Some(true));
}

#[tokio::test]
async fn update_contact_patches_a_body_wrapped_in_contact() {
    let (server, client) = setup().await;
    Mock::given(method("PATCH"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts/{ID}")))
        .and(body_json(
            json!({ "contact": { "name": "Erika", "organizationIds": ["o1"] } }),
        ))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "contact": contact_json() })),
        )
        .expect(1)
        .mount(&server)
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
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts/{ID}/organizations")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "organizations": [{ "id": "o1", "name": "Example GmbH", "created": "2025-09-28T10:00:00Z", "size": 50 }]
        })))
        .expect(1)
        .mount(&server)
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
    let (server, client) = setup().await;
    Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts/{ID}")))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({ "error": "Insufficient permissions." })),
        )
        .mount(&server)
        .await;
    let err = client
        .get_contact()
        .chatbot_id(BOT)
        .contact_id(ID)
        .send()
        .await
        .unwrap_err();
    match err {
        Error::ErrorResponse(response) => {
            assert_eq!(response.status().as_u16(), 403);
            assert_eq!(response.error.as_deref(), Some("Insufficient permissions."));
        }
        other => panic!("expected an ErrorResponse, got {other:?}"),
    }
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
