//! Maintainer tasks for chatcaptain-rs, run as `cargo xtask <verb>`.

mod codegen;
mod spec;
mod spec_lint;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Maintainer tasks for chatcaptain-rs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate crates/chatcaptain-api from spec/chatcaptain.yaml with progenitor.
    Codegen {
        /// Do not write; fail with a diff when the committed code is stale.
        #[arg(long)]
        check: bool,
        /// The OpenAPI spec to read.
        #[arg(long, value_name = "PATH")]
        spec: Option<PathBuf>,
        /// The Rust file to write (or compare against, with --check).
        #[arg(long, value_name = "PATH")]
        out: Option<PathBuf>,
    },
    /// Check the spec against what progenitor can generate and the project's conventions.
    SpecLint {
        /// The OpenAPI spec to check [default: spec/chatcaptain.yaml].
        path: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Codegen { check, spec, out } => {
            let spec = spec.unwrap_or_else(spec::default_path);
            let out = out.unwrap_or_else(codegen::default_out_path);
            if check {
                codegen::check(&spec, &out)
            } else {
                codegen::write(&spec, &out)
            }
        }
        Command::SpecLint { path } => spec_lint::run(&path.unwrap_or_else(spec::default_path)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
