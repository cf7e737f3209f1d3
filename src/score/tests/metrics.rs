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
