//! Hub dataset ids a card derives from: `huggingface.co/datasets/x/y` links and "original
//! dataset card / converted from / translated from / subset of x/y" sentences, outside sections
//! that only mention other work (related work, see also, citations, references).

use super::Relation;
use regex::Regex;
use std::sync::LazyLock;

static HUB_LINK: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"huggingface\.co/datasets/([A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*)")
        .ok()
});
static DERIVED_FROM: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:original dataset(?: card)?|converted from|translated from|translation of|subset of|based on|derived from|copy of)\s*[:\-]?\s*\[?`?([A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*)").ok()
});

/// Words of headings whose sections mention datasets without deriving from them.
const MENTION_SECTIONS: &[&str] = &[
    "related",
    "see",
    "citation",
    "citations",
    "cite",
    "bibtex",
    "reference",
    "references",
    "acknowledgements",
    "acknowledgments",
    "similar",
    "other",
];

/// The dataset ids `readme` derives from (deduplicated, in order).
pub fn linked_datasets(readme: &str) -> Vec<String> {
    linked_with_hints(readme)
        .into_iter()
        .map(|(id, _)| id)
        .collect()
}

/// The relation a sentence states: "subset of", "converted from", "translated from", "derived
/// from" / "based on", "copy of" / "original dataset card".
fn hint_of(sentence: &str) -> Option<Relation> {
    let lower = sentence.to_lowercase();
    [
        ("subset of", Relation::Subset),
        ("converted from", Relation::Conversion),
        ("conversion of", Relation::Conversion),
        ("reformatted", Relation::Conversion),
        ("translated from", Relation::Translation),
        ("translation of", Relation::Translation),
        ("derived from", Relation::Derived),
        ("based on", Relation::Derived),
        ("built from", Relation::Derived),
        ("copy of", Relation::Copy),
        ("mirror of", Relation::Copy),
    ]
    .into_iter()
    .find(|(phrase, _)| lower.contains(phrase))
    .map(|(_, r)| r)
}

/// [`linked_datasets`] with the relation the linking sentence states, when it states one.
pub fn linked_with_hints(readme: &str) -> Vec<(String, Option<Relation>)> {
    let mut found: Vec<(String, Option<Relation>)> = Vec::new();
    let mut in_mention_section = false;
    for line in readme.lines() {
        let trimmed = line.trim_start();
        let level = trimmed.chars().take_while(|c| *c == '#').count();
        if level > 0 {
            let heading = trimmed.to_lowercase();
            in_mention_section = heading
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| MENTION_SECTIONS.contains(&w));
            continue;
        }
        let lower = line.to_lowercase();
        if in_mention_section
            || lower.contains("see also")
            || lower.contains("related")
            || trimmed.starts_with('@')
        {
            continue;
        }
        for re in [&*HUB_LINK, &*DERIVED_FROM].into_iter().flatten() {
            for captures in re.captures_iter(line) {
                if let Some(id) = captures.get(1) {
                    let id = id
                        .as_str()
                        .trim_end_matches(['.', ',', ')', '`', ']'])
                        .to_string();
                    if crate::model::valid_repo_id(&id) && !found.iter().any(|(f, _)| *f == id) {
                        found.push((id, hint_of(line)));
                    }
                }
            }
        }
    }
    found
}
