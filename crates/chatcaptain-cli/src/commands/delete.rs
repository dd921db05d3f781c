//! `contacts delete`: asks first when a person is there to answer.

use std::io::{self, BufRead, IsTerminal, Write};

use chatcaptain::Client;
use serde_json::json;

use crate::cli::{DeleteArgs, Format};
use crate::exit::{Outcome, Usage};
use crate::output::{self, Output};
use crate::terminal::shown;

pub async fn run(client: &Client, args: &DeleteArgs, output: Output) -> anyhow::Result<Outcome> {
    let target = &args.target;
    if !args.yes && !confirmed(&target.id)? {
        return Err(anyhow::anyhow!("not confirmed; nothing was deleted"));
    }
    let deleted = client
        .contacts(&target.chatbot.id)
        .delete(&target.id)
        .await?;
    if !deleted {
        return Err(anyhow::anyhow!(
            "the server deleted nothing for contact {}",
            target.id
        ));
    }
    let mut out = output::stdout();
    match output.format {
        Format::Table => writeln!(out, "Deleted contact {}.", shown(&target.id))?,
        Format::Json | Format::Ndjson => {
            writeln!(out, "{}", json!({ "id": target.id, "deleted": true }))?
        }
        Format::Csv => writeln!(out, "id,deleted\n{},true", target.id)?,
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
