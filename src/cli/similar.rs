//! `catalog similar ID`: datasets like this one, offline, with the reasons.
//!
//! The dataset's own words (pretty name, name, description, free tags; stop words and very short
//! words left out, the most frequent first) query the index; candidates are then ranked by the
//! text match (60%), the same kind (15%), a shared language (10%) and a similar conversation
//! length (15%). Its own family is left out (`show` lists it), and families among the results
//! collapse to their best-ranked member.

use super::args::{OutputFormat, SimilarArgs};
use super::load_lexicon;
use catalog::config::Config;
use catalog::output::record::ExportRecord;
use catalog::sanitize::{clean_line, json_terminal_safe, truncate_to_width};
use catalog::score::tokenize::tokenize;
use catalog::search::{search, CatalogIndex, QueryFilters, Weights};
use catalog::store::{Store, StoredDataset};
use serde::Serialize;
use std::collections::HashMap;
use std::process::ExitCode;

/// Query words taken from the dataset.
const QUERY_WORDS: usize = 24;
/// Candidates read from the index before re-ranking.
const CANDIDATES: usize = 200;

const STOP_WORDS: &[&str] = &[
    "the",
    "and",
    "for",
    "with",
    "this",
    "that",
    "from",
    "are",
    "was",
    "were",
    "dataset",
    "data",
    "datasets",
    "each",
    "which",
    "into",
    "their",
    "have",
    "has",
    "its",
    "our",
    "you",
    "your",
    "can",
    "use",
    "used",
    "using",
    "also",
    "more",
    "than",
    "all",
    "not",
    "but",
    "one",
    "two",
    "see",
    "full",
    "description",
    "page",
    "huggingface",
    "http",
    "https",
    "www",
    "com",
    "datum",
];

/// One similar dataset and why.
#[derive(Debug, Clone, Serialize)]
pub struct Similar {
    /// The dataset record.
    #[serde(flatten)]
    pub record: ExportRecord,
    /// Similarity in [0, 1].
    pub similarity: f64,
    /// Why it is similar.
    pub reasons: Vec<String>,
}

fn content_words(d: &StoredDataset) -> Vec<String> {
    let r = &d.record;
    let mut text = String::new();
    for part in [
        r.pretty_name.as_deref(),
        Some(r.id.rsplit('/').next().unwrap_or("")),
        r.description.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        text.push_str(part);
        text.push(' ');
    }
    text.push_str(&r.card_tags.join(" "));
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    for token in tokenize(&text) {
        let word = token.text;
        if word.chars().count() < 3
            || STOP_WORDS.contains(&word.as_str())
            || word.chars().all(|c| c.is_ascii_digit())
        {
            continue;
        }
        let n = counts.entry(word.clone()).or_insert(0);
        if *n == 0 {
            order.push(word);
        }
        *n += 1;
    }
    order.sort_by_key(|w| std::cmp::Reverse(counts.get(w).copied().unwrap_or(0)));
    order.truncate(QUERY_WORDS);
    order
}

fn turns_of(r: &ExportRecord) -> Option<f64> {
    r.avg_turns.or(r.avg_turns_lower_bound)
}

/// Runs `catalog similar`.
pub fn run(config: &Config, args: SimilarArgs) -> anyhow::Result<ExitCode> {
    let store = Store::open_read_only(&config.catalog_path())?;
    let index = CatalogIndex::open(&config.index_dir())?;
    let lexicon = load_lexicon(None)?;
    let Some(mut d) = store.get(args.id.trim())? else {
        eprintln!("no dataset `{}` in the catalog", clean_line(&args.id, 100));
        return Ok(ExitCode::from(super::exit::RUNTIME));
    };
    let scorer = catalog::score::Scorer::new(lexicon, chrono::Utc::now().date_naive());
    scorer.fill_evidence(&d.record, &mut d.scores);
    let me = ExportRecord::from_stored(&d, None, None, false);
    let words = content_words(&d);
    let weights = Weights::default()
        .with_overrides("match=1,quality=0,relevance=0,turns=0,popularity=0")
        .map_err(anyhow::Error::msg)?;
    let result = search(
        &index,
        &words.join(" "),
        &QueryFilters::default(),
        &weights,
        0,
        CANDIDATES,
    )?;
    let ids: Vec<String> = result.hits.iter().map(|h| h.id.clone()).collect();
    let mut stored: HashMap<String, StoredDataset> = store
        .get_many(&ids)?
        .into_iter()
        .map(|s| (s.record.id.clone(), s))
        .collect();
    let own_family = d.family.as_ref().map(|f| f.family_id.clone());
    let mut similar: Vec<Similar> = Vec::new();
    for hit in &result.hits {
        if hit.id == d.record.id {
            continue;
        }
        let Some(mut other) = stored.remove(&hit.id) else {
            continue;
        };
        scorer.fill_evidence(&other.record, &mut other.scores);
        let family = other.family.as_ref().map(|f| f.family_id.clone());
        if family.is_some() && family == own_family {
            continue;
        }
        let record = ExportRecord::from_stored(&other, None, None, false);
        let text = hit.factors.text_match.unwrap_or(0.0);
        let mut reasons = Vec::new();
        let description = format!(
            "{} {}",
            other.record.id,
            other.record.description.as_deref().unwrap_or("")
        )
        .to_lowercase();
        let shared: Vec<&String> = words
            .iter()
            .filter(|w| description.contains(w.as_str()))
            .take(5)
            .collect();
        if !shared.is_empty() {
            reasons.push(format!(
                "shares {}",
                shared
                    .iter()
                    .map(|w| w.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let same_kind = record.kind == me.kind;
        if same_kind {
            reasons.push(format!("also {}", record.kind));
        }
        let language = record.languages.iter().find(|l| me.languages.contains(l));
        if let Some(l) = language {
            reasons.push(format!("language {l}"));
        }
        let turns = match (turns_of(&me), turns_of(&record)) {
            (Some(a), Some(b)) if a > 0.0 && b > 0.0 => {
                let ratio = a.min(b) / a.max(b);
                if ratio >= 0.7 {
                    reasons.push(format!("similar length ({b:.0} vs {a:.0} turns)"));
                }
                ratio
            }
            _ => 0.0,
        };
        let similarity = 0.6 * text
            + 0.15 * f64::from(u8::from(same_kind))
            + 0.1 * f64::from(u8::from(language.is_some()))
            + 0.15 * turns;
        similar.push(Similar {
            record,
            similarity: (similarity * 1000.0).round() / 1000.0,
            reasons,
        });
    }
    similar.sort_by(|a, b| {
        b.similarity
            .total_cmp(&a.similarity)
            .then_with(|| a.record.id.cmp(&b.record.id))
    });
    // One row per family among the results.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut rows: Vec<Similar> = Vec::new();
    for s in similar {
        match s.record.family_id.clone() {
            Some(f) => match seen.get(&f) {
                Some(&at) => {
                    if let Some(kept) = rows.get_mut(at) {
                        kept.record.collapsed = Some(kept.record.collapsed.unwrap_or(0) + 1);
                    }
                }
                None => {
                    seen.insert(f, rows.len());
                    rows.push(s);
                }
            },
            None => rows.push(s),
        }
    }
    rows.truncate(args.limit);
    let mut out = String::new();
    match args.output {
        OutputFormat::Json => out = json_terminal_safe(serde_json::to_string_pretty(&rows)?) + "\n",
        OutputFormat::Jsonl => {
            for r in &rows {
                out.push_str(&json_terminal_safe(serde_json::to_string(r)?));
                out.push('\n');
            }
        }
        OutputFormat::Csv => {
            let records: Vec<ExportRecord> = rows.iter().map(|r| r.record.clone()).collect();
            out = catalog::output::csv::render(&records);
        }
        OutputFormat::Table => {
            out.push_str(&format!(
                "datasets like {}:\n",
                clean_line(&d.record.id, 100)
            ));
            if rows.is_empty() {
                out.push_str("  none found\n");
            }
            for (i, r) in rows.iter().enumerate() {
                let related = r
                    .record
                    .collapsed
                    .map(|n| format!(" [+{n} related]"))
                    .unwrap_or_default();
                out.push_str(&format!(
                    "{:>3} {:<44} {:.3} {:<12} {}{related}\n     {}\n",
                    i + 1,
                    truncate_to_width(&clean_line(&r.record.id, 200), 44),
                    r.similarity,
                    catalog::output::table::turns_cell(&r.record),
                    r.record.kind,
                    clean_line(&r.reasons.join("; "), 300)
                ));
            }
        }
    }
    use std::io::Write;
    std::io::stdout().write_all(out.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
