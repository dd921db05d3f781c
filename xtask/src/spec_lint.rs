//! `cargo xtask spec-lint [PATH]`: the spec stays inside what progenitor can generate and inside
//! the project's conventions.
//!
//! Two severities, because they stop different things. An *error* is a spec progenitor cannot
//! turn into a correct client (it would panic, fail, or silently pick one of two bodies):
//! `cargo xtask codegen` refuses to generate. A *warning* breaks a convention (a missing
//! description, an example that contradicts its schema, an unused component): codegen still
//! generates, so a maintainer can try an edit out, and prints the warnings. `spec-lint` itself,
//! which CI runs, fails on either.

pub(crate) mod conventions;
mod examples;
mod extensions;
mod parameters;
mod progenitor;
mod schema_keywords;
mod structure;

use std::fmt;
use std::path::Path;

use anyhow::{Result, bail};

use crate::spec::Spec;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem, located by JSON pointer into the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Escapes one JSON-pointer token (RFC 6901).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

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
    all.sort_by_key(|p| p.severity);
    all
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
        let label = match problem.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        println!("{label}: {problem}");
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
