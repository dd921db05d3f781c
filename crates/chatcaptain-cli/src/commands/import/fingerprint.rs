//! What identifies a record across runs: a hash of its content, not of where it is in the file.
//!
//! A line number shifts when a line is inserted, and means another record in another file; the
//! content does not. The hash is taken over the record as sent (a JSON object with its keys in
//! sorted order, so key order and spacing do not matter, and a CSV row and the same contact in
//! ndjson are one record), or over its text when it cannot be read.

use std::fmt;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// 128 bits of SHA-256: no two of a lifetime of imports collide by chance.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fingerprint([u8; 16]);

impl Fingerprint {
    /// A record to create.
    pub fn of_record(record: &Map<String, Value>) -> Self {
        let mut bytes = b"record\0".to_vec();
        canonical_object(record, &mut bytes);
        Self::of_bytes(&bytes)
    }

    /// An earlier run's contact `id` whose update is still to be done with `record`.
    pub fn of_update(id: &str, record: &Map<String, Value>) -> Self {
        let mut bytes = b"update\0".to_vec();
        bytes.extend_from_slice(id.as_bytes());
        bytes.push(0);
        canonical_object(record, &mut bytes);
        Self::of_bytes(&bytes)
    }

    /// A record that cannot be read, by its text.
    pub fn of_text(text: &str) -> Self {
        let mut bytes = b"text\0".to_vec();
        bytes.extend_from_slice(text.as_bytes());
        Self::of_bytes(&bytes)
    }

    /// The fingerprint of several fingerprints (the first records of an input).
    pub fn of_all<'a>(parts: impl IntoIterator<Item = &'a Fingerprint>) -> Self {
        let mut hash = Sha256::new();
        for part in parts {
            hash.update(part.0);
        }
        Self::truncated(hash.finalize().into())
    }

    /// Any bytes, e.g. what names a default journal.
    pub fn of_bytes(bytes: &[u8]) -> Self {
        Self::truncated(Sha256::digest(bytes).into())
    }

    fn truncated(digest: [u8; 32]) -> Self {
        let mut out = [0; 16];
        out.copy_from_slice(&digest[..16]);
        Fingerprint(out)
    }

    /// From the 32 hex digits [`Display`](fmt::Display) writes.
    pub fn parse(hex: &str) -> Option<Self> {
        if hex.len() != 32 {
            return None;
        }
        let mut out = [0; 16];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(Fingerprint(out))
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// JSON with every object's keys sorted, whatever order `serde_json::Map` keeps.
fn canonical(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Object(object) => canonical_object(object, out),
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical(item, out);
            }
            out.push(b']');
        }
        scalar => out.extend_from_slice(scalar.to_string().as_bytes()),
    }
}

fn canonical_object(object: &Map<String, Value>, out: &mut Vec<u8>) {
    let mut keys: Vec<&String> = object.keys().collect();
    keys.sort();
    out.push(b'{');
    for (i, key) in keys.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(Value::String(key.clone()).to_string().as_bytes());
        out.push(b':');
        canonical(&object[key], out);
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(text: &str) -> Map<String, Value> {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn key_order_and_spacing_do_not_change_a_fingerprint_but_a_value_does() {
        let a = Fingerprint::of_record(&object(
            r#"{"name":"Ada","address":{"zipcode":"1","location":"X"}}"#,
        ));
        let b = Fingerprint::of_record(&object(
            r#"{ "address": {"location":"X","zipcode":"1"}, "name": "Ada" }"#,
        ));
        let c = Fingerprint::of_record(&object(
            r#"{"name":"Ada ","address":{"zipcode":"1","location":"X"}}"#,
        ));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn a_fingerprint_reads_back_from_its_hex() {
        let f = Fingerprint::of_text("x");
        assert_eq!(Fingerprint::parse(&f.to_string()), Some(f));
        assert_eq!(Fingerprint::parse("zz"), None);
    }
}
