//! Every `example` validates against its schema: on parameters, on schema objects and their
//! properties, and on media types (`example` and each `examples/*/value`); so does every
//! `default` and every `enum` value (errors: validators reject those).
//!
//! The validation itself is `chatcaptain-spec`'s (OpenAPI 3.0 schemas converted to JSON Schema,
//! `nullable` and `$ref`s into `#/components/schemas` handled), so the lint and the contract
//! tests agree on what "valid" means.

use serde_json::Value;

use super::conventions::{media_types, parameters, schemas, walk_schema};
use super::{LintRule, Problem};
use crate::spec::walk::members;

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
                found.push(Problem::new(
                    LintRule::ExamplesUnchecked,
                    pointer.to_owned(),
                    format!("examples not checked: {err}"),
                ));
            }
            return found;
        }
    };
    let mut check = |pointer: String, schema: &Value, example: &Value| {
        if let Err(errors) = contract.validate_schema(schema, example) {
            found.push(Problem::new(
                LintRule::ExampleMismatch,
                pointer,
                format!("example does not match its schema: {}", errors.join("; ")),
            ));
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
        for (name, example) in members(media, "examples") {
            if let Some(value) = example.get("value") {
                check(
                    format!(
                        "{pointer}/examples/{}/value",
                        super::conventions::escape(name)
                    ),
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
    // A `default` or an `enum` value outside its schema is what openapi-spec-validator and
    // Redocly (`no-enum-type-mismatch`) call an error, and the generator would emit it as is.
    let mut errors = Vec::new();
    for (pointer, schema) in schemas(doc) {
        walk_schema(&pointer, schema, &mut |pointer, schema| {
            if let Some(default) = schema.get("default")
                && let Err(e) = contract.validate_schema(schema, default)
            {
                errors.push(Problem::new(
                    LintRule::DefaultMismatch,
                    format!("{pointer}/default"),
                    format!("default does not match its schema: {}", e.join("; ")),
                ));
            }
            let Some(values) = schema.get("enum").and_then(Value::as_array) else {
                return;
            };
            let mut of_type = serde_json::Map::new();
            for key in ["type", "nullable"] {
                if let Some(v) = schema.get(key) {
                    of_type.insert(key.to_owned(), v.clone());
                }
            }
            let of_type = Value::Object(of_type);
            for (i, value) in values.iter().enumerate() {
                if let Err(e) = contract.validate_schema(&of_type, value) {
                    errors.push(Problem::new(
                        LintRule::EnumTypeMismatch,
                        format!("{pointer}/enum/{i}"),
                        format!(
                            "enum value {value} does not match the type: {}",
                            e.join("; ")
                        ),
                    ));
                }
            }
        });
    }
    found.extend(errors);
    found
}
