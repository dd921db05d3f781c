//! The organizations of a chatbot, the second resource: everything here comes from the spec
//! alone (`x-rust-handle`, `x-rust-wrapper`, the operation table), so these tests check what was
//! generated, against wiremock servers answering as the spec says and as it does not.

use crate::common;

use chatcaptain::{Error, NewOrganization};
use common::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::{body_json, method, path, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ORGS: &str = "/v1/chatbots/bot1/organizations";

fn organization(id: &str, created: Option<&str>) -> serde_json::Value {
    let mut org = json!({ "id": id, "name": format!("Org {id}") });
    if let Some(created) = created {
        org["created"] = json!(created);
    }
    org
}

/// The error of one `create` whose POST the server answers with `answer`, asked exactly once.
async fn create_answered(answer: ResponseTemplate) -> Error {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ORGS))
        .respond_with(answer)
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .organizations(BOT)
        .create(NewOrganization::new("Example GmbH"))
        .await
        .unwrap_err()
    // Dropping the server here checks that the POST came exactly once.
}

#[tokio::test]
async fn create_sends_the_flat_body_with_typed_fields_and_returns_the_organization() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(ORGS))
        .and(body_json(json!({
            "name": "Example GmbH", "industry": "Software", "size": 50, "website": "https://example.com"
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            json!({ "organization": organization("o1", Some("2025-09-28T10:00:00Z")) }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server)
        .organizations(BOT)
        .create(
            NewOrganization::new("Example GmbH")
                .industry("Software")
                .size(50)
                .website("https://example.com"),
        )
        .await
        .unwrap();
    assert_eq!(created.id, "o1");
    assert_eq!(created.name.as_deref(), Some("Org o1"));
}

#[tokio::test]
async fn create_is_not_retried_after_a_lost_answer_as_its_method_says() {
    // POST is not idempotent (the operation table, from the method): a 503 may have created it.
    let err =
        create_answered(ResponseTemplate::new(503).set_body_json(json!({ "error": "busy" }))).await;
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err}");
}

#[tokio::test]
async fn a_created_answer_without_the_organization_is_an_error_not_an_empty_one() {
    let err = create_answered(ResponseTemplate::new(201).set_body_json(json!({}))).await;
    let source = std::error::Error::source(&err).map(ToString::to_string);
    assert!(
        source
            .as_deref()
            .is_some_and(|s| s.contains("missing field `organization`")),
        "{err}: {source:?}"
    );
}

#[tokio::test]
async fn an_organization_without_created_is_reported_odd_and_the_listing_goes_on() {
    // `created` is optional in the shared `Organization` schema; the cursor cannot place an
    // organization without it, so the listing yields it as an odd record, not as an item and not
    // silently dropped, and pages on from the last one it can place.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(ORGS))
        .and(query_param_is_missing("pageToken"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({ "organizations": [
            organization("o3", Some("2025-01-01T00:00:03Z")),
            organization("o2", None),
            organization("o1", Some("2025-01-01T00:00:01Z")),
        ] })),
        )
        .mount(&server)
        .await;
    // Older than the oldest: nothing.
    Mock::given(method("GET"))
        .and(path(ORGS))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "organizations": [] })))
        .mount(&server)
        .await;
    let listing = client(&server).organizations(BOT).list().page_size(3);
    let mut items = listing.items();
    let mut seen = Vec::new();
    loop {
        match items.try_next().await {
            Ok(Some(org)) => seen.push(org.id),
            Ok(None) => break,
            Err(Error::InvalidItem { id, path, .. }) => {
                assert_eq!(path, "created");
                seen.push(format!("odd {}", id.unwrap_or_default()));
            }
            Err(other) => panic!("{other}"),
        }
    }
    // Odd records of a page come before its items, as for contacts.
    seen.sort();
    assert_eq!(seen, ["o1", "o3", "odd o2"]);
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_has_the_same_handle() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime.block_on(MockServer::start());
    let hit = json!({ "results": {
        "found": 1, "hits": [{ "document": organization("o1", None) }]
    } });
    runtime.block_on(
        Mock::given(method("GET"))
            .and(path(format!("{ORGS}/search")))
            .and(wiremock::matchers::query_param("query", "GmbH"))
            .respond_with(ResponseTemplate::new(200).set_body_json(hit))
            .mount(&server),
    );
    let client = chatcaptain::blocking::Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .build()
        .unwrap();
    let orgs = client.organizations(BOT);
    assert_eq!(orgs.chatbot_id(), BOT);
    let hits = orgs.search("GmbH").collect_all().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].id, "o1");
}

/// The organizations listing is the contacts' engine over another item: its guarantees hold
/// for organizations too, against the fake (ties at page boundaries, a server that caps pages
/// and counts its token in, parallel ranges, an interrupted sync resumed).
mod over_the_fake {
    use std::collections::BTreeMap;

    use chatcaptain::NewOrganization;
    use chatcaptain_fake::{FakeServer, ListShape};
    use futures::StreamExt;

    use super::common::{BOT, client};

    const KEY: &str = "orgs-key";

    /// 80 organizations one second apart and 5 more that share one instant with one of them,
    /// behind `shape`.
    async fn fake(shape: ListShape) -> FakeServer {
        FakeServer::builder()
            .api_key(KEY)
            .seed_organizations(BOT, 80)
            // Seeded one second apart from the fake's base time: the 31st shares this instant.
            .seed_organizations_at(BOT, 5, seeded(30))
            .list_shape(shape)
            .start()
            .await
    }

    fn seeded(secs: i64) -> chrono::DateTime<chrono::Utc> {
        chatcaptain_fake::seed_base_time() + chrono::TimeDelta::seconds(secs)
    }

    fn counts(ids: impl IntoIterator<Item = String>) -> BTreeMap<String, usize> {
        let mut seen = BTreeMap::new();
        for id in ids {
            *seen.entry(id).or_default() += 1;
        }
        seen
    }

    #[tokio::test]
    async fn every_organization_comes_once_whatever_the_servers_shape_or_ranges() {
        for shape in [
            ListShape::spec(),
            ListShape::spec().limit_cap(7).inclusive_token(true),
        ] {
            let server = fake(shape.clone()).await;
            let orgs = client(&server).organizations(BOT);
            for ranges in [1, 3] {
                let all = orgs
                    .list()
                    .page_size(10)
                    .parallel(ranges)
                    .collect_all()
                    .await
                    .unwrap();
                let seen = counts(all.into_iter().map(|o| o.id));
                assert_eq!(seen.len(), 85, "{shape:?}, {ranges} ranges");
                assert!(
                    seen.values().all(|n| *n == 1),
                    "{shape:?}, {ranges}: {seen:?}"
                );
            }
        }
    }

    #[tokio::test]
    async fn an_interrupted_organization_sync_resumes_with_nothing_missed_or_repeated() {
        let server = fake(ListShape::spec()).await;
        let orgs = client(&server).organizations(BOT);
        // Cut the first run inside a page, then resume from its progress.
        let mut run = orgs.list().page_size(10).sync();
        let mut first = Vec::new();
        while first.len() < 23 {
            first.push(run.next().await.unwrap().unwrap().id);
        }
        let saved = run.progress();
        drop(run);
        let created = orgs
            .create(NewOrganization::new("Between GmbH"))
            .await
            .unwrap();
        let mut run = orgs.list().page_size(10).since(saved).sync();
        let mut second = Vec::new();
        while let Some(org) = run.next().await {
            second.push(org.unwrap().id);
        }
        let seen = counts(first.into_iter().chain(second));
        assert_eq!(seen.len(), 86, "85 seeded and one created between the runs");
        assert!(seen.values().all(|n| *n == 1), "{seen:?}");
        assert!(seen.contains_key(&created.id));
    }
}
