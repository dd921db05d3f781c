//! `cargo xtask bench`: codegen timed phase by phase in-process and end to end, then the
//! runtime benchmarks of `crates/chatcaptain-bench` (release build) side by side with their
//! baselines. Prints markdown tables for BENCHMARKS.md.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};

use crate::codegen;
use crate::spec::{self, Spec};
use crate::spec_lint;

pub fn run(rounds: usize, codegen_only: bool, bench_args: &[String]) -> Result<()> {
    codegen_phases(rounds)?;
    codegen_end_to_end(rounds.min(10))?;
    lint_scale()?;
    if codegen_only {
        return Ok(());
    }
    println!("\nruntime benchmarks (cargo run --release -p chatcaptain-bench):\n");
    let status = Command::new(env!("CARGO"))
        .current_dir(spec::workspace_root())
        .args([
            "run",
            "--quiet",
            "--release",
            "-p",
            "chatcaptain-bench",
            "--",
        ])
        .args(bench_args)
        .status()
        .context("cannot run cargo")?;
    ensure!(status.success(), "chatcaptain-bench failed");
    Ok(())
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(rounds: usize, mut f: impl FnMut() -> Result<T>) -> Result<Duration> {
    f()?; // warm-up: file cache, allocator
    let mut samples = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        let started = Instant::now();
        f()?;
        samples.push(started.elapsed());
    }
    Ok(median(samples))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn codegen_phases(rounds: usize) -> Result<()> {
    let path = spec::default_path();
    let spec = Spec::load(&path)?;
    let syntax = codegen::generate_syntax(&spec)?;

    let load = time(rounds, || Spec::load(&path))?;
    let lint = time(rounds, || Ok(spec_lint::problems(&spec)))?;
    let generate = time(rounds, || codegen::generate_syntax(&spec))?;
    let format = time(rounds, || Ok(prettyplease::unparse(&syntax)))?;
    let whole = time(rounds, || codegen::generate_file(&path))?;

    println!("codegen phases, in-process, median of {rounds} (xtask dev profile):\n");
    println!("| phase | median | share of the whole |");
    println!("|---|---|---|");
    for (phase, d) in [
        ("read + parse the spec (serde_norway -> openapiv3)", load),
        ("spec-lint (incl. example validation)", lint),
        ("progenitor: tokens -> syn::File", generate),
        ("prettyplease: format", format),
        ("whole generation (all of the above)", whole),
    ] {
        println!(
            "| {phase} | {} | {:.0}% |",
            ms(d),
            100.0 * d.as_secs_f64() / whole.as_secs_f64()
        );
    }
    Ok(())
}

/// What a maintainer waits for: `cargo xtask codegen` after a build, cargo's own start-up
/// and freshness check included. Writes to a temporary file so the tree stays untouched.
fn codegen_end_to_end(rounds: usize) -> Result<()> {
    let dir = tempfile::tempdir()?;
    let out = dir.path().join("generated.rs");
    let out = out.to_str().context("temporary path is not UTF-8")?;
    let run = || -> Result<()> {
        let output = Command::new(env!("CARGO"))
            .current_dir(spec::workspace_root())
            .args(["xtask", "codegen", "--out", out])
            .output()
            .context("cannot run cargo")?;
        ensure!(
            output.status.success(),
            "cargo xtask codegen failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        Ok(())
    };
    let whole = time(rounds, run)?;
    println!(
        "\n`cargo xtask codegen` end to end (cargo start-up included), median of {rounds}: **{}** (target < 1 s)\n",
        ms(whole)
    );
    Ok(())
}

/// spec-lint on synthetic specs of 150, 300 and 600 operations: the lint must stay linear in the
/// size of the spec (each example used to build a validator embedding every component).
fn lint_scale() -> Result<()> {
    println!("spec-lint on synthetic specs (`synthetic_spec`), median of 3:\n");
    println!("| operations | components | examples | lint, in-process | `xtask spec-lint FILE` |");
    println!("|---|---|---|---|---|");
    let dir = tempfile::tempdir()?;
    let exe = std::env::current_exe().context("cannot find the xtask binary")?;
    for operations in [150, 300, 600] {
        let text = synthetic_spec(operations);
        let file = dir.path().join(format!("synthetic-{operations}.yaml"));
        std::fs::write(&file, &text)?;
        let spec = Spec::from_text(&file, text)?;
        let found = spec_lint::problems(&spec);
        ensure!(
            found.is_empty(),
            "the synthetic spec does not lint clean: {}",
            found[0]
        );
        let d = time(3, || Ok(spec_lint::problems(&spec)))?;
        let whole = time(3, || {
            let output = Command::new(&exe).arg("spec-lint").arg(&file).output()?;
            ensure!(
                output.status.success(),
                "spec-lint failed on {}",
                file.display()
            );
            Ok(())
        })?;
        println!(
            "| {operations} | {} | {} | {} | {} |",
            operations + 1,
            operations * 5,
            ms(d),
            ms(whole)
        );
    }
    println!();
    Ok(())
}

/// A spec that lints clean with `operations` operations, each with its own response schema
/// (which refers to one shared schema), and five examples per operation.
pub fn synthetic_spec(operations: usize) -> String {
    let mut paths = String::new();
    let mut schemas = String::new();
    for i in 0..operations {
        paths.push_str(&format!(
            r#"  /v1/things{i}/{{id}}:
    get:
      operationId: getThing{i}
      summary: Get thing {i}
      tags: [things]
      parameters:
        - name: id
          in: path
          required: true
          description: The id.
          schema: {{type: string}}
          example: abc
        - name: limit
          in: query
          description: How many.
          schema: {{type: integer, minimum: 1, maximum: 100}}
          example: 10
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing{i}'}}
              example: {{id: abc, size: 3, place: {{city: Bern}}}}
"#
        ));
        schemas.push_str(&format!(
            r#"    Thing{i}:
      type: object
      description: Thing {i}.
      required: [id]
      properties:
        id: {{type: string, description: The id., example: abc}}
        size: {{type: integer, minimum: 0, description: How big., example: 3}}
        place: {{$ref: '#/components/schemas/Place'}}
"#
        ));
    }
    format!(
        r#"openapi: 3.0.3
info: {{title: synthetic, version: 1.0.0}}
paths:
{paths}components:
  schemas:
    Place:
      type: object
      description: Where.
      properties:
        city: {{type: string, description: The city., example: Bern}}
{schemas}"#
    )
}
