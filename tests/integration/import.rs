//! `catalog import`: listing items from a file, offline — batches in file order, invalid lines
//! counted and named, unreadable input stopping with what came before kept, and the index kept
//! current whether or not one is live.

use crate::common::fake_hub::FakeHub;
use crate::common::{assert_ok, stderr, stdout, therapy_item, Sandbox};

#[test]
fn import_of_several_batches_keeps_every_item_and_stops_at_unreadable_input() {
    let sandbox = Sandbox::new();
    let file = sandbox.root.path().join("many.jsonl");
    let mut lines: Vec<String> = (0..12_002)
        .map(|n| {
            serde_json::to_string(&FakeHub::dataset_item(
                &format!("o{n}/set-{n}"),
                "rows",
                &[],
            ))
            .unwrap()
        })
        .collect();
    lines.insert(7_000, "{\"no\": \"id\"}".to_string());
    // Batches are scored on several threads and written in file order: a dataset listed
    // twice keeps its last line, here two batches after the first.
    let mut again = FakeHub::dataset_item("o3/set-3", "rows", &[]);
    again["description"] = serde_json::json!("the later line wins");
    lines.push(serde_json::to_string(&again).unwrap());
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = sandbox.run(&["import", file.to_str().unwrap()]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains(
            "imported 12003 datasets (12002 new, 1 changed, 0 unchanged, 1 invalid lines)"
        ),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("line 7001: not a valid listing item"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        sandbox.show_json("o3/set-3")["description"].as_str(),
        Some("the later line wins")
    );
    // Bytes that are not UTF-8 end the import with the line named; what came before is kept.
    let mut bytes = lines[..6_000].join("\n").into_bytes();
    bytes.extend_from_slice(b"\n\xff\xfe not text\n");
    let fresh = Sandbox::new();
    let broken = fresh.root.path().join("broken.jsonl");
    std::fs::write(&broken, bytes).unwrap();
    let out = fresh.run(&["import", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot read line 6001"),
        "{}",
        stderr(&out)
    );
    assert_ok(&fresh.run(&["reindex"]));
    for kept in ["o0/set-0", "o4999/set-4999", "o5999/set-5999"] {
        assert_eq!(fresh.show_json(kept)["id"].as_str(), Some(kept));
    }
}

#[test]
fn import_ingests_listing_items_offline() {
    let sandbox = Sandbox::new();
    std::fs::create_dir_all(sandbox.root.path()).unwrap();
    let file = sandbox.root.path().join("items.jsonl");
    let lines = [
        serde_json::to_string(&therapy_item("a/cbt-dialogues", "CBT therapy dialogues")).unwrap(),
        "not json".to_string(),
        serde_json::to_string(&FakeHub::dataset_item("b/imagenet-mini", "images", &[])).unwrap(),
    ];
    std::fs::write(&file, lines.join("\n")).unwrap();
    let out = sandbox.run(&["import", file.to_str().unwrap()]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("imported 2 datasets"),
        "{}",
        stdout(&out)
    );
    assert!(stdout(&out).contains("1 invalid lines"), "{}", stdout(&out));
    let q = sandbox.run(&["query", "cbt", "--output", "jsonl"]);
    assert_ok(&q);
    assert!(
        stdout(&q)
            .lines()
            .next()
            .unwrap_or("")
            .contains("a/cbt-dialogues"),
        "{}",
        stdout(&q)
    );
}

/// A first import writes no re-index flags (the rebuild that follows reads every row); an
/// import into a catalog with a live index flags what it writes, so the index gets it.
#[test]
fn imports_are_searchable_with_and_without_a_live_index() {
    let sandbox = Sandbox::new();
    sandbox.import_items(&[therapy_item("a/cbt-dialogues", "CBT therapy dialogues")]);
    let pending = || -> i64 {
        let conn = rusqlite::Connection::open(sandbox.catalog_db()).unwrap();
        conn.query_row(
            "SELECT COUNT(*) FROM datasets WHERE index_dirty = 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(pending(), 0);
    assert_eq!(sandbox.query_names(&["cbt"]), ["a/cbt-dialogues"]);
    sandbox.import_items(&[
        therapy_item("a/cbt-dialogues", "CBT therapy dialogues, second edition"),
        therapy_item("b/dbt-sessions", "DBT therapy sessions"),
    ]);
    assert_eq!(
        pending(),
        0,
        "the incremental update clears the flags it applied"
    );
    assert_eq!(sandbox.query_names(&["dbt"]), ["b/dbt-sessions"]);
    assert_eq!(
        sandbox.show_json("a/cbt-dialogues")["description"].as_str(),
        Some("CBT therapy dialogues, second edition")
    );
    assert_eq!(sandbox.query_names(&["edition"]), ["a/cbt-dialogues"]);
}
