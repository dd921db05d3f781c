//! Printing records: a table for people, JSON, NDJSON and CSV for scripts.
//!
//! Every format but the table writes each record whole as it arrives, so what has been flushed
//! is always well formed up to the last record, whatever stops the listing.

mod csv;
mod json;
mod ndjson;
pub mod record;
mod selection;
mod table;

use std::io::{self, IsTerminal, Write};

pub use record::Record;
use selection::Selection;

use crate::exit::Usage;

/// How records are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A readable table.
    Table,
    /// A JSON array, or one JSON object for a single record.
    Json,
    /// One JSON object per line.
    Ndjson,
    /// Comma-separated values with a header row.
    Csv,
}

/// Where records go, one at a time.
pub trait Sink<R: Record> {
    /// Writes one record (a table keeps it until [`Sink::finish`]).
    fn write(&mut self, record: &R) -> io::Result<()>;
    /// Hands what was written so far to the reader (nothing for a table, which prints at the end).
    fn flush(&mut self) -> io::Result<()>;
    /// Ends the output (closes a JSON array, prints a table) and flushes it.
    fn finish(self: Box<Self>) -> io::Result<()>;
    /// Ends the output of a listing that stopped early (an error, Ctrl-C): well formed as after
    /// [`Sink::finish`], but nothing may say the listing was empty when it only failed.
    fn finish_early(self: Box<Self>) -> io::Result<()> {
        self.finish()
    }
    /// Whether a flushed record has reached the reader: true for the formats that stream, false
    /// for a table, which prints nothing before [`Sink::finish`] (a sync saves its progress
    /// only past records the reader has).
    fn streams(&self) -> bool {
        true
    }
    /// A line under the output for a person (`3 of 1234 hits`): a table prints it, the formats
    /// for programs have no place for it.
    fn footer(&mut self, _line: String) {}
}

/// How records are written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The format.
    pub format: Format,
    /// Whether CSV cells that a spreadsheet would run as formulas get a leading `'`.
    pub csv_guard: bool,
    /// The columns `--fields` asked for, in order; empty for each format's usual shape.
    pub fields: Vec<String>,
}

impl Output {
    /// Only `fields` (the names of columns, as clap checked them), in that order; none for all.
    pub fn with_fields(self, fields: &[String]) -> Result<Self, Usage> {
        if let Some(twice) = fields
            .iter()
            .enumerate()
            .find_map(|(i, field)| fields[..i].contains(field).then_some(field))
        {
            return Err(Usage(format!("--fields names {twice} twice")));
        }
        Ok(Output {
            fields: fields.to_vec(),
            ..self
        })
    }
}

/// The format asked for, else a table for a person and NDJSON for a pipe or a file.
pub fn resolve(format: Option<Format>, csv_guard: bool) -> Output {
    let format = format.unwrap_or_else(|| {
        if io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Ndjson
        }
    });
    Output {
        format,
        csv_guard,
        fields: Vec::new(),
    }
}

/// Standard output, buffered: records are written whole into the buffer, and the buffer is
/// flushed when full or at the end.
pub fn stdout() -> Box<dyn Write> {
    Box::new(io::BufWriter::with_capacity(64 * 1024, io::stdout()))
}

/// A sink for a listing of `R`.
pub fn listing<R: Record + 'static>(output: Output, out: Box<dyn Write>) -> Box<dyn Sink<R>> {
    let selection = Selection::of::<R>(&output.fields);
    match output.format {
        Format::Table => Box::new(table::Rows::new(out, selection)),
        Format::Json => Box::new(json::Array::new(out, selection)),
        Format::Ndjson => Box::new(ndjson::Lines::new(out, selection)),
        Format::Csv => Box::new(csv::Rows::new(out, output.csv_guard, selection)),
    }
}

/// Prints a single record: as a two-column table, a pretty JSON object, or one NDJSON or CSV row.
pub fn one<R: Record + 'static>(output: Output, record: &R) -> io::Result<()> {
    let mut out = stdout();
    let selection = Selection::of::<R>(&output.fields);
    match output.format {
        Format::Table => table::details(&mut out, record, selection.as_ref())?,
        Format::Json => {
            match &selection {
                Some(selection) => {
                    serde_json::to_writer_pretty(&mut out, &selection.object(record))?
                }
                None => serde_json::to_writer_pretty(&mut out, record)?,
            }
            writeln!(out)?;
        }
        Format::Ndjson | Format::Csv => {
            let mut sink = listing::<R>(output, out);
            sink.write(record)?;
            return sink.finish();
        }
    }
    out.flush()
}
