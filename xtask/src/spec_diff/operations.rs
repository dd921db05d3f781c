//! What changed between two APIs, operation by operation: the operations themselves, their
//! parameters, bodies, responses and media types. Changes inside a schema are `schemas.rs`'s,
//! the API's security `security.rs`'s; each kind's verdict is in `kinds.rs`.

use serde_json::Value;

use super::kinds::{Change, Direction, Kind, Kind::*, NOT_DEPRECATED_FIRST, SchemaChange};
use super::model::{Api, Bodies, Operation, Security};
use super::schemas::diff_schema;
use super::security::{diff_operation_security, diff_security};

/// Every change from `base` to `head`, operations in key order, then the security schemes.
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
        let mut push = |kind, text: String| {
            changes.push(Change {
                operation: label.clone(),
                kind,
                text,
            })
        };
        match head.operations.get(key) {
            Some(new) => {
                let mut found = Vec::new();
                diff_operation((old, &base.security), (new, &head.security), &mut found);
                for (kind, text) in found {
                    push(kind, text);
                }
            }
            None => match moved_to(&old.id, head).filter(|k| !base.operations.contains_key(k)) {
                Some(to) => push(OperationMoved, format!("operation moved to {to}")),
                None => {
                    let first = if old.deprecated {
                        ""
                    } else {
                        NOT_DEPRECATED_FIRST
                    };
                    push(OperationRemoved, format!("operation removed{first}"))
                }
            },
        }
    }
    for (key, new) in &head.operations {
        let moved_here = moved_to(&new.id, base).is_some_and(|k| !head.operations.contains_key(&k));
        if !base.operations.contains_key(key) && !moved_here {
            changes.push(Change {
                operation: label(key, new),
                kind: OperationAdded,
                text: "operation added".into(),
            });
        }
    }
    diff_security(base, head, &mut changes);
    changes
}

fn label(key: &str, op: &Operation) -> String {
    match &op.id {
        Some(id) => format!("{key} ({id})"),
        None => key.to_owned(),
    }
}

/// What changed in one operation, as (kind, text) in the order found.
type Found = Vec<(Kind, String)>;

fn add(out: &mut Found, kind: Kind, text: String) {
    out.push((kind, text));
}

/// `place` became required or optional from one side to the other: `kinds` are the two kinds
/// (became required, became optional).
fn required_changed(out: &mut Found, place: &str, (was, is): (bool, bool), kinds: (Kind, Kind)) {
    match (was, is) {
        (false, true) => add(out, kinds.0, format!("{place} became required")),
        (true, false) => add(out, kinds.1, format!("{place} became optional")),
        _ => {}
    }
}

/// Where `diff_schema` reports into `out`.
fn schemas(out: &mut Found) -> impl FnMut(SchemaChange, Direction, String) + '_ {
    |change, direction, text| out.push((Kind::schema(direction, change), text))
}

fn diff_operation(
    (old, old_root): (&Operation, &Security),
    (new, new_root): (&Operation, &Security),
    out: &mut Found,
) {
    use Direction::*;
    if let (Some(a), Some(b)) = (&old.id, &new.id)
        && a != b
    {
        add(
            out,
            OperationIdChanged,
            format!("operationId changed from `{a}` to `{b}`"),
        );
    }
    match (old.deprecated, new.deprecated) {
        (false, true) => add(out, OperationDeprecated, "operation deprecated".into()),
        (true, false) => add(out, OperationReactivated, "no longer deprecated".into()),
        _ => {}
    }
    for (place, a) in &old.media_types {
        let Some(b) = new.media_types.get(place) else {
            continue;
        };
        let request = place.starts_with("request");
        for removed in a.iter().filter(|m| !b.contains(m)) {
            let kind = if request {
                RequestMediaTypeRemoved
            } else {
                ResponseMediaTypeRemoved
            };
            add(
                out,
                kind,
                format!("{place}: media type `{removed}` removed"),
            );
        }
        for added in b.iter().filter(|m| !a.contains(m)) {
            let kind = if request {
                RequestMediaTypeAdded
            } else {
                ResponseMediaTypeAdded
            };
            add(out, kind, format!("{place}: media type `{added}` added"));
        }
    }
    diff_operation_security((old, old_root), (new, new_root), out);
    for (name, p) in &old.parameters {
        let place = format!("parameter `{name}`");
        let Some(q) = new.parameters.get(name) else {
            let first = if p.deprecated {
                ""
            } else {
                NOT_DEPRECATED_FIRST
            };
            add(out, ParameterRemoved, format!("{place} removed{first}"));
            continue;
        };
        if q.deprecated && !p.deprecated {
            add(out, ParameterDeprecated, format!("{place} deprecated"));
        }
        if p.location != q.location {
            add(
                out,
                ParameterLocationChanged,
                format!("{place} moved from {} to {}", p.location, q.location),
            );
        }
        let kinds = (ParameterBecameRequired, ParameterBecameOptional);
        required_changed(out, &place, (p.required, q.required), kinds);
        diff_schema(&p.schema, &q.schema, &place, "", Request, &mut schemas(out));
    }
    for (name, q) in &new.parameters {
        if !old.parameters.contains_key(name) {
            let (kind, what) = if q.required {
                (RequiredParameterAdded, "required")
            } else {
                (OptionalParameterAdded, "optional")
            };
            add(
                out,
                kind,
                format!("{what} parameter `{name}` added ({})", q.location),
            );
        }
    }

    match (&old.body, &new.body) {
        (Some(_), None) => add(out, BodyRemoved, "request body removed".into()),
        (None, Some(b)) if b.required => {
            add(out, RequiredBodyAdded, "required request body added".into())
        }
        (None, Some(_)) => add(out, OptionalBodyAdded, "optional request body added".into()),
        (Some(a), Some(b)) => {
            let kinds = (BodyBecameRequired, BodyBecameOptional);
            required_changed(out, "request body", (a.required, b.required), kinds);
            diff_bodies(&a.schemas, &b.schemas, "request body", Request, out);
        }
        (None, None) => {}
    }

    for (status, a) in &old.responses {
        let place = format!("response {status}");
        match new.responses.get(status) {
            None => add(out, ResponseRemoved, format!("{place} removed")),
            Some(b) => diff_bodies(a, b, &format!("{place} body"), Response, out),
        }
    }
    for status in new.responses.keys() {
        if !old.responses.contains_key(status) {
            add(out, ResponseAdded, format!("response {status} added"));
        }
    }
    diff_headers(old, new, out);
}

/// The schemas of the media types both sides have, each against its own; a change found under
/// several media types is said once. With no media type in common (one side has none, or every
/// one was replaced, which the media type rules report), the JSON schema (else the first) of
/// each side is compared, as a client that switched would see it.
fn diff_bodies(a: &Bodies, b: &Bodies, place: &str, dir: Direction, out: &mut Found) {
    let common: Vec<(&Value, &Value)> = a
        .iter()
        .filter_map(|(media, x)| b.iter().find(|(m, _)| m == media).map(|(_, y)| (x, y)))
        .collect();
    let pairs = if common.is_empty() {
        vec![(primary(a), primary(b))]
    } else {
        common
    };
    for (x, y) in pairs {
        let mut found = Vec::new();
        diff_schema(x, y, place, "", dir, &mut schemas(&mut found));
        for change in found {
            if !out.contains(&change) {
                out.push(change);
            }
        }
    }
}

/// The `application/json` schema, else the first media type's; `Null` without one.
fn primary(bodies: &Bodies) -> &Value {
    const NONE: &Value = &Value::Null;
    bodies
        .iter()
        .find(|(m, _)| m == "application/json")
        .or_else(|| bodies.first())
        .map_or(NONE, |(_, schema)| schema)
}

fn diff_headers(old: &Operation, new: &Operation, out: &mut Found) {
    let none = Default::default();
    for (status, a) in &old.headers {
        // A status removed is reported as such.
        let Some(b) = new.headers.get(status) else {
            continue;
        };
        for (name, ha) in a {
            let place = format!("response {status} header `{name}`");
            let Some(hb) = b.get(name) else {
                add(out, ResponseHeaderRemoved, format!("{place} removed"));
                continue;
            };
            let kinds = (ResponseHeaderBecameRequired, ResponseHeaderBecameOptional);
            required_changed(out, &place, (ha.required, hb.required), kinds);
            diff_schema(
                &ha.schema,
                &hb.schema,
                &place,
                "",
                Direction::Response,
                &mut schemas(out),
            );
        }
    }
    for (status, b) in &new.headers {
        let a = old.headers.get(status).unwrap_or(&none);
        if !old.headers.contains_key(status) {
            continue;
        }
        for name in b.keys().filter(|n| !a.contains_key(*n)) {
            add(
                out,
                ResponseHeaderAdded,
                format!("response {status} header `{name}` added"),
            );
        }
    }
}
