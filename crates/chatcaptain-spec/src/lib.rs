//! The ChatCaptain OpenAPI spec as a contract: load it, and check JSON values against its schemas.
//!
//! OpenAPI 3.0 schemas are converted to JSON Schema 2020-12 (`#/components/schemas/...` refs resolved,
//! `nullable: true` admitting `null`, documentation-only keywords such as `example` and `x-*` dropped)
//! and checked with the [`jsonschema`] crate, which never touches the network here.
//!
//! ```
//! use serde_json::json;
//!
//! let spec = chatcaptain_spec::bundled();
//! spec.validate_response("deleteContact", 200, &json!({ "deleted": true })).unwrap();
//!
//! let errors = spec
//!     .validate_component("Contact", &json!({ "id": "abc", "created": 5 }))
//!     .unwrap_err();
//! assert!(errors[0].starts_with("/created:"), "{errors:?}");
//!
//! // 418 is documented by the `4XX` range; 302 is not documented at all.
//! spec.validate_response("getContact", 418, &json!({ "error": "teapot" })).unwrap();
//! assert!(spec.validate_response("getContact", 302, &json!({})).is_err());
//! ```
#![warn(missing_docs)]

mod convert;
mod responses;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::{Draft, Validator};
use serde_json::{Map, Value, json};

/// The spec, `spec/chatcaptain.yaml` of the repository, as JSON text compiled into this crate
/// (`cargo xtask codegen` writes it inside the crate, so the crate can be published, and CI checks
/// it is current). Its first key, `x-generated`, names the YAML's sha256.
pub const BUNDLED_JSON: &str = include_str!("../spec/chatcaptain.json");

/// Why a spec could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SpecError {
    /// The text is not valid JSON (the message names line and column).
    #[error("the spec is not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The document is not OpenAPI 3.0.x, the only dialect the schema conversion understands.
    #[error("the spec must be OpenAPI 3.0.x, found `openapi: {found}`")]
    Version {
        /// The `openapi` value found (or `missing`).
        found: String,
    },
    /// A schema object cannot be converted or compiled.
    #[error("schema at {at}: {message}")]
    Schema {
        /// JSON pointer (`#/components/schemas/...`) of the offending schema.
        at: String,
        /// What is wrong with it.
        message: String,
    },
}

/// A loaded OpenAPI document with the validators built from it.
pub struct Spec {
    document: Value,
    defs: Map<String, Value>,
    // Validators keyed by their converted schema's text; building one costs far more than a lookup.
    cache: Mutex<HashMap<String, Arc<Validator>>>,
}

impl std::fmt::Debug for Spec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Spec")
            .field("components", &self.defs.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// The spec bundled with this crate ([`BUNDLED_JSON`]), loaded once.
///
/// # Panics
/// If the bundled spec does not load; this crate's own tests make sure it does.
pub fn bundled() -> &'static Spec {
    static SPEC: OnceLock<Spec> = OnceLock::new();
    SPEC.get_or_init(|| {
        from_json_str(BUNDLED_JSON)
            .unwrap_or_else(|e| panic!("the spec bundled in chatcaptain-spec: {e}"))
    })
}

/// Loads an OpenAPI 3.0 document from JSON text and compiles every component schema. (A YAML
/// spec: parse it with the YAML crate of your choice into a [`serde_json::Value`] and call
/// [`Spec::new`].)
pub fn from_json_str(text: &str) -> Result<Spec, SpecError> {
    let document: Value = serde_json::from_str(text)?;
    Spec::new(document)
}

impl Spec {
    /// Builds a spec from an already parsed OpenAPI 3.0 document.
    pub fn new(document: Value) -> Result<Self, SpecError> {
        match document.get("openapi").and_then(Value::as_str) {
            Some(v) if v.starts_with("3.0.") => {}
            other => {
                return Err(SpecError::Version {
                    found: other.unwrap_or("missing").to_owned(),
                });
            }
        }
        let mut defs = Map::new();
        if let Some(schemas) = document
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for (name, schema) in schemas {
                let at = format!("#/components/schemas/{}", convert::escape(name));
                defs.insert(name.clone(), convert::convert(schema, &at)?);
            }
        }
        let spec = Spec {
            document,
            defs,
            cache: Mutex::new(HashMap::new()),
        };
        // Compile each component now so a dangling `$ref` is reported at load time, with its place.
        for name in spec.defs.keys() {
            let at = format!("#/components/schemas/{}", convert::escape(name));
            spec.validator(&json!({ "$ref": format!("{}{name}", convert::DEFS) }), &at)?;
        }
        Ok(spec)
    }

    /// The whole OpenAPI document, as JSON.
    pub fn document(&self) -> &Value {
        &self.document
    }

    /// The names of `#/components/schemas`.
    pub fn component_names(&self) -> impl Iterator<Item = &str> {
        self.defs.keys().map(String::as_str)
    }

    /// Validates `value` against the component schema `name` (e.g. `"Contact"`).
    ///
    /// Each error reads `<JSON pointer in value>: <what is wrong>`.
    pub fn validate_component(&self, name: &str, value: &Value) -> Result<(), Vec<String>> {
        if !self.defs.contains_key(name) {
            return Err(vec![format!(
                "the spec has no component schema named {name:?}"
            )]);
        }
        let reference = json!({ "$ref": format!("{}{}", convert::DEFS, convert::escape(name)) });
        self.check(&reference, value)
    }

    /// Validates `value` against an arbitrary OpenAPI 3.0 schema object, whose `$ref`s may point into
    /// this spec's `#/components/schemas` (used, for instance, to check a schema's `example`).
    pub fn validate_schema(
        &self,
        openapi_schema: &Value,
        value: &Value,
    ) -> Result<(), Vec<String>> {
        let converted = convert::convert(openapi_schema, "#").map_err(|e| vec![e.to_string()])?;
        self.check(&converted, value)
    }

    /// Validates a response body of operation `operation_id` with HTTP `status` against the schema the
    /// spec documents for it: the exact status, else its range (`4XX`), else `default`.
    ///
    /// An undocumented status is an error. For a documented status without a JSON body only
    /// `Value::Null` (no body) passes.
    pub fn validate_response(
        &self,
        operation_id: &str,
        status: u16,
        value: &Value,
    ) -> Result<(), Vec<String>> {
        match self
            .response_schema(operation_id, status)
            .map_err(|e| vec![e])?
        {
            Some(schema) => self.validate_schema(&schema, value),
            None if value.is_null() => Ok(()),
            None => Err(vec![format!(
                "{operation_id} documents no JSON body for status {status}, but one was sent"
            )]),
        }
    }

    /// Validates a request body of operation `operation_id` against its documented JSON schema.
    pub fn validate_request_body(
        &self,
        operation_id: &str,
        value: &Value,
    ) -> Result<(), Vec<String>> {
        let operation = self.operation(operation_id).map_err(|e| vec![e])?;
        let schema = operation
            .pointer("/requestBody/content/application~1json/schema")
            .ok_or_else(|| vec![format!("{operation_id} documents no JSON request body")])?;
        self.validate_schema(schema, value)
    }

    fn check(&self, converted: &Value, value: &Value) -> Result<(), Vec<String>> {
        let validator = self
            .validator(converted, "#")
            .map_err(|e| vec![e.to_string()])?;
        let errors: Vec<String> = validator
            .iter_errors(value)
            .map(|error| {
                let pointer = error.instance_path().as_str();
                let pointer = if pointer.is_empty() {
                    "(root)"
                } else {
                    pointer
                };
                format!("{pointer}: {error}")
            })
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The converted component schemas `converted` refers to, directly or through others.
    fn reachable_defs(&self, converted: &Value) -> Map<String, Value> {
        fn refs<'v>(value: &'v Value, into: &mut Vec<&'v str>) {
            match value {
                Value::Object(map) => {
                    if let Some(Value::String(r)) = map.get("$ref")
                        && let Some(name) = r.strip_prefix(convert::DEFS)
                    {
                        into.push(name);
                    }
                    map.values().for_each(|v| refs(v, into));
                }
                Value::Array(items) => items.iter().for_each(|v| refs(v, into)),
                _ => {}
            }
        }
        let mut todo = Vec::new();
        refs(converted, &mut todo);
        let mut reached = Map::new();
        while let Some(name) = todo.pop() {
            if reached.contains_key(name) {
                continue;
            }
            // A dangling name is left out: the validator then reports it, with its place.
            if let Some(schema) = self.defs.get(name) {
                reached.insert(name.to_owned(), schema.clone());
                refs(schema, &mut todo);
            }
        }
        reached
    }

    fn validator(&self, converted: &Value, at: &str) -> Result<Arc<Validator>, SpecError> {
        let key = converted.to_string();
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(found) = cache.get(&key) {
            return Ok(Arc::clone(found));
        }
        // Only the components the schema reaches: embedding all of them made every validator
        // as big as the spec, and checking every example quadratic in the spec's size.
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$defs": self.reachable_defs(converted),
            "allOf": [converted],
        });
        let validator = jsonschema::options()
            .with_draft(Draft::Draft202012)
            .should_validate_formats(true)
            .build(&root)
            .map_err(|e| SpecError::Schema {
                at: at.to_owned(),
                message: e.to_string(),
            })?;
        let validator = Arc::new(validator);
        cache.insert(key, Arc::clone(&validator));
        Ok(validator)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// A validator embeds only what its schema reaches, so checking every example of a spec
    /// stays linear in the spec's size.
    #[test]
    fn a_validator_embeds_only_the_components_its_schema_reaches() {
        let spec = crate::Spec::new(json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                "B": {"type": "object", "properties": {"a": {"$ref": "#/components/schemas/A"}}},
                "C": {"type": "string"},
            }},
        }))
        .unwrap();
        let reached = spec.reachable_defs(&json!({"$ref": "#/$defs/A"}));
        assert_eq!(reached.keys().collect::<Vec<_>>(), ["A", "B"]);
        assert!(spec.reachable_defs(&json!({"type": "string"})).is_empty());
    }

    /// A broken component is blamed, not the first one compiled after it.
    #[test]
    fn a_broken_component_is_reported_at_its_own_place() {
        let err = crate::Spec::new(json!({
            "openapi": "3.0.3",
            "components": {"schemas": {
                "Address": {"type": "object"},
                "Contact": {"type": "object", "properties": {"x": {"type": "strin"}}},
            }},
        }))
        .unwrap_err();
        assert!(
            err.to_string().contains("#/components/schemas/Contact"),
            "{err}"
        );
    }
}
