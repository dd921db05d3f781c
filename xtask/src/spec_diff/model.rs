//! The two sides of a diff: where each spec comes from, and the shape compared.
//!
//! Every `$ref` is inlined before comparing, so moving a schema into `components` is no change,
//! and a change inside a shared schema shows under each operation that uses it, in the direction
//! (request or response) it is used there: that direction decides whether it breaks.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::spec::walk::members;
use crate::spec::{self, Spec, resolve_refs};

const SPEC_IN_REPO: &str = "spec/chatcaptain.yaml";
const API_CRATE_MANIFEST: &str = "crates/chatcaptain-api/Cargo.toml";

/// Where one side of the diff is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    WorkingTree,
    File(PathBuf),
    Rev(String),
}

impl Source {
    /// A path that exists as a file is read as a file; anything else is a git revision.
    pub fn from_arg(arg: &str) -> Source {
        if Path::new(arg).is_file() {
            Source::File(PathBuf::from(arg))
        } else {
            Source::Rev(arg.to_owned())
        }
    }

    /// `origin/main` when it resolves, else `main`.
    pub fn default_base() -> Source {
        if rev_exists("origin/main") {
            Source::Rev("origin/main".into())
        } else {
            Source::Rev("main".into())
        }
    }

    pub fn label(&self) -> String {
        match self {
            Source::WorkingTree => "working tree".into(),
            Source::File(path) => path.display().to_string(),
            Source::Rev(rev) => rev.clone(),
        }
    }

    /// The spec, read as leniently as diff tools read one (`lenient.rs`); each fill-in is
    /// said on stderr, naming the file.
    pub fn load(&self) -> Result<Spec> {
        let read = |path: PathBuf| -> Result<(PathBuf, String)> {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read spec {}", path.display()))?;
            Ok((path, text))
        };
        let (path, text) = match self {
            Source::WorkingTree => read(spec::default_path())?,
            Source::File(path) => read(path.clone())?,
            Source::Rev(rev) => {
                let (object, text) = show(rev, SPEC_IN_REPO)?;
                (PathBuf::from(object), text)
            }
        };
        let (spec, notes) = Spec::from_text_repaired(&path, text, super::lenient::repair)?;
        for note in notes {
            eprintln!("note: {}: {note}", path.display());
        }
        Ok(spec)
    }

    /// The version of `chatcaptain-api` that goes with this side: from the revision, or, for
    /// a spec file or the working tree, the working tree's manifest.
    pub fn crate_version(&self) -> Result<String> {
        let (file, text) = match self {
            Source::Rev(rev) => show(rev, API_CRATE_MANIFEST)?,
            Source::WorkingTree | Source::File(_) => {
                let path = spec::workspace_root().join(API_CRATE_MANIFEST);
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                (path.display().to_string(), text)
            }
        };
        super::versions::package_version(&file, &text)
    }
}

/// `git show REV:PATH`, as (`REV:PATH`, text).
fn show(rev: &str, path: &str) -> Result<(String, String)> {
    if !rev_exists(rev) {
        bail!("`{rev}` is neither a file nor a git revision");
    }
    let object = format!("{rev}:{path}");
    let output = git(&["show", &object])?;
    if !output.status.success() {
        bail!(
            "cannot read {object}: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    let text =
        String::from_utf8(output.stdout).with_context(|| format!("{object} is not UTF-8"))?;
    Ok((object, text))
}

fn git(args: &[&str]) -> Result<std::process::Output> {
    Command::new("git")
        .arg("-C")
        .arg(spec::workspace_root())
        .args(args)
        .output()
        .context("cannot run git")
}

fn rev_exists(rev: &str) -> bool {
    git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .is_ok_and(|o| o.status.success())
}

/// What a client sees of the API, with every `$ref` inlined.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub version: String,
    /// Keyed by `METHOD /path`.
    pub operations: BTreeMap<String, Operation>,
    /// `components/securitySchemes` by name: where the key goes (a renamed header breaks every
    /// client on the wire, though progenitor generates no code for it).
    pub security_schemes: BTreeMap<String, Value>,
    /// The root `security`: what an operation without its own requires.
    pub security: Security,
}

/// A `security` list: alternatives (any one will do), each a set of schemes used together, each
/// scheme with the OAuth scopes it needs. No alternative, or an empty one (`{}`), needs nothing.
pub type Security = Vec<BTreeMap<String, Vec<String>>>;

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub id: Option<String>,
    /// Keyed by name: a parameter that moves from query to header is one parameter that changed.
    pub parameters: BTreeMap<String, Parameter>,
    pub body: Option<Body>,
    /// Keyed by status (`200`, `4XX`); the body schema by media type (see [`Bodies`]).
    pub responses: BTreeMap<String, Bodies>,
    /// The media types of the request body (`request body`) and of each response
    /// (`response 200`), in the spec's order.
    pub media_types: BTreeMap<String, Vec<String>>,
    /// Response headers by status, then by name (lower-cased: header names are not case
    /// sensitive).
    pub headers: BTreeMap<String, BTreeMap<String, Header>>,
    /// The operation's own `security`, when it has one.
    pub security: Option<Security>,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    pub required: bool,
    pub schema: Value,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    pub location: String,
    pub required: bool,
    pub schema: Value,
    pub deprecated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    pub required: bool,
    pub schemas: Bodies,
}

/// A body's schema by media type (`Null` for a media type without one), in the spec's order.
/// A change is judged within one media type: what `application/xml` carries says nothing of
/// what a client that asks for `application/json` gets.
pub type Bodies = Vec<(String, Value)>;

impl Api {
    pub fn from_spec(spec: &Spec) -> Api {
        let doc = spec.json();
        let paths = resolve_refs(&doc, doc.get("paths").unwrap_or(&Value::Null));
        let mut operations = BTreeMap::new();
        for (path, item) in paths.as_object().into_iter().flatten() {
            let shared = item.get("parameters");
            for method in spec::METHODS {
                let Some(op) = item.get(method) else { continue };
                let key = format!("{} {path}", method.to_uppercase());
                operations.insert(key, operation(op, shared));
            }
        }
        let security_schemes = doc
            .pointer("/components/securitySchemes")
            .and_then(Value::as_object)
            .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        Api {
            version: spec.openapi.info.version.clone(),
            operations,
            security_schemes,
            security: security(doc.get("security")),
        }
    }
}

fn operation(op: &Value, shared: Option<&Value>) -> Operation {
    let mut parameters = BTreeMap::new();
    // Operation-level parameters override path-level ones of the same name.
    for list in [shared, op.get("parameters")] {
        for param in list.and_then(Value::as_array).into_iter().flatten() {
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                continue;
            };
            parameters.insert(
                name.to_owned(),
                Parameter {
                    location: str_of(param, "in"),
                    required: is_true(param, "required"),
                    // A parameter described by `content` has its schema there.
                    schema: schema_of(param),
                    deprecated: is_true(param, "deprecated"),
                },
            );
        }
    }
    let body = op.get("requestBody").map(|body| Body {
        required: is_true(body, "required"),
        schemas: bodies(body),
    });
    let responses = members(op, "responses")
        .map(|(status, response)| (status.clone(), bodies(response)))
        .collect();
    let mut media_types = BTreeMap::new();
    let holders = op
        .get("requestBody")
        .map(|b| ("request body".to_owned(), b));
    let holders = holders
        .into_iter()
        .chain(members(op, "responses").map(|(status, r)| (format!("response {status}"), r)));
    for (place, holder) in holders {
        let types = holder
            .get("content")
            .and_then(Value::as_object)
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default();
        media_types.insert(place, types);
    }
    let headers = members(op, "responses")
        .map(|(status, response)| {
            let headers = members(response, "headers")
                .map(|(name, h)| {
                    let header = Header {
                        required: is_true(h, "required"),
                        schema: schema_of(h),
                    };
                    (name.to_lowercase(), header)
                })
                .collect();
            (status.clone(), headers)
        })
        .collect();
    Operation {
        headers,
        security: op.get("security").map(|s| security(Some(s))),
        deprecated: is_true(op, "deprecated"),
        id: op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned),
        parameters,
        body,
        responses,
        media_types,
    }
}

fn security(list: Option<&Value>) -> Security {
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|requirement| {
            requirement
                .as_object()
                .into_iter()
                .flatten()
                .map(|(scheme, scopes)| {
                    let mut scopes: Vec<String> = scopes
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|s| s.as_str().map(str::to_owned))
                        .collect();
                    scopes.sort();
                    (scheme.clone(), scopes)
                })
                .collect()
        })
        .collect()
}

fn bodies(holder: &Value) -> Bodies {
    members(holder, "content")
        .map(|(media, m)| {
            (
                media.clone(),
                m.get("schema").cloned().unwrap_or(Value::Null),
            )
        })
        .collect()
}

/// The `application/json` schema of a body, else the first media type's.
fn json_schema(holder: &Value) -> Option<Value> {
    let content = holder.get("content")?.as_object()?;
    let media = content
        .get("application/json")
        .or_else(|| content.values().next())?;
    media.get("schema").cloned()
}

/// The schema of a parameter or header: its own `schema`, else its `content`'s (null if none).
fn schema_of(holder: &Value) -> Value {
    holder
        .get("schema")
        .cloned()
        .or_else(|| json_schema(holder))
        .unwrap_or(Value::Null)
}

/// Whether `key` is `true` (absent is false, as in OpenAPI).
pub(super) fn is_true(value: &Value, key: &str) -> bool {
    value.get(key) == Some(&Value::Bool(true))
}

fn str_of(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
