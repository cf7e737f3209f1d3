//! JSON and JSON Lines prefixes, read record by record.
//!
//! Hand-written on top of `serde_json`'s streaming deserializer because no crate reads "a JSON
//! array up to its last complete element" from a cut prefix: each element is parsed on its own
//! and the byte offset after it tells where the next one starts.

use serde_json::Value;

/// Records of a JSON Lines prefix and whether it was cut. A cut last line is dropped; a line that
/// is not JSON is skipped. A `.jsonl` file that is really one pretty-printed JSON document (no
/// line parses) is read as JSON.
pub(super) fn read_json_lines(text: &str, complete: bool) -> (Vec<Value>, bool) {
    let mut lines: Vec<&str> = text.split('\n').collect();
    let mut cut = false;
    if !complete {
        // The last piece may be a partial line (empty when the prefix ends on a newline).
        cut = lines.pop().is_some_and(|last| !last.trim().is_empty());
    }
    let mut records = Vec::new();
    let mut failed = 0usize;
    for line in lines {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(value) => records.push(value),
            Err(_) => failed += 1,
        }
        if records.len() >= super::MAX_ROWS {
            return (records, true);
        }
    }
    if records.is_empty() && failed > 0 {
        return read_json(text, complete);
    }
    (records, cut)
}

/// Records of a JSON document prefix and whether it was cut.
///
/// - a top-level array: its elements;
/// - a top-level object that holds one array of records (`{"data": [...]}`): that array;
/// - a top-level object whose values are all objects (`{"id1": {...}, ...}`): the values;
/// - any other object: one record.
pub(super) fn read_json(text: &str, complete: bool) -> (Vec<Value>, bool) {
    let trimmed = text.trim_start();
    let offset = text.len() - trimmed.len();
    match trimmed.as_bytes().first() {
        Some(b'[') => stream_array(text, offset),
        Some(b'{') => match serde_json::from_str::<Value>(trimmed) {
            Ok(Value::Object(object)) => (records_of_object(object), false),
            Ok(other) => (vec![other], false),
            // A cut object: read the first record array inside it, if any.
            Err(_) if !complete => match first_nested_array(text, offset) {
                Some(start) => {
                    let (records, _) = stream_array(text, start);
                    (records, true)
                }
                None => (Vec::new(), true),
            },
            Err(_) => (Vec::new(), false),
        },
        _ => (Vec::new(), !complete),
    }
}

fn records_of_object(object: serde_json::Map<String, Value>) -> Vec<Value> {
    // One array of objects among scalar metadata: the records.
    let arrays: Vec<&Value> = object
        .values()
        .filter(|v| {
            v.as_array()
                .is_some_and(|a| a.len() >= 2 && a.iter().all(|e| e.is_object() || e.is_array()))
        })
        .collect();
    let nested_objects = object.values().filter(|v| v.is_object()).count();
    let looks_like_a_conversation = object
        .keys()
        .any(|k| crate::turns::names::is_conversational(k));
    if arrays.len() == 1 && nested_objects == 0 && !looks_like_a_conversation {
        if let Some(Value::Array(items)) = arrays.first().map(|v| (*v).clone()) {
            return items;
        }
    }
    if object.len() >= 2 && nested_objects == object.len() {
        return object.into_iter().map(|(_, v)| v).collect();
    }
    vec![Value::Object(object)]
}

/// Elements of the array starting at byte `start` (`[`), up to the last complete one; the flag
/// is true when the array did not end inside `text`.
fn stream_array(text: &str, start: usize) -> (Vec<Value>, bool) {
    let bytes = text.as_bytes();
    let mut pos = start + 1;
    let mut items = Vec::new();
    loop {
        pos = skip_whitespace(bytes, pos);
        match bytes.get(pos) {
            None => return (items, true),
            Some(b']') => return (items, false),
            Some(_) => {}
        }
        let Some(rest) = text.get(pos..) else {
            return (items, true);
        };
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(value)) => {
                pos += stream.byte_offset();
                items.push(value);
            }
            _ => return (items, true),
        }
        if items.len() >= super::MAX_ROWS {
            return (items, true);
        }
        pos = skip_whitespace(bytes, pos);
        match bytes.get(pos) {
            Some(b',') => pos += 1,
            Some(b']') => return (items, false),
            _ => return (items, true),
        }
    }
}

fn skip_whitespace(bytes: &[u8], mut pos: usize) -> usize {
    while bytes.get(pos).is_some_and(u8::is_ascii_whitespace) {
        pos += 1;
    }
    pos
}

/// Byte offset of the first `[` that opens a value directly inside the top-level object at
/// `start` (strings are skipped, so brackets inside text do not count).
fn first_nested_array(text: &str, start: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'[' if depth == 1 => return Some(i),
            b'[' => depth += 1,
            b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}
