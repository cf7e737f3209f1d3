//! Turn counting for dataset-viewer sample rows (pure: no I/O).
//!
//! [`analyze`] looks at the rows of a `/first-rows` or `/rows` response, detects how the
//! conversations are laid out ([`Layout`]) from the data and the column names, and counts the
//! turns of each row or conversation. [`TurnAnalysis::stats`] summarises them.
//!
//! **Turn definition.** One turn = one message by one speaker. System prompts are excluded;
//! consecutive messages by one speaker are separate turns; empty messages are skipped; narration
//! lines without a speaker, continuation lines of a multi-line message, persona/profile fields,
//! questions/choices/labels and tool schemas are not turns; tool-call and tool-result messages
//! are turns. Columns repeating the same history (`chosen`/`rejected`) are counted once.
//!
//! **No guessing.** When no layout is recognised, [`analyze`] returns `None`. A single free-text
//! column (e.g. social-media posts with a label) is not a conversation.
//!
//! Detection order (first that applies wins):
//! 1. a column whose cells parse as conversations — lists of messages/strings/rounds, JSON strings
//!    holding them, or transcripts with speaker prefixes / chat templates (`select`);
//! 2. paired columns such as `Context`/`Response` or `instruction`/`input`/`output` (`columns`);
//! 3. one utterance per row grouped by a conversation-id column (`columns`).
#![cfg_attr(not(test), deny(clippy::string_slice, clippy::indexing_slicing))]

mod assemble;
pub mod card;
mod columns;
mod conversation;
pub mod evidence;
pub mod files;
mod labels;
mod lenient_json;
mod messages;
mod names;
mod pyrepr;
mod sample;
pub mod schema;
mod select;
pub mod statistics;
mod stats;
mod transcript;

#[cfg(test)]
mod tests;

pub use sample::{SampleRow, TurnsError};
pub use stats::{conversation_format, ConversationFormat, TurnStats, UnknownFormat};

/// How conversations are laid out in the sampled rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Layout {
    /// A list of `{role, content}`-style message objects (also `speaker`/`text`, ...).
    RoleContentList,
    /// A ShareGPT list of `{from, value}` objects.
    ShareGpt,
    /// A list of plain strings, one message each (optionally with speaker prefixes).
    StringList,
    /// A string cell holding JSON of an inner list layout.
    JsonString(Box<Layout>),
    /// One transcript string (speaker prefixes or a chat template).
    Transcript,
    /// A list of objects each holding one or more speaker fields (`{round, user, supporter}`).
    RoundObjects,
    /// One exchange spread over columns (`Context`/`Response`, `instruction`/`input`/`output`).
    PairedColumns,
    /// One utterance per row, grouped into conversations by an id column.
    UtterancePerRow,
}

impl Layout {
    /// Stable snake_case name, e.g. `role_content_list` or `json_string:sharegpt`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Layout::RoleContentList => "role_content_list",
            Layout::ShareGpt => "sharegpt",
            Layout::StringList => "string_list",
            Layout::Transcript => "transcript",
            Layout::RoundObjects => "round_objects",
            Layout::PairedColumns => "paired_columns",
            Layout::UtterancePerRow => "utterance_per_row",
            Layout::JsonString(inner) => match inner.as_ref() {
                Layout::RoleContentList => "json_string:role_content_list",
                Layout::ShareGpt => "json_string:sharegpt",
                Layout::StringList => "json_string:string_list",
                Layout::RoundObjects => "json_string:round_objects",
                _ => "json_string",
            },
        }
    }

    /// Parses a name produced by [`Layout::as_str`].
    pub fn from_name(name: &str) -> Option<Layout> {
        if let Some(inner) = name.strip_prefix("json_string:") {
            return Layout::from_name(inner).map(|l| Layout::JsonString(Box::new(l)));
        }
        Some(match name {
            "role_content_list" => Layout::RoleContentList,
            "sharegpt" => Layout::ShareGpt,
            "string_list" => Layout::StringList,
            "transcript" => Layout::Transcript,
            "round_objects" => Layout::RoundObjects,
            "paired_columns" => Layout::PairedColumns,
            "utterance_per_row" => Layout::UtterancePerRow,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The conversation format of a dataset from its average turns, or — when only a lower bound
/// is known — `multi_turn` if the bound already reaches 20, else unknown.
pub fn format_of(avg: Option<f64>, lower_bound: Option<f64>) -> Option<ConversationFormat> {
    match (avg, lower_bound) {
        (Some(avg), _) => conversation_format(avg),
        (None, Some(bound)) if bound >= 20.0 => Some(ConversationFormat::MultiTurn),
        _ => None,
    }
}

/// Most bytes of sampled conversation text kept for relevance.
pub const SAMPLE_TEXT_MAX_BYTES: usize = 4_096;

/// A few sampled conversations as text (the conversation cells of the first rows, JSON kept as
/// is so role names such as `counselor` stay visible), at most [`SAMPLE_TEXT_MAX_BYTES`] on a
/// character boundary. Relevance reads it for counseling moves and roles.
pub fn sample_text(rows: &[SampleRow], analysis: &TurnAnalysis) -> String {
    let mut columns = analysis.columns.clone();
    columns.extend(analysis.group_by.iter().cloned());
    let mut out = String::new();
    'rows: for row in rows.iter().take(40) {
        for column in &columns {
            let Some(cell) = row.row.get(column) else {
                continue;
            };
            let text = match cell {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            for c in text.chars().take(1_000) {
                if out.len() + c.len_utf8() > SAMPLE_TEXT_MAX_BYTES {
                    break 'rows;
                }
                out.push(c);
            }
            out.push('\n');
        }
    }
    out
}

/// Turn count of one sampled row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowCount {
    /// The row's `row_idx` in the split.
    pub row_idx: i64,
    /// Turns in the row's conversation.
    pub turns: u32,
    /// Adjacent turns by different speakers (unknown speakers are assumed to alternate).
    pub speaker_switches: u32,
    /// True when the viewer cut the conversation cell: the real count may be higher.
    pub lower_bound: bool,
}

/// Turn count of one distinct conversation (rows repeating a conversation are merged).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversationCount {
    /// The conversation id (id column value) or, without one, the first row's `row_idx`.
    pub key: String,
    /// Turns in the conversation.
    pub turns: u32,
    /// Adjacent turns by different speakers.
    pub speaker_switches: u32,
    /// True when the real count may be higher (cut cell, or a group cut at the sample's edge).
    pub lower_bound: bool,
    /// False when the conversation may continue outside the sampled rows (utterance-per-row
    /// groups touching an edge of the sample). Row-based layouts are always complete.
    pub complete: bool,
}

/// What [`analyze`] found in the sampled rows.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnAnalysis {
    /// The detected layout.
    pub layout: Layout,
    /// Columns the turns were counted from, in conversation order (e.g. `["Context", "Response"]`).
    pub columns: Vec<String>,
    /// For [`Layout::UtterancePerRow`] only: the conversation-id column grouping the rows.
    pub group_by: Option<String>,
    /// Columns holding the same history as the counted one (e.g. `rejected` next to `chosen`);
    /// informational, never added to the counts.
    pub alternate_columns: Vec<String>,
    /// A conversation-id column used to merge rows repeating one conversation (row layouts only).
    pub dedupe_by: Option<String>,
    /// Per-row counts, in row order. Empty for [`Layout::UtterancePerRow`], where one row is one
    /// utterance and only `conversations` are meaningful. Rows whose cell held no conversation are
    /// left out.
    pub rows: Vec<RowCount>,
    /// Distinct conversations: rows with identical conversation content (or the same
    /// `dedupe_by` id) are merged; utterance rows are grouped by `group_by`.
    pub conversations: Vec<ConversationCount>,
    /// `row_idx` of rows whose conversation cell the viewer cut (refetch them with `/rows`).
    pub truncated_rows: Vec<i64>,
}

/// Detects the conversation layout of `rows` and counts turns; `None` when no layout is
/// recognised (no figure is ever guessed).
pub fn analyze(rows: &[SampleRow]) -> Option<TurnAnalysis> {
    analyze_sample(rows, false)
}

/// [`analyze`], told whether `rows` are the whole data (`whole`: a complete file read from its
/// start), so an utterance group ending at the last row is complete rather than possibly
/// continued outside the sample.
pub fn analyze_sample(rows: &[SampleRow], whole: bool) -> Option<TurnAnalysis> {
    if rows.is_empty() {
        return None;
    }
    select::analyze_conversation_columns(rows)
        .or_else(|| columns::analyze_paired(rows))
        .or_else(|| columns::analyze_grouped(rows, whole))
}
