//! Markdown tables, ready to paste into BENCHMARKS.md.

use std::time::Duration;

use crate::import::ImportMemoryRow;
use crate::measure::Comparison;
use crate::memory::MemoryRow;
use crate::rate_limit::{PacingRow, RateRow};

/// Prints a table's header row, `| a | b |`, and the line under it.
fn header(row: &str) {
    println!("{row}");
    println!("|{}", "---|".repeat(row.matches('|').count() - 1));
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

pub fn comparisons(rows: &[Comparison]) {
    header(
        "| case | baseline | median (min) | ours | median (min) | ratio ours/baseline | target |",
    );
    for row in rows {
        println!(
            "| {} | {} | {} ({}) | {} | {} ({}) | **{:.3}** | {} |",
            row.case,
            row.baseline_name,
            ms(row.baseline.median()),
            ms(row.baseline.min()),
            row.ours_name,
            ms(row.ours.median()),
            ms(row.ours.min()),
            row.ratio(),
            row.target,
        );
    }
    for row in rows {
        let per_sec = row.items as f64 / row.ours.median().as_secs_f64();
        println!("- {}: ours {:.0} items/s", row.case, per_sec);
    }
    for row in rows {
        if let Some((baseline, ours)) = row.requests {
            let per = |n: usize| n as f64 / row.items.max(1) as f64;
            println!(
                "- {}: requests {} {} ({:.4} per contact), {} {} ({:.4} per contact): **{:.3}x**",
                row.case,
                row.baseline_name,
                baseline,
                per(baseline),
                row.ours_name,
                ours,
                per(ours),
                ours as f64 / baseline.max(1) as f64,
            );
        }
    }
    println!();
}

/// KiB (as Linux counts a peak RSS) in MiB.
fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}

/// The line under a table of a small and a large run, given their peak RSS (in KiB): how much
/// more the large one's is. Nothing for any other number of runs.
fn print_rss_ratio(peaks_kib: impl Iterator<Item = u64>, note: &str) {
    if let [small_kib, large_kib] = peaks_kib.collect::<Vec<_>>()[..] {
        println!(
            "\nratio large/small: **{:.3}**{note}",
            large_kib as f64 / small_kib as f64
        );
    }
}

pub fn memory(rows: &[MemoryRow]) {
    header("| contacts streamed (counted, not kept) | peak RSS of the streaming process |");
    for row in rows {
        println!("| {} | {:.1} MiB |", row.contacts, mib(row.peak_rss_kib));
    }
    print_rss_ratio(rows.iter().map(|r| r.peak_rss_kib), " (target <= 1.2)");
}

pub fn rate_limited(rows: &[RateRow]) {
    header(
        "| client | limit R | contacts | time | answered requests/s | of R | 429s (share of requests) | requests before a Retry-After elapsed |",
    );
    for row in rows {
        println!(
            "| {} | {:.0}/s | {} | {:.2} s | {:.1} | **{:.0}%** | {} ({:.2}%) | {} |",
            row.variant,
            row.per_second,
            row.contacts,
            row.elapsed.as_secs_f64(),
            row.pages_per_second(),
            100.0 * row.pages_per_second() / row.per_second,
            row.refused,
            100.0 * row.refused_share(),
            row.early,
        );
    }
    println!();
}

pub fn import_memory(rows: &[ImportMemoryRow]) {
    header(
        "| input (ndjson) | records | time | first request after | peak RSS of `chatcaptain contacts import` |",
    );
    for row in rows {
        println!(
            "| {:.0} MiB | {} | {:.1} s | {} | {:.1} MiB |",
            row.bytes as f64 / (1024.0 * 1024.0),
            row.records,
            row.elapsed.as_secs_f64(),
            row.first_request.map_or("-".to_owned(), |d| format!(
                "{:.0} ms",
                d.as_secs_f64() * 1e3
            )),
            mib(row.peak_rss_kib)
        );
    }
    print_rss_ratio(rows.iter().map(|r| r.peak_rss_kib), "");
}

pub fn pacing(rows: &[PacingRow]) {
    header(
        "| limit R | bucket at start | workers | calls | standard: time | 429s (early) | adaptive: time | 429s (early) | adaptive/standard time |",
    );
    for row in rows {
        let (s, a) = (&row.standard, &row.adaptive);
        println!(
            "| {:.0}/s | {} | {} | {} | {:.2} s | {} ({}) | {:.2} s | {} ({}) | **{:.2}** |",
            row.per_second,
            if row.exhausted { "used up" } else { "full" },
            row.concurrency,
            row.calls,
            s.elapsed.as_secs_f64(),
            s.refused,
            s.early,
            a.elapsed.as_secs_f64(),
            a.refused,
            a.early,
            a.elapsed.as_secs_f64() / s.elapsed.as_secs_f64(),
        );
    }
    println!(
        "\n(early: requests that reached the fake while a Retry-After it gave was still running)\n"
    );
}
