//! `contacts create`: prints the contact as stored, with its new id.

use chatcaptain::Client;

use crate::cli::CreateArgs;
use crate::exit::Outcome;
use crate::output::Output;
use crate::{fields, output};

pub async fn run(client: &Client, args: &CreateArgs, output: Output) -> anyhow::Result<Outcome> {
    let contact = fields::new_contact(&args.fields)?;
    let created = client.contacts(args.chatbot.id()).create(contact).await?;
    output::one(output, &created)?;
    Ok(Outcome::Done)
}
