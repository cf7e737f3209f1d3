//! Finding the column that holds whole conversations, and reading it.
//!
//! Every column not ruled out by its name (personas, choices, tools, ...) is tried:
//! - list/dict cells → [`messages`]; a cell the viewer cut (a stringified prefix) is closed
//!   leniently with [`lenient_json`] and counted as a lower bound;
//! - string cells that are mostly JSON lists → the same, reported as `json_string:<inner>`;
//! - other strings → [`transcript`] with a column-wide [`LabelContext`].
//!
//! A column is accepted when at least half of its (uncut) non-empty cells hold at least one turn,
//! plus a plausibility check per layout (a string list needs speaker prefixes on 60% of its items
//! or a conversational column name; a transcript column needs two distinct speakers and trusted
//! roles or a real back-and-forth). The best column has the most parsed rows, is not a `rejected`
//! column, has the most turns, then comes first.
//!
//! A partner column on the other side of the exchange is joined to it: a parsed conversation
//! column (`prompt` + `completion` message lists), or a plain answer after a history (transcript
//! `input` + `output`, transcript `prompt` + `chosen`). A partner already containing the best
//! column's messages is not joined. Columns repeating the same history (`chosen`/`rejected`) are
//! only reported as alternates.

use super::assemble::{column_names, row_based, RowConversation};
use super::conversation::{Conversation, Speaker};
use super::labels::LabelContext;
use super::lenient_json::parse_possibly_cut;
use super::messages::{parse_list_value, ListKind, ListParse};
use super::names::{self, Side};
use super::pyrepr::python_literal_to_json;
use super::transcript::parse_transcript;
use super::{Layout, SampleRow, TurnAnalysis};
use serde_json::Value;
use std::collections::HashMap;

/// Share of list items that must carry a speaker prefix for an unnamed string list.
const MIN_PREFIXED_SHARE: f64 = 0.6;
/// Share of parsed transcript cells that must show a back-and-forth when no role is well known.
const MIN_BACK_AND_FORTH_SHARE: f64 = 0.3;

/// A column whose cells were read as conversations.
#[derive(Debug, Clone)]
pub(crate) struct ColumnParse {
    /// Column name.
    pub column: String,
    /// Detected layout.
    pub layout: Layout,
    /// One entry per sample row; `None` where the cell holds no conversation.
    pub cells: Vec<RowConversation>,
    /// Rows (uncut when possible) with at least one turn.
    pub parsed_rows: usize,
    /// Turns over all rows.
    pub total_turns: u64,
}

/// Analysis from the best conversation column, or `None` when no column holds conversations.
pub(crate) fn analyze_conversation_columns(rows: &[SampleRow]) -> Option<TurnAnalysis> {
    let parses: Vec<ColumnParse> = column_names(rows)
        .iter()
        .filter(|c| !names::is_never_conversation(c))
        .filter_map(|c| parse_column(rows, c))
        .collect();
    // Most parsed rows, then not a `rejected` column, then most turns, then first.
    let rank = |p: &ColumnParse| {
        let rejected = names::tokens(&p.column).iter().any(|t| t == "rejected");
        (p.parsed_rows, !rejected, p.total_turns)
    };
    let mut best: Option<&ColumnParse> = None;
    for parse in &parses {
        let better = best.is_none_or(|b| rank(parse) > rank(b));
        if better {
            best = Some(parse);
        }
    }
    let best = best?;
    let mut columns = vec![best.column.clone()];
    let mut cells = best.cells.clone();
    let partner = find_partner(rows, &parses, best);
    if let Some((partner_column, partner_cells, partner_first)) = &partner {
        cells = combine(&cells, partner_cells, *partner_first);
        if *partner_first {
            columns.insert(0, partner_column.clone());
        } else {
            columns.push(partner_column.clone());
        }
    }
    let alternates = parses
        .iter()
        .filter(|p| p.column != best.column)
        .filter(|p| partner.as_ref().is_none_or(|(c, _, _)| *c != p.column))
        .filter(|p| same_history(&best.cells, &p.cells))
        .map(|p| p.column.clone())
        .collect();
    Some(row_based(
        rows,
        best.layout.clone(),
        columns,
        cells,
        alternates,
    ))
}

/// True for cells that hold nothing.
fn is_blank(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The items of `items` at the row indices `reference`.
fn at_rows<'a, T>(items: &'a [T], reference: &'a [usize]) -> impl Iterator<Item = &'a T> {
    reference.iter().filter_map(|&i| items.get(i))
}

/// Reads one column; `None` when it does not hold conversations.
fn parse_column(rows: &[SampleRow], column: &str) -> Option<ColumnParse> {
    let present: Vec<Option<&Value>> = rows
        .iter()
        .map(|r| r.row.get(column).filter(|v| !is_blank(v)))
        .collect();
    let cut: Vec<bool> = rows.iter().map(|r| r.is_truncated(column)).collect();
    let uncut: Vec<usize> = present
        .iter()
        .zip(&cut)
        .enumerate()
        .filter(|(_, (cell, &cut))| cell.is_some() && !cut)
        .map(|(i, _)| i)
        .collect();
    let reference: Vec<usize> = if uncut.is_empty() {
        present
            .iter()
            .enumerate()
            .filter(|(_, cell)| cell.is_some())
            .map(|(i, _)| i)
            .collect()
    } else {
        uncut
    };
    let native = at_rows(&present, &reference)
        .filter(|cell| cell.is_some_and(|v| v.is_array() || v.is_object()))
        .count();
    let strings = at_rows(&present, &reference)
        .filter(|cell| cell.is_some_and(Value::is_string))
        .count();
    let conversational = names::is_conversational(column);
    let parse = if native > 0 && native >= strings {
        let lists = read_lists(&present, &cut, conversational, false);
        list_column(column, lists, &reference, &cut, conversational, false)
    } else if strings > 0 {
        let lists = read_lists(&present, &cut, conversational, true);
        let json_cells = at_rows(&lists, &reference).flatten().count();
        if json_cells > 0 && json_cells * 2 >= reference.len() {
            list_column(column, lists, &reference, &cut, conversational, true)
        } else {
            transcript_column(column, &present, &cut, &reference)
        }
    } else {
        None
    }?;
    (parse.parsed_rows > 0).then_some(parse)
}

/// Reads every cell as a list layout (decoding JSON strings, leniently when cut).
fn read_lists(
    present: &[Option<&Value>],
    cut: &[bool],
    conversational: bool,
    strings_only: bool,
) -> Vec<Option<ListParse>> {
    present
        .iter()
        .zip(cut)
        .map(|(cell, &cut)| match cell {
            Some(Value::String(text)) => {
                let trimmed = text.trim_start();
                if !(trimmed.starts_with('[') || trimmed.starts_with('{')) {
                    return None;
                }
                let value = if cut {
                    parse_possibly_cut(trimmed).or_else(|| {
                        python_literal_to_json(trimmed).and_then(|j| parse_possibly_cut(&j))
                    })?
                } else {
                    serde_json::from_str(trimmed).ok().or_else(|| {
                        // CSV uploads often hold Python reprs: `[{'role': 'user', ...}]`.
                        python_literal_to_json(trimmed).and_then(|j| serde_json::from_str(&j).ok())
                    })?
                };
                parse_list_value(&value, conversational)
            }
            Some(value) if !strings_only => parse_list_value(value, conversational),
            _ => None,
        })
        .collect()
}

/// Counts how many reference rows hold at least one turn.
fn count_parsed(cells: &[RowConversation], reference: &[usize]) -> usize {
    at_rows(cells, reference)
        .flatten()
        .filter(|c| !c.turns.is_empty())
        .count()
}

/// Builds the per-row conversations of a list column and checks it is plausible.
fn list_column(
    column: &str,
    lists: Vec<Option<ListParse>>,
    reference: &[usize],
    cut: &[bool],
    conversational: bool,
    from_json_strings: bool,
) -> Option<ColumnParse> {
    let mut votes: HashMap<ListKind, usize> = HashMap::new();
    for parse in at_rows(&lists, reference).flatten() {
        *votes.entry(parse.kind).or_default() += 1;
    }
    let kind = [
        ListKind::RoleContent,
        ListKind::ShareGpt,
        ListKind::Strings,
        ListKind::Rounds,
    ]
    .into_iter()
    .max_by_key(|k| {
        (
            votes.get(k).copied().unwrap_or(0),
            usize::from(*k == ListKind::RoleContent),
        )
    })?;
    let prefixed: usize = lists.iter().flatten().map(|p| p.prefixed_items).sum();
    let items: usize = lists.iter().flatten().map(|p| p.items).sum();
    let prefixes_trusted = items > 0 && prefixed as f64 >= MIN_PREFIXED_SHARE * items as f64;
    if kind == ListKind::Strings && !prefixes_trusted && !conversational {
        return None;
    }
    let cells: Vec<RowConversation> = lists
        .into_iter()
        .zip(cut)
        .map(|(parse, &cut)| {
            let mut conversation = match parse {
                Some(parse) => parse.conversation,
                None if cut => Conversation::default(),
                None => return None,
            };
            if kind == ListKind::Strings && !prefixes_trusted {
                conversation.forget_speakers();
            }
            conversation.lower_bound = cut;
            Some(conversation)
        })
        .collect();
    let inner = match kind {
        ListKind::RoleContent => Layout::RoleContentList,
        ListKind::ShareGpt => Layout::ShareGpt,
        ListKind::Strings => Layout::StringList,
        ListKind::Rounds => Layout::RoundObjects,
    };
    let layout = if from_json_strings {
        Layout::JsonString(Box::new(inner))
    } else {
        inner
    };
    accept(column, layout, cells, reference)
}

/// Builds the per-row conversations of a transcript column and checks it is plausible.
fn transcript_column(
    column: &str,
    present: &[Option<&Value>],
    cut: &[bool],
    reference: &[usize],
) -> Option<ColumnParse> {
    let texts: Vec<Option<&str>> = present.iter().map(|v| v.and_then(Value::as_str)).collect();
    let context = LabelContext::from_cells(texts.iter().flatten().copied());
    let mut trusted = false;
    let mut back_and_forth = 0usize;
    let mut parsed = 0usize;
    let mut speakers: Vec<Speaker> = Vec::new();
    let cells: Vec<RowConversation> = texts
        .iter()
        .zip(cut)
        .map(|(text, &cut)| {
            let parse = text.and_then(|t| parse_transcript(t, &context));
            let Some(parse) = parse else {
                return cut.then(|| Conversation {
                    lower_bound: true,
                    ..Conversation::default()
                });
            };
            parsed += 1;
            trusted |= parse.trusted_roles;
            back_and_forth += usize::from(parse.back_and_forth);
            for turn in &parse.conversation.turns {
                if turn.speaker != Speaker::Unknown && !speakers.contains(&turn.speaker) {
                    speakers.push(turn.speaker.clone());
                }
            }
            let mut conversation = parse.conversation;
            conversation.lower_bound = cut;
            Some(conversation)
        })
        .collect();
    let exchange = back_and_forth as f64 >= MIN_BACK_AND_FORTH_SHARE * parsed as f64;
    if speakers.len() < 2 || !(trusted || exchange) {
        return None;
    }
    accept(column, Layout::Transcript, cells, reference)
}

/// Accepts the column when at least half of the reference rows hold a conversation.
fn accept(
    column: &str,
    layout: Layout,
    cells: Vec<RowConversation>,
    reference: &[usize],
) -> Option<ColumnParse> {
    let parsed_rows = count_parsed(&cells, reference);
    if parsed_rows == 0 || parsed_rows * 2 < reference.len() {
        return None;
    }
    let total_turns = cells
        .iter()
        .flatten()
        .map(|c| u64::from(c.turn_count()))
        .sum();
    Some(ColumnParse {
        column: column.to_string(),
        layout,
        cells,
        parsed_rows,
        total_turns,
    })
}

/// The column on the other side of the exchange from `best` (e.g. `completion` for `prompt`),
/// as (name, per-row conversations, whether it comes first).
fn find_partner(
    rows: &[SampleRow],
    parses: &[ColumnParse],
    best: &ColumnParse,
) -> Option<(String, Vec<RowConversation>, bool)> {
    let wanted = match names::side(&best.column)? {
        Side::User => Side::Assistant,
        Side::Assistant => Side::User,
    };
    for column in column_names(rows) {
        if column == best.column || names::side(&column) != Some(wanted) {
            continue;
        }
        // A plain answer may follow a history; a plain prompt is not prepended to a full
        // conversation (it is usually an instruction to generate it, not a turn).
        let cells = match parses.iter().find(|p| p.column == column) {
            Some(parse) => parse.cells.clone(),
            None if wanted == Side::Assistant => match single_messages(rows, &column, wanted) {
                Some(cells) => cells,
                None => continue,
            },
            None => continue,
        };
        let partner_first = wanted == Side::User;
        if !repeats_history(&best.cells, &cells) {
            return Some((column, cells, partner_first));
        }
    }
    None
}

/// A plain-string column read as one message per row; `None` if it is mostly not text.
fn single_messages(rows: &[SampleRow], column: &str, side: Side) -> Option<Vec<RowConversation>> {
    let speaker = match side {
        Side::User => Speaker::User,
        Side::Assistant => Speaker::Assistant,
    };
    let cells: Vec<RowConversation> = rows
        .iter()
        .map(|r| {
            let text = r.row.get(column)?.as_str()?;
            let mut conversation = Conversation::default();
            conversation.push(speaker.clone(), text);
            (!conversation.turns.is_empty()).then_some(conversation)
        })
        .collect();
    let present = cells.iter().flatten().count();
    (present * 2 >= rows.len()).then_some(cells)
}

/// True when one side already contains the other's first message in most rows (a full history).
fn repeats_history(a: &[RowConversation], b: &[RowConversation]) -> bool {
    let (mut both, mut repeated) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        let (Some(x), Some(y)) = (x, y) else { continue };
        both += 1;
        let contains = |whole: &Conversation, part: &Conversation| {
            part.first_text()
                .is_some_and(|first| whole.turns.iter().any(|t| t.text == first))
        };
        if contains(x, y) || contains(y, x) {
            repeated += 1;
        }
    }
    both > 0 && repeated * 2 > both
}

/// True when two columns start with the same message in most rows (`chosen` / `rejected`).
fn same_history(a: &[RowConversation], b: &[RowConversation]) -> bool {
    let (mut both, mut same) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        let (Some(x), Some(y)) = (x, y) else { continue };
        both += 1;
        same += usize::from(x.first_text().is_some() && x.first_text() == y.first_text());
    }
    both > 0 && same * 2 > both
}

/// Joins per-row conversations of two columns (the partner first or last).
fn combine(
    main: &[RowConversation],
    partner: &[RowConversation],
    partner_first: bool,
) -> Vec<RowConversation> {
    main.iter()
        .zip(partner)
        .map(|(m, p)| {
            let m = m.as_ref()?;
            let Some(p) = p else { return Some(m.clone()) };
            let (first, second) = if partner_first { (p, m) } else { (m, p) };
            let mut joined = first.clone();
            joined.turns.extend(second.turns.iter().cloned());
            joined.lower_bound = m.lower_bound || p.lower_bound;
            Some(joined)
        })
        .collect()
}
