//! The README prose worth scoring: the front matter, code, HTML comments, and sections that
//! describe other things (citations and BibTeX, licences, related or source datasets,
//! acknowledgements, contributors, contact, glossary) or what the data is not (the card
//! template's "Bias, Risks, and Limitations", "Out-of-Scope Use", "Personal and Sensitive
//! Information", "Privacy Considerations", ethical considerations) are left out, so a
//! gene-therapy paper cited by a chat dataset, a "related datasets" list of therapy corpora, or
//! "not a substitute for therapy; may mention self-harm" does not make it a therapy dataset.
//!
//! Hand-written rather than a Markdown parser: only headings, fences, comments and BibTeX
//! entries matter here, READMEs are often broken Markdown, and a line scanner never fails on
//! them. A heading is any of the forms cards use: ATX (`## Citation`), setext (a line over
//! `===` or `---`), HTML (`<h2>Citation</h2>`) and a line that is bold alone
//! (`**BibTeX:**`, ranked below every other heading). HTML comments are never rendered (the
//! Hub's card template is full of them: "e.g. news text and headlines, social media posts"),
//! and a BibTeX entry outside a code block is dropped up to its closing brace.

use std::borrow::Cow;

/// Headings whose section is left out (matched case-insensitively as words of the heading).
const SKIPPED_SECTIONS: &[&str] = &[
    "citation",
    "citations",
    "cite",
    "bibtex",
    "apa",
    "reference",
    "references",
    "license",
    "licence",
    "licensing",
    "related",
    "acknowledgement",
    "acknowledgements",
    "acknowledgment",
    "acknowledgments",
    "contributors",
    "contributions",
    "contact",
    "disclaimer",
    "sources",
    "source",
    "bias",
    "biases",
    "risks",
    "limitations",
    "scope",
    "sensitive",
    "privacy",
    "ethical",
    "ethics",
    "considerations",
    "glossary",
];

/// The level given to a line that is bold alone: below every Markdown heading (1–6).
const BOLD_HEADING_LEVEL: usize = 7;

/// The longest README title read (a setext "heading" may be a whole paragraph).
pub const TITLE_MAX_CHARS: usize = 200;

/// A BibTeX entry with no closing brace ends after this many lines at the latest.
const MAX_BIBTEX_LINES: usize = 60;

/// The prose of `readme` to score.
pub fn scorable_prose(readme: &str) -> String {
    let mut walk = Walk::new(readme);
    let mut out = String::with_capacity(walk.body_len.min(32 * 1024));
    let mut skipping: Option<usize> = None;
    while let Some((index, kind, line)) = walk.next() {
        if kind != LineKind::Text {
            continue;
        }
        let trimmed = line.trim();
        if let Some((level, text, underlined)) = heading_of(trimmed, walk.line_after(index)) {
            if underlined {
                walk.resume_at(index + 2);
            }
            let skip = text
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|word| SKIPPED_SECTIONS.contains(&word));
            match skipping {
                Some(at) if level > at => continue,
                _ => skipping = skip.then_some(level),
            }
            if skip {
                continue;
            }
        } else if skipping.is_some() {
            continue;
        }
        if opens_bibtex_entry(trimmed) {
            walk.resume_at(end_of_bibtex_entry(&walk.lines, index));
            continue;
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The README's title, its first top-level heading (ATX `# `, setext `===` or `<h1>`), read
/// outside code and comments and cut to [`TITLE_MAX_CHARS`]; scored as the `title` field.
pub fn readme_title(readme: &str) -> Option<String> {
    let mut walk = Walk::new(readme);
    while let Some((index, kind, line)) = walk.next() {
        if kind != LineKind::Text {
            continue;
        }
        if let Some((1, text, _)) = heading_of(line.trim(), walk.line_after(index)) {
            let text: String = text.trim().chars().take(TITLE_MAX_CHARS).collect();
            return (!text.is_empty()).then_some(text);
        }
    }
    None
}

/// The README as a reader sees it, for the search index: the body without front matter and
/// HTML comments (code kept: its column names are worth finding).
pub fn visible_text(readme: &str) -> String {
    let mut walk = Walk::new(readme);
    let mut out = String::with_capacity(walk.body_len);
    while let Some((_, _, line)) = walk.next() {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// What a README line is to a reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    /// A code fence (```` ``` ```` or `~~~`).
    Fence,
    /// Inside a fenced code block.
    Code,
    /// Rendered text (comments removed).
    Text,
}

/// Walks the lines of a README body as the Hub renders them: front matter gone, HTML comments
/// removed outside code (lines that were wholly comment skipped), code told apart.
struct Walk<'a> {
    lines: Vec<&'a str>,
    body_len: usize,
    index: usize,
    in_code: bool,
    in_comment: bool,
}

impl<'a> Walk<'a> {
    fn new(readme: &'a str) -> Walk<'a> {
        let body = crate::turns::card::readme_body(readme);
        Walk {
            lines: body.lines().collect(),
            body_len: body.len(),
            index: 0,
            in_code: false,
            in_comment: false,
        }
    }

    /// The next line: its index, kind and rendered text.
    fn next(&mut self) -> Option<(usize, LineKind, Cow<'a, str>)> {
        while let Some(&raw) = self.lines.get(self.index) {
            let index = self.index;
            self.index += 1;
            let line = if self.in_code {
                Cow::Borrowed(raw)
            } else {
                without_comments(raw, &mut self.in_comment)
            };
            let trimmed = line.trim();
            if trimmed.is_empty() && !raw.trim().is_empty() {
                continue; // wholly a comment
            }
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                self.in_code = !self.in_code;
                return Some((index, LineKind::Fence, line));
            }
            let kind = if self.in_code {
                LineKind::Code
            } else {
                LineKind::Text
            };
            return Some((index, kind, line));
        }
        None
    }

    /// The raw line after `index`, trimmed ("" at the end): a setext underline or not.
    fn line_after(&self, index: usize) -> &'a str {
        self.lines.get(index + 1).map_or("", |line| line.trim())
    }

    /// Goes on from line `index` (skipping an underline or a BibTeX entry).
    fn resume_at(&mut self, index: usize) {
        self.index = self.index.max(index);
    }
}

/// `line` without its HTML comments; `in_comment` carries a comment over lines (an unclosed
/// one runs to the end of the README, as the Hub renders it).
fn without_comments<'a>(line: &'a str, in_comment: &mut bool) -> Cow<'a, str> {
    if !*in_comment && !line.contains("<!--") {
        return Cow::Borrowed(line);
    }
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.split_once("-->") {
                Some((_, after)) => {
                    *in_comment = false;
                    rest = after;
                }
                None => return Cow::Owned(out),
            }
        }
        match rest.split_once("<!--") {
            Some((before, inside)) => {
                out.push_str(before);
                *in_comment = true;
                rest = inside;
            }
            None => {
                out.push_str(rest);
                return Cow::Owned(out);
            }
        }
    }
}

/// The heading `line` opens, as (level, text, whether `next` is its setext underline).
fn heading_of<'a>(line: &'a str, next: &str) -> Option<(usize, &'a str, bool)> {
    let text = line.trim_start_matches('#');
    let hashes = line.len() - text.len();
    if (1..=6).contains(&hashes) && text.starts_with(' ') {
        return Some((hashes, text, false));
    }
    if let Some(level) = html_heading_level(line) {
        return Some((level, line, false));
    }
    if !line.is_empty() && !starts_a_block(line) {
        if is_underline(next, '=') {
            return Some((1, line, true));
        }
        if is_underline(next, '-') {
            return Some((2, line, true));
        }
    }
    let bold = line
        .strip_prefix("**")
        .and_then(|inner| inner.strip_suffix("**"))
        .or_else(|| {
            line.strip_prefix("__")
                .and_then(|inner| inner.strip_suffix("__"))
        })?;
    let text = bold.trim_end_matches(':').trim();
    (!text.is_empty() && !text.contains("**") && !text.contains("__")).then_some((
        BOLD_HEADING_LEVEL,
        text,
        false,
    ))
}

/// `<h1>`…`<h6>` (with or without attributes) at the start of `line`.
fn html_heading_level(line: &str) -> Option<usize> {
    let mut chars = line.strip_prefix('<')?.chars();
    if !matches!(chars.next(), Some('h' | 'H')) {
        return None;
    }
    let level = chars.next()?.to_digit(10)? as usize;
    let closes = matches!(chars.next(), Some('>' | ' '));
    (closes && (1..=6).contains(&level)).then_some(level)
}

/// A line a setext underline cannot follow: list items, quotes, tables and table rules.
fn starts_a_block(line: &str) -> bool {
    line.starts_with(['-', '*', '+', '>', '|', '='])
        || line.split_once(". ").is_some_and(|(number, _)| {
            !number.is_empty() && number.chars().all(|c| c.is_ascii_digit())
        })
}

/// True when `line` is only `mark` characters (two or more), as a setext underline is.
fn is_underline(line: &str, mark: char) -> bool {
    line.chars().count() >= 2 && line.chars().all(|c| c == mark)
}

/// `@article{`, `@inproceedings{`, `@misc (`: a BibTeX entry opening on this line.
fn opens_bibtex_entry(line: &str) -> bool {
    let Some(rest) = line.strip_prefix('@') else {
        return false;
    };
    let after_kind = rest.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    after_kind.len() < rest.len() && after_kind.trim_start().starts_with(['{', '('])
}

/// The index of the first line after the BibTeX entry opening at `start`: where its braces
/// balance, at a blank line, or after [`MAX_BIBTEX_LINES`].
fn end_of_bibtex_entry(lines: &[&str], start: usize) -> usize {
    let mut depth = 0i64;
    for (offset, line) in lines.iter().enumerate().skip(start).take(MAX_BIBTEX_LINES) {
        if offset > start && line.trim().is_empty() {
            return offset;
        }
        for c in line.chars() {
            match c {
                '{' | '(' => depth += 1,
                '}' | ')' => depth -= 1,
                _ => {}
            }
        }
        if depth <= 0 {
            return offset + 1;
        }
    }
    (start + MAX_BIBTEX_LINES).min(lines.len())
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
