//! Walking the spec's JSON: its operations, parameters, media types and schemas, each with the
//! JSON pointer a problem names. Shared by the lint, the pagination extension and codegen.

use serde_json::Value;

use super::METHODS;

/// Escapes one JSON-pointer token (RFC 6901).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Each operation as (pointer, its display name, the operation object).
pub fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut found = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return found;
    };
    for (path, item) in paths {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let pointer = format!("/paths/{}/{method}", escape(path));
                let name = match op.get("operationId").and_then(Value::as_str) {
                    Some(id) => format!("operation `{id}` ({} {path})", method.to_uppercase()),
                    None => format!("operation {} {path}", method.to_uppercase()),
                };
                found.push((pointer, name, op));
            }
        }
    }
    found
}

/// The members of the object at `key` of `value`: none when it is absent or not an object.
pub fn members<'a>(value: &'a Value, key: &str) -> impl Iterator<Item = (&'a String, &'a Value)> {
    value
        .get(key)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
}

/// Each entry of `/components/KIND` (`schemas`, `parameters`, `responses`...), with its pointer.
fn components<'a>(doc: &'a Value, kind: &str) -> impl Iterator<Item = (String, &'a Value)> {
    doc.pointer(&format!("/components/{kind}"))
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(move |(name, value)| (format!("/components/{kind}/{}", escape(name)), value))
}

/// Every parameter object defined in the spec (not `$ref`s to one), with its pointer.
pub fn parameters(doc: &Value) -> Vec<(String, &Value)> {
    let mut found: Vec<_> = components(doc, "parameters").collect();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return found;
    };
    for (path, item) in paths {
        let item_pointer = format!("/paths/{}", escape(path));
        let mut lists = vec![(item_pointer.clone(), item.get("parameters"))];
        for method in METHODS {
            if let Some(op) = item.get(method) {
                lists.push((format!("{item_pointer}/{method}"), op.get("parameters")));
            }
        }
        for (pointer, list) in lists {
            for (i, param) in list
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
            {
                if param.get("$ref").is_none() {
                    found.push((format!("{pointer}/parameters/{i}"), param));
                }
            }
        }
    }
    found
}

/// The root of every schema defined in the spec: components, parameters and media types.
pub fn schemas(doc: &Value) -> Vec<(String, &Value)> {
    let mut found: Vec<_> = components(doc, "schemas").collect();
    for (pointer, param) in parameters(doc) {
        if let Some(schema) = param.get("schema") {
            found.push((format!("{pointer}/schema"), schema));
        }
    }
    for (pointer, media) in media_types(doc) {
        if let Some(schema) = media.get("schema") {
            found.push((format!("{pointer}/schema"), schema));
        }
    }
    found
}

/// Every media type object (`content/<type>`) in request bodies and responses.
pub fn media_types(doc: &Value) -> Vec<(String, &Value)> {
    let mut holders: Vec<(String, &Value)> = Vec::new();
    for kind in ["requestBodies", "responses"] {
        holders.extend(components(doc, kind));
    }
    for (pointer, _, op) in operations(doc) {
        if let Some(body) = op.get("requestBody") {
            holders.push((format!("{pointer}/requestBody"), body));
        }
        for (status, response) in members(op, "responses") {
            holders.push((format!("{pointer}/responses/{}", escape(status)), response));
        }
    }
    let mut found = Vec::new();
    for (pointer, holder) in holders {
        for (media, value) in members(holder, "content") {
            found.push((format!("{pointer}/content/{}", escape(media)), value));
        }
    }
    found
}

/// Calls `visit` on `schema` and each schema nested in it; stops at `$ref`s (their target is
/// visited where it is defined).
pub fn walk_schema(pointer: &str, schema: &Value, visit: &mut dyn FnMut(&str, &Value)) {
    if schema.get("$ref").is_some() || !schema.is_object() {
        return;
    }
    visit(pointer, schema);
    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = schema.get(key).filter(|c| c.is_object()) {
            walk_schema(&format!("{pointer}/{key}"), child, visit);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for (i, child) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            walk_schema(&format!("{pointer}/{key}/{i}"), child, visit);
        }
    }
    for (name, child) in members(schema, "properties") {
        walk_schema(
            &format!("{pointer}/properties/{}", escape(name)),
            child,
            visit,
        );
    }
}
