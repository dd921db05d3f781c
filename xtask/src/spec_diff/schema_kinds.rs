//! The rows of spec-diff's registry for changes inside a schema (`kinds.rs` holds the rest):
//! each with its verdict and reason in a request and in a response, since the direction a
//! schema travels decides whether the same change breaks.

use super::kinds::{SchemaChange, Verdict};
use Verdict::{Breaking as B, Compatible as C};

/// A schema change's row: its id without the direction, and its verdict and reason in a request
/// and in a response.
pub(super) struct SchemaRow {
    pub id: &'static str,
    pub request: (Verdict, &'static str),
    pub response: (Verdict, &'static str),
}

impl SchemaChange {
    pub(super) fn row(self) -> SchemaRow {
        use SchemaChange::*;
        let (id, request, response) = match self {
            OptionalPropertyAdded => (
                "optional-property-added",
                (C, "old clients omit it"),
                (C, "clients ignore a field they do not know"),
            ),
            RequiredPropertyAdded => (
                "required-property-added",
                (B, "old clients omit it"),
                (C, "clients ignore a field they do not know"),
            ),
            PropertyRemoved => (
                "property-removed",
                (B, "old clients still send it"),
                (B, "clients read it"),
            ),
            PropertyBecameRequired => (
                "property-became-required",
                (B, "old clients may omit it"),
                (C, "clients already handle it present"),
            ),
            PropertyBecameOptional => (
                "property-became-optional",
                (C, "old clients send it anyway"),
                (B, "clients expect it"),
            ),
            TypeChanged => (
                "type-changed",
                (B, "the server no longer reads old clients' values"),
                (B, "clients no longer read the values"),
            ),
            TypeGeneralized => (
                "type-generalized",
                (
                    C,
                    "`integer` became `number`: every integer old clients send is a number",
                ),
                (
                    B,
                    "`integer` became `number`: clients that read integers may get a fraction",
                ),
            ),
            TypeSpecialized => (
                "type-specialized",
                (
                    B,
                    "`number` became `integer`: old clients may send a fraction",
                ),
                (
                    C,
                    "`number` became `integer`: every integer is a number clients read",
                ),
            ),
            FormatChanged => (
                "format-changed",
                (
                    B,
                    "the same type with another meaning (`date-time`, `int64`)",
                ),
                (
                    B,
                    "the same type with another meaning (`date-time`, `int64`)",
                ),
            ),
            BecameNullable => (
                "became-nullable",
                (C, "old clients never send null"),
                (B, "clients do not expect null"),
            ),
            NoLongerNullable => (
                "no-longer-nullable",
                (B, "old clients may send null"),
                (C, "clients handle null and now get none"),
            ),
            EnumWidened => (
                "enum-widened",
                (
                    C,
                    "a value added (or the enum dropped): old clients send the old values",
                ),
                (
                    C,
                    "a value added (or the enum dropped): the catch-all variant keeps a new value",
                ),
            ),
            EnumNarrowed => (
                "enum-narrowed",
                (
                    B,
                    "a value removed (or an enum introduced): old clients may send it",
                ),
                (
                    C,
                    "a value removed (or an enum introduced): clients handle it and now never get it",
                ),
            ),
            BoundNarrowed => (
                "bound-narrowed",
                (
                    B,
                    "min raised, max lowered, a bound or `pattern` added: old values may fall outside",
                ),
                (
                    C,
                    "min raised, max lowered, a bound or `pattern` added: values clients handle",
                ),
            ),
            BoundWidened => (
                "bound-widened",
                (
                    C,
                    "min lowered, max raised, a bound or `pattern` dropped: old values still fit",
                ),
                (
                    B,
                    "min lowered, max raised, a bound or `pattern` dropped: clients may not handle the new values",
                ),
            ),
            PatternChanged => (
                "pattern-changed",
                (B, "values of one no longer fit the other"),
                (B, "values of one no longer fit the other"),
            ),
            DefaultChanged => (
                "default-changed",
                (B, "an old client's omission means something else"),
                (B, "an omitted value means something else to old clients"),
            ),
            AllOfBranchAdded => (
                "all-of-branch-added",
                (B, "more constraints: as a bound narrowed"),
                (C, "more constraints: as a bound narrowed"),
            ),
            AllOfBranchRemoved => (
                "all-of-branch-removed",
                (C, "fewer constraints: as a bound widened"),
                (B, "fewer constraints: as a bound widened"),
            ),
            OneOfBranchAdded => (
                "one-of-branch-added",
                (C, "one more shape accepted: old clients send the old ones"),
                (B, "one more shape: clients may not read it"),
            ),
            OneOfBranchRemoved => (
                "one-of-branch-removed",
                (B, "old clients may send the shape removed"),
                (C, "clients read the shapes left"),
            ),
            AnyOfBranchAdded => (
                "any-of-branch-added",
                (C, "one more shape accepted: old clients send the old ones"),
                (B, "one more shape: clients may not read it"),
            ),
            AnyOfBranchRemoved => (
                "any-of-branch-removed",
                (B, "old clients may send the shape removed"),
                (C, "clients read the shapes left"),
            ),
            OneOfBecameAnyOf => (
                "one-of-became-any-of",
                (
                    C,
                    "a value may now match several branches: more is accepted",
                ),
                (
                    B,
                    "a value may now match several branches: clients that pick one may not read it",
                ),
            ),
            AnyOfBecameOneOf => (
                "any-of-became-one-of",
                (B, "a value that matched several branches is refused"),
                (C, "each value matches one branch: clients read it"),
            ),
            TypesWidened => (
                "list-of-types-widened",
                (
                    C,
                    "a `oneOf`/`anyOf` of types accepts one more: old values still fit",
                ),
                (
                    B,
                    "a `oneOf`/`anyOf` of types may hold one more: clients may not read it",
                ),
            ),
            TypesNarrowed => (
                "list-of-types-narrowed",
                (
                    B,
                    "a `oneOf`/`anyOf` of types accepts one fewer: old clients may send it",
                ),
                (
                    C,
                    "a `oneOf`/`anyOf` of types holds one fewer: clients read the rest",
                ),
            ),
            Deprecated => (
                "property-deprecated",
                (C, "reported: old clients may still send it"),
                (C, "reported: clients should stop relying on it"),
            ),
        };
        SchemaRow {
            id,
            request,
            response,
        }
    }
}
