//! Case 4: peak RSS of a process that streams contacts, counting them. The fake server lives in
//! this process and the streaming happens in a child, so the server's memory is not counted.

use chatcaptain_fake::FakeServer;

use crate::host::{API_KEY, Hosted};

pub struct MemoryRow {
    pub contacts: u64,
    pub peak_rss_kib: u64,
}

/// Streams `small` and `large` contacts in two child processes and reports each one's peak RSS.
pub fn flatness(small: u64, large: u64) -> anyhow::Result<Vec<MemoryRow>> {
    [("small", small), ("large", large)]
        .into_iter()
        .map(|(chatbot, contacts)| {
            // A fake per chatbot: the fake's key, as the API's, belongs to one chatbot.
            let host = Hosted::start(FakeServer::builder().seed_contacts(chatbot, contacts));
            let output = std::process::Command::new(std::env::current_exe()?)
                .args([
                    "stream-count",
                    "--base-url",
                    &host.base_url,
                    "--chatbot",
                    chatbot,
                ])
                .output()?;
            anyhow::ensure!(
                output.status.success(),
                "stream-count failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let stdout = String::from_utf8(output.stdout)?;
            let mut fields = stdout.split_whitespace();
            let counted: u64 = fields.next().unwrap_or_default().parse()?;
            let peak_rss_kib: u64 = fields.next().unwrap_or_default().parse()?;
            anyhow::ensure!(counted == contacts, "streamed {counted} of {contacts}");
            Ok(MemoryRow {
                contacts,
                peak_rss_kib,
            })
        })
        .collect()
}

/// The child's side: stream every contact of `chatbot`, print `<count> <peak RSS in KiB>`.
pub async fn stream_count(base_url: &str, chatbot: &str) -> anyhow::Result<()> {
    let client = chatcaptain::Client::builder()
        .api_key(API_KEY)
        .base_url(base_url)
        .build()?;
    let count = crate::cases::count(client.contacts(chatbot).list().page_size(250).items()).await?;
    println!("{count} {}", peak_rss_kib()?);
    Ok(())
}

/// VmHWM: the high-water mark of the resident set, as the kernel counts it.
fn peak_rss_kib() -> anyhow::Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .ok_or_else(|| anyhow::anyhow!("no VmHWM in /proc/self/status"))?;
    Ok(line
        .split_whitespace()
        .nth(1)
        .ok_or_else(|| anyhow::anyhow!("malformed VmHWM line"))?
        .parse()?)
}
