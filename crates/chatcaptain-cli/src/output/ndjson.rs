//! One JSON object per line.

use std::io::{self, Write};

use super::{Record, Selection, Sink};

/// Writes each record as one line of JSON.
pub struct Lines {
    out: Box<dyn Write>,
    selection: Option<Selection>,
}

impl Lines {
    pub fn new(out: Box<dyn Write>, selection: Option<Selection>) -> Self {
        Lines { out, selection }
    }
}

impl<R: Record> Sink<R> for Lines {
    fn write(&mut self, record: &R) -> io::Result<()> {
        // Serialized first, so a record reaches the buffer whole or not at all.
        let mut line = match &self.selection {
            Some(selection) => serde_json::to_vec(&selection.object(record))?,
            None => serde_json::to_vec(record)?,
        };
        line.push(b'\n');
        self.out.write_all(&line)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(mut self: Box<Self>) -> io::Result<()> {
        self.out.flush()
    }
}
