//! Comma-separated values under a fixed header.

use std::io::{self, Write};

use super::{Record, Selection, Sink};

/// Writes the header with the first record (or alone, for an empty listing).
pub struct Rows {
    out: csv::Writer<Box<dyn Write>>,
    header_written: bool,
    guard: bool,
    selection: Option<Selection>,
}

impl Rows {
    /// With `guard`, cells a spreadsheet would run as formulas are written as text.
    pub fn new(out: Box<dyn Write>, guard: bool, selection: Option<Selection>) -> Self {
        Rows {
            out: csv::WriterBuilder::new().from_writer(out),
            header_written: false,
            guard,
            selection,
        }
    }

    fn header<R: Record>(&mut self) -> io::Result<()> {
        if !self.header_written {
            let header = match &self.selection {
                Some(selection) => selection.header(),
                None => R::csv_header(),
            };
            self.out.write_record(header).map_err(into_io)?;
            self.header_written = true;
        }
        Ok(())
    }
}

impl<R: Record> Sink<R> for Rows {
    fn write(&mut self, record: &R) -> io::Result<()> {
        self.header::<R>()?;
        let mut row = match &self.selection {
            Some(selection) => selection.cells(record),
            None => record.csv_row(),
        };
        if self.guard {
            row = row.into_iter().map(guarded).collect();
        }
        self.out.write_record(row).map_err(into_io)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.header::<R>()?;
        self.out.flush()
    }
}

/// OWASP's guard against CSV injection: a spreadsheet runs a cell that starts with `=`, `+`,
/// `-` or `@` (also after a tab or carriage return) as a formula, so such a cell gets a leading
/// `'`, which makes it text. A sign followed only by digits (`+4915100000999`, `-42`) is a
/// number to a spreadsheet, never a formula, and stays as it is (as in defusedcsv).
fn guarded(cell: String) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !is_signed_number(&cell) => format!("'{cell}"),
        _ => cell,
    }
}

fn is_signed_number(cell: &str) -> bool {
    let Some(digits) = cell.strip_prefix(['+', '-']) else {
        return false;
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    [whole, fraction]
        .iter()
        .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// Keeps an I/O error's kind (a broken pipe must stay recognisable); anything else is data.
fn into_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::new(io::ErrorKind::InvalidData, format!("{other:?}")),
    }
}
