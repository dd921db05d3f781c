//! Reading the spec's JSON for the extension: references followed, `allOf` members looked into.

use serde_json::Value;

use crate::spec::lookup;

pub(super) fn resolve_ref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => lookup(doc, reference).unwrap_or(value),
        None => value,
    }
}

/// The operation's parameters by name, references followed.
pub(super) fn parameters<'a>(doc: &'a Value, op: &'a Value) -> Vec<(String, &'a Value)> {
    op.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|p| resolve_ref(doc, p))
        .filter_map(|p| Some((p.get("name")?.as_str()?.to_owned(), p)))
        .collect()
}

/// The component name and schema of the first 2xx JSON body.
pub fn success_schema<'a>(doc: &'a Value, op: &'a Value) -> Option<(String, &'a Value)> {
    let responses = op.get("responses")?.as_object()?;
    let (_, response) = responses.iter().find(|(k, _)| k.starts_with('2'))?;
    let schema = resolve_ref(doc, response).pointer("/content/application~1json/schema")?;
    let name = component_name(schema)?;
    Some((name, resolve_ref(doc, schema)))
}

pub(super) fn component_name(schema: &Value) -> Option<String> {
    let reference = schema.get("$ref")?.as_str()?;
    Some(reference.strip_prefix("#/components/schemas/")?.to_owned())
}

/// A property of an object schema, looking into its `allOf` members too.
pub(super) fn property<'a>(doc: &'a Value, schema: &'a Value, name: &str) -> Option<&'a Value> {
    let schema = resolve_ref(doc, schema);
    if let Some(p) = schema.get("properties").and_then(|p| p.get(name)) {
        return Some(p);
    }
    schema
        .get("allOf")
        .and_then(Value::as_array)?
        .iter()
        .find_map(|member| property(doc, member, name))
}

pub(super) fn required_of(doc: &Value, schema: &Value) -> Vec<String> {
    let schema = resolve_ref(doc, schema);
    let mut names: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        names.extend(required_of(doc, member));
    }
    names
}

/// The schema at `path` below `schema`, and the component it names when it is a `$ref`.
pub(super) fn walk<'a>(
    doc: &'a Value,
    schema: &'a Value,
    path: &[String],
) -> Option<(&'a Value, Option<String>)> {
    let mut here = schema;
    for name in path {
        here = property(doc, here, name)?;
    }
    Some((here, component_name(here)))
}
