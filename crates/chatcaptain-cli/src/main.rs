//! `chatcaptain`: look at and move the contacts of a ChatCaptain chatbot from a shell.
//!
//! This file parses the command line and dispatches; each subcommand lives in `commands/`.

mod cli;
mod commands;
mod config;
mod environment;
mod exit;
mod fields;
mod key_file;
mod lock;
mod output;
mod profile;
mod progress;
mod resource;
mod settings;
mod spec_flags;
mod terminal;
mod usage;

use std::process::ExitCode;

use crate::cli::{Cli, Command, ContactsCommand, OrganizationsCommand};
use crate::commands::{
    api, configure, create, create_from_spec, delete, doctor, get, import, list, organizations,
    search, update,
};
use crate::exit::Outcome;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = usage::parse();
    match run(cli).await {
        Ok(outcome) => outcome.into(),
        Err(error) => exit::report(&error),
    }
}

async fn run(mut cli: Cli) -> anyhow::Result<Outcome> {
    // Needs no key and no network: handled before the client is built.
    if let Command::Completions { shell } = &cli.command {
        let mut command = <Cli as clap::CommandFactory>::command();
        clap_complete::generate(*shell, &mut command, "chatcaptain", &mut std::io::stdout());
        return Ok(Outcome::Done);
    }
    let format = output::resolve(cli.output, !cli.no_csv_guard);
    // Needs no key, and works on the config file, whatever its profiles say.
    if let Command::Configure(args) = &cli.command {
        let request = configure::Request {
            profile: cli.profile.as_deref(),
            base_url: cli.base_url.as_deref(),
            api_key_file: cli.api_key_file.as_deref(),
        };
        return configure::run(args, request, format);
    }
    let profile = profile::select(cli.profile.as_deref())?;
    if let Some(chatbot) = cli.command.chatbot_mut() {
        settings::chatbot(chatbot, profile.as_ref())?;
    }
    let pacing = settings::Pacing {
        max_rate: cli.max_rate,
        retry_mode: cli.retry_mode,
    };
    let client = settings::client(
        cli.api_key_file.as_deref(),
        cli.base_url.as_deref(),
        pacing,
        cli.ca_file.as_deref(),
        profile.as_ref(),
    )?;
    let command = match &cli.command {
        Command::Contacts(command) => command,
        Command::Organizations(command) => {
            return match command {
                OrganizationsCommand::List(args) => list::run(&client, args, format).await,
                OrganizationsCommand::Search(args) => search::run(&client, args, format).await,
                OrganizationsCommand::Create(args) => {
                    create_from_spec::run(&client, args, format).await
                }
            };
        }
        Command::Doctor(args) => return doctor::run(&client, args).await,
        Command::Api(args) => return api::run(&client, args).await,
        Command::Configure(_) | Command::Completions { .. } => {
            unreachable!("handled before the client is built")
        }
    };
    match command {
        ContactsCommand::List(args) => list::run(&client, args, format).await,
        ContactsCommand::Search(args) => search::run(&client, args, format).await,
        ContactsCommand::Get(args) => get::run(&client, args, format).await,
        ContactsCommand::Create(args) => create::run(&client, args, format).await,
        ContactsCommand::Update(args) => update::run(&client, args, format).await,
        ContactsCommand::Delete(args) => delete::run(&client, args, format).await,
        ContactsCommand::Import(args) => import::run(&client, args).await,
        ContactsCommand::Organizations(args) => organizations::run(&client, args, format).await,
    }
}
