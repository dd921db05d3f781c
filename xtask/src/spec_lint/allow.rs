//! `x-spec-lint-allow`: a rule silenced in the spec itself, where it stands and below, with the
//! reason beside it, so the exception is reviewed with the spec rather than hidden in a flag:
//!
//! ```yaml
//! parameters:
//!   - name: chatbotId
//!     x-spec-lint-allow:
//!       parameter-description: the vendor documents none; its name says it
//! ```
//!
//! An entry that names no rule or gives no reason is an error; one that silences nothing there
//! is a warning (the problem it was written for is gone).

use serde_json::Value;

use super::conventions::escape;
use super::{LintRule, Problem};

pub const EXTENSION: &str = "x-spec-lint-allow";

struct Allow {
    /// The object that carries the extension.
    holder: String,
    rule: LintRule,
    pointer: String,
    used: bool,
}

/// `found` without the problems an allow covers, and with the problems of the allows themselves.
pub(super) fn apply(raw: &Value, found: Vec<Problem>) -> Vec<Problem> {
    let mut allows = Vec::new();
    let mut own = Vec::new();
    collect(raw, "", &mut allows, &mut own);
    let mut kept: Vec<Problem> = found
        .into_iter()
        .filter(|problem| {
            let covering = allows.iter_mut().find(|a| {
                a.rule == problem.rule
                    && (problem.pointer == a.holder
                        || problem.pointer.starts_with(&format!("{}/", a.holder)))
            });
            match covering {
                Some(allow) => {
                    allow.used = true;
                    false
                }
                None => true,
            }
        })
        .collect();
    for allow in allows.into_iter().filter(|a| !a.used) {
        own.push(Problem::new(
            LintRule::LintAllowUnused,
            allow.pointer,
            format!(
                "`{}` is allowed here but nothing here breaks it: remove the entry",
                allow.rule.id()
            ),
        ));
    }
    kept.extend(own);
    kept
}

fn collect(value: &Value, pointer: &str, allows: &mut Vec<Allow>, own: &mut Vec<Problem>) {
    match value {
        Value::Object(map) => {
            if let Some(entries) = map.get(EXTENSION) {
                read(entries, pointer, allows, own);
            }
            for (key, child) in map.iter().filter(|(k, _)| *k != EXTENSION) {
                collect(child, &format!("{pointer}/{}", escape(key)), allows, own);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                collect(child, &format!("{pointer}/{i}"), allows, own);
            }
        }
        _ => {}
    }
}

fn read(entries: &Value, holder: &str, allows: &mut Vec<Allow>, own: &mut Vec<Problem>) {
    let at = format!("{holder}/{EXTENSION}");
    let Some(entries) = entries.as_object() else {
        own.push(Problem::new(
            LintRule::LintAllow,
            at,
            format!(
                "`{EXTENSION}` maps each rule to why it is allowed here \
                 (`{EXTENSION}: {{parameter-description: the vendor documents none}}`)"
            ),
        ));
        return;
    };
    for (id, why) in entries {
        let pointer = format!("{at}/{}", escape(id));
        let mut error = |message: String| {
            own.push(Problem::new(LintRule::LintAllow, pointer.clone(), message));
        };
        match LintRule::from_id(id) {
            None => error(format!(
                "`{id}` is no rule of spec-lint (`cargo xtask spec-lint --rules` lists them)"
            )),
            Some(LintRule::LintAllow) => error(format!("`{id}` cannot be silenced")),
            Some(_) if why.as_str().is_none_or(|w| w.trim().is_empty()) => error(format!(
                "`{id}`: say why it is allowed here (`{id}: <why>`)"
            )),
            Some(rule) => allows.push(Allow {
                holder: holder.to_owned(),
                rule,
                pointer,
                used: false,
            }),
        }
    }
}
