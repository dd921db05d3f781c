//! OpenAPI 3.0 schema objects to JSON Schema 2020-12.
//!
//! OpenAPI 3.0 schemas are a dialect of JSON Schema draft 4/5: `nullable` instead of a `null` type,
//! boolean `exclusiveMinimum`/`exclusiveMaximum`, `$ref` that silences its siblings, and
//! documentation-only keywords (`example`, `x-*`, `xml`, ...) that a validator must not see.

use serde_json::{Map, Value};

use crate::SpecError;

const COMPONENT_SCHEMAS: &str = "#/components/schemas/";

/// Where converted component schemas live inside a validator's root document.
pub(crate) const DEFS: &str = "#/$defs/";

/// Converts one OpenAPI schema object (and everything below it) to JSON Schema 2020-12.
pub(crate) fn convert(schema: &Value, at: &str) -> Result<Value, SpecError> {
    match schema {
        Value::Bool(_) => Ok(schema.clone()),
        Value::Object(map) => convert_object(map, at),
        other => Err(SpecError::Schema {
            at: at.to_owned(),
            message: format!("a schema must be an object, found {other}"),
        }),
    }
}

fn convert_object(map: &Map<String, Value>, at: &str) -> Result<Value, SpecError> {
    if let Some(reference) = map.get("$ref") {
        // OpenAPI 3.0: "sibling elements of a $ref are ignored".
        return Ok(Value::Object(Map::from_iter([(
            "$ref".to_owned(),
            Value::String(rewrite_ref(reference, at)?),
        )])));
    }
    let mut out = Map::new();
    for (key, value) in map {
        let here = format!("{at}/{}", escape(key));
        match key.as_str() {
            "nullable" | "example" | "examples" | "xml" | "externalDocs" | "discriminator" => {}
            k if k.starts_with("x-") => {}
            "properties" | "patternProperties" => {
                let Value::Object(props) = value else {
                    return Err(shape_error(&here, "an object of schemas"));
                };
                let mut converted = Map::new();
                for (name, sub) in props {
                    converted.insert(
                        name.clone(),
                        convert(sub, &format!("{here}/{}", escape(name)))?,
                    );
                }
                out.insert(key.clone(), Value::Object(converted));
            }
            "items" | "additionalProperties" | "not" => {
                out.insert(key.clone(), convert(value, &here)?);
            }
            "allOf" | "anyOf" | "oneOf" => {
                let Value::Array(subs) = value else {
                    return Err(shape_error(&here, "an array of schemas"));
                };
                let converted = subs
                    .iter()
                    .enumerate()
                    .map(|(i, sub)| convert(sub, &format!("{here}/{i}")))
                    .collect::<Result<Vec<_>, _>>()?;
                out.insert(key.clone(), Value::Array(converted));
            }
            "exclusiveMinimum" | "exclusiveMaximum" => {
                // Draft-4 style: a boolean that tightens `minimum`/`maximum`; handled below.
                if !value.is_boolean() {
                    out.insert(key.clone(), value.clone());
                }
            }
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    for (flag, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if map.get(flag) == Some(&Value::Bool(true))
            && let Some(limit) = out.remove(bound)
        {
            out.insert(flag.to_owned(), limit);
        }
    }
    let converted = Value::Object(out);
    if map.get("nullable") == Some(&Value::Bool(true)) {
        // `anyOf` rather than editing `type`: it also covers schemas without a `type`
        // (an `allOf` wrapper around a `$ref`, as `SearchContactsResponse.results` is).
        return Ok(serde_json::json!({ "anyOf": [{ "type": "null" }, converted] }));
    }
    Ok(converted)
}

fn rewrite_ref(reference: &Value, at: &str) -> Result<String, SpecError> {
    let text = reference.as_str().unwrap_or_default();
    match text.strip_prefix(COMPONENT_SCHEMAS) {
        Some(name) if !name.is_empty() => Ok(format!("{DEFS}{name}")),
        _ => Err(SpecError::Schema {
            at: at.to_owned(),
            message: format!(
                "unsupported $ref {reference}: only {COMPONENT_SCHEMAS}NAME is resolved"
            ),
        }),
    }
}

fn shape_error(at: &str, expected: &str) -> SpecError {
    SpecError::Schema {
        at: at.to_owned(),
        message: format!("expected {expected}"),
    }
}

/// Escapes one JSON-pointer segment (RFC 6901).
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nullable_becomes_any_of_null() {
        let out = convert(&json!({"type": "string", "nullable": true}), "#").unwrap();
        assert_eq!(
            out,
            json!({"anyOf": [{"type": "null"}, {"type": "string"}]})
        );
    }

    #[test]
    fn documentation_keywords_are_dropped_and_refs_rewritten() {
        let out = convert(
            &json!({"type": "object", "example": {"a": 1}, "x-permission": "p",
                    "properties": {"example": {"$ref": "#/components/schemas/A", "description": "ignored"}}}),
            "#",
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"type": "object", "properties": {"example": {"$ref": "#/$defs/A"}}})
        );
    }

    #[test]
    fn boolean_exclusive_minimum_becomes_numeric() {
        let out = convert(
            &json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}),
            "#",
        )
        .unwrap();
        assert_eq!(out, json!({"type": "integer", "exclusiveMinimum": 0}));
    }

    #[test]
    fn refs_outside_component_schemas_are_rejected_with_their_place() {
        let err = convert(&json!({"$ref": "other.yaml#/X"}), "#/x").unwrap_err();
        assert!(err.to_string().contains("#/x"), "{err}");
    }
}
