//! A schema that contains itself through `allOf`, `anyOf`, `oneOf` or `not` alone, with no
//! property in between (`A: {allOf: [$ref: A, ...]}`), makes typify merge it into itself until
//! the stack overflows: an abort that no `catch_unwind` stops. Found before progenitor runs, it
//! is an error that names the schema. (Recursion through a property, a tree's `children`, is a
//! `Box` in Rust and fine.)

use serde_json::Value;

use crate::spec::lookup;

/// The first schema of `components/schemas` that contains itself that way.
pub fn schema_containing_itself(doc: &Value) -> Option<String> {
    let schemas = doc.pointer("/components/schemas")?.as_object()?;
    schemas.iter().find_map(|(name, schema)| {
        let target = format!("#/components/schemas/{name}");
        reaches(doc, schema, &target, &mut Vec::new()).then(|| name.clone())
    })
}

fn reaches(doc: &Value, schema: &Value, target: &str, seen: &mut Vec<String>) -> bool {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if reference == target {
            return true;
        }
        if seen.iter().any(|s| s == reference) {
            return false;
        }
        seen.push(reference.to_owned());
        return lookup(doc, reference).is_some_and(|s| reaches(doc, s, target, seen));
    }
    let composed = ["allOf", "anyOf", "oneOf"]
        .into_iter()
        .filter_map(|key| schema.get(key).and_then(Value::as_array))
        .flatten()
        .chain(schema.get("not"));
    for sub in composed {
        if reaches(doc, sub, target, seen) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(schemas: Value) -> Value {
        json!({ "components": { "schemas": schemas } })
    }

    #[test]
    fn a_schema_in_its_own_all_of_is_found_directly_and_through_another() {
        let direct = doc(json!({ "A": { "allOf": [{ "$ref": "#/components/schemas/A" }] } }));
        assert_eq!(schema_containing_itself(&direct).as_deref(), Some("A"));
        let through = doc(json!({
            "A": { "oneOf": [{ "$ref": "#/components/schemas/B" }] },
            "B": { "allOf": [{ "type": "object" }, { "$ref": "#/components/schemas/A" }] },
        }));
        assert_eq!(schema_containing_itself(&through).as_deref(), Some("A"));
    }

    #[test]
    fn recursion_through_a_property_is_not_a_cycle() {
        let tree = doc(
            json!({ "Node": { "type": "object", "properties": { "children": {
            "type": "array", "items": { "$ref": "#/components/schemas/Node" } } } } }),
        );
        assert_eq!(schema_containing_itself(&tree), None);
    }
}
