//! Reading conversation data files of a dataset repository (pure: bytes in, sample rows out).
//!
//! When the dataset viewer cannot serve a dataset (loading scripts, processing errors, gated
//! data read with a token) or serves only cut cells, the repository's own files are read: a
//! bounded prefix of each, fetched with an HTTP `Range` request. This module turns such a prefix
//! into [`SampleRow`]s, the same rows the viewer would give, so one layout detector
//! ([`crate::turns::analyze_sample`]) counts both.
//!
//! Prefixes are read leniently and never past what is certain:
//! - JSON Lines up to the last complete line (a cut last line is dropped);
//! - a JSON array element by element up to its last complete element (no whole-document parse);
//!   a top-level object is one conversation, or the container of the record array it holds
//!   (`{"version": …, "data": [...]}`), or a map of records keyed by id;
//! - CSV/TSV through the `csv` crate (quoted fields with newlines; delimiter sniffed from the
//!   header line), the last record dropped when the prefix is cut;
//! - plain-text transcripts split into conversations at separator lines (`#####`, `=====`,
//!   `-----`), with CRLF and literal `\n` line breaks normalised.
//!
//! A file whose records are single messages (`[{role, content}, …]` with no conversation id) is
//! one conversation per file, as such repositories mean it, not one conversation per message.
//! Parquet is not read here: the viewer's `/statistics` and rows cover datasets with a Parquet
//! export, and a Parquet reader would double the build for the rare repo that has only Parquet
//! files the viewer cannot serve.

mod choose;
mod delimited;
mod json;
mod text;

#[cfg(test)]
mod tests;

pub use choose::{choose_data_files, RepoFile};

use super::SampleRow;
use serde_json::{Map, Value};

/// Most rows taken from one dataset's files (bounds the analysis cost of huge prefixes).
pub const MAX_ROWS: usize = 2_000;

/// The data-file formats read from repositories.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
    strum::AsRefStr,
    strum::EnumIter,
)]
pub enum FileFormat {
    /// `.jsonl` / `.ndjson`: one JSON value a line.
    #[strum(serialize = "jsonl")]
    JsonLines,
    /// `.json`: one JSON document.
    #[strum(serialize = "json")]
    Json,
    /// `.csv`: comma (or sniffed) separated values with a header.
    #[strum(serialize = "csv")]
    Csv,
    /// `.tsv`: tab separated values with a header.
    #[strum(serialize = "tsv")]
    Tsv,
    /// `.txt`: plain-text transcripts.
    #[strum(serialize = "txt")]
    Text,
}

impl FileFormat {
    /// The format of a repository path from its extension; `None` for anything else (scripts,
    /// archives, images, Parquet, Arrow, ...).
    pub fn from_path(path: &str) -> Option<FileFormat> {
        let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        let ext = name.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "jsonl" | "ndjson" => FileFormat::JsonLines,
            "json" => FileFormat::Json,
            "csv" => FileFormat::Csv,
            "tsv" => FileFormat::Tsv,
            "txt" => FileFormat::Text,
            _ => return None,
        })
    }

    /// Stable name (`jsonl`, `json`, `csv`, `tsv`, `txt`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// How the records of a file map to conversations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileUnit {
    /// Each record is a row (a conversation, an exchange, or an utterance of a grouped layout).
    Records,
    /// The whole file is one conversation (its records are single messages).
    WholeFile,
}

/// What was read from one file prefix.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRows {
    /// The rows, `row_idx` counting from `first_row_idx`.
    pub rows: Vec<SampleRow>,
    /// How records map to conversations.
    pub unit: FileUnit,
    /// The prefix ended inside the data: rows are a leading sample, and with
    /// [`FileUnit::WholeFile`] the one conversation is a lower bound.
    pub cut: bool,
}

/// Reads the rows of a file prefix. `complete` says whether `bytes` is the whole file.
/// `first_row_idx` numbers the rows (so rows of several files can be analysed together).
/// Never fails: unreadable data gives no rows.
pub fn read_rows(format: FileFormat, bytes: &[u8], complete: bool, first_row_idx: i64) -> FileRows {
    let text = decode(bytes, complete);
    let closed = |(records, cut): (Vec<Value>, bool)| (records, cut, false);
    let (records, cut, last_open) = match format {
        FileFormat::JsonLines => closed(json::read_json_lines(&text, complete)),
        FileFormat::Json => closed(json::read_json(&text, complete)),
        FileFormat::Csv => closed(delimited::read_delimited(&text, complete, b',')),
        FileFormat::Tsv => closed(delimited::read_delimited(&text, complete, b'\t')),
        FileFormat::Text => text::read_text(&text, complete),
    };
    let (records, unit) = if is_one_conversation(&records) {
        (
            vec![Value::Object(Map::from_iter([(
                "messages".to_string(),
                Value::Array(records),
            )]))],
            FileUnit::WholeFile,
        )
    } else {
        (records, FileUnit::Records)
    };
    let cut = cut || records.len() > MAX_ROWS;
    let mut rows: Vec<SampleRow> = records
        .into_iter()
        .take(MAX_ROWS)
        .zip(first_row_idx..)
        .map(|(record, row_idx)| SampleRow {
            row_idx,
            row: into_row(record),
            truncated_cells: Vec::new(),
        })
        .collect();
    // A conversation cut by the prefix edge counts as a lower bound, like a viewer-cut cell.
    let open_conversation = cut && (unit == FileUnit::WholeFile || last_open);
    if let Some(last) = rows.last_mut().filter(|_| open_conversation) {
        last.truncated_cells = last.row.keys().cloned().collect();
    }
    FileRows { rows, unit, cut }
}

/// UTF-8 text of a prefix: a byte-order mark dropped, a character cut at the end of an
/// incomplete prefix dropped, invalid bytes replaced.
fn decode(bytes: &[u8], complete: bool) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let usable = if complete {
        bytes
    } else {
        match std::str::from_utf8(bytes) {
            Ok(_) => bytes,
            Err(e) if e.error_len().is_none() => bytes.get(..e.valid_up_to()).unwrap_or(bytes),
            Err(_) => bytes,
        }
    };
    String::from_utf8_lossy(usable).into_owned()
}

/// A record as a row: objects as they are, lists as a `conversation` cell, strings as `text`.
fn into_row(record: Value) -> Map<String, Value> {
    match record {
        Value::Object(map) => map,
        Value::Array(items) => Map::from_iter([("conversation".to_string(), Value::Array(items))]),
        other => Map::from_iter([("text".to_string(), other)]),
    }
}

/// Keys naming the speaker of one message.
const ROLE_KEYS: &[&str] = &[
    "role", "from", "speaker", "author", "sender", "user", "name",
];
/// Keys holding the text of one message.
const TEXT_KEYS: &[&str] = &["content", "value", "text", "message", "utterance", "body"];

/// True when the records are the messages of one conversation: most are flat objects with a
/// speaker key and a text key, at least two speakers occur, and no record carries a
/// conversation id (that would be one utterance per row of many conversations).
fn is_one_conversation(records: &[Value]) -> bool {
    if records.len() < 2 {
        return false;
    }
    let mut speakers: Vec<&str> = Vec::new();
    let mut messages = 0usize;
    for record in records {
        let Some(object) = record.as_object() else {
            continue;
        };
        if object.keys().any(|k| super::names::is_conversation_id(k))
            || object.values().any(|v| v.is_array() || v.is_object())
        {
            return false;
        }
        let role = ROLE_KEYS
            .iter()
            .find_map(|k| object.get(*k).and_then(Value::as_str));
        let has_text = TEXT_KEYS
            .iter()
            .any(|k| object.get(*k).is_some_and(Value::is_string));
        if let (Some(role), true) = (role, has_text) {
            messages += 1;
            if !speakers.contains(&role) {
                speakers.push(role);
            }
        }
    }
    messages * 10 >= records.len() * 9 && speakers.len() >= 2
}

/// Reads several file prefixes of one dataset as one sample: rows are numbered on, and a gap is
/// left after a cut file so an utterance group cut at its edge is not taken as complete.
/// Returns the rows and whether every file was read whole (then the last group is complete).
pub fn read_files<'a>(
    files: impl IntoIterator<Item = (FileFormat, &'a [u8], bool)>,
) -> (Vec<SampleRow>, bool) {
    let mut rows: Vec<SampleRow> = Vec::new();
    let mut next_idx = 0i64;
    let mut whole = true;
    for (format, bytes, complete) in files {
        if rows.len() >= MAX_ROWS {
            whole = false;
            break;
        }
        let read = read_rows(format, bytes, complete, next_idx);
        next_idx = read.rows.last().map_or(next_idx, |r| r.row_idx + 1) + i64::from(read.cut);
        whole &= !read.cut;
        rows.extend(read.rows);
    }
    rows.truncate(MAX_ROWS);
    (rows, whole)
}

#[cfg(test)]
mod enum_names {
    use super::FileFormat;
    use strum::IntoEnumIterator;

    #[test]
    fn file_format_names_are_stable() {
        let names = ["jsonl", "json", "csv", "tsv", "txt"];
        crate::test_support::assert_enum_names::<FileFormat>(&names);
        for (format, name) in FileFormat::iter().zip(names) {
            assert_eq!(format.as_str(), name);
            assert_eq!(
                FileFormat::from_path(&format!("data/train.{name}")),
                Some(format)
            );
        }
    }
}
