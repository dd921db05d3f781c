//! `contacts get`.

use chatcaptain::Client;

use crate::cli::{Format, IdArgs};
use crate::exit::Outcome;
use crate::output;

pub async fn run(client: &Client, args: &IdArgs, format: Format) -> anyhow::Result<Outcome> {
    let contact = client.contacts(&args.chatbot.id).get(&args.id).await?;
    output::one(format, &contact)?;
    Ok(Outcome::Done)
}
