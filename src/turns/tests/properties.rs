//! Property tests: every turn parser on arbitrary Unicode (combining marks, RTL, CJK, emoji
//! sequences, `İ`/`ẞ`/Kelvin sign, controls, cut UTF-8) never panics, and counts stay sane.
//! `PROPTEST_CASES=100000 cargo test --release --lib properties` is the long run.

use super::super::card::evidence_from_card;
use super::super::labels::{scan_markers, LabelContext};
use super::super::lenient_json::parse_possibly_cut;
use super::super::pyrepr::python_literal_to_json;
use super::super::transcript::parse_transcript;
use super::super::{analyze, analyze_sample, SampleRow};
use crate::test_support::{cases, hostile_text};
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// A cell: hostile text, a list of messages built from it, or its JSON/Python-repr string.
fn cell() -> impl Strategy<Value = Value> {
    prop_oneof![
        hostile_text().prop_map(Value::String),
        prop::collection::vec((hostile_text(), 0usize..4), 0..8).prop_map(|messages| {
            let roles = ["user", "assistant", "system", "Therapist"];
            Value::Array(
                messages
                    .into_iter()
                    .map(|(text, r)| json!({"role": roles[r % roles.len()], "content": text}))
                    .collect(),
            )
        }),
        prop::collection::vec(hostile_text(), 0..6).prop_map(|items| {
            let list = Value::Array(items.into_iter().map(Value::String).collect());
            Value::String(list.to_string())
        }),
        hostile_text().prop_map(|t| Value::String(format!("[{{'from': 'human', 'value': '{t}'}}"))),
    ]
}

fn rows() -> impl Strategy<Value = Vec<SampleRow>> {
    let names = [
        "messages",
        "text",
        "Context",
        "Response",
        "dialog_id",
        "speaker",
        "instruction",
        "output",
        "chosen",
    ];
    prop::collection::vec(
        (
            prop::collection::vec((0usize..names.len(), cell()), 1..4),
            any::<bool>(),
        ),
        0..8,
    )
    .prop_map(move |rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (cells, cut))| {
                let row: Map<String, Value> = cells
                    .into_iter()
                    .map(|(n, v)| (names[n].to_string(), v))
                    .collect();
                let truncated_cells = if cut {
                    row.keys().take(1).cloned().collect()
                } else {
                    Vec::new()
                };
                SampleRow {
                    row_idx: i as i64,
                    row,
                    truncated_cells,
                }
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn layout_detection_never_panics_and_counts_are_sane(rows in rows(), whole: bool) {
        if let Some(analysis) = analyze_sample(&rows, whole) {
            if let Some(stats) = analysis.stats() {
                prop_assert!(stats.min <= stats.max);
                prop_assert!(stats.avg >= f64::from(stats.min) - 1e-9);
                prop_assert!(stats.avg <= f64::from(stats.max) + 1e-9);
            }
        }
        let _ = analyze(&rows);
    }

    #[test]
    fn transcripts_and_labels_never_panic(text in hostile_text()) {
        let _ = scan_markers(&text);
        let context = LabelContext::from_cells([text.as_str()]);
        let _ = parse_transcript(&text, &context);
    }

    #[test]
    fn lenient_json_and_python_literals_never_panic(text in hostile_text(), cut in 0usize..200) {
        let _ = parse_possibly_cut(&text);
        let _ = python_literal_to_json(&text);
        let json = json!([{"role": "user", "content": text}]).to_string();
        let end = (0..=cut.min(json.len())).rev().find(|&i| json.is_char_boundary(i)).unwrap_or(0);
        let _ = parse_possibly_cut(json.get(..end).unwrap_or(""));
    }

    #[test]
    fn card_prose_never_panics(text in hostile_text(), n in 0u32..500) {
        let _ = evidence_from_card(&text);
        // A figure stated before any other text is always read (later text may open a code or
        // citation block, whose contents are rightly skipped).
        let sentence = format!("Dialogues have an average of {n}.5 turns per dialogue.\n{text}");
        let found = evidence_from_card(&sentence);
        if n >= 1 {
            prop_assert!(found.is_some());
        }
    }
}
