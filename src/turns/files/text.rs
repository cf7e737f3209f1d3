//! Plain-text transcript prefixes: conversations separated by separator lines.

use serde_json::{Map, Value};

/// One `{"text": block}` record per conversation block, whether the prefix was cut, and whether
/// the last record is open (cut inside it).
///
/// Line breaks are normalised (CRLF, lone CR; a file on one physical line that writes its line
/// breaks as the two characters `\n` gets real ones). Blocks are separated by lines made of one
/// repeated punctuation character (`#######`, `=====`, `-----`, `*****`); without separators the
/// file is one conversation. A cut prefix drops its last block when earlier blocks are whole.
pub(super) fn read_text(text: &str, complete: bool) -> (Vec<Value>, bool, bool) {
    let mut normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let physical_lines = normalised.matches('\n').count();
    if physical_lines <= 1 && normalised.matches("\\n").count() >= 2 {
        normalised = normalised.replace("\\n", "\n");
    }
    let mut blocks: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut separated = false;
    for line in normalised.split('\n') {
        if is_separator(line) {
            separated = true;
            blocks.push(std::mem::take(&mut current));
        } else {
            current.push_str(line.trim_end());
            current.push('\n');
        }
    }
    blocks.push(current);
    let last_is_open = !complete;
    let mut records: Vec<Value> = blocks
        .into_iter()
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .map(|b| Value::Object(Map::from_iter([("text".to_string(), Value::String(b))])))
        .collect();
    if last_is_open && separated && records.len() > 1 {
        records.pop();
        return (records, true, false);
    }
    (records, last_is_open, last_is_open)
}

/// A line of at least three copies of one separator character and nothing else.
fn is_separator(line: &str) -> bool {
    let line = line.trim();
    let mut chars = line.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    matches!(first, '#' | '=' | '-' | '*' | '~' | '_')
        && line.chars().count() >= 3
        && chars.all(|c| c == first)
}
