//! `api METHOD PATH`: any call to the API with the tool's key and settings, as `gh api`.

use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;

use anyhow::Context;
use chatcaptain::Client;
use clap::Args;
use reqwest::Method;
use serde_json::{Map, Value};

use crate::exit::{Outcome, Usage};

const EXAMPLES: &str = "\
Examples:
  chatcaptain api GET /v1/chatbots/ID/contacts --field limit=5
  chatcaptain api POST /v1/chatbots/ID/organizations --raw-field name=Acme --field size=12
  chatcaptain api PATCH /v1/chatbots/ID/contacts/CID --input update.json --include
  echo '{\"name\":\"Acme\"}' | chatcaptain api POST /v1/chatbots/ID/organizations --input -";

/// The arguments of `chatcaptain api`.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct ApiArgs {
    /// The HTTP method: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS.
    pub method: String,

    /// The path below the base URL, such as /v1/chatbots/ID/contacts (a full URL is refused:
    /// the key only goes to the base URL).
    pub path: String,

    /// A parameter `key=value`: true, false, null and numbers become JSON values, `@FILE`
    /// the file's text. Sent in the query for GET and HEAD, as a JSON object body otherwise.
    #[arg(long, short = 'F', value_name = "KEY=VALUE")]
    pub field: Vec<String>,

    /// A parameter `key=value` sent as a string, as it is.
    #[arg(long, short = 'f', value_name = "KEY=VALUE")]
    pub raw_field: Vec<String>,

    /// The JSON body from this file (`-` for standard input); the fields then go in the query.
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// A request header `Name: value` (the key and user agent are the tool's own).
    #[arg(long, short = 'H', value_name = "NAME: VALUE")]
    pub header: Vec<String>,

    /// Print the status line and the headers of the answer before its body.
    #[arg(long, short = 'i')]
    pub include: bool,
}

/// Sends the call, prints the answer's body (pretty JSON on a terminal) whatever its status, and
/// fails as the other commands do for an error status (exit 3 for 401/403, 4 for 404, 1 else).
pub async fn run(client: &Client, args: &ApiArgs) -> anyhow::Result<Outcome> {
    let method = Method::from_bytes(args.method.to_ascii_uppercase().as_bytes())
        .map_err(|_| Usage(format!("{:?} is not an HTTP method", args.method)))?;
    let fields = fields(args)?;
    let mut request = client.raw(method.clone(), &args.path).any_status();
    for line in &args.header {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| Usage(format!("header {line:?}: write it as 'Name: value'")))?;
        request = request.header(name.trim(), value.trim());
    }
    let in_query = args.input.is_some() || matches!(method, Method::GET | Method::HEAD);
    if in_query {
        for (key, value) in &fields {
            let text = match value {
                Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            request = request.query(key, text);
        }
    } else if !fields.is_empty() {
        request = request.json(&Value::Object(fields));
    }
    if let Some(path) = &args.input {
        request = request.json(&input(path)?);
    }
    let answer = request.send().await?;

    let mut out = io::stdout().lock();
    let terminal = io::stdout().is_terminal();
    if args.include {
        writeln!(out, "HTTP/1.1 {}", answer.status)?;
        for (name, value) in &answer.headers {
            let value = String::from_utf8_lossy(value.as_bytes());
            writeln!(out, "{name}: {}", shown(&value, terminal))?;
        }
        writeln!(out)?;
    }
    let body = answer.bytes();
    match serde_json::from_slice::<Value>(body) {
        Ok(json) if terminal => writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?,
        _ if terminal => write!(out, "{}", shown(&answer.text(), true))?,
        _ => out.write_all(body)?,
    }
    out.flush()?;
    answer.error_for_status()?;
    Ok(Outcome::Done)
}

/// Server text on a terminal shows its control characters escaped (see `terminal`).
fn shown(text: &str, terminal: bool) -> std::borrow::Cow<'_, str> {
    if terminal {
        crate::terminal::shown(text)
    } else {
        text.into()
    }
}

/// The fields, in the order given: `--field` typed, `--raw-field` as strings.
fn fields(args: &ApiArgs) -> anyhow::Result<Map<String, Value>> {
    let mut fields = Map::new();
    for (given, typed) in args
        .field
        .iter()
        .map(|f| (f, true))
        .chain(args.raw_field.iter().map(|f| (f, false)))
    {
        let flag = if typed { "--field" } else { "--raw-field" };
        let (key, value) = given
            .split_once('=')
            .filter(|(key, _)| !key.is_empty())
            .ok_or_else(|| Usage(format!("{flag} {given:?}: write it as key=value")))?;
        let value = if typed {
            typed_value(value)?
        } else {
            Value::String(value.to_owned())
        };
        fields.insert(key.to_owned(), value);
    }
    Ok(fields)
}

/// As `gh api -F`: literals and numbers as JSON, `@FILE` as the file's text, the rest a string.
fn typed_value(value: &str) -> anyhow::Result<Value> {
    if let Some(path) = value.strip_prefix('@') {
        let text =
            std::fs::read_to_string(path).map_err(|e| Usage(format!("--field @{path}: {e}")))?;
        return Ok(Value::String(text));
    }
    Ok(match value {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        "null" => Value::Null,
        number => match serde_json::from_str::<serde_json::Number>(number) {
            Ok(n) => Value::Number(n),
            Err(_) => Value::String(value.to_owned()),
        },
    })
}

/// The JSON body of `--input`, from a file or standard input.
fn input(path: &PathBuf) -> anyhow::Result<Value> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        io::stdin()
            .read_to_string(&mut text)
            .context("reading the body from standard input")?;
    } else {
        text = std::fs::read_to_string(path)
            .map_err(|e| Usage(format!("--input {}: {e}", path.display())))?;
    }
    serde_json::from_str(&text)
        .map_err(|e| Usage(format!("--input {}: not JSON: {e}", path.display())).into())
}
