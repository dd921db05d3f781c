//! A JSON array, streamed one record per line.

use std::io::{self, Write};

use super::{Record, Selection, Sink};

/// Opens the array before the first record and closes it in [`Sink::finish`], also after an
/// interruption or an error, so the file always parses.
pub struct Array {
    out: Box<dyn Write>,
    written: usize,
    selection: Option<Selection>,
}

impl Array {
    pub fn new(out: Box<dyn Write>, selection: Option<Selection>) -> Self {
        Array {
            out,
            written: 0,
            selection,
        }
    }
}

impl<R: Record> Sink<R> for Array {
    fn write(&mut self, record: &R) -> io::Result<()> {
        let mut chunk = if self.written == 0 {
            b"[\n".to_vec()
        } else {
            b",\n".to_vec()
        };
        match &self.selection {
            Some(selection) => serde_json::to_writer(&mut chunk, &selection.object(record))?,
            None => serde_json::to_writer(&mut chunk, record)?,
        }
        self.out.write_all(&chunk)?;
        self.written += 1;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        let end: &[u8] = if self.written == 0 { b"[]\n" } else { b"\n]\n" };
        self.out.write_all(end)?;
        self.out.flush()
    }
}
