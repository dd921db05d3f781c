//! What changed between two APIs, operation by operation: the operations themselves, their
//! parameters, bodies, responses and media types. Changes inside a schema are `schemas.rs`'s,
//! the API's security `security.rs`'s; each kind's verdict is in `kinds.rs`.

use serde_json::Value;

use super::kinds::{Change, Direction, Kind, Kind::*, SchemaChange};
use super::model::{Api, Operation};
use super::schemas::diff_schema;
use super::security::diff_security_schemes;

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
                diff_operation(old, new, &mut found);
                for (kind, text) in found {
                    push(kind, text);
                }
            }
            None => match moved_to(&old.id, head).filter(|k| !base.operations.contains_key(k)) {
                Some(to) => push(OperationMoved, format!("operation moved to {to}")),
                None => push(OperationRemoved, "operation removed".into()),
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
    diff_security_schemes(base, head, &mut changes);
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

/// Where `diff_schema` reports into `out`.
fn schemas(out: &mut Found) -> impl FnMut(SchemaChange, Direction, String) + '_ {
    |change, direction, text| out.push((Kind::schema(direction, change), text))
}

fn diff_operation(old: &Operation, new: &Operation, out: &mut Found) {
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
    for (place, a) in &old.media_types {
        if let Some(b) = new.media_types.get(place)
            && a != b
        {
            add(
                out,
                MediaTypeChanged,
                format!("{place}: media type changed from {a:?} to {b:?}"),
            );
        }
    }
    for (name, p) in &old.parameters {
        let place = format!("parameter `{name}`");
        let Some(q) = new.parameters.get(name) else {
            add(out, ParameterRemoved, format!("{place} removed"));
            continue;
        };
        if p.location != q.location {
            add(
                out,
                ParameterLocationChanged,
                format!("{place} moved from {} to {}", p.location, q.location),
            );
        }
        match (p.required, q.required) {
            (false, true) => add(
                out,
                ParameterBecameRequired,
                format!("{place} became required"),
            ),
            (true, false) => add(
                out,
                ParameterBecameOptional,
                format!("{place} became optional"),
            ),
            _ => {}
        }
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
            match (a.required, b.required) {
                (false, true) => add(
                    out,
                    BodyBecameRequired,
                    "request body became required".into(),
                ),
                (true, false) => add(
                    out,
                    BodyBecameOptional,
                    "request body became optional".into(),
                ),
                _ => {}
            }
            diff_schema(
                &a.schema,
                &b.schema,
                "request body",
                "",
                Request,
                &mut schemas(out),
            );
        }
        (None, None) => {}
    }

    for (status, a) in &old.responses {
        let place = format!("response {status}");
        match new.responses.get(status) {
            None => add(out, ResponseRemoved, format!("{place} removed")),
            Some(b) => {
                let null = Value::Null;
                let (a, b) = (a.as_ref().unwrap_or(&null), b.as_ref().unwrap_or(&null));
                diff_schema(
                    a,
                    b,
                    &format!("{place} body"),
                    "",
                    Response,
                    &mut schemas(out),
                );
            }
        }
    }
    for status in new.responses.keys() {
        if !old.responses.contains_key(status) {
            add(out, ResponseAdded, format!("response {status} added"));
        }
    }
}
