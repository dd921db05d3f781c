//! spec-diff's wire rules, in one registry: every kind of change it reports, with a stable id
//! (what the report names), its verdict and a one-line reason. The verdict is an exhaustive
//! `match`, so a new kind without one does not compile. CONTRIBUTING.md's table is this registry
//! rendered (`cargo xtask spec-diff --rules`), and a test keeps them equal. The walkers that
//! find each kind are `operations.rs`, `schemas.rs` and `security.rs`; the rows of the changes
//! inside a schema (a verdict per direction) are `schema_kinds.rs`.
//!
//! One principle, applied by direction: a request may now accept *more* than before (never
//! less), and a response may now promise *less* variety than before (never more). Two things
//! the generated client does move some answers to "compatible": every generated type is
//! `#[non_exhaustive]` and ignores JSON fields it does not know (so a field added to an answer
//! breaks nobody), and a string enum an answer can hold keeps a value it does not know in its
//! catch-all variant (`Unknown(String)`), so a value added to it breaks nobody either.

use strum::IntoEnumIterator;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Breaking,
    Compatible,
}

/// A change of an operation, a parameter, a body, a response or the API's security; changes
/// inside a schema are `Request(..)` or `Response(..)` by the direction the schema travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum Kind {
    OperationAdded,
    OperationRemoved,
    OperationMoved,
    OperationIdChanged,
    OptionalParameterAdded,
    RequiredParameterAdded,
    ParameterRemoved,
    ParameterLocationChanged,
    ParameterBecameRequired,
    ParameterBecameOptional,
    OptionalBodyAdded,
    RequiredBodyAdded,
    BodyRemoved,
    BodyBecameRequired,
    BodyBecameOptional,
    ResponseAdded,
    ResponseRemoved,
    RequestMediaTypeAdded,
    RequestMediaTypeRemoved,
    ResponseMediaTypeAdded,
    ResponseMediaTypeRemoved,
    ResponseHeaderAdded,
    ResponseHeaderRemoved,
    ResponseHeaderBecameOptional,
    ResponseHeaderBecameRequired,
    OperationDeprecated,
    OperationReactivated,
    ParameterDeprecated,
    SecurityAdded,
    SecurityRemoved,
    SecurityRequirementAdded,
    SecurityRequirementRemoved,
    SecurityScopeAdded,
    SecurityScopeRemoved,
    SecuritySchemeAdded,
    SecuritySchemeRemoved,
    SecuritySchemeChanged,
    UnusedSecuritySchemeRemoved,
    UnusedSecuritySchemeChanged,
    Request(SchemaChange),
    Response(SchemaChange),
}

/// A change inside a schema: its verdict depends on the direction it travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, strum::EnumIter)]
pub enum SchemaChange {
    #[default]
    OptionalPropertyAdded,
    RequiredPropertyAdded,
    PropertyRemoved,
    PropertyBecameRequired,
    PropertyBecameOptional,
    TypeChanged,
    /// `integer` became `number`: every old value is still one.
    TypeGeneralized,
    /// `number` became `integer`: every new value was one before.
    TypeSpecialized,
    FormatChanged,
    BecameNullable,
    NoLongerNullable,
    EnumWidened,
    EnumNarrowed,
    BoundNarrowed,
    BoundWidened,
    PatternChanged,
    DefaultChanged,
    AllOfBranchAdded,
    AllOfBranchRemoved,
    OneOfBranchAdded,
    OneOfBranchRemoved,
    AnyOfBranchAdded,
    AnyOfBranchRemoved,
    OneOfBecameAnyOf,
    AnyOfBecameOneOf,
    TypesWidened,
    TypesNarrowed,
    Deprecated,
}

/// One change, under the operation it affects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `GET /v1/... (operationId)`.
    pub operation: String,
    pub kind: Kind,
    /// What changed, where: "response 200 body: property `contacts[].email` removed".
    pub text: String,
}

/// Ends the text of a removal of what was not deprecated first: the markdown report calls
/// those out in a list of their own, and shows every change without it.
pub const NOT_DEPRECATED_FIRST: &str = " (not deprecated first)";

impl Change {
    pub fn breaking(&self) -> bool {
        self.kind.breaking()
    }

    pub fn removed_without_deprecation(&self) -> bool {
        self.text.ends_with(NOT_DEPRECATED_FIRST)
    }

    /// The text as the report shows it.
    pub fn shown(&self) -> &str {
        self.text
            .strip_suffix(NOT_DEPRECATED_FIRST)
            .unwrap_or(&self.text)
    }
}

/// One row of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub id: String,
    pub verdict: Verdict,
    /// Why, in one line.
    pub doc: &'static str,
}

use Verdict::{Breaking as B, Compatible as C};

impl Kind {
    /// A change inside a schema that travels in `direction`.
    pub fn schema(direction: Direction, change: SchemaChange) -> Kind {
        match direction {
            Direction::Request => Kind::Request(change),
            Direction::Response => Kind::Response(change),
        }
    }

    pub fn rule(self) -> Rule {
        use Kind::*;
        let (id, verdict, doc) = match self {
            OperationAdded => ("endpoint-added", C, "nobody calls it yet"),
            OperationRemoved => ("endpoint-removed", B, "its callers get a 404"),
            OperationMoved => (
                "endpoint-moved",
                B,
                "same operationId at a new path or method: old clients call the old place",
            ),
            OperationIdChanged => (
                "operation-id-changed",
                C,
                "the requests are the same (the Rust level says the method's rename breaks)",
            ),
            OptionalParameterAdded => (
                "new-optional-request-parameter",
                C,
                "old clients omit it, which the server accepts",
            ),
            RequiredParameterAdded => ("new-required-request-parameter", B, "old clients omit it"),
            ParameterRemoved => (
                "request-parameter-removed",
                B,
                "old clients still send it, and it no longer means anything",
            ),
            ParameterLocationChanged => (
                "request-parameter-moved",
                B,
                "from query, path or header to another: old clients send it in the old place",
            ),
            ParameterBecameRequired => (
                "request-parameter-became-required",
                B,
                "old clients may omit it",
            ),
            ParameterBecameOptional => (
                "request-parameter-became-optional",
                C,
                "old clients send it anyway",
            ),
            OptionalBodyAdded => (
                "new-optional-request-body",
                C,
                "old clients send none, which is accepted",
            ),
            RequiredBodyAdded => ("new-required-request-body", B, "old clients send none"),
            BodyRemoved => ("request-body-removed", B, "old clients still send one"),
            BodyBecameRequired => (
                "request-body-became-required",
                B,
                "old clients may send none",
            ),
            BodyBecameOptional => (
                "request-body-became-optional",
                C,
                "old clients send one anyway",
            ),
            ResponseAdded => (
                "response-status-added",
                C,
                "an old client reports a status it does not know as an unexpected answer, as before",
            ),
            ResponseRemoved => (
                "response-status-removed",
                B,
                "the generated client's types follow the statuses declared (a body type may go)",
            ),
            RequestMediaTypeAdded => (
                "request-media-type-added",
                C,
                "the server reads one more; old clients send the old one",
            ),
            RequestMediaTypeRemoved => ("request-media-type-removed", B, "old clients may send it"),
            ResponseMediaTypeAdded => (
                "response-media-type-added",
                C,
                "a client gets it only when it asks for it",
            ),
            ResponseMediaTypeRemoved => {
                ("response-media-type-removed", B, "a client may ask for it")
            }
            ResponseHeaderAdded => (
                "response-header-added",
                C,
                "clients ignore a header they do not know",
            ),
            ResponseHeaderRemoved => ("response-header-removed", B, "clients read it"),
            ResponseHeaderBecameOptional => {
                ("response-header-became-optional", B, "clients expect it")
            }
            ResponseHeaderBecameRequired => (
                "response-header-became-required",
                C,
                "clients already handle it present",
            ),
            OperationDeprecated => (
                "endpoint-deprecated",
                C,
                "reported: its callers should move before it is removed",
            ),
            OperationReactivated => ("endpoint-reactivated", C, "no longer deprecated"),
            ParameterDeprecated => (
                "request-parameter-deprecated",
                C,
                "reported: old clients may still send it",
            ),
            SecurityAdded => (
                "security-added",
                B,
                "credentials needed where none were: old clients send none",
            ),
            SecurityRemoved => (
                "security-removed",
                C,
                "no credentials needed any more: old clients' are ignored",
            ),
            SecurityRequirementAdded => (
                "security-requirement-added",
                C,
                "another way to authenticate, beside the old ones",
            ),
            SecurityRequirementRemoved => (
                "security-requirement-removed",
                B,
                "a way to authenticate is gone: old clients that use it are refused",
            ),
            SecurityScopeAdded => (
                "security-scope-added",
                B,
                "a client's token without the new scope is refused",
            ),
            SecurityScopeRemoved => (
                "security-scope-removed",
                C,
                "old clients' tokens have the scope anyway",
            ),
            SecuritySchemeAdded => (
                "security-scheme-added",
                C,
                "clients that send the old one still do",
            ),
            SecuritySchemeRemoved => (
                "security-scheme-removed",
                B,
                "a requirement named it: old clients authenticate with it",
            ),
            SecuritySchemeChanged => (
                "security-scheme-changed",
                B,
                "where the key goes changed (its header renamed): old clients send it the old way",
            ),
            UnusedSecuritySchemeRemoved => (
                "unused-security-scheme-removed",
                C,
                "no requirement named it: no client used it",
            ),
            UnusedSecuritySchemeChanged => (
                "unused-security-scheme-changed",
                C,
                "no requirement names it: no client uses it",
            ),
            Request(change) => {
                let row = change.row();
                return Rule {
                    id: format!("request-{}", row.id),
                    verdict: row.request.0,
                    doc: row.request.1,
                };
            }
            Response(change) => {
                let row = change.row();
                return Rule {
                    id: format!("response-{}", row.id),
                    verdict: row.response.0,
                    doc: row.response.1,
                };
            }
        };
        Rule {
            id: id.to_owned(),
            verdict,
            doc,
        }
    }

    pub fn breaking(self) -> bool {
        self.rule().verdict == Verdict::Breaking
    }

    /// Every kind, each schema change once per direction.
    pub fn all() -> impl Iterator<Item = Kind> {
        Kind::iter().flat_map(|kind| -> Box<dyn Iterator<Item = Kind>> {
            match kind {
                Kind::Request(_) => Box::new(SchemaChange::iter().map(Kind::Request)),
                Kind::Response(_) => Box::new(SchemaChange::iter().map(Kind::Response)),
                other => Box::new(std::iter::once(other)),
            }
        })
    }
}

/// The registry as CONTRIBUTING.md's markdown table.
pub fn table() -> String {
    let rows = Kind::all().map(|kind| {
        let Rule { id, verdict, doc } = kind.rule();
        let verdict = match verdict {
            Verdict::Breaking => "breaking",
            Verdict::Compatible => "compatible",
        };
        (id, verdict, doc)
    });
    crate::spec::rules_table::markdown("verdict", "why", rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::registry_checks::{assert_contributing_shows, assert_unique_kebab_case};

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let ids = assert_unique_kebab_case(Kind::all().map(|kind| kind.rule().id));
        assert_eq!(
            ids,
            Kind::iter().count() - 2 + 2 * SchemaChange::iter().count()
        );
    }

    #[test]
    fn the_readme_table_is_the_registry() {
        assert_contributing_shows(&table(), "spec-diff");
    }
}
