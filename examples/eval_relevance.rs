//! Measures therapy relevance on a labelled JSONL set (default `tests/fixtures/eval-dev/relevance.jsonl`)
//! through the real scoring path, and compares with the original tool's keyword scorer.
//!
//! `cargo run --example eval_relevance [-- PATH]`

use std::time::Instant;

use catalog::model::DatasetRecord;
use catalog::score::eval::{best_threshold, metrics_at, roc_auc, EvalRecord, Label, Metrics};
use catalog::score::{original_tool_relevance, Lexicon, Scorer, DEFAULT_THRESHOLD};

/// The original tool's `filter_by_therapeutic_relevance` default.
const ORIGINAL_TOOL_THRESHOLD: f64 = 0.5;

fn main() {
    if let Err(message) = run() {
        eprintln!("eval_relevance: {message}");
        std::process::exit(1);
    }
}

struct Scored<'a> {
    record: &'a EvalRecord,
    ours: f64,
    original: f64,
    top_terms: String,
    kind: &'static str,
}

fn run() -> Result<(), String> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/eval-dev/relevance.jsonl"
        )
        .into()
    });
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let records = EvalRecord::parse_jsonl(&text).map_err(|e| format!("{path}: {e}"))?;
    let lexicon = Lexicon::builtin().map_err(|e| e.to_string())?;
    // The real path: listing item → DatasetRecord (normalisation) → Scorer, as sync/import do.
    let scorer = Scorer::new(lexicon, chrono::Utc::now().date_naive());
    let normalised: Vec<DatasetRecord> = records
        .iter()
        .map(|r| {
            DatasetRecord::from_listing_item(&r.listing_item).map_err(|e| format!("{}: {e}", r.id))
        })
        .collect::<Result<_, _>>()?;

    let mut scored: Vec<Scored> = records
        .iter()
        .zip(&normalised)
        .map(|(record, dataset)| {
            let result = scorer.relevance(dataset);
            let mut terms: Vec<String> = result
                .matched
                .iter()
                .take(4)
                .map(|m| {
                    format!(
                        "{}@{}{}",
                        m.term,
                        m.field,
                        if m.compound { "*" } else { "" }
                    )
                })
                .collect();
            terms.extend(
                result
                    .negatives
                    .iter()
                    .take(2)
                    .map(|m| format!("-{}@{}", m.term, m.field)),
            );
            Scored {
                record,
                ours: result.score,
                original: original_tool_relevance(
                    &record.id,
                    record.description.as_deref(),
                    &record.tags,
                ),
                top_terms: terms.join(", "),
                kind: result.kind.as_str(),
            }
        })
        .collect();
    scored.sort_by(|a, b| {
        b.ours
            .total_cmp(&a.ours)
            .then_with(|| a.record.id.cmp(&b.record.id))
    });

    println!(
        "Therapy relevance evaluation on {path} ({} records)",
        records.len()
    );
    println!(
        "Ours: built-in lexicon ({} terms), DEFAULT_THRESHOLD = {DEFAULT_THRESHOLD}. Original: the real 25-keyword",
        scorer.lexicon().term_count()
    );
    println!("substring scorer of pixelatedempathy/ai academic_sourcing/therapy_dataset_sourcing.py, cut {ORIGINAL_TOOL_THRESHOLD}.");
    println!("('*' after a field = matched inside a glued id token; '-' = negative / non-conversation evidence)\n");
    println!(
        "{:<11} {:>6} {:>5}  {:<58} top terms",
        "label", "ours", "orig", "id"
    );
    for s in &scored {
        let flag = match (s.record.label, s.ours >= DEFAULT_THRESHOLD) {
            (Label::Therapy, false) => "  <- missed",
            (Label::NotTherapy, true) => "  <- false positive",
            _ => "",
        };
        println!(
            "{:<11} {:>6.3} {:>5.2}  {:<58} {}{flag}",
            s.record.label.as_str(),
            s.ours,
            s.original,
            truncate(&s.record.id, 58),
            s.top_terms
        );
    }

    let pairs = |score: fn(&Scored) -> f64, keep_borderline: bool| -> Vec<(f64, bool)> {
        scored
            .iter()
            .filter(|s| keep_borderline || s.record.label != Label::Borderline)
            .map(|s| (score(s), s.record.label == Label::Therapy))
            .collect()
    };
    let ours = |s: &Scored| s.ours;
    let original = |s: &Scored| s.original;

    println!("\nMetrics (positive = therapy; predicted therapy when score >= threshold)");
    println!(
        "{:<50} {:>5} {:>3} {:>3} {:>3} {:>3} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "scorer / setting", "thr", "tp", "fp", "fn", "tn", "prec", "recall", "F1", "acc", "AUC"
    );
    for (name, score, cut) in [
        ("ours", ours as fn(&Scored) -> f64, DEFAULT_THRESHOLD),
        ("original tool", original, ORIGINAL_TOOL_THRESHOLD),
    ] {
        for (setting, keep) in [
            ("(a) therapy vs not_therapy", false),
            ("(b) therapy vs rest", true),
        ] {
            let data = pairs(score, keep);
            let auc = roc_auc(&data);
            print_row(
                &format!("{name} {setting} @default"),
                &metrics_at(&data, cut),
                auc,
            );
            print_row(
                &format!("{name} {setting} @best"),
                &best_threshold(&data),
                auc,
            );
        }
    }

    println!("\nBorderline records (mental-health adjacent, not counseling conversation)");
    for (name, score, cut) in [
        ("ours", ours as fn(&Scored) -> f64, DEFAULT_THRESHOLD),
        ("original tool", original, ORIGINAL_TOOL_THRESHOLD),
    ] {
        let values: Vec<f64> = scored
            .iter()
            .filter(|s| s.record.label == Label::Borderline)
            .map(score)
            .collect();
        let mean = values.iter().sum::<f64>() / values.len().max(1) as f64;
        let above = values.iter().filter(|&&v| v >= cut).count();
        println!(
            "  {name:<14} n = {}, mean score {mean:.3}, at/above threshold {above} ({:.0}%)",
            values.len(),
            100.0 * above as f64 / values.len().max(1) as f64
        );
    }

    println!("\nKinds by label (counseling_conversation / mental_health_text / other)");
    for label in [Label::Therapy, Label::Borderline, Label::NotTherapy] {
        let of = |kind: &str| {
            scored
                .iter()
                .filter(|s| s.record.label == label && s.kind == kind)
                .count()
        };
        println!(
            "  {:<12} {:>3} / {:>3} / {:>3}",
            label.as_str(),
            of("counseling_conversation"),
            of("mental_health_text"),
            of("other")
        );
    }

    let rounds = 200;
    let started = Instant::now();
    let mut checksum = 0.0;
    for _ in 0..rounds {
        for dataset in &normalised {
            checksum += scorer.score(dataset).relevance;
        }
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / (rounds * records.len()) as f64;
    println!("\nSpeed: {micros:.1} µs per record (relevance + quality) on average over {} scorings (checksum {checksum:.1}; use --release for production figures)", rounds * records.len());
    Ok(())
}

fn print_row(name: &str, m: &Metrics, auc: f64) {
    println!(
        "{:<50} {:>5.3} {:>3} {:>3} {:>3} {:>3} {:>6.3} {:>6.3} {:>6.3} {:>6.3} {:>6.3}",
        name,
        m.threshold,
        m.tp,
        m.fp,
        m.false_negatives,
        m.tn,
        m.precision,
        m.recall,
        m.f1,
        m.accuracy,
        auc
    );
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}
