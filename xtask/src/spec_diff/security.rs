//! The API's security: who may call (the `security` requirements, at the root and per
//! operation) and how the key is sent (the schemes of `components/securitySchemes`).
//!
//! A `security` list is a choice: any one requirement will do, and each requirement's schemes
//! are used together. An empty list, or an empty requirement (`{}`), lets a client call without
//! credentials.

use std::collections::BTreeSet;

use serde_json::Value;

use super::kinds::{Change, Kind, Kind::*};
use super::model::{Api, Operation, Security};
use super::schemas::shown;

/// The root's requirements, then the schemes.
pub(super) fn diff_security(base: &Api, head: &Api, changes: &mut Vec<Change>) {
    let mut found = Vec::new();
    diff_requirements(&base.security, &head.security, &mut found);
    for (kind, text) in found {
        changes.push(Change {
            operation: "security (every operation without its own)".into(),
            kind,
            text,
        });
    }
    let used = used(base);
    let mut push = |name: &str, kind, text: String| {
        changes.push(Change {
            operation: format!("security scheme `{name}`"),
            kind,
            text,
        })
    };
    for (name, a) in &base.security_schemes {
        match head.security_schemes.get(name) {
            None if used.contains(name) => push(name, SecuritySchemeRemoved, "removed".into()),
            None => push(
                name,
                UnusedSecuritySchemeRemoved,
                "removed (no requirement named it)".into(),
            ),
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
                    if how_sent(key, a.get(key)) != how_sent(key, b.get(key)) {
                        push(
                            name,
                            if used.contains(name) {
                                SecuritySchemeChanged
                            } else {
                                UnusedSecuritySchemeChanged
                            },
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

/// A scheme's field as far as it says how a client gets and sends its credentials: an OAuth
/// flow's list of `scopes` is a catalogue, and a scope a requirement asks for is judged there.
fn how_sent(key: &str, value: Option<&Value>) -> Option<Value> {
    let mut value = value.cloned();
    if key == "flows"
        && let Some(Value::Object(flows)) = value.as_mut()
    {
        for flow in flows.values_mut() {
            if let Value::Object(flow) = flow {
                flow.remove("scopes");
            }
        }
    }
    value
}

/// Every scheme a requirement of `api` names, at the root or on an operation.
fn used(api: &Api) -> BTreeSet<String> {
    let own = api
        .operations
        .values()
        .filter_map(|op| op.security.as_ref());
    std::iter::once(&api.security)
        .chain(own)
        .flatten()
        .flat_map(|requirement| requirement.keys().cloned())
        .collect()
}

/// An operation's requirements, when it has its own on either side (the root's are compared
/// once, in `diff_security`).
pub(super) fn diff_operation_security(
    (old, old_root): (&Operation, &Security),
    (new, new_root): (&Operation, &Security),
    out: &mut Vec<(Kind, String)>,
) {
    if old.security.is_none() && new.security.is_none() {
        return;
    }
    let a = old.security.as_ref().unwrap_or(old_root);
    let b = new.security.as_ref().unwrap_or(new_root);
    diff_requirements(a, b, out);
}

fn diff_requirements(a: &Security, b: &Security, out: &mut Vec<(Kind, String)>) {
    let open = |s: &Security| s.is_empty() || s.iter().any(|r| r.is_empty());
    match (open(a), open(b)) {
        (true, true) => return,
        (true, false) => {
            let what: Vec<String> = b.iter().map(shown_requirement).collect();
            out.push((
                SecurityAdded,
                format!("credentials now required: {}", what.join(" or ")),
            ));
            return;
        }
        (false, true) => {
            out.push((SecurityRemoved, "no credentials required any more".into()));
            return;
        }
        (false, false) => {}
    }
    let schemes =
        |r: &std::collections::BTreeMap<String, Vec<String>>| r.keys().cloned().collect::<Vec<_>>();
    // A requirement found unchanged on the other side is no change; the rest are paired by the
    // schemes they name, in order (several alternatives may name one scheme with other scopes).
    let mut unmatched_b: Vec<_> = b.iter().filter(|rb| !a.contains(rb)).collect();
    for ra in a.iter().filter(|ra| !b.contains(ra)) {
        let Some(i) = unmatched_b.iter().position(|rb| schemes(rb) == schemes(ra)) else {
            out.push((
                SecurityRequirementRemoved,
                format!("requirement {} removed", shown_requirement(ra)),
            ));
            continue;
        };
        let rb = unmatched_b.remove(i);
        for (scheme, scopes_a) in ra {
            let scopes_b = &rb[scheme];
            for scope in scopes_b.iter().filter(|s| !scopes_a.contains(s)) {
                out.push((
                    SecurityScopeAdded,
                    format!("scope `{scope}` of `{scheme}` added"),
                ));
            }
            for scope in scopes_a.iter().filter(|s| !scopes_b.contains(s)) {
                out.push((
                    SecurityScopeRemoved,
                    format!("scope `{scope}` of `{scheme}` removed"),
                ));
            }
        }
    }
    for rb in unmatched_b {
        out.push((
            SecurityRequirementAdded,
            format!("requirement {} added", shown_requirement(rb)),
        ));
    }
}

/// `` `oauth` [read, write] + `key` ``.
fn shown_requirement(requirement: &std::collections::BTreeMap<String, Vec<String>>) -> String {
    requirement
        .iter()
        .map(|(scheme, scopes)| {
            if scopes.is_empty() {
                format!("`{scheme}`")
            } else {
                format!("`{scheme}` [{}]", scopes.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}
