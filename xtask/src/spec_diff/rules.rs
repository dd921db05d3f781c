//! What changed between two APIs, and whether each change breaks a client.
//!
//! One principle, applied by direction: a request may now accept *more* than before (never
//! less), and a response may now promise *less* variety than before (never more). Two things
//! the generated client does move some answers to "compatible": every generated type is
//! `#[non_exhaustive]` and ignores JSON fields it does not know (so a field added to an answer
//! breaks nobody), and a string enum an answer can hold keeps a value it does not know in its
//! catch-all variant (`Unknown(String)`), so a value added to it breaks nobody either. The
//! Rust client is generated from the spec, so a change that alters its types (a removed field, a
//! changed type or format) breaks its callers even where the wire would tolerate it.
//!
//! | change | in a request | in a response | why |
//! |---|---|---|---|
//! | operation added | compatible | compatible | nobody calls it yet |
//! | operation removed | breaking | breaking | its callers get a 404 |
//! | operation moved (same operationId, new path or method) | breaking | breaking | old clients call the old place |
//! | operationId changed (the wire is the same; the Rust method is renamed) | compatible | compatible | the requests are the same (the Rust level says the rename breaks) |
//! | security scheme added | compatible | compatible | clients that send the old one still do |
//! | security scheme removed or changed (e.g. the key's header renamed) | breaking | breaking | old clients authenticate the old way |
//! | media type changed | breaking | breaking | old clients send or read the old one |
//! | optional parameter added | compatible | - | old clients omit it, which the server accepts |
//! | required parameter added | breaking | - | old clients omit it |
//! | parameter removed | breaking | - | old clients still send it, and it no longer means anything |
//! | parameter location changed (query, path, header) | breaking | - | old clients send it in the old place |
//! | parameter became required | breaking | - | old clients may omit it |
//! | parameter became optional | compatible | - | old clients send it anyway |
//! | optional request body added | compatible | - | old clients send none, which is accepted |
//! | required request body added | breaking | - | old clients send none |
//! | request body removed | breaking | - | old clients still send one |
//! | request body became required | breaking | - | old clients may send none |
//! | request body became optional | compatible | - | old clients send one anyway |
//! | response status added | - | compatible | an old client reports a status it does not know as an unexpected answer, as before |
//! | response status removed | - | breaking | the generated client's types follow the statuses declared (a body type may go) |
//! | optional property added | compatible | compatible | request: old clients omit it; response: clients ignore a field they do not know |
//! | required property added | breaking | compatible | request: old clients omit it; response: as an optional one |
//! | property removed | breaking | breaking | request: old clients still send it; response: clients read it |
//! | property became required | breaking | compatible | request: old clients may omit it; response: clients already handle it present |
//! | property became optional | compatible | breaking | request: old clients send it anyway; response: clients expect it |
//! | type changed | breaking | breaking | neither side reads the other's values any more |
//! | format changed | breaking | breaking | the same type with another meaning (`date-time`, `int64`) |
//! | became nullable | compatible | breaking | request: old clients never send null; response: clients do not expect null |
//! | no longer nullable | breaking | compatible | request: old clients may send null; response: clients handle null and now get none |
//! | enum value added (or enum dropped) | compatible | compatible | request: old clients send the old values; response: the catch-all variant keeps a new value |
//! | enum value removed (or enum introduced) | breaking | compatible | request: old clients may send it; response: clients handle it and now never get it |
//! | bound narrowed (min raised, max lowered, bound added) | breaking | compatible | request: old values may fall outside; response: values clients handle |
//! | bound widened (min lowered, max raised, bound dropped) | compatible | breaking | request: old values still fit; response: clients may not handle the new ones |
//! | `pattern` added (narrowed) / dropped (widened) | as bounds | as bounds | as bounds |
//! | `pattern` changed | breaking | breaking | values of one no longer fit the other |
//! | `default` changed (what an omitted value means) | breaking | breaking | an old client's omission means something else |
//! | `allOf` branch added (more constraints) | breaking | compatible | as a bound narrowed |
//! | `allOf` branch removed | compatible | breaking | as a bound widened |
//!
//! Descriptions, examples and other documentation are not compared. A single-branch `allOf`
//! wrapper (the OpenAPI 3.0 way to put `nullable` next to a `$ref`) is compared as its branch
//! with the wrapper's keywords on top, so wrapping a `$ref` changes only what the wrapper adds.

use std::collections::BTreeSet;

use serde_json::Value;

use super::model::{Api, Operation};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    OperationAdded,
    OperationRemoved,
    OperationMoved,
    OptionalParameterAdded,
    RequiredParameterAdded,
    ParameterRemoved,
    ParameterLocationChanged,
    ParameterBecameRequired,
    ParameterBecameOptional,
    OptionalBodyAdded,
    RequiredBodyAdded,
    BodyRemoved,
    BodyBecameRequired,
    BodyBecameOptional,
    ResponseAdded,
    ResponseRemoved,
    OptionalPropertyAdded,
    RequiredPropertyAdded,
    PropertyRemoved,
    PropertyBecameRequired,
    PropertyBecameOptional,
    TypeChanged,
    FormatChanged,
    BecameNullable,
    NoLongerNullable,
    EnumWidened,
    EnumNarrowed,
    BoundNarrowed,
    BoundWidened,
    OperationIdChanged,
    SecuritySchemeAdded,
    SecuritySchemeChanged,
    MediaTypeChanged,
    PatternChanged,
    DefaultChanged,
    AllOfBranchAdded,
    AllOfBranchRemoved,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

use Kind::*;

/// `(kind, breaking in a request, breaking in a response)`: the table above, as data.
const RULES: &[(Kind, bool, bool)] = &[
    (OperationAdded, false, false),
    (OperationRemoved, true, true),
    (OperationMoved, true, true),
    (OptionalParameterAdded, false, false),
    (RequiredParameterAdded, true, true),
    (ParameterRemoved, true, true),
    (ParameterLocationChanged, true, true),
    (ParameterBecameRequired, true, true),
    (ParameterBecameOptional, false, false),
    (OptionalBodyAdded, false, false),
    (RequiredBodyAdded, true, true),
    (BodyRemoved, true, true),
    (BodyBecameRequired, true, true),
    (BodyBecameOptional, false, false),
    (ResponseAdded, false, false),
    (ResponseRemoved, true, true),
    (OptionalPropertyAdded, false, false),
    (RequiredPropertyAdded, true, false),
    (PropertyRemoved, true, true),
    (PropertyBecameRequired, true, false),
    (PropertyBecameOptional, false, true),
    (TypeChanged, true, true),
    (FormatChanged, true, true),
    (BecameNullable, false, true),
    (NoLongerNullable, true, false),
    // A response's new value lands in the enum's catch-all variant (codegen/catch_all.rs).
    (EnumWidened, false, false),
    (EnumNarrowed, true, false),
    (BoundNarrowed, true, false),
    (BoundWidened, false, true),
    (OperationIdChanged, false, false),
    (SecuritySchemeAdded, false, false),
    (SecuritySchemeChanged, true, true),
    (MediaTypeChanged, true, true),
    (PatternChanged, true, true),
    (DefaultChanged, true, true),
    (AllOfBranchAdded, true, false),
    (AllOfBranchRemoved, false, true),
];

pub fn is_breaking(kind: Kind, direction: Direction) -> bool {
    let &(_, request, response) = RULES
        .iter()
        .find(|(k, _, _)| *k == kind)
        .expect("every kind has a rule");
    match direction {
        Direction::Request => request,
        Direction::Response => response,
    }
}

/// One change, under the operation it affects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// `GET /v1/... (operationId)`.
    pub operation: String,
    pub kind: Kind,
    pub breaking: bool,
    /// What changed, where: "response 200 body: property `contacts[].email` removed".
    pub text: String,
}

pub fn diff(base: &Api, head: &Api) -> Vec<Change> {
    let mut changes = Vec::new();
    let moved_to = |id: &Option<String>, from: &Api| {
        from.operations
            .iter()
            .find(|(_, op)| id.is_some() && op.id == *id)
            .map(|(key, _)| key.clone())
    };
    for (key, old) in &base.operations {
        let label = label(key, old);
        let mut push = |kind, direction, text: String| {
            changes.push(Change {
                operation: label.clone(),
                kind,
                breaking: is_breaking(kind, direction),
                text,
            })
        };
        match head.operations.get(key) {
            Some(new) => diff_operation(old, new, &mut push),
            None => match moved_to(&old.id, head).filter(|k| !base.operations.contains_key(k)) {
                Some(to) => push(
                    OperationMoved,
                    Direction::Request,
                    format!("operation moved to {to}"),
                ),
                None => push(
                    OperationRemoved,
                    Direction::Request,
                    "operation removed".into(),
                ),
            },
        }
    }
    for (key, new) in &head.operations {
        let moved_here = moved_to(&new.id, base).is_some_and(|k| !head.operations.contains_key(&k));
        if !base.operations.contains_key(key) && !moved_here {
            changes.push(Change {
                operation: label(key, new),
                kind: OperationAdded,
                breaking: false,
                text: "operation added".into(),
            });
        }
    }
    diff_security_schemes(base, head, &mut changes);
    changes
}

fn diff_security_schemes(base: &Api, head: &Api, changes: &mut Vec<Change>) {
    let mut push = |name: &str, kind, text: String| {
        changes.push(Change {
            operation: format!("security scheme `{name}`"),
            kind,
            breaking: is_breaking(kind, Direction::Request),
            text,
        })
    };
    for (name, a) in &base.security_schemes {
        match head.security_schemes.get(name) {
            None => push(name, SecuritySchemeChanged, "removed".into()),
            Some(b) if a != b => {
                let mut keys: Vec<&String> = a
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, _)| k)
                    .collect();
                keys.extend(b.as_object().into_iter().flatten().map(|(k, _)| k));
                keys.sort();
                keys.dedup();
                for key in keys.into_iter().filter(|k| *k != "description") {
                    if a.get(key) != b.get(key) {
                        push(
                            name,
                            SecuritySchemeChanged,
                            format!(
                                "`{key}` changed from {} to {}",
                                shown(a.get(key)),
                                shown(b.get(key))
                            ),
                        );
                    }
                }
            }
            Some(_) => {}
        }
    }
    for name in head.security_schemes.keys() {
        if !base.security_schemes.contains_key(name) {
            push(name, SecuritySchemeAdded, "added".into());
        }
    }
}

fn label(key: &str, op: &Operation) -> String {
    match &op.id {
        Some(id) => format!("{key} ({id})"),
        None => key.to_owned(),
    }
}

type Push<'a> = dyn FnMut(Kind, Direction, String) + 'a;

fn diff_operation(old: &Operation, new: &Operation, push: &mut Push) {
    use Direction::*;
    if let (Some(a), Some(b)) = (&old.id, &new.id)
        && a != b
    {
        push(
            OperationIdChanged,
            Request,
            format!("operationId changed from `{a}` to `{b}`"),
        );
    }
    for (place, a) in &old.media_types {
        if let Some(b) = new.media_types.get(place)
            && a != b
        {
            push(
                MediaTypeChanged,
                Request,
                format!("{place}: media type changed from {a:?} to {b:?}"),
            );
        }
    }
    for (name, p) in &old.parameters {
        let place = format!("parameter `{name}`");
        let Some(q) = new.parameters.get(name) else {
            push(ParameterRemoved, Request, format!("{place} removed"));
            continue;
        };
        if p.location != q.location {
            push(
                ParameterLocationChanged,
                Request,
                format!("{place} moved from {} to {}", p.location, q.location),
            );
        }
        match (p.required, q.required) {
            (false, true) => push(
                ParameterBecameRequired,
                Request,
                format!("{place} became required"),
            ),
            (true, false) => push(
                ParameterBecameOptional,
                Request,
                format!("{place} became optional"),
            ),
            _ => {}
        }
        diff_schema(&p.schema, &q.schema, &place, "", Request, push);
    }
    for (name, q) in &new.parameters {
        if !old.parameters.contains_key(name) {
            let (kind, what) = if q.required {
                (RequiredParameterAdded, "required")
            } else {
                (OptionalParameterAdded, "optional")
            };
            push(
                kind,
                Request,
                format!("{what} parameter `{name}` added ({})", q.location),
            );
        }
    }

    match (&old.body, &new.body) {
        (Some(_), None) => push(BodyRemoved, Request, "request body removed".into()),
        (None, Some(b)) if b.required => push(
            RequiredBodyAdded,
            Request,
            "required request body added".into(),
        ),
        (None, Some(_)) => push(
            OptionalBodyAdded,
            Request,
            "optional request body added".into(),
        ),
        (Some(a), Some(b)) => {
            match (a.required, b.required) {
                (false, true) => push(
                    BodyBecameRequired,
                    Request,
                    "request body became required".into(),
                ),
                (true, false) => push(
                    BodyBecameOptional,
                    Request,
                    "request body became optional".into(),
                ),
                _ => {}
            }
            diff_schema(&a.schema, &b.schema, "request body", "", Request, push);
        }
        (None, None) => {}
    }

    for (status, a) in &old.responses {
        let place = format!("response {status}");
        match new.responses.get(status) {
            None => push(ResponseRemoved, Response, format!("{place} removed")),
            Some(b) => {
                let null = Value::Null;
                let (a, b) = (a.as_ref().unwrap_or(&null), b.as_ref().unwrap_or(&null));
                diff_schema(a, b, &format!("{place} body"), "", Response, push);
            }
        }
    }
    for status in new.responses.keys() {
        if !old.responses.contains_key(status) {
            push(ResponseAdded, Response, format!("response {status} added"));
        }
    }
}

/// Compares two resolved schemas; `at` is the path inside the value (`.contacts[].email`).
fn diff_schema(a: &Value, b: &Value, place: &str, at: &str, dir: Direction, push: &mut Push) {
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
    let here = |what: &str| {
        if at.is_empty() {
            format!("{place}: {what}")
        } else {
            format!("{place}: `{}` {what}", at.trim_start_matches('.'))
        }
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
    for (key, kind) in [("type", TypeChanged), ("format", FormatChanged)] {
        if a.get(key) != b.get(key) {
            push(
                kind,
                dir,
                here(&format!(
                    "{key} changed from {} to {}",
                    shown(a.get(key)),
                    shown(b.get(key))
                )),
            );
        }
    }
    let nullable = |s: &Value| s.get("nullable") == Some(&Value::Bool(true));
    match (nullable(a), nullable(b)) {
        (false, true) => push(BecameNullable, dir, here("became nullable")),
        (true, false) => push(NoLongerNullable, dir, here("is no longer nullable")),
        _ => {}
    }
    diff_enum(a.get("enum"), b.get("enum"), &here, dir, push);
    if a.get("default") != b.get("default") {
        push(
            DefaultChanged,
            dir,
            here(&format!(
                "default changed from {} to {}",
                shown(a.get("default")),
                shown(b.get("default"))
            )),
        );
    }
    let pattern_kind = match (a.get("pattern"), b.get("pattern")) {
        (None, Some(_)) => Some(BoundNarrowed),
        (Some(_), None) => Some(BoundWidened),
        (Some(x), Some(y)) if x != y => Some(PatternChanged),
        _ => None,
    };
    if let Some(kind) = pattern_kind {
        push(
            kind,
            dir,
            here(&format!(
                "pattern changed from {} to {}",
                shown(a.get("pattern")),
                shown(b.get("pattern"))
            )),
        );
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
            push(
                kind,
                dir,
                here(&format!(
                    "{key} changed from {} to {}",
                    shown(a.get(key)),
                    shown(b.get(key))
                )),
            );
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
    let empty = serde_json::Map::new();
    let props_a = a
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let props_b = b
        .get("properties")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for (name, pa) in props_a {
        let path = format!("{at}.{name}");
        let prop = |what: &str| {
            format!(
                "{place}: property `{}` {what}",
                path.trim_start_matches('.')
            )
        };
        match props_b.get(name) {
            None => push(PropertyRemoved, dir, prop("removed")),
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
        if req_b.contains(name) {
            push(
                RequiredPropertyAdded,
                dir,
                format!("{place}: required property `{path}` added"),
            );
        } else {
            push(
                OptionalPropertyAdded,
                dir,
                format!("{place}: optional property `{path}` added"),
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
    for key in ["allOf", "anyOf", "oneOf"] {
        let (la, lb) = (
            a.get(key).and_then(Value::as_array),
            b.get(key).and_then(Value::as_array),
        );
        let (la, lb) = (
            la.map(Vec::as_slice).unwrap_or_default(),
            lb.map(Vec::as_slice).unwrap_or_default(),
        );
        for (sa, sb) in la.iter().zip(lb) {
            diff_schema(sa, sb, place, at, dir, push);
        }
        if key == "allOf" {
            for _ in lb.iter().skip(la.len()) {
                push(AllOfBranchAdded, dir, here("`allOf` branch added"));
            }
            for _ in la.iter().skip(lb.len()) {
                push(AllOfBranchRemoved, dir, here("`allOf` branch removed"));
            }
        }
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

fn shown(value: Option<&Value>) -> String {
    match value {
        None => "(none)".into(),
        Some(Value::String(s)) => format!("`{s}`"),
        Some(other) => format!("`{other}`"),
    }
}
