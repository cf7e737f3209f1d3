//! CSV and TSV prefixes through the `csv` crate: quoted fields may hold newlines and delimiters.
//!
//! The delimiter is sniffed from the header line (tab, comma, semicolon or pipe, outside quotes),
//! so a `.csv` that is really tab-separated still splits into its real columns. Every cell is a
//! string, as the viewer shows CSV data; Python-literal list cells are read later by the layout
//! detector.

use serde_json::{Map, Value};

/// Records (objects keyed by the header) of a delimited prefix and whether it was cut.
pub(super) fn read_delimited(text: &str, complete: bool, default: u8) -> (Vec<Value>, bool) {
    let delimiter = sniff_delimiter(text).unwrap_or(default);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_string()).collect(),
        Err(_) => return (Vec::new(), !complete),
    };
    let mut records = Vec::new();
    for record in reader.records() {
        let Ok(record) = record else {
            // A malformed record (bad UTF-8 or quoting) ends what can be trusted.
            break;
        };
        let mut row = Map::new();
        for (name, cell) in headers.iter().zip(record.iter()) {
            if !name.is_empty() {
                row.insert(name.clone(), Value::String(cell.to_string()));
            }
        }
        if row
            .values()
            .any(|v| v.as_str().is_some_and(|s| !s.trim().is_empty()))
        {
            records.push(Value::Object(row));
        }
        if records.len() > super::MAX_ROWS {
            break;
        }
    }
    let cut = !complete;
    if cut {
        // The last record may be cut mid-field.
        records.pop();
    }
    (records, cut)
}

/// The most frequent of tab, comma, semicolon and pipe outside quotes on the header line.
fn sniff_delimiter(text: &str) -> Option<u8> {
    let header = text.split('\n').next()?;
    let mut counts = [(b'\t', 0usize), (b',', 0), (b';', 0), (b'|', 0)];
    let mut quoted = false;
    for b in header.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted {
            if let Some(entry) = counts.iter_mut().find(|(d, _)| *d == b) {
                entry.1 += 1;
            }
        }
    }
    counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .max_by_key(|(_, n)| *n)
        .map(|(d, _)| *d)
}
