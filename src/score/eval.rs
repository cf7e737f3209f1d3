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
            if card.readme.is_some() {
                record.readme = card.readme;
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
