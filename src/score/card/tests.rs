//! Unit and property tests of the README prose, title and searchable text.

use super::*;

#[test]
fn unfilled_template_fields_are_left_out_and_filled_ones_kept() {
    let readme = "# Card\n\n- **Homepage:** https://example.org/counsel\n- **Leaderboard:**\n\
                  - **Point of Contact:** [More Information Needed]\n**Paper:** N/A\n\
                  * **Repository**: none\n**Leaderboard:**\n- **Size:** 3k dialogues\n\
                  - **Note:** leaderboards are not used\n";
    let prose = scorable_prose(readme);
    assert!(prose.contains("https://example.org/counsel"), "{prose}");
    assert!(prose.contains("3k dialogues"), "{prose}");
    assert!(prose.contains("leaderboards are not used"), "{prose}");
    for gone in [
        "**Leaderboard:**",
        "Point of Contact",
        "Paper",
        "Repository",
    ] {
        assert!(!prose.contains(gone), "{gone}: {prose}");
    }
    for not_a_field in ["**bold** text", "- plain item:", "** :**", "**"] {
        assert!(!is_empty_template_field(not_a_field), "{not_a_field}");
    }
}

#[test]
fn citations_licences_and_related_lists_are_left_out() {
    let readme = "---\nlicense: mit\n---\n# Chat corpus\n\nCasual chats.\n\n## Related datasets\n\n- therapy-corpus (counseling)\n\n### More\n\ntherapist data\n\n## Usage\n\nLoad it.\n\n## Citation\n\n```bibtex\n@article{gene, title={Gene therapy}}\n```\n";
    let prose = scorable_prose(readme);
    assert!(prose.contains("Casual chats"));
    assert!(prose.contains("Load it"));
    assert!(!prose.contains("therapy"), "{prose}");
    assert!(!prose.contains("license: mit"));
}

#[test]
fn sections_on_what_the_data_is_not_are_left_out() {
    let readme = "# Recipes

Cooking dialogues.

## Uses

### Direct Use

Train a cooking assistant.

### Out-of-Scope Use

Not for therapy or mental health advice.

## Bias, Risks, and Limitations

May mention suicide.

### Recommendations

See a counselor.

## Personal and Sensitive Information

No patient data.

## Dataset Structure

Two columns.
";
    let prose = scorable_prose(readme);
    for kept in [
        "Cooking dialogues",
        "Train a cooking assistant",
        "Two columns",
    ] {
        assert!(prose.contains(kept), "{kept}: {prose}");
    }
    for left in ["therapy", "suicide", "counselor", "patient"] {
        assert!(!prose.contains(left), "{left}: {prose}");
    }
}

#[test]
fn the_projects_news_and_installation_sections_are_left_out() {
    let readme = "# Counseling dialogues\n\nMulti-turn counseling sessions.\n\n## 🎉 News\n\n\
                  - [2024.07] Paper accepted; featured in the news.\n\n## Installation\n\n\
                  Create the exam environment.\n\nPut the FAQ files in place.\n\n\
                  ## Data format\n\nOne session per line.\n\n## 🎉 最新动态\n\n- 论文被接收\n\n\
                  ## 致谢\n\n感谢新闻网的报道。\n\n## 数据说明\n\n每行一个对话。\n";
    let prose = scorable_prose(readme);
    for kept in [
        "Multi-turn counseling sessions",
        "One session per line",
        "每行一个对话",
    ] {
        assert!(prose.contains(kept), "{kept}: {prose}");
    }
    for left in ["accepted", "exam", "FAQ", "论文", "新闻网"] {
        assert!(!prose.contains(left), "{left}: {prose}");
    }
    // A word of the heading, not a part of one: "Newsletter" and "Installed" stay.
    for heading in [
        "## Newsletter-free chats",
        "## Installed apps",
        "## Code-switched chats",
    ] {
        assert!(!is_skipped_heading(heading), "{heading}");
    }
}

#[test]
fn the_card_templates_comments_are_not_prose() {
    let readme = "# Dataset Card for Peer Chats\n\n<!-- Provide a quick summary of the dataset. -->\n\nChats between friends.\n\n<!-- This section describes the source data (e.g. news text and headlines,\nsocial media posts, translated sentences, ...). -->\n\nTwo columns.<!-- inline -->End.\n";
    let prose = scorable_prose(readme);
    for kept in ["Chats between friends", "Two columns.End."] {
        assert!(prose.contains(kept), "{kept}: {prose}");
    }
    for left in ["summary", "social media posts", "inline", "<!--", "-->"] {
        assert!(!prose.contains(left), "{left}: {prose}");
    }
    assert_eq!(
        scorable_prose("Kept.\n<!-- never closed\ntherapy"),
        "Kept.\n"
    );
    // In code a comment marker is code (and code is left out): the prose goes on.
    let code = scorable_prose("```html\n<!-- snippet\n```\nCounseling chats.\n");
    assert!(code.contains("Counseling chats"), "{code}");
}

#[test]
fn the_title_is_the_first_top_level_heading_outside_code_and_comments() {
    let title = |readme: &str| readme_title(readme);
    assert_eq!(
        title("---\npretty_name: x\n---\n## Intro\n# Therapy Dialogues #\ntext").as_deref(),
        Some("Therapy Dialogues #")
    );
    assert_eq!(
        title("```\n# not a title\n```\n<!--\n# hidden\n-->\nCounsel Chat\n===\n").as_deref(),
        Some("Counsel Chat")
    );
    assert_eq!(
        title("<h1 align=\"center\">PsyQA</h1>").as_deref(),
        Some("<h1 align=\"center\">PsyQA</h1>")
    );
    assert_eq!(title("## Only a section\ntext"), None);
    assert_eq!(title("#\n"), None);
    let long = format!("# {}", "ü".repeat(TITLE_MAX_CHARS * 2));
    assert_eq!(
        title(&long).map(|t| t.chars().count()),
        Some(TITLE_MAX_CHARS)
    );
}

#[test]
fn the_searchable_text_keeps_code_and_drops_comments() {
    let readme = "---\nlicense: mit\n---\n# Data\n<!-- template hint: social media posts -->\n```python\nds['therapist_reply'] # <!-- not a comment\n```\nUsage.\n";
    let text = visible_text(readme);
    for kept in ["# Data", "therapist_reply", "<!-- not a comment", "Usage."] {
        assert!(text.contains(kept), "{kept}: {text}");
    }
    for left in ["license: mit", "template hint", "social media"] {
        assert!(!text.contains(left), "{left}: {text}");
    }
}

#[test]
fn setext_html_and_bold_headings_open_sections_too() {
    let readme = "Chat corpus\n===========\n\nCasual chats.\n\nCitation\n--------\n\nGene therapy paper.\n\nUsage\n-----\n\nLoad it.\n\n<h2 align=\"center\">License</h2>\n\nTherapy licence text.\n\n<h2>Data</h2>\n\nTwo columns.\n\n**BibTeX:**\n\nA psychotherapy study.\n\n## Structure\n\n**Columns**\n\nspeaker, text\n";
    let prose = scorable_prose(readme);
    for kept in [
        "Casual chats",
        "Load it",
        "Two columns",
        "**Columns**",
        "speaker, text",
    ] {
        assert!(prose.contains(kept), "{kept}: {prose}");
    }
    for left in ["therapy", "Therapy", "psychotherapy"] {
        assert!(!prose.contains(left), "{left}: {prose}");
    }
}

#[test]
fn list_items_and_rules_are_not_setext_headings() {
    // A list item or a table row over `---` is no heading; a rule after a blank is a rule.
    let readme =
        "- citation needed\n---\nKept one.\n\n---\n\n| source | text |\n|---|---|\nKept two.\n";
    let prose = scorable_prose(readme);
    for kept in ["Kept one", "Kept two", "citation needed"] {
        assert!(prose.contains(kept), "{kept}: {prose}");
    }
}

#[test]
fn a_bibtex_entry_outside_code_is_dropped_to_its_closing_brace() {
    let readme = "Counseling chats.\n\n@article{smith2020,\n  title={Gene therapy of capsids},\n  author={Smith, A. and Doe, B.},\n  year={2020}\n}\nAfter the entry.\n\n@misc{open,\n  title={Radiotherapy}\n\nAfter the blank.\n";
    let prose = scorable_prose(readme);
    for kept in ["Counseling chats", "After the entry", "After the blank"] {
        assert!(prose.contains(kept), "{kept}: {prose}");
    }
    for left in ["Gene therapy", "Smith", "Radiotherapy", "@article", "@misc"] {
        assert!(!prose.contains(left), "{left}: {prose}");
    }
    // An address is no entry.
    assert!(scorable_prose("Write to @team for access.").contains("@team"));
}

mod properties {
    use super::super::{readme_title, scorable_prose, visible_text, TITLE_MAX_CHARS};
    use proptest::prelude::*;

    fn markup_and_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            any::<String>(),
            Just("\n".to_string()),
            Just("## Citation\n".to_string()),
            Just("Sources\n=====\n".to_string()),
            Just("**BibTeX:**\n".to_string()),
            Just("- **Leaderboard:**".to_string()),
            Just("** ".to_string()),
            Just("<h3>".to_string()),
            Just("<!--".to_string()),
            Just("-->".to_string()),
            Just("@article{".to_string()),
            Just("}".to_string()),
            Just("```\n".to_string()),
            Just("---\n".to_string()),
            Just("#".to_string()),
            Just("İ̇ß🧠心理咨询".to_string()),
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::test_support::cases()))]

        #[test]
        fn prose_is_made_of_the_readmes_own_text_and_never_a_comment(readme in markup_and_text()) {
            let prose = scorable_prose(&readme);
            prop_assert!(!prose.contains("<!--"), "{prose:?}");
            prop_assert!(prose.len() <= readme.len() + readme.lines().count() + 1);
            let title = readme_title(&readme);
            prop_assert!(title.is_none_or(|t| t.chars().count() <= TITLE_MAX_CHARS));
            let visible = visible_text(&readme);
            prop_assert!(visible.len() <= readme.len() + readme.lines().count() + 1);
        }

        #[test]
        fn text_inside_a_closed_comment_never_reaches_the_prose(
            before in any::<String>(),
            after in any::<String>(),
        ) {
            let secret = "zqxjkcomment";
            prop_assume!(!before.contains("<!--") && !after.contains(secret) && !before.contains(secret));
            let readme = format!("{before}<!-- {secret} -->{after}");
            prop_assert!(!scorable_prose(&readme).contains(secret));
        }
    }
}
