//! `cargo xtask codegen`: spec -> progenitor -> prettyplease -> crates/chatcaptain-api, the spec's
//! `x-pagination` -> the listings' glue in crates/chatcaptain (see `glue`), and its operations ->
//! the fake server's routes and permissions (see `fake_route`).

mod catch_all;
mod client_builder;
mod cycles;
mod docs;
mod extract;
mod fake_route;
mod fields;
mod glue;
mod listing_methods;
mod names;
mod non_exhaustive;
mod operations;
mod resources;
mod shapes;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};

use crate::spec::{self, Spec};
use crate::spec_lint::{self, Severity};

/// The versions that shape the output; a test keeps them equal to Cargo.lock.
pub const PROGENITOR_VERSION: &str = "0.15.1";
pub const TYPIFY_VERSION: &str = "0.8.0";
pub const PRETTYPLEASE_VERSION: &str = "0.3.0";

fn default_out_path() -> PathBuf {
    spec::workspace_root().join("crates/chatcaptain-api/src/generated.rs")
}

fn default_glue_path() -> PathBuf {
    spec::workspace_root().join("crates/chatcaptain/src/generated.rs")
}

fn default_fake_route_path() -> PathBuf {
    spec::workspace_root().join("crates/chatcaptain-fake/src/generated.rs")
}

/// The files a run writes or checks: the generated client and, when given, the listings' glue
/// and the fake's routes.
pub struct Targets {
    pub out: PathBuf,
    pub glue: Option<PathBuf>,
    pub fake_route: Option<PathBuf>,
}

impl Targets {
    /// The committed files, for what is not given; a client written elsewhere (a trial) does
    /// not replace the committed glue and routes.
    pub fn new(out: Option<PathBuf>, glue: Option<PathBuf>, fake_route: Option<PathBuf>) -> Self {
        let committed = out.is_none();
        Targets {
            glue: glue.or_else(|| committed.then(default_glue_path)),
            fake_route: fake_route.or_else(|| committed.then(default_fake_route_path)),
            out: out.unwrap_or_else(default_out_path),
        }
    }

    /// Each file, with what the spec generates for it: the blocking glue goes beside the glue,
    /// into `blocking/` (`src/generated.rs` -> `src/blocking/generated.rs`).
    fn files(&self, spec_path: &Path) -> Result<Vec<(PathBuf, String)>> {
        let (code, glue_code, blocking_code) = generate_files(spec_path)?;
        let mut files = vec![(self.out.clone(), code)];
        if let Some(glue) = &self.glue {
            files.push((glue.clone(), glue_code));
            files.push((blocking_glue_path(glue), blocking_code));
        }
        if let Some(path) = &self.fake_route {
            files.push((path.clone(), generate_fake_route(spec_path)?));
        }
        Ok(files)
    }
}

/// Writes every target; a file is only written when all generated.
pub fn write(spec_path: &Path, targets: &Targets) -> Result<()> {
    let started = Instant::now();
    let files = targets.files(spec_path)?;
    for (path, code) in files {
        let unchanged = std::fs::read_to_string(&path).is_ok_and(|old| old == code);
        if !unchanged {
            write_atomically(&path, &code)?;
        }
        println!(
            "{} {} ({} lines) from {} in {:.0?}",
            if unchanged { "unchanged" } else { "wrote" },
            display_relative(&path),
            code.lines().count(),
            display_relative(spec_path),
            started.elapsed()
        );
    }
    Ok(())
}

/// Fails with a diff when a target differs from what the spec generates.
pub fn check(spec_path: &Path, targets: &Targets) -> Result<()> {
    let mut stale = Vec::new();
    for (path, code) in targets.files(spec_path)? {
        if let Err(e) = check_one(&path, &code) {
            stale.push(format!("{e:#}"));
        }
    }
    if stale.is_empty() {
        return Ok(());
    }
    bail!("{}", stale.join("\n"))
}

/// Where the blocking glue goes for the glue at `glue`.
pub fn blocking_glue_path(glue: &Path) -> PathBuf {
    let name = glue.file_name().unwrap_or_else(|| "generated.rs".as_ref());
    glue.with_file_name("blocking").join(name)
}

/// The fake server's `Route` and `Permission`, header included.
pub fn generate_fake_route(spec_path: &Path) -> Result<String> {
    let spec = Spec::load(spec_path)?;
    let code = fake_route::generate(&spec.json())
        .with_context(|| format!("{}: cannot generate the fake's routes", spec.path.display()))?;
    Ok(format!(
        "{}{}",
        header(&spec, " (its operations and `x-permission`)"),
        prettyplease::unparse(&code)
    ))
}

fn check_one(out: &Path, code: &str) -> Result<()> {
    let committed =
        std::fs::read_to_string(out).with_context(|| format!("cannot read {}", out.display()))?;
    if committed == code {
        println!("{} is up to date", display_relative(out));
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(committed.as_str(), code);
    print!(
        "{}",
        diff.unified_diff()
            .context_radius(3)
            .header("committed", "generated from spec")
    );
    bail!(
        "{} is stale: run `cargo xtask codegen` and commit the result",
        display_relative(out)
    )
}

/// The whole generated client file, header included. Pure: touches no file but the spec.
pub fn generate_file(spec_path: &Path) -> Result<String> {
    Ok(generate_files(spec_path)?.0)
}

/// The generated client, the listings' glue and their blocking glue, headers included.
pub fn generate_files(spec_path: &Path) -> Result<(String, String, String)> {
    let spec = Spec::load(spec_path)?;
    let (errors, warnings): (Vec<_>, Vec<_>) = spec_lint::problems(&spec)
        .into_iter()
        .partition(|p| p.severity == Severity::Error);
    for warning in &warnings {
        eprintln!("warning: {warning}");
    }
    if !warnings.is_empty() {
        eprintln!("(generating anyway; `cargo xtask spec-lint` fails on these)");
    }
    if !errors.is_empty() {
        let list: Vec<String> = errors.iter().map(|p| format!("  {p}")).collect();
        bail!(
            "{}: progenitor cannot generate this spec:\n{}",
            spec.path.display(),
            list.join("\n")
        );
    }
    let mut api = generate_api(&spec)?;
    let (glue, blocking) = glue::generate(&spec.json(), &api).with_context(|| {
        format!(
            "{}: cannot generate the listings' glue",
            spec.path.display()
        )
    })?;
    api.items.extend(fields::generate(&spec.openapi).items);
    api.items.extend(operations::generate(&spec.json())?.items);
    Ok((
        format!("{}{}", header(&spec, ""), prettyplease::unparse(&api)),
        format!(
            "{}{}",
            header(&spec, " (its `x-pagination` and `x-rust-setters`)"),
            prettyplease::unparse(&glue)
        ),
        format!(
            "{}{}",
            header(&spec, " (the blocking side of its listings and handles)"),
            prettyplease::unparse(&blocking)
        ),
    ))
}

fn header(spec: &Spec, what: &str) -> String {
    format!(
        "// @generated by `cargo xtask codegen` from spec/chatcaptain.yaml{what}. DO NOT EDIT.\n\
         // Edit the spec and re-run the generator instead.\n\
         // spec sha256: {}\n\
         // progenitor {PROGENITOR_VERSION}, typify {TYPIFY_VERSION}, prettyplease {PRETTYPLEASE_VERSION}\n\n",
        spec.sha256()
    )
}

/// The generated client as committed, before formatting: progenitor's output with its reqwest
/// client routed through the TLS module, a catch-all variant in every string enum an answer can
/// hold, every type `#[non_exhaustive]`, and a doc line on every public item (`docs`). spec-diff judges this, the Rust API users compile
/// against.
pub fn generate_api(spec: &Spec) -> Result<syn::File> {
    let api = client_builder::route_through_tls(generate_syntax(spec)?)?;
    let (api, _) = catch_all::add(api)?;
    non_exhaustive::mark(api).map(docs::add)
}

/// progenitor's output as a syntax tree, before formatting.
pub fn generate_syntax(spec: &Spec) -> Result<syn::File> {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_derive("PartialEq")
        // Hand-written in crates/chatcaptain-api/src/hooks.rs: headers (the key), per-request
        // timeout, and the response shaping that progenitor's fixed pipeline has no place for.
        .with_inner_type(quote::quote!(crate::hooks::Hooks));
    let mut generator = Generator::new(&settings);

    let file = spec.path.display();
    if let Some(name) = cycles::schema_containing_itself(&spec.json()) {
        bail!(
            "{file}: progenitor rejected the spec: schema `{name}` contains itself through \
             allOf/anyOf/oneOf with no property between (typify would recurse without end)"
        );
    }

    // progenitor panics on some inputs the lint does not know yet; report those as errors too.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        generator.generate_tokens(&spec.openapi)
    }));
    std::panic::set_hook(previous_hook);

    let tokens = match outcome {
        Ok(Ok(tokens)) => tokens,
        Ok(Err(err)) => bail!("{file}: progenitor rejected the spec: {err}"),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            bail!("{file}: progenitor failed on the spec (internal panic: {message})")
        }
    };
    syn::parse2(tokens).map_err(|e| anyhow!("progenitor produced code that does not parse: {e}"))
}

/// Temp file in the same directory, then rename: a failure never leaves half a file.
fn write_atomically(out: &Path, contents: &str) -> Result<()> {
    let dir = out
        .parent()
        .ok_or_else(|| anyhow!("{} has no parent directory", out.display()))?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, contents.as_bytes())
        .with_context(|| format!("cannot write {}", tmp.path().display()))?;
    tmp.persist(out)
        .with_context(|| format!("cannot replace {}", out.display()))?;
    Ok(())
}

fn display_relative(path: &Path) -> String {
    let root = spec::workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header must name the versions actually compiled in, not stale constants.
    #[test]
    fn header_versions_match_cargo_lock() {
        let lock = std::fs::read_to_string(spec::workspace_root().join("Cargo.lock")).unwrap();
        for (name, version) in [
            ("progenitor-impl", PROGENITOR_VERSION),
            ("typify", TYPIFY_VERSION),
            ("prettyplease", PRETTYPLEASE_VERSION),
        ] {
            let entry = format!("name = \"{name}\"\nversion = \"{version}\"\n");
            assert!(lock.contains(&entry), "Cargo.lock has no {name} {version}");
        }
    }
}
