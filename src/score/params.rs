//! Tunable settings of the lexicon file: `[fields]`, `[scoring]` and `[tags]`.
//!
//! Every key has a default (the values below, mirrored in `index/therapy.toml`), so a lexicon
//! file may omit any of these tables; unknown keys are errors so typos surface.

use serde::Deserialize;

/// Weight of each field a term can be found in.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FieldWeights {
    /// The dataset name (the part of the repo id after `/`).
    pub name: f64,
    /// The owner (user or organisation) part of the repo id.
    pub owner: f64,
    /// The card's `pretty_name`.
    pub pretty_name: f64,
    /// The README's title (its first top-level heading).
    pub title: f64,
    /// Free tags (Hub tags without `key:`, card `tags`).
    pub tags: f64,
    /// Task categories and task ids (card or `task_categories:` / `task_ids:` tags).
    pub task_categories: f64,
    /// The card description (plain-text prose).
    pub description: f64,
    /// The full card text (README prose, low-value sections left out).
    pub card_text: f64,
    /// Text of sampled conversation turns (roles and messages).
    pub conversation: f64,
    /// Column names the card declares (`dataset_info.features`).
    pub schema: f64,
}

impl Default for FieldWeights {
    fn default() -> Self {
        FieldWeights {
            name: 1.0,
            owner: 0.3,
            pretty_name: 0.9,
            title: 0.9,
            tags: 0.8,
            task_categories: 0.8,
            description: 0.7,
            card_text: 0.5,
            conversation: 0.6,
            schema: 0.6,
        }
    }
}

/// Parameters of the relevance formula (documented in `relevance.rs`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScoringParams {
    /// Domain evidence `S` saturates as `1 - exp(-S / domain_scale)`.
    pub domain_scale: f64,
    /// Conversational / non-conversational evidence saturates with this scale.
    pub format_scale: f64,
    /// Format factor when nothing says whether the data is conversation.
    pub unknown_format: f64,
    /// Added to the format factor at full conversational evidence.
    pub conversational_bonus: f64,
    /// Subtracted from the format factor at full non-conversational evidence.
    pub non_conversational_penalty: f64,
    /// Each further field a term is found in adds this share of the term's weight.
    pub extra_field_bonus: f64,
    /// Multiplier for matches found inside an id token (`therapydataset`).
    pub compound_factor: f64,
    /// Multiplier for non-conversational terms found in the declared task categories only:
    /// uploaders declare `text-classification` for preference pairs, reward-model data and
    /// annotated dialogues too, so the declared task is weaker evidence of form than the card's
    /// or the data's own words.
    pub declared_task_factor: f64,
    /// Only this many characters of the card text are scanned.
    pub card_text_max_chars: usize,
    /// Conversational (or non-conversational) strength of the data's structure: conversation
    /// columns or a measured conversation layout (or text-with-label columns, rows without
    /// any conversation).
    pub structure_weight: f64,
    /// The least the domain factor is when no topic term matched: data with no therapy word at
    /// all is not certainly unrelated (names like `EMH-explorations`, empty cards), and of such
    /// data a conversation is likelier therapy than a classification set, which the format
    /// factor then says. Far under any threshold; it only orders the topic-free.
    pub topicless_domain: f64,
}

impl Default for ScoringParams {
    fn default() -> Self {
        ScoringParams {
            domain_scale: 0.8,
            format_scale: 0.6,
            unknown_format: 0.8,
            conversational_bonus: 0.2,
            non_conversational_penalty: 0.6,
            extra_field_bonus: 0.15,
            compound_factor: 0.9,
            declared_task_factor: 0.5,
            card_text_max_chars: 16_384,
            structure_weight: 0.6,
            topicless_domain: 0.02,
        }
    }
}

/// Which `key:value` tags are scored. Free tags (no `:`) are always scored as field `tags`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TagRules {
    /// Keys whose value is scored as field `task_categories`.
    pub task_keys: Vec<String>,
    /// Keys whose value is scored as field `tags`. Every other `key:value` tag is ignored
    /// (language, license, size, format, library, arxiv, ... say nothing about the topic).
    pub free_keys: Vec<String>,
}

impl Default for TagRules {
    fn default() -> Self {
        TagRules {
            task_keys: vec!["task_categories".into(), "task_ids".into()],
            free_keys: vec!["tag".into(), "tags".into()],
        }
    }
}
