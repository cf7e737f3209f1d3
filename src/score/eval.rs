//! Measuring relevance on labelled records (`eval-dev/relevance.jsonl` format): record parsing
//! and the metrics (precision, recall, F1, accuracy, best threshold, ROC AUC). Used by the
//! `eval_relevance` example and the regression test; pure functions, no I/O.

use serde::Deserialize;
use serde_json::Value;

use super::{Relevance, RelevanceInput, Scorer, ScoringExtras, SAMPLING_RELEVANCE_FLOOR};
use crate::model::DatasetRecord;

/// A record's label.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
    strum::AsRefStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Counseling / psychotherapy / mental-health support conversation data.
    Therapy,
    /// Mental-health adjacent, not counseling conversation.
    Borderline,
    /// Unrelated, including hard negatives sharing vocabulary.
    NotTherapy,
}

impl Label {
    /// The label as written in the file.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    label: Label,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    card_data: Option<Value>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    downloads: Option<i64>,
    #[serde(default)]
    likes: Option<i64>,
    #[serde(default)]
    last_modified: Option<String>,
    #[serde(default)]
    readme: Option<String>,
    #[serde(default)]
    sample_text: Option<String>,
}

/// One line of a card file (`relevance-cards-*.jsonl`): what a sync would fetch for a record
/// beyond its listing, kept beside the set so the set's own lines stay listing-only.
#[derive(Deserialize)]
struct CardLine {
    id: String,
    #[serde(default)]
    readme: Option<String>,
    #[serde(default)]
    sample_text: Option<String>,
}

/// One labelled dataset, with the fields the scorer reads.
#[derive(Debug, Clone)]
pub struct EvalRecord {
    /// Repo id.
    pub id: String,
    /// Gold label.
    pub label: Label,
    /// Hub tags plus the card's free `tags` (deduplicated).
    pub tags: Vec<String>,
    /// Card `pretty_name`.
    pub pretty_name: Option<String>,
    /// Card `task_categories` and `task_ids`.
    pub task_categories: Vec<String>,
    /// Card prose.
    pub description: Option<String>,
    /// The record as a Hub `/api/datasets` item (`id`, `tags`, `cardData`, `description`,
    /// `downloads`, `likes`, `lastModified`), to score it through the catalog's real path.
    pub listing_item: Value,
    /// The full README, when it was recorded (what the sync fetches for a candidate).
    pub readme: Option<String>,
    /// Text of real data rows, when recorded (what the sync samples for a candidate).
    pub sample_text: Option<String>,
}

impl EvalRecord {
    /// Parses one JSONL line.
    pub fn from_json_line(line: &str) -> Result<Self, serde_json::Error> {
        let raw: RawRecord = serde_json::from_str(line)?;
        let card = raw.card_data.as_ref();
        let mut tags = raw.tags;
        for tag in strings(card.and_then(|c| c.get("tags"))) {
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        let mut listing_item = serde_json::json!({
            "id": raw.id,
            "tags": tags,
            "description": raw.description,
            "downloads": raw.downloads,
            "likes": raw.likes,
            "lastModified": raw.last_modified.as_deref().map(|d| format!("{d}T00:00:00.000Z")),
        });
        if let (Some(card), Some(item)) = (&raw.card_data, listing_item.as_object_mut()) {
            item.insert("cardData".to_string(), card.clone());
        }
        let mut task_categories = strings(card.and_then(|c| c.get("task_categories")));
        task_categories.extend(strings(card.and_then(|c| c.get("task_ids"))));
        Ok(EvalRecord {
            id: raw.id,
            label: raw.label,
            tags,
            pretty_name: card
                .and_then(|c| c.get("pretty_name"))
                .and_then(Value::as_str)
                .map(str::to_string),
            task_categories,
            description: raw.description,
            listing_item,
            readme: raw.readme,
            sample_text: raw.sample_text,
        })
    }

    /// Adds the READMEs and sample rows of a card file (JSONL of `id`, `readme`,
    /// `sample_text`) to `records`. Every line must name a record of the set: a card for an
    /// unknown id is an error, so a renamed record cannot silently lose its card.
    pub fn attach_cards(records: &mut [EvalRecord], cards: &str) -> Result<(), String> {
        for (n, line) in cards.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let card: CardLine =
                serde_json::from_str(line).map_err(|e| format!("line {}: {e}", n + 1))?;
            let record = records
                .iter_mut()
                .find(|r| r.id == card.id)
                .ok_or_else(|| format!("line {}: no record {:?} in the set", n + 1, card.id))?;
            if let Some(readme) = card.readme {
                record.readme = Some(restore_front_matter(&readme));
            }
            if card.sample_text.is_some() {
                record.sample_text = card.sample_text;
            }
        }
        Ok(())
    }

    /// Whether a README or sample rows were recorded.
    pub fn has_extras(&self) -> bool {
        self.readme.is_some() || self.sample_text.is_some()
    }

    /// What the sync would have measured, for the scorer. Whether the rows held a
    /// conversation layout is not recorded, so it stays unknown (the card's schema decides).
    pub fn extras(&self) -> ScoringExtras<'_> {
        ScoringExtras {
            readme: self.readme.as_deref(),
            conversation_text: self.sample_text.as_deref(),
            measured_conversation: None,
        }
    }

    /// Parses a whole JSONL text (blank lines skipped); errors name the line.
    pub fn parse_jsonl(text: &str) -> Result<Vec<Self>, String> {
        text.lines()
            .enumerate()
            .filter(|(_, line)| !line.trim().is_empty())
            .map(|(n, line)| Self::from_json_line(line).map_err(|e| format!("line {}: {e}", n + 1)))
            .collect()
    }

    /// The scorer's view of this record.
    pub fn relevance_input(&self) -> RelevanceInput<'_> {
        RelevanceInput {
            id: &self.id,
            pretty_name: self.pretty_name.as_deref(),
            title: None,
            tags: &self.tags,
            task_categories: &self.task_categories,
            description: self.description.as_deref(),
            card_text: None,
            conversation_text: None,
            schema_text: None,
            structure: Default::default(),
        }
    }
}

/// Relevance the way a synced catalog holds it: every dataset is scored from its listing
/// first; a candidate (at or above [`SAMPLING_RELEVANCE_FLOOR`]) then has its README and rows
/// fetched and is scored again with them. `dataset` is `record`'s listing item normalised.
pub fn synced_relevance(
    scorer: &Scorer,
    record: &EvalRecord,
    dataset: &DatasetRecord,
) -> Relevance {
    synced_relevance_with_floor(scorer, record, dataset, SAMPLING_RELEVANCE_FLOOR)
}

/// [`synced_relevance`] under another candidate floor (what `catalog sync --sample-floor`
/// sets), to measure what a lower or higher floor would change.
pub fn synced_relevance_with_floor(
    scorer: &Scorer,
    record: &EvalRecord,
    dataset: &DatasetRecord,
    floor: f64,
) -> Relevance {
    let light = scorer.relevance(dataset);
    if light.score >= floor && record.has_extras() {
        scorer.relevance_with(dataset, &record.extras())
    } else {
        light
    }
}

/// Keys of card YAML (top level, and inside `dataset_info` / `configs`) that start a line of
/// front matter a stored page printed without its `---` delimiters.
const CARD_YAML_KEYS: &[&str] = &[
    "license",
    "license_name",
    "license_link",
    "license_details",
    "task_categories",
    "task_ids",
    "language",
    "languages",
    "multilinguality",
    "tags",
    "size_categories",
    "pretty_name",
    "dataset_info",
    "configs",
    "annotations_creators",
    "language_creators",
    "source_datasets",
    "paperswithcode_id",
    "viewer",
    "datasets",
    "library_name",
    "arxiv",
    "homepage",
    "thumbnail",
    "train-eval-index",
    "extra_gated_prompt",
    "extra_gated_fields",
    "extra_gated_heading",
    "extra_gated_button_content",
    "extra_gated_description",
    "features",
    "name",
    "dtype",
    "list",
    "sequence",
    "struct",
    "splits",
    "num_bytes",
    "num_examples",
    "download_size",
    "dataset_size",
    "config_name",
    "data_files",
    "split",
    "path",
    "class_label",
    "names",
    "default",
    "_type",
];

/// Whether `line` starts with a card YAML key (`license: mit`, `dataset_info:`).
fn is_card_yaml_key(line: &str) -> bool {
    line.split_once(':')
        .is_some_and(|(key, _)| CARD_YAML_KEYS.contains(&key.trim().to_lowercase().as_str()))
}

/// A README as the Hub serves it, from one a stored page rendered: pages often print the front
/// matter as plain lines (sometimes under a `metadata` heading, indentation lost) without its
/// `---` delimiters, and the scorer would then read the YAML as prose. A README that starts
/// with card YAML keys gets its delimiters back around the leading run of YAML-like lines
/// (keys, list items, indented lines, blank lines, a value under a bare `key:`). Measurement
/// only: the Hub's own READMEs always carry their delimiters.
pub fn restore_front_matter(readme: &str) -> String {
    let mut lines: Vec<&str> = readme.lines().collect();
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    if lines
        .first()
        .is_some_and(|l| l.trim().eq_ignore_ascii_case("metadata"))
    {
        lines.remove(0);
    }
    let starts_with_yaml = lines.first().is_some_and(|l| is_card_yaml_key(l));
    if !starts_with_yaml {
        return readme.to_string();
    }
    let mut end = 0;
    let mut after_bare_key = false;
    for line in &lines {
        let trimmed = line.trim();
        let yaml_like = trimmed.is_empty()
            || trimmed.starts_with('-')
            || line.starts_with([' ', '\t'])
            || is_card_yaml_key(trimmed)
            || (after_bare_key && !trimmed.starts_with('#'));
        if !yaml_like {
            break;
        }
        after_bare_key = is_card_yaml_key(trimmed) && trimmed.ends_with(':');
        end += 1;
    }
    let (yaml, prose) = lines.split_at(end);
    format!("---\n{}\n---\n{}", yaml.join("\n"), prose.join("\n"))
}

/// A string or a list of strings.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// Binary classification figures at one threshold (`score >= threshold` predicts positive).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    /// The threshold.
    pub threshold: f64,
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub false_negatives: usize,
    /// True negatives.
    pub tn: usize,
    /// tp / (tp + fp), 0 when nothing is predicted positive.
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// (tp + tn) / all.
    pub accuracy: f64,
}

/// Metrics of `(score, is_positive)` pairs at `threshold`.
pub fn metrics_at(scored: &[(f64, bool)], threshold: f64) -> Metrics {
    let (mut tp, mut fp, mut fneg, mut tn) = (0, 0, 0, 0);
    for &(score, positive) in scored {
        match (score >= threshold, positive) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            (false, false) => tn += 1,
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(tp, tp + fp);
    let recall = ratio(tp, tp + fneg);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Metrics {
        threshold,
        tp,
        fp,
        false_negatives: fneg,
        tn,
        precision,
        recall,
        f1,
        accuracy: ratio(tp + tn, scored.len()),
    }
}

/// The threshold (among the observed scores) with the highest F1; ties go to the higher threshold.
pub fn best_threshold(scored: &[(f64, bool)]) -> Metrics {
    let mut candidates: Vec<f64> = scored.iter().map(|&(score, _)| score).collect();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    candidates
        .into_iter()
        .map(|t| metrics_at(scored, t))
        .fold(None, |best: Option<Metrics>, m| match best {
            Some(b) if b.f1 > m.f1 => Some(b),
            _ => Some(m),
        })
        .unwrap_or_else(|| metrics_at(scored, 0.5))
}

/// Area under the ROC curve (probability a random positive outscores a random negative; ties ½).
/// 0.5 when either class is empty.
pub fn roc_auc(scored: &[(f64, bool)]) -> f64 {
    let positives: Vec<f64> = scored.iter().filter(|s| s.1).map(|s| s.0).collect();
    let negatives: Vec<f64> = scored.iter().filter(|s| !s.1).map(|s| s.0).collect();
    if positives.is_empty() || negatives.is_empty() {
        return 0.5;
    }
    let mut wins = 0.0;
    for p in &positives {
        for n in &negatives {
            wins += match p.total_cmp(n) {
                std::cmp::Ordering::Greater => 1.0,
                std::cmp::Ordering::Equal => 0.5,
                std::cmp::Ordering::Less => 0.0,
            };
        }
    }
    wins / (positives.len() * negatives.len()) as f64
}

#[cfg(test)]
mod enum_names {
    use super::Label;
    use strum::IntoEnumIterator;

    #[test]
    fn label_names_are_stable() {
        let names = ["therapy", "borderline", "not_therapy"];
        crate::test_support::assert_enum_names::<Label>(&names);
        for (label, name) in Label::iter().zip(names) {
            assert_eq!(label.as_str(), name);
            assert_eq!(serde_json::from_value::<Label>(name.into()).unwrap(), label);
        }
    }
}
