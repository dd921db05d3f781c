//! The organizations of a chatbot: the same cursor listing, search and create as the contacts, from
//! the same code, answering in the organizations' envelopes.

use crate::common;

use std::collections::HashSet;

use chatcaptain_fake::{FakeServer, Fault, ListShape, Permission, Route, seed_base_time};
use common::{BOT, call, create_organization, get, ids_in, organizations_path, walk_list};
use reqwest::Method;
use serde_json::json;

fn search(query: &str) -> String {
    format!("{}/search?{query}", organizations_path(BOT))
}

#[tokio::test]
async fn organizations_page_newest_first_by_the_cursor() {
    let server = FakeServer::builder()
        .seed_organizations(BOT, 25)
        .seed_contacts(BOT, 3)
        .start()
        .await;
    let first = get(&server, &format!("{}?limit=10", organizations_path(BOT))).await;
    let created = common::fields_in(&first, "organizations", "created");
    assert_eq!(created[0], "2025-01-01T00:00:24Z");
    assert!(created.windows(2).all(|w| w[0] > w[1]), "{created:?}");
    let pages = walk_list(&server, &organizations_path(BOT), "organizations", 10).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [10, 10, 5]);
    let all: HashSet<String> = pages.into_iter().flatten().collect();
    assert_eq!(all.len(), 25);
    assert_eq!(server.organization_count(BOT), 25);
}

#[tokio::test]
async fn organizations_listing_honours_the_list_shape() {
    let t = seed_base_time();
    let server = FakeServer::builder()
        .seed_organizations_at(BOT, 3, t)
        .seed_organizations(BOT, 2)
        .list_shape(
            ListShape::spec()
                .limit_cap(4)
                .max_limit(50)
                .inclusive_token(true)
                .oldest_first(true),
        )
        .start()
        .await;
    let path = organizations_path(BOT);
    assert_eq!(get(&server, &format!("{path}?limit=51")).await.status, 400);
    let capped = get(&server, &format!("{path}?limit=50")).await;
    assert_eq!(ids_in(&capped, "organizations").len(), 4);
    // Inclusive: the three at `t` are listed for a token of `t` (the spec's strict cursor: none).
    let at_t = get(&server, &format!("{path}?pageToken=2025-01-01T00:00:00Z")).await;
    assert_eq!(ids_in(&at_t, "organizations").len(), 3);
    // Oldest first: the three at `t`, then the generated ones after them (3 and 4 s later).
    let oldest = &capped.json["organizations"];
    assert_eq!(oldest[2]["created"], "2025-01-01T00:00:00Z");
    assert_eq!(oldest[3]["created"], "2025-01-01T00:00:03Z");
}

#[tokio::test]
async fn organizations_are_searched_paged_and_hidden() {
    let org = |id: &str, created: &str, name: &str, industry: &str| {
        serde_json::from_value(
            json!({"id": id, "created": created, "name": name, "industry": industry}),
        )
        .unwrap()
    };
    let server = FakeServer::builder()
        .organization(
            BOT,
            "c1",
            org("o1", "2025-01-01T00:00:01Z", "Example GmbH", "Software"),
        )
        .organization(
            BOT,
            "c1",
            org("o2", "2025-01-01T00:00:02Z", "Beispiel AG", "software"),
        )
        .organization(
            BOT,
            "c2",
            org("o3", "2025-01-01T00:00:03Z", "Other KG", "Logistics"),
        )
        .start()
        .await;
    let hits = |reply: &common::Reply| -> Vec<String> {
        let hits = reply.json["results"]["hits"].as_array().unwrap();
        hits.iter()
            .map(|h| h["document"]["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let page1 = get(&server, &search("query=SOFTWARE&page=1&pageSize=1")).await;
    assert_eq!(page1.json["results"]["found"], 2);
    assert_eq!(hits(&page1), ["o2"]);
    let page2 = get(&server, &search("query=SOFTWARE&page=2&pageSize=1")).await;
    assert_eq!(hits(&page2), ["o1"]);
    let hidden = get(&server, &search("query=&page=1&pageSize=9&hiddenHits=o2")).await;
    assert_eq!(hidden.json["results"]["found"], 2);
    assert_eq!(hits(&hidden), ["o3", "o1"]);
    let none = get(&server, &search("query=zzz&page=1&pageSize=9")).await;
    assert_eq!(none.json, json!({"results": null}));
}

#[tokio::test]
async fn a_created_organization_lists_first_and_a_body_without_a_name_is_400() {
    let server = common::with_organizations(3).await;
    let body = json!({"name": "New GmbH", "size": 12, "website": "https://new.example"});
    let created = create_organization(&server, body).await;
    assert_eq!(created.status, 201);
    let organization = &created.json["organization"];
    assert_eq!(organization["name"], "New GmbH");
    assert_eq!(organization["size"], 12);
    assert!(organization["created"].as_str().unwrap() > "2025-01-02");
    let id = organization["id"].as_str().unwrap();
    let listed = get(&server, &organizations_path(BOT)).await;
    assert_eq!(ids_in(&listed, "organizations")[0], id);
    assert!(server.organization(BOT, id).is_some());

    let nameless = json!({"industry": "Software"});
    let refused = create_organization(&server, nameless).await;
    assert_eq!(refused.status, 400);
    assert!(
        refused.json["message"].as_str().unwrap().contains("name"),
        "{}",
        refused.json
    );
    let negative = json!({"name": "n", "size": -1});
    let refused = create_organization(&server, negative).await;
    assert_eq!(refused.status, 400);
    assert_eq!(server.organization_count(BOT), 4);
}

#[tokio::test]
async fn organizations_sharing_a_timestamp_come_in_a_stable_order_and_ties_are_skipped_by_the_cursor()
 {
    let t = seed_base_time();
    let server = FakeServer::builder()
        .seed_organizations_at(BOT, 5, t)
        .seed_organizations_at(BOT, 2, t - chrono::Duration::seconds(1))
        .start()
        .await;
    let path = organizations_path(BOT);
    let first = get(&server, &path).await;
    assert_eq!(first.json, get(&server, &path).await.json);
    // A page of 3 ends among the 5 at `t`: the strict cursor skips the other 2, as for contacts.
    let pages = walk_list(&server, &path, "organizations", 3).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [3, 2]);
}

#[tokio::test]
async fn a_fault_aimed_at_list_organizations_hits_only_it() {
    let server = FakeServer::builder()
        .fault(Fault::status(503).on(Route::ListOrganizations))
        .start()
        .await;
    let path = organizations_path(BOT);
    let statuses = [
        get(&server, &path).await.status,
        get(&server, &common::contacts_path(BOT)).await.status,
        get(&server, &search("query=x&page=1&pageSize=1"))
            .await
            .status,
        call(&server, Method::POST, &path, Some(json!({"name": "n"})))
            .await
            .status,
    ];
    assert_eq!(statuses.map(|s| s.as_u16()), [503, 200, 200, 201]);
    assert_eq!(server.request_count(Route::ListOrganizations), 1);
    assert_eq!(server.request_count(Route::CreateOrganization), 1);
}

#[tokio::test]
async fn organizations_need_their_own_permissions() {
    let server = common::without(Permission::OrganizationsCreate).await;
    let path = organizations_path(BOT);
    let create = call(&server, Method::POST, &path, Some(json!({"name": "n"}))).await;
    assert_eq!(create.status, 403);
    assert_eq!(get(&server, &path).await.status, 200);
    assert_eq!(
        Permission::OrganizationsList.name(),
        "chatbots.organizations.list"
    );
}
