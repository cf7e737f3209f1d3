//! Turning per-row conversations into a [`TurnAnalysis`]: per-row counts, the rows to refetch,
//! and the distinct conversations (rows repeating one conversation are merged).

use super::conversation::Conversation;
use super::names;
use super::{ConversationCount, Layout, RowCount, SampleRow, TurnAnalysis};
use serde_json::Value;

/// The conversation read from one row (`None` when the row holds none).
pub(crate) type RowConversation = Option<Conversation>;

/// Column names in order of first appearance over the rows.
pub(crate) fn column_names(rows: &[SampleRow]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for row in rows {
        for key in row.row.keys() {
            if !out.contains(key) {
                out.push(key.clone());
            }
        }
    }
    out
}

/// A scalar cell as a grouping key (`"7-200"`, `12`); `None` for empty or structured cells.
pub(crate) fn scalar_key(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.trim().is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The first conversation-id column (scalar in at least half of the rows), excluding `skip`.
pub(crate) fn conversation_id_column(rows: &[SampleRow], skip: &[String]) -> Option<String> {
    column_names(rows).into_iter().find(|column| {
        !skip.contains(column)
            && names::is_conversation_id(column)
            && rows
                .iter()
                .filter(|r| scalar_key(r.row.get(column)).is_some())
                .count()
                * 2
                >= rows.len()
    })
}

/// A distinct conversation being collected.
struct Entry {
    key: String,
    id: Option<String>,
    fingerprint: u64,
    conversation: Conversation,
}

/// Builds the analysis of a layout where each row holds (at most) one whole conversation.
///
/// Rows sharing a value of a conversation-id column (`dedupe_by`) and the same first message,
/// or holding identical turns, are one conversation; the row with the most turns represents it
/// (datasets that repeat a growing history per row). Conversations with no visible turn (a cut cell nothing
/// could be read from) are left out of `conversations` but their rows are still reported.
pub(crate) fn row_based(
    rows: &[SampleRow],
    layout: Layout,
    columns: Vec<String>,
    cells: Vec<RowConversation>,
    alternate_columns: Vec<String>,
) -> TurnAnalysis {
    let dedupe_by = conversation_id_column(rows, &columns);
    let mut counts = Vec::new();
    let mut truncated_rows = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    for (row, cell) in rows.iter().zip(cells) {
        let Some(conversation) = cell else { continue };
        counts.push(RowCount {
            row_idx: row.row_idx,
            turns: conversation.turn_count(),
            speaker_switches: conversation.speaker_switches(),
            lower_bound: conversation.lower_bound,
        });
        if conversation.lower_bound {
            truncated_rows.push(row.row_idx);
        }
        if conversation.turns.is_empty() {
            continue;
        }
        let id = dedupe_by
            .as_ref()
            .and_then(|column| scalar_key(row.row.get(column)));
        let fingerprint = conversation.fingerprint();
        let same = entries.iter().position(|e| {
            let same_id = id.is_some()
                && e.id == id
                && e.conversation.first_text() == conversation.first_text();
            same_id || (e.fingerprint == fingerprint && e.conversation == conversation)
        });
        // Rows that repeat a growing history (row k+1 = row k + the next turns) are one
        // conversation: the adjacent earlier row is a strict prefix of this one.
        let growing = || {
            let last = entries.last()?;
            let grows = last.conversation.is_strict_prefix_of(&conversation);
            grows.then(|| entries.len() - 1)
        };
        let existing = same.or_else(growing).and_then(|at| entries.get_mut(at));
        match existing {
            Some(entry) => {
                if conversation.turns.len() > entry.conversation.turns.len() {
                    entry.conversation = conversation;
                    entry.fingerprint = fingerprint;
                }
            }
            None => entries.push(Entry {
                key: id.clone().unwrap_or_else(|| row.row_idx.to_string()),
                id,
                fingerprint,
                conversation,
            }),
        }
    }
    let conversations = entries
        .into_iter()
        .map(|e| ConversationCount {
            key: e.key,
            turns: e.conversation.turn_count(),
            speaker_switches: e.conversation.speaker_switches(),
            lower_bound: e.conversation.lower_bound,
            complete: true,
        })
        .collect();
    TurnAnalysis {
        layout,
        columns,
        group_by: None,
        alternate_columns,
        dedupe_by,
        rows: counts,
        conversations,
        truncated_rows,
    }
}
