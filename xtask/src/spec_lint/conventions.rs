//! The project's conventions, checked on the spec as JSON so every problem carries its pointer.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::{LintRule, Problem};
use crate::spec::lookup;
pub use crate::spec::walk::{escape, media_types, operations, parameters, schemas, walk_schema};

pub(super) fn problems(doc: &Value) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut report =
        |rule, pointer: String, message: String| out.push(Problem::new(rule, pointer, message));
    check_refs(doc, "", doc, &mut report);
    check_operations(doc, &mut report);
    check_descriptions(doc, &mut report);
    check_unused_components(doc, &mut report);
    check_security_requirements(doc, &mut report);
    out
}

/// A security requirement names a scheme of `components/securitySchemes` (Redocly's
/// `security-defined`): otherwise no client knows how to send the key.
fn check_security_requirements(doc: &Value, report: &mut Report) {
    let defined = doc.pointer("/components/securitySchemes");
    let mut holders = vec![(String::new(), doc)];
    holders.extend(
        operations(doc)
            .into_iter()
            .map(|(pointer, _, op)| (pointer, op)),
    );
    for (pointer, holder) in holders {
        let requirements = holder.get("security").and_then(Value::as_array);
        for (i, requirement) in requirements.into_iter().flatten().enumerate() {
            for name in requirement
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k)
            {
                if defined.and_then(|d| d.get(name)).is_none() {
                    report(
                        LintRule::SecuritySchemeUndefined,
                        format!("{pointer}/security/{i}/{}", escape(name)),
                        format!(
                            "security scheme `{name}` is not defined in components/securitySchemes"
                        ),
                    );
                }
            }
        }
    }
}

type Report<'a> = dyn FnMut(LintRule, String, String) + 'a;

/// A `$ref` that points nowhere makes progenitor fail: an error.
fn check_refs(doc: &Value, pointer: &str, value: &Value, report: &mut Report) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref")
                && lookup(doc, reference).is_none()
            {
                // Name the operation when the $ref is inside one, as the other errors do.
                let within = operations(doc)
                    .into_iter()
                    .find(|(op, _, _)| pointer.starts_with(&format!("{op}/")))
                    .map(|(_, name, _)| format!("{name}: "))
                    .unwrap_or_default();
                report(
                    LintRule::UnresolvedRef,
                    format!("{pointer}/$ref"),
                    format!("{within}`{reference}` does not resolve"),
                );
            }
            for (key, child) in map {
                check_refs(doc, &format!("{pointer}/{}", escape(key)), child, report);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                check_refs(doc, &format!("{pointer}/{i}"), child, report);
            }
        }
        _ => {}
    }
}

fn check_operations(doc: &Value, report: &mut Report) {
    let mut ids: HashMap<&str, String> = HashMap::new();
    for (pointer, name, op) in operations(doc) {
        match op.get("operationId").and_then(Value::as_str) {
            None => report(
                LintRule::OperationIdMissing,
                pointer.clone(),
                format!("{name}: no operationId; progenitor names the client method after it"),
            ),
            Some(id) => {
                if let Some(first) = ids.get(id) {
                    report(
                        LintRule::OperationIdDuplicate,
                        format!("{pointer}/operationId"),
                        format!("{name}: operationId `{id}` is also used at {first}"),
                    );
                } else {
                    ids.insert(id, pointer.clone());
                }
            }
        }
        if !non_empty_str(op.get("summary")) {
            report(
                LintRule::OperationSummary,
                pointer.clone(),
                format!("{name}: no summary"),
            );
        }
        if op
            .get("tags")
            .and_then(Value::as_array)
            .is_none_or(Vec::is_empty)
        {
            report(
                LintRule::OperationTags,
                pointer.clone(),
                format!("{name}: no tags"),
            );
        }
        check_success_response(doc, &pointer, &name, op, report);
    }
}

/// Every 2xx response has an `application/json` body. Several 2xx statuses are fine ("200 or
/// 201" where the reference does not say which): progenitor generates one type for them when
/// their bodies agree, and the progenitor rules report an error when they do not.
fn check_success_response(doc: &Value, pointer: &str, name: &str, op: &Value, report: &mut Report) {
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        return;
    };
    // No 2xx at all: the progenitor rules report that one as an error.
    for status in responses.keys().filter(|k| k.starts_with('2')) {
        let response = resolve(doc, &responses[status.as_str()]);
        let json = response
            .get("content")
            .and_then(|c| c.get("application/json"))
            .is_some();
        if !json {
            report(
                LintRule::SuccessResponseJson,
                format!("{pointer}/responses/{}", escape(status)),
                format!("{name}: success response {status} has no application/json body"),
            );
        }
    }
}

/// Every parameter and every schema property says what it is. A `$ref` cannot carry a
/// description in OpenAPI 3.0 (siblings of `$ref` are ignored), so a referenced parameter is
/// checked where it is defined and a property that is a `$ref` needs its target described.
fn check_descriptions(doc: &Value, report: &mut Report) {
    for (pointer, param) in parameters(doc) {
        if !non_empty_str(param.get("description")) {
            let name = param.get("name").and_then(Value::as_str).unwrap_or("?");
            report(
                LintRule::ParameterDescription,
                pointer,
                format!("parameter `{name}` has no description"),
            );
        }
    }
    for (pointer, schema) in schemas(doc) {
        walk_schema(&pointer, schema, &mut |pointer, schema| {
            let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
                return;
            };
            for (name, property) in properties {
                let described = match property.get("$ref").and_then(Value::as_str) {
                    Some(reference) => {
                        non_empty_str(lookup(doc, reference).and_then(|t| t.get("description")))
                    }
                    None => non_empty_str(property.get("description")),
                };
                if !described {
                    report(
                        LintRule::PropertyDescription,
                        format!("{pointer}/properties/{}", escape(name)),
                        format!("property `{name}` has no description"),
                    );
                }
            }
        });
    }
}

/// Every component is reachable from `paths` (or, for security schemes, named in `security`).
fn check_unused_components(doc: &Value, report: &mut Report) {
    let Some(components) = doc.get("components").and_then(Value::as_object) else {
        return;
    };
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut todo: Vec<String> = Vec::new();
    for (key, value) in doc.as_object().into_iter().flatten() {
        if key != "components" {
            collect_refs(value, &mut todo);
        }
    }
    while let Some(reference) = todo.pop() {
        if used.insert(reference.clone())
            && let Some(target) = lookup(doc, &reference)
        {
            collect_refs(target, &mut todo);
        }
    }
    let mut security_names = BTreeSet::new();
    let requirements = std::iter::once(doc.get("security")).chain(
        operations(doc)
            .into_iter()
            .map(|(_, _, op)| op.get("security")),
    );
    for requirement in requirements.flatten().filter_map(Value::as_array).flatten() {
        if let Some(names) = requirement.as_object() {
            security_names.extend(names.keys().cloned());
        }
    }
    for (kind, entries) in components {
        let Some(entries) = entries.as_object() else {
            continue;
        };
        for name in entries.keys() {
            let pointer = format!("/components/{}/{}", escape(kind), escape(name));
            let is_used = if kind == "securitySchemes" {
                security_names.contains(name)
            } else {
                used.contains(&format!("#{pointer}"))
            };
            if !is_used {
                report(
                    LintRule::ComponentUnused,
                    pointer,
                    format!("component `{name}` is not used"),
                );
            }
        }
    }
}

fn collect_refs(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                into.push(reference.clone());
            }
            map.values().for_each(|v| collect_refs(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => lookup(doc, reference).unwrap_or(value),
        None => value,
    }
}

fn non_empty_str(value: Option<&Value>) -> bool {
    value
        .and_then(Value::as_str)
        .is_some_and(|s| !s.trim().is_empty())
}
