//! The API's security: the schemes of `components/securitySchemes`.

use super::kinds::{Change, Kind::*};
use super::model::Api;
use super::schemas::shown;

pub(super) fn diff_security_schemes(base: &Api, head: &Api, changes: &mut Vec<Change>) {
    let mut push = |name: &str, kind, text: String| {
        changes.push(Change {
            operation: format!("security scheme `{name}`"),
            kind,
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
