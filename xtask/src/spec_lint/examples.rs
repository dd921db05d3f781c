//! Every `example` validates against its schema: on parameters, on schema objects and their
//! properties, and on media types (`example` and each `examples/*/value`).
//!
//! The validation itself is `chatcaptain-spec`'s (OpenAPI 3.0 schemas converted to JSON Schema,
//! `nullable` and `$ref`s into `#/components/schemas` handled), so the lint and the contract
//! tests agree on what "valid" means.

use serde_json::Value;

use super::conventions::{media_types, parameters, schemas, walk_schema};
use super::{Problem, Severity};

pub(super) fn problems(doc: &Value) -> Vec<Problem> {
    let mut found = Vec::new();
    let contract = match chatcaptain_spec::Spec::new(doc.clone()) {
        Ok(contract) => contract,
        Err(err) => {
            // A dangling `$ref` is already an error of its own; anything else is said here,
            // at the schema that could not be compiled.
            if !err.to_string().contains("$ref") {
                let pointer = match &err {
                    chatcaptain_spec::SpecError::Schema { at, .. } => at.trim_start_matches('#'),
                    _ => "",
                };
                found.push(Problem {
                    severity: Severity::Warning,
                    pointer: pointer.to_owned(),
                    message: format!("examples not checked: {err}"),
                });
            }
            return found;
        }
    };
    let mut check = |pointer: String, schema: &Value, example: &Value| {
        if let Err(errors) = contract.validate_schema(schema, example) {
            found.push(Problem {
                severity: Severity::Warning,
                pointer,
                message: format!("example does not match its schema: {}", errors.join("; ")),
            });
        }
    };
    for (pointer, param) in parameters(doc) {
        if let (Some(schema), Some(example)) = (param.get("schema"), param.get("example")) {
            check(format!("{pointer}/example"), schema, example);
        }
    }
    for (pointer, media) in media_types(doc) {
        let Some(schema) = media.get("schema") else {
            continue;
        };
        if let Some(example) = media.get("example") {
            check(format!("{pointer}/example"), schema, example);
        }
        for (name, example) in media
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if let Some(value) = example.get("value") {
                check(
                    format!("{pointer}/examples/{}/value", super::escape(name)),
                    schema,
                    value,
                );
            }
        }
    }
    for (pointer, schema) in schemas(doc) {
        walk_schema(&pointer, schema, &mut |pointer, schema| {
            if let Some(example) = schema.get("example") {
                check(format!("{pointer}/example"), schema, example);
            }
        });
    }
    found
}
