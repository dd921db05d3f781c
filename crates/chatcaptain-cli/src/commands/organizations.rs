//! `contacts organizations`: the organizations one contact belongs to.

use chatcaptain::{Client, Organization};

use crate::cli::{Format, IdArgs};
use crate::exit::Outcome;
use crate::output;

pub async fn run(client: &Client, args: &IdArgs, format: Format) -> anyhow::Result<Outcome> {
    let organizations = client
        .contacts(&args.chatbot.id)
        .organizations(&args.id)
        .await?;
    let mut sink = output::listing::<Organization>(format, output::stdout());
    for organization in &organizations {
        sink.write(organization)?;
    }
    sink.finish()?;
    Ok(Outcome::Done)
}
