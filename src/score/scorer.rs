//! The bridge from a stored [`DatasetRecord`] to its relevance and quality [`Scores`].

use super::Scores;
use super::{quality, relevance, Lexicon, QualityInput, Relevance, RelevanceInput, Structure};
use crate::model::DatasetRecord;
use crate::turns::schema::{declared_column_names, schema_form, SchemaForm};

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

/// Whether the Hub's own `modality:` tags, which it derives from the data files, name some
/// modality but not text (`modality:image`, `modality:audio`, `modality:tabular` alone): such
/// data holds no written exchanges, whatever its name says (`cbt` packages of scanned tests,
/// speech recordings). Without any `modality:` tag nothing is known.
fn lacks_text_modality(tags: &[String]) -> bool {
    let mut modalities = tags.iter().filter_map(|t| t.strip_prefix("modality:"));
    let first = modalities.next();
    first.is_some() && first != Some("text") && modalities.all(|m| m != "text")
}

/// Whether sampled rows' text lays out exam items: the four answer options `A`–`D` marked
/// the same way, as `(A)`, `A)` or `A.` (the last two after a line start or a space). A
/// question with lettered options is no exchange with a helper, even in a pair layout
/// (`instruction`/`output`), and psychology exams share counseling's words.
pub(crate) fn rows_hold_answer_options(text: &str) -> bool {
    let chars: Vec<char> = text
        .chars()
        .take(crate::turns::SAMPLE_TEXT_MAX_BYTES)
        .collect();
    // Letters A–D seen per style: `(A)`, `A)`, `A. `.
    let mut seen = [[false; 4]; 3];
    for (i, &c) in chars.iter().enumerate() {
        let Some(letter) = "ABCD".find(c) else {
            continue;
        };
        let before = i.checked_sub(1).and_then(|j| chars.get(j)).copied();
        let after = chars.get(i + 1).copied();
        let at_word_start = before.is_none_or(|b| b.is_whitespace() || "'\"[".contains(b));
        let style = match (before, after) {
            (Some('('), Some(')')) => Some(0),
            (_, Some(')')) if at_word_start => Some(1),
            (_, Some('.')) if at_word_start && chars.get(i + 2).is_some_and(|c| *c == ' ') => {
                Some(2)
            }
            _ => None,
        };
        if let Some(slot) = style
            .and_then(|s| seen.get_mut(s))
            .and_then(|s| s.get_mut(letter))
        {
            *slot = true;
        }
    }
    seen.iter().any(|letters| letters.iter().all(|&s| s))
}

/// What the sync learned about a dataset beyond its listing, for scoring: the full README and
/// what the rows it read looked like.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScoringExtras<'a> {
    /// The full README (front matter included; low-value sections are left out when scored).
    pub readme: Option<&'a str>,
    /// Text of sampled conversation turns.
    pub conversation_text: Option<&'a str>,
    /// Rows were read: `Some(true)` when they held a conversation layout, `Some(false)` when
    /// they held none.
    pub measured_conversation: Option<bool>,
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
        self.relevance_with(record, &ScoringExtras::default())
    }

    /// [`Scorer::relevance`] with what the sync measured: the README's prose is read as card
    /// text, sampled turns as conversation text, and the structure of the rows read (or else of
    /// the card's declared columns) is form evidence.
    pub fn relevance_with(&self, record: &DatasetRecord, extras: &ScoringExtras<'_>) -> Relevance {
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
        let prose = extras.readme.map(super::card::scorable_prose);
        let title = extras.readme.and_then(super::card::readme_title);
        let columns = record
            .card_data
            .as_ref()
            .map(|card| declared_column_names(card).join(" ; "))
            .filter(|text| !text.is_empty());
        let exam_rows = extras
            .conversation_text
            .is_some_and(rows_hold_answer_options);
        let structure = match extras.measured_conversation {
            _ if exam_rows => Structure::NotConversation("answer options in the rows"),
            Some(true) => Structure::Conversation("conversation layout in the rows"),
            _ if lacks_text_modality(&record.tags) => {
                Structure::NotConversation("no text modality in the Hub tags")
            }
            Some(false) => Structure::NotConversation("no conversation in the rows read"),
            None => match record.card_data.as_ref().and_then(schema_form) {
                Some(SchemaForm::ConversationList) => {
                    Structure::Conversation("conversation column in the schema")
                }
                Some(SchemaForm::PairedColumns) => {
                    Structure::Conversation("question/answer columns in the schema")
                }
                Some(SchemaForm::TextWithLabel) => {
                    Structure::NotConversation("text with a class label in the schema")
                }
                Some(SchemaForm::Posts) => {
                    Structure::NotConversation("social-media post columns in the schema")
                }
                Some(SchemaForm::MultipleChoice) => {
                    Structure::NotConversation("answer-option columns in the schema")
                }
                Some(SchemaForm::Documents) => {
                    Structure::NotConversation("document columns (title and text) in the schema")
                }
                None => Structure::Unknown,
            },
        };
        relevance(
            &self.lexicon,
            &RelevanceInput {
                id: &id,
                pretty_name: record.pretty_name.as_deref(),
                title: title.as_deref(),
                tags: &tags,
                task_categories: &task_categories,
                description: record.description.as_deref(),
                card_text: prose.as_deref(),
                conversation_text: extras.conversation_text,
                schema_text: columns.as_deref(),
                structure,
            },
        )
    }

    /// Recomputes the evidence of `scores` when the catalog did not keep it (see
    /// [`Scores::keeps_evidence`]): such datasets were scored from their record alone, so the
    /// record reproduces it. The stored figures stay as they are.
    pub fn fill_evidence(&self, record: &DatasetRecord, scores: &mut Scores) {
        if scores.relevance_detail.is_some() {
            return;
        }
        let again = self.score(record);
        scores.relevance_detail = again.relevance_detail;
        scores.quality_detail = again.quality_detail;
    }

    /// Relevance and quality of one record, with their JSON details.
    pub fn score(&self, record: &DatasetRecord) -> Scores {
        self.score_with(record, &ScoringExtras::default())
    }

    /// [`Scorer::score`] with what the sync measured (see [`Scorer::relevance_with`]).
    pub fn score_with(&self, record: &DatasetRecord, extras: &ScoringExtras<'_>) -> Scores {
        let rel = self.relevance_with(record, extras);
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
            quality: q.score,
            relevance_detail: Some(rel),
            quality_detail: Some(q),
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

    #[test]
    fn only_hub_modalities_other_than_text_say_the_data_lacks_text() {
        let tags = |list: &[&str]| list.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        let lacks = |list: &[&str]| super::lacks_text_modality(&tags(list));
        assert!(lacks(&[
            "modality:image",
            "modality:document",
            "language:en"
        ]));
        assert!(lacks(&["modality:audio"]));
        assert!(lacks(&["modality:tabular", "modality:timeseries"]));
        // Text anywhere among them, or no modality tag at all: nothing is known.
        assert!(!lacks(&["modality:audio", "modality:text"]));
        assert!(!lacks(&["modality:text", "modality:tabular"]));
        assert!(!lacks(&["language:en", "mental-health"]));
        assert!(!lacks(&[]));
        // A free tag that merely mentions a modality is no Hub modality tag.
        assert!(!lacks(&["image-modality", "modality-image"]));
    }

    #[test]
    fn lettered_answer_options_in_rows_are_exam_items() {
        use super::rows_hold_answer_options as exam;
        assert!(exam(
            "Which term describes a conditioned stimulus?\n['(A)Conditioned stimulus', \
             '(B)Positive reinforcement', '(C)Conditioned response', '(D)Unconditioned response']"
        ));
        assert!(exam(
            "Q: What is CBT?\nA) a drug B) a therapy C) a test D) a scan\nAnswer: B"
        ));
        assert!(exam(
            "Pick one.\nA. Anxiety\nB. Mania\nC. Grief\nD. Panic\n"
        ));
        // Three options, mixed styles, or letters inside words are not an exam.
        assert!(!exam("(A) one (B) two (C) three"));
        assert!(!exam("(A) one B) two C. three D) four"));
        assert!(!exam(
            "DBT and CBT. ABCD. I feel sad. Counselor: A lot of people feel that."
        ));
        assert!(!exam(
            "Client: I got a B. Then a C. Counselor: And before, an A? D. was hard?"
        ));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::test_support::cases()))]

        /// Arbitrary Hub text never panics the check, and four marked options are found
        /// whatever text comes between them.
        #[test]
        fn answer_option_check_reads_any_text(text in crate::test_support::hostile_text()) {
            let _ = super::rows_hold_answer_options(&text);
            if text.chars().count() < 4_000 {
                let marked = format!("(A){text}(B) (C) (D)");
                proptest::prop_assert!(super::rows_hold_answer_options(&marked), "{marked:?}");
            }
        }
    }
}
