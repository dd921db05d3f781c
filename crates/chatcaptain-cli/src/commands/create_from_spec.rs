//! `organizations create`: the body from flags the spec defines, the record printed as stored.

use chatcaptain::Client;

use crate::cli::NewArgs;
use crate::exit::Outcome;
use crate::output::{self, Output};
use crate::resource::Creatable;

pub async fn run<R: Creatable>(
    client: &Client,
    args: &NewArgs<R>,
    output: Output,
) -> anyhow::Result<Outcome> {
    let body = args.body.body()?;
    let created = R::create(client, args.chatbot.id(), body).await?;
    output::one(output, &created)?;
    Ok(Outcome::Done)
}
