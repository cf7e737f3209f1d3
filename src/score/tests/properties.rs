//! Property tests: the scorer reads arbitrary Hub text in every field without panicking, and
//! its figures stay in range.

use super::lex;
use crate::score::card::scorable_prose;
use crate::score::{relevance, RelevanceInput, Structure};
use crate::test_support::{cases, hostile_text};
use proptest::prelude::*;

/// Hostile text with lexicon phrases (multi-word, CJK, glued, rows-only) mixed in, so that
/// matching, suppression and compounds run on it rather than on noise alone.
fn text_with_terms() -> impl Strategy<Value = String> {
    const TERMS: &[&str] = &[
        "mental health",
        "gene therapy",
        "I've been feeling",
        "what is a",
        "therapydataset",
        "心理咨询",
        "听起来你",
        "Empathetic Dialogues",
        "news",
        "no questionnaire",
        "ACT",
        "## Citation\n",
        "```\n",
        "---\n",
    ];
    prop::collection::vec(
        prop_oneof![
            2 => hostile_text(),
            1 => prop::sample::select(TERMS).prop_map(str::to_string),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn relevance_of_arbitrary_text_is_in_range(
        id in text_with_terms(),
        tag in text_with_terms(),
        description in text_with_terms(),
        readme in text_with_terms(),
        rows in text_with_terms(),
    ) {
        let lex = lex();
        let prose = scorable_prose(&readme);
        let tags = [tag.clone(), format!("task_categories:{tag}")];
        for structure in [
            Structure::Unknown,
            Structure::Conversation("rows"),
            Structure::NotConversation("rows"),
        ] {
            let result = relevance(
                &lex,
                &RelevanceInput {
                    id: &id,
                    pretty_name: Some(&description),
                    title: Some(&id),
                    tags: &tags,
                    task_categories: std::slice::from_ref(&tag),
                    description: Some(&description),
                    card_text: Some(&prose),
                    conversation_text: Some(&rows),
                    schema_text: Some(&tag),
                    structure,
                },
            );
            prop_assert!((0.0..=1.0).contains(&result.score), "{result:?}");
            let c = &result.components;
            for figure in [c.domain, c.conversational, c.non_conversational, c.format_factor, c.negative_factor] {
                prop_assert!((0.0..=1.0).contains(&figure), "{result:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// The eval's README repair never panics and never loses text (only adds delimiters).
    #[test]
    fn restoring_front_matter_keeps_every_line(body in hostile_text(), key in prop::bool::ANY) {
        let readme = if key { format!("license: mit\n{body}") } else { body };
        let restored = crate::score::eval::restore_front_matter(&readme);
        // Every line with text is kept, in order (blank lines and carriage returns aside).
        let kept: Vec<&str> = restored
            .lines()
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| *l != "---" && !l.trim().is_empty())
            .collect();
        let given: Vec<&str> = readme
            .lines()
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| *l != "---" && !l.trim().is_empty())
            .collect();
        if restored != readme {
            let given: Vec<&str> = given
                .into_iter()
                .enumerate()
                .filter(|(n, l)| !(*n == 0 && l.trim().eq_ignore_ascii_case("metadata")))
                .map(|(_, l)| l)
                .collect();
            prop_assert_eq!(kept, given);
        }
    }
}
