//! Families end to end through the real binary: imported copies, a conversion-free clone and a
//! translation collapse to one row in `query`, expand with `--all-copies`, carry `family_id`,
//! `family_role` and `related` in JSON, collapse in `export --collapse`, are listed by `show`,
//! and `similar` leaves the dataset's own family out.

use crate::common::{assert_ok, stdout, Sandbox};
use serde_json::{json, Value};

const LONG: &str = "Counseling conversations between licensed therapists and clients, collected from an online platform where people ask questions about anxiety, depression and relationships and a therapist answers each question.";

fn item(id: &str, description: &str, created: &str, card: Value) -> Value {
    json!({"_id": format!("{:024x}", id.len() * 7919 + description.len()), "id": id,
        "sha": format!("{:040x}", id.len()), "description": description, "tags": ["mental-health"],
        "createdAt": created, "lastModified": created, "downloads": 100, "likes": 1,
        "private": false, "gated": false, "disabled": false, "cardData": card})
}

fn catalog() -> Sandbox {
    let features = json!({"dataset_info": {"features": [{"name": "questionText", "dtype": "string"},
        {"name": "answerText", "dtype": "string"}], "splits": [{"name": "train", "num_examples": 2100}]},
        "language": ["en"]});
    let items = [
        item("nbertagnolli/counsel-chat", LONG, "2021-01-01T00:00:00.000Z", features.clone()),
        item("mirror-org/counsel-chat", LONG, "2023-01-01T00:00:00.000Z", features.clone()),
        item("kr-lab/counsel-chat-ko", "상담 대화 데이터셋입니다. 내담자의 질문에 상담사가 답변합니다. 불안과 우울, 관계에 관한 질문이 많습니다.",
            "2024-01-01T00:00:00.000Z", json!({"language": ["ko"], "source_datasets": ["nbertagnolli/counsel-chat"]})),
        item("clinic/cbt-sessions", "Cognitive behavioral therapy sessions between a therapist and clients with anxiety, as multi-turn counseling conversations.",
            "2024-02-01T00:00:00.000Z", json!({"language": ["en"]})),
    ];
    let sandbox = Sandbox::new();
    sandbox.import_items(&items);
    sandbox
}

#[test]
fn a_family_collapses_in_query_and_expands_on_request() {
    let sandbox = catalog();
    let collapsed = sandbox.query_names(&["counsel", "--min-relevance", "0"]);
    let family: Vec<&String> = collapsed
        .iter()
        .filter(|id| id.contains("counsel-chat"))
        .collect();
    assert_eq!(family.len(), 1, "one row per family: {collapsed:?}");
    let table = stdout(&sandbox.run(&["query", "counsel", "--min-relevance", "0"]));
    assert!(table.contains("related]"), "{table}");
    let all = sandbox.query_names(&["counsel", "--min-relevance", "0", "--all-copies"]);
    assert_eq!(
        all.iter().filter(|id| id.contains("counsel-chat")).count(),
        3,
        "{all:?}"
    );

    let out = stdout(&sandbox.run(&[
        "query",
        "counsel",
        "--min-relevance",
        "0",
        "--all-copies",
        "--output",
        "json",
    ]));
    let records: Vec<Value> = serde_json::from_str(&out).unwrap();
    let by_id = |id: &str| {
        records
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap_or_default()
    };
    assert_eq!(by_id("nbertagnolli/counsel-chat")["family_role"], "root");
    assert_eq!(by_id("mirror-org/counsel-chat")["family_role"], "copy");
    assert_eq!(
        by_id("kr-lab/counsel-chat-ko")["family_role"],
        "translation"
    );
    assert_eq!(
        by_id("kr-lab/counsel-chat-ko")["family_id"],
        "nbertagnolli/counsel-chat"
    );
    assert_eq!(
        by_id("nbertagnolli/counsel-chat")["related"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(by_id("clinic/cbt-sessions")["family_id"], Value::Null);
}

#[test]
fn export_keeps_every_member_unless_collapsed_and_show_lists_the_family() {
    let sandbox = catalog();
    let dir = sandbox.root.path();
    let every = dir.join("all.json");
    let one = dir.join("one.json");
    assert_ok(&sandbox.run(&[
        "export",
        "--min-relevance",
        "0",
        "--out",
        every.to_str().unwrap(),
    ]));
    assert_ok(&sandbox.run(&[
        "export",
        "--min-relevance",
        "0",
        "--collapse",
        "--out",
        one.to_str().unwrap(),
    ]));
    let count = |p: &std::path::Path| {
        serde_json::from_str::<Vec<Value>>(&std::fs::read_to_string(p).unwrap())
            .unwrap()
            .len()
    };
    assert_eq!(count(&every), 4);
    assert_eq!(count(&one), 2);
    let show = stdout(&sandbox.run(&["show", "mirror-org/counsel-chat"]));
    assert!(show.contains("family"), "{show}");
    assert!(
        show.contains("kr-lab/counsel-chat-ko: translation"),
        "{show}"
    );
    assert!(show.contains("nbertagnolli/counsel-chat: root"), "{show}");

    let similar =
        stdout(&sandbox.run(&["similar", "nbertagnolli/counsel-chat", "--output", "json"]));
    let rows: Vec<Value> = serde_json::from_str(&similar).unwrap();
    assert!(
        rows.iter()
            .all(|r| !r["id"].as_str().unwrap_or("").contains("counsel-chat")),
        "own family left out: {similar}"
    );
    assert!(
        rows.iter().any(|r| r["id"] == "clinic/cbt-sessions"),
        "{similar}"
    );
    assert!(rows
        .iter()
        .all(|r| r["reasons"].as_array().is_some_and(|a| !a.is_empty())));
}
