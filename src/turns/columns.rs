//! Layouts spread over several columns or rows.
//!
//! **Paired columns**: one exchange per row, the asking side in one column (`Context`, `question`,
//! `prompt`, `input`, `questionText`, `user`, ...) and the answer in another (`Response`,
//! `answer`, `output`, `completion`, `answerText`, `assistant`, ...). `instruction` and `input`
//! together are ONE user turn. An optional `history` column of `[question, answer]` pairs adds its
//! non-empty messages first. A cut cell is still one message, so the count stays exact.
//!
//! **Utterance per row**: rows grouped by a conversation-id column (`Dialogue_ID`, `conv_id`,
//! ...) with an utterance column (`Utterance`, `text`, ...) and optionally a speaker column, in row
//! order. A group is complete only when its rows are consecutive and the rows just before and after
//! it are in the sample (or it starts at row 0): otherwise it may continue outside the sample and
//! is marked incomplete (a lower bound). `rows` stays empty: one row is one utterance.

use super::assemble::{column_names, row_based, scalar_key, RowConversation};
use super::conversation::{classify_role, Conversation, Role, Speaker};
use super::names::{self, Side};
use super::{ConversationCount, Layout, SampleRow, TurnAnalysis};
use serde_json::Value;
use std::collections::HashSet;

/// String columns: (name, mean length) for columns holding text in at least half of the rows.
fn text_columns(rows: &[SampleRow]) -> Vec<(String, f64)> {
    column_names(rows)
        .into_iter()
        .filter_map(|column| {
            let lengths: Vec<usize> = rows
                .iter()
                .filter_map(|r| r.row.get(&column)?.as_str())
                .map(|s| s.chars().count())
                .collect();
            let mean = lengths.iter().sum::<usize>() as f64 / lengths.len().max(1) as f64;
            (lengths.len() * 2 >= rows.len() && !lengths.is_empty()).then_some((column, mean))
        })
        .collect()
}

/// The longest (by mean length) text column on `side`.
fn longest_on_side(text: &[(String, f64)], side: Side) -> Option<String> {
    text.iter()
        .filter(|(c, _)| names::side(c) == Some(side))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c.clone())
}

fn cell_text<'a>(row: &'a SampleRow, column: &str) -> &'a str {
    row.row
        .get(column)
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
}

/// A `history` column of `[question, answer]` pairs, if any.
fn history_column(rows: &[SampleRow]) -> Option<String> {
    column_names(rows).into_iter().find(|column| {
        names::tokens(column).iter().any(|t| t == "history")
            && rows.iter().any(|r| {
                r.row
                    .get(column)
                    .and_then(Value::as_array)
                    .is_some_and(|pairs| pairs.iter().any(Value::is_array))
            })
    })
}

/// Paired-columns analysis, or `None` when no asking/answering column pair exists.
pub(crate) fn analyze_paired(rows: &[SampleRow]) -> Option<TurnAnalysis> {
    let text = text_columns(rows);
    let instruction = text.iter().find(|(c, _)| names::is_instruction(c));
    let user_columns: Vec<String> = match instruction {
        Some((instruction, _)) => std::iter::once(instruction.clone())
            .chain(
                text.iter()
                    .find(|(c, _)| names::is_input(c))
                    .map(|(c, _)| c.clone()),
            )
            .collect(),
        None => vec![longest_on_side(&text, Side::User)?],
    };
    let answer = longest_on_side(&text, Side::Assistant)?;
    let history = history_column(rows);
    let mut both = 0usize;
    let cells: Vec<RowConversation> = rows
        .iter()
        .map(|row| {
            let mut conversation = Conversation::default();
            if let Some(pairs) = history.as_ref().and_then(|h| row.row.get(h)?.as_array()) {
                for pair in pairs.iter().filter_map(Value::as_array) {
                    let mut speakers = [Speaker::User, Speaker::Assistant].into_iter().cycle();
                    for message in pair.iter().filter_map(Value::as_str) {
                        conversation.push(speakers.next().unwrap_or(Speaker::Unknown), message);
                    }
                }
            }
            let question: Vec<&str> = user_columns
                .iter()
                .map(|c| cell_text(row, c))
                .filter(|t| !t.is_empty())
                .collect();
            conversation.push(Speaker::User, &question.join("\n"));
            let reply = cell_text(row, &answer);
            conversation.push(Speaker::Assistant, reply);
            both += usize::from(!question.is_empty() && !reply.is_empty());
            (!conversation.turns.is_empty()).then_some(conversation)
        })
        .collect();
    if both == 0 || both * 2 < rows.len() {
        return None;
    }
    let mut columns: Vec<String> = history.into_iter().collect();
    columns.extend(user_columns);
    columns.push(answer);
    Some(row_based(
        rows,
        Layout::PairedColumns,
        columns,
        cells,
        Vec::new(),
    ))
}

/// Utterance-per-row analysis, or `None` without an id column whose groups span several rows.
pub(crate) fn analyze_grouped(rows: &[SampleRow], whole: bool) -> Option<TurnAnalysis> {
    let all = column_names(rows);
    let group_by = all.iter().find(|c| {
        names::is_conversation_id(c)
            && rows
                .iter()
                .filter(|r| scalar_key(r.row.get(*c)).is_some())
                .count()
                * 10
                >= rows.len() * 9
    })?;
    let text = text_columns(rows);
    let utterance = text
        .iter()
        .filter(|(c, _)| c != group_by && !names::is_never_conversation(c))
        .filter_map(|(c, _)| Some((names::utterance_rank(c)?, c)))
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, c)| c.clone())?;
    let speaker = all
        .iter()
        .find(|c| *c != group_by && **c != utterance && names::is_speaker(c));

    // (key, rows of the group), in order of first appearance.
    let mut groups: Vec<(String, Vec<&SampleRow>)> = Vec::new();
    for row in rows {
        let Some(key) = scalar_key(row.row.get(group_by)) else {
            continue;
        };
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, members)) => members.push(row),
            None => groups.push((key, vec![row])),
        }
    }
    if groups.iter().all(|(_, members)| members.len() < 2) {
        return None;
    }
    let mut sampled: HashSet<i64> = rows.iter().map(|r| r.row_idx).collect();
    if whole {
        // The data ends after the last row: a group ending there is complete.
        if let Some(last) = rows.iter().map(|r| r.row_idx).max() {
            sampled.insert(last + 1);
        }
    }
    let turn_number = turn_number_column(rows, group_by, &utterance);
    let conversations = groups
        .into_iter()
        .filter_map(|(key, group)| {
            let mut conversation = Conversation::default();
            let mut previous_turn: Option<String> = None;
            for &row in &group {
                // Segment rows of one turn (same turn number) are one message.
                if let Some(column) = &turn_number {
                    let number = scalar_key(row.row.get(column));
                    if number.is_some() && number == previous_turn {
                        continue;
                    }
                    previous_turn = number;
                }
                let who = speaker
                    .and_then(|s| scalar_key(row.row.get(s)))
                    .map_or(Role::Speaker(Speaker::Unknown), |s| classify_role(&s));
                if let Role::Speaker(who) = who {
                    conversation.push(who, cell_text(row, &utterance));
                }
            }
            if conversation.turns.is_empty() {
                return None;
            }
            let complete = is_complete(group.iter().map(|r| r.row_idx), &sampled);
            Some(ConversationCount {
                key,
                turns: conversation.turn_count(),
                speaker_switches: conversation.speaker_switches(),
                lower_bound: !complete,
                complete,
            })
        })
        .collect();
    let mut columns = vec![utterance];
    columns.extend(speaker.cloned());
    Some(TurnAnalysis {
        layout: Layout::UtterancePerRow,
        columns,
        group_by: Some(group_by.clone()),
        alternate_columns: Vec::new(),
        dedupe_by: None,
        rows: Vec::new(),
        conversations,
        truncated_rows: Vec::new(),
    })
}

/// A per-row turn-number column (`turn`, `turn_id`, `turn_no`; integers), when the utterance
/// rows may be segments of one turn. Never the group or utterance column.
fn turn_number_column(rows: &[SampleRow], group_by: &str, utterance: &str) -> Option<String> {
    column_names(rows).into_iter().find(|column| {
        let words = names::tokens(column);
        let named = words.first().is_some_and(|w| w == "turn" || w == "turno")
            && words
                .iter()
                .skip(1)
                .all(|w| ["id", "no", "num", "number", "idx", "index"].contains(&w.as_str()));
        named
            && column != group_by
            && column != utterance
            && rows.iter().all(|r| {
                scalar_key(r.row.get(column)).is_some_and(|v| v.trim().parse::<i64>().is_ok())
            })
    })
}

/// True when a group's rows are consecutive and bounded by sampled rows (or start at row 0).
fn is_complete(row_indices: impl Iterator<Item = i64>, sampled: &HashSet<i64>) -> bool {
    let indices: Vec<i64> = row_indices.collect();
    let (Some(&first), Some(&last)) = (indices.iter().min(), indices.iter().max()) else {
        return false;
    };
    let consecutive = usize::try_from(last - first + 1).is_ok_and(|span| span == indices.len());
    let starts_bounded = first == 0 || sampled.contains(&(first - 1));
    consecutive && starts_bounded && sampled.contains(&(last + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completeness_needs_neighbours() {
        let sampled: HashSet<i64> = (0..20).collect();
        assert!(is_complete(0..14, &sampled));
        assert!(!is_complete(14..20, &sampled));
        let later: HashSet<i64> = (100..120).collect();
        assert!(!is_complete(100..105, &later));
        assert!(is_complete(105..110, &later));
        assert!(!is_complete([105, 107].into_iter(), &later));
    }
}
