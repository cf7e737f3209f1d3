//! The original tool's relevance scorer, reproduced for comparison in the evaluation only.
//!
//! Source: pixelatedempathy/ai, `academic_sourcing/therapy_dataset_sourcing.py`,
//! `TherapyDatasetSourcing._calculate_therapeutic_relevance`: the text
//! `" ".join([id, description, " ".join(tags)]).lower()` is checked for each of 25 keywords as a
//! plain substring (`kw in text`), and relevance = `min(matches / 10, 1.0)`. Its
//! `filter_by_therapeutic_relevance` default cut was 0.5. Do not use it for ranking.

/// The original tool's 25 keywords, verbatim and in its order.
pub const ORIGINAL_TOOL_KEYWORDS: [&str; 25] = [
    "therapy",
    "counseling",
    "psychotherapy",
    "mental health",
    "psychological",
    "clinical",
    "therapeutic",
    "psychiatry",
    "counselor",
    "therapist",
    "patient",
    "client",
    "cbt",
    "dbt",
    "emdr",
    "act",
    "mindfulness",
    "depression",
    "anxiety",
    "trauma",
    "ptsd",
    "conversation",
    "dialogue",
    "session",
    "consultation",
];

/// The original tool's relevance: keyword substrings counted in id + description + tags.
pub fn original_tool_relevance(id: &str, description: Option<&str>, tags: &[String]) -> f64 {
    let text = [id, description.unwrap_or(""), &tags.join(" ")]
        .join(" ")
        .to_lowercase();
    let matches = ORIGINAL_TOOL_KEYWORDS
        .iter()
        .filter(|kw| text.contains(*kw))
        .count();
    (matches as f64 / 10.0).min(1.0)
}
