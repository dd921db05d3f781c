//! Maintainer tasks for chatcaptain-rs, run as `cargo xtask <verb>`.

mod bench;
mod codegen;
mod pagination;
mod spec;
mod spec_copy;
mod spec_diff;
mod spec_lint;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    bin_name = "cargo xtask",
    about = "Maintainer tasks for chatcaptain-rs"
)]
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
        /// The listings' glue to write (or compare against), and its blocking side in `blocking/`
        /// beside it [default: crates/chatcaptain/src/generated.rs, unless --out is given, then
        /// none].
        #[arg(long, value_name = "PATH")]
        glue: Option<PathBuf>,
        /// The fake server's routes and permissions to write (or compare against) [default:
        /// crates/chatcaptain-fake/src/generated.rs, unless --out is given, then none].
        #[arg(long, value_name = "PATH")]
        fake_route: Option<PathBuf>,
    },
    /// Benchmark codegen and spec-lint's scale, then the SDK against hand-written baselines
    /// (writes nothing).
    Bench {
        /// Measured rounds per case.
        #[arg(long, default_value_t = 10)]
        rounds: usize,
        /// Only the codegen cases (no release build of chatcaptain-bench).
        #[arg(long)]
        codegen_only: bool,
        /// Arguments passed on to chatcaptain-bench (e.g. `-- list --rounds 3`).
        #[arg(last = true)]
        bench_args: Vec<String>,
    },
    /// Check the spec against what progenitor can generate and the project's conventions.
    SpecLint {
        /// The OpenAPI spec to check [default: spec/chatcaptain.yaml].
        path: Option<PathBuf>,
        /// Print the rules (id, severity, what each finds) as a markdown table, and check nothing.
        #[arg(long)]
        rules: bool,
    },
    /// Compare two versions of the spec semantically and classify each change.
    ///
    /// Exit code: 0 when every change is compatible, 1 when something breaking changed
    /// (unless --allow-breaking), 2 when the two could not be compared.
    SpecDiff {
        /// A git revision or a spec file [default: origin/main, else main].
        base: Option<String>,
        /// A git revision or a spec file [default: the working tree's spec/chatcaptain.yaml].
        head: Option<String>,
        /// How to print the report.
        #[arg(long, value_enum, default_value = "text")]
        format: spec_diff::Format,
        /// Exit 0 even when something breaking changed.
        #[arg(long)]
        allow_breaking: bool,
        /// Print the wire rules (id, verdict, why) as a markdown table, and compare nothing.
        #[arg(long)]
        rules: bool,
        /// Read BASE (ours) against HEAD, another description of the same API (the vendor's
        /// fragment): each difference sorted into where theirs settles one of our "Assumed"
        /// notes, where they disagree, where ours is only stricter, and where theirs says
        /// nothing. Exits 0 unless the two cannot be read.
        #[arg(long)]
        compare: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::SpecDiff { rules: true, .. } = cli.command {
        print!("{}", spec_diff::rules_table());
        return ExitCode::SUCCESS;
    }
    if let Command::SpecDiff {
        base,
        head,
        format,
        allow_breaking,
        compare,
        ..
    } = cli.command
    {
        let base = base.map_or_else(spec_diff::Source::default_base, |a| {
            spec_diff::Source::from_arg(&a)
        });
        let head = head.map_or(spec_diff::Source::WorkingTree, |a| {
            spec_diff::Source::from_arg(&a)
        });
        if compare {
            return match spec_diff::compare(base, head) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("error: cannot compare: {err:#}");
                    ExitCode::from(2)
                }
            };
        }
        return match spec_diff::run(base, head, format) {
            Ok(true) if !allow_breaking => ExitCode::from(1),
            Ok(_) => ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("error: cannot compare: {err:#}");
                ExitCode::from(2)
            }
        };
    }
    let result = match cli.command {
        Command::SpecDiff { .. } => unreachable!("handled above"),
        Command::Codegen {
            check,
            spec,
            out,
            glue,
            fake_route,
        } => {
            // The embedded copy follows the committed spec only: a run on another spec or into
            // another file (tests, experiments) leaves it alone.
            let copy = spec.is_none() && out.is_none();
            let spec = spec.unwrap_or_else(spec::default_path);
            let targets = codegen::Targets::new(out, glue, fake_route);
            if check {
                codegen::check(&spec, &targets).and_then(|()| match copy {
                    true => spec_copy::check(&spec),
                    false => Ok(()),
                })
            } else {
                codegen::write(&spec, &targets).and_then(|()| match copy {
                    true => spec_copy::write(&spec),
                    false => Ok(()),
                })
            }
        }
        Command::Bench {
            rounds,
            codegen_only,
            bench_args,
        } => bench::run(rounds, codegen_only, &bench_args),
        Command::SpecLint { rules: true, .. } => {
            print!("{}", spec_lint::rules_table());
            Ok(())
        }
        Command::SpecLint { path, .. } => spec_lint::run(&path.unwrap_or_else(spec::default_path)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
