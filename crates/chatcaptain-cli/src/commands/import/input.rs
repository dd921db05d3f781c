//! Reading the records to import as they come, on a thread of their own: the file is never held
//! in memory (a record at a time, a few hundred ahead of the requests), and the first request
//! goes out while the rest is still being read, from a file or from a pipe.
//!
//! Line numbers are those of the file as an editor shows them: every `\n` counts, blank lines
//! included, `\r\n` is one line end, and a CSV record whose quoted cell spans lines has the
//! number of its first line.

use std::io::{self, BufRead, BufReader};
use std::path::Path;

use serde_json::{Map, Value};
use tokio::sync::mpsc;

use super::fingerprint::Fingerprint;
use crate::cli::ImportFormat;
use crate::exit::Usage;
use crate::output::record::Record;

/// A record longer than this is rejected, not read into memory (the API's bodies are small).
const MAX_RECORD: usize = 4 << 20;

/// Records read ahead of the requests.
const AHEAD: usize = 256;

/// One record of the input.
pub struct Input {
    /// The line it starts on (1-based).
    pub line: u64,
    /// What the rejects show of it: the JSON object, or the text as read when it is not one.
    pub record: Value,
    pub fingerprint: Fingerprint,
    pub parsed: Parsed,
}

/// What to do with a record.
pub enum Parsed {
    /// Create a contact with these fields.
    Create(Map<String, Value>),
    /// A line of an earlier run's rejects: the contact exists as `id`, and what create cannot set
    /// (address, variables, organizations) is still to be set.
    Update {
        id: String,
        record: Map<String, Value>,
    },
    /// A line of an earlier run's rejects whose fate is unknown: not sent, reported again.
    Unknown(String),
    /// It cannot be imported: why.
    Bad(String),
}

/// The input: the file, or stdin for `-`.
pub fn open(path: &Path) -> anyhow::Result<Box<dyn BufRead + Send>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::with_capacity(1 << 16, io::stdin())));
    }
    let file = std::fs::File::open(path)
        .map_err(|e| Usage(format!("cannot read {}: {e}", path.display())))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, file)))
}

/// Reads `input` on a thread and hands over its records in order; an error that stops the
/// reading (a read error, a CSV header that is not the export's) comes last.
pub fn spawn(
    input: Box<dyn BufRead + Send>,
    format: ImportFormat,
) -> mpsc::Receiver<anyhow::Result<Input>> {
    let (tx, rx) = mpsc::channel(AHEAD);
    std::thread::spawn(move || {
        let result = read(input, format, |input| tx.blocking_send(Ok(input)).is_ok());
        if let Err(e) = result {
            let _ = tx.blocking_send(Err(e));
        }
    });
    rx
}

/// How many records the file at `path` holds (a CSV's header not counted).
pub fn count(path: &Path, format: ImportFormat) -> anyhow::Result<u64> {
    let mut records = Records::new(open(path)?, format);
    let mut n = 0u64;
    while records.next()?.is_some() {
        n += 1;
    }
    Ok(match format {
        ImportFormat::Csv => n.saturating_sub(1),
        ImportFormat::Ndjson => n,
    })
}

/// Reads every record, handing each to `emit` until it returns false.
fn read(
    input: Box<dyn BufRead + Send>,
    format: ImportFormat,
    mut emit: impl FnMut(Input) -> bool,
) -> anyhow::Result<()> {
    let mut records = Records::new(input, format);
    match format {
        ImportFormat::Ndjson => {
            while let Some(raw) = records.next()? {
                if !emit(ndjson(raw)) {
                    break;
                }
            }
        }
        ImportFormat::Csv => {
            let Some(header) = records.next()? else {
                return Err(Usage("the CSV has no header row".into()).into());
            };
            let header = csv_header(header)?;
            while let Some(raw) = records.next()? {
                if !emit(csv_row(&header, raw)) {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// A record's text as read, or why it could not be.
struct Raw {
    line: u64,
    text: String,
    problem: Option<String>,
}

/// The records of an input: lines for ndjson; for CSV, lines joined while a quoted cell is open.
struct Records {
    input: Box<dyn BufRead + Send>,
    csv: bool,
    /// The number of the last line read.
    line: u64,
    buf: Vec<u8>,
}

impl Records {
    fn new(input: Box<dyn BufRead + Send>, format: ImportFormat) -> Self {
        Records {
            input,
            csv: format == ImportFormat::Csv,
            line: 0,
            buf: Vec::new(),
        }
    }

    /// The next record that is not a blank line.
    fn next(&mut self) -> io::Result<Option<Raw>> {
        loop {
            let Some(too_long) = self.next_line()? else {
                return Ok(None);
            };
            let line = self.line;
            if !too_long && self.buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let mut bytes = std::mem::take(&mut self.buf);
            let mut too_long = too_long;
            if self.csv {
                // A record ends at a line end outside quotes: with `""` for a quote inside a
                // quoted cell, that is where the quotes seen so far are even.
                let mut quotes = count_quotes(&bytes);
                let mut closed = quotes.is_multiple_of(2);
                while !closed {
                    match self.next_line()? {
                        None => break,
                        Some(long) => {
                            quotes += count_quotes(&self.buf);
                            closed = quotes.is_multiple_of(2);
                            too_long |= long || bytes.len() + self.buf.len() + 1 > MAX_RECORD;
                            if !too_long {
                                bytes.push(b'\n');
                                bytes.extend_from_slice(&self.buf);
                            }
                        }
                    }
                }
                if !closed && !too_long {
                    let text = String::from_utf8_lossy(&bytes).into_owned();
                    let problem =
                        Some("a quoted cell is not closed before the end of the input".into());
                    return Ok(Some(Raw {
                        line,
                        text,
                        problem,
                    }));
                }
            }
            if too_long {
                let problem = Some(format!("longer than {} MiB", MAX_RECORD >> 20));
                return Ok(Some(Raw {
                    line,
                    text: String::new(),
                    problem,
                }));
            }
            return Ok(Some(match String::from_utf8(bytes) {
                Ok(text) => Raw {
                    line,
                    text,
                    problem: None,
                },
                Err(e) => Raw {
                    line,
                    text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
                    problem: Some("not UTF-8".into()),
                },
            }));
        }
    }

    /// Reads the next line into `buf` without its line end; `Some(true)` when it was longer
    /// than [`MAX_RECORD`] (and not kept), `None` at the end of the input.
    fn next_line(&mut self) -> io::Result<Option<bool>> {
        self.buf.clear();
        let (mut any, mut too_long) = (false, false);
        loop {
            let available = match self.input.fill_buf() {
                Ok(available) => available,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let end = available.iter().position(|&b| b == b'\n');
            let chunk = &available[..end.map_or(available.len(), |i| i + 1)];
            if self.buf.len() + chunk.len() <= MAX_RECORD + 2 {
                self.buf.extend_from_slice(chunk);
            } else {
                too_long = true;
                self.buf.clear();
            }
            let used = chunk.len();
            self.input.consume(used);
            if end.is_some() {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.line += 1;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
            if self.buf.last() == Some(&b'\r') {
                self.buf.pop();
            }
        }
        // A byte-order mark (spreadsheets write one) is not part of the first record.
        if self.line == 1 && self.buf.starts_with("\u{feff}".as_bytes()) {
            self.buf.drain(..3);
        }
        Ok(Some(too_long))
    }
}

fn count_quotes(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b == b'"').count()
}

fn bad(raw: Raw, why: String) -> Input {
    Input {
        line: raw.line,
        fingerprint: Fingerprint::of_text(&raw.text),
        record: Value::String(raw.text),
        parsed: Parsed::Bad(why),
    }
}

/// One ndjson line: a contact's fields, or a line of an earlier run's rejects.
fn ndjson(raw: Raw) -> Input {
    if let Some(problem) = raw.problem.clone() {
        return bad(raw, problem);
    }
    let object = match serde_json::from_str::<Value>(&raw.text) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return bad(raw, "not a JSON object".into()),
        Err(e) => return bad(raw, format!("not a JSON object: {e}")),
    };
    if object.contains_key("outcome") && object.contains_key("record") {
        return rejected_before(raw, object);
    }
    Input {
        line: raw.line,
        fingerprint: Fingerprint::of_record(&object),
        record: Value::Object(object.clone()),
        parsed: Parsed::Create(object),
    }
}

/// A line of the rejects file, imported again: its record is created (it was not), its update is
/// done on the contact it names (it was created), or, when its fate is unknown, it is reported
/// again and not sent (it may exist).
fn rejected_before(raw: Raw, entry: Map<String, Value>) -> Input {
    let record = match &entry["record"] {
        Value::Object(record) => record.clone(),
        Value::String(text) => match serde_json::from_str::<Map<String, Value>>(text) {
            Ok(record) => record,
            Err(e) => {
                let raw = Raw {
                    text: text.clone(),
                    ..raw
                };
                return bad(raw, format!("not a JSON object: {e}"));
            }
        },
        _ => return bad(raw, "the rejects line's record is not a JSON object".into()),
    };
    let parsed = match (
        entry["outcome"].as_str(),
        entry.get("id").and_then(Value::as_str),
    ) {
        (Some("rejected"), _) => Parsed::Create(record.clone()),
        (Some("incomplete"), Some(id)) => Parsed::Update {
            id: id.to_owned(),
            record: record.clone(),
        },
        (Some("unknown"), _) => Parsed::Unknown(
            "an earlier run sent it and lost the answer, so it may exist: not sent again (look \
             for it; to create it, import its record on its own)"
                .into(),
        ),
        _ => {
            return bad(
                raw,
                "a rejects line with an outcome other than rejected, incomplete (with an id) or unknown"
                    .into(),
            );
        }
    };
    let fingerprint = match &parsed {
        Parsed::Update { id, record } => Fingerprint::of_update(id, record),
        _ => Fingerprint::of_record(&record),
    };
    Input {
        line: raw.line,
        record: Value::Object(record),
        fingerprint,
        parsed,
    }
}

/// The header's columns, each one of the CSV export's.
fn csv_header(raw: Raw) -> anyhow::Result<Vec<String>> {
    if let Some(problem) = raw.problem {
        return Err(Usage(format!(
            "the CSV's header row (line {}) is {problem}",
            raw.line
        ))
        .into());
    }
    let header = cells(&raw.text)
        .map_err(|e| Usage(format!("the CSV's header row (line {}): {e}", raw.line)))?;
    let columns = <chatcaptain::Contact as Record>::csv_header();
    if let Some(unknown) = header.iter().find(|h| !columns.contains(&h.as_str())) {
        return Err(Usage(format!(
            "the CSV has a column {unknown:?}; the columns are those of the CSV export: {}",
            columns.join(", ")
        ))
        .into());
    }
    Ok(header)
}

fn csv_row(header: &[String], raw: Raw) -> Input {
    if let Some(problem) = raw.problem.clone() {
        return bad(raw, problem);
    }
    let row = match cells(&raw.text) {
        Ok(row) => row,
        Err(e) => return bad(raw, format!("not a CSV row: {e}")),
    };
    if row.len() != header.len() {
        let why = format!("{} cells where the header has {}", row.len(), header.len());
        return bad(raw, why);
    }
    match csv_object(header, &row) {
        Err(e) => bad(raw, e),
        Ok(object) => Input {
            line: raw.line,
            fingerprint: Fingerprint::of_record(&object),
            record: Value::Object(object.clone()),
            parsed: Parsed::Create(object),
        },
    }
}

/// The cells of one CSV record.
fn cells(text: &str) -> Result<Vec<String>, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut row = csv::StringRecord::new();
    reader.read_record(&mut row)?;
    Ok(row.iter().map(str::to_owned).collect())
}

/// A CSV row in the export's columns as the JSON object the API takes.
fn csv_object(header: &[String], row: &[String]) -> Result<Map<String, Value>, String> {
    let mut object = Map::new();
    let mut address = Map::new();
    for (column, cell) in header.iter().zip(row) {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, format: ImportFormat) -> Vec<(u64, String)> {
        let mut records = Records::new(Box::new(io::Cursor::new(text.as_bytes().to_vec())), format);
        let mut out = Vec::new();
        while let Some(raw) = records.next().unwrap() {
            out.push((raw.line, raw.text));
        }
        out
    }

    #[test]
    fn crlf_and_blank_lines_count_as_an_editor_counts_them() {
        let text = "a\r\n\r\n  \r\nb\r\n\nc";
        let expected = [(1, "a"), (4, "b"), (6, "c")].map(|(n, t)| (n, t.to_owned()));
        assert_eq!(lines(text, ImportFormat::Ndjson), expected);
    }

    #[test]
    fn a_csv_record_with_a_quoted_line_break_has_its_first_line() {
        let text = "name,language\r\n\r\n\"two\r\nlines\",EN\r\n\"say \"\"hi\"\"\",DE\r\n";
        let got = lines(text, ImportFormat::Csv);
        assert_eq!(got.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 3, 5]);
        assert_eq!(cells(&got[1].1).unwrap(), ["two\nlines", "EN"]);
        assert_eq!(cells(&got[2].1).unwrap(), ["say \"hi\"", "DE"]);
    }
}
