//! Tables for people: a listing as rows, a single record as label and value.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use super::{Record, Selection, Sink};
use crate::terminal::shown;

/// Collects the rows of a listing and prints them in [`Sink::finish`]; the listing's limit
/// bounds how many it holds.
pub struct Rows {
    out: Box<dyn Write>,
    rows: Vec<Vec<String>>,
    selection: Option<Selection>,
    footer: Option<String>,
}

impl Rows {
    pub fn new(out: Box<dyn Write>, selection: Option<Selection>) -> Self {
        Rows {
            out,
            rows: Vec::new(),
            selection,
            footer: None,
        }
    }

    /// The table of the rows collected.
    fn print<R: Record>(&mut self) -> io::Result<()> {
        let mut table = new_table();
        table.set_header(match &self.selection {
            Some(selection) => selection.header(),
            None => R::table_header(),
        });
        table.add_rows(std::mem::take(&mut self.rows));
        writeln!(self.out, "{table}")
    }
}

impl<R: Record> Sink<R> for Rows {
    fn write(&mut self, record: &R) -> io::Result<()> {
        let row = match &self.selection {
            Some(selection) => selection.cells(record),
            None => record.table_row(),
        };
        self.rows
            .push(row.iter().map(|cell| shown(cell).into_owned()).collect());
        Ok(())
    }

    fn streams(&self) -> bool {
        false
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        if self.rows.is_empty() {
            writeln!(self.out, "(none)")?;
            return self.out.flush();
        }
        self.print::<R>()?;
        if let Some(footer) = &self.footer {
            writeln!(self.out, "{}", shown(footer))?;
        }
        self.out.flush()
    }

    fn finish_early(mut self: Box<Self>) -> io::Result<()> {
        if !self.rows.is_empty() {
            self.print::<R>()?;
        }
        self.out.flush()
    }

    fn footer(&mut self, line: String) {
        self.footer = Some(line);
    }
}

/// One record, a row per field: the fields asked for, else every field that is set.
pub fn details<R: Record>(
    out: &mut dyn Write,
    record: &R,
    selection: Option<&Selection>,
) -> io::Result<()> {
    let rows: Vec<(&str, String)> = match selection {
        Some(selection) => selection
            .header()
            .into_iter()
            .zip(selection.cells(record))
            .collect(),
        None => record
            .details()
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .collect(),
    };
    let mut table = new_table();
    for (label, value) in rows {
        table.add_row(vec![label.to_owned(), shown(&value).into_owned()]);
    }
    writeln!(out, "{table}")
}

fn new_table() -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    table
}
