//! The command-line tool's `contacts import`, run as a user runs it (the release binary, in a
//! child process) against the fake hosted here: under a rate limit (beside the export's case),
//! and its peak memory for a small and a large input.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chatcaptain_fake::{FakeServer, Fault, Route};

use crate::cases::CHATBOT;
use crate::host::{API_KEY, Hosted};
use crate::rate_limit::RateRow;

/// The release binary of `chatcaptain-cli` beside this one (`cargo build --release -p
/// chatcaptain-cli` builds it).
pub fn cli() -> anyhow::Result<PathBuf> {
    let path = std::env::current_exe()?.with_file_name("chatcaptain");
    anyhow::ensure!(
        path.exists(),
        "{} is missing: cargo build --release -p chatcaptain-cli",
        path.display()
    );
    Ok(path)
}

/// `n` records of about `size` bytes each (a long avatar URL pads them), as ndjson.
pub fn write_records(path: &Path, n: u64, size: usize) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    let pad = "x".repeat(size.saturating_sub(120));
    for i in 0..n {
        writeln!(
            out,
            r#"{{"language":"EN","name":"Import {i}","email":"import{i}@example.com","avatar":"https://example.com/{pad}/{i}.png"}}"#
        )?;
    }
    out.flush()?;
    Ok(())
}

/// Runs the tool's import of `file` against `base_url`; returns its peak RSS in KiB.
fn run_import(file: &Path, base_url: &str, extra: &[&str]) -> anyhow::Result<(u64, Duration)> {
    let started = Instant::now();
    // Through `chatcaptain-bench peak-rss`, a process whose only child is the import (see
    // `peak_rss_of`).
    let output = Command::new(std::env::current_exe()?)
        .args(["peak-rss", "--"])
        .arg(cli()?)
        .env("CHATCAPTAIN_API_KEY", API_KEY)
        .args(["--base-url", base_url, "contacts", "import"])
        .arg(file)
        .args([
            "--chatbot",
            CHATBOT,
            "--no-journal",
            "--rejects",
            "/dev/null",
        ])
        .args(extra)
        .stderr(std::process::Stdio::inherit())
        .output()?;
    let elapsed = started.elapsed();
    anyhow::ensure!(
        output.status.success(),
        "peak-rss failed: {}",
        output.status
    );
    let text = String::from_utf8(output.stdout)?;
    let mut fields = text.split_whitespace();
    let status: i32 = fields.next().unwrap_or_default().parse()?;
    let peak: u64 = fields.next().unwrap_or_default().parse()?;
    anyhow::ensure!(status == 0, "the import exited with {status}");
    Ok((peak, elapsed))
}

/// The `peak-rss` side: runs `command` (its output discarded), waits, and prints `<exit code>
/// <peak RSS in KiB>`. The kernel's account of a process's waited-for children
/// (`getrusage(RUSAGE_CHILDREN)`) holds the largest child's peak, so in a process whose only
/// child this is, it is this child's (Linux counts it in KiB); no `wait4`, no unsafe code.
pub fn peak_rss_of(command: &[String]) -> anyhow::Result<()> {
    use nix::sys::resource::{UsageWho, getrusage};
    let (program, args) = command
        .split_first()
        .ok_or_else(|| anyhow::anyhow!("peak-rss: no command"))?;
    let status = Command::new(program)
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()?;
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN)?;
    println!("{} {}", status.code().unwrap_or(-1), usage.max_rss());
    Ok(())
}

/// An import of `contacts` records at `per_second`, 20 ms of latency a create, `--parallel 8`.
pub fn rate_limited(contacts: u64, per_second: f64, adaptive: bool) -> anyhow::Result<RateRow> {
    let dir = std::env::temp_dir().join(format!("chatcaptain-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("records.ndjson");
    write_records(&file, contacts, 200)?;
    let host = Hosted::start(
        FakeServer::builder()
            .chatbot(CHATBOT)
            .rate_limit(per_second)
            .fault(Fault::latency(Duration::from_millis(20)).on(Route::CreateContact)),
    );
    let mode = if adaptive { "adaptive" } else { "standard" };
    let (_, elapsed) = run_import(
        &file,
        &host.base_url,
        &["--parallel", "8", "--retry-mode", mode],
    )?;
    let server = host.server();
    let created = server.contact_count(CHATBOT);
    anyhow::ensure!(
        created as u64 == contacts,
        "{created} of {contacts} created"
    );
    let _ = std::fs::remove_dir_all(&dir);
    let variant = if adaptive {
        "import, --retry-mode adaptive"
    } else {
        "import, --retry-mode standard"
    };
    let row = RateRow::counted(
        variant,
        per_second,
        created,
        elapsed,
        server,
        Route::CreateContact,
    );
    Ok(row)
}

pub struct ImportMemoryRow {
    pub bytes: u64,
    pub records: u64,
    pub peak_rss_kib: u64,
    pub elapsed: Duration,
    /// From the start of the process to the first create the server saw.
    pub first_request: Option<Duration>,
}

/// Imports a file of `mib` MiB (records of ~1 KiB, generated into `dir` unless there) and
/// reports the tool's peak RSS.
pub fn memory(dir: &Path, mib: u64) -> anyhow::Result<ImportMemoryRow> {
    const SIZE: usize = 1024;
    let records = mib * 1024 * 1024 / SIZE as u64;
    let file = dir.join(format!("import-{mib}MiB.ndjson"));
    if !file.exists() {
        write_records(&file, records, SIZE)?;
    }
    let host = Hosted::start(FakeServer::builder().chatbot(CHATBOT));
    let server = host.server();
    let started = Instant::now();
    let (run, first_request) = std::thread::scope(|scope| {
        let first = scope.spawn(|| {
            while server.request_count(Route::CreateContact) == 0 {
                if started.elapsed() > Duration::from_secs(600) {
                    return None;
                }
                std::thread::sleep(Duration::from_millis(1));
            }
            Some(started.elapsed())
        });
        let run = run_import(&file, &host.base_url, &["--parallel", "8"]);
        (run, first.join().ok().flatten())
    });
    let (peak_rss_kib, elapsed) = run?;
    let created = host.server().contact_count(CHATBOT) as u64;
    anyhow::ensure!(created == records, "{created} of {records} created");
    Ok(ImportMemoryRow {
        bytes: std::fs::metadata(&file)?.len(),
        records,
        peak_rss_kib,
        elapsed,
        first_request,
    })
}
