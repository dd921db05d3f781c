//! The harness itself is tested on small sizes, so BENCHMARKS.md's commands keep working:
//! every case runs, baseline and SDK agree on the item counts, and the tables come out.

use std::process::Command;

fn bench(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_chatcaptain-bench"))
        .args(args)
        .output()
        .expect("the bench binary runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// Asserts the bench printed each of `parts`, showing all it printed when one is missing.
fn assert_prints(out: &str, parts: &[&str]) {
    for part in parts {
        assert!(out.contains(part), "no {part:?} in:\n{out}");
    }
}

#[test]
fn every_case_runs_on_small_sizes_and_prints_its_rows() {
    let out = bench(&[
        "--rounds",
        "1",
        "--list-contacts",
        "1200",
        "--search-contacts",
        "600",
        "--prefetch-pages",
        "2",
        "--memory-small",
        "300",
        "--memory-large",
        "900",
        "--parallel-contacts",
        "700",
        "--rate-limit-contacts",
        "2000",
    ]);
    assert_prints(
        &out,
        &[
            "| list 1200 contacts, page size 250 |",
            "| search 600 hits, page size 250 |",
            "| 2 pages, 20 ms latency",
            "| contacts streamed (counted, not kept) | peak RSS of the streaming process |\n|---|---|\n",
            "| 300 |",
            "| 900 |",
            "ratio large/small",
            "| Skewed 700 contacts",
            "| Retry-After only | 100/s | 2000 |",
            "| learned pace + AIMD | 100/s | 2000 |",
        ],
    );
}

#[test]
fn the_pacing_case_runs_both_clients_on_both_buckets() {
    let out = bench(&[
        "pacing",
        "--pacing-rates",
        "50",
        "--pacing-workers",
        "8",
        "--pacing-seconds",
        "0.2",
    ]);
    assert_prints(
        &out,
        &[
            "| adaptive/standard time |\n|---|---|---|---|---|---|---|---|---|\n",
            "| 50/s | full | 8 | 10 |",
            "| 50/s | used up | 8 | 10 |",
        ],
    );
}
