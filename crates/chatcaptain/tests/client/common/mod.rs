//! Loopback servers and fixtures shared by the integration tests.
#![allow(dead_code)]

pub mod fake;
pub mod holding;
pub mod listing;
pub mod traced;

use std::sync::{Arc, Mutex};

use chatcaptain::{Client, Contact};
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const KEY: &str = "test-key-1234";
pub const BOT: &str = "bot1";

/// A client with the test key, pointed at `server`.
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .build()
        .expect("client builds")
}

/// A fixed instant plus `secs` seconds, so fixtures read as small numbers.
pub fn at(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 9, 28, 10, 0, 0).unwrap() + TimeDelta::seconds(secs)
}

pub fn contact(id: &str, created: DateTime<Utc>) -> Contact {
    serde_json::from_value(json!({ "id": id, "created": created, "language": "EN" })).unwrap()
}

/// `n` contacts created one second apart, `c0` the oldest.
pub fn contacts_one_second_apart(n: usize) -> Vec<Contact> {
    (0..n)
        .map(|i| contact(&format!("c{i}"), at(i as i64)))
        .collect()
}

pub fn ids(contacts: &[Contact]) -> Vec<String> {
    contacts.iter().map(|c| c.id.clone()).collect()
}

/// Ids newest first, as the list operation orders them.
pub fn ids_newest_first(contacts: &[Contact]) -> Vec<String> {
    let mut sorted = contacts.to_vec();
    sorted.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
    ids(&sorted)
}

/// One recorded request: its query parameters.
#[derive(Clone, Debug)]
pub struct Seen {
    pub query: Vec<(String, String)>,
}

impl Seen {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// How a list server may differ from what the spec assumes; the default is the spec's server.
#[derive(Clone, Debug, Default)]
pub struct Quirks {
    /// Ignores `pageToken`: its cursor never advances.
    pub ignore_token: bool,
    /// Answers at most this many contacts, whatever the `limit` (silently).
    pub cap: Option<usize>,
    /// Answers 400, as NestJS validation does, for a `limit` above this.
    pub max_limit: Option<usize>,
    /// `pageToken` includes its instant (`created <= token`).
    pub inclusive: bool,
    /// How a page is ordered and cut.
    pub order: Order,
    /// Reads `pageToken` only to this unit, dropping the rest: a server in JavaScript (`Date`)
    /// keeps milliseconds, one that stores whole seconds may keep only those.
    pub token_unit: Option<chrono::TimeDelta>,
}

/// The order a list server picks and returns a page in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// Newest first, ties by id (the spec's assumption).
    #[default]
    NewestFirst,
    /// Oldest first: the `limit` oldest contacts before the token.
    OldestFirst,
    /// The order the contacts were given in (insertion order), newest insertion first.
    Insertion,
}

/// Serves "list contacts" from a fixed set of raw contacts, as the API documents it (newest
/// first, only contacts created strictly before `pageToken`, at most `limit`) unless `quirks`
/// say otherwise. Tells a channel about every request as it arrives.
pub struct ListResponder {
    contacts: Vec<(DateTime<Utc>, Value)>,
    quirks: Quirks,
    tell: mpsc::UnboundedSender<Seen>,
}

/// A contact's `created`, read the way a lenient server would (no zone means UTC).
fn created_of(raw: &Value) -> DateTime<Utc> {
    let text = raw["created"].as_str().expect("fixtures have a created");
    text.parse::<DateTime<Utc>>().unwrap_or_else(|_| {
        chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
            .expect("a date-time")
            .and_utc()
    })
}

impl Respond for ListResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        let seen = Seen { query };
        let limit: usize = seen.param("limit").map_or(100, |l| l.parse().unwrap());
        let quirks = &self.quirks;
        let token: Option<DateTime<Utc>> = seen
            .param("pageToken")
            .filter(|_| !quirks.ignore_token)
            .map(|t| t.parse().unwrap())
            .map(|t: DateTime<Utc>| match quirks.token_unit {
                Some(unit) => {
                    let unit = unit.num_nanoseconds().unwrap();
                    let dropped = i64::from(t.timestamp_subsec_nanos()) % unit;
                    t - chrono::TimeDelta::nanoseconds(dropped)
                }
                None => t,
            });
        let _ = self.tell.send(seen);
        if quirks.max_limit.is_some_and(|max| limit > max) {
            return ResponseTemplate::new(400).set_body_json(json!({
                "statusCode": 400,
                "message": "limit must not be greater than the maximum",
                "error": "Bad Request",
            }));
        }
        let before = |created: DateTime<Utc>| match token {
            None => true,
            Some(t) if quirks.inclusive => created <= t,
            Some(t) => created < t,
        };
        let mut page: Vec<&(DateTime<Utc>, Value)> =
            self.contacts.iter().filter(|(c, _)| before(*c)).collect();
        let id = |v: &Value| v["id"].as_str().unwrap_or("").to_owned();
        match quirks.order {
            Order::NewestFirst => page.sort_by(|a, b| b.0.cmp(&a.0).then(id(&a.1).cmp(&id(&b.1)))),
            Order::OldestFirst => page.sort_by(|a, b| a.0.cmp(&b.0).then(id(&a.1).cmp(&id(&b.1)))),
            Order::Insertion => page.reverse(),
        }
        page.truncate(limit.min(quirks.cap.unwrap_or(usize::MAX)));
        let page: Vec<&Value> = page.into_iter().map(|(_, v)| v).collect();
        ResponseTemplate::new(200).set_body_json(json!({ "contacts": page }))
    }
}

/// A wiremock server whose list operation serves `contacts`; the receiver hears every list request.
pub async fn list_server(contacts: Vec<Contact>) -> (MockServer, mpsc::UnboundedReceiver<Seen>) {
    list_server_with(contacts, Quirks::default()).await
}

/// Like [`list_server`], but the server ignores `pageToken`: its cursor never advances.
pub async fn list_server_ignoring_cursor(
    contacts: Vec<Contact>,
) -> (MockServer, mpsc::UnboundedReceiver<Seen>) {
    let quirks = Quirks {
        ignore_token: true,
        ..Quirks::default()
    };
    list_server_with(contacts, quirks).await
}

/// A list server with `quirks`.
pub async fn list_server_with(
    contacts: Vec<Contact>,
    quirks: Quirks,
) -> (MockServer, mpsc::UnboundedReceiver<Seen>) {
    let raw = contacts
        .iter()
        .map(|c| serde_json::to_value(c).unwrap())
        .collect();
    raw_list_server(raw, quirks).await
}

/// A list server whose contacts are raw JSON, so they can differ from the spec.
pub async fn raw_list_server(
    contacts: Vec<Value>,
    quirks: Quirks,
) -> (MockServer, mpsc::UnboundedReceiver<Seen>) {
    let server = MockServer::start().await;
    let (tell, heard) = mpsc::unbounded_channel();
    let contacts = contacts.into_iter().map(|v| (created_of(&v), v)).collect();
    Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts")))
        .respond_with(ListResponder {
            contacts,
            quirks,
            tell,
        })
        .mount(&server)
        .await;
    (server, heard)
}

/// Serves "search contacts" from a fixed hit list by page number, honouring `hiddenHits`.
pub struct SearchResponder {
    hits: Vec<Contact>,
    log: Arc<Mutex<Vec<Seen>>>,
}

impl Respond for SearchResponder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let seen = Seen {
            query: request.url.query_pairs().into_owned().collect(),
        };
        let page: usize = seen.param("page").unwrap().parse().unwrap();
        let size: usize = seen.param("pageSize").unwrap().parse().unwrap();
        let hidden: Vec<&str> = seen
            .param("hiddenHits")
            .map_or(Vec::new(), |h| h.split(',').collect());
        let visible: Vec<&Contact> = self
            .hits
            .iter()
            .filter(|c| !hidden.contains(&c.id.as_str()))
            .collect();
        let body = if visible.is_empty() {
            json!({ "results": null })
        } else {
            let hits: Vec<Value> = visible
                .iter()
                .skip((page - 1) * size)
                .take(size)
                .map(|c| json!({ "document": c }))
                .collect();
            json!({ "results": { "found": visible.len(), "hits": hits, "facetCounts": [] } })
        };
        self.log.lock().unwrap().push(seen);
        ResponseTemplate::new(200).set_body_json(body)
    }
}

/// A wiremock server whose search operation serves `hits`; the log records every search request.
pub async fn search_server(hits: Vec<Contact>) -> (MockServer, Arc<Mutex<Vec<Seen>>>) {
    let server = MockServer::start().await;
    let log = Arc::new(Mutex::new(Vec::new()));
    Mock::given(method("GET"))
        .and(path(format!("/v1/chatbots/{BOT}/contacts/search")))
        .respond_with(SearchResponder {
            hits,
            log: log.clone(),
        })
        .mount(&server)
        .await;
    (server, log)
}

/// Every request heard so far, without waiting.
pub fn drain(heard: &mut mpsc::UnboundedReceiver<Seen>) -> Vec<Seen> {
    std::iter::from_fn(|| heard.try_recv().ok()).collect()
}
