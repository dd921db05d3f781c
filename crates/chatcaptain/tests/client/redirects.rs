//! Redirects: the key goes only to the configured base URL's scheme, host and port, so a redirect
//! anywhere else is not followed and surfaces as `Error::Redirect` naming the `Location`.

use crate::common;

use chatcaptain::Error;
use common::{BOT, KEY, contact};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CONTACT_PATH: &str = "/v1/chatbots/bot1/contacts/c1";

fn one_contact() -> serde_json::Value {
    serde_json::json!({ "contact": contact("c1", common::at(0)) })
}

/// The API at `api` answering every request with `status` and `Location: location`.
async fn redirecting(api: &MockServer, status: u16, location: &str) {
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(status).insert_header("location", location))
        .mount(api)
        .await;
}

/// What `get` of a contact ends in when the API at `api` redirects it with `status` to `location`.
async fn get_redirected(api: &MockServer, status: u16, location: &str) -> Error {
    redirecting(api, status, location).await;
    common::client(api)
        .contacts(BOT)
        .get("c1")
        .await
        .unwrap_err()
}

/// Another server, which would answer if reached; it must see no request.
async fn elsewhere() -> MockServer {
    common::answering_every_get(ResponseTemplate::new(200).set_body_json(one_contact())).await
}

async fn assert_untouched(server: &MockServer) {
    let seen = server.received_requests().await.unwrap();
    assert!(seen.is_empty(), "the other server was reached: {seen:?}");
}

fn port(server: &MockServer) -> u16 {
    server.address().port()
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed_and_names_the_location() {
    let (api, other) = (MockServer::start().await, elsewhere().await);
    let location = format!("http://localhost:{}/steal", port(&other));
    let err = get_redirected(&api, 302, &location).await;
    assert!(
        matches!(&err, Error::Redirect { status: Some(s), location: l } if s.as_u16() == 302 && *l == location),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 1, "a redirect is not retried");
    assert!(err.to_string().contains(&location), "{err}");
    assert_untouched(&other).await;
}

#[tokio::test]
async fn a_307_to_another_port_of_the_same_host_is_not_followed() {
    let (api, other) = (MockServer::start().await, elsewhere().await);
    let location = format!("http://127.0.0.1:{}{CONTACT_PATH}", port(&other));
    let err = get_redirected(&api, 307, &location).await;
    assert!(matches!(&err, Error::Redirect { .. }), "{err:?}");
    assert_untouched(&other).await;
}

#[tokio::test]
async fn a_307_that_changes_the_scheme_is_not_followed() {
    // Same host and port, https instead of http: another origin. (The other direction, https to
    // plain http, takes the same path through the policy; its decision is unit-tested there.)
    let api = MockServer::start().await;
    let location = format!("https://127.0.0.1:{}{CONTACT_PATH}", port(&api));
    let err = get_redirected(&api, 307, &location).await;
    assert!(
        matches!(&err, Error::Redirect { location: l, .. } if *l == location),
        "{err:?}"
    );
    assert_eq!(api.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_307_within_the_base_url_origin_is_followed_with_the_key() {
    let api = MockServer::start().await;
    Mock::given(path(CONTACT_PATH))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/moved/c1"))
        .mount(&api)
        .await;
    Mock::given(path("/moved/c1"))
        .and(header("x-chatcaptain-key", KEY))
        .respond_with(ResponseTemplate::new(200).set_body_json(one_contact()))
        .expect(1)
        .mount(&api)
        .await;
    let got = common::client(&api).contacts(BOT).get("c1").await.unwrap();
    assert_eq!(got.id, "c1");
}

#[tokio::test]
async fn a_302_within_the_base_url_origin_is_not_followed() {
    // 301, 302 and 303 turn a DELETE, PATCH or POST into a GET on the next hop: following them
    // would answer another question than the one asked.
    let api = MockServer::start().await;
    let err = get_redirected(&api, 302, "/elsewhere").await;
    assert!(
        matches!(&err, Error::Redirect { status: Some(s), location } if s.as_u16() == 302 && location.ends_with("/elsewhere")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_redirect_followed_by_a_caller_supplied_client_is_refused() {
    // reqwest's default policy follows it (and strips Authorization and Cookie, but not our
    // header): the client cannot stop it, but refuses the answer and says so.
    let (api, other) = (MockServer::start().await, elsewhere().await);
    let location = format!("http://localhost:{}/steal", port(&other));
    redirecting(&api, 302, &location).await;
    let client = common::builder(&api)
        .http_client(chatcaptain::api::tls::client_builder().build().unwrap())
        .build()
        .unwrap();
    let err = client.contacts(BOT).get("c1").await.unwrap_err();
    assert!(
        matches!(&err, Error::Redirect { status: None, location: l } if *l == location),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("redirect::Policy::none()"),
        "{err}"
    );
}
