//! Raw calls: any path of the API with the client's key, retries and limits, for what the crate
//! does not wrap yet.
//!
//! `cargo run -p chatcaptain --example raw_calls`
//!
//! Runs against an in-memory fake, or against a real server when `CHATCAPTAIN_BASE_URL`,
//! `CHATCAPTAIN_API_KEY` and `CHATCAPTAIN_CHATBOT` are set (it creates one organization there).

mod support;

use chatcaptain::Error;
use reqwest::Method;
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let target = support::target(|fake| fake.seed_contacts(support::FAKE_CHATBOT, 5)).await?;
    let (client, chatbot) = (&target.client, &target.chatbot);

    // A GET with a query; retried like every read (503, 429, a dropped connection).
    let page = client
        .raw(Method::GET, format!("/v1/chatbots/{chatbot}/contacts"))
        .query("limit", "2")
        .send()
        .await?;
    let body: Value = page.json()?;
    println!(
        "GET contacts: {}, {} contacts, request id {:?}",
        page.status,
        body["contacts"].as_array().map_or(0, Vec::len),
        page.request_id()
    );

    // A POST with a JSON body; not retried after a 5xx (it may have created something),
    // unless the client was built with `retry_non_idempotent(true)`.
    let created = client
        .raw(
            Method::POST,
            format!("/v1/chatbots/{chatbot}/organizations"),
        )
        .json(&json!({ "name": "Example GmbH", "size": 12 }))
        .send()
        .await?;
    println!("POST organization: {}", created.status);

    // An error status is the usual `Error::Api`...
    let missing = format!("/v1/chatbots/{chatbot}/contacts/no-such-contact");
    match client.raw(Method::GET, &missing).send().await {
        Err(Error::Api {
            status, message, ..
        }) => println!("GET missing: {status}: {message}"),
        other => println!("GET missing: unexpected {other:?}"),
    }
    // ...or, asked for, the answer whole.
    let answer = client
        .raw(Method::GET, &missing)
        .any_status()
        .send()
        .await?;
    println!(
        "GET missing, any status: {} {}",
        answer.status,
        answer.text()
    );

    // Only paths below the base URL: the key never leaves for another host.
    let refused = client
        .raw(Method::GET, "https://elsewhere.example/v1")
        .send()
        .await;
    println!(
        "absolute URL: {}",
        refused.map_or_else(|e| e.to_string(), |_| "sent?!".into())
    );
    Ok(())
}
