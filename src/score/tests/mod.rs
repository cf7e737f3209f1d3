//! Unit tests of the scorer: lexicon loading, relevance, quality, the baseline, the metrics,
//! and a regression test on the real-data development set.

mod dev_set;
mod hard_negatives;
mod lexicon_loading;
mod metrics;
mod multilingual;
mod properties;
mod quality_scoring;
mod relevance_scoring;
mod row_voice;

use super::{relevance, Lexicon, Relevance, RelevanceInput};

/// The built-in lexicon (compiled once per test; cheap).
fn lex() -> Lexicon {
    Lexicon::builtin().expect("built-in lexicon compiles")
}

/// Scores a record with only an id and a description.
fn score_text(id: &str, description: &str) -> Relevance {
    relevance(
        &lex(),
        &RelevanceInput {
            id,
            description: Some(description),
            ..Default::default()
        },
    )
}

/// Scores a record with only an id and README prose (`card_text`).
fn score_card_text(id: &str, card_text: &str) -> Relevance {
    relevance(
        &lex(),
        &RelevanceInput {
            id,
            card_text: Some(card_text),
            ..Default::default()
        },
    )
}

/// Scores a record with an id and tags only.
fn score_tags(id: &str, tags: &[&str]) -> Relevance {
    let tags: Vec<String> = tags.iter().map(|t| t.to_string()).collect();
    relevance(
        &lex(),
        &RelevanceInput {
            id,
            tags: &tags,
            ..Default::default()
        },
    )
}

/// True when `term` was matched (positive evidence) in `field`.
fn matched(result: &Relevance, term: &str, field: &str) -> bool {
    result
        .matched
        .iter()
        .any(|m| m.term == term && m.field == field)
}

/// True when no topic term counted: the domain factor sits at its floor
/// (`scoring.topicless_domain`), so the score is next to nothing.
fn topic_free(result: &Relevance) -> bool {
    let floor = lex().scoring.topicless_domain;
    result.components.domain == floor && result.score <= floor
}

/// True when `term` was found as negative / non-conversation evidence.
fn negative(result: &Relevance, term: &str) -> bool {
    result.negatives.iter().any(|m| m.term == term)
}

/// Scores a record whose only text is a description and sampled turns.
fn score_turns(description: &str, turns: &str) -> Relevance {
    relevance(
        &lex(),
        &RelevanceInput {
            id: "someone/data",
            description: Some(description),
            conversation_text: Some(turns),
            ..Default::default()
        },
    )
}
