//! Schema keywords that validators reject or that silently change the generated type:
//! an unknown `type` (an error, at the keyword), `nullable` without `type` (Redocly's error: the
//! OpenAPI 3.0 schema validator then rejects `null` itself), and an unknown `format` (a warning:
//! `format: datetime` quietly turns a timestamp into a `String`).

use serde_json::Value;

use super::conventions::{schemas, walk_schema};
use super::{LintRule, Problem};

const TYPES: [&str; 6] = ["array", "boolean", "integer", "number", "object", "string"];

/// OpenAPI 3.0's formats, JSON Schema's, and the integer widths typify understands.
const FORMATS: &[&str] = &[
    // OpenAPI 3.0
    "int32",
    "int64",
    "float",
    "double",
    "byte",
    "binary",
    "date",
    "date-time",
    "password",
    // JSON Schema
    "time",
    "duration",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uuid",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex", // typify
    "int8",
    "int16",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "ip",
];

pub(super) fn problems(doc: &Value) -> Vec<Problem> {
    let mut found = Vec::new();
    for (root, schema) in schemas(doc) {
        walk_schema(&root, schema, &mut |pointer, schema| {
            let mut report = |rule, key: &str, message: String| {
                found.push(Problem::new(rule, format!("{pointer}/{key}"), message))
            };
            let ty = schema.get("type");
            match ty {
                Some(Value::String(t)) if TYPES.contains(&t.as_str()) => {}
                Some(other) => report(
                    LintRule::UnknownType,
                    "type",
                    format!(
                        "`type: {}` is not a type; OpenAPI 3.0 has {}",
                        show(other),
                        TYPES.join(", ")
                    ),
                ),
                None if schema.get("nullable") == Some(&Value::Bool(true)) => report(
                    LintRule::NullableWithoutType,
                    "nullable",
                    "`nullable: true` without `type` has no effect in OpenAPI 3.0 (validators \
                     then reject null); add the `type`, e.g. `type: object` beside an `allOf`"
                        .into(),
                ),
                None => {}
            }
            if let Some(format) = schema.get("format") {
                let known = format.as_str().is_some_and(|f| FORMATS.contains(&f));
                if !known {
                    let hint = format
                        .as_str()
                        .and_then(suggestion)
                        .map(|s| format!(" (did you mean `{s}`?)"))
                        .unwrap_or_default();
                    report(
                        LintRule::UnknownFormat,
                        "format",
                        format!(
                            "unknown format `{}`{hint}: the generator ignores it and the field \
                             gets the plain type",
                            show(format)
                        ),
                    );
                }
            }
        });
    }
    found
}

fn show(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// The known format that differs from `format` only in case and separators.
fn suggestion(format: &str) -> Option<&'static str> {
    let squash = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase()
    };
    FORMATS
        .iter()
        .copied()
        .find(|known| squash(known) == squash(format))
}
