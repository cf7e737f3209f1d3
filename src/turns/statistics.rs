//! Whole-split turn figures from the viewer's `/statistics` (list lengths of a column).
//!
//! For a `list` column the viewer reports min/max/mean/median of the list lengths over the whole
//! split (or its first 5 GB, `partial`). That is the turn distribution only when the layout
//! detector found the conversation in that very list column and its items are whole messages:
//! on every sampled row the list length must equal the counted turns, or exceed them by one
//! (a system prompt or an empty message, which are not turns). Lists of sentences or annotation
//! units fail that check and give no figure. The share of sampled rows with one non-turn item
//! corrects the whole-split figures; the correction is exact only when the share is 0 or 1.
//! Dict-of-lists columns and JSON held in strings (`string_text`) have no list statistics.

use super::evidence::{EvidenceSource, Figure, FigureKind, TurnEvidence};
use super::{Layout, SampleRow, TurnAnalysis};
use serde_json::Value;

/// Share of sampled rows whose list length must match the counted turns (± a system prompt).
const MIN_AGREEMENT: f64 = 0.9;

/// Evidence from a `/statistics` body, checked against the sampled `rows` and their analysis.
/// Without a figure (and with the reason) when the column is not a checked list of messages.
pub fn evidence_from_statistics(
    body: &Value,
    analysis: &TurnAnalysis,
    rows: &[SampleRow],
    detail: &str,
) -> TurnEvidence {
    let nothing =
        |note: &str| TurnEvidence::nothing(EvidenceSource::ViewerStatistics, detail, note);
    let Some(column) = statistics_column(analysis) else {
        return nothing("the conversation is not one list column");
    };
    let Some(entry) = body
        .get("statistics")
        .and_then(Value::as_array)
        .and_then(|all| {
            all.iter()
                .find(|s| s.get("column_name").and_then(Value::as_str) == Some(column))
        })
    else {
        return nothing(&format!("no statistics for column `{column}`"));
    };
    if entry.get("column_type").and_then(Value::as_str) != Some("list") {
        return nothing(&format!("column `{column}` has no list-length statistics"));
    }
    let stats = entry.get("column_statistics").unwrap_or(&Value::Null);
    let number = |key: &str| {
        stats
            .get(key)
            .and_then(Value::as_f64)
            .filter(|v| v.is_finite())
    };
    let (Some(mean), Some(median), Some(min), Some(max)) = (
        number("mean"),
        number("median"),
        number("min"),
        number("max"),
    ) else {
        return nothing(&format!(
            "statistics of `{column}` lack min/max/mean/median"
        ));
    };
    // Compare list lengths with counted turns on the sampled rows.
    let mut compared = 0usize;
    let mut agreeing = 0usize;
    let mut extra_item = 0usize;
    for count in analysis.rows.iter().filter(|c| !c.lower_bound) {
        let Some(length) = rows
            .iter()
            .find(|r| r.row_idx == count.row_idx)
            .and_then(|r| r.row.get(column))
            .and_then(Value::as_array)
            .map(Vec::len)
        else {
            continue;
        };
        compared += 1;
        match length.checked_sub(count.turns as usize) {
            Some(0) => agreeing += 1,
            Some(1) => {
                agreeing += 1;
                extra_item += 1;
            }
            _ => {}
        }
    }
    if compared == 0 {
        return nothing("no uncut sampled row to check the list lengths against");
    }
    if (agreeing as f64) < MIN_AGREEMENT * compared as f64 {
        return nothing(&format!(
            "list items of `{column}` are not one message each ({agreeing} of {compared} sampled rows agree)"
        ));
    }
    let share = extra_item as f64 / compared as f64;
    let partial = body
        .get("partial")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let rows_total = body.get("num_examples").and_then(Value::as_u64);
    let nan = stats.get("nan_count").and_then(Value::as_u64).unwrap_or(0);
    let all_or_none = extra_item == 0 || extra_item == compared;
    let whole_shift = if extra_item == compared { 1.0 } else { 0.0 };
    let to_count = |v: f64| u32::try_from((v.max(0.0)).round() as i64).unwrap_or(0);
    let figure = Figure {
        kind: if all_or_none && !partial {
            FigureKind::Exact
        } else {
            FigureKind::Sample
        },
        avg: (mean - share).max(0.0),
        median: Some((median - if share > 0.5 { 1.0 } else { 0.0 }).max(0.0)),
        min: Some(to_count(min - if extra_item > 0 { 1.0 } else { 0.0 })),
        max: Some(to_count(max - whole_shift)),
        conversations: rows_total.map(|n| n.saturating_sub(nan)),
    };
    let mut notes = Vec::new();
    if extra_item > 0 {
        notes.push(format!(
            "list lengths minus the system/non-turn message that opens {:.0}% of sampled rows",
            share * 100.0
        ));
    }
    if partial {
        notes.push("statistics cover the first 5 GB of the split".to_string());
    }
    TurnEvidence {
        source: EvidenceSource::ViewerStatistics,
        figure: Some(figure),
        detail: detail.to_string(),
        layout: Some(analysis.layout.as_str().to_string()),
        columns: vec![column.to_string()],
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

/// The column `/statistics` can describe: the single native list column of a list layout.
pub fn statistics_column(analysis: &TurnAnalysis) -> Option<&str> {
    let list_layout = matches!(
        analysis.layout,
        Layout::RoleContentList | Layout::ShareGpt | Layout::StringList
    );
    match analysis.columns.as_slice() {
        [column] if list_layout => Some(column.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::turns::analyze;
    use serde_json::json;

    fn rows(cells: Vec<Value>) -> Vec<SampleRow> {
        cells
            .into_iter()
            .enumerate()
            .map(|(i, c)| SampleRow {
                row_idx: i as i64,
                row: serde_json::from_value(json!({ "messages": c })).unwrap(),
                truncated_cells: Vec::new(),
            })
            .collect()
    }

    fn body(mean: f64, partial: bool) -> Value {
        json!({"num_examples": 1300, "partial": partial, "statistics": [{"column_name": "messages",
            "column_type": "list", "column_statistics": {"nan_count": 0, "nan_proportion": 0.0,
            "min": 11, "max": 61, "mean": mean, "median": 29.0, "std": 8.1,
            "histogram": {"hist": [1, 2], "bin_edges": [11, 30, 61]}}}]})
    }

    fn conversation(system: bool, turns: usize) -> Value {
        let mut m = Vec::new();
        if system {
            m.push(json!({"role": "system", "content": "You are a counselor."}));
        }
        for t in 0..turns {
            let role = if t % 2 == 0 { "user" } else { "assistant" };
            m.push(json!({"role": role, "content": format!("message {t}")}));
        }
        Value::Array(m)
    }

    #[test]
    fn system_first_rows_shift_the_split_figures_by_one() {
        let sample = rows(vec![conversation(true, 6), conversation(true, 8)]);
        let analysis = analyze(&sample).unwrap();
        let e = evidence_from_statistics(&body(30.0, false), &analysis, &sample, "default/train");
        let f = e.figure.unwrap();
        assert_eq!(
            (f.kind, f.avg, f.min, f.max),
            (FigureKind::Exact, 29.0, Some(10), Some(60))
        );
        assert_eq!(f.conversations, Some(1300));
        assert!(e.note.unwrap().contains("100%"));
    }

    #[test]
    fn mixed_system_share_and_partial_give_an_estimate() {
        let sample = rows(vec![conversation(true, 6), conversation(false, 8)]);
        let analysis = analyze(&sample).unwrap();
        let f = evidence_from_statistics(&body(30.0, true), &analysis, &sample, "d")
            .figure
            .unwrap();
        assert_eq!((f.kind, f.avg), (FigureKind::Sample, 29.5));
    }

    #[test]
    fn sentence_lists_are_not_turn_counts() {
        // One counselor answer split into sentences: the detector sees no conversation of
        // that length, so the list length is refused.
        let sample: Vec<SampleRow> = (0..3)
            .map(|i| SampleRow {
                row_idx: i,
                row: serde_json::from_value(json!({"messages": conversation(false, 4),
                    "extra": 1}))
                .unwrap(),
                truncated_cells: Vec::new(),
            })
            .collect();
        let mut analysis = analyze(&sample).unwrap();
        for r in &mut analysis.rows {
            r.turns = 1; // what a sentence-list row counts as
        }
        let e = evidence_from_statistics(&body(12.0, false), &analysis, &sample, "d");
        assert!(e.figure.is_none(), "{e:?}");
    }

    #[test]
    fn string_text_columns_fall_back() {
        let sample = rows(vec![conversation(false, 4)]);
        let analysis = analyze(&sample).unwrap();
        let body = json!({"num_examples": 5, "statistics": [{"column_name": "messages",
            "column_type": "string_text", "column_statistics": {"mean": 900.0}}], "partial": false});
        assert!(evidence_from_statistics(&body, &analysis, &sample, "d")
            .figure
            .is_none());
    }
}
