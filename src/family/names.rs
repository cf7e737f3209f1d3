//! Dataset names as family evidence: the base name compared across owners (conversion and
//! language suffixes dropped), names too generic to group on, and shared name words.

/// Conversion and language suffixes dropped from names before comparing them.
const NAME_SUFFIXES: &[&str] = &[
    "processed",
    "formatted",
    "format",
    "sharegpt",
    "chatml",
    "alpaca",
    "cleaned",
    "clean",
    "converted",
    "conversion",
    "filtered",
    "dedup",
    "deduped",
    "translated",
    "translation",
    "subset",
    "sample",
    "mini",
    "small",
    "full",
    "parquet",
    "json",
    "jsonl",
    "hf",
    "v1",
    "v2",
    "v3",
    "en",
    "ru",
    "ko",
    "zh",
    "ja",
    "es",
    "pt",
    "de",
    "fr",
    "ar",
    "it",
    "tr",
    "vi",
];
/// Words that make up generic names (`mental_health`, `counseling-conversations`,
/// `therapy_data`): a name made only of these groups nothing on its own.
const GENERIC_WORDS: &[&str] = &[
    "dataset",
    "datasets",
    "data",
    "train",
    "test",
    "mental",
    "health",
    "mentalhealth",
    "therapy",
    "therapist",
    "counseling",
    "counselling",
    "conversation",
    "conversations",
    "dialogue",
    "dialogues",
    "dialog",
    "dialogs",
    "chat",
    "chats",
    "qa",
    "psychology",
    "psychological",
    "support",
    "emotional",
    "depression",
    "anxiety",
    "instructions",
    "instruct",
    "sft",
    "dpo",
    "corpus",
    "text",
    "texts",
    "samples",
    "my",
    "demo",
    "final",
    "new",
    "the",
    "of",
    "and",
    "for",
    "set",
    "multi",
    "turn",
    "single",
    "synthetic",
    "llm",
    "ai",
];

/// The name part compared across owners: lower case, separators and suffixes dropped.
pub fn base_name(id: &str) -> String {
    let name = id.rsplit('/').next().unwrap_or(id).to_lowercase();
    let mut parts: Vec<&str> = name
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    while parts.len() > 1 && parts.last().is_some_and(|p| NAME_SUFFIXES.contains(p)) {
        parts.pop();
    }
    parts.concat()
}

/// True when a name is too generic to group datasets on its own: short, or made only of
/// [`GENERIC_WORDS`] (and suffixes).
pub(super) fn is_generic(id: &str, base: &str) -> bool {
    let name = id.rsplit('/').next().unwrap_or(id).to_lowercase();
    let words: Vec<String> = crate::score::tokenize::tokenize(&name)
        .into_iter()
        .map(|t| t.text)
        .filter(|w| !NAME_SUFFIXES.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    base.chars().count() < 5 || words.iter().all(|w| GENERIC_WORDS.contains(&w.as_str()))
}

/// True when the names share a word of four characters or more that is not generic.
pub(super) fn names_overlap(a: &str, b: &str) -> bool {
    let words = |id: &str| -> Vec<String> {
        crate::score::tokenize::tokenize(id.rsplit('/').next().unwrap_or(id))
            .into_iter()
            .map(|t| t.text)
            .filter(|w| w.chars().count() >= 4 && !GENERIC_WORDS.contains(&w.as_str()))
            .collect()
    };
    let wa = words(a);
    words(b).iter().any(|w| wa.contains(w))
}

/// The owner part of an id (`owner/name`).
pub(super) fn owner(id: &str) -> &str {
    id.split('/').next().unwrap_or("")
}
