//! Extra root certificates (`ClientBuilder::add_root_certificates_pem`): a server whose
//! certificate comes from a private CA is refused without it and reached with it.

use chatcaptain::{Client, Error};
use reqwest::Method;

#[path = "../support/tls.rs"]
mod tls;

const BODY: &str = r#"{"ok": true}"#;

fn builder(server: &tls::TlsServer) -> chatcaptain::ClientBuilder {
    Client::builder()
        .api_key(crate::common::KEY)
        .base_url(format!("https://localhost:{}", server.addr.port()))
        .max_attempts(1)
}

/// A GET of `/v1/ping` through a client from `builder`.
async fn ping(builder: chatcaptain::ClientBuilder) -> Result<chatcaptain::RawAnswer, Error> {
    builder
        .build()
        .unwrap()
        .raw(Method::GET, "/v1/ping")
        .send()
        .await
}

#[tokio::test]
async fn a_private_ca_is_refused_without_its_root_and_trusted_with_it() {
    let server = tls::start(&["localhost"], BODY).await;
    let refused = ping(builder(&server)).await.unwrap_err();
    assert!(matches!(refused, Error::Transport(_)), "{refused:?}");
    let chain: Vec<String> =
        std::iter::successors(Some(&refused as &dyn std::error::Error), |e| e.source())
            .map(ToString::to_string)
            .collect();
    assert!(
        chain.iter().any(|cause| cause.contains("certificate")),
        "refused for its certificate: {chain:?}"
    );
    assert!(
        server.heads().is_empty(),
        "no request got past the handshake"
    );

    let answer = ping(builder(&server).add_root_certificates_pem(&server.ca_pem))
        .await
        .unwrap();
    assert_eq!(answer.json::<serde_json::Value>().unwrap()["ok"], true);
    let heads = server.heads();
    assert_eq!(heads.len(), 1);
    assert!(heads[0].starts_with("GET /v1/ping HTTP/1.1"), "{heads:?}");
    assert!(
        heads[0].contains(crate::common::KEY),
        "the key went, inside TLS"
    );
}

#[test]
fn roots_that_are_not_certificates_or_come_with_an_http_client_are_refused_by_build() {
    let build = |pem: &str| {
        Client::builder()
            .api_key("k")
            .add_root_certificates_pem(pem)
            .build()
    };
    for pem in [
        "",
        "not a certificate",
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    ] {
        match build(pem) {
            Err(Error::Config(message)) => {
                assert!(message.contains("root certificates"), "{message}")
            }
            other => panic!("{pem:?}: {other:?}"),
        }
    }
    let own = chatcaptain::api::tls::client_builder().build().unwrap();
    let err = Client::builder()
        .api_key("k")
        .http_client(own)
        .add_root_certificates_pem("-----BEGIN CERTIFICATE-----")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("http_client"), "{err}");
}
