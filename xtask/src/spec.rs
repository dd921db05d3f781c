//! Reading the spec once, with errors that name the file and the place.
//!
//! YAML is parsed with serde_norway, the maintained fork of serde_yaml (CONTRIBUTING.md, "YAML",
//! weighs the candidates); nothing outside xtask parses YAML.

pub mod lint_rules;
#[cfg(test)]
pub(crate) mod registry_checks;
pub mod rules_table;
pub mod walk;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use openapiv3::OpenAPI;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The repository root: xtask lives one level below it.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask has a parent directory")
        .to_path_buf()
}

/// The HTTP methods of an OpenAPI path item, in the order the spec lists them.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub fn default_path() -> PathBuf {
    workspace_root().join("spec").join("chatcaptain.yaml")
}

/// A parsed spec with the bytes it came from.
pub struct Spec {
    pub path: PathBuf,
    pub text: String,
    pub openapi: OpenAPI,
    /// The document as written (unknown keywords kept, which the canonical form drops), as JSON
    /// with every mapping key a string.
    pub raw: Value,
}

impl Spec {
    pub fn load(path: &Path) -> Result<Spec> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read spec {}", path.display()))?;
        Spec::from_text(path, text)
    }

    /// A spec read from somewhere other than a file (a git revision); `path` names it in errors.
    pub fn from_text(path: &Path, text: String) -> Result<Spec> {
        Ok(Spec::from_text_repaired(path, text, |_| Vec::new())?.0)
    }

    /// Like [`Spec::from_text`], for a reader that must judge any OpenAPI 3.0 document, not only
    /// ours: `repair` first fills in what the document leaves out and lenient readers supply
    /// (see `spec_diff/lenient.rs`), and returns one line per fill-in, given back beside the spec.
    pub fn from_text_repaired(
        path: &Path,
        text: String,
        repair: fn(&mut Value) -> Vec<String>,
    ) -> Result<(Spec, Vec<String>)> {
        let (openapi, raw, notes) = parse(path, &text, repair)?;
        let spec = Spec {
            path: path.to_path_buf(),
            text,
            openapi,
            raw,
        };
        Ok((spec, notes))
    }

    /// The spec as JSON in openapiv3's canonical form (status codes, defaults spelled one way):
    /// what the lint and the diff walk, with JSON pointers that match the YAML's structure.
    pub fn json(&self) -> Value {
        serde_json::to_value(&self.openapi).expect("an OpenAPI document serializes")
    }

    pub fn sha256(&self) -> String {
        Sha256::digest(self.text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// The document, and the same as written (see [`Spec::raw`]). Parses in two passes: first as
/// plain YAML, so syntax errors and a wrong OpenAPI version are reported before openapiv3's
/// stricter (and vaguer) structural errors.
fn parse(
    path: &Path,
    text: &str,
    repair: fn(&mut Value) -> Vec<String>,
) -> Result<(OpenAPI, Value, Vec<String>)> {
    let file = path.display();
    let mut value = read_yaml(path, text)?;
    // `openapi: 3.0.3` is a string; `openapi: 3.0` unquoted is a number, which tools read as the
    // version it spells (openapiv3 wants the string).
    let version = match value.get("openapi") {
        Some(serde_norway::Value::String(v)) => Some(v.trim().to_owned()),
        Some(serde_norway::Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    match version.as_deref() {
        None => match value.get("swagger") {
            Some(swagger) => bail!(
                "{file}: a Swagger {} document (OpenAPI 2): OpenAPI 3.0.x required",
                serde_json::to_value(swagger).unwrap_or(Value::Null)
            ),
            None => bail!("{file}: no `openapi` version field: OpenAPI 3.0.x required"),
        },
        // `3.0` without a patch number is the same version line.
        Some(v) if v != "3.0" && !v.starts_with("3.0.") => {
            let line = line_of_key(text, "openapi").unwrap_or(1);
            bail!(
                "{file}:{line}: OpenAPI version {v} is not supported: 3.0.x required \
                 (progenitor reads OpenAPI 3.0 only)"
            )
        }
        Some(v) => {
            if let serde_norway::Value::Mapping(document) = &mut value {
                document.insert("openapi".into(), serde_norway::Value::String(v.to_owned()));
            }
        }
    }
    let read = serde_json::to_value(&value).unwrap_or(Value::Null);
    let mut raw = read.clone();
    let notes = repair(&mut raw);
    if raw != read {
        // The fill-ins moved the document away from the text, so the error names the place by
        // its path in the document instead of a line.
        return match serde_path_to_error::deserialize(&raw) {
            Ok(openapi) => Ok((openapi, raw, notes)),
            Err(err) => {
                let (place, what) = deeper_place(&raw, err.path().to_string(), err.into_inner());
                let at = if place == "." {
                    String::new()
                } else {
                    format!("at `{place}`: ")
                };
                bail!("{file}: not a valid OpenAPI 3.0 document: {at}{what}")
            }
        };
    }
    match serde_norway::from_value(value) {
        Ok(openapi) => Ok((openapi, raw, notes)),
        // Read again from the text for an error with its line and column.
        Err(_) => match serde_norway::from_str(text) {
            Ok(openapi) => Ok((openapi, raw, notes)),
            Err(located_err) => Err(located(
                &format!("{file}"),
                &located_err,
                "not a valid OpenAPI 3.0 document: ",
            )),
        },
    }
}

/// The YAML document with every mapping key a string (see [`string_keys`]), in the order
/// written; a syntax error or a duplicate key names the file, line and column.
fn read_yaml(path: &Path, text: &str) -> Result<serde_norway::Value> {
    let value: serde_norway::Value =
        serde_norway::from_str(text).map_err(|e| located(&path.display().to_string(), &e, ""))?;
    Ok(string_keys(value))
}

/// The spec as pretty-printed JSON, keys in the order the YAML writes them (serialized from the
/// YAML's ordered mapping, so serde_json's `preserve_order` feature, which cargo may or may not
/// unify into a build, changes nothing), with `marker` as the document's first key.
pub fn json_text(path: &Path, text: &str, marker: (&str, &str)) -> Result<String> {
    use serde_norway::Value as Y;
    let Y::Mapping(document) = read_yaml(path, text)? else {
        bail!("{}: the spec is not a mapping", path.display());
    };
    let mut marked = serde_norway::Mapping::new();
    marked.insert(
        Y::String(marker.0.to_owned()),
        Y::String(marker.1.to_owned()),
    );
    marked.extend(document);
    let mut json = serde_json::to_string_pretty(&Y::Mapping(marked))
        .with_context(|| format!("{}: cannot write the spec as JSON", path.display()))?;
    json.push('\n');
    Ok(json)
}

/// openapiv3 reads a path item as "a `$ref` or a path item", and such an error stops at
/// `paths`: reading each path item alone names the operation and the field.
fn deeper_place(raw: &Value, place: String, what: serde_json::Error) -> (String, String) {
    if place == "paths"
        && let Some(Value::Object(paths)) = raw.get("paths")
    {
        for (path, item) in paths {
            if let Err(err) = serde_path_to_error::deserialize::<_, openapiv3::PathItem>(item) {
                return (
                    format!("paths.{path}.{}", err.path()),
                    err.into_inner().to_string(),
                );
            }
        }
    }
    (place, what.to_string())
}

/// YAML reads `0:`, `true:` and `1.5:` as keys that are not strings; JSON, and so OpenAPI, has
/// only string keys, and every OpenAPI tool reads these as the strings they spell (an `examples`
/// entry named `0`, a status `200`).
fn string_keys(value: serde_norway::Value) -> serde_norway::Value {
    use serde_norway::Value as Y;
    match value {
        Y::Mapping(map) => Y::Mapping(
            map.into_iter()
                .map(|(k, v)| (Y::String(key_text(k)), string_keys(v)))
                .collect(),
        ),
        Y::Sequence(items) => Y::Sequence(items.into_iter().map(string_keys).collect()),
        Y::Tagged(tagged) => string_keys(tagged.value),
        other => other,
    }
}

fn key_text(key: serde_norway::Value) -> String {
    use serde_norway::Value as Y;
    match key {
        Y::String(s) => s,
        Y::Bool(b) => b.to_string(),
        Y::Number(n) => n.to_string(),
        Y::Null => "null".to_owned(),
        Y::Tagged(tagged) => key_text(tagged.value),
        // A sequence or mapping as a key: as YAML writes it on one line.
        other => serde_norway::to_string(&other)
            .unwrap_or_default()
            .trim()
            .replace('\n', " "),
    }
}

fn located(file: &str, err: &serde_norway::Error, what: &str) -> anyhow::Error {
    match err.location() {
        Some(loc) => anyhow::anyhow!(
            "{file}:{}:{}: {what}{}",
            loc.line(),
            loc.column(),
            strip_location(&err.to_string())
        ),
        None => anyhow::anyhow!("{file}: {what}{err}"),
    }
}

/// serde_norway (as serde_yaml did) appends " at line L column C"; it is already in our prefix.
fn strip_location(message: &str) -> &str {
    match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

fn line_of_key(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| l.starts_with(key) && l[key.len()..].trim_start().starts_with(':'))
        .map(|i| i + 1)
}

/// The target of a local `$ref` (`#/components/...`), or None when it does not resolve.
pub fn lookup<'a>(root: &'a Value, reference: &str) -> Option<&'a Value> {
    root.pointer(reference.strip_prefix('#')?)
}
/// A copy of `value` with every local `$ref` replaced by its target, so two specs that say the
/// same thing with and without components compare equal. A `$ref` met again inside its own
/// expansion (a recursive schema) and one that does not resolve stay as they are.
pub fn resolve_refs(root: &Value, value: &Value) -> Value {
    fn go(root: &Value, value: &Value, stack: &mut Vec<String>) -> Value {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    if !stack.contains(reference)
                        && let Some(target) = lookup(root, reference)
                    {
                        stack.push(reference.clone());
                        let resolved = go(root, target, stack);
                        stack.pop();
                        return resolved;
                    }
                    return value.clone();
                }
                Value::Object(
                    map.iter()
                        .map(|(k, v)| (k.clone(), go(root, v, stack)))
                        .collect(),
                )
            }
            Value::Array(items) => Value::Array(items.iter().map(|v| go(root, v, stack)).collect()),
            other => other.clone(),
        }
    }
    go(root, value, &mut Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: 1.0.0}\n";

    #[test]
    fn a_duplicate_key_is_an_error_with_file_line_and_column() {
        let text = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: string}}\n    A: {{type: integer}}\n"
        );
        let err = Spec::from_text(Path::new("dup.yaml"), text).err().unwrap();
        let message = format!("{err:#}");
        // The place is where the mapping that holds the duplicate starts (as serde_yaml had it).
        assert!(message.starts_with("dup.yaml:6:5: "), "{message}");
        assert!(
            message.contains("duplicate entry with key \"A\""),
            "{message}"
        );
    }

    #[test]
    fn keys_that_are_not_strings_become_the_strings_they_spell_in_order() {
        let text = format!("{HEAD}paths: {{}}\nx-keys: {{0: a, true: b, 1.5: c, null: d}}\n");
        let spec = Spec::from_text(Path::new("keys.yaml"), text.clone()).unwrap();
        let keys: Vec<&String> = spec.raw["x-keys"].as_object().unwrap().keys().collect();
        let mut expected = vec!["0", "true", "1.5", "null"];
        let json = json_text(Path::new("keys.yaml"), &text, ("x-generated", "note")).unwrap();
        // The JSON text keeps the written order whatever serde_json's features.
        let at = |key: &str| json.find(&format!("\"{key}\"")).unwrap();
        assert!(at("x-generated") < at("openapi") && at("openapi") < at("info"));
        let positions: Vec<usize> = expected.iter().map(|k| at(k)).collect();
        assert!(positions.is_sorted(), "{json}");
        expected.sort_unstable();
        let mut keys: Vec<&str> = keys.into_iter().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, expected);
    }

    #[test]
    fn json_text_refuses_a_document_that_is_not_a_mapping() {
        let err = json_text(Path::new("list.yaml"), "- a\n", ("x", "y")).unwrap_err();
        assert!(err.to_string().contains("list.yaml"), "{err}");
    }
}
