//! The README prose worth scoring: the front matter, code, HTML comments, and sections that
//! describe other things (citations and BibTeX, licences, related or source datasets,
//! acknowledgements, contributors, contact, glossary, the project's news and installation;
//! the same headings in Chinese and Japanese) or what the data is not (the card
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
//! and a BibTeX entry outside a code block is dropped up to its closing brace. So are the
//! template's unfilled fields (`- **Leaderboard:**`, `**Paper:** [More Information Needed]`).

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
    // The project's own news and set-up, not its data: "## 🎉 News" lists papers accepted and
    // releases, "## Installation" how to set up a repository's code. ("Code" is not skipped:
    // measured on whole READMEs, skipping it made as many false positives as it fixed misses.)
    "news",
    "updates",
    "changelog",
    "todo",
    "roadmap",
    "installation",
    "install",
];

/// The same sections headed in Chinese or Japanese, where a heading has no spaces between its
/// words: found anywhere in the heading (`## 致谢`, `## 🎉 最新动态`, `## 引用`; so `声明` also
/// finds `免责声明`, and `更新` finds `更新履歴`).
const SKIPPED_SECTIONS_CJK: &[&str] = &[
    "引用",
    "参考文献",
    "许可",
    "协议",
    "相关工作",
    "致谢",
    "鸣谢",
    "贡献者",
    "联系",
    "声明",
    "更新",
    "新闻",
    "动态",
    "安装",
    "謝辞",
    "ライセンス",
    "免責",
    "お知らせ",
    "インストール",
];

/// Whether a heading starts a section left out of the scored prose.
fn is_skipped_heading(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| SKIPPED_SECTIONS.contains(&word))
        || SKIPPED_SECTIONS_CJK.iter().any(|word| lower.contains(word))
}

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
            let skip = is_skipped_heading(text);
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
        if is_empty_template_field(trimmed) {
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

/// What a card template's unfilled field holds after its name.
const TEMPLATE_PLACEHOLDERS: &[&str] = &[
    "",
    "[more information needed]",
    "more information needed",
    "[needs more information]",
    "n/a",
    "none",
    "-",
    "tbd",
];

/// A card template's field left unfilled (`- **Leaderboard:**`, `**Paper:** [More
/// Information Needed]`): the template's words, not the dataset's.
fn is_empty_template_field(line: &str) -> bool {
    let item = ["- ", "* ", "+ "]
        .iter()
        .find_map(|marker| line.strip_prefix(marker))
        .map_or(line, str::trim_start);
    let Some((name, rest)) = item
        .strip_prefix("**")
        .and_then(|inner| inner.split_once("**"))
    else {
        return false;
    };
    let (name, rest) = match rest.strip_prefix(':') {
        Some(after) => (name, after),
        None => match name.strip_suffix(':') {
            Some(bare) => (bare, rest),
            None => return false,
        },
    };
    let value = rest.trim().to_lowercase();
    !name.trim().is_empty() && TEMPLATE_PLACEHOLDERS.contains(&value.as_str())
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
mod tests;
