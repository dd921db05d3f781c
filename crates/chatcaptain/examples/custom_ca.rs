//! Trusting a private CA (an API behind a company's own CA, or a proxy that inspects TLS) with
//! `ClientBuilder::add_root_certificates_pem`, beside the system's roots.
//!
//! `cargo run -p chatcaptain --example custom_ca`
//!
//! Starts a local HTTPS server whose certificate comes from a CA made on the spot, and calls
//! it without the CA (refused) and with it. In your program, read your CA's PEM file instead:
//! `std::fs::read("/etc/ssl/corp-root-ca.pem")?` (the CLI: `--ca-file` or `CHATCAPTAIN_CA_FILE`).

#[path = "../tests/support/tls.rs"]
mod tls;

use chatcaptain::Client;
use reqwest::Method;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = tls::start(&["localhost"], r#"{"hello": "from behind a private CA"}"#).await;
    let base_url = format!("https://localhost:{}", server.addr.port());
    let ca_pem: &[u8] = server.ca_pem.as_bytes(); // your CA file's contents

    let without = Client::builder()
        .api_key("my-key")
        .base_url(&base_url)
        .max_attempts(1)
        .build()?;
    match without.raw(Method::GET, "/v1/ping").send().await {
        Ok(_) => println!("without the CA: accepted?!"),
        Err(e) => println!("without the CA: refused ({})", report(&e)),
    }

    let with = Client::builder()
        .api_key("my-key")
        .base_url(&base_url)
        .add_root_certificates_pem(ca_pem)
        .build()?;
    let answer = with.raw(Method::GET, "/v1/ping").send().await?;
    println!("with the CA: {} {}", answer.status, answer.text());
    Ok(())
}

/// An error and its causes on one line.
fn report(error: &dyn std::error::Error) -> String {
    std::iter::successors(Some(error), |e| e.source())
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}
