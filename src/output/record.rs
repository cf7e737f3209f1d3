//! The exported dataset record: the original tool's `DatasetMetadata` field names, plus extras.
//!
//! Field names of the original are kept exactly (`name`, `source`, `url`, `description`, `tags`,
//! `downloads`, `likes`, `size_bytes`, `num_conversations`, `avg_turns`, `min_turns`, `max_turns`,
//! `conversation_format`, `languages`, `license`, `created_at`, `updated_at`, `quality_score`,
//! `therapeutic_relevance`); everything else is an added field, never a rename.
//! `schema/export.schema.json` describes it.

use crate::search::query::Factors;
use crate::store::StoredDataset;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One exported dataset.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ExportRecord {
    /// Repo id (`owner/name`), as the original tool's `name`.
    pub name: String,
    /// Always `huggingface`.
    pub source: String,
    /// Dataset page.
    pub url: String,
    /// Description (README extract).
    pub description: String,
    /// Hub tags.
    pub tags: Vec<String>,
    /// Downloads (30 days).
    pub downloads: i64,
    /// Likes.
    pub likes: i64,
    /// Size in bytes.
    pub size_bytes: Option<i64>,
    /// Conversations in the dataset (see `num_conversations_source`).
    pub num_conversations: Option<i64>,
    /// Average turns per conversation (null when only a lower bound is known).
    pub avg_turns: Option<f64>,
    /// Fewest turns in the sample.
    pub min_turns: Option<i64>,
    /// Most turns in the sample.
    pub max_turns: Option<i64>,
    /// multi_turn (≥ 20), medium_turn (10–19), short_turn (5–9), single_turn (1–4), or null.
    pub conversation_format: Option<String>,
    /// Language codes.
    pub languages: Vec<String>,
    /// First licence.
    pub license: Option<String>,
    /// Creation time.
    pub created_at: Option<String>,
    /// Last modification time.
    pub updated_at: Option<String>,
    /// Quality in [0, 1].
    pub quality_score: f64,
    /// Therapy relevance in [0, 1].
    pub therapeutic_relevance: f64,
    // ---- extras (added, never renamed) ----
    /// Repo id.
    pub id: String,
    /// Composite rank score of this query (absent outside a ranked listing).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub score: Option<f64>,
    /// Median turns.
    pub median_turns: Option<f64>,
    /// When only a lower bound is known: the average is at least this (`avg_turns` is null).
    pub avg_turns_lower_bound: Option<f64>,
    /// How far the turn figure can be trusted: `exact` (a whole split or whole files), `sample`
    /// (whole conversations of a sample), `lower_bound`, `stated` (card or schema).
    pub turns_figure: Option<String>,
    /// Every source asked for turn figures and what it gave.
    #[serde(default)]
    pub turns_evidence: Vec<crate::turns::evidence::TurnEvidence>,
    /// Conversations counted in the sample.
    pub turns_sampled: Option<i64>,
    /// Detected layout.
    pub turns_layout: Option<String>,
    /// Where the turn figure came from: `viewer_statistics:<config>/<split>`,
    /// `viewer_rows:<config>/<split>`, `repo_files:<path>`, `schema:…`, `card`; null when none.
    pub turns_source: Option<String>,
    /// True when exact (`turns_figure` is `exact`).
    pub turns_exact: Option<bool>,
    /// Sampling status (`ok`, `no_layout`, `unavailable`, `retry`) or null when never sampled.
    pub turns_status: Option<String>,
    /// Why turn figures are missing.
    pub turns_reason: Option<String>,
    /// Where `num_conversations` came from.
    pub num_conversations_source: Option<String>,
    /// All licences.
    pub licenses: Vec<String>,
    /// Card `pretty_name`.
    pub pretty_name: Option<String>,
    /// Gating mode (`auto`/`manual`) or null.
    pub gated: Option<String>,
    /// Lexicon terms matched, as `term (field)`.
    pub matched_terms: Vec<String>,
    /// Detected therapy modalities.
    pub modalities: Vec<String>,
    /// What the dataset is: `counseling_conversation`, `mental_health_text` or `other`.
    #[serde(default = "other_kind")]
    pub kind: String,
    /// Its family of copies, conversions and translations: the root's id (null when none).
    pub family_id: Option<String>,
    /// Its relation to the family's root: `root`, `copy`, `conversion`, `translation`,
    /// `subset`, `derived` (null when in no family).
    pub family_role: Option<String>,
    /// The other members of its family.
    #[serde(default)]
    pub related: Vec<String>,
    /// In a collapsed listing: how many other members of its family matched too.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub collapsed: Option<usize>,
    /// The evidence behind the relevance: topic, form and structure (with `--explain`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub relevance_breakdown: Option<Value>,
    /// Ranking factors (with `--explain`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub factors: Option<Factors>,
    /// Quality breakdown (with `--explain`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub quality_breakdown: Option<Value>,
}

fn other_kind() -> String {
    "other".to_string()
}

/// Lexicon matches as `term (field)`, de-duplicated, strongest first.
pub fn matched_terms(matched: &[crate::score::MatchedTerm]) -> Vec<String> {
    let mut matches: Vec<(f64, String)> = matched
        .iter()
        .map(|m| (m.weight, format!("{} ({})", m.term, m.field)))
        .collect();
    matches.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, m) in matches {
        if !out.contains(&m) {
            out.push(m);
        }
    }
    out
}

/// `source:detail` of a measured figure (`card` alone: its sentence is in the evidence).
fn turns_source(t: &crate::store::TurnRecord) -> Option<String> {
    let source = t.source.as_deref()?;
    match t.source_detail.as_deref().filter(|d| !d.is_empty()) {
        Some(detail) if source != "card" => Some(format!("{source}:{detail}")),
        _ => Some(source.to_string()),
    }
}

impl ExportRecord {
    /// Builds the record of a stored dataset; `score`/`factors` come from a ranked query.
    pub fn from_stored(
        d: &StoredDataset,
        score: Option<f64>,
        factors: Option<Factors>,
        explain: bool,
    ) -> ExportRecord {
        let r = &d.record;
        let t = d.turns.as_ref();
        let ok = t.is_some_and(|t| t.status == crate::store::turn_status::OK);
        let measured =
            |f: fn(&crate::store::TurnRecord) -> Option<f64>| t.filter(|_| ok).and_then(f);
        let avg_turns = measured(|t| t.avg_turns);
        let lower_bound = measured(|t| t.lower_bound);
        ExportRecord {
            name: r.id.clone(),
            source: "huggingface".to_string(),
            url: r.url(),
            description: r.description.clone().unwrap_or_default(),
            tags: r.tags.clone(),
            downloads: r.downloads,
            likes: r.likes,
            size_bytes: r.size_bytes,
            num_conversations: t.and_then(|t| t.num_conversations).or(r.card_num_rows),
            avg_turns,
            min_turns: t.filter(|_| ok).and_then(|t| t.min_turns),
            max_turns: t.filter(|_| ok).and_then(|t| t.max_turns),
            conversation_format: crate::turns::format_of(avg_turns, lower_bound)
                .map(|f| f.as_str().to_string()),
            languages: r.languages.clone(),
            license: r.license().map(str::to_string),
            created_at: r.created_at.clone(),
            updated_at: r.last_modified.clone(),
            quality_score: d.scores.quality,
            therapeutic_relevance: d.scores.relevance,
            id: r.id.clone(),
            score,
            median_turns: measured(|t| t.median_turns),
            avg_turns_lower_bound: lower_bound,
            turns_figure: t.filter(|_| ok).and_then(|t| t.figure_kind.clone()),
            turns_evidence: t.map(|t| t.evidence.clone()).unwrap_or_default(),
            turns_sampled: t.filter(|_| ok).and_then(|t| t.conversations),
            turns_layout: t.and_then(|t| t.layout.clone()),
            turns_source: t.filter(|_| ok).and_then(turns_source),
            turns_exact: t.filter(|_| ok).and_then(|t| t.exact),
            turns_status: t.map(|t| t.status.clone()),
            turns_reason: t.and_then(|t| t.reason.clone()),
            num_conversations_source: match t.and_then(|t| t.num_conversations_source.clone()) {
                Some(s) => Some(s),
                None => r.card_num_rows.map(|_| "card_dataset_info".to_string()),
            },
            licenses: r.licenses.clone(),
            pretty_name: r.pretty_name.clone(),
            gated: r.gated.clone(),
            matched_terms: matched_terms(d.scores.matched()),
            modalities: d.scores.modalities().to_vec(),
            kind: crate::search::schema::dataset_kind(d).as_str().to_string(),
            family_id: d.family.as_ref().map(|f| f.family_id.clone()),
            family_role: d.family.as_ref().map(|f| f.role.as_str().to_string()),
            related: Vec::new(),
            collapsed: None,
            relevance_breakdown: explain.then(|| d.scores.relevance_breakdown()),
            factors: factors.filter(|_| explain),
            quality_breakdown: explain.then(|| d.scores.quality_breakdown()),
        }
    }
}
