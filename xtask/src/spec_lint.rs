//! `cargo xtask spec-lint [PATH]`: the spec stays inside what progenitor can generate and inside
//! the project's conventions. The rules, their ids and severities are in one registry,
//! `spec/lint_rules.rs`; the checks are the modules below and `pagination.rs`.

mod allow;
pub(crate) mod conventions;
mod examples;
mod extensions;
mod parameters;
mod progenitor;
mod schema_keywords;
mod structure;

use std::path::Path;

use anyhow::{Result, bail};

use crate::spec::Spec;
pub use crate::spec::lint_rules::{LintRule, Problem, Severity};

/// Every problem in the spec, errors first, each group in document order.
pub fn problems(spec: &Spec) -> Vec<Problem> {
    let doc = spec.json();
    let mut all = progenitor::problems(&spec.openapi);
    all.extend(parameters::problems(&doc));
    all.extend(schema_keywords::problems(&doc));
    all.extend(conventions::problems(&doc));
    all.extend(examples::problems(&doc));
    all.extend(extensions::problems(&doc));
    all.extend(crate::pagination::read(&doc).1);
    // The OpenAPI schema's errors only where no specific rule has said more about the same
    // object: the schema's verdict on a failed `oneOf` is vaguer (a path parameter with
    // `required: false` reads as "`path` is not `cookie`", from the branch that came closest).
    for problem in structure::problems(spec) {
        let object = match problem.pointer.rsplit_once('/') {
            Some((parent, _)) if !parent.is_empty() => format!("{parent}/"),
            _ => format!("{}/", problem.pointer),
        };
        let covered = !problem.pointer.is_empty()
            && all.iter().any(|p| {
                p.severity == Severity::Error
                    && (p.pointer == problem.pointer || p.pointer.starts_with(&object))
            });
        if !covered {
            all.push(problem);
        }
    }
    // The progenitor rules and the conventions both see a missing success body; say it once.
    let mut seen = std::collections::HashSet::new();
    all.retain(|p| seen.insert((p.pointer.clone(), p.message.clone())));
    let mut all = allow::apply(&spec.raw, all);
    all.sort_by_key(|p| p.severity);
    all
}

/// The registry as CONTRIBUTING.md's table, for `spec-lint --rules`.
pub fn rules_table() -> String {
    crate::spec::lint_rules::table()
}

/// The verb: prints every problem and fails when there is any.
pub fn run(path: &Path) -> Result<()> {
    let spec = Spec::load(path)?;
    let found = problems(&spec);
    let file = path.display();
    if found.is_empty() {
        println!("{file}: no problems");
        return Ok(());
    }
    for problem in &found {
        println!("{}: {problem}", problem.severity.label());
    }
    let errors = found
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    bail!(
        "{file}: {errors} error(s), {} warning(s)",
        found.len() - errors
    )
}
