//! What changed inside a schema, and in which direction it travels (a request's schema may
//! accept more, a response's promise less); every `$ref` is inlined already.
//!
//! Descriptions, examples and other documentation are not compared. A single-branch `allOf`
//! wrapper (the OpenAPI 3.0 way to put `nullable` next to a `$ref`) is compared as its branch
//! with the wrapper's keywords on top, so wrapping a `$ref` changes only what the wrapper adds.

use std::collections::BTreeSet;

use serde_json::Value;

use super::kinds::{Direction, NOT_DEPRECATED_FIRST, SchemaChange, SchemaChange::*};
use super::model::is_true;
use crate::spec::walk::members;

/// Where a schema change is reported: the kind, the direction the schema travels, the text.
pub(super) type Push<'a> = dyn FnMut(SchemaChange, Direction, String) + 'a;

/// Compares two resolved schemas; `at` is the path inside the value (`.contacts[].email`).
pub(super) fn diff_schema(
    a: &Value,
    b: &Value,
    place: &str,
    at: &str,
    dir: Direction,
    push: &mut Push,
) {
    if a == b {
        return;
    }
    // Unwrapped only when the other side is not a real multi-branch `allOf`, whose branches
    // are then compared one by one.
    let multi = |s: &Value| {
        s.get("allOf")
            .and_then(Value::as_array)
            .is_some_and(|l| l.len() > 1)
    };
    // A plain schema facing a multi-branch `allOf` is compared as its first branch:
    // `X` -> `allOf: [X, Y]` is one branch added, not X's every keyword removed.
    let against_multi = |s: &Value| {
        if s.get("allOf").is_some() {
            s.clone()
        } else {
            serde_json::json!({ "allOf": [s] })
        }
    };
    let (a, b) = (
        &if multi(b) {
            against_multi(a)
        } else {
            unwrap_single_all_of(a)
        },
        &if multi(a) {
            against_multi(b)
        } else {
            unwrap_single_all_of(b)
        },
    );
    if a == b {
        return;
    }
    let site = Site { place, at, dir };
    let here = |what: &str| site.says(what);
    // `key` (a keyword both sides may hold) changed, said with both values.
    let changed = |key: &str| {
        here(&format!(
            "{key} changed from {} to {}",
            shown(a.get(key)),
            shown(b.get(key))
        ))
    };
    // A body that appears or disappears is a type change from/to "nothing".
    if a.is_null() || b.is_null() {
        let (from, to) = (type_name(a), type_name(b));
        push(
            TypeChanged,
            dir,
            here(&format!("type changed from {from} to {to}")),
        );
        return;
    }
    // A plain schema that becomes a choice (or the other way) is compared branch by branch.
    let choice = |s: &Value| s.get("oneOf").is_some() || s.get("anyOf").is_some();
    let wrapped = choice(a) != choice(b);
    for (key, kind) in [("type", TypeChanged), ("format", FormatChanged)] {
        if a.get(key) != b.get(key) && !wrapped {
            // Every integer is a number: that change narrows or widens, as a bound does.
            let kind = match (
                a.get(key).and_then(Value::as_str),
                b.get(key).and_then(Value::as_str),
            ) {
                (Some("integer"), Some("number")) if key == "type" => TypeGeneralized,
                (Some("number"), Some("integer")) if key == "type" => TypeSpecialized,
                _ => kind,
            };
            push(kind, dir, changed(key));
        }
    }
    let nullable = |s: &Value| is_true(s, "nullable");
    match (nullable(a), nullable(b)) {
        (false, true) => push(BecameNullable, dir, here("became nullable")),
        (true, false) => push(NoLongerNullable, dir, here("is no longer nullable")),
        _ => {}
    }
    diff_enum(a.get("enum"), b.get("enum"), &here, dir, push);
    // Zalando's open enum: its values are the known ones, and a value removed is one old
    // clients may still send (an enum narrowed); added values are a widened enum.
    if let (Some(xa), Some(xb)) = (a.get("x-extensible-enum"), b.get("x-extensible-enum")) {
        let extensible = |what: &str| {
            here(&format!(
                "`x-extensible-enum` {}",
                what.trim_start_matches("enum ")
            ))
        };
        diff_enum(Some(xa), Some(xb), &extensible, dir, push);
    }
    if a.get("default") != b.get("default") {
        push(DefaultChanged, dir, changed("default"));
    }
    // A pattern that matches everything says nothing.
    let pattern = |s: &Value| {
        s.get("pattern")
            .filter(|p| !matches!(p.as_str(), Some("" | ".*" | "^.*$" | "^.*" | ".*$")))
            .cloned()
    };
    let pattern_kind = match (pattern(a), pattern(b)) {
        (None, Some(_)) => Some(BoundNarrowed),
        (Some(_), None) => Some(BoundWidened),
        (Some(x), Some(y)) if x != y => Some(PatternChanged),
        _ => None,
    };
    if !is_true(a, "deprecated") && is_true(b, "deprecated") {
        push(Deprecated, dir, here("deprecated"));
    }
    if let Some(kind) = pattern_kind {
        push(kind, dir, changed("pattern"));
    }
    for (key, upper) in [
        ("minimum", false),
        ("minLength", false),
        ("minItems", false),
        ("maximum", true),
        ("maxLength", true),
        ("maxItems", true),
    ] {
        let (x, y) = (
            a.get(key).and_then(Value::as_f64),
            b.get(key).and_then(Value::as_f64),
        );
        let narrowed = match (x, y) {
            (None, Some(_)) => Some(true),
            (Some(_), None) => Some(false),
            (Some(x), Some(y)) if x != y => Some((y < x) == upper),
            _ => None,
        };
        if let Some(narrowed) = narrowed {
            let kind = if narrowed {
                BoundNarrowed
            } else {
                BoundWidened
            };
            push(kind, dir, changed(key));
        }
    }

    let required = |s: &Value| -> BTreeSet<String> {
        s.get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect()
    };
    let (req_a, req_b) = (required(a), required(b));
    // A request never carries a `readOnly` property, a response never a `writeOnly` one: each
    // side is compared as what travels in this direction.
    let hidden = match dir {
        Direction::Request => "readOnly",
        Direction::Response => "writeOnly",
    };
    let travels = |s: &Value| -> serde_json::Map<String, Value> {
        members(s, "properties")
            .filter(|(_, p)| !is_true(p, hidden))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    };
    let (props_a, props_b) = (&travels(a), &travels(b));
    let was_hidden = |name: &str| {
        a.get("properties")
            .and_then(|p| p.get(name))
            .is_some_and(|p| is_true(p, hidden))
    };
    for (name, pa) in props_a {
        let path = format!("{at}.{name}");
        let prop = |what: &str| {
            format!(
                "{place}: property `{}` {what}",
                path.trim_start_matches('.')
            )
        };
        match props_b.get(name) {
            None => {
                let first = if is_true(pa, "deprecated") {
                    ""
                } else {
                    NOT_DEPRECATED_FIRST
                };
                push(PropertyRemoved, dir, prop(&format!("removed{first}")))
            }
            Some(pb) => {
                match (req_a.contains(name), req_b.contains(name)) {
                    (false, true) => push(PropertyBecameRequired, dir, prop("became required")),
                    (true, false) => push(PropertyBecameOptional, dir, prop("became optional")),
                    _ => {}
                }
                diff_schema(pa, pb, place, &path, dir, push);
            }
        }
    }
    for name in props_b.keys().filter(|n| !props_a.contains_key(*n)) {
        let path = format!("{at}.{name}").trim_start_matches('.').to_owned();
        // A property that stops being read-only now travels in requests too.
        let why = if was_hidden(name) {
            format!(" (no longer {hidden})")
        } else {
            String::new()
        };
        if req_b.contains(name) {
            push(
                RequiredPropertyAdded,
                dir,
                format!("{place}: required property `{path}` added{why}"),
            );
        } else {
            push(
                OptionalPropertyAdded,
                dir,
                format!("{place}: optional property `{path}` added{why}"),
            );
        }
    }

    if let (Some(ia), Some(ib)) = (a.get("items"), b.get("items")) {
        diff_schema(ia, ib, place, &format!("{at}[]"), dir, push);
    }
    // `additionalProperties: true` allows any value: the empty schema.
    let any = Value::Object(serde_json::Map::new());
    let extra = |s: &'_ Value| match s.get("additionalProperties") {
        Some(Value::Bool(true)) => Some(any.clone()),
        other => other.filter(|x| x.is_object()).cloned(),
    };
    if let (Some(xa), Some(xb)) = (extra(a), extra(b)) {
        diff_schema(&xa, &xb, place, &format!("{at}{{*}}"), dir, push);
    }
    diff_all_of(a, b, site, push);
    diff_choice(a, b, site, push);
}

/// Where a change inside a schema comparison stands: the report's place, the path inside the
/// value (`.contacts[].email`), the direction the schema travels.
#[derive(Clone, Copy)]
struct Site<'a> {
    place: &'a str,
    at: &'a str,
    dir: Direction,
}

impl Site<'_> {
    /// `what`, said at this site: "PLACE: `at` what", or "PLACE: what" at the root.
    fn says(&self, what: &str) -> String {
        if self.at.is_empty() {
            format!("{}: {what}", self.place)
        } else {
            format!(
                "{}: `{}` {what}",
                self.place,
                self.at.trim_start_matches('.')
            )
        }
    }
}

fn branches<'a>(schema: &'a Value, key: &str) -> &'a [Value] {
    schema
        .get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn diff_all_of(a: &Value, b: &Value, site: Site, push: &mut Push) {
    let Site { place, at, dir } = site;
    let here = |what: &str| site.says(what);
    let (la, lb) = (branches(a, "allOf"), branches(b, "allOf"));
    for (sa, sb) in la.iter().zip(lb) {
        diff_schema(sa, sb, place, at, dir, push);
    }
    for _ in lb.iter().skip(la.len()) {
        push(AllOfBranchAdded, dir, here("`allOf` branch added"));
    }
    for _ in la.iter().skip(lb.len()) {
        push(AllOfBranchRemoved, dir, here("`allOf` branch removed"));
    }
}

/// `oneOf` and `anyOf`: the branches matched (equal ones, then by `title`, then by `type`), a
/// switch between the two, and a list of plain types compared as the types it accepts.
fn diff_choice(a: &Value, b: &Value, site: Site, push: &mut Push) {
    let Site { place, at, dir } = site;
    let here = |what: &str| site.says(what);
    let choice = |s: &Value| {
        ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| s.get(*k).is_some_and(Value::is_array))
    };
    let (ka, kb) = match (choice(a), choice(b)) {
        (None, None) => return,
        (Some(k), None) => (k, k),
        (None, Some(k)) => (k, k),
        (Some(x), Some(y)) => (x, y),
    };
    // A plain schema facing a choice is a choice of one: `X` -> `oneOf: [X, Y]` adds Y.
    let list = |s: &Value, k: &str| -> Vec<Value> {
        match s.get(k).and_then(Value::as_array) {
            Some(l) => l.clone(),
            None if choice(s).is_none() => {
                let mut plain = s.as_object().cloned().unwrap_or_default();
                for key in ["nullable", "description", "deprecated", "default"] {
                    plain.remove(key);
                }
                vec![Value::Object(plain)]
            }
            None => Vec::new(),
        }
    };
    let (la, lb) = (list(a, ka), list(b, kb));
    match (ka, kb) {
        ("oneOf", "anyOf") => push(OneOfBecameAnyOf, dir, here("`oneOf` became `anyOf`")),
        ("anyOf", "oneOf") => push(AnyOfBecameOneOf, dir, here("`anyOf` became `oneOf`")),
        _ => {}
    }
    let plain_type = |s: &Value| -> Option<String> {
        let map = s.as_object()?;
        let ty = map.get("type")?.as_str()?;
        let only_type = map
            .keys()
            .all(|k| matches!(k.as_str(), "type" | "format" | "description" | "title"));
        (only_type && ty != "object" && ty != "array").then(|| ty.to_owned())
    };
    let types = |l: &[Value]| -> Option<BTreeSet<String>> { l.iter().map(plain_type).collect() };
    if let (Some(ta), Some(tb)) = (types(&la), types(&lb)) {
        let covers = |set: &BTreeSet<String>, t: &str| {
            set.contains(t) || (t == "integer" && set.contains("number"))
        };
        let added: Vec<&String> = tb.iter().filter(|t| !covers(&ta, t)).collect();
        let removed: Vec<&String> = ta.iter().filter(|t| !covers(&tb, t)).collect();
        if !added.is_empty() {
            push(
                TypesWidened,
                dir,
                here(&format!("types widened from {ta:?} to {tb:?}")),
            );
        }
        if !removed.is_empty() {
            push(
                TypesNarrowed,
                dir,
                here(&format!("types narrowed from {ta:?} to {tb:?}")),
            );
        }
        return;
    }
    let mut unmatched_b: Vec<usize> = (0..lb.len()).collect();
    let mut unmatched_a = Vec::new();
    for sa in &la {
        let title = sa.get("title");
        let ty = sa.get("type");
        let found = unmatched_b
            .iter()
            .position(|&j| lb[j] == *sa)
            .or_else(|| {
                title.and_then(|t| {
                    unmatched_b
                        .iter()
                        .position(|&j| lb[j].get("title") == Some(t))
                })
            })
            .or_else(|| unmatched_b.iter().position(|&j| lb[j].get("type") == ty));
        match found {
            Some(i) => {
                let j = unmatched_b.remove(i);
                diff_schema(sa, &lb[j], place, at, dir, push);
            }
            None => unmatched_a.push(sa),
        }
    }
    let (added, removed) = if kb == "oneOf" {
        (OneOfBranchAdded, OneOfBranchRemoved)
    } else {
        (AnyOfBranchAdded, AnyOfBranchRemoved)
    };
    for _ in &unmatched_b {
        push(added, dir, here(&format!("`{kb}` branch added")));
    }
    for _ in &unmatched_a {
        push(removed, dir, here(&format!("`{kb}` branch removed")));
    }
}

/// `{nullable: true, allOf: [X]}` as X with `nullable: true`: OpenAPI 3.0 ignores siblings of a
/// `$ref`, so this wrapper is how a referenced schema gets `nullable` or a description, and it
/// says nothing else. Generated code is the same either way.
fn unwrap_single_all_of(schema: &Value) -> Value {
    let Some(Value::Array(branches)) = schema.get("allOf") else {
        return schema.clone();
    };
    let ([branch], Some(wrapper)) = (branches.as_slice(), schema.as_object()) else {
        return schema.clone();
    };
    let Some(mut merged) = branch.as_object().cloned() else {
        return schema.clone();
    };
    for (key, value) in wrapper.iter().filter(|(k, _)| *k != "allOf") {
        merged.insert(key.clone(), value.clone());
    }
    Value::Object(merged)
}

fn diff_enum(
    a: Option<&Value>,
    b: Option<&Value>,
    here: &dyn Fn(&str) -> String,
    dir: Direction,
    push: &mut Push,
) {
    let values = |v: Option<&Value>| -> Option<Vec<String>> {
        v.and_then(Value::as_array)
            .map(|l| l.iter().map(Value::to_string).collect())
    };
    match (values(a), values(b)) {
        (None, Some(_)) => push(EnumNarrowed, dir, here("is now restricted to an enum")),
        (Some(_), None) => push(EnumWidened, dir, here("is no longer restricted to an enum")),
        (Some(va), Some(vb)) => {
            for value in va.iter().filter(|v| !vb.contains(v)) {
                push(
                    EnumNarrowed,
                    dir,
                    here(&format!("enum value {value} removed")),
                );
            }
            for value in vb.iter().filter(|v| !va.contains(v)) {
                push(EnumWidened, dir, here(&format!("enum value {value} added")));
            }
        }
        (None, None) => {}
    }
}

fn type_name(schema: &Value) -> String {
    if schema.is_null() {
        "no body".into()
    } else {
        shown(schema.get("type"))
    }
}

pub(super) fn shown(value: Option<&Value>) -> String {
    match value {
        None => "(none)".into(),
        Some(Value::String(s)) => format!("`{s}`"),
        Some(other) => format!("`{other}`"),
    }
}
