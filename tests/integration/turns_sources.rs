//! Turn figures from every source, end to end: a fake Hub of realistic therapy datasets
//! (`tests/fixtures/turns-corpus`, written for this test with counted truth) and the real
//! conversation files of eval-dev (served as repository files), synced by the real binary.
//!
//! Run with `--nocapture` to see the per-dataset table and the summary quoted in notes.

use crate::common::fake_hub::{FakeHub, ViewerDataset, ViewerEndpoint, ViewerError, ViewerSplit};
use crate::common::{assert_ok, Sandbox};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const FIXTURE_TAG: &str = "corpus-fixture";

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/turns-corpus")
}

fn viewer_error(name: &str) -> Option<ViewerError> {
    Some(match name {
        "response_not_ready" => ViewerError::response_not_ready(),
        "blocked" => ViewerError::blocked_dataset(),
        "streaming_rows_error" => ViewerError::streaming_rows_error(),
        "empty_dataset" => ViewerError::empty_dataset(),
        "unauthenticated" => ViewerError::unauthenticated(),
        "not_found" => ViewerError::not_found(),
        _ => return None,
    })
}

/// Loads one corpus dataset into the fake hub; returns its `dataset.json`.
fn load(hub: &FakeHub, dir: &Path) -> Value {
    let text = std::fs::read_to_string(dir.join("dataset.json")).expect("dataset.json");
    let spec: Value = serde_json::from_str(&text).expect("dataset.json is JSON");
    let id = spec["id"].as_str().expect("id");
    let mut tags: Vec<&str> = spec["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    tags.push(FIXTURE_TAG);
    let mut item = FakeHub::dataset_item(id, spec["description"].as_str().unwrap_or(""), &tags);
    match &spec["card_data"] {
        Value::Null => {
            if let Some(object) = item.as_object_mut() {
                object.remove("cardData");
            }
        }
        card => item["cardData"] = card.clone(),
    }
    item["gated"] = spec["gated"].clone();
    item["siblings"] = json!([{"rfilename": ".gitattributes"}]);
    for extra in spec["extra_siblings"].as_array().into_iter().flatten() {
        if let Some(path) = extra.as_str() {
            if let (true, Some(siblings)) = (path != "README.md", item["siblings"].as_array_mut()) {
                siblings.push(json!({ "rfilename": path }));
            }
        }
    }
    hub.add_dataset(item);
    if let Some(readme) = spec["readme"].as_str() {
        hub.add_file(id, "README.md", readme.as_bytes().to_vec());
    }
    for path in spec["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let bytes = std::fs::read(dir.join("files").join(path)).expect("corpus file");
        hub.add_file(id, path, bytes);
    }
    let viewer = &spec["viewer"];
    if viewer.is_object() {
        let config = viewer["config"].as_str().unwrap_or("default");
        let split = viewer["split"].as_str().unwrap_or("train");
        let rows: Vec<Value> = viewer["rows"].as_array().cloned().unwrap_or_default();
        let total = viewer["num_rows_total"].as_u64();
        let make = |name: &str| {
            let mut s = ViewerSplit::new(config, name, rows.clone());
            if let Some(total) = total {
                s = s.with_num_rows_total(total);
            }
            if let Some(stats) = viewer["statistics"].as_array() {
                s = s.with_statistics(json!({
                    "num_examples": total.unwrap_or(rows.len() as u64),
                    "statistics": stats,
                    "partial": viewer["statistics_partial"].as_bool().unwrap_or(false),
                }));
            }
            s
        };
        let mut data = ViewerDataset::new().with_split(make(split));
        for extra in viewer["extra_splits"].as_array().into_iter().flatten() {
            if let Some(name) = extra.as_str() {
                data = data.with_split(make(name));
            }
        }
        if let Some(error) = viewer["error"].as_str().and_then(viewer_error) {
            data = data.with_error(ViewerEndpoint::Any, error);
        }
        hub.set_viewer(id, data);
        if let Some(cut) = viewer["truncate"].as_object() {
            let column = cut["column"].as_str().unwrap_or("");
            let max = cut["max_chars"].as_u64().unwrap_or(300) as usize;
            hub.truncate_cells(id, config, split, column, max);
        }
    }
    spec
}

/// One dataset's outcome against its truth.
struct Outcome {
    id: String,
    expected_source: String,
    source: String,
    format_ok: bool,
    avg_ok: bool,
    shown: String,
}

fn judge(spec: &Value, shown: &Value) -> Outcome {
    let truth = &spec["truth"];
    let expected_source = truth["expected_source"]
        .as_str()
        .unwrap_or("none")
        .to_string();
    let mut source = shown["turns_source"]
        .as_str()
        .map(|s| s.split(':').next().unwrap_or(s).to_string())
        .unwrap_or_else(|| "none".to_string());
    // A split the viewer sends whole is counted exactly from its rows: asking /statistics
    // for the same figure would be a wasted request.
    if expected_source == "viewer_statistics"
        && source == "viewer_rows"
        && shown["turns_figure"] == "exact"
    {
        source = "viewer_statistics".to_string();
    }
    let format_ok = shown["conversation_format"] == truth["conversation_format"];
    let avg_ok = match (truth["avg_turns"].as_f64(), shown["avg_turns"].as_f64()) {
        (Some(t), Some(a)) => (t - a).abs() <= 0.05 + t * 0.01,
        (None, None) => true,
        _ => false,
    };
    let shown_text = match (
        shown["avg_turns"].as_f64(),
        shown["avg_turns_lower_bound"].as_f64(),
    ) {
        (Some(a), _) => format!("{a:.2}"),
        (None, Some(b)) => format!(">={b:.1}"),
        _ => "-".to_string(),
    };
    Outcome {
        id: spec["id"].as_str().unwrap_or("?").to_string(),
        expected_source,
        source,
        format_ok,
        avg_ok,
        shown: format!(
            "{shown_text} {}",
            shown["conversation_format"].as_str().unwrap_or("-")
        ),
    }
}

fn summarise(title: &str, outcomes: &[Outcome], truths: &[Value]) -> (usize, usize, usize) {
    println!("\n{title}");
    println!(
        "{:<52} {:<18} {:<18} {:<20} {:<22} ok",
        "dataset", "expected source", "source", "shown", "truth"
    );
    let (mut right_source, mut right_format) = (0, 0);
    for (o, truth) in outcomes.iter().zip(truths) {
        let t = &truth["truth"];
        let truth_text = format!(
            "{} {}",
            t["avg_turns"]
                .as_f64()
                .map_or("-".into(), |a| format!("{a:.2}")),
            t["conversation_format"].as_str().unwrap_or("-")
        );
        let ok = o.source == o.expected_source && o.format_ok && o.avg_ok;
        right_source += usize::from(o.source == o.expected_source);
        right_format += usize::from(o.format_ok);
        println!(
            "{:<52} {:<18} {:<18} {:<20} {:<22} {}",
            o.id,
            o.expected_source,
            o.source,
            o.shown,
            truth_text,
            if ok { "yes" } else { "NO" }
        );
    }
    let conversation: Vec<&Outcome> = outcomes
        .iter()
        .filter(|o| o.expected_source != "none")
        .collect();
    let with_figure = conversation.iter().filter(|o| o.source != "none").count();
    println!(
        "conversation datasets with a turn figure: {with_figure}/{}",
        conversation.len()
    );
    for source in [
        "viewer_statistics",
        "viewer_rows",
        "repo_files",
        "schema",
        "card",
    ] {
        let n = conversation.iter().filter(|o| o.source == source).count();
        println!("  from {source:<18} {n}");
    }
    println!(
        "source as expected: {right_source}/{n}; format right: {right_format}/{n}",
        n = outcomes.len()
    );
    (right_source, right_format, outcomes.len())
}

#[test]
fn corpus_of_therapy_datasets_gets_turn_figures_from_every_source() {
    let hub = FakeHub::start();
    hub.set_quota(1_000_000);
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("corpus dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("dataset.json").is_file())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 30, "corpus has {} datasets", dirs.len());
    let specs: Vec<Value> = dirs.iter().map(|d| load(&hub, d)).collect();
    let sandbox = Sandbox::new();
    let out = sandbox.sync(
        &hub.url(),
        &[
            "--filter",
            FIXTURE_TAG,
            "--sample-floor",
            "0",
            "--file-bytes",
            "65536",
        ],
    );
    assert_ok(&out);
    println!("{}", crate::common::stdout(&out));
    let outcomes: Vec<Outcome> = specs
        .iter()
        .map(|spec| judge(spec, &sandbox.show_json(spec["id"].as_str().unwrap_or(""))))
        .collect();
    let (source, format, n) = summarise(
        "turns corpus (tests/fixtures/turns-corpus)",
        &outcomes,
        &specs,
    );
    let wrong: Vec<&str> = outcomes
        .iter()
        .filter(|o| !(o.source == o.expected_source && o.format_ok && o.avg_ok))
        .map(|o| o.id.as_str())
        .collect();
    assert!(
        source * 10 >= n * 9 && format * 10 >= n * 9,
        "wrong: {wrong:?}"
    );
}

#[test]
fn real_conversation_files_served_as_repo_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eval-dev/files");
    let manifest = std::fs::read_to_string(root.join("manifest.jsonl")).expect("manifest");
    let hub = FakeHub::start();
    hub.set_quota(1_000_000);
    hub.set_file_redirects(true);
    let mut specs = Vec::new();
    for (n, line) in manifest
        .lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
    {
        let entry: Value = serde_json::from_str(line).expect("manifest line");
        // One fake repo per manifest entry (several entries share a real repo).
        let id = format!("evaldev/files-{n}");
        let mut item = FakeHub::dataset_item(
            &id,
            "Counseling conversation files (eval-dev).",
            &["mental-health", FIXTURE_TAG],
        );
        item["siblings"] = json!([]);
        hub.add_dataset(item);
        for file in entry["files"].as_array().into_iter().flatten() {
            let local = file["path"].as_str().unwrap_or("");
            // The repo path: the manifest path without its `<owner>__<repo>/` folder.
            let repo_path = local.split_once('/').map_or(local, |(_, p)| p);
            hub.add_file(
                &id,
                repo_path,
                std::fs::read(root.join(local)).expect("file"),
            );
        }
        let mut spec = json!({"id": id, "truth": entry["truth"].clone()});
        spec["truth"]["expected_source"] = json!("repo_files");
        specs.push((entry["id"].as_str().unwrap_or("?").to_string(), spec));
    }
    let sandbox = Sandbox::new();
    let out = sandbox.sync(
        &hub.url(),
        &["--filter", FIXTURE_TAG, "--sample-floor", "0"],
    );
    assert_ok(&out);
    let mut outcomes = Vec::new();
    for (name, spec) in &specs {
        let mut o = judge(spec, &sandbox.show_json(spec["id"].as_str().unwrap_or("")));
        o.id = name.clone();
        outcomes.push(o);
    }
    let truths: Vec<Value> = specs.iter().map(|(_, s)| s.clone()).collect();
    let (_, format, n) = summarise(
        "eval-dev real files (as repo files, behind a redirect)",
        &outcomes,
        &truths,
    );
    assert_eq!(format, n, "every real file's format is right");
    // The data files were fetched from the other host without the token... (no token here);
    // and every file request used Range.
    let file_requests: Vec<_> = hub
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/storage/"))
        .collect();
    assert!(!file_requests.is_empty());
}
