//! Tests on real and hand-written `/first-rows` samples (files under `tests/fixtures/`).

mod eval_dev;
mod fixtures;
mod properties;

use super::{analyze, SampleRow, TurnAnalysis};

/// Reads a `/first-rows`-shaped file relative to the crate's `tests/fixtures/` directory.
pub(super) fn load(relative: &str) -> Vec<SampleRow> {
    let path = format!("{}/tests/fixtures/{relative}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let body: serde_json::Value = serde_json::from_str(&text).unwrap();
    SampleRow::from_viewer_json(&body).unwrap()
}

/// Analyses a fixture file, failing the test when no layout is found.
pub(super) fn analyze_file(relative: &str) -> TurnAnalysis {
    analyze(&load(relative)).unwrap_or_else(|| panic!("{relative}: no layout detected"))
}

/// Per-row turn counts.
pub(super) fn turns(analysis: &TurnAnalysis) -> Vec<u32> {
    analysis.rows.iter().map(|r| r.turns).collect()
}

/// Rows built inline: `(column, cell)` pairs per row.
fn inline_rows(rows: &[Vec<(&str, serde_json::Value)>]) -> Vec<SampleRow> {
    rows.iter()
        .enumerate()
        .map(|(i, cells)| SampleRow {
            row_idx: i as i64,
            row: cells
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            truncated_cells: Vec::new(),
        })
        .collect()
}

#[test]
fn python_repr_cells_from_csv_uploads_are_read() {
    let cell = |n: usize| {
        let messages: Vec<String> = (0..n)
            .map(|i| {
                let from = if i % 2 == 0 { "human" } else { "gpt" };
                format!("{{'from': '{from}', 'value': \"I can't stop worrying ({i})\"}}")
            })
            .collect();
        serde_json::Value::String(format!("[{}]", messages.join(", ")))
    };
    let rows = inline_rows(&[
        vec![("conversations", cell(6))],
        vec![("conversations", cell(4))],
    ]);
    let analysis = analyze(&rows).expect("python repr list recognised");
    assert_eq!(turns(&analysis), vec![6, 4]);
}

#[test]
fn vicuna_one_line_templates_count_every_turn() {
    let text = "USER: hi ASSISTANT: hello</s>USER: more ASSISTANT: ok</s>";
    let rows = inline_rows(&[
        vec![("text", serde_json::Value::from(text))],
        vec![("text", serde_json::Value::from(text))],
    ]);
    let analysis = analyze(&rows).expect("transcript recognised");
    assert_eq!(turns(&analysis), vec![4, 4]);
}

#[test]
fn chatglm_history_pairs_count_the_whole_conversation() {
    let row = |n_history: usize| {
        let history: Vec<serde_json::Value> = (0..n_history)
            .map(|i| serde_json::json!([format!("我最近很焦虑 {i}"), format!("能多说一些吗？{i}")]))
            .collect();
        vec![
            ("instruction", serde_json::Value::from("我还是睡不着")),
            ("input", serde_json::Value::from("")),
            (
                "output",
                serde_json::Value::from("我们一起看看可以做些什么。"),
            ),
            ("history", serde_json::Value::from(history)),
        ]
    };
    let analysis = analyze(&inline_rows(&[row(2), row(3)])).expect("layout");
    // history pairs (2 turns each) + the final instruction/output exchange.
    assert_eq!(turns(&analysis), vec![6, 8]);
}
