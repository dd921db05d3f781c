//! `chatcaptain-bench`: the SDK measured side by side with hand-written baselines on loopback.
//! Run it in release mode: `cargo run --release -p chatcaptain-bench` (or `cargo xtask bench`).

mod cases;
mod host;
mod import;
mod measure;
mod memory;
mod rate_limit;
mod raw;
mod report;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(about = "Benchmarks of chatcaptain-rs against hand-written baselines")]
struct Cli {
    /// Measured rounds per variant (after one warm-up each).
    #[arg(long, default_value_t = 5, global = true)]
    rounds: usize,
    /// Contacts listed by the throughput case.
    #[arg(long, default_value_t = 100_000, global = true)]
    list_contacts: u64,
    /// Contacts searched by the search case.
    #[arg(long, default_value_t = 20_000, global = true)]
    search_contacts: u64,
    /// Pages of the prefetch case.
    #[arg(long, default_value_t = 25, global = true)]
    prefetch_pages: u64,
    /// Contacts of the smaller memory run.
    #[arg(long, default_value_t = 10_000, global = true)]
    memory_small: u64,
    /// Contacts of the larger memory run.
    #[arg(long, default_value_t = 1_000_000, global = true)]
    memory_large: u64,
    /// Contacts of the parallel listing case.
    #[arg(long, default_value_t = 100_000, global = true)]
    parallel_contacts: u64,
    /// Range counts of the parallel listing case (comma-separated).
    #[arg(long, value_delimiter = ',', default_values_t = [2, 4, 8], global = true)]
    parallel_ranges: Vec<usize>,
    /// Requests per second the fake allows in the rate-limit case.
    #[arg(long, default_value_t = 100.0, global = true)]
    rate_limit: f64,
    /// Contacts of the rate-limit case.
    #[arg(long, default_value_t = 300_000, global = true)]
    rate_limit_contacts: u64,
    /// Records of the import rate-limit case.
    #[arg(long, default_value_t = 3_000, global = true)]
    import_contacts: u64,
    /// MiB of the smaller and the larger input of the import memory case.
    #[arg(long, num_args = 2, default_values_t = [16, 1024], global = true)]
    import_mib: Vec<u64>,
    /// Where the import memory case writes (and reuses) its inputs.
    #[arg(long, default_value = "/tmp", global = true)]
    import_dir: std::path::PathBuf,
    /// The limits of the pacing case, requests per second.
    #[arg(long, value_delimiter = ',', default_values_t = [20.0, 100.0], global = true)]
    pacing_rates: Vec<f64>,
    /// The numbers of workers of the pacing case.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 8, 32], global = true)]
    pacing_workers: Vec<usize>,
    /// Calls of each pacing run, in seconds' worth of the limit.
    #[arg(long, default_value_t = 3.0, global = true)]
    pacing_seconds: f64,
    #[command(subcommand)]
    case: Option<Case>,
}

#[derive(Subcommand)]
enum Case {
    /// Every case (the default).
    All,
    /// list().items() against a raw reqwest loop.
    List,
    /// search().items() against a raw reqwest loop.
    Search,
    /// Prefetch on against off, with latency and consumer work.
    Prefetch,
    /// Peak RSS streaming 10,000 against 1,000,000 contacts.
    Memory,
    /// parallel(2, 4, 8) against the sequential listing, even and skewed data, 20 ms latency.
    Parallel,
    /// A parallel(8) export against a fake that enforces a rate limit (429 + Retry-After):
    /// learned pace + AIMD against Retry-After alone.
    RateLimit,
    /// `chatcaptain contacts import --parallel 8` (the release binary) against the same
    /// rate-limited fake, standard against adaptive retry mode.
    ImportRateLimit,
    /// Peak RSS of `chatcaptain contacts import` for a small and a large ndjson file.
    ImportMemory,
    /// Gets by 1, 8 and 32 workers against a rate limit whose bucket is full or used up at
    /// the start: standard (Retry-After only) against adaptive, 429s counted. Not part of `all`.
    Pacing,
    /// Internal: runs a command and prints its exit code and peak RSS (the import cases).
    #[command(hide = true)]
    PeakRss {
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, required = true)]
        command: Vec<String>,
    },
    /// Internal: the child process of the memory case.
    #[command(hide = true)]
    StreamCount {
        #[arg(long)]
        base_url: String,
        #[arg(long)]
        chatbot: String,
    },
}

#[tokio::main(flavor = "multi_thread", worker_threads = 1)]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let case = cli.case.unwrap_or(Case::All);
    if let Case::PeakRss { command } = &case {
        return import::peak_rss_of(command);
    }
    if let Case::StreamCount { base_url, chatbot } = &case {
        return memory::stream_count(base_url, chatbot).await;
    }
    let all = matches!(case, Case::All);
    let mut rows = Vec::new();
    if all || matches!(case, Case::List) {
        rows.push(cases::list_throughput(cli.rounds, cli.list_contacts).await?);
    }
    if all || matches!(case, Case::Search) {
        rows.push(cases::search_throughput(cli.rounds, cli.search_contacts).await?);
    }
    if all || matches!(case, Case::Prefetch) {
        rows.push(cases::prefetch_gain(cli.rounds, cli.prefetch_pages).await?);
    }
    if all || matches!(case, Case::Parallel) {
        for spread in [cases::Spread::Even, cases::Spread::Skewed] {
            for &ranges in &cli.parallel_ranges {
                let row =
                    cases::parallel_speedup(cli.rounds, cli.parallel_contacts, spread, ranges);
                rows.push(row.await?);
            }
        }
    }
    if !rows.is_empty() {
        report::comparisons(&rows);
    }
    if all || matches!(case, Case::RateLimit) {
        let mut rate_rows = Vec::new();
        for _ in 0..cli.rounds.min(3) {
            for adaptive in [false, true] {
                let (contacts, r) = (cli.rate_limit_contacts, cli.rate_limit);
                rate_rows.push(rate_limit::export(contacts, r, 8, adaptive).await?);
            }
        }
        report::rate_limited(&rate_rows);
    }
    if matches!(case, Case::ImportRateLimit) {
        let mut rate_rows = Vec::new();
        for _ in 0..cli.rounds.min(3) {
            for adaptive in [false, true] {
                let (contacts, r) = (cli.import_contacts, cli.rate_limit);
                let row = tokio::task::spawn_blocking(move || {
                    import::rate_limited(contacts, r, adaptive)
                });
                rate_rows.push(row.await??);
            }
        }
        report::rate_limited(&rate_rows);
    }
    if matches!(case, Case::ImportMemory) {
        let mut rows = Vec::new();
        for mib in cli.import_mib.clone() {
            let dir = cli.import_dir.clone();
            rows.push(tokio::task::spawn_blocking(move || import::memory(&dir, mib)).await??);
        }
        report::import_memory(&rows);
    }
    if matches!(case, Case::Pacing) {
        let mut rows = Vec::new();
        for &rate in &cli.pacing_rates {
            for exhausted in [false, true] {
                for &workers in &cli.pacing_workers {
                    let calls = (rate * cli.pacing_seconds).ceil() as usize;
                    rows.push(rate_limit::pacing(rate, exhausted, workers, calls.max(1)).await?);
                }
            }
        }
        report::pacing(&rows);
    }
    if all || matches!(case, Case::Memory) {
        let (small, large) = (cli.memory_small, cli.memory_large);
        let memory = tokio::task::spawn_blocking(move || memory::flatness(small, large)).await??;
        report::memory(&memory);
    }
    Ok(())
}
