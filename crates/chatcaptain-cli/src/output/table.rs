//! Tables for people: a listing as rows, a single record as label and value.

use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{ContentArrangement, Table};

use super::{Record, Sink};
use crate::terminal::shown;

/// Collects the rows of a listing and prints them in [`Sink::finish`]; the listing's limit
/// bounds how many it holds.
pub struct Rows {
    out: Box<dyn Write>,
    rows: Vec<Vec<String>>,
}

impl Rows {
    pub fn new(out: Box<dyn Write>) -> Self {
        Rows {
            out,
            rows: Vec::new(),
        }
    }
}

impl<R: Record> Sink<R> for Rows {
    fn write(&mut self, record: &R) -> io::Result<()> {
        self.rows.push(
            record
                .table_row()
                .iter()
                .map(|cell| shown(cell).into_owned())
                .collect(),
        );
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        if self.rows.is_empty() {
            writeln!(self.out, "(none)")?;
            return self.out.flush();
        }
        Sink::<R>::finish_early(self)
    }

    fn finish_early(mut self: Box<Self>) -> io::Result<()> {
        if self.rows.is_empty() {
            return self.out.flush();
        }
        let mut table = new_table();
        table.set_header(R::TABLE_HEADER.to_vec());
        table.add_rows(std::mem::take(&mut self.rows));
        writeln!(self.out, "{table}")?;
        self.out.flush()
    }
}

/// One record, a row per field; empty fields are left out.
pub fn details<R: Record>(out: &mut dyn Write, record: &R) -> io::Result<()> {
    let mut table = new_table();
    for (label, value) in record.details() {
        if !value.is_empty() {
            table.add_row(vec![label.to_owned(), shown(&value).into_owned()]);
        }
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
