//! Case 7 (issue 16): a parallel export against a fake that enforces a rate limit of R
//! requests a second (429 with a whole-second `Retry-After` above it). The client paces itself
//! after the first 429 (learned pace plus AIMD concurrency); the baseline is the same client
//! with the learned pace off, which only waits out each `Retry-After`.

use std::time::{Duration, Instant};

use chatcaptain_fake::{FakeServer, Fault, Route};

use crate::cases::{CHATBOT, PAGE_SIZE, count};
use crate::host::{API_KEY, Hosted};

pub struct RateRow {
    pub variant: &'static str,
    pub per_second: f64,
    pub contacts: usize,
    pub elapsed: Duration,
    /// Answered list requests (pages and probes, no 429s).
    pub answered: u64,
    pub refused: u64,
    pub early: u64,
}

impl RateRow {
    /// The row of `variant`: `contacts` done in `elapsed`, with the `route` requests `server`
    /// answered and the ones it refused with a 429.
    pub fn counted(
        variant: &'static str,
        per_second: f64,
        contacts: usize,
        elapsed: Duration,
        server: &FakeServer,
        route: Route,
    ) -> Self {
        let refused = server.rate_limited_count();
        RateRow {
            variant,
            per_second,
            contacts,
            elapsed,
            answered: server.request_count(route) as u64 - refused,
            refused,
            early: server.early_request_count(),
        }
    }

    pub fn pages_per_second(&self) -> f64 {
        self.answered as f64 / self.elapsed.as_secs_f64()
    }

    pub fn refused_share(&self) -> f64 {
        self.refused as f64 / (self.answered + self.refused) as f64
    }
}

/// A client for `base_url` that waits out every 429 (no retry quota) for up to `max_attempts`,
/// with the learned pace on if `adaptive`, else only honouring `Retry-After`.
fn paced_client(
    base_url: &str,
    adaptive: bool,
    max_attempts: u32,
) -> anyhow::Result<chatcaptain::Client> {
    let mode = if adaptive {
        chatcaptain::RetryMode::Adaptive
    } else {
        chatcaptain::RetryMode::Standard
    };
    Ok(chatcaptain::Client::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .retry_mode(mode)
        .retry_quota(None)
        .max_attempts(max_attempts)
        .build()?)
}

/// One export of `contacts` with `ranges` ranges at `per_second`, 20 ms of latency a request;
/// a fresh fake (a full bucket) and a fresh client each time.
pub async fn export(
    contacts: u64,
    per_second: f64,
    ranges: usize,
    adaptive: bool,
) -> anyhow::Result<RateRow> {
    let host = Hosted::start(
        FakeServer::builder()
            .seed_contacts(CHATBOT, contacts)
            .rate_limit(per_second)
            .fault(Fault::latency(Duration::from_millis(20)).on(Route::ListContacts)),
    );
    let client = paced_client(&host.base_url, adaptive, 10)?;
    let started = Instant::now();
    let listing = client.contacts(CHATBOT).list().page_size(PAGE_SIZE);
    let listed = count(listing.parallel(ranges).items()).await?;
    let elapsed = started.elapsed();
    let server = host.server();
    anyhow::ensure!(listed as u64 == contacts, "{listed} of {contacts} listed");
    let variant = if adaptive {
        "learned pace + AIMD"
    } else {
        "Retry-After only"
    };
    let row = RateRow::counted(
        variant,
        per_second,
        listed,
        elapsed,
        server,
        Route::ListContacts,
    );
    Ok(row)
}

/// Case 8 (issue 22): `calls` gets by `concurrency` workers against a fake limited to R requests
/// a second, its bucket full or already used up when the run starts; the default client
/// (`standard`, waiting out each `Retry-After`) against `retry_mode(RetryMode::Adaptive)`, each on a fresh
/// fake of its own.
pub struct PacingRow {
    pub per_second: f64,
    pub exhausted: bool,
    pub concurrency: usize,
    pub calls: usize,
    pub standard: Run,
    pub adaptive: Run,
}

pub struct Run {
    pub elapsed: Duration,
    pub refused: u64,
    pub early: u64,
}

/// Both clients, one after the other, on identical fakes.
pub async fn pacing(
    per_second: f64,
    exhausted: bool,
    concurrency: usize,
    calls: usize,
) -> anyhow::Result<PacingRow> {
    Ok(PacingRow {
        per_second,
        exhausted,
        concurrency,
        calls,
        standard: gets(per_second, exhausted, concurrency, calls, false).await?,
        adaptive: gets(per_second, exhausted, concurrency, calls, true).await?,
    })
}

async fn gets(
    per_second: f64,
    exhausted: bool,
    concurrency: usize,
    calls: usize,
    adaptive: bool,
) -> anyhow::Result<Run> {
    let contact: chatcaptain::Contact = serde_json::from_value(serde_json::json!({
        "id": "c1", "created": "2025-01-01T00:00:00Z", "language": "EN"
    }))?;
    let builder = FakeServer::builder()
        .contact(CHATBOT, contact)
        .fault(Fault::latency(Duration::from_millis(20)).on(Route::GetContact));
    let builder = match exhausted {
        true => builder.rate_limit_exhausted(per_second),
        false => builder.rate_limit(per_second),
    };
    let host = Hosted::start(builder);
    let client = paced_client(&host.base_url, adaptive, 20)?;
    let next = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, next) = (client.clone(), next.clone());
            tokio::spawn(async move {
                while next.fetch_add(1, std::sync::atomic::Ordering::Relaxed) < calls {
                    client.contacts(CHATBOT).get("c1").await?;
                }
                anyhow::Ok(())
            })
        })
        .collect();
    for worker in workers {
        worker.await??;
    }
    let elapsed = started.elapsed();
    let server = host.server();
    Ok(Run {
        elapsed,
        refused: server.rate_limited_count(),
        early: server.early_request_count(),
    })
}
