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

/// A `{role, content}` conversation of `turns` messages, each about 80 characters.
fn long_conversation(turns: usize, seed: usize) -> Value {
    let messages: Vec<Value> = (0..turns)
        .map(|i| {
            let role = if i % 2 == 0 { "user" } else { "assistant" };
            let topic = ["work", "my family", "the move", "school", "money", "my health"][seed % 6];
            json!({"role": role, "content": format!("Session {seed}, message {i}: I keep thinking about {topic} since {seed} weeks, {}.", seed * 31 + i)})
        })
        .collect();
    json!({ "messages": messages })
}

fn therapy(hub: &FakeHub, id: &str) {
    hub.add_dataset(FakeHub::dataset_item(
        id,
        "Long therapy session conversations between a therapist and a client.",
        &["mental-health", "language:en", "license:mit", FIXTURE_TAG],
    ));
}

#[test]
fn lower_bounds_are_shown_as_bounds_and_filter_honestly() {
    let hub = FakeHub::start();
    hub.set_quota(1_000_000);
    // Both datasets have 40-turn sessions, but the viewer cuts the cells and /rows fails, so
    // only lower bounds are known: about 12 turns for one, about 26 for the other.
    for (id, cut) in [("clinic/cut-short", 1_200), ("clinic/cut-long", 2_700)] {
        therapy(&hub, id);
        // Distinct datasets: their sessions differ (identical ones would form a family).
        let offset = if id.ends_with("long") { 100 } else { 0 };
        let rows = (0..6).map(|i| long_conversation(40, i + offset)).collect();
        hub.set_viewer(
            id,
            ViewerDataset::new()
                .with_split(ViewerSplit::new("default", "train", rows).with_num_rows_total(500))
                .with_error(ViewerEndpoint::Rows, ViewerError::unexpected())
                .with_error(ViewerEndpoint::Statistics, ViewerError::not_found()),
        );
        hub.truncate_cells(id, "default", "train", "messages", cut);
    }
    let sandbox = Sandbox::new();
    assert_ok(&sandbox.sync(&hub.url(), &["--filter", FIXTURE_TAG]));
    let short = sandbox.show_json("clinic/cut-short");
    let bound = short["avg_turns_lower_bound"]
        .as_f64()
        .expect("a lower bound");
    assert!((5.0..20.0).contains(&bound), "{short:#}");
    assert_eq!(short["avg_turns"], Value::Null, "a bound is not an average");
    assert_eq!(
        short["conversation_format"],
        Value::Null,
        "a bound under 20 decides no format"
    );
    assert_eq!(short["turns_figure"], "lower_bound");
    let long = sandbox.show_json("clinic/cut-long");
    assert!(
        long["avg_turns_lower_bound"].as_f64().unwrap_or(0.0) >= 20.0,
        "{long:#}"
    );
    assert_eq!(
        long["conversation_format"], "multi_turn",
        "a bound of 20+ decides it"
    );

    let table = crate::common::stdout(&sandbox.run(&["query", "therapy"]));
    assert!(table.contains(&format!("≥{}", bound.floor())), "{table}");
    let names = |args: &[&str]| {
        let mut names = sandbox.query_names(args);
        names.sort();
        names
    };
    let min = format!("{}", bound.floor());
    assert_eq!(
        names(&["--min-turns", &min]),
        ["clinic/cut-long", "clinic/cut-short"]
    );
    assert_eq!(names(&["--min-turns", "20"]), ["clinic/cut-long"]);
    assert!(
        names(&["--max-turns", "100"]).is_empty(),
        "an open-ended figure has no maximum"
    );
    assert!(names(&["--format", "medium_turn"]).is_empty());
    assert_eq!(names(&["--format", "multi_turn"]), ["clinic/cut-long"]);
}

#[test]
fn files_follow_redirects_without_the_token_and_gated_files_need_one() {
    let hub = FakeHub::start();
    hub.set_quota(1_000_000);
    hub.set_file_redirects(true);
    let id = "clinic/gated-sessions";
    therapy(&hub, id);
    hub.update_dataset(id, |item| item["gated"] = json!("manual"));
    let conversations: String = (0..8)
        .map(|i| format!("{}\n", long_conversation(22, i)))
        .collect();
    hub.add_file(id, "data/train.jsonl", conversations.into_bytes());
    let sandbox = Sandbox::new();
    // Anonymous: a gated dataset is not measured at all.
    assert_ok(&sandbox.sync(&hub.url(), &["--filter", FIXTURE_TAG]));
    assert_eq!(
        hub.count("/datasets/"),
        0,
        "no file of a gated dataset without a token"
    );
    hub.clear_log();
    let out = sandbox
        .command(&[
            "sync",
            "--hub-url",
            &hub.url(),
            "--viewer-url",
            &hub.url(),
            "--filter",
            FIXTURE_TAG,
        ])
        .env("HF_TOKEN", "hf_test_token_123")
        .output()
        .expect("run catalog");
    assert_ok(&out);
    let shown = sandbox.show_json(id);
    assert_eq!(shown["avg_turns"], 22.0, "{shown:#}");
    assert_eq!(shown["turns_figure"], "exact", "the whole file was read");
    let requests = hub.requests();
    let resolve: Vec<_> = requests
        .iter()
        .filter(|r| r.path.contains("/resolve/") && r.path.ends_with("train.jsonl"))
        .collect();
    let storage: Vec<_> = requests
        .iter()
        .filter(|r| r.path.starts_with("/storage/"))
        .collect();
    assert!(!resolve.is_empty() && !storage.is_empty());
    assert!(resolve
        .iter()
        .all(|r| r.authorization.as_deref() == Some("Bearer hf_test_token_123")));
    assert!(
        storage.iter().all(|r| r.authorization.is_none()),
        "the token never goes to the storage host"
    );
}

#[test]
fn range_edge_cases_and_readme_revalidation() {
    let hub = FakeHub::start();
    hub.set_quota(1_000_000);
    // A big file on a server that ignores Range: the client stops at its byte budget.
    let big = "clinic/big-sessions";
    therapy(&hub, big);
    let lines: String = (0..200)
        .map(|i| format!("{}\n", long_conversation(24, i)))
        .collect();
    let big_len = lines.len();
    hub.add_file(big, "data/train.jsonl", lines.into_bytes());
    // An empty data file: 416 for any range.
    let empty = "clinic/empty-file";
    therapy(&hub, empty);
    hub.add_file(empty, "data/train.jsonl", Vec::new());
    hub.add_file(
        empty,
        "README.md",
        "---\nlicense: mit\n---\nSessions have on average 31.5 turns per session.\n",
    );
    hub.set_ignore_range(true);
    let sandbox = Sandbox::new();
    assert_ok(&sandbox.sync(
        &hub.url(),
        &["--filter", FIXTURE_TAG, "--file-bytes", "65536"],
    ));
    let shown = sandbox.show_json(big);
    assert_eq!(shown["avg_turns"], 24.0);
    assert_eq!(
        shown["turns_figure"], "sample",
        "a prefix is a sample, {shown:#}"
    );
    let counted = shown["turns_sampled"].as_i64().unwrap_or(0);
    assert!(
        counted > 5 && counted < 200,
        "only the prefix was parsed: {counted} of 200 ({big_len} bytes)"
    );
    let empty_shown = sandbox.show_json(empty);
    assert_eq!(
        empty_shown["avg_turns"], 31.5,
        "the card states it: {empty_shown:#}"
    );
    assert_eq!(empty_shown["turns_source"], "card");
    assert_eq!(empty_shown["turns_figure"], "stated");

    // The dataset changes upstream: the README is asked again with its ETag and answers 304.
    hub.set_ignore_range(false);
    hub.update_dataset(empty, |item| {
        item["sha"] = json!("0123456789abcdef0123456789abcdef01234567")
    });
    hub.clear_log();
    assert_ok(&sandbox.sync(&hub.url(), &["--filter", FIXTURE_TAG]));
    let readme: Vec<_> = hub
        .requests()
        .into_iter()
        .filter(|r| {
            r.path.starts_with(&format!("/datasets/{empty}/resolve/"))
                && r.path.ends_with("README.md")
        })
        .collect();
    assert_eq!(readme.len(), 1);
    assert_eq!(readme[0].status, Some(304));
    assert_eq!(
        sandbox.show_json(empty)["avg_turns"],
        31.5,
        "the stored README is used"
    );
    let data: Vec<_> = hub
        .requests()
        .into_iter()
        .filter(|r| {
            r.path.starts_with(&format!("/datasets/{empty}/resolve/"))
                && r.path.ends_with("train.jsonl")
        })
        .collect();
    assert_eq!(data.first().and_then(|r| r.status), Some(416));
}
