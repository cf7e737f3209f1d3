use crate::score::eval::{best_threshold, metrics_at, roc_auc, EvalRecord, Label};

#[test]
fn metrics_at_a_threshold() {
    let scored = [
        (0.9, true),
        (0.6, true),
        (0.4, true),
        (0.7, false),
        (0.1, false),
    ];
    let m = metrics_at(&scored, 0.5);
    assert_eq!((m.tp, m.fp, m.false_negatives, m.tn), (2, 1, 1, 1));
    assert!((m.precision - 2.0 / 3.0).abs() < 1e-12);
    assert!((m.recall - 2.0 / 3.0).abs() < 1e-12);
    assert!((m.f1 - 2.0 / 3.0).abs() < 1e-12);
    assert!((m.accuracy - 0.6).abs() < 1e-12);
    let none = metrics_at(&scored, 2.0);
    assert_eq!((none.precision, none.recall, none.f1), (0.0, 0.0, 0.0));
}

#[test]
fn best_threshold_maximises_f1() {
    let scored = [
        (0.9, true),
        (0.6, true),
        (0.4, true),
        (0.7, false),
        (0.1, false),
    ];
    let best = best_threshold(&scored);
    assert_eq!(best.threshold, 0.4);
    assert!((best.f1 - 6.0 / 7.0).abs() < 1e-12);
}

#[test]
fn auc_counts_pairs_and_ties() {
    assert_eq!(roc_auc(&[(0.9, true), (0.1, false)]), 1.0);
    assert_eq!(roc_auc(&[(0.1, true), (0.9, false)]), 0.0);
    assert_eq!(roc_auc(&[(0.5, true), (0.5, false)]), 0.5);
    let scored = [
        (0.9, true),
        (0.6, true),
        (0.4, true),
        (0.7, false),
        (0.1, false),
    ];
    assert!((roc_auc(&scored) - 4.0 / 6.0).abs() < 1e-12);
    assert_eq!(roc_auc(&[(0.3, true)]), 0.5);
}

#[test]
fn records_merge_card_fields() {
    let line = r#"{"id":"o/n","label":"borderline","tags":["a","task_categories:x"],"card_data":{"tags":["a","b"],"pretty_name":"P","task_categories":["text-generation"],"task_ids":"dialogue-modeling"},"description":null}"#;
    let record = EvalRecord::from_json_line(line).unwrap();
    assert_eq!(record.label, Label::Borderline);
    assert_eq!(record.tags, ["a", "task_categories:x", "b"]);
    assert_eq!(record.pretty_name.as_deref(), Some("P"));
    assert_eq!(
        record.task_categories,
        ["text-generation", "dialogue-modeling"]
    );
    assert!(EvalRecord::parse_jsonl("\n{\"id\":1}\n")
        .unwrap_err()
        .starts_with("line 2"));
}

#[test]
fn card_files_attach_by_id_and_reject_unknown_ids() {
    let set = "{\"id\":\"o/a\",\"label\":\"therapy\"}\n{\"id\":\"o/b\",\"label\":\"not_therapy\",\"readme\":\"inline\"}\n";
    let mut records = EvalRecord::parse_jsonl(set).unwrap();
    assert!(!records[0].has_extras());
    assert_eq!(records[1].readme.as_deref(), Some("inline"));
    let cards = "{\"id\":\"o/a\",\"readme\":\"# A\",\"sample_text\":\"hi\"}\n\n{\"id\":\"o/b\",\"readme\":null}\n";
    EvalRecord::attach_cards(&mut records, cards).unwrap();
    assert_eq!(records[0].readme.as_deref(), Some("# A"));
    assert_eq!(records[0].sample_text.as_deref(), Some("hi"));
    assert_eq!(
        records[1].readme.as_deref(),
        Some("inline"),
        "a card without a README keeps the set's own"
    );
    let unknown = EvalRecord::attach_cards(&mut records, "{\"id\":\"o/c\",\"readme\":\"x\"}");
    assert!(unknown.unwrap_err().contains("o/c"));
}

/// The synced score re-reads a candidate with its README, and leaves a dataset below the
/// candidate floor as its listing scored it (the sync fetches no README for it).
#[test]
fn synced_relevance_rescores_candidates_only() {
    let scorer = crate::score::Scorer::new(
        crate::score::Lexicon::builtin().unwrap(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    );
    let readme = "---\nlicense: mit\n---\n# Data\nCounseling conversations between a therapist and a client, multi-turn psychotherapy sessions with reflections and open questions.";
    let score_under = |line: &str, floor: f64| {
        let mut records = EvalRecord::parse_jsonl(line).unwrap();
        let dataset =
            crate::model::DatasetRecord::from_listing_item(&records[0].listing_item).unwrap();
        let listing = scorer.relevance(&dataset).score;
        let card = serde_json::json!({"id": records[0].id, "readme": readme}).to_string();
        EvalRecord::attach_cards(&mut records, &card).unwrap();
        let synced =
            super::super::eval::synced_relevance_with_floor(&scorer, &records[0], &dataset, floor);
        (listing, synced.score)
    };
    let score = |line: &str| score_under(line, crate::score::SAMPLING_RELEVANCE_FLOOR);
    let (listing, synced) = score(
        r#"{"id":"o/counseling-dialogues","label":"therapy","description":"Counseling dialogues."}"#,
    );
    assert!(
        listing >= crate::score::SAMPLING_RELEVANCE_FLOOR,
        "{listing}"
    );
    assert!(
        synced > listing,
        "README evidence must count: {listing} -> {synced}"
    );
    let (listing, synced) = score(
        r#"{"id":"o/stock-prices","label":"not_therapy","description":"Daily stock prices."}"#,
    );
    assert!(
        listing < crate::score::SAMPLING_RELEVANCE_FLOOR,
        "{listing}"
    );
    assert_eq!(synced, listing);
    // Under a floor of 0 every record is a candidate: the README counts.
    let (listing, synced) = score_under(
        r#"{"id":"o/stock-prices","label":"not_therapy","description":"Daily stock prices."}"#,
        0.0,
    );
    assert!(synced > listing, "{listing} -> {synced}");
}

/// READMEs from rendered pages get their front matter back, so their YAML is not read as prose.
#[test]
fn rendered_front_matter_gets_its_delimiters_back() {
    use super::super::eval::restore_front_matter;
    let rendered = "license: cc-by-nc-nd-4.0\ntask_categories:\n- text-generation\n- text-classification\n\nKokoro: A counseling dialogue dataset.\nMore prose.";
    assert_eq!(
        restore_front_matter(rendered),
        "---\nlicense: cc-by-nc-nd-4.0\ntask_categories:\n- text-generation\n- text-classification\n\n---\nKokoro: A counseling dialogue dataset.\nMore prose."
    );
    // Under a `metadata` heading, indentation lost, a value under its bare key.
    let flattened =
        "metadata\ndataset_info:\nfeatures:\n- name: text\ndtype: string\nlicense:\nopenrail\n# Card\nProse.";
    let restored = restore_front_matter(flattened);
    assert!(restored.starts_with("---\ndataset_info:"), "{restored}");
    assert!(
        restored.ends_with("openrail\n---\n# Card\nProse."),
        "{restored}"
    );
    // A README with its delimiters, or one that opens with prose, is left as it is.
    for kept in [
        "---\nlicense: mit\n---\n# Data",
        "# Data\nlicense: see below",
        "Counseling: data",
    ] {
        assert_eq!(restore_front_matter(kept), kept);
    }
}
