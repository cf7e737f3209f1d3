//! TEMPORARY scaffold (replaced by the real scorer before commit).
mod scorer;
pub use scorer::Scorer;
use serde::{Deserialize, Serialize};
pub const DEFAULT_THRESHOLD: f64 = 0.5;
#[derive(Debug, thiserror::Error)]
#[error("x")]
pub struct ScoreError;
pub struct Lexicon {
    t: Vec<String>,
    a: Vec<(String, Vec<String>)>,
}
impl Lexicon {
    pub fn builtin() -> Result<Lexicon, ScoreError> {
        Ok(Lexicon {
            t: vec!["therapy".into()],
            a: vec![],
        })
    }
    pub fn from_path(_p: &std::path::Path) -> Result<Lexicon, ScoreError> {
        Self::builtin()
    }
    pub fn crawl_terms(&self) -> &[String] {
        &self.t
    }
    pub fn crawl_filters(&self) -> &[String] {
        &self.t[..0]
    }
    pub fn acronyms(&self) -> &[(String, Vec<String>)] {
        &self.a
    }
}
pub struct RelevanceInput<'a> {
    pub id: &'a str,
    pub pretty_name: Option<&'a str>,
    pub tags: &'a [String],
    pub task_categories: &'a [String],
    pub description: Option<&'a str>,
    pub card_text: Option<&'a str>,
}
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MatchedTerm {
    pub term: String,
    pub category: String,
    pub field: String,
    pub weight: f64,
}
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Relevance {
    pub score: f64,
    pub matched: Vec<MatchedTerm>,
    pub modalities: Vec<String>,
    pub negatives: Vec<MatchedTerm>,
    pub conversational: bool,
}
pub fn relevance(_l: &Lexicon, i: &RelevanceInput) -> Relevance {
    Relevance {
        score: if i.id.to_lowercase().contains("therap") {
            0.9
        } else {
            0.1
        },
        matched: vec![],
        modalities: vec![],
        negatives: vec![],
        conversational: false,
    }
}
pub struct QualityInput<'a> {
    pub downloads: Option<i64>,
    pub likes: Option<i64>,
    pub licenses: &'a [String],
    pub last_modified: Option<chrono::DateTime<chrono::Utc>>,
    pub description: Option<&'a str>,
    pub tags: &'a [String],
    pub has_card_data: bool,
}
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Quality {
    pub score: f64,
}
pub fn quality(_i: &QualityInput, _t: chrono::NaiveDate) -> Quality {
    Quality { score: 0.5 }
}
