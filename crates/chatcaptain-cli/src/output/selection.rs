//! `--fields`: only the fields asked for, in the order asked for, in every format.
//!
//! The names are the record's columns ([`Record::csv_header`]: the spec's properties, an address
//! spread over its parts), so a field added to the spec can be asked for with no edit here.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::Value;

use super::Record;

/// Positions among a record's columns, in the order asked for.
pub struct Selection {
    names: Vec<&'static str>,
    positions: Vec<usize>,
}

impl Selection {
    /// The columns of `R` named in `fields`; `None` when none are (every format's usual shape).
    ///
    /// clap checked the names against `R`'s columns; a name `R` lacks (none can) would be left
    /// out.
    pub fn of<R: Record>(fields: &[String]) -> Option<Self> {
        if fields.is_empty() {
            return None;
        }
        let columns = R::csv_header();
        let (names, positions) = fields
            .iter()
            .filter_map(|field| {
                let position = columns.iter().position(|column| column == field)?;
                Some((columns[position], position))
            })
            .unzip();
        Some(Selection { names, positions })
    }

    /// The names, as a header.
    pub fn header(&self) -> Vec<&'static str> {
        self.names.clone()
    }

    /// The cells of `record`, as text (as in CSV).
    pub fn cells<R: Record>(&self, record: &R) -> Vec<String> {
        let cells = record.csv_row();
        self.positions.iter().map(|&i| cells[i].clone()).collect()
    }

    /// `record` as a JSON object with exactly these keys, in this order (null when not set).
    pub fn object<R: Record>(&self, record: &R) -> Object {
        let values = record.values();
        Object(
            self.positions
                .iter()
                .map(|&i| (values[i].0, values[i].1.clone()))
                .collect(),
        )
    }
}

/// A JSON object that keeps its keys in order (serde_json's own map sorts them).
pub struct Object(Vec<(&'static str, Value)>);

impl Serialize for Object {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (key, value) in &self.0 {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}
