//! Parameters that openapi-spec-validator and Redocly reject and progenitor mishandles: a path
//! parameter that is not `required: true` or not in the path (progenitor panics), a path
//! template variable without a parameter (it panics too), and a parameter declared twice in one
//! list (the last silently wins, so the client's type changes with the order).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::conventions::{escape, operations};
use super::{LintRule, Problem};
use crate::spec::{METHODS, lookup};

pub(super) fn problems(doc: &Value) -> Vec<Problem> {
    let mut found = Vec::new();
    let mut error =
        |rule, pointer: String, message: String| found.push(Problem::new(rule, pointer, message));
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return found;
    };
    let names: BTreeMap<String, String> = operations(doc)
        .into_iter()
        .map(|(pointer, name, _)| (pointer, name))
        .collect();
    for (path, item) in paths {
        let item_pointer = format!("/paths/{}", escape(path));
        let template = template_variables(path);
        let shared = declared(doc, &item_pointer, item.get("parameters"));
        check_list(&shared, &template, path, "", &mut error);
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let op_pointer = format!("{item_pointer}/{method}");
            let name = names.get(&op_pointer).cloned().unwrap_or_default();
            let own = declared(doc, &op_pointer, op.get("parameters"));
            check_list(&own, &template, path, &format!("{name}: "), &mut error);
            // Operation-level parameters override path-level ones of the same name and place.
            let in_path: BTreeSet<&str> = shared
                .iter()
                .chain(&own)
                .filter(|p| p.location == "path")
                .map(|p| p.name.as_str())
                .collect();
            for variable in &template {
                if !in_path.contains(variable.as_str()) {
                    error(
                        LintRule::PathVariableUndeclared,
                        op_pointer.clone(),
                        format!(
                            "{name}: path template variable `{{{variable}}}` of `{path}` has no \
                             `in: path` parameter (progenitor cannot generate this operation)"
                        ),
                    );
                }
            }
        }
    }
    found
}

/// A parameter as declared (a `$ref` followed), with the pointer where it is listed.
struct Declared {
    pointer: String,
    name: String,
    location: String,
    required: Option<Value>,
}

fn declared(doc: &Value, holder: &str, list: Option<&Value>) -> Vec<Declared> {
    let mut out = Vec::new();
    for (i, param) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let param = match param.get("$ref").and_then(Value::as_str) {
            Some(reference) => match lookup(doc, reference) {
                Some(target) => target,
                None => continue, // reported as a dangling $ref
            },
            None => param,
        };
        let text = |key: &str| {
            param
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned()
        };
        out.push(Declared {
            pointer: format!("{holder}/parameters/{i}"),
            name: text("name"),
            location: text("in"),
            required: param.get("required").cloned(),
        });
    }
    out
}

fn check_list(
    list: &[Declared],
    template: &BTreeSet<String>,
    path: &str,
    name: &str,
    error: &mut impl FnMut(LintRule, String, String),
) {
    let mut seen: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for param in list {
        let (p, location) = (&param.name, param.location.as_str());
        if let Some(first) = seen.insert((p, location), &param.pointer) {
            error(
                LintRule::ParameterDeclaredTwice,
                param.pointer.clone(),
                format!(
                    "{name}parameter `{p}` ({location}) is declared twice, also at {first}; \
                     the last one silently wins"
                ),
            );
        }
        if location != "path" {
            continue;
        }
        if param.required != Some(Value::Bool(true)) {
            error(
                LintRule::PathParameterNotRequired,
                format!("{}/required", param.pointer),
                format!("{name}path parameter `{p}` must be `required: true` (OpenAPI 3.0)"),
            );
        }
        if !template.contains(p) {
            error(
                LintRule::PathParameterNotInPath,
                param.pointer.clone(),
                format!("{name}path parameter `{p}` does not appear in `{path}`"),
            );
        }
    }
}

/// `{a}` and `{b}` of `/v1/{a}/x/{b}`.
fn template_variables(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(v, _)| v.to_owned()))
        .collect()
}
