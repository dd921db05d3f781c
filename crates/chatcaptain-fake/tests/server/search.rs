//! "Search contacts": case-insensitive match on name, e-mail, phone and ids, paged, with hidden hits.

use crate::common;

use chatcaptain_api::types::Contact;
use chatcaptain_fake::FakeServer;
use common::{BOT, get};
use serde_json::json;

fn contact(id: &str, created: &str, name: &str, email: &str, phone: &str) -> Contact {
    serde_json::from_value(json!({"id": id, "created": created, "name": name, "email": email, "phoneNumber": phone, "telegramId": format!("tg-{id}")})).unwrap()
}

async fn server() -> FakeServer {
    FakeServer::builder()
        .contact(
            BOT,
            contact(
                "c1",
                "2025-01-01T00:00:01Z",
                "Max Example",
                "max@example.com",
                "+4917600000001",
            ),
        )
        .contact(
            BOT,
            contact(
                "c2",
                "2025-01-01T00:00:02Z",
                "Anna Maxwell",
                "anna@example.org",
                "+4917600000002",
            ),
        )
        .contact(
            BOT,
            contact(
                "c3",
                "2025-01-01T00:00:03Z",
                "Paul Klein",
                "paul@example.net",
                "+4917600000003",
            ),
        )
        .start()
        .await
}

fn search(query: &str) -> String {
    format!("/v1/chatbots/{BOT}/contacts/search?{query}")
}

fn hit_ids(reply: &common::Reply) -> Vec<&str> {
    reply.json["results"]["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["document"]["id"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn search_matches_names_case_insensitively_newest_first() {
    let server = server().await;
    let reply = get(&server, &search("query=MAX&page=1&pageSize=10")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json["results"]["found"], 2);
    assert_eq!(hit_ids(&reply), ["c2", "c1"]);
}

#[tokio::test]
async fn search_matches_email_phone_and_ids() {
    let server = server().await;
    assert_eq!(
        hit_ids(&get(&server, &search("query=example.net&page=1&pageSize=10")).await),
        ["c3"]
    );
    assert_eq!(
        hit_ids(
            &get(
                &server,
                &search("query=%2B4917600000002&page=1&pageSize=10")
            )
            .await
        ),
        ["c2"]
    );
    assert_eq!(
        hit_ids(&get(&server, &search("query=TG-C1&page=1&pageSize=10")).await),
        ["c1"]
    );
}

#[tokio::test]
async fn search_pages_and_found_counts_all_pages() {
    let server = server().await;
    let page2 = get(&server, &search("query=example&page=2&pageSize=2")).await;
    assert_eq!(page2.json["results"]["found"], 3);
    assert_eq!(hit_ids(&page2), ["c1"]);
    let page3 = get(&server, &search("query=example&page=3&pageSize=2")).await;
    assert!(hit_ids(&page3).is_empty());
}

#[tokio::test]
async fn hidden_hits_are_excluded_and_not_counted() {
    let server = server().await;
    let reply = get(
        &server,
        &search("query=example&page=1&pageSize=10&hiddenHits=c1,c3"),
    )
    .await;
    assert_eq!(reply.json["results"]["found"], 1);
    assert_eq!(hit_ids(&reply), ["c2"]);
}

#[tokio::test]
async fn no_match_gives_null_results() {
    let server = server().await;
    let reply = get(&server, &search("query=zzz&page=1&pageSize=10")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json, json!({"results": null}));
}

#[tokio::test]
async fn invalid_search_parameters_are_400() {
    let server = server().await;
    // Each with the parameter its message names.
    for (query, named) in [
        ("query=x&page=0&pageSize=10", "page must be"),
        ("query=x&page=1&pageSize=251", "pageSize must be"),
        ("query=x&pageSize=10", "page is required"),
        ("page=1&pageSize=10", "query is required"),
        ("query=x&page=1", "pageSize is required"),
        ("query=x&page=one&pageSize=10", "page must be"),
    ] {
        let reply = get(&server, &search(query)).await;
        assert_eq!(reply.status, 400, "{query}");
        assert_eq!(reply.json["statusCode"], 400, "{query}");
        let message = reply.json["message"].as_str().unwrap_or_default();
        assert!(message.contains(named), "{query}: {message}");
    }
}
