//! Turn figures whose reading is delicate, end to end through the real binary and the fake Hub:
//! lower bounds from cut viewer cells (shown and filtered as bounds), repository files behind
//! redirects (the token never follows them; gated files need it), and Range edge cases with
//! README revalidation.

use crate::common::fake_hub::{FakeHub, ViewerDataset, ViewerEndpoint, ViewerError, ViewerSplit};
use crate::common::{assert_ok, Sandbox};
use serde_json::{json, Value};

const FIXTURE_TAG: &str = "corpus-fixture";

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
