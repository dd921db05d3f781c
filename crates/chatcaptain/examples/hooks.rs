//! Hooks: a header on every request, and a log line for every answer, retries included.
//!
//! `cargo run -p chatcaptain --example hooks`
//!
//! The in-memory fake fails the first try of the read with a 503, so the hooks run twice for
//! one call. Hooks run before the client adds its own headers: they never see the API key.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use chatcaptain::Client;
use chatcaptain_fake::{FakeServer, Fault, Route};
use reqwest::header::HeaderValue;

const CHATBOT: &str = "bot1";

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = FakeServer::builder()
        .seed_contacts(CHATBOT, 3)
        .fault(Fault::status(503).on(Route::GetContact).nth(1))
        .start()
        .await;

    let sent = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&sent);
    let client = Client::builder()
        .api_key(server.api_key())
        .base_url(server.base_url())
        .backoff(Duration::from_millis(1), Duration::from_millis(10))
        // Every attempt: a trace id of the caller's (a proxy's credentials would go here too).
        .on_request(move |request, operation| {
            let n = counter.fetch_add(1, Ordering::Relaxed) + 1;
            let trace = HeaderValue::from_str(&format!("trace-{n}")).expect("ASCII");
            request.headers_mut().insert("x-trace-id", trace);
            let key_visible = request.headers().contains_key(chatcaptain::API_KEY_HEADER);
            println!(
                "-> {} {} (operation {}, key visible to the hook: {key_visible})",
                request.method(),
                request.url().path(),
                operation.map_or("none", |o| o.id()),
            );
        })
        // Every answer, before its body is read: status, and a header worth metering.
        .on_response(|response, operation| {
            println!(
                "<- {} for {} (request id: {})",
                response.status(),
                operation.map_or("none", |o| o.id()),
                response
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("none"),
            );
        })
        .build()?;

    let newest = client
        .contacts(CHATBOT)
        .list()
        .max_items(1)
        .collect_all()
        .await?;
    let id = &newest.first().ok_or("the fake has contacts")?.id;
    let contact = client.contacts(CHATBOT).get(id).await?;
    println!(
        "got {} after {} requests",
        contact.id,
        sent.load(Ordering::Relaxed)
    );
    Ok(())
}
