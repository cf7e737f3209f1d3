//! The index is derived from SQLite only: `reindex` rebuilds it atomically and gives the same
//! answers; a lost index is a clear error, fixed by `reindex`. The catalog knows which scorer
//! and lexicon computed its scores and says when `reindex` is due.

use crate::common::fake_hub::FakeHub;
use crate::common::{assert_ok, stderr, stdout, therapy_item, Sandbox};

fn imported_sandbox() -> Sandbox {
    let sandbox = Sandbox::new();
    let items = [
        therapy_item(
            "a/cbt-therapy-dialogues",
            "Cognitive behavioral therapy dialogues with clients.",
        ),
        therapy_item("b/grief-counseling", "Grief counseling conversations."),
        FakeHub::dataset_item(
            "c/gene-therapy",
            "Gene therapy AAV vectors.",
            &["license:mit"],
        ),
        FakeHub::dataset_item("d/sunsets", "Photos of sunsets.", &[]),
        FakeHub::dataset_item("e/Therapydataset_formatted", "", &[]),
    ];
    sandbox.import_items(&items);
    sandbox
}

fn generation(sandbox: &Sandbox) -> String {
    std::fs::read_to_string(sandbox.data_dir().join("index").join("CURRENT")).unwrap()
}

#[test]
fn reindex_swaps_a_new_generation_and_answers_the_same() {
    let sandbox = imported_sandbox();
    let before = stdout(&sandbox.run(&["query", "therapy", "--output", "jsonl"]));
    let first = generation(&sandbox);
    let out = sandbox.run(&["reindex"]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("reindexed 5 datasets"),
        "{}",
        stdout(&out)
    );
    let second = generation(&sandbox);
    assert_ne!(first, second);
    assert!(
        !sandbox.data_dir().join("index").join(first.trim()).exists(),
        "old generation removed"
    );
    let after = stdout(&sandbox.run(&["query", "therapy", "--output", "jsonl"]));
    assert_eq!(
        crate::common::jsonl_names(&before),
        crate::common::jsonl_names(&after)
    );
    // A glued id is found through the lexicon terms the scorer matched inside it.
    assert!(before.contains("e/Therapydataset_formatted"), "{before}");
    // CBT ↔ cognitive behavioral therapy both ways.
    let cbt = stdout(&sandbox.run(&["query", "CBT", "--output", "jsonl"]));
    assert!(cbt.contains("a/cbt-therapy-dialogues"));
}

#[test]
fn a_lost_index_is_a_clear_error_and_reindex_restores_it() {
    let sandbox = imported_sandbox();
    std::fs::remove_dir_all(sandbox.data_dir().join("index")).unwrap();
    let out = sandbox.run(&["query", "therapy"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("catalog reindex"), "{}", stderr(&out));
    assert_ok(&sandbox.run(&["reindex"]));
    assert_ok(&sandbox.run(&["query", "therapy"]));
}

#[test]
fn a_corrupt_catalog_is_reported_not_panicked_on() {
    let sandbox = Sandbox::new();
    std::fs::create_dir_all(sandbox.data_dir()).unwrap();
    std::fs::write(sandbox.catalog_db(), b"this is not a database at all, just text padding.........................................................").unwrap();
    let out = sandbox.run(&["status"]);
    assert_ok(&out);
    let out = sandbox.run(&["show", "a/b"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unreadable"), "{}", stderr(&out));
    let reindex = sandbox.run(&["reindex"]);
    assert_eq!(reindex.status.code(), Some(1), "{}", stderr(&reindex));
}

#[test]
fn pages_of_the_whole_catalog_agree_with_the_full_ranking() {
    let sandbox = imported_sandbox();
    let names = |args: &[&str]| sandbox.query_names(args);
    let full = names(&["--limit", "100"]);
    assert_eq!(full.len(), 5);
    assert_eq!(names(&["--limit", "2"]), full[..2].to_vec());
    assert_eq!(
        names(&["--limit", "2", "--offset", "1"]),
        full[1..3].to_vec()
    );
    assert!(names(&["--offset", "10"]).is_empty());
}

#[test]
fn an_index_written_with_another_schema_is_reported_and_rebuilt() {
    let sandbox = imported_sandbox();
    // What an older catalog left: a live generation whose ranking columns are `f64`.
    let generation_dir = sandbox
        .data_dir()
        .join("index")
        .join(generation(&sandbox).trim());
    std::fs::remove_dir_all(&generation_dir).unwrap();
    std::fs::create_dir_all(&generation_dir).unwrap();
    let mut old = tantivy::schema::Schema::builder();
    old.add_text_field("id", tantivy::schema::STRING | tantivy::schema::STORED);
    old.add_f64_field("relevance", tantivy::schema::FAST);
    tantivy::Index::create_in_dir(&generation_dir, old.build()).unwrap();

    let out = sandbox.run(&["query", "therapy"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("built by another version of catalog — run `catalog reindex`"),
        "{}",
        stderr(&out)
    );
    // The next import rebuilds it (as a sync would), and the catalog answers again.
    sandbox.import_items(&[therapy_item("f/peer-support", "Peer support chats.")]);
    let names = sandbox.query_names(&["therapy"]);
    assert!(
        names.contains(&"a/cbt-therapy-dialogues".to_string()),
        "{names:?}"
    );
}

/// Imports one more dataset scored with another lexicon (the built-in text plus a comment), so
/// the catalog's scores are mixed.
fn import_with_another_lexicon(sandbox: &Sandbox) -> std::process::Output {
    std::fs::create_dir_all(sandbox.home()).expect("home");
    let lexicon = sandbox.home().join("tweaked.toml");
    let builtin = include_str!("../../index/therapy.toml");
    std::fs::write(&lexicon, format!("{builtin}\n# a local tweak\n")).expect("write lexicon");
    let items = sandbox.home().join("more.jsonl");
    std::fs::write(
        &items,
        format!(
            "{}\n",
            therapy_item("f/trauma-therapy-chats", "Trauma therapy chats.")
        ),
    )
    .expect("write items");
    sandbox.run(&[
        "import",
        "--lexicon",
        lexicon.to_str().expect("UTF-8 path"),
        items.to_str().expect("UTF-8 path"),
    ])
}

#[test]
fn a_sync_rescores_a_catalog_scored_by_another_scorer() {
    let sandbox = imported_sandbox();
    assert_ok(&import_with_another_lexicon(&sandbox));
    assert_eq!(sandbox.status_json()["scores_current"], false);
    let hub = FakeHub::start();
    hub.add_dataset(therapy_item(
        "g/grief-support",
        "Grief support conversations.",
    ));
    let out = sandbox.sync(&hub.url(), &["--no-samples"]);
    assert_ok(&out);
    assert!(!stderr(&out).contains("reindex"), "{}", stderr(&out));
    let json = sandbox.status_json();
    assert_eq!(json["scores_current"], true, "{json:#}");
    let query = sandbox.run(&["query", "therapy"]);
    assert_ok(&query);
    assert!(!stderr(&query).contains("reindex"), "{}", stderr(&query));
}

#[test]
fn scores_say_which_scorer_computed_them_until_reindex() {
    let sandbox = imported_sandbox();
    let status = stdout(&sandbox.run(&["status"]));
    assert!(status.contains("scores:     current (scorer "), "{status}");

    // Another lexicon (the built-in text plus a comment is another text) scores new rows: the
    // catalog is mixed now, and both the import and status say so.
    let import = import_with_another_lexicon(&sandbox);
    assert_ok(&import);
    assert!(
        stderr(&import).contains("run `catalog reindex`"),
        "{}",
        stderr(&import)
    );
    let status = stdout(&sandbox.run(&["status"]));
    assert!(status.contains("run `catalog reindex`"), "{status}");
    let json = sandbox.status_json();
    assert_eq!(json["scores_current"], false, "{json:#}");
    let query = sandbox.run(&["query", "therapy"]);
    assert_ok(&query);
    assert!(
        stderr(&query).contains("run `catalog reindex`"),
        "{}",
        stderr(&query)
    );

    // A reindex with the built-in lexicon rescores everything: current again.
    assert_ok(&sandbox.run(&["reindex"]));
    let json = sandbox.status_json();
    assert_eq!(json["scores_current"], true, "{json:#}");
    assert!(
        json["scored_with"]
            .as_str()
            .unwrap_or("")
            .starts_with("scorer "),
        "{json:#}"
    );
    let query = sandbox.run(&["query", "therapy"]);
    assert!(!stderr(&query).contains("reindex"), "{}", stderr(&query));
}
