//! The document against the official OpenAPI 3.0 schema, as openapi-spec-validator checks it:
//! the net under the specific rules, for whatever they do not name (an unknown keyword such as
//! `nulable`, a misplaced field, a wrong value type).
//!
//! `openapi-3.0-schema.json` is the OpenAPI Initiative's `schemas/v3.0/schema.json` (2021-09-28,
//! Apache-2.0), the file openapi-spec-validator 0.9.0 ships and uses.

use std::sync::OnceLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::Value;

use super::{LintRule, Problem};
use crate::spec::Spec;

const SCHEMA: &str = include_str!("openapi-3.0-schema.json");

/// Messages quote the offending value; a whole operation is no message.
const MAX_MESSAGE: usize = 240;

fn validator() -> &'static Validator {
    static VALIDATOR: OnceLock<Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA).expect("the bundled schema is JSON");
        jsonschema::options()
            .with_draft(Draft::Draft4)
            .build(&schema)
            .expect("the bundled OpenAPI 3.0 schema compiles")
    })
}

/// Every place the document breaks the OpenAPI 3.0 schema, as errors.
pub(super) fn problems(spec: &Spec) -> Vec<Problem> {
    // The document as written: openapiv3's canonical form drops unknown keywords, which are
    // exactly the typos to catch.
    let doc = &spec.raw;
    let mut found: Vec<Problem> = Vec::new();
    for error in validator().iter_errors(doc) {
        let error = best_match(&error);
        let pointer = error.instance_path().as_str().to_owned();
        if found.iter().any(|p| p.pointer == pointer) {
            continue;
        }
        let mut message = error.to_string();
        if message.len() > MAX_MESSAGE {
            let cut = (0..=MAX_MESSAGE)
                .rev()
                .find(|i| message.is_char_boundary(*i))
                .unwrap_or(0);
            message.truncate(cut);
            message.push('…');
        }
        found.push(Problem::new(
            LintRule::OpenApiSchema,
            pointer,
            format!("not valid OpenAPI 3.0: {message}"),
        ));
    }
    found
}

/// A failed `oneOf`/`anyOf` says only "not valid under any of the schemas" about the whole
/// object (a schema is `oneOf: [Schema, Reference]`). Like openapi-spec-validator's best match,
/// go down into the branch whose error lies deepest in the document: that is where it went wrong.
fn best_match<'e, 'a>(error: &'e ValidationError<'a>) -> &'e ValidationError<'a> {
    let context = match error.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            context
        }
        _ => return error,
    };
    // Deepest first; at equal depth, not the `Reference` branch's "`$ref` is required".
    let rank = |e: &ValidationError| {
        let required = matches!(e.kind(), ValidationErrorKind::Required { .. });
        (e.instance_path().as_str().matches('/').count(), !required)
    };
    context
        .iter()
        .flatten()
        .map(|e| best_match(e))
        .max_by_key(|e| rank(e))
        .filter(|e| rank(e).0 >= rank(error).0)
        .unwrap_or(error)
}
