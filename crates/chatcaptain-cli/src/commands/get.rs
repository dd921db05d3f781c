//! `contacts get`.

use chatcaptain::Client;

use crate::cli::IdArgs;
use crate::exit::Outcome;
use crate::output;
use crate::output::Output;

pub async fn run(client: &Client, args: &IdArgs, output: Output) -> anyhow::Result<Outcome> {
    let contact = client.contacts(args.chatbot.id()).get(&args.id).await?;
    output::one(output, &contact)?;
    Ok(Outcome::Done)
}
