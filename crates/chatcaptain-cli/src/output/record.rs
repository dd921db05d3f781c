//! What each kind of record shows in a table and in CSV.
//!
//! The CSV columns are the record's properties in the spec's order (from the generated
//! `chatcaptain::api::fields`), an address spread over its own properties: a field added to the
//! spec shows up here with `cargo xtask codegen`, without an edit.

use std::collections::BTreeMap;

use chatcaptain::api::fields;
use chatcaptain::{Contact, Organization};
use serde::Serialize;
use serde_json::Value;

/// A record the output formats know how to print.
pub trait Record: Serialize {
    /// The record's properties in the spec's order.
    const FIELDS: &'static [&'static str];
    /// Columns of a listing shown as a table, the few that fit on a screen: label, then field.
    const TABLE: &'static [(&'static str, &'static str)];

    /// The labels of [`Self::TABLE`], as a header.
    fn table_header() -> Vec<&'static str> {
        Self::TABLE.iter().map(|&(label, _)| label).collect()
    }

    /// The cells of [`Self::TABLE`]'s fields, each as in CSV.
    fn table_row(&self) -> Vec<String> {
        let details = self.details();
        let cell = |field: &str| {
            details
                .iter()
                .find(|(name, _)| *name == field)
                .map(|(_, cell)| cell.clone())
                .unwrap_or_default()
        };
        Self::TABLE.iter().map(|&(_, field)| cell(field)).collect()
    }

    /// CSV columns, fixed by the spec's order so that scripts can rely on it.
    fn csv_header() -> Vec<&'static str> {
        Self::FIELDS
            .iter()
            .flat_map(|&field| match field {
                "address" => fields::ADDRESS.to_vec(),
                _ => vec![field],
            })
            .collect()
    }

    /// The values for [`Self::csv_header`]; an empty cell means "not set".
    fn csv_row(&self) -> Vec<String> {
        self.details().into_iter().map(|(_, value)| value).collect()
    }

    /// Every field worth showing when one record is shown as a table, label first.
    fn details(&self) -> Vec<(&'static str, String)> {
        self.values()
            .into_iter()
            .map(|(name, value)| (name, cell(&value)))
            .collect()
    }

    /// The value of each column of [`Self::csv_header`] (null when not set), name first.
    fn values(&self) -> Vec<(&'static str, Value)> {
        let json = serde_json::to_value(self).unwrap_or(Value::Null);
        let value = |v: Option<&Value>| v.cloned().unwrap_or(Value::Null);
        let mut values = Vec::new();
        for &field in Self::FIELDS {
            match field {
                "address" => {
                    let address = json.get(field);
                    for &part in fields::ADDRESS {
                        values.push((part, value(address.and_then(|a| a.get(part)))));
                    }
                }
                _ => values.push((field, value(json.get(field)))),
            }
        }
        values
    }
}

/// One value as a cell: text as it is, a list joined with `;`, a map as JSON with sorted keys
/// (so that the same record always gives the same cell), nothing for null or an empty list or map.
fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        Value::Object(map) if map.is_empty() => String::new(),
        Value::Object(map) => {
            let sorted: BTreeMap<_, _> = map.iter().collect();
            serde_json::to_string(&sorted).unwrap_or_default()
        }
        other => other.to_string(),
    }
}

impl Record for Contact {
    const FIELDS: &'static [&'static str] = fields::CONTACT;
    const TABLE: &'static [(&'static str, &'static str)] = &[
        ("ID", "id"),
        ("NAME", "name"),
        ("EMAIL", "email"),
        ("PHONE", "phoneNumber"),
        ("LANGUAGE", "language"),
        ("CREATED", "created"),
    ];
}

impl Record for Organization {
    const FIELDS: &'static [&'static str] = fields::ORGANIZATION;
    const TABLE: &'static [(&'static str, &'static str)] = &[
        ("ID", "id"),
        ("NAME", "name"),
        ("EMAIL", "email"),
        ("PHONE", "phoneNumber"),
        ("INDUSTRY", "industry"),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_row_holds_the_tables_fields_as_csv_cells_in_its_order() {
        let contact: Contact = serde_json::from_value(serde_json::json!({
            "id": "C1",
            "created": "2030-01-01T00:00:00.250Z",
            "name": "Ada",
            "phoneNumber": "+49301234567",
        }))
        .unwrap();
        assert_eq!(
            Contact::table_header(),
            ["ID", "NAME", "EMAIL", "PHONE", "LANGUAGE", "CREATED"]
        );
        assert_eq!(
            contact.table_row(),
            [
                "C1",
                "Ada",
                "",
                "+49301234567",
                "",
                "2030-01-01T00:00:00.250Z"
            ]
        );
    }
}
