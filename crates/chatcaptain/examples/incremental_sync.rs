//! Incremental sync: each run delivers the contacts created since the last one, none twice and
//! none missed, and saves a checkpoint for the next.
//!
//! `cargo run -p chatcaptain --example incremental_sync`
//!
//! Against the in-memory fake (200 contacts), it runs twice in one go: the first run delivers
//! everything, three contacts are created, the second run delivers those three. Against a real
//! server (`CHATCAPTAIN_BASE_URL`, `CHATCAPTAIN_API_KEY`, `CHATCAPTAIN_CHATBOT`) it runs once per
//! invocation, keeping its checkpoint in the file named by the first argument
//! (default `chatcaptain-checkpoint.json`). Contacts go to stdout as JSON lines.

mod support;

use std::error::Error;
use std::io::Write;
use std::path::{Path, PathBuf};

use chatcaptain::{Checkpoint, Contacts, NewContact};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let target = support::target(|fake| fake.seed_contacts(support::FAKE_CHATBOT, 200)).await?;
    let contacts = target.client.contacts(&target.chatbot);
    let path = match (std::env::args().nth(1), &target.fake) {
        (Some(path), _) => PathBuf::from(path),
        // A fresh fake, a fresh checkpoint: the one of an earlier run would cover its contacts.
        (None, Some(_)) => std::env::temp_dir().join(format!(
            "chatcaptain-example-checkpoint-{}.json",
            std::process::id()
        )),
        (None, None) => PathBuf::from("chatcaptain-checkpoint.json"),
    };

    let delivered = sync(&contacts, &path).await?;
    eprintln!(
        "run 1: {delivered} new contacts; checkpoint in {}",
        path.display()
    );

    if target.fake.is_some() {
        for name in ["Ada", "Grace", "Edsger"] {
            contacts.create(NewContact::new("EN").name(name)).await?;
        }
        let delivered = sync(&contacts, &path).await?;
        eprintln!("run 2: {delivered} new contacts");
        std::fs::remove_file(&path)?;
    }
    Ok(())
}

/// One run: the contacts created since the checkpoint saved in `path` (all of them when there
/// is none), then the new checkpoint in its place. A run that fails part way saves its progress
/// (`SyncContacts::progress`): the next one goes on from there, and nothing this run wrote comes
/// again. A contact that does not match the spec is reported and the run goes on.
async fn sync(contacts: &Contacts, path: &Path) -> Result<usize, Box<dyn Error>> {
    let since = match std::fs::read(path) {
        Ok(saved) => serde_json::from_slice(&saved)?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Checkpoint::start(),
        Err(e) => return Err(e.into()),
    };
    let mut run = contacts.list().since(since).sync();
    let mut out = std::io::stdout().lock();
    let mut delivered = 0;
    let ended = loop {
        match run.try_next().await {
            // Store the contact: here, one JSON line on stdout.
            Ok(Some(contact)) => {
                serde_json::to_writer(&mut out, &contact)?;
                writeln!(out)?;
                delivered += 1;
            }
            Ok(None) => break Ok(()),
            Err(chatcaptain::Error::InvalidItem { id, path, .. }) => {
                eprintln!("contact {id:?} does not match the spec at `{path}`");
            }
            Err(e) => break Err(e),
        }
    };
    // What was written is stored before the checkpoint that covers it is saved.
    out.flush()?;
    // Through or not, the progress covers exactly what was written.
    let checkpoint = run.progress();
    // Write the new checkpoint beside the old, then swap: a crash leaves one or the other.
    let temporary = path.with_extension("tmp");
    std::fs::write(&temporary, serde_json::to_vec(&checkpoint)?)?;
    std::fs::rename(&temporary, path)?;
    ended?;
    Ok(delivered)
}
