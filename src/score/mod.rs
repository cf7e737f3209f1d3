//! Therapy relevance and dataset quality scoring (pure: no I/O besides reading a lexicon file).
//!
//! - [`Lexicon`] — the therapy terminology from `index/therapy.toml` (embedded; a user may
//!   override it), compiled into hash maps of token sequences. Also holds the crawler's search
//!   terms and tag filters and the acronym expansions for the search index.
//! - [`relevance`] — how much a dataset is therapy / counseling conversation data, in [0, 1],
//!   with the matched terms, detected modalities and negative contexts that explain it.
//!   A dataset counts as therapy when `score >= DEFAULT_THRESHOLD`.
//! - [`quality`] — popularity, documentation, licence and recency, in [0, 1], with a breakdown.
//! - [`original_tool_relevance`] — the original Python tool's keyword scorer, kept only so the
//!   evaluation can compare against it.
//!
//! Measured on `tests/fixtures/eval-dev/relevance.jsonl` by `cargo run --example eval_relevance`.
#![cfg_attr(not(test), deny(clippy::string_slice, clippy::indexing_slicing))]

mod baseline;
pub mod card;
pub mod eval;
mod formula;
mod lexicon;
mod params;
mod quality;
mod relevance;
mod scorer;
pub mod tokenize;

#[cfg(test)]
mod tests;

pub use baseline::{original_tool_relevance, ORIGINAL_TOOL_KEYWORDS};
pub use lexicon::{Kind, Lexicon};
pub use params::{FieldWeights, ScoringParams, TagRules};
pub use quality::{quality, CARD_METADATA_INDICATOR, QUALITY_INDICATORS};
pub use relevance::relevance;
pub use scorer::{Scorer, ScoringExtras};

use serde::{Deserialize, Serialize};

/// Relevance at or above this is "therapy" (the catalog's default `--min-relevance` cut).
///
/// 0.5 is where one strong therapy signal in the id (e.g. `therapy`, `counseling`,
/// `psychologist`, `mental health`) lands when nothing says whether the data is conversation;
/// weaker or non-conversational evidence lands below.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// Relevance at or above which a dataset is a candidate: it gets its card and README, and its
/// conversations are measured (viewer, repository files). Also the "candidates" count of `status`.
pub const SAMPLING_RELEVANCE_FLOOR: f64 = 0.35;

/// The version of the scoring code. Bump it whenever a change to the code (not the lexicon)
/// changes what a dataset scores, so that catalogs scored before say they need `reindex`.
pub const SCORER_VERSION: u32 = 13;

/// What a set of scores was computed with: the scoring code's version and a fingerprint of the
/// lexicon's text (64-bit FNV-1a). Stored in the catalog; see [`Lexicon::stamp`].
pub fn scorer_stamp(lexicon_text: &str) -> String {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(lexicon_text.as_bytes());
    format!("scorer {SCORER_VERSION}, lexicon {:016x}", hasher.finish())
}

/// Why a catalog's scores are not those `current` ([`scorer_stamp`]) would compute, or `None`
/// when they are: `stored` is the catalog's stamp (`None` for catalogs scored before stamps).
pub fn stale_scores(stored: Option<&str>, current: &str) -> Option<String> {
    match stored {
        Some(stamp) if stamp == current => None,
        Some(stamp) => Some(format!(
            "the catalog's scores were computed with {stamp}, not {current}: run `catalog reindex` to recompute them"
        )),
        None => Some(
            "the catalog's scores predate this version of catalog: run `catalog reindex` to recompute them"
                .to_string(),
        ),
    }
}

/// Errors from loading or compiling a lexicon.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    /// The lexicon file could not be read.
    #[error("cannot read lexicon {path}: {source}")]
    Io {
        /// The path given.
        path: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// The lexicon is not valid TOML or does not follow the schema.
    #[error("lexicon is not valid: {0}")]
    Toml(#[from] toml::de::Error),
    /// The lexicon parsed but breaks a rule (bad weight, duplicate term, bad tag filter, ...).
    #[error("lexicon is not valid: {0}")]
    Invalid(String),
}

/// What the relevance scorer reads about one dataset. Empty or missing fields are fine (the
/// default reads nothing).
#[derive(Debug, Clone, Copy, Default)]
pub struct RelevanceInput<'a> {
    /// Repo id, `owner/name` (the name is strong evidence; the owner weak).
    pub id: &'a str,
    /// The card's `pretty_name`.
    pub pretty_name: Option<&'a str>,
    /// The README's title ([`card::readme_title`]).
    pub title: Option<&'a str>,
    /// Hub tags (`key:value` and free tags) and/or the card's free `tags`; duplicates are harmless.
    /// Only free tags and `task_categories:` / `task_ids:` values are scored.
    pub tags: &'a [String],
    /// The card's `task_categories` (and `task_ids`), e.g. `text-generation`.
    pub task_categories: &'a [String],
    /// Card prose (the Hub's `description`).
    pub description: Option<&'a str>,
    /// Full card text, when available (only the first 16 KiB are read by default).
    pub card_text: Option<&'a str>,
    /// Text of sampled conversation turns, when measured.
    pub conversation_text: Option<&'a str>,
    /// The column names the card declares (`dataset_info.features`), space-separated: a
    /// `therapist_response` or `client_talk_type` column names the roles of the data.
    pub schema_text: Option<&'a str>,
    /// What the data's structure says about its form.
    pub structure: Structure,
}

/// What a dataset's structure says about its form: from the card's schema, or from the rows the
/// sync read. Explained as `structure` evidence in `--explain`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Structure {
    /// Nothing known.
    #[default]
    Unknown,
    /// A conversation: a conversation-list column, paired asking/answering columns, or a
    /// measured conversation layout. The text names the evidence.
    Conversation(&'static str),
    /// Not a conversation: text with a class label, scraped social-media posts, exam items with
    /// answer options, or rows read without any conversation.
    NotConversation(&'static str),
}

/// What a dataset is, for `--kind`: a counseling conversation dataset (relevance ≥ 0.5), other
/// mental-health text (posts, FAQs, classification, QA without a counselor: strong topic, no
/// counseling conversation), or anything else.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
    strum::AsRefStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum DatasetKind {
    /// Counseling / therapy / support conversation (relevance ≥ 0.5).
    CounselingConversation,
    /// Mental-health text that is not counseling conversation.
    MentalHealthText,
    /// Anything else.
    Other,
}

impl DatasetKind {
    /// Stable name (`counseling_conversation`, `mental_health_text`, `other`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Parses a name from [`DatasetKind::as_str`].
    pub fn from_name(name: &str) -> Option<DatasetKind> {
        name.parse().ok()
    }

    /// The kind of a relevance result: counseling conversation at the threshold; mental-health
    /// text when the topic is strong ([`MENTAL_HEALTH_TOPIC`]) but the whole is not.
    pub fn of(relevance: &Relevance) -> DatasetKind {
        if relevance.score >= DEFAULT_THRESHOLD {
            Self::CounselingConversation
        } else if relevance.components.domain >= MENTAL_HEALTH_TOPIC {
            Self::MentalHealthText
        } else {
            Self::Other
        }
    }
}

/// Topic evidence (domain) from which a dataset that is not a counseling conversation is still
/// mental-health text.
pub const MENTAL_HEALTH_TOPIC: f64 = 0.5;

/// One lexicon term found in one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchedTerm {
    /// The term as written in the lexicon.
    pub term: String,
    /// Its lexicon category (`core`, `role`, `modality`, `data_type`, `negative_somatic`, ...).
    pub category: String,
    /// The field: `id`, `owner`, `pretty_name`, `title`, `tags`, `task_categories`, `description`,
    /// `card_text`, `conversation` (sampled rows), `schema` (declared column names) or `structure`.
    pub field: String,
    /// Term weight × field weight (before saturation).
    pub weight: f64,
    /// Found inside a longer id token (`therapy` in `therapydataset`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub compound: bool,
}

/// The intermediate figures of a relevance score (for `--explain`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RelevanceComponents {
    /// Saturated therapy-topic evidence, [0, 1].
    pub domain: f64,
    /// Saturated evidence that the data is conversation, [0, 1].
    pub conversational: f64,
    /// Saturated evidence that the data is not conversation (classification, exam, ...), [0, 1].
    pub non_conversational: f64,
    /// Multiplier from the two above.
    pub format_factor: f64,
    /// Multiplier from negative contexts, `1 / (1 + N)`.
    pub negative_factor: f64,
}

/// How relevant a dataset is to therapy conversation, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relevance {
    /// Relevance in [0, 1]; therapy when `>= DEFAULT_THRESHOLD`.
    pub score: f64,
    /// Positive evidence (therapy topic and conversation format), strongest first.
    pub matched: Vec<MatchedTerm>,
    /// Therapy modalities detected (`cbt`, `dbt`, `act`, `mi`, `emdr`, ...), sorted.
    pub modalities: Vec<String>,
    /// Negative contexts and non-conversation evidence that lowered the score.
    pub negatives: Vec<MatchedTerm>,
    /// The metadata says the data is conversation (dialogue, multi-turn, chat, ...).
    pub conversational: bool,
    /// The intermediate figures.
    #[serde(default)]
    pub components: RelevanceComponents,
    /// What the dataset is (`counseling_conversation`, `mental_health_text`, `other`).
    #[serde(default = "default_kind")]
    pub kind: DatasetKind,
}

fn default_kind() -> DatasetKind {
    DatasetKind::Other
}

/// Relevance and quality of one dataset, with the evidence behind each (stored with the record;
/// `--explain`, `show` and the index read the evidence).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Therapy relevance in [0, 1] (`relevance.score` when the detail is kept).
    pub relevance: f64,
    /// Quality in [0, 1].
    pub quality: f64,
    /// How the relevance came about: matched terms, modalities, negatives, kind. `None` for a
    /// row stored without it (or with a detail this version cannot read).
    pub relevance_detail: Option<Relevance>,
    /// The quality breakdown; `None` like `relevance_detail`.
    pub quality_detail: Option<Quality>,
}

impl Scores {
    /// What the dataset is: the scored kind, else (rows without a detail) from the threshold.
    pub fn kind(&self) -> DatasetKind {
        match &self.relevance_detail {
            Some(detail) => detail.kind,
            None if self.relevance >= DEFAULT_THRESHOLD => DatasetKind::CounselingConversation,
            None => DatasetKind::Other,
        }
    }

    /// Therapy modalities found (`cbt`, `dbt`, ...), sorted.
    pub fn modalities(&self) -> &[String] {
        self.relevance_detail
            .as_ref()
            .map_or(&[], |d| d.modalities.as_slice())
    }

    /// Whether the catalog keeps this dataset's evidence: candidates (relevance at or above
    /// [`SAMPLING_RELEVANCE_FLOOR`]) and mental-health text do. The rest — nearly all of the
    /// Hub's 1.5M datasets — store their two figures only (the evidence was ~600 bytes a row);
    /// `show`, `--explain` and exports recompute it from the record when they need it.
    pub fn keeps_evidence(&self) -> bool {
        self.relevance >= SAMPLING_RELEVANCE_FLOOR || self.kind() != DatasetKind::Other
    }

    /// The relevance evidence shown by `--explain` and `show`: `components` and `negatives`
    /// (both null without a detail).
    pub fn relevance_breakdown(&self) -> serde_json::Value {
        let detail = self.relevance_detail.as_ref();
        serde_json::json!({
            "components": detail.map(|d| &d.components),
            "negatives": detail.map(|d| &d.negatives),
        })
    }

    /// The quality breakdown as JSON (null without a detail).
    pub fn quality_breakdown(&self) -> serde_json::Value {
        serde_json::to_value(&self.quality_detail).unwrap_or_default()
    }

    /// The positive lexicon matches (empty without a detail).
    pub fn matched(&self) -> &[MatchedTerm] {
        self.relevance_detail
            .as_ref()
            .map_or(&[], |d| d.matched.as_slice())
    }
}

/// What the quality scorer reads about one dataset.
#[derive(Debug, Clone, Copy)]
pub struct QualityInput<'a> {
    /// Downloads (Hub: last 30 days).
    pub downloads: Option<i64>,
    /// Likes.
    pub likes: Option<i64>,
    /// Declared licences (card or `license:` tags).
    pub licenses: &'a [String],
    /// Last modification time.
    pub last_modified: Option<chrono::DateTime<chrono::Utc>>,
    /// Card prose, searched for quality indicators.
    pub description: Option<&'a str>,
    /// Tags, searched for quality indicators (values of `key:value` tags).
    pub tags: &'a [String],
    /// The card has YAML metadata (counts as one quality indicator).
    pub has_card_data: bool,
}

/// A quality score and its breakdown (the parts sum to `score`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quality {
    /// Quality in [0, 1].
    pub score: f64,
    /// Downloads part, [0, 0.3].
    pub downloads: f64,
    /// Likes part, [0, 0.2].
    pub likes: f64,
    /// Quality-indicator part, [0, 0.3].
    pub indicators: f64,
    /// Licence part, 0 or 0.1.
    pub license: f64,
    /// Recency part, [0, 0.1].
    pub recency: f64,
    /// The indicators found (plus `card_metadata`).
    pub indicators_matched: Vec<String>,
}

#[cfg(test)]
mod enum_names {
    use super::DatasetKind;
    use strum::IntoEnumIterator;

    #[test]
    fn dataset_kind_names_are_stable() {
        let names = ["counseling_conversation", "mental_health_text", "other"];
        crate::test_support::assert_enum_names::<DatasetKind>(&names);
        for (kind, name) in DatasetKind::iter().zip(names) {
            assert_eq!(kind.as_str(), name);
            assert_eq!(DatasetKind::from_name(name), Some(kind));
            assert_eq!(serde_json::to_value(kind).unwrap(), name);
        }
        assert_eq!(DatasetKind::from_name("Other"), None);
    }
}
