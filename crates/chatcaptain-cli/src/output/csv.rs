//! Comma-separated values under a fixed header.

use std::io::{self, Write};

use super::{Record, Sink};

/// Writes the header with the first record (or alone, for an empty listing).
pub struct Rows {
    out: csv::Writer<Box<dyn Write>>,
    header_written: bool,
}

impl Rows {
    pub fn new(out: Box<dyn Write>) -> Self {
        Rows {
            out: csv::WriterBuilder::new().from_writer(out),
            header_written: false,
        }
    }

    fn header<R: Record>(&mut self) -> io::Result<()> {
        if !self.header_written {
            self.out.write_record(R::CSV_HEADER).map_err(into_io)?;
            self.header_written = true;
        }
        Ok(())
    }
}

impl<R: Record> Sink<R> for Rows {
    fn write(&mut self, record: &R) -> io::Result<()> {
        self.header::<R>()?;
        self.out.write_record(record.csv_row()).map_err(into_io)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.header::<R>()?;
        self.out.flush()
    }
}

/// Keeps an I/O error's kind (a broken pipe must stay recognisable); anything else is data.
fn into_io(e: csv::Error) -> io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => io::Error::new(io::ErrorKind::InvalidData, format!("{other:?}")),
    }
}
