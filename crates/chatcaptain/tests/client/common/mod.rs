//! Loopback servers and fixtures shared by the integration tests.
#![allow(dead_code)]

pub mod fake;
pub mod holding;
pub mod listing;
pub mod traced;

use std::sync::{Arc, Mutex};

use chatcaptain::{Client, Contact};
pub use chatcaptain_fake::ListShape;
use chatcaptain_fake::{FakeServer, FakeServerBuilder, RecordedRequest};
use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const KEY: &str = "test-key-1234";
pub const BOT: &str = "bot1";

/// A loopback server a test client can be pointed at.
pub trait Served {
    /// Its base URL.
    fn base(&self) -> String;
    /// The key it accepts.
    fn key(&self) -> String;
}

impl Served for MockServer {
    fn base(&self) -> String {
        self.uri()
    }
    fn key(&self) -> String {
        KEY.to_owned()
    }
}

impl Served for FakeServer {
    fn base(&self) -> String {
        self.base_url()
    }
    fn key(&self) -> String {
        self.api_key().to_owned()
    }
}

/// A builder with the server's key, pointed at `server`, for a test that sets more.
pub fn builder(server: &impl Served) -> chatcaptain::ClientBuilder {
    Client::builder()
        .api_key(server.key())
        .base_url(server.base())
}

/// A client with the server's key, pointed at `server`.
pub fn client(server: &impl Served) -> Client {
    builder(server).build().expect("client builds")
}

/// A wiremock server that answers every GET with `answer`.
pub async fn answering_every_get(answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

/// A loopback port just freed: nothing listens, so a connect to it is refused. (wiremock pools
/// its servers, so a dropped one may still listen.)
pub fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A builder with [`KEY`] aimed at loopback `port` (a [`closed_port`]: every connect is refused).
pub fn builder_at_port(port: u16) -> chatcaptain::ClientBuilder {
    Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
}

/// One attempt to get contact `c1` through a [`closed_port`]: the port, and the transport error
/// the refused connect gives.
pub async fn refused_get_once() -> (u16, chatcaptain::Error) {
    let port = closed_port();
    let client = builder_at_port(port).max_attempts(1).build().unwrap();
    let err = client.contacts(BOT).get("c1").await.unwrap_err();
    (port, err)
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

/// The ids of `first`, then of `rest`: what a listing and its resumption yielded together.
pub fn ids_then(first: &[Contact], rest: &[Contact]) -> Vec<String> {
    ids(first).into_iter().chain(ids(rest)).collect()
}

/// A tie: `n` contacts created at one `instant`, `{prefix}0`, `{prefix}1`, … numbered at one
/// width, so that their ids sort as they count.
pub fn tied_at(instant: DateTime<Utc>, n: usize, prefix: &str) -> Vec<Contact> {
    let width = n.saturating_sub(1).to_string().len();
    (0..n)
        .map(|i| contact(&format!("{prefix}{i:0width$}"), instant))
        .collect()
}

/// `value` after a trip through JSON, as a saved cursor or checkpoint goes from one process to
/// the next.
pub fn through_json<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
    serde_json::from_str(&serde_json::to_string(value).unwrap()).unwrap()
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

/// A fake whose chatbot [`BOT`] has `contacts`, listed as `shape` says (the fake's
/// [`ListShape`]: the one model of a list server's guesses, which users' tests get too).
pub async fn list_server_with(contacts: Vec<Contact>, shape: ListShape) -> (FakeServer, Heard) {
    serve_listing(contacts, |fake, c| fake.contact(BOT, c), shape).await
}

/// A fake whose chatbot [`BOT`] holds `contacts`, each added by `add`, listed as `shape` says.
async fn serve_listing<T>(
    contacts: Vec<T>,
    add: impl Fn(FakeServerBuilder, T) -> FakeServerBuilder,
    shape: ListShape,
) -> (FakeServer, Heard) {
    let fake = contacts
        .into_iter()
        .fold(FakeServer::builder().chatbot(BOT), add);
    (fake.list_shape(shape).start().await, Heard::default())
}

/// What one listing through a fresh list server got, and the requests the server heard.
pub struct Listed {
    pub result: Result<Vec<Contact>, chatcaptain::Error>,
    pub requests: Vec<Seen>,
}

impl Listed {
    /// The ids listed, in order; panics with the error when the listing failed.
    pub fn ids(&self) -> Vec<String> {
        match &self.result {
            Ok(contacts) => ids(contacts),
            Err(e) => panic!("the listing failed: {e}"),
        }
    }

    /// Asserts that the listing ended with an error `expected` accepts.
    pub fn assert_error(&self, expected: impl Fn(&chatcaptain::Error) -> bool) {
        match &self.result {
            Err(e) if expected(e) => {}
            other => panic!("not the error expected: {other:?}"),
        }
    }
}

/// Lists all of `contacts` `page_size` at a time from a fake of `shape`: the setting up and
/// listing that most listing tests share, so each says only what it checks.
pub async fn list_through(contacts: &[Contact], shape: ListShape, page_size: u32) -> Listed {
    let (server, mut heard) = list_server_with(contacts.to_vec(), shape).await;
    let result = client(&server)
        .contacts(BOT)
        .list()
        .page_size(page_size)
        .collect_all()
        .await;
    Listed {
        result,
        requests: heard.drain(&server),
    }
}

/// A fake that lists `contacts` as the spec says.
pub async fn list_server(contacts: Vec<Contact>) -> (FakeServer, Heard) {
    list_server_with(contacts, ListShape::spec()).await
}

/// Like [`list_server`], but the server ignores `pageToken`: its cursor never advances.
pub async fn list_server_ignoring_cursor(contacts: Vec<Contact>) -> (FakeServer, Heard) {
    list_server_with(contacts, ListShape::spec().ignore_token(true)).await
}

/// A fake whose contacts are raw JSON, answered as given, so they can differ from the spec.
pub async fn raw_list_server(contacts: Vec<Value>, shape: ListShape) -> (FakeServer, Heard) {
    serve_listing(contacts, |fake, c| fake.raw_contact(BOT, c), shape).await
}

/// The requests a fake has heard, read in order: what [`Heard::drain`] returned is not returned
/// again.
#[derive(Debug, Default)]
pub struct Heard {
    read: usize,
}

impl Heard {
    /// Every request not read yet, without waiting.
    pub fn drain(&mut self, server: &FakeServer) -> Vec<Seen> {
        let requests = server.requests();
        let new = requests[self.read.min(requests.len())..]
            .iter()
            .map(Seen::of)
            .collect();
        self.read = requests.len();
        new
    }

    /// The next request not read yet, waiting for it to arrive (`Option` as a channel's `recv`).
    pub async fn recv(&mut self, server: &FakeServer) -> Option<Seen> {
        let requests = server.wait_for_requests(self.read + 1).await;
        self.read += 1;
        requests.get(self.read - 1).map(Seen::of)
    }
}

impl Seen {
    fn of(request: &RecordedRequest) -> Seen {
        Seen {
            query: request.query.clone(),
        }
    }
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
