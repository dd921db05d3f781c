//! One function per benchmark case of issue 8; each returns a comparison row.

use std::time::Duration;

use chatcaptain_fake::{FakeServer, Fault, Route};
use futures::{Stream, TryStreamExt};

use crate::host::{API_KEY, Hosted};
use crate::measure::{Comparison, Samples, side_by_side};
use crate::raw::RawContacts;

pub const CHATBOT: &str = "bench";
pub const PAGE_SIZE: u32 = 250;

fn sdk(base_url: &str) -> anyhow::Result<chatcaptain::Client> {
    Ok(chatcaptain::Client::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .build()?)
}

/// Consumes a stream of contacts, counting them without keeping any.
pub async fn count(
    stream: impl Stream<Item = Result<chatcaptain::Contact, chatcaptain::Error>>,
) -> anyhow::Result<usize> {
    Ok(stream.try_fold(0, |n, _| async move { Ok(n + 1) }).await?)
}

/// Case 2: `contacts.list().items()` against the hand-written cursor loop.
pub async fn list_throughput(rounds: usize, contacts: u64) -> anyhow::Result<Comparison> {
    let (_host, raw, client) = seeded(contacts)?;
    let measured = side_by_side(
        rounds,
        || raw.list_count(PAGE_SIZE),
        || count(client.contacts(CHATBOT).list().page_size(PAGE_SIZE).items()),
    )
    .await?;
    Ok(against_raw_loop(measured, "list().items()", |items| {
        format!("list {items} contacts, page size {PAGE_SIZE}")
    }))
}

/// Case 5: `contacts.search(q).items()` against the hand-written page loop.
pub async fn search_throughput(rounds: usize, contacts: u64) -> anyhow::Result<Comparison> {
    let (_host, raw, client) = seeded(contacts)?;
    // Every generated contact has an address at example.com, so this matches them all.
    let query = "example.com";
    let measured = side_by_side(
        rounds,
        || raw.search_count(query, PAGE_SIZE),
        || {
            count(
                client
                    .contacts(CHATBOT)
                    .search(query)
                    .page_size(PAGE_SIZE)
                    .items(),
            )
        },
    )
    .await?;
    Ok(against_raw_loop(measured, "search().items()", |items| {
        format!("search {items} hits, page size {PAGE_SIZE}")
    }))
}

/// A fake holding `contacts` contacts of [`CHATBOT`], and its contacts asked by the baseline
/// and by the SDK.
fn seeded(contacts: u64) -> anyhow::Result<(Hosted, RawContacts, chatcaptain::Client)> {
    let host = Hosted::start(FakeServer::builder().seed_contacts(CHATBOT, contacts));
    let raw = RawContacts::new(plain_reqwest()?, &host.base_url, CHATBOT);
    let client = sdk(&host.base_url)?;
    Ok((host, raw, client))
}

/// The row of an SDK stream, `ours_name`, timed against the hand-written reqwest loop, which it
/// should keep up with; `case` names the row by the number of items.
fn against_raw_loop(
    (baseline, ours, items): (Samples, Samples, usize),
    ours_name: &str,
    case: impl FnOnce(usize) -> String,
) -> Comparison {
    Comparison {
        case: case(items),
        baseline_name: "raw reqwest loop".into(),
        baseline,
        ours_name: ours_name.into(),
        ours,
        items,
        target: "ours <= 1.10x".into(),
        requests: None,
    }
}

/// Case 3: 20 ms of server latency per page and 20 ms of consumer work per page; prefetch
/// overlaps the two, so the ideal is half the time.
pub async fn prefetch_gain(rounds: usize, pages: u64) -> anyhow::Result<Comparison> {
    let latency = Duration::from_millis(20);
    let work = Duration::from_millis(20);
    let host = Hosted::start(
        FakeServer::builder()
            .seed_contacts(CHATBOT, pages * u64::from(PAGE_SIZE) - 1)
            .fault(Fault::latency(latency).on(Route::ListContacts)),
    );
    let client = sdk(&host.base_url)?;
    let consume = |prefetch: bool| {
        let client = client.clone();
        async move {
            let mut pages = client
                .contacts(CHATBOT)
                .list()
                .page_size(PAGE_SIZE)
                .prefetch(prefetch)
                .pages();
            let mut n = 0;
            while let Some(page) = pages.try_next().await? {
                n += page.items().len();
                // Stands for the consumer's own work on the page (a database write, say).
                tokio::time::sleep(work).await;
            }
            anyhow::Ok(n)
        }
    };
    let (baseline, ours, items) = side_by_side(rounds, || consume(false), || consume(true)).await?;
    Ok(Comparison {
        case: format!("{pages} pages, 20 ms latency + 20 ms work per page"),
        baseline_name: "prefetch off".into(),
        baseline,
        ours_name: "prefetch on".into(),
        ours,
        items,
        target: "ours <= 0.56x (>= 1.8x faster)".into(),
        requests: None,
    })
}

/// How the `created` of the parallel case's contacts are spread.
#[derive(Clone, Copy, Debug)]
pub enum Spread {
    /// One second apart.
    Even,
    /// 10% one ~17 minutes apart, 90% one second apart in a burst within ~5% of the span.
    Skewed,
}

/// Case 6 (issue 16): the partitioned parallel listing against the sequential one, 20 ms of
/// server latency per request; the ratio is the time of `parallel(ranges)` over sequential.
pub async fn parallel_speedup(
    rounds: usize,
    contacts: u64,
    spread: Spread,
    ranges: usize,
) -> anyhow::Result<Comparison> {
    let builder = match spread {
        Spread::Even => FakeServer::builder().seed_contacts(CHATBOT, contacts),
        Spread::Skewed => {
            let sparse = contacts / 10;
            // The burst's times (one second apart, counting on from the sparse ones') land
            // inside the sparse span, within its first ~5%.
            FakeServer::builder()
                .seed_contacts_every(CHATBOT, sparse, chrono::TimeDelta::seconds(1000))
                .seed_contacts_every(CHATBOT, contacts - sparse, chrono::TimeDelta::seconds(5))
        }
    };
    let latency = Duration::from_millis(20);
    let host = Hosted::start(builder.fault(Fault::latency(latency).on(Route::ListContacts)));
    let client = sdk(&host.base_url)?;
    let listing = |parallel: usize| {
        let client = client.clone();
        async move {
            let listing = client.contacts(CHATBOT).list().page_size(PAGE_SIZE);
            count(listing.parallel(parallel).items()).await
        }
    };
    let (baseline, ours, items) = side_by_side(rounds, || listing(1), || listing(ranges)).await?;
    // Requests of one more run of each: against a rate-limited API they are the cost.
    let mut requests = [0; 2];
    for (sent, parallel) in requests.iter_mut().zip([1, ranges]) {
        host.server().clear_requests();
        listing(parallel).await?;
        *sent = host.server().request_count(Route::ListContacts);
    }
    Ok(Comparison {
        case: format!(
            "{spread:?} {items} contacts, page size {PAGE_SIZE}, 20 ms latency, {ranges} ranges"
        ),
        baseline_name: "sequential".into(),
        baseline,
        ours_name: format!("parallel({ranges})"),
        ours,
        items,
        target: match (spread, ranges) {
            (Spread::Even, 8) => ">= 6x faster".into(),
            (Spread::Skewed, 8) => ">= 4x faster".into(),
            _ => "faster".into(),
        },
        requests: Some((requests[0], requests[1])),
    })
}

/// A reqwest client with reqwest's defaults, as a user without the SDK has. Built from the SDK's
/// `tls::client_builder()` only because with its default TLS feature (`rustls-ring`) the
/// workspace's reqwest has no crypto provider of its own and `reqwest::Client::new()` would
/// panic; the loopback fake speaks plain http anyway.
fn plain_reqwest() -> anyhow::Result<reqwest::Client> {
    Ok(chatcaptain_api::tls::client_builder().build()?)
}
