//! `contacts delete`: asks first when a person is there to answer.

use std::io::{self, BufRead, IsTerminal, Write};

use chatcaptain::Client;
use serde_json::json;

use crate::cli::DeleteArgs;
use crate::exit::{Outcome, Usage};
use crate::output::Format;
use crate::output::{self, Output};
use crate::terminal::shown;

pub async fn run(client: &Client, args: &DeleteArgs, output: Output) -> anyhow::Result<Outcome> {
    let target = &args.target;
    if !args.yes && !confirmed(&target.id)? {
        return Err(anyhow::anyhow!("not confirmed; nothing was deleted"));
    }
    let deleted = client
        .contacts(target.chatbot.id())
        .delete(&target.id)
        .await?;
    // `deleted: false` is still a success: the contact is gone, as asked (a retried delete whose
    // first attempt went through finds nothing left to delete).
    let mut out = output::stdout();
    match output.format {
        Format::Table if deleted => writeln!(out, "Deleted contact {}.", shown(&target.id))?,
        Format::Table => writeln!(
            out,
            "Contact {} is gone; the server had nothing to delete.",
            shown(&target.id)
        )?,
        Format::Json | Format::Ndjson => {
            writeln!(out, "{}", json!({ "id": target.id, "deleted": deleted }))?
        }
        Format::Csv => writeln!(out, "id,deleted\n{},{deleted}", target.id)?,
    }
    out.flush()?;
    Ok(Outcome::Done)
}

/// Asks on the terminal; without one, a script must say `--yes` rather than be guessed for.
fn confirmed(id: &str) -> anyhow::Result<bool> {
    if !io::stdin().is_terminal() {
        return Err(Usage(format!(
            "refusing to delete contact {id} without confirmation: stdin is not a terminal; pass --yes"
        ))
        .into());
    }
    eprint!("Delete contact {}? [y/N] ", shown(id));
    io::stderr().flush()?;
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}
