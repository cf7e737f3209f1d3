//! `query`, `show`, `export`, `report` on a catalog synced from the fake Hub: filters, outputs,
//! explain, safe text, and no network.

use crate::common::fake_hub::{FakeHub, ViewerDataset, ViewerSplit};
use crate::common::{assert_ok, chat_row, stderr, stdout, Sandbox};
use serde_json::{json, Value};
use std::sync::OnceLock;

/// One synced catalog shared by the read-only tests of this file (built once).
fn catalog() -> &'static Sandbox {
    static CATALOG: OnceLock<Sandbox> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let hub = FakeHub::start();
        hub.set_quota(100_000);
        let add = |id: &str, desc: &str, tags: &[&str], downloads: u64, modified: &str, turns: Option<usize>| {
            let mut item = FakeHub::dataset_item(id, desc, tags);
            item["downloads"] = json!(downloads);
            item["lastModified"] = json!(modified);
            hub.add_dataset(item);
            if let Some(t) = turns {
                hub.set_viewer(id, ViewerDataset::new().with_split(ViewerSplit::new("default", "train", (0..5).map(|_| chat_row(t)).collect())));
            }
        };
        add("clinic/trauma-therapy-conversations", "Trauma-focused therapy conversations between a therapist and clients with PTSD.",
            &["language:en", "license:mit", "mental-health", "task_categories:text-generation"], 5000, "2026-10-01T00:00:00.000Z", Some(26));
        add("peer/counseling-chat-es", "Conversaciones de consejería psicológica: counseling conversations in Spanish.",
            &["language:es", "license:cc-by-4.0", "counseling"], 300, "2024-03-01T00:00:00.000Z", Some(8));
        add("evil/therapy-dialogues", "=HYPERLINK(\"http://evil\") \u{1b}[2J\u{1b}]8;;http://evil.example\u{1b}\\click\u{1b}]8;;\u{1b}\\ therapy dialogues",
            &["language:en", "license:apache-2.0"], 10, "2025-06-01T00:00:00.000Z", None);
        add("bio/gene-therapy-vectors", "AAV capsid sequences for gene therapy vector design.",
            &["language:en", "license:mit"], 90000, "2026-01-01T00:00:00.000Z", None);
        add("help/mental-health-support-qa", "Mental health support question answering with counselors.",
            &["language:en", "license:mit", "mental-health"], 1200, "2026-09-01T00:00:00.000Z", Some(2));
        let sandbox = Sandbox::new();
        assert_ok(&sandbox.sync(&hub.url(), &[]));
        sandbox
    })
}

fn query(args: &[&str]) -> Vec<String> {
    catalog().query_names(args)
}

#[test]
fn text_query_ranks_therapy_first_and_acronyms_expand() {
    let hits = query(&["trauma therapy"]);
    assert_eq!(
        hits.first().map(String::as_str),
        Some("clinic/trauma-therapy-conversations"),
        "{hits:?}"
    );
    let ptsd = query(&["post-traumatic stress disorder"]);
    assert!(
        ptsd.contains(&"clinic/trauma-therapy-conversations".to_string()),
        "{ptsd:?}"
    );
    // Lenient parsing: stray quotes, colons, parentheses never error.
    assert_ok(&catalog().run(&["query", "trauma \"therapy ( tags: )"]));
    // Empty text ranks the whole catalog.
    assert_eq!(query(&[]).len(), 5);
}

#[test]
fn filters_select_what_they_say() {
    let c = |args: &[&str]| query(args);
    assert_eq!(
        c(&["--min-turns", "20"]),
        vec!["clinic/trauma-therapy-conversations"]
    );
    assert_eq!(
        c(&["--format", "short_turn"]),
        vec!["peer/counseling-chat-es"]
    );
    assert_eq!(
        c(&["--max-turns", "4"]),
        vec!["help/mental-health-support-qa"]
    );
    assert_eq!(c(&["--max-turns", "4", "--include-unknown-turns"]).len(), 3);
    assert_eq!(c(&["--language", "es"]), vec!["peer/counseling-chat-es"]);
    let mit = c(&["--license", "MIT"]);
    assert_eq!(mit.len(), 3, "{mit:?}");
    assert!(
        !c(&["--updated-since", "2026-01-02"]).contains(&"bio/gene-therapy-vectors".to_string())
    );
    assert_eq!(c(&["--updated-since", "2026-01-02"]).len(), 2);
    let relevant = c(&["--min-relevance", "0.5"]);
    assert!(
        !relevant.contains(&"bio/gene-therapy-vectors".to_string()),
        "{relevant:?}"
    );
    let quality = c(&["--min-quality", "0.99"]);
    assert!(quality.is_empty(), "{quality:?}");
}

#[test]
fn bad_flags_are_usage_errors() {
    for args in [
        vec!["query", "x", "--weights", "bogus=1"],
        vec!["query", "x", "--weights", "quality=-1"],
        vec!["query", "--updated-since", "yesterday"],
        vec!["query", "--min-quality", "2"],
        vec!["query", "--min-turns", "10", "--max-turns", "5"],
        vec!["query", "--format", "long"],
    ] {
        let out = catalog().run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("error"), "{}", stderr(&out));
    }
}

#[test]
fn json_records_keep_the_original_field_names_and_validate_against_the_schema() {
    let out = catalog().run(&["query", "therapy", "--output", "json", "--explain"]);
    assert_ok(&out);
    let records: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let schema: Value =
        serde_json::from_str(include_str!("../../schema/export.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for record in records.as_array().unwrap() {
        let errors: Vec<String> = validator
            .iter_errors(record)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}\n{record:#}");
        for key in [
            "name",
            "source",
            "url",
            "description",
            "tags",
            "downloads",
            "likes",
            "size_bytes",
            "num_conversations",
            "avg_turns",
            "min_turns",
            "max_turns",
            "conversation_format",
            "languages",
            "license",
            "created_at",
            "updated_at",
            "quality_score",
            "therapeutic_relevance",
        ] {
            assert!(record.get(key).is_some(), "missing {key}");
        }
        assert!(
            record["factors"]["relevance"].is_number(),
            "--explain adds factors"
        );
    }
}

#[test]
fn table_and_explain_and_report_strip_escape_sequences() {
    for args in [
        vec!["query", "therapy dialogues"],
        vec!["query", "therapy dialogues", "--explain"],
        vec!["show", "evil/therapy-dialogues"],
        vec!["report", "therapy"],
    ] {
        let out = catalog().run(&args);
        assert_ok(&out);
        let text = stdout(&out);
        assert!(
            !text.contains('\u{1b}'),
            "{args:?} printed an escape sequence:\n{text}"
        );
        assert!(!text.contains('\u{7}'));
    }
}

#[test]
fn csv_neutralises_formulas_and_export_writes_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    let out = catalog().run(&[
        "export",
        "therapy",
        "--output",
        "csv",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_ok(&out);
    let csv = std::fs::read_to_string(&path).unwrap();
    assert!(csv.starts_with("name,url,score"));
    assert!(
        !csv.contains(",=HYPERLINK") && !csv.contains("\"=HYPERLINK"),
        "{csv}"
    );
    let json_path = dir.path().join("out.json");
    assert_ok(&catalog().run(&["export", "--out", json_path.to_str().unwrap()]));
    let arr: Value = serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    assert_eq!(arr.as_array().unwrap().len(), 5);
    // A failing export leaves nothing behind and reports the path.
    let bad = dir.path().join("missing-dir").join("x.json");
    let out = catalog().run(&["export", "--out", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot write"), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temp files left"
    );
}

#[test]
fn show_prints_provenance_and_a_load_line() {
    let out = catalog().run(&["show", "clinic/trauma-therapy-conversations"]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(
        text.contains("load_dataset(\"clinic/trauma-therapy-conversations\")"),
        "{text}"
    );
    assert!(text.contains("config default split train"), "{text}");
    assert!(
        text.contains("viewer_rows: 26.00 turns over 5 conversations (exact) — default/train"),
        "{text}"
    );
    assert!(text.contains("avg 26.00"), "{text}");
    let missing = catalog().run(&["show", "nobody/nothing"]);
    assert_eq!(missing.status.code(), Some(1));
}

#[test]
fn report_has_the_original_sections_and_breakdowns() {
    let out = catalog().run(&["report"]);
    assert_ok(&out);
    let text = stdout(&out);
    assert!(
        !text.contains("bio/gene-therapy-vectors"),
        "not a therapy dataset:\n{text}"
    );
    assert!(text.contains("min relevance 0.5"), "{text}");
    let everything = stdout(&catalog().run(&["report", "--min-relevance", "0"]));
    assert!(everything.contains("bio/gene-therapy-vectors"));
    for needle in ["clinic/trauma-therapy-conversations", "mit", "multi_turn"] {
        assert!(text.contains(needle), "missing {needle}:\n{text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    assert_ok(&catalog().run(&["report", "therapy", "--html", html.to_str().unwrap()]));
    let page = std::fs::read_to_string(&html).unwrap();
    assert_eq!(page.matches("<svg").count(), 3);
    assert!(!page.contains("<script"));
}

#[test]
fn missing_catalog_is_a_clear_error() {
    let sandbox = Sandbox::new();
    let out = sandbox.run(&["query", "therapy"]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(
        err.contains("catalog sync") && err.contains(&sandbox.data_dir().display().to_string()),
        "{err}"
    );
}

#[test]
fn stale_catalog_warns_once_on_stderr() {
    let sandbox = Sandbox::new();
    let src = catalog().data_dir();
    std::fs::create_dir_all(sandbox.data_dir()).unwrap();
    for file in crate::common::files_under(&src) {
        let rel = file.strip_prefix(&src).unwrap();
        let dest = sandbox.data_dir().join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&file, &dest).unwrap();
    }
    let conn = rusqlite::Connection::open(sandbox.catalog_db()).unwrap();
    conn.execute("UPDATE sync_runs SET finished_at = '2020-01-01T00:00:00.000Z', started_at = '2020-01-01T00:00:00.000Z'", []).unwrap();
    drop(conn);
    let out = sandbox.run(&["query", "therapy"]);
    assert_ok(&out);
    let err = stderr(&out);
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings.len(), 1, "{}", stderr(&out));
    assert!(warnings[0].contains("days ago"));
    assert!(stdout(&out).contains("clinic/trauma-therapy-conversations"));
}

#[test]
fn read_commands_need_no_network() {
    // Run inside a fresh network namespace (no interfaces at all) when the machine allows it.
    if std::process::Command::new("unshare")
        .args(["-n", "true"])
        .status()
        .map(|s| !s.success())
        .unwrap_or(true)
    {
        eprintln!("unshare -n unavailable; relying on the unroutable endpoint below");
    }
    let sandbox = catalog();
    let dir = tempfile::tempdir().unwrap();
    let out_file = dir.path().join("e.jsonl");
    for args in [
        vec!["query", "therapy"],
        vec!["show", "clinic/trauma-therapy-conversations"],
        vec![
            "export",
            "--out",
            out_file.to_str().unwrap(),
            "--output",
            "jsonl",
        ],
        vec!["report"],
        vec!["status"],
    ] {
        let mut cmd = sandbox.command(&args);
        cmd.env("HF_ENDPOINT", "http://10.255.255.1:9")
            .env("CATALOG_VIEWER_URL", "http://10.255.255.1:9");
        let use_netns = std::process::Command::new("unshare")
            .args(["-n", "true"])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        let out = if use_netns {
            let program = cmd.get_program().to_owned();
            let argv: Vec<_> = cmd.get_args().map(|a| a.to_owned()).collect();
            let envs: Vec<_> = cmd
                .get_envs()
                .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned())))
                .collect();
            std::process::Command::new("unshare")
                .arg("-n")
                .arg(program)
                .args(argv)
                .env_clear()
                .envs(envs)
                .output()
                .unwrap()
        } else {
            cmd.output().unwrap()
        };
        assert_ok(&out);
    }
}

#[test]
fn acronyms_and_their_long_forms_find_each_other() {
    // The index holds both spellings; the query text itself is not expanded.
    let sandbox = Sandbox::new();
    sandbox.import_items(&[
        FakeHub::dataset_item(
            "x/skills-sessions",
            "Sessions of dialectical behavior therapy with clients.",
            &[],
        ),
        FakeHub::dataset_item("y/coaching-chats", "DBT skills coaching chats.", &[]),
        FakeHub::dataset_item("z/sunsets", "Photos of sunsets.", &[]),
    ]);
    let mut by_acronym = sandbox.query_names(&["DBT"]);
    by_acronym.sort();
    assert_eq!(by_acronym, vec!["x/skills-sessions", "y/coaching-chats"]);
    let mut by_long_form = sandbox.query_names(&["dialectical behavior therapy"]);
    by_long_form.sort();
    assert_eq!(by_long_form, vec!["x/skills-sessions", "y/coaching-chats"]);
}

#[test]
fn a_light_dataset_on_the_page_gets_its_evidence_back_and_a_bad_lexicon_is_an_error() {
    let sandbox = Sandbox::new();
    sandbox.import_items(&[
        FakeHub::dataset_item("x/chitchat", "Open-domain dialogue for chatbots.", &[]),
        FakeHub::dataset_item(
            "y/therapy-sessions",
            "Counseling conversations between a therapist and clients.",
            &[],
        ),
    ]);
    // Below the candidate floor the catalog keeps no evidence; the page recomputes it.
    let out = sandbox.run(&["query", "chitchat", "--output", "json"]);
    assert_ok(&out);
    let records: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let light = &records[0];
    assert_eq!(light["id"], "x/chitchat");
    assert!(
        light["therapeutic_relevance"].as_f64().unwrap() < 0.35,
        "{light}"
    );
    assert!(
        light["matched_terms"].to_string().contains("dialogue"),
        "{light}"
    );
    // A user's lexicon is read before anything is answered.
    let bad = sandbox.root.path().join("bad.toml");
    std::fs::write(&bad, "[[group]]\nkind = \"nonsense\"\n").unwrap();
    let out = sandbox.run(&["query", "therapy", "--lexicon", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("cannot load lexicon"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).is_empty());
}
