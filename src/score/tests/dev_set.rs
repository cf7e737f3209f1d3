//! Regression test on the real-data development set (a copy of `eval-dev/relevance.jsonl` in
//! `tests/fixtures/eval-dev/`). The floors sit a little below the figures reached when this was
//! written ((a) F1 1.000 / AUC 1.000, (b) F1 0.971 / AUC 0.977), so a regression fails.

use crate::score::eval::{metrics_at, roc_auc, EvalRecord, Label};
use crate::score::{original_tool_relevance, DEFAULT_THRESHOLD};

fn load() -> Vec<EvalRecord> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/eval-dev/relevance.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    EvalRecord::parse_jsonl(&text).unwrap()
}

fn pairs(
    records: &[EvalRecord],
    keep_borderline: bool,
    score: impl Fn(&EvalRecord) -> f64,
) -> Vec<(f64, bool)> {
    records
        .iter()
        .filter(|r| keep_borderline || r.label != Label::Borderline)
        .map(|r| (score(r), r.label == Label::Therapy))
        .collect()
}

#[test]
fn relevance_meets_the_targets_on_the_dev_set() {
    let records = load();
    assert_eq!(records.len(), 85);
    // Through the catalog's real path: listing item → DatasetRecord → Scorer.
    let scorer = crate::score::Scorer::new(
        super::lex(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    );
    let ours = |r: &EvalRecord| {
        let record = crate::model::DatasetRecord::from_listing_item(&r.listing_item).unwrap();
        scorer.score(&record).relevance
    };

    let without_borderline = pairs(&records, false, ours);
    let a = metrics_at(&without_borderline, DEFAULT_THRESHOLD);
    assert!(a.f1 >= 0.98, "(a) F1 {:.3}: {a:?}", a.f1);
    assert!(
        roc_auc(&without_borderline) >= 0.99,
        "(a) AUC {:.3}",
        roc_auc(&without_borderline)
    );

    let with_borderline = pairs(&records, true, ours);
    let b = metrics_at(&with_borderline, DEFAULT_THRESHOLD);
    assert!(b.f1 >= 0.95, "(b) F1 {:.3}: {b:?}", b.f1);
    assert!(
        roc_auc(&with_borderline) >= 0.97,
        "(b) AUC {:.3}",
        roc_auc(&with_borderline)
    );

    // Hard negatives stay far below the threshold, not just under it.
    let worst_negative = records
        .iter()
        .filter(|r| r.label == Label::NotTherapy)
        .map(ours)
        .fold(0.0, f64::max);
    assert!(
        worst_negative < 0.25,
        "a not_therapy record scored {worst_negative}"
    );
}

#[test]
fn the_original_tool_is_measurably_worse() {
    let records = load();
    let original =
        |r: &EvalRecord| original_tool_relevance(&r.id, r.description.as_deref(), &r.tags);
    let data = pairs(&records, false, original);
    assert!(metrics_at(&data, 0.5).f1 < 0.5);
    assert!(roc_auc(&data) < 0.8);
}

/// A second, hand-written set (ids invented for the test, labelled by the rules of
/// eval-dev/README.md), written after the lexicon was built. Its two misses then
/// (`depression-support-conversations`, `grief-support-chat`) led to the condition-qualified
/// "<condition> support" phrases; nothing else was tuned on it.
#[test]
fn relevance_generalises_to_a_held_out_hand_labelled_set() {
    let (_, scored) = fixture_scores("relevance-extra.jsonl", false);
    let m = metrics_at(&scored, DEFAULT_THRESHOLD);
    assert!(m.f1 >= 0.9, "held-out F1 {:.3}: {m:?}", m.f1);
    assert!(roc_auc(&scored) >= 0.95);
}

/// The records of `tests/fixtures/<file>` and their (relevance, is therapy) pairs, scored
/// through the real path (listing item → record → scorer).
fn fixture_scores(file: &str, keep_borderline: bool) -> (Vec<EvalRecord>, Vec<(f64, bool)>) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let records = EvalRecord::parse_jsonl(&text).unwrap();
    let scorer = crate::score::Scorer::new(
        super::lex(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    );
    let scored = pairs(&records, keep_borderline, |r| {
        let record = crate::model::DatasetRecord::from_listing_item(&r.listing_item).unwrap();
        scorer.score(&record).relevance
    });
    (records, scored)
}

/// The real tuning set (`relevance-tuning-c.jsonl`: 88 real Hub datasets written from stored
/// Hub pages by someone who had not seen the scorer). Tuned on in session 4, from therapy vs
/// rest F1 0.767 / AUC 0.853 to 0.853 / 0.885 (AUC 0.926 in session 7); the floors sit a
/// little below. (The held-out set, `relevance-heldout-e.jsonl`, is deliberately not a test:
/// it stays out of tuning and is only measured with `cargo run --example eval_relevance --
/// --summary`.)
#[test]
fn relevance_holds_on_the_real_tuning_set() {
    assert_floors("relevance-tuning-c.jsonl", 88, 0.83, 0.87);
}

/// Therapy vs rest on a fixture set of `records` records: F1 at the default threshold and AUC
/// at least the floors.
fn assert_floors(set: &str, records: usize, f1: f64, auc: f64) {
    let (read, scored) = fixture_scores(set, true);
    assert_eq!(read.len(), records, "{set}");
    let m = metrics_at(&scored, DEFAULT_THRESHOLD);
    assert!(m.f1 >= f1, "{set}: therapy vs rest F1 {:.3}: {m:?}", m.f1);
    let area = roc_auc(&scored);
    assert!(area >= auc, "{set}: AUC {area:.3}");
}

/// The second real set (`relevance-heldout-b.jsonl`, 84 datasets), held out until session 5 and
/// tuned on in session 6: listing-only therapy vs rest from F1 0.789 / AUC 0.861 to 0.833 /
/// 0.891 (0.849 / 0.916 in session 7); the floors sit a little below.
#[test]
fn relevance_holds_on_the_second_real_tuning_set() {
    assert_floors("relevance-heldout-b.jsonl", 84, 0.82, 0.89);
}

/// The third real set (`relevance-heldout-d.jsonl`, 75 datasets), held out in sessions 5–6 and
/// tuned on in session 7: listing-only therapy vs rest from F1 0.828 / AUC 0.922 to 0.903 /
/// 0.956; the floors sit a little below.
#[test]
fn relevance_holds_on_the_third_real_tuning_set() {
    assert_floors("relevance-heldout-d.jsonl", 75, 0.87, 0.93);
}

/// The seventh real set (`relevance-tuning-j.jsonl`, 73 datasets), held out for one measurement
/// in session 11 and then tuned on: listing-only therapy vs rest from F1 0.571 / AUC 0.823 to
/// 0.850 / 0.911; the floors sit a little below.
#[test]
fn relevance_holds_on_the_seventh_real_tuning_set() {
    assert_floors("relevance-tuning-j.jsonl", 73, 0.82, 0.89);
}

/// Set N (`relevance-tuning-n.jsonl`, 29 therapy-corpus projects whose listing fields come from
/// their whole GitHub README): listing-only therapy vs rest F1 0.960 / AUC 0.860 in session 13;
/// the floors sit a little below. And its near misses, P (61): no `not_therapy` record reaches
/// 0.5 from the listing fields.
#[test]
fn relevance_holds_on_the_whole_readme_sets() {
    assert_floors("relevance-tuning-n.jsonl", 29, 0.93, 0.83);
    let (records, scored) = fixture_scores("relevance-tuning-p.jsonl", true);
    assert_eq!(records.len(), 61);
    let not_therapy_hits = records
        .iter()
        .zip(&scored)
        .filter(|(r, (score, _))| r.label == Label::NotTherapy && *score >= DEFAULT_THRESHOLD)
        .map(|(r, _)| r.id.as_str())
        .collect::<Vec<_>>();
    assert!(not_therapy_hits.is_empty(), "{not_therapy_hits:?}");
}

/// Glued-token and CamelCase corpus matching must not fire inside everyday words.
#[test]
fn corpus_names_and_mental_do_not_fire_inside_other_words() {
    let scorer = crate::score::Scorer::new(
        super::lex(),
        chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    );
    let score = |id: &str, description: &str| {
        let item = serde_json::json!({"id": id, "description": description});
        scorer
            .score(&crate::model::DatasetRecord::from_listing_item(&item).unwrap())
            .relevance
    };
    assert!(score("x/mechatronics-qa", "") < 0.2);
    assert!(score("y/environmental-experimental-fundamentals", "") < 0.2);
    assert!(
        score(
            "z/chit-chat",
            "Let me chat with you about movies in a friendly chat."
        ) < 0.3
    );
    // ...while the corpus names still count where they are names.
    assert!(score("lab/MeChat_converted", "") >= DEFAULT_THRESHOLD);
    assert!(score("lab/soulchat-sft", "") >= DEFAULT_THRESHOLD);
    assert!(score("lab/MindChat-dialogues", "") >= DEFAULT_THRESHOLD);
    assert!(score("lab/psychat_sft", "") >= DEFAULT_THRESHOLD);
    assert!(score("lab/PsyDial-D1", "") >= DEFAULT_THRESHOLD);
    assert!(score("lab/psydial_long_term", "") >= DEFAULT_THRESHOLD);
    assert!(score("lab/emotion_support_conv", "") >= DEFAULT_THRESHOLD);
    // An emotion-analysis project that shares a counseling model's name.
    assert!(score("lab/EmoLLMs_data", "") < DEFAULT_THRESHOLD);
}
