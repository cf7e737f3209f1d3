//! The rankings answered from the candidates (`search::prune`: text-free, and with query text
//! the candidates plus the few others whose BM25 can reach the page) give exactly the page, the
//! scores and the match count of the full scan. `--min-quality 0` filters nothing but forces the
//! full scan (a column filter), so each pair of runs below compares the two paths.

use crate::common::{assert_ok, stderr, stdout, Sandbox};
use serde_json::{json, Value};

fn item(n: usize, id: &str, description: &str, tags: &[&str], downloads: u64) -> Value {
    json!({"_id": format!("{n:024x}"), "id": id, "sha": format!("{n:040x}"),
        "description": description, "tags": tags, "createdAt": "2024-01-01T00:00:00.000Z",
        "lastModified": "2025-01-01T00:00:00.000Z", "downloads": downloads, "likes": n % 50})
}

/// 40 therapy candidates, 400 ordinary datasets (some far more popular) and 30 chit-chat
/// datasets whose text says "dialogues" more often than the candidates do, half of them the most
/// popular datasets of the catalog.
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
    for n in 440..470 {
        let language = if n % 2 == 0 {
            "language:zh"
        } else {
            "language:en"
        };
        let repeats = "dialogues ".repeat(n - 439);
        let mut chat = item(
            n,
            &format!("chat{n}/dialogues-{n}"),
            &format!("Open-domain chit-chat {repeats}for chatbots."),
            &[language, "license:cc-by-4.0"],
            // Half share the highest popularity (their text-free score is the bound itself).
            if n % 2 == 0 {
                2_000_000
            } else {
                (n as u64).pow(2)
            },
        );
        chat["likes"] = json!(if n % 2 == 0 { 300 } else { n % 50 });
        items.push(chat);
    }
    let sandbox = Sandbox::new();
    sandbox.import_items(&items);
    sandbox
}

/// (ids and scores of the page, the table's "N of M matching datasets" line).
fn ranked(sandbox: &Sandbox, args: &[&str]) -> (Vec<(String, f64)>, String) {
    let mut all = vec!["query"];
    all.extend_from_slice(args);
    let table = sandbox.run(&all);
    assert_ok(&table);
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
    (page, stderr(&table).trim().to_string())
}

/// Runs `args` on both paths and checks they agree; returns the page.
fn same_on_both_paths(sandbox: &Sandbox, args: &[&str]) -> Vec<(String, f64)> {
    let pruned = ranked(sandbox, args);
    let mut full_args = args.to_vec();
    full_args.extend_from_slice(&["--min-quality", "0"]);
    let full = ranked(sandbox, &full_args);
    assert_eq!(pruned, full, "{args:?}");
    pruned.0
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
        let page = same_on_both_paths(&sandbox, &args);
        assert!(!page.is_empty(), "{args:?}");
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

#[test]
fn the_text_ranking_from_the_candidates_equals_the_full_scan() {
    let sandbox = catalog();
    let text_only = "match=1,quality=0,relevance=0,turns=0,popularity=0";
    let mostly_text = "match=0.8,quality=0,relevance=0.1,turns=0,popularity=0.1";
    for args in [
        vec!["dialogues", "--all-copies"],
        vec!["dialogues", "--all-copies", "--limit", "5", "--offset", "3"],
        vec!["dialogues", "--all-copies", "--language", "zh"],
        vec!["dialogues", "--all-copies", "--min-relevance", "0.1"],
        vec!["dialogues counseling", "--all-copies", "--limit", "50"],
        // The text decides: chit-chat below the floor must be found above the BM25 threshold.
        vec!["dialogues", "--all-copies", "--weights", text_only],
        vec!["dialogues", "--all-copies", "--weights", mostly_text],
        vec![
            "dialogues",
            "--all-copies",
            "--weights",
            mostly_text,
            "--limit",
            "3",
        ],
        // No text weight: the text only selects.
        vec![
            "dialogues",
            "--all-copies",
            "--weights",
            "match=0,popularity=1",
        ],
        // Matches below the floor only, and candidates only.
        vec!["regression", "--all-copies"],
        vec!["counseling", "--all-copies", "--limit", "10"],
        vec!["dialogues", "--limit", "30"],
    ] {
        let page = same_on_both_paths(&sandbox, &args);
        assert!(!page.is_empty(), "{args:?}");
    }
    // Weights between the extremes put datasets below the floor right at the BM25 threshold.
    for text_weight in ["0.2", "0.35", "0.5", "0.65", "0.8"] {
        for popularity in ["0.05", "0.3"] {
            let weights = format!(
                "match={text_weight},quality=0.1,relevance=0.1,turns=0,popularity={popularity}"
            );
            for limit in ["1", "7", "25"] {
                same_on_both_paths(
                    &sandbox,
                    &[
                        "dialogues",
                        "--all-copies",
                        "--weights",
                        &weights,
                        "--limit",
                        limit,
                    ],
                );
            }
        }
    }
    // Nothing matches: the same (empty) answer on both paths.
    assert!(same_on_both_paths(&sandbox, &["zzzqqx"]).is_empty());
    // Under the text-only weights the chit-chat that repeats the word leads the page.
    let page = same_on_both_paths(
        &sandbox,
        &["dialogues", "--all-copies", "--weights", text_only],
    );
    assert!(page[0].0.contains("chat"), "{page:?}");
    // Under the default weights the candidates lead.
    let page = same_on_both_paths(&sandbox, &["dialogues", "--all-copies", "--limit", "5"]);
    assert!(
        page.iter().all(|(id, _)| id.contains("therapy")),
        "{page:?}"
    );

    // Changed datasets are deleted and re-added in the live index: the deleted versions are
    // never hits (each id once, the new text counted).
    let changed: Vec<Value> = (440..450)
        .map(|n| {
            item(
                n + 1000,
                &format!("chat{n}/dialogues-{n}"),
                &"dialogues ".repeat(12),
                &["language:en"],
                10,
            )
        })
        .collect();
    sandbox.import_items(&changed);
    let page = same_on_both_paths(
        &sandbox,
        &["dialogues", "--all-copies", "--weights", text_only],
    );
    let mut ids: Vec<&str> = page.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), page.len(), "{page:?}");
}
