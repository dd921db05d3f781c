//! `contacts update`: prints the contact as stored after the change.

use chatcaptain::Client;

use crate::cli::UpdateArgs;
use crate::exit::Outcome;
use crate::output::Output;
use crate::{fields, output};

pub async fn run(client: &Client, args: &UpdateArgs, output: Output) -> anyhow::Result<Outcome> {
    let update = fields::update(&args.fields, &args.vars, &args.organization_ids)?;
    let target = &args.target;
    let updated = client
        .contacts(target.chatbot.id())
        .update(&target.id, update)
        .await?;
    output::one(output, &updated)?;
    Ok(Outcome::Done)
}
