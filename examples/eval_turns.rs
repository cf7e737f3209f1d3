//! Measures turn counting on the eval-dev layout files.
//!
//! Usage: `cargo run --example eval_turns [DIR]` (default `tests/fixtures/eval-dev/layouts` in this
//! repository). `DIR` holds `/first-rows`-shaped `*.json` files and `truth.jsonl`.
//! Prints one line per file, then the per-row accuracy and how many layouts were detected.
//! Exits non-zero when a file cannot be read or parsed.

use catalog::turns::{analyze, SampleRow, TurnAnalysis};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Maps a truth.jsonl layout description to this crate's layout name.
fn expected_layout(description: &str) -> &'static str {
    let d = description.to_lowercase();
    if d.starts_with("one_utterance_per_row") {
        "utterance_per_row"
    } else if d.contains("sharegpt") {
        "sharegpt"
    } else if d.starts_with("list_of_strings") {
        "string_list"
    } else if d.starts_with("transcript") {
        "transcript"
    } else if d.contains("role_content") {
        "role_content_list"
    } else if d.contains("round") {
        "round_objects"
    } else if d.contains("paired") || d.contains("instruction") {
        "paired_columns"
    } else {
        "?"
    }
}

/// (items compared, items equal to truth) for one file.
fn score(truth: &Value, analysis: Option<&TurnAnalysis>) -> (usize, usize) {
    if let Some(expected) = truth.get("conversations").and_then(Value::as_object) {
        let equal = expected
            .iter()
            .filter(|(key, turns)| {
                analysis.is_some_and(|a| {
                    a.conversations
                        .iter()
                        .any(|c| &c.key == *key && Some(u64::from(c.turns)) == turns.as_u64())
                })
            })
            .count();
        return (expected.len(), equal);
    }
    let expected: Vec<u64> = truth
        .get("turns_per_row")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    let found: Vec<u64> = analysis
        .map(|a| a.rows.iter().map(|r| u64::from(r.turns)).collect())
        .unwrap_or_default();
    let equal = expected
        .iter()
        .enumerate()
        .filter(|(i, t)| found.get(*i) == Some(t))
        .count();
    (expected.len(), equal)
}

fn read_rows(path: &Path) -> Result<Vec<SampleRow>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let body: Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    SampleRow::from_viewer_json(&body).map_err(|e| format!("{}: {e}", path.display()))
}

fn main() -> ExitCode {
    let dir = std::env::args().nth(1).map_or_else(
        || {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/eval-dev/layouts"
            ))
        },
        PathBuf::from,
    );
    let truth_text = match std::fs::read_to_string(dir.join("truth.jsonl")) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{}: {e}", dir.join("truth.jsonl").display());
            return ExitCode::FAILURE;
        }
    };
    let mut failed = false;
    let (mut items, mut equal, mut files, mut detected) = (0usize, 0usize, 0usize, 0usize);
    println!(
        "{:<38} {:<18} {:<30} {:>4} {:>10}",
        "file", "expected layout", "detected layout", "rows", "rows exact"
    );
    for line in truth_text.lines().filter(|l| !l.trim().is_empty()) {
        let truth: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("truth.jsonl: {e}");
                failed = true;
                continue;
            }
        };
        let file = truth.get("file").and_then(Value::as_str).unwrap_or("?");
        let rows = match read_rows(&dir.join(file)) {
            Ok(rows) => rows,
            Err(e) => {
                eprintln!("{e}");
                failed = true;
                continue;
            }
        };
        let analysis = analyze(&rows);
        let expected = expected_layout(truth.get("layout").and_then(Value::as_str).unwrap_or(""));
        let found = analysis.as_ref().map_or("none", |a| a.layout.as_str());
        let (n, ok) = score(&truth, analysis.as_ref());
        files += 1;
        detected += usize::from(found == expected);
        items += n;
        equal += ok;
        println!(
            "{file:<38} {expected:<18} {found:<30} {:>4} {:>10}",
            rows.len(),
            format!("{ok}/{n}")
        );
    }
    let percent = if items == 0 {
        0.0
    } else {
        100.0 * equal as f64 / items as f64
    };
    println!("per-row accuracy: {equal}/{items} ({percent:.1}%)");
    println!("layouts detected: {detected}/{files}");
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
