//! `--ca-file`, `CHATCAPTAIN_CA_FILE` and a profile's `ca_file`: a server whose certificate
//! comes from a private CA is refused without its root and reached with it.

use predicates::prelude::*;

use crate::common::*;

#[path = "../../../chatcaptain/tests/support/tls.rs"]
mod tls;

/// A TLS server for localhost, served by a runtime of its own while the binary runs.
fn private_server() -> (tokio::runtime::Runtime, tls::TlsServer) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime.block_on(tls::start(&["localhost"], r#"{"private": true}"#));
    (runtime, server)
}

/// `chatcaptain api GET /v1/ping` against `server`, with [`KEY`], run from `cmd`.
fn api_ping(mut cmd: assert_cmd::Command, server: &tls::TlsServer) -> assert_cmd::Command {
    cmd.env("CHATCAPTAIN_API_KEY", KEY).args([
        "api",
        "GET",
        "/v1/ping",
        "--base-url",
        &format!("https://localhost:{}", server.addr.port()),
    ]);
    cmd
}

#[test]
fn a_private_ca_is_refused_without_the_ca_file_and_trusted_with_it() {
    let (_runtime, server) = private_server();
    assert_exits(api_ping(bare(), &server), 1, "certificate");

    let dir = tempfile::tempdir().unwrap();
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &server.ca_pem).unwrap();
    api_ping(bare(), &server)
        .arg("--ca-file")
        .arg(&ca)
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""private": true"#));
    api_ping(bare(), &server)
        .env("CHATCAPTAIN_CA_FILE", &ca)
        .assert()
        .success();
    assert_eq!(server.heads().len(), 2);
}

#[test]
fn a_profile_names_its_ca_file_relative_to_the_config() {
    let (_runtime, server) = private_server();
    let home = Home::new();
    std::fs::create_dir_all(home.config_file().parent().unwrap()).unwrap();
    std::fs::write(home.config_file().with_file_name("ca.pem"), &server.ca_pem).unwrap();
    home.write_config(&profile_toml("default", &[("ca_file", "ca.pem")]));
    api_ping(home.cli(), &server).assert().success();
}

#[test]
fn a_missing_or_malformed_ca_file_is_a_usage_error_naming_it() {
    let (_runtime, server) = private_server();
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.pem");
    std::fs::write(&bad, "not a certificate").unwrap();
    assert_usage_error(
        api_ping(bare(), &server).arg("--ca-file").arg(&bad),
        "bad.pem (from --ca-file)",
    );
    assert_usage_error(
        api_ping(bare(), &server).env("CHATCAPTAIN_CA_FILE", dir.path().join("missing.pem")),
        "missing.pem (from CHATCAPTAIN_CA_FILE)",
    );
    assert!(server.heads().is_empty());
}
