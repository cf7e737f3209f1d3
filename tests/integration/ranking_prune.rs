//! The text-free ranking answered from the candidates alone (`search::prune`) gives exactly the
//! page and the match count of the full scan. `--min-quality 0` filters nothing but forces the
//! full scan (a column filter), so each pair of runs below compares the two paths.

use crate::common::{assert_ok, stderr, stdout, Sandbox};
use serde_json::{json, Value};

fn item(n: usize, id: &str, description: &str, tags: &[&str], downloads: u64) -> Value {
    json!({"_id": format!("{n:024x}"), "id": id, "sha": format!("{n:040x}"),
        "description": description, "tags": tags, "createdAt": "2024-01-01T00:00:00.000Z",
        "lastModified": "2025-01-01T00:00:00.000Z", "downloads": downloads, "likes": n % 50})
}

/// 40 therapy candidates and 400 ordinary datasets, some of them far more popular.
fn catalog() -> Sandbox {
    let mut items = Vec::new();
    for n in 0..40 {
        items.push(item(
            n,
            &format!("lab{n}/therapy-counseling-dialogues-{n}"),
            "Multi-turn counseling conversations between a therapist and a client.",
            &["language:en", "license:mit"],
            (n as u64) * 7,
        ));
    }
    for n in 40..440 {
        let language = if n % 3 == 0 {
            "language:zh"
        } else {
            "language:en"
        };
        items.push(item(
            n,
            &format!("org{n}/tables-{n}"),
            "Tabular benchmark data for regression.",
            &[language, "license:apache-2.0"],
            (n as u64).pow(3),
        ));
    }
    let sandbox = Sandbox::new();
    sandbox.import_items(&items);
    sandbox
}

/// (ids and scores of the page, the "N of M matching" line).
fn ranked(sandbox: &Sandbox, args: &[&str]) -> (Vec<(String, f64)>, String) {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--output", "json"]);
    let out = sandbox.run(&all);
    assert_ok(&out);
    let records: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let page = records
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["score"].as_f64().unwrap(),
            )
        })
        .collect();
    (page, stderr(&out).trim().to_string())
}

#[test]
fn the_candidates_only_ranking_equals_the_full_scan() {
    let sandbox = catalog();
    for args in [
        vec!["", "--all-copies"],
        vec!["", "--all-copies", "--limit", "5", "--offset", "3"],
        vec!["", "--all-copies", "--language", "zh"],
        vec!["", "--all-copies", "--min-relevance", "0.1"],
        // Popularity alone: the candidates cannot beat the bound, the full scan decides.
        vec![
            "",
            "--all-copies",
            "--weights",
            "match=0,quality=0,relevance=0,turns=0,popularity=1",
        ],
        vec!["", "--limit", "30"],
    ] {
        let pruned = ranked(&sandbox, &args);
        let mut full_args = args.clone();
        full_args.extend_from_slice(&["--min-quality", "0"]);
        let full = ranked(&sandbox, &full_args);
        assert_eq!(pruned, full, "{args:?}");
        assert!(!pruned.0.is_empty(), "{args:?}");
    }
    // With default weights the page is all candidates, ahead of far more popular tables.
    let (page, _) = ranked(&sandbox, &["", "--all-copies"]);
    assert!(
        page.iter().all(|(id, _)| id.contains("therapy")),
        "{page:?}"
    );
    let (page, _) = ranked(
        &sandbox,
        &[
            "",
            "--all-copies",
            "--weights",
            "match=0,quality=0,relevance=0,turns=0,popularity=1",
        ],
    );
    assert!(page.iter().any(|(id, _)| id.contains("tables")), "{page:?}");
}
