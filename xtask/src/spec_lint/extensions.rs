//! The vendor extensions codegen reads besides `x-pagination` (checked in `pagination.rs`): a
//! value of the wrong kind is an error here, with its JSON pointer, rather than a generator
//! failing later or silently ignoring it.
//!
//! - `x-idempotent` on an operation: `true` or `false`, overriding its method's idempotency;
//! - `x-rust-method` on an operation: the name of its method on its resource handle;
//! - `x-rust-handle` on a tag: the client method of the tag's handle, one per tag;
//! - `x-rust-wrapper` and `x-rust-setters` on a schema: `true` or `false`;
//! - `x-rust-unwrap` on a schema: the name of one of its properties.

use std::collections::HashMap;

use serde_json::Value;

use super::conventions::operations;
use super::{LintRule, Problem};

pub(super) fn problems(doc: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut error = |pointer: String, message: String| {
        out.push(Problem::new(LintRule::CodegenExtension, pointer, message))
    };
    for (pointer, name, op) in operations(doc) {
        if let Some(value) = op.get("x-idempotent")
            && !value.is_boolean()
        {
            error(
                format!("{pointer}/x-idempotent"),
                format!("{name}: `x-idempotent` must be true or false, not {value}"),
            );
        }
        if let Some(value) = op.get("x-rust-method")
            && !is_identifier(value)
        {
            error(
                format!("{pointer}/x-rust-method"),
                format!("{name}: `x-rust-method` must be a snake_case name, not {value}"),
            );
        }
    }
    let mut handles: HashMap<&str, usize> = HashMap::new();
    for (i, tag) in doc["tags"].as_array().into_iter().flatten().enumerate() {
        let Some(value) = tag.get("x-rust-handle") else {
            continue;
        };
        let pointer = format!("/tags/{i}/x-rust-handle");
        match value.as_str() {
            Some(handle) if is_identifier(value) => {
                if let Some(first) = handles.insert(handle, i) {
                    error(
                        pointer,
                        format!("handle `{handle}` is also the handle of /tags/{first}"),
                    );
                }
            }
            _ => error(
                pointer,
                format!("`x-rust-handle` must be a snake_case name (`organizations`), not {value}"),
            ),
        }
    }
    let schemas = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (name, schema) in schemas.into_iter().flatten() {
        for key in ["x-rust-wrapper", "x-rust-setters"] {
            if let Some(value) = schema.get(key)
                && !value.is_boolean()
            {
                error(
                    format!("/components/schemas/{name}/{key}"),
                    format!("schema `{name}`: `{key}` must be true or false, not {value}"),
                );
            }
        }
        if let Some(value) = schema.get("x-rust-unwrap") {
            let named = value
                .as_str()
                .filter(|p| schema["properties"].get(*p).is_some());
            if named.is_none() {
                error(
                    format!("/components/schemas/{name}/x-rust-unwrap"),
                    format!(
                        "schema `{name}`: `x-rust-unwrap` must name one of its properties, not {value}"
                    ),
                );
            }
        }
    }
    out
}

fn is_identifier(value: &Value) -> bool {
    value.as_str().is_some_and(|s| {
        s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    })
}
