//! `contacts organizations`: the organizations one contact belongs to.

use chatcaptain::{Client, Organization};

use crate::cli::IdArgs;
use crate::exit::Outcome;
use crate::output;
use crate::output::Output;

pub async fn run(client: &Client, args: &IdArgs, output: Output) -> anyhow::Result<Outcome> {
    let organizations = client
        .contacts(args.chatbot.id())
        .organizations(&args.id)
        .await?;
    let mut sink = output::listing::<Organization>(output, output::stdout());
    for organization in &organizations {
        sink.write(organization)?;
    }
    sink.finish()?;
    Ok(Outcome::Done)
}
