//! Turn counting on real repository files: `cargo run --example eval_files [MANIFEST]`.
//!
//! Reads every dataset of a manifest (default: `tests/fixtures/eval-dev/files/manifest.jsonl`,
//! real conversation files with hand-counted truth) the way `catalog sync` reads repo files —
//! [`catalog::turns::files::read_files`] on each file's bytes, then the layout detector — and
//! prints the figures beside the truth and the naive answers to avoid.

use catalog::turns::files::{read_files, FileFormat};
use catalog::turns::{analyze_sample, conversation_format};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let manifest = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/eval-dev/files/manifest.jsonl")
        });
    let root = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
    let text = std::fs::read_to_string(&manifest)?;
    println!(
        "{:<58} {:<18} {:>6} {:>7} {:>7} {:<12} {:<12} ok",
        "dataset", "layout", "convs", "avg", "truth", "format", "truth fmt"
    );
    let (mut right, mut total) = (0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let entry: Value = serde_json::from_str(line)?;
        let id = entry["id"].as_str().unwrap_or("?");
        let mut contents: Vec<(FileFormat, Vec<u8>)> = Vec::new();
        for file in entry["files"].as_array().into_iter().flatten() {
            let path = file["path"].as_str().unwrap_or("");
            let Some(format) = FileFormat::from_path(path) else {
                continue;
            };
            contents.push((format, std::fs::read(root.join(path))?));
        }
        let (rows, whole) = read_files(
            contents
                .iter()
                .map(|(f, bytes)| (*f, bytes.as_slice(), true)),
        );
        let analysis = analyze_sample(&rows, whole);
        let stats = analysis.as_ref().and_then(|a| a.stats());
        let truth = &entry["truth"];
        let truth_avg = truth["avg_turns"].as_f64().unwrap_or(f64::NAN);
        let truth_format = truth["conversation_format"].as_str().unwrap_or("?");
        let format = stats
            .as_ref()
            .and_then(|s| conversation_format(s.avg))
            .map_or("-", |f| f.as_str());
        let ok = format == truth_format
            && stats
                .as_ref()
                .is_some_and(|s| (s.avg - truth_avg).abs() < 0.05);
        total += 1;
        right += usize::from(ok);
        println!(
            "{:<58} {:<18} {:>6} {:>7} {:>7.2} {:<12} {:<12} {}",
            id,
            analysis.as_ref().map_or("-", |a| a.layout.as_str()),
            stats
                .as_ref()
                .map_or("-".into(), |s| s.conversations.to_string()),
            stats
                .as_ref()
                .map_or("-".into(), |s| format!("{:.2}", s.avg)),
            truth_avg,
            format,
            truth_format,
            if ok { "yes" } else { "NO" }
        );
    }
    println!("datasets with the right average and format: {right}/{total}");
    Ok(())
}
