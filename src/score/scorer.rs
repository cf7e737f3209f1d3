//! The bridge from a stored [`DatasetRecord`] to its relevance and quality [`Scores`].

use super::{quality, relevance, Lexicon, QualityInput, Relevance, RelevanceInput};
use crate::model::DatasetRecord;
use crate::store::Scores;

/// The id plus the lower-case glued form of every camelCase word of its name part
/// (`ticoAg/MeChat_smile` → `ticoAg/MeChat_smile mechat`): the tokenizer splits camelCase, and
/// corpus names such as MeChat must match as one word, never as the phrase "me chat".
fn with_glued_words(id: &str) -> String {
    let name = id.rsplit('/').next().unwrap_or(id);
    let glued: Vec<String> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| {
            let mut chars = w.chars();
            chars.next().is_some()
                && chars.any(char::is_uppercase)
                && w.chars().any(char::is_lowercase)
        })
        .map(str::to_lowercase)
        .collect();
    if glued.is_empty() {
        id.to_string()
    } else {
        format!("{id} {}", glued.join(" "))
    }
}

/// Scores records with one lexicon, relative to one day (quality's recency).
pub struct Scorer {
    lexicon: Lexicon,
    today: chrono::NaiveDate,
}

impl Scorer {
    /// A scorer for `today` (pass `chrono::Utc::now().date_naive()` outside tests).
    pub fn new(lexicon: Lexicon, today: chrono::NaiveDate) -> Scorer {
        Scorer { lexicon, today }
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Therapy relevance of one record (tags include the card's free tags; task categories
    /// include the `task_ids:` tags).
    pub fn relevance(&self, record: &DatasetRecord) -> Relevance {
        let mut tags = record.tags.clone();
        for tag in &record.card_tags {
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
        let mut task_categories = record.task_categories.clone();
        task_categories.extend(
            record
                .tags
                .iter()
                .filter_map(|t| t.strip_prefix("task_ids:"))
                .map(str::to_string),
        );
        let id = with_glued_words(&record.id);
        relevance(
            &self.lexicon,
            &RelevanceInput {
                id: &id,
                pretty_name: record.pretty_name.as_deref(),
                tags: &tags,
                task_categories: &task_categories,
                description: record.description.as_deref(),
                card_text: None,
            },
        )
    }

    /// Relevance and quality of one record, with their JSON details.
    pub fn score(&self, record: &DatasetRecord) -> Scores {
        let rel = self.relevance(record);
        let last_modified = record
            .last_modified
            .as_deref()
            .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&chrono::Utc));
        let q = quality(
            &QualityInput {
                downloads: Some(record.downloads),
                likes: Some(record.likes),
                licenses: &record.licenses,
                last_modified,
                description: record.description.as_deref(),
                tags: &record.tags,
                has_card_data: record.card_data.is_some(),
            },
            self.today,
        );
        Scores {
            relevance: rel.score,
            relevance_detail: serde_json::to_value(&rel).unwrap_or_default(),
            quality: q.score,
            quality_detail: serde_json::to_value(&q).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn camel_case_name_words_are_added_glued() {
        assert_eq!(
            super::with_glued_words("ticoAg/MeChat_smile"),
            "ticoAg/MeChat_smile mechat"
        );
        assert_eq!(super::with_glued_words("a/plain-name"), "a/plain-name");
        assert_eq!(super::with_glued_words("a/ALLCAPS"), "a/ALLCAPS");
    }
}
