//! Parsing the command line, with a truthful usage line in its errors.
//!
//! In an error (a required argument missing, two that conflict) clap's usage line lists the
//! arguments that were given (`Usage: chatcaptain contacts search --limit <N> --base-url <URL>
//! <QUERY>`), on purpose, but it reads as if those were required. The error gets the command's
//! own usage line instead, the one its --help shows (`chatcaptain contacts search [OPTIONS]
//! <QUERY>`).

use std::ffi::OsString;

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue};
use clap::{CommandFactory, Parser};

use crate::cli::Cli;

/// The command line, or exit as clap does (with code 2, or 0 for --help and --version).
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    Cli::try_parse_from(&args).unwrap_or_else(|mut error| {
        if error.get(ContextKind::Usage).is_some()
            && let Some(usage) = usage_of_subcommand(&args)
        {
            error.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
        }
        error.exit()
    })
}

/// The usage line of the (sub)command `args` call, as its --help shows it.
fn usage_of_subcommand(args: &[OsString]) -> Option<StyledStr> {
    let mut root = Cli::command();
    // Parsed again, leniently, only to learn which subcommand was meant.
    let matches = root
        .clone()
        .ignore_errors(true)
        .try_get_matches_from(args)
        .ok()?;
    root.build();
    let mut command = &mut root;
    let mut matches = &matches;
    while let Some((name, sub)) = matches.subcommand() {
        command = command.find_subcommand_mut(name)?;
        matches = sub;
    }
    Some(command.render_usage())
}
