//! Measures therapy relevance on a labelled JSONL set (default `tests/fixtures/eval-dev/relevance.jsonl`)
//! through the real scoring path, and compares with the original tool's keyword scorer.
//!
//! `cargo run --example eval_relevance [-- [--cards CARDS.jsonl] [--summary] [--floor X] [--lexicon FILE] PATH]`
//!
//! Two figures are measured when the set records READMEs or sample rows (inline, or in a card
//! file given by `--cards`): *listing*, the score from the listing fields alone, and *synced*,
//! the score a synced catalog holds (a candidate is scored again with its README and rows; see
//! `catalog::score::eval::synced_relevance`; `--floor X` assumes another candidate floor than
//! 0.35, as `catalog sync --sample-floor X` sets). `--summary` prints the metrics only, never a
//! record's score: use it on a held-out set. `--lexicon FILE` scores with another lexicon than
//! the built-in `index/therapy.toml` (as `catalog sync --lexicon FILE` does).

use std::time::Instant;

/// `println!` that ends the program quietly when stdout is closed (`eval_relevance | head`)
/// instead of panicking on the broken pipe.
macro_rules! println {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

use catalog::model::DatasetRecord;
use catalog::score::eval::{
    best_threshold, metrics_at, roc_auc, synced_relevance_with_floor, EvalRecord, Label, Metrics,
};
use catalog::score::{
    original_tool_relevance, Lexicon, Scorer, DEFAULT_THRESHOLD, SAMPLING_RELEVANCE_FLOOR,
};

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
    /// From the listing fields alone.
    listing: f64,
    /// As a synced catalog holds it.
    ours: f64,
    original: f64,
    top_terms: String,
    kind: &'static str,
}

/// Command-line arguments.
struct Args {
    path: String,
    cards: Option<String>,
    summary: bool,
    /// Ids whose whole explanation is printed (tuning sets only).
    explain: Vec<String>,
    /// The candidate floor the synced score assumes (`catalog sync --sample-floor`).
    floor: f64,
    /// A lexicon file to score with instead of the built-in one.
    lexicon: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        path: concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/eval-dev/relevance.jsonl"
        )
        .into(),
        cards: None,
        summary: false,
        explain: Vec::new(),
        floor: SAMPLING_RELEVANCE_FLOOR,
        lexicon: None,
    };
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        match arg.as_str() {
            "--cards" => {
                args.cards = Some(given.next().ok_or("--cards needs a file")?);
            }
            "--summary" => args.summary = true,
            "--lexicon" => {
                args.lexicon = Some(given.next().ok_or("--lexicon needs a file")?);
            }
            "--floor" => {
                let value = given.next().ok_or("--floor needs a number")?;
                args.floor = value
                    .parse::<f64>()
                    .ok()
                    .filter(|f| (0.0..=1.0).contains(f))
                    .ok_or(format!("--floor {value}: not a number in [0, 1]"))?;
            }
            "--explain" => args
                .explain
                .push(given.next().ok_or("--explain needs a dataset id")?),
            flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}")),
            _ => args.path = arg,
        }
    }
    Ok(args)
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
}

fn run() -> Result<(), String> {
    let Args {
        path,
        cards,
        summary,
        explain,
        floor,
        lexicon,
    } = parse_args()?;
    let mut records = EvalRecord::parse_jsonl(&read(&path)?).map_err(|e| format!("{path}: {e}"))?;
    if let Some(cards) = &cards {
        EvalRecord::attach_cards(&mut records, &read(cards)?)
            .map_err(|e| format!("{cards}: {e}"))?;
    }
    let with_extras = records.iter().filter(|r| r.has_extras()).count();
    let (lexicon, lexicon_name) = match &lexicon {
        Some(path) => (
            Lexicon::from_path(std::path::Path::new(path)),
            path.as_str(),
        ),
        None => (Lexicon::builtin(), "built-in lexicon"),
    };
    let lexicon = lexicon.map_err(|e| e.to_string())?;
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
            let listing = scorer.relevance(dataset).score;
            let result = synced_relevance_with_floor(&scorer, record, dataset, floor);
            if !summary && explain.iter().any(|id| id.eq_ignore_ascii_case(&record.id)) {
                print_explanation(&record.id, &result);
            }
            Scored {
                record,
                listing,
                ours: result.score,
                original: original_tool_relevance(
                    &record.id,
                    record.description.as_deref(),
                    &record.tags,
                ),
                top_terms: top_terms(&result),
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
        "Ours: {lexicon_name} ({} terms), DEFAULT_THRESHOLD = {DEFAULT_THRESHOLD}. Original: the real 25-keyword",
        scorer.lexicon().term_count()
    );
    println!("substring scorer of pixelatedempathy/ai academic_sourcing/therapy_dataset_sourcing.py, cut {ORIGINAL_TOOL_THRESHOLD}.");
    println!(
        "{with_extras} of {} records carry a README or sample rows: 'ours' is the synced score, 'listing' the listing-only one.",
        records.len()
    );
    if summary {
        println!("--summary: no record's score is printed.");
    } else {
        print_records(&scored);
    }
    metrics(&scored);
    speed(&scorer, &normalised);
    Ok(())
}

/// The strongest evidence of a score, for the per-record table: four matched terms and two
/// against (`term@field`, `*` when matched inside a glued id token, `-` for evidence against).
fn top_terms(result: &catalog::score::Relevance) -> String {
    let compound = |glued: bool| if glued { "*" } else { "" };
    let matched = result.matched.iter().take(4);
    let against = result.negatives.iter().take(2);
    matched
        .map(|m| format!("{}@{}{}", m.term, m.field, compound(m.compound)))
        .chain(against.map(|m| format!("-{}@{}", m.term, m.field)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn print_records(scored: &[Scored]) {
    println!("('*' after a field = matched inside a glued id token; '-' = negative / non-conversation evidence)\n");
    println!(
        "{:<11} {:>6} {:>7} {:>5}  {:<58} top terms",
        "label", "ours", "listing", "orig", "id"
    );
    for s in scored {
        let flag = match (s.record.label, s.ours >= DEFAULT_THRESHOLD) {
            (Label::Therapy, false) => "  <- missed",
            (Label::NotTherapy, true) => "  <- false positive",
            _ => "",
        };
        println!(
            "{:<11} {:>6.3} {:>7.3} {:>5.2}  {:<58} {}{flag}",
            s.record.label.as_str(),
            s.ours,
            s.listing,
            s.original,
            truncate(&s.record.id, 58),
            s.top_terms
        );
    }
}

fn metrics(scored: &[Scored]) {
    let pairs = |score: fn(&Scored) -> f64, keep_borderline: bool| -> Vec<(f64, bool)> {
        scored
            .iter()
            .filter(|s| keep_borderline || s.record.label != Label::Borderline)
            .map(|s| (score(s), s.record.label == Label::Therapy))
            .collect()
    };
    let ours = |s: &Scored| s.ours;
    let listing = |s: &Scored| s.listing;
    let original = |s: &Scored| s.original;

    println!("\nMetrics (positive = therapy; predicted therapy when score >= threshold)");
    println!(
        "{:<50} {:>5} {:>3} {:>3} {:>3} {:>3} {:>6} {:>6} {:>6} {:>6} {:>6}",
        "scorer / setting", "thr", "tp", "fp", "fn", "tn", "prec", "recall", "F1", "acc", "AUC"
    );
    for (name, score, cut) in [
        ("ours", ours as fn(&Scored) -> f64, DEFAULT_THRESHOLD),
        ("listing-only", listing, DEFAULT_THRESHOLD),
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

    // Records a scorer can read something of beyond the id (card YAML, prose, README or rows)
    // against records known by their name and tags alone: real Hub datasets all have the former
    // once synced, while stored pages often showed only the latter.
    println!("\nBy what a record carries (ours, therapy vs rest @default)");
    for (what, with_text) in [
        ("with card text or rows", true),
        ("name and tags only", false),
    ] {
        let data: Vec<(f64, bool)> = scored
            .iter()
            .filter(|s| carries_text(s.record) == with_text)
            .map(|s| (s.ours, s.record.label == Label::Therapy))
            .collect();
        print_row(
            &format!("{what} (n = {})", data.len()),
            &metrics_at(&data, DEFAULT_THRESHOLD),
            roc_auc(&data),
        );
    }

    by_language(scored);

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
}

fn speed(scorer: &Scorer, normalised: &[DatasetRecord]) {
    let rounds = 200;
    let started = Instant::now();
    let mut checksum = 0.0;
    for _ in 0..rounds {
        for dataset in normalised {
            checksum += scorer.score(dataset).relevance;
        }
    }
    let micros = started.elapsed().as_secs_f64() * 1e6 / (rounds * normalised.len().max(1)) as f64;
    println!("\nSpeed: {micros:.1} µs per record (relevance + quality) on average over {} scorings (checksum {checksum:.1}; use --release for production figures)", rounds * normalised.len());
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

/// Every matched term and the score's components of one record (`--explain ID`).
fn print_explanation(id: &str, result: &catalog::score::Relevance) {
    let c = &result.components;
    println!(
        "{id}: score {:.3} kind {} (domain {:.3}, conversational {:.3}, non-conversational {:.3}, format {:.3}, negative {:.3})",
        result.score,
        result.kind.as_str(),
        c.domain,
        c.conversational,
        c.non_conversational,
        c.format_factor,
        c.negative_factor
    );
    for (sign, terms) in [("+", &result.matched), ("-", &result.negatives)] {
        for m in terms {
            println!(
                "  {sign} {:<40} {:<22} {:<14} {:.3}{}",
                m.term,
                m.category,
                m.field,
                m.weight,
                if m.compound { " (glued)" } else { "" }
            );
        }
    }
}

/// True when the record has card YAML, prose, a README or rows: more than a name and tags.
fn carries_text(record: &EvalRecord) -> bool {
    let card = record
        .listing_item
        .get("cardData")
        .is_some_and(|c| c.as_object().is_some_and(|o| !o.is_empty()));
    let prose = record
        .description
        .as_deref()
        .is_some_and(|d| !d.trim().is_empty());
    card || prose || record.has_extras()
}

/// Therapy vs rest per language: the `language:xx` tags (a record counts in each), else the
/// script most of the record's text is written in (`~zh`, `~ja`, `~ko`, `~ru`, `~ar`, `~hi`),
/// else `latin?`: how the scorer does in each language the field publishes in.
fn by_language(scored: &[Scored]) {
    let mut groups: std::collections::BTreeMap<String, Vec<(f64, bool)>> = Default::default();
    for s in scored {
        let mut languages: Vec<&str> = s
            .record
            .tags
            .iter()
            .filter_map(|t| t.strip_prefix("language:"))
            .collect();
        languages.sort_unstable();
        languages.dedup();
        if languages.is_empty() {
            languages.push(script_of(s.record));
        }
        for language in languages {
            groups
                .entry(language.to_string())
                .or_default()
                .push((s.ours, s.record.label == Label::Therapy));
        }
    }
    let mut rows: Vec<(String, Vec<(f64, bool)>)> = groups.into_iter().collect();
    rows.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.0.cmp(&b.0)));
    println!("\nBy language (ours, therapy vs rest @default; AUC needs both classes)");
    // A multilingual corpus declares hundreds of languages: one-record languages say nothing.
    let shown = rows
        .iter()
        .take_while(|(_, data)| data.len() >= 2)
        .count()
        .max(MIN_LANGUAGES_SHOWN);
    let hidden = rows.len().saturating_sub(shown);
    for (language, data) in rows.into_iter().take(shown) {
        let therapy = data.iter().filter(|(_, positive)| *positive).count();
        print_row(
            &format!("{language} (n = {}, therapy {therapy})", data.len()),
            &metrics_at(&data, DEFAULT_THRESHOLD),
            roc_auc(&data),
        );
    }
    if hidden > 0 {
        println!("  … and {hidden} more languages with one record each");
    }
}

/// Languages the per-language table always shows (the rest only when they hold 2+ records).
const MIN_LANGUAGES_SHOWN: usize = 8;

/// The language a record's non-Latin script implies (`~zh` …), or `latin?` (see [`by_language`]).
fn script_of(record: &EvalRecord) -> &'static str {
    let text = [
        Some(record.id.as_str()),
        record.description.as_deref(),
        record.readme.as_deref(),
        record.sample_text.as_deref(),
    ];
    let mut counts = [0usize; 7];
    for c in text.iter().flatten().flat_map(|t| t.chars()) {
        let slot = match c as u32 {
            0x3040..=0x30FF => 1,                   // kana: Japanese
            0xAC00..=0xD7AF | 0x1100..=0x11FF => 2, // Hangul
            0x4E00..=0x9FFF => 3,                   // Han (Chinese unless kana)
            0x0400..=0x04FF => 4,                   // Cyrillic
            0x0600..=0x06FF => 5,                   // Arabic script
            0x0900..=0x097F => 6,                   // Devanagari
            _ => 0,
        };
        if let Some(count) = counts.get_mut(slot) {
            *count += 1;
        }
    }
    let [_, kana, hangul, han, cyrillic, arabic, devanagari] = counts;
    match () {
        _ if kana > 0 && kana + han >= 10 => "~ja",
        _ if hangul >= 10 => "~ko",
        _ if han >= 10 => "~zh",
        _ if cyrillic >= 10 => "~ru",
        _ if arabic >= 10 => "~ar",
        _ if devanagari >= 10 => "~hi",
        _ => "latin?",
    }
}
