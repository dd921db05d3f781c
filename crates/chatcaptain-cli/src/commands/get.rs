//! `contacts get`.

use chatcaptain::Client;

use crate::cli::GetArgs;
use crate::exit::Outcome;
use crate::output;
use crate::output::Output;

pub async fn run(client: &Client, args: &GetArgs, output: Output) -> anyhow::Result<Outcome> {
    let output = output.with_fields(&args.columns.fields)?;
    let target = &args.target;
    let contact = client.contacts(target.chatbot.id()).get(&target.id).await?;
    output::one(output, &contact)?;
    Ok(Outcome::Done)
}
