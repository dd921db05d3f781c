//! Helpers shared by the fake's tests: a raw HTTP client whose every answer is checked against the spec.
#![allow(dead_code)]

use chatcaptain_fake::{FakeServer, Permission, Route};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;

// The chatbot the fake's key belongs to unless a test names another.
pub const BOT: &str = chatcaptain_fake::DEFAULT_CHATBOT;

/// A fake holding `n` generated contacts of [`BOT`].
pub async fn with_contacts(n: u64) -> FakeServer {
    FakeServer::builder().seed_contacts(BOT, n).start().await
}

/// A fake holding `n` generated organizations of [`BOT`].
pub async fn with_organizations(n: u64) -> FakeServer {
    FakeServer::builder()
        .seed_organizations(BOT, n)
        .start()
        .await
}

/// A fake holding one generated contact of [`BOT`], and its id.
pub async fn with_one_contact() -> (FakeServer, String) {
    let server = with_contacts(1).await;
    let id = newest_contact_id(&server).await;
    (server, id)
}

/// A fake whose key has every permission but `permission`.
pub async fn without(permission: Permission) -> FakeServer {
    FakeServer::builder().revoke(permission).start().await
}

/// An answer of the fake, already validated against `spec/chatcaptain.yaml`.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub json: Value,
}

/// Sends a request with the server's key.
pub async fn call(
    server: &FakeServer,
    method: Method,
    path_and_query: &str,
    body: Option<Value>,
) -> Reply {
    send(
        server,
        method,
        path_and_query,
        Some(server.api_key()),
        body.map(|b| b.to_string()),
    )
    .await
}

pub async fn get(server: &FakeServer, path_and_query: &str) -> Reply {
    call(server, Method::GET, path_and_query, None).await
}

/// Sends a request with an explicit key (or none) and a raw body, and validates the answer against the
/// spec's schema for the operation and status (an undocumented status fails the test).
pub async fn send(
    server: &FakeServer,
    method: Method,
    path_and_query: &str,
    key: Option<&str>,
    body: Option<String>,
) -> Reply {
    let url = format!("{}{path_and_query}", server.base_url());
    let mut request = http().request(method.clone(), &url);
    if let Some(key) = key {
        request = request.header("x-chatcaptain-key", key);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body);
    }
    let response = request.send().await.expect("the fake answers");
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("a complete body");
    let json: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("{method} {path_and_query}: not JSON ({e}): {text}"));
    assert_eq!(
        headers["content-type"], "application/json",
        "{method} {path_and_query}"
    );
    let path = path_and_query.split('?').next().unwrap_or_default();
    if let Some(operation) = Route::of(method.as_str(), path).and_then(Route::operation_id) {
        chatcaptain_spec::bundled()
            .validate_response(operation, status.as_u16(), &json)
            .unwrap_or_else(|errors| {
                panic!("{method} {path_and_query} -> {status} breaks the spec: {errors:?}\n{json}")
            });
    }
    Reply {
        status,
        headers,
        json,
    }
}

/// Creates a contact of [`BOT`] from `body`, with the server's key.
pub async fn create_contact(server: &FakeServer, body: Value) -> Reply {
    call(server, Method::POST, &contacts_path(BOT), Some(body)).await
}

/// Creates an organization of [`BOT`] from `body`, with the server's key.
pub async fn create_organization(server: &FakeServer, body: Value) -> Reply {
    call(server, Method::POST, &organizations_path(BOT), Some(body)).await
}

/// The status of "list contacts" of `chatbot`, asked with `key` (or none).
pub async fn list_status(server: &FakeServer, chatbot: &str, key: Option<&str>) -> StatusCode {
    send(server, Method::GET, &contacts_path(chatbot), key, None)
        .await
        .status
}

pub fn contacts_path(chatbot: &str) -> String {
    format!("/v1/chatbots/{chatbot}/contacts")
}

pub fn contact_path(chatbot: &str, id: &str) -> String {
    format!("/v1/chatbots/{chatbot}/contacts/{id}")
}

pub fn organizations_path(chatbot: &str) -> String {
    format!("/v1/chatbots/{chatbot}/organizations")
}

/// The id of the newest contact of [`BOT`]: the first of "list contacts".
pub async fn newest_contact_id(server: &FakeServer) -> String {
    ids(&get(server, &contacts_path(BOT)).await)[0].clone()
}

/// The ids of a page of "list contacts", in order.
pub fn ids(page: &Reply) -> Vec<String> {
    ids_in(page, "contacts")
}

/// The ids of a list page whose records are under `key`, in order.
pub fn ids_in(page: &Reply, key: &str) -> Vec<String> {
    fields_in(page, key, "id")
}

/// The string `field` of every record of a page's `key` array, in order.
pub fn fields_in(page: &Reply, key: &str, field: &str) -> Vec<String> {
    page.json[key]
        .as_array()
        .unwrap_or_else(|| panic!("a {key} array"))
        .iter()
        .map(|record| {
            record[field]
                .as_str()
                .unwrap_or_else(|| panic!("a string {field}"))
                .to_owned()
        })
        .collect()
}

/// Walks "list contacts" the way the reference says: pass the last `created` as `pageToken` until a page
/// is shorter than `limit`. Returns every page's ids.
pub async fn walk(server: &FakeServer, chatbot: &str, limit: usize) -> Vec<Vec<String>> {
    walk_list(server, &contacts_path(chatbot), "contacts", limit).await
}

/// Walks the cursor listing at `path`, whose records are under `key`, as [`walk`] does.
pub async fn walk_list(
    server: &FakeServer,
    path: &str,
    key: &str,
    limit: usize,
) -> Vec<Vec<String>> {
    let mut pages = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut path = format!("{path}?limit={limit}");
        if let Some(t) = &token {
            path.push_str(&format!("&pageToken={t}"));
        }
        let page = get(server, &path).await;
        assert_eq!(page.status, 200);
        let items = page.json[key].as_array().unwrap();
        token = items
            .last()
            .map(|c| c["created"].as_str().unwrap().to_owned());
        let done = items.len() < limit;
        pages.push(ids_in(&page, key));
        if done {
            return pages;
        }
    }
}

/// A plain reqwest client. Built from chatcaptain-api's TLS builder because in a workspace build
/// its default feature, `rustls-ring`, leaves reqwest without a crypto provider of its own, and
/// `reqwest::Client::new()` would panic (see `chatcaptain_api::tls`).
pub fn http() -> reqwest::Client {
    chatcaptain_api::tls::client_builder()
        .build()
        .expect("a reqwest client builds")
}
