//! Conversation sampling through the fake dataset viewer: config/split choice, cut cells re-read
//! with /rows, ResponseNotReady retried next sync, 501/401 recorded as unavailable, gated skipped.

use crate::common::fake_hub::{FakeHub, ViewerDataset, ViewerEndpoint, ViewerError, ViewerSplit};
use crate::common::{assert_ok, chat_row, stdout, therapy_item, Sandbox};
use serde_json::Value;

fn hub_with_viewer() -> FakeHub {
    let hub = FakeHub::start();
    hub.set_quota(100_000);
    // Long conversations: 24 messages + a system prompt each; default config, train split.
    hub.add_dataset(therapy_item(
        "clinic/long-therapy-sessions",
        "Multi-turn therapy session conversations",
    ));
    hub.set_viewer(
        "clinic/long-therapy-sessions",
        ViewerDataset::new()
            .with_split(ViewerSplit::new("other", "train", vec![chat_row(2)]))
            .with_split(ViewerSplit::new("default", "test", vec![chat_row(4)]))
            .with_split(ViewerSplit::new(
                "default",
                "train",
                (0..6).map(|_| chat_row(24)).collect(),
            )),
    );
    // Cut cells: /first-rows stringifies and cuts `messages`; /rows returns them whole.
    hub.add_dataset(therapy_item(
        "lab/cut-counseling-chats",
        "Counseling chats, long",
    ));
    hub.set_viewer(
        "lab/cut-counseling-chats",
        ViewerDataset::new().with_split(ViewerSplit::new(
            "default",
            "train",
            (0..4).map(|_| chat_row(30)).collect(),
        )),
    );
    hub.truncate_cells(
        "lab/cut-counseling-chats",
        "default",
        "train",
        "messages",
        200,
    );
    // Not ready yet, blocked, unauthenticated.
    hub.add_dataset(therapy_item(
        "slow/therapy-not-ready",
        "therapy conversations",
    ));
    hub.set_viewer(
        "slow/therapy-not-ready",
        ViewerDataset::new().with_error(ViewerEndpoint::Splits, ViewerError::response_not_ready()),
    );
    hub.add_dataset(therapy_item(
        "blocked/therapy-blocked",
        "therapy conversations",
    ));
    hub.set_viewer(
        "blocked/therapy-blocked",
        ViewerDataset::new().with_error(ViewerEndpoint::Any, ViewerError::blocked_dataset()),
    );
    hub.add_dataset(therapy_item(
        "hidden/therapy-private-viewer",
        "therapy conversations",
    ));
    // Listed as public, but the viewer says it needs authentication (401).
    hub.add_dataset(therapy_item(
        "auth/therapy-viewer-401",
        "therapy conversations",
    ));
    hub.set_viewer(
        "auth/therapy-viewer-401",
        ViewerDataset::new().with_error(ViewerEndpoint::Any, ViewerError::unauthenticated()),
    );
    // No viewer data and unknown to the viewer → 404/401 per the contract.
    let mut gated = therapy_item("gate/therapy-gated", "therapy conversations");
    gated["gated"] = Value::from("manual");
    hub.add_dataset(gated);
    hub
}

#[test]
fn sampling_measures_turns_with_provenance_and_never_fails_the_sync() {
    let hub = hub_with_viewer();
    let sandbox = Sandbox::new();
    let out = sandbox.sync(&hub.url(), &[]);
    assert_ok(&out);
    println!("{}", stdout(&out));

    let long = sandbox.show_json("clinic/long-therapy-sessions");
    assert_eq!(long["avg_turns"], 24.0, "system prompt excluded: {long:#}");
    assert_eq!(long["conversation_format"], "multi_turn");
    assert_eq!(long["turns_source"], "viewer_rows:default/train");
    assert_eq!(long["turns_figure"], "exact");
    assert_eq!(long["turns_exact"], true);
    assert_eq!(long["turns_sampled"], 6);
    assert_eq!(long["num_conversations_source"], "viewer_size");

    let cut = sandbox.show_json("lab/cut-counseling-chats");
    assert_eq!(
        cut["avg_turns"], 30.0,
        "cut cells re-read through /rows: {cut:#}"
    );
    assert_eq!(cut["turns_exact"], true);
    assert!(hub.count("/rows") >= 1);

    let not_ready = sandbox.show_json("slow/therapy-not-ready");
    assert_eq!(not_ready["turns_status"], "retry");
    let blocked = sandbox.show_json("blocked/therapy-blocked");
    assert_eq!(blocked["turns_status"], "unavailable");
    assert!(blocked["turns_reason"]
        .as_str()
        .unwrap_or("")
        .contains("DatasetInBlockListError"));
    let hidden = sandbox.show_json("hidden/therapy-private-viewer");
    assert_eq!(hidden["turns_status"], "unavailable");
    let auth = sandbox.show_json("auth/therapy-viewer-401");
    assert_eq!(auth["turns_status"], "unavailable");
    assert!(
        auth["turns_reason"].as_str().unwrap_or("").contains("401"),
        "{auth:#}"
    );

    // Gated datasets are not sampled at all.
    assert!(!hub
        .requests()
        .iter()
        .any(|r| r.query_value("dataset") == Some("gate/therapy-gated")));

    // Next sync (its retry time forced with --retry-now): only the not-ready dataset is asked
    // again.
    hub.clear_log();
    assert_ok(&sandbox.sync(&hub.url(), &["--retry-now"]));
    let viewer_datasets: std::collections::HashSet<String> = hub
        .requests()
        .iter()
        .filter_map(|r| r.query_value("dataset").map(str::to_string))
        .collect();
    assert_eq!(
        viewer_datasets.into_iter().collect::<Vec<_>>(),
        vec!["slow/therapy-not-ready".to_string()]
    );

    // Filters by turns now work offline.
    let q = sandbox.run(&["query", "--min-turns", "20", "--output", "jsonl"]);
    assert_ok(&q);
    let ids: Vec<String> = stdout(&q)
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&"clinic/long-therapy-sessions".to_string()));
}

#[test]
fn a_viewer_outage_is_retried_next_sync_not_marked_unavailable() {
    let hub = FakeHub::start();
    hub.set_quota(100_000);
    hub.add_dataset(therapy_item(
        "clinic/long-therapy-sessions",
        "therapy session conversations",
    ));
    hub.set_viewer(
        "clinic/long-therapy-sessions",
        ViewerDataset::new().with_split(ViewerSplit::new(
            "default",
            "train",
            (0..3).map(|_| chat_row(22)).collect(),
        )),
    );
    // 503 through the first attempt and all 5 retries.
    hub.inject("/splits", crate::common::fake_hub::Fault::Status(503), 6);
    let sandbox = Sandbox::new();
    assert_ok(&sandbox.sync(&hub.url(), &[]));
    let first = sandbox.show_json("clinic/long-therapy-sessions");
    assert_eq!(first["turns_status"], "retry", "{first:#}");
    // Within the hour the retry schedule keeps the viewer out of a re-sync.
    hub.clear_log();
    assert_ok(&sandbox.sync(&hub.url(), &[]));
    assert_eq!(
        hub.count("/splits"),
        0,
        "not asked again before its retry time"
    );
    assert_eq!(
        sandbox.show_json("clinic/long-therapy-sessions")["turns_status"],
        "retry"
    );
    // `--retry-now` asks at once.
    assert_ok(&sandbox.sync(&hub.url(), &["--retry-now"]));
    let second = sandbox.show_json("clinic/long-therapy-sessions");
    assert_eq!(second["turns_status"], "ok");
    assert_eq!(second["avg_turns"], 22.0);
}
