//! Tests on real and hand-written `/first-rows` samples (files under `tests/fixtures/`).

mod eval_dev;
mod fixtures;

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
