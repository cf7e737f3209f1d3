//! A whole session against the fake Hub, printed for people to read (and for the issue notes):
//! `cargo test --test demo_session -- --ignored --nocapture`.

use crate::common::fake_hub::{FakeHub, ViewerDataset, ViewerSplit};
use crate::common::{assert_ok, chat_row, stdout, Sandbox};
use serde_json::json;

#[test]
#[ignore = "prints a demo session; run explicitly"]
fn demo_session() {
    let hub = FakeHub::start();
    hub.set_quota(100_000);
    let datasets = [
        ("clinic/trauma-therapy-conversations", "Trauma-focused CBT therapy conversations between licensed therapists and clients with PTSD; multi-turn, de-identified.", &["language:en", "license:mit", "mental-health", "task_categories:text-generation"][..], 5400, Some(26)),
        ("peer/counseling-chat-es", "Conversaciones de consejería psicológica (counseling conversations in Spanish) between peer supporters and help seekers.", &["language:es", "license:cc-by-4.0", "counseling"][..], 320, Some(8)),
        ("help/mental-health-counseling-qa", "Mental health counseling question answering: a client question and a counselor answer.", &["language:en", "license:mit", "mental-health"][..], 12_000, Some(2)),
        ("esc/emotional-support-conversations", "Emotional support conversation (ESConv-style) between a seeker and a supporter with support strategies.", &["language:en", "license:cc-by-nc-4.0", "emotional-support"][..], 2100, Some(29)),
        ("bio/gene-therapy-vectors", "AAV capsid sequences for gene therapy vector design.", &["language:en", "license:mit"][..], 90_000, None),
        ("shop/customer-support-therapy-pillows", "Customer support tickets for a pillow shop called Therapy Pillows.", &["language:en", "license:apache-2.0"][..], 800, None),
    ];
    for (id, desc, tags, downloads, turns) in datasets {
        let mut item = FakeHub::dataset_item(id, desc, tags);
        item["downloads"] = json!(downloads);
        hub.add_dataset(item);
        if let Some(t) = turns {
            hub.set_viewer(
                id,
                ViewerDataset::new().with_split(ViewerSplit::new(
                    "default",
                    "train",
                    (0..8).map(|_| chat_row(t)).collect(),
                )),
            );
        }
    }
    let sandbox = Sandbox::new();
    let show = |title: &str, args: &[&str]| {
        let out = sandbox
            .command(args)
            .env("COLUMNS", "140")
            .output()
            .unwrap();
        assert_ok(&out);
        println!("$ catalog {}\n{}", args.join(" "), stdout(&out));
        let _ = title;
    };
    let out = sandbox.sync(&hub.url(), &[]);
    assert_ok(&out);
    println!(
        "$ catalog sync --hub-url <fake> --viewer-url <fake>\n{}",
        stdout(&out)
    );
    show("table", &["query", "trauma therapy"]);
    show(
        "filters",
        &[
            "query",
            "support conversations",
            "--min-turns",
            "5",
            "--language",
            "en",
        ],
    );
    show(
        "no match",
        &[
            "query",
            "counseling",
            "--min-turns",
            "5",
            "--language",
            "en",
        ],
    );
    show("explain", &["query", "CBT", "--limit", "2", "--explain"]);
    show("show", &["show", "clinic/trauma-therapy-conversations"]);
    show("report", &["report"]);
    show("status", &["status"]);
}
