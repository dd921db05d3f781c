//! `contacts import`: one contact per record of an ndjson or CSV file, nothing lost.
//!
//! Every record ends up created (its new id on stdout with its line number) or in the rejects
//! (the record, the error, and whether it was surely not created or its fate is unknown). Create
//! is not idempotent, so a record whose request went out but whose answer never came is reported
//! as unknown, never sent again; with `--journal`, that holds across runs too: each record is
//! written to the journal as "sending" before it goes out and with its outcome after, and a run
//! with the same journal skips every record the journal knows.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::sync::Mutex;

use anyhow::Context;
use chatcaptain::{Client, Error};
use futures::StreamExt;
use serde_json::{Map, Value, json};

use crate::cli::{ImportArgs, ImportFormat};
use crate::exit::{self, Outcome, Usage};
use crate::fields;
use crate::output::record::Record;
use crate::progress;

/// One input record: its line number and its text (for the rejects), or why it cannot be read.
struct Input {
    line: usize,
    raw: String,
    fields: Result<Map<String, Value>, String>,
}

/// What became of a record.
enum Fate {
    Created(String),
    /// Surely not created.
    Rejected(String),
    /// Sent, but no answer says whether it was created.
    Unknown(String),
}

pub async fn run(client: &Client, args: &ImportArgs) -> anyhow::Result<Outcome> {
    let format = args.format.unwrap_or_else(|| {
        if args
            .file
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
        {
            ImportFormat::Csv
        } else {
            ImportFormat::Ndjson
        }
    });
    let text = read_input(&args.file)?;
    let inputs = match format {
        ImportFormat::Ndjson => ndjson_inputs(&text),
        ImportFormat::Csv => csv_inputs(&text)?,
    };
    let known = match &args.journal {
        Some(path) => read_journal(path)?,
        None => HashMap::new(),
    };
    let journal = match &args.journal {
        Some(path) => Some(Mutex::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("cannot open the journal {}", path.display()))?,
        )),
        None => None,
    };
    let mut rejects: Box<dyn Write> = match &args.rejects {
        Some(path) => Box::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write the rejects to {}", path.display()))?,
        ),
        None => Box::new(std::io::stderr()),
    };
    let contacts = client.contacts(args.chatbot.id());
    let bar = progress::contacts(Some(inputs.len()));
    let mut failed = 0usize;

    // A record the journal saw go out without an outcome may have been created: it is reported,
    // not sent again; records with an outcome were handled by the earlier run.
    let mut todo = Vec::new();
    for input in inputs {
        match known.get(&input.line).map(String::as_str) {
            Some("sending") => {
                failed += 1;
                let fate = Fate::Unknown(
                    "sent by an earlier run whose answer was lost; not sent again".into(),
                );
                write_reject(&mut rejects, &input, &fate)?;
                bar.inc(1);
            }
            Some(_) => bar.inc(1),
            None => todo.push(input),
        }
    }

    let journal = &journal;
    let contacts = &contacts;
    let mut fates = futures::stream::iter(todo)
        .map(|input| async move {
            let fate = match &input.fields {
                Err(e) => Fate::Rejected(e.clone()),
                Ok(object) => match fields::body_of(object.clone()).and_then(fields::to_create) {
                    Err(e) => Fate::Rejected(e),
                    Ok((new, rest)) => {
                        journal_line(journal, json!({ "line": input.line, "state": "sending" }))?;
                        create(contacts, new, rest).await
                    }
                },
            };
            let entry = match &fate {
                Fate::Created(id) => json!({ "line": input.line, "state": "created", "id": id }),
                Fate::Rejected(e) => json!({ "line": input.line, "state": "rejected", "error": e }),
                Fate::Unknown(e) => json!({ "line": input.line, "state": "unknown", "error": e }),
            };
            journal_line(journal, entry)?;
            anyhow::Ok((input, fate))
        })
        .buffer_unordered(args.parallel.max(1));
    let mut stdout = std::io::stdout().lock();
    while let Some(done) = fates.next().await {
        let (input, fate) = done?;
        bar.inc(1);
        match &fate {
            Fate::Created(id) => {
                writeln!(stdout, "{}", json!({ "line": input.line, "id": id }))?;
                stdout.flush()?;
            }
            _ => {
                failed += 1;
                write_reject(&mut rejects, &input, &fate)?;
            }
        }
    }
    bar.finish_and_clear();
    rejects.flush()?;
    if failed > 0 {
        anyhow::bail!(
            "{failed} record(s) were not created or may not have been (see the rejects{})",
            args.rejects
                .as_ref()
                .map(|p| format!(" in {}", p.display()))
                .unwrap_or_default()
        );
    }
    Ok(Outcome::Done)
}

/// Creates one contact, then sets what create cannot take; says what came of it.
async fn create(
    contacts: &chatcaptain::Contacts,
    new: chatcaptain::NewContact,
    rest: Option<chatcaptain::ContactUpdate>,
) -> Fate {
    let created = match contacts.create(new).await {
        Ok(contact) => contact,
        Err(e) if surely_not_created(&e) => return Fate::Rejected(exit::chain(&e)),
        Err(e) => return Fate::Unknown(exit::chain(&e)),
    };
    match rest {
        None => Fate::Created(created.id),
        Some(update) => match contacts.update(&created.id, update).await {
            Ok(_) => Fate::Created(created.id),
            Err(e) => Fate::Unknown(format!(
                "created as {}, but its address, variables or organizations were not set: {}",
                created.id,
                exit::chain(&e)
            )),
        },
    }
}

/// A refusal (4xx, a rate limit never lifted) or a connection never opened: nothing was created.
fn surely_not_created(error: &Error) -> bool {
    if error.status().is_some_and(|s| s.is_client_error()) {
        return true;
    }
    match error.last_attempt() {
        Error::Transport(e) => e.is_connect(),
        Error::InvalidArgument(_) | Error::Config(_) | Error::RateLimited { .. } => true,
        _ => false,
    }
}

fn write_reject(out: &mut dyn Write, input: &Input, fate: &Fate) -> anyhow::Result<()> {
    let (outcome, error) = match fate {
        Fate::Rejected(e) => ("rejected", e),
        Fate::Unknown(e) => ("unknown", e),
        Fate::Created(_) => return Ok(()),
    };
    let record =
        serde_json::from_str::<Value>(&input.raw).unwrap_or(Value::String(input.raw.clone()));
    let line = json!({ "line": input.line, "outcome": outcome, "error": error, "record": record });
    writeln!(out, "{line}")?;
    Ok(())
}

fn journal_line(journal: &Option<Mutex<std::fs::File>>, entry: Value) -> anyhow::Result<()> {
    if let Some(journal) = journal {
        let mut file = journal.lock().unwrap_or_else(|p| p.into_inner());
        writeln!(file, "{entry}")?;
        // Before the request goes out, the line is with the operating system: a killed run
        // leaves it behind.
        file.flush()?;
    }
    Ok(())
}

/// The last state the journal recorded for each line.
fn read_journal(path: &Path) -> anyhow::Result<HashMap<usize, String>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => {
            return Err(Usage(format!("cannot read the journal {}: {e}", path.display())).into());
        }
    };
    let mut known = HashMap::new();
    for line in BufReader::new(file).lines() {
        let line = line?;
        // A line cut by a crash carries nothing reliable.
        let Ok(entry) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        if let (Some(n), Some(state)) = (entry["line"].as_u64(), entry["state"].as_str()) {
            known.insert(n as usize, state.to_owned());
        }
    }
    Ok(known)
}

fn read_input(path: &Path) -> anyhow::Result<String> {
    let mut text = String::new();
    if path.as_os_str() == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(path)
            .map_err(|e| Usage(format!("cannot read {}: {e}", path.display())))?;
    }
    Ok(text)
}

fn ndjson_inputs(text: &str) -> Vec<Input> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, line)| Input {
            line: i + 1,
            raw: line.to_owned(),
            fields: serde_json::from_str::<Map<String, Value>>(line)
                .map_err(|e| format!("not a JSON object: {e}")),
        })
        .collect()
}

/// The rows of a CSV in the export's columns (any subset of them, in any order), each as the
/// JSON object the API takes. A row with another number of cells than the header is rejected.
fn csv_inputs(text: &str) -> anyhow::Result<Vec<Input>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Usage(format!("the CSV has no header row: {e}")))?
        .iter()
        .map(str::to_owned)
        .collect();
    let columns = <chatcaptain::Contact as Record>::csv_header();
    if let Some(unknown) = header.iter().find(|h| !columns.contains(&h.as_str())) {
        return Err(Usage(format!(
            "the CSV has a column {unknown:?}; the columns are those of the CSV export: {}",
            columns.join(", ")
        ))
        .into());
    }
    let mut inputs = Vec::new();
    for row in reader.records() {
        let (line, raw, fields) = match row {
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line() as usize);
                (line, String::new(), Err(format!("not a CSV row: {e}")))
            }
            Ok(row) => {
                let line = row.position().map_or(0, |p| p.line() as usize);
                let raw = row.iter().collect::<Vec<_>>().join(",");
                let fields = if row.len() != header.len() {
                    Err(format!(
                        "{} cells where the header has {}",
                        row.len(),
                        header.len()
                    ))
                } else {
                    csv_object(&header, &row)
                };
                (line, raw, fields)
            }
        };
        inputs.push(Input { line, raw, fields });
    }
    Ok(inputs)
}

fn csv_object(header: &[String], row: &csv::StringRecord) -> Result<Map<String, Value>, String> {
    let mut object = Map::new();
    let mut address = Map::new();
    for (column, cell) in header.iter().zip(row.iter()) {
        let cell = unguarded(cell);
        if cell.is_empty() {
            continue; // an empty cell is "not set", as in the export
        }
        match column.as_str() {
            "organizationIds" => {
                let ids: Vec<Value> = cell.split(';').map(|id| Value::String(id.into())).collect();
                object.insert(column.clone(), Value::Array(ids));
            }
            "variables" => {
                let map: Value = serde_json::from_str(cell)
                    .map_err(|e| format!("variables is not a JSON object: {e}"))?;
                object.insert(column.clone(), map);
            }
            part if chatcaptain::api::fields::ADDRESS.contains(&part) => {
                address.insert(column.clone(), Value::String(cell.into()));
            }
            _ => {
                object.insert(column.clone(), Value::String(cell.into()));
            }
        }
    }
    if !address.is_empty() {
        object.insert("address".into(), Value::Object(address));
    }
    Ok(object)
}

/// A cell as stored: the export's spreadsheet guard (a `'` before `=`, `+`, `-`, `@`, tab or
/// carriage return) taken off again.
fn unguarded(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}
