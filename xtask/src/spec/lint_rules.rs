//! spec-lint's rules, in one registry: each has a stable id (what the output names and
//! `x-spec-lint-allow` silences), a severity and a one-line doc. The checks live in
//! `spec_lint/*.rs` and `pagination.rs`; each problem they find names its rule here. CONTRIBUTING.md's
//! table is this registry rendered (`cargo xtask spec-lint --rules`), and a test keeps them equal.
//!
//! Two severities, because they stop different things. An *error* is a spec progenitor cannot
//! turn into a correct client (it would panic, fail, or silently pick one of two bodies), or one
//! validators reject: `cargo xtask codegen` refuses to generate. A *warning* breaks a convention:
//! codegen still generates, so a maintainer can try an edit out. `spec-lint`, which CI runs,
//! fails on either.

use std::fmt;

use strum::IntoEnumIterator;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum LintRule {
    UnresolvedRef,
    OperationIdMissing,
    OperationIdDuplicate,
    OneMediaType,
    MediaTypeWithoutSchema,
    DefaultBesideStatuses,
    NoSuccessResponse,
    ResponseBodiesDiffer,
    PathParameterNotRequired,
    PathParameterNotInPath,
    PathVariableUndeclared,
    ParameterDeclaredTwice,
    UnknownType,
    NullableWithoutType,
    DefaultMismatch,
    EnumTypeMismatch,
    SecuritySchemeUndefined,
    PaginationExtension,
    CodegenExtension,
    LintAllow,
    OpenApiSchema,
    OperationSummary,
    OperationTags,
    SuccessResponseJson,
    ParameterDescription,
    PropertyDescription,
    ExampleMismatch,
    ExamplesUnchecked,
    ComponentUnused,
    UnknownFormat,
    LintAllowUnused,
}

impl LintRule {
    /// (id, severity, doc): the registry's row.
    pub fn row(self) -> (&'static str, Severity, &'static str) {
        use LintRule::*;
        use Severity::{Error as E, Warning as W};
        match self {
            UnresolvedRef => (
                "unresolved-ref",
                E,
                "a `$ref` points nowhere (progenitor fails)",
            ),
            OperationIdMissing => (
                "operation-id-missing",
                E,
                "an operation has no `operationId` (progenitor names the client method after it)",
            ),
            OperationIdDuplicate => (
                "operation-id-duplicate",
                E,
                "two operations share an `operationId`",
            ),
            OneMediaType => (
                "one-media-type",
                E,
                "a body or response has more than one media type (progenitor handles exactly one)",
            ),
            MediaTypeWithoutSchema => (
                "media-type-without-schema",
                E,
                "a media type has no schema (progenitor panics)",
            ),
            DefaultBesideStatuses => (
                "default-beside-statuses",
                E,
                "a `default` response beside status responses (two response types; use 4XX/5XX)",
            ),
            NoSuccessResponse => ("no-success-response", E, "an operation has no 2xx response"),
            ResponseBodiesDiffer => (
                "response-bodies-differ",
                E,
                "two success (or two error) responses have different bodies (progenitor needs one type each)",
            ),
            PathParameterNotRequired => (
                "path-parameter-not-required",
                E,
                "a path parameter is not `required: true` (OpenAPI 3.0; progenitor panics)",
            ),
            PathParameterNotInPath => (
                "path-parameter-not-in-path",
                E,
                "a path parameter does not appear in the path template",
            ),
            PathVariableUndeclared => (
                "path-variable-undeclared",
                E,
                "a path template variable has no `in: path` parameter (progenitor panics)",
            ),
            ParameterDeclaredTwice => (
                "parameter-declared-twice",
                E,
                "a parameter is declared twice in one list (the last silently wins)",
            ),
            UnknownType => ("unknown-type", E, "a `type` that OpenAPI 3.0 does not have"),
            NullableWithoutType => (
                "nullable-without-type",
                E,
                "`nullable: true` without `type` (no effect in 3.0; validators then reject null)",
            ),
            DefaultMismatch => ("default-mismatch", E, "a `default` outside its schema"),
            EnumTypeMismatch => (
                "enum-type-mismatch",
                E,
                "an `enum` value not of the schema's type",
            ),
            SecuritySchemeUndefined => (
                "security-scheme-undefined",
                E,
                "a security requirement names no scheme of `components/securitySchemes`",
            ),
            PaginationExtension => (
                "pagination-extension",
                E,
                "an `x-pagination` that names what the operation lacks, or of the wrong type",
            ),
            CodegenExtension => (
                "codegen-extension",
                E,
                "`x-idempotent`, `x-rust-method`, `x-rust-handle`, `x-rust-wrapper` or `x-rust-setters` of the wrong kind, or a handle named twice",
            ),
            LintAllow => (
                "lint-allow",
                E,
                "an `x-spec-lint-allow` that names no rule or does not say why",
            ),
            OpenApiSchema => (
                "openapi-schema",
                E,
                "anything else the official OpenAPI 3.0 schema rejects (an unknown keyword, a misplaced field)",
            ),
            OperationSummary => ("operation-summary", W, "an operation has no summary"),
            OperationTags => ("operation-tags", W, "an operation has no tags"),
            SuccessResponseJson => (
                "success-response-json",
                W,
                "a success response has no `application/json` body",
            ),
            ParameterDescription => ("parameter-description", W, "a parameter has no description"),
            PropertyDescription => (
                "property-description",
                W,
                "a property has no description (a `$ref` one: its target has none)",
            ),
            ExampleMismatch => (
                "example-mismatch",
                W,
                "an example does not match its schema",
            ),
            ExamplesUnchecked => (
                "examples-unchecked",
                W,
                "the examples could not be checked (a schema does not compile)",
            ),
            ComponentUnused => (
                "component-unused",
                W,
                "a component nothing refers to (a security scheme no requirement names)",
            ),
            UnknownFormat => (
                "unknown-format",
                W,
                "an unknown `format` (the generator ignores it: the field gets the plain type)",
            ),
            LintAllowUnused => (
                "lint-allow-unused",
                W,
                "an `x-spec-lint-allow` entry that silences nothing where it stands",
            ),
        }
    }

    pub fn id(self) -> &'static str {
        self.row().0
    }

    pub fn severity(self) -> Severity {
        self.row().1
    }

    pub fn from_id(id: &str) -> Option<LintRule> {
        LintRule::iter().find(|r| r.id() == id)
    }

    /// A spec that breaks this rule cannot be generated by progenitor (it fails or panics).
    pub fn stops_progenitor(self) -> bool {
        use LintRule::*;
        matches!(
            self,
            UnresolvedRef
                | OperationIdMissing
                | OperationIdDuplicate
                | OneMediaType
                | MediaTypeWithoutSchema
                | DefaultBesideStatuses
                | NoSuccessResponse
                | ResponseBodiesDiffer
                | PathParameterNotRequired
                | PathParameterNotInPath
                | PathVariableUndeclared
        )
    }
}

/// The registry as CONTRIBUTING.md's markdown table.
pub fn table() -> String {
    let rows = LintRule::iter().map(|rule| {
        let (id, severity, doc) = rule.row();
        (id.to_owned(), severity.label(), doc)
    });
    super::rules_table::markdown("severity", "what it finds", rows)
}

/// One problem, located by JSON pointer into the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub rule: LintRule,
    pub severity: Severity,
    pub pointer: String,
    pub message: String,
}

impl Problem {
    pub fn new(rule: LintRule, pointer: String, message: String) -> Problem {
        Problem {
            rule,
            severity: rule.severity(),
            pointer,
            message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} [{}]", self.pointer, self.message, self.rule.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::registry_checks::{assert_contributing_shows, assert_unique_kebab_case};

    #[test]
    fn ids_are_unique_and_kebab_case() {
        assert_unique_kebab_case(LintRule::iter().map(LintRule::id));
        for rule in LintRule::iter() {
            assert_eq!(LintRule::from_id(rule.id()), Some(rule));
        }
    }

    #[test]
    fn the_readme_table_is_the_registry() {
        assert_contributing_shows(&table(), "spec-lint");
    }
}
