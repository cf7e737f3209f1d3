//! The terminal table of `catalog query`: fits the terminal width, sanitises every cell, and
//! highlights query terms in the snippet when stdout is a terminal.

use super::record::ExportRecord;
use super::report::numbers::group_thousands;
use crate::sanitize::{clean_line, truncate, truncate_to_width};

/// `12.4 multi` style turns cell: `?` when unknown, `≥15` when only a lower bound is known
/// (`≥25 multi` once the bound decides the format).
pub fn turns_cell(r: &ExportRecord) -> String {
    let format = r
        .conversation_format
        .as_deref()
        .map(|f| f.trim_end_matches("_turn"))
        .unwrap_or("");
    match (r.avg_turns, r.avg_turns_lower_bound) {
        (Some(avg), _) => format!("{avg:.1} {format}"),
        (None, Some(bound)) => format!("≥{} {format}", bound.floor()),
        (None, None) => "?".to_string(),
    }
}

/// `text` lower-cased, with the byte offset in `text` of the character each lower-case byte came
/// from. Lower-casing changes byte lengths (`İ` → `i̇`, Kelvin sign → `k`), so positions found in
/// the lower-cased copy are only ever mapped back through this table, never used on `text`.
fn lowered_with_origins(text: &str) -> (String, Vec<usize>) {
    let mut lower = String::with_capacity(text.len());
    let mut origins = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        for l in c.to_lowercase() {
            lower.push(l);
            origins.extend(std::iter::repeat_n(at, l.len_utf8()));
        }
    }
    (lower, origins)
}

/// Byte ranges of `text` (original offsets, on char boundaries) where a query stem occurs,
/// matched case-insensitively.
fn stem_hits(text: &str, words: &[String]) -> Vec<(usize, usize)> {
    let (lower, origins) = lowered_with_origins(text);
    let original_end = |lower_end: usize| -> usize {
        // The end of the original character that produced the last matched lower-case byte.
        origins
            .get(lower_end.saturating_sub(1))
            .and_then(|&start| {
                text.get(start..)?
                    .chars()
                    .next()
                    .map(|c| start + c.len_utf8())
            })
            .unwrap_or(text.len())
    };
    let mut hits = Vec::new();
    for w in words {
        let s = stem(w);
        if s.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(pos) = lower.get(from..).and_then(|rest| rest.find(&s)) {
            let at = from + pos;
            let end = at + s.len();
            if let Some(&start) = origins.get(at) {
                hits.push((start, original_end(end)));
            }
            from = end;
        }
    }
    hits.sort_unstable();
    hits
}

/// A window of `text` around the first query term, at most `width` terminal columns wide.
pub fn snippet(text: &str, query_words: &[String], width: usize) -> String {
    let clean = clean_line(text, 2_000);
    let hit = stem_hits(&clean, query_words).first().map(|h| h.0);
    // Characters, not bytes, decide how much context comes before the hit.
    let start_byte = match hit {
        Some(pos) => {
            let before: Vec<(usize, char)> =
                clean.get(..pos).unwrap_or("").char_indices().collect();
            let context = width / 3;
            if before.len() > context {
                let window = before.get(before.len() - context..).unwrap_or(&[]);
                let start = window.first().map_or(0, |(i, _)| *i);
                // Start at a word boundary when one is near.
                match window.iter().take(16).position(|(_, c)| *c == ' ') {
                    Some(space) => window.get(space + 1).map_or(start, |(i, _)| *i),
                    None => start,
                }
            } else {
                0
            }
        }
        None => 0,
    };
    let body = clean.get(start_byte..).unwrap_or(&clean);
    let prefix = if start_byte > 0 { "…" } else { "" };
    truncate_to_width(&format!("{prefix}{body}"), width)
}

/// A crude stem for highlighting: the first 5 characters of a lower-cased word.
fn stem(word: &str) -> String {
    word.to_lowercase().chars().take(5).collect()
}

/// Query words worth highlighting (3+ characters).
pub fn query_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// Wraps occurrences of the query stems in bold (only for terminals).
fn highlight(cell: &str, words: &[String]) -> String {
    let hits = stem_hits(cell, words);
    let mut out = String::with_capacity(cell.len() + 16);
    let mut bold = false;
    for (i, c) in cell.char_indices() {
        let marked = hits.iter().any(|&(start, end)| start <= i && i < end);
        if marked != bold {
            out.push_str(if marked { "\x1b[1m" } else { "\x1b[0m" });
            bold = marked;
        }
        out.push(c);
    }
    if bold {
        out.push_str("\x1b[0m");
    }
    out
}

/// Renders the ranked records as a table of at most `width` columns.
pub fn render(
    records: &[ExportRecord],
    offset: usize,
    query: &str,
    width: usize,
    color: bool,
) -> String {
    let words = query_words(query);
    let id_width = records
        .iter()
        .map(|r| clean_line(&r.id, 60).chars().count())
        .max()
        .unwrap_or(2)
        .clamp(2, 48);
    let fixed = 4 + 1 + id_width + 1 + 5 + 1 + 4 + 1 + 4 + 1 + 12 + 1 + 9 + 1 + 12 + 1;
    let snippet_width = width.saturating_sub(fixed).max(10);
    let mut out = format!(
        "{:>4} {:<id_width$} {:>5} {:>4} {:>4} {:<12} {:>9} {:<12} {}\n",
        "#", "id", "score", "rel", "qual", "turns", "downloads", "licence", "description"
    );
    for (i, r) in records.iter().enumerate() {
        let id = truncate(&clean_line(&r.id, 200), id_width);
        let licence = truncate(&clean_line(r.license.as_deref().unwrap_or("-"), 40), 12);
        let related = match r.collapsed {
            Some(n) => format!("[+{n} related] "),
            None => String::new(),
        };
        let text = format!(
            "{related}{}",
            snippet(
                &r.description,
                &words,
                snippet_width
                    .saturating_sub(related.chars().count())
                    .max(10)
            )
        );
        let text = if color {
            highlight(&text, &words)
        } else {
            text
        };
        out.push_str(&format!(
            "{:>4} {:<id_width$} {:>5.3} {:>4.2} {:>4.2} {:<12} {:>9} {:<12} {}\n",
            offset + i + 1,
            id,
            r.score.unwrap_or(0.0),
            r.therapeutic_relevance,
            r.quality_score,
            turns_cell(r),
            group_thousands(r.downloads),
            licence,
            text
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_and_snippets() {
        let s = snippet(
            "aaaa bbbb cccc dddd trauma therapy here",
            &query_words("trauma"),
            20,
        );
        assert!(s.contains("trauma"), "{s}");
        assert!(s.chars().count() <= 20);
    }

    #[test]
    fn turkish_dotted_capital_i_does_not_panic() {
        // `İ` lower-cases to two characters (three bytes): offsets of the lower-cased copy must
        // never be used on the original.
        let text = format!("{} trauma therapy İSTANBUL", "İ".repeat(50));
        let words = query_words("therapy trauma");
        let s = snippet(&text, &words, 30);
        assert!(s.contains("trauma"), "{s}");
        let h = highlight(&s, &words);
        assert!(h.contains("\x1b[1mtraum\x1b[0m"), "{h:?}");
        let kelvin = "\u{212a}\u{212a}\u{212a} İİ therapy";
        assert!(highlight(kelvin, &words).contains("\x1b[1mthera\x1b[0m"));
    }

    #[test]
    fn highlight_marks_terms() {
        assert_eq!(
            highlight("Trauma talk", &["trauma".into()]),
            "\x1b[1mTraum\x1b[0ma talk"
        );
    }

    mod properties {
        use super::super::*;
        use crate::test_support::{cases, hostile_text};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(cases()))]

            #[test]
            fn snippet_and_highlight_never_panic(
                text in hostile_text(), query in hostile_text(), width in 0usize..120,
            ) {
                let words = query_words(&query);
                let s = snippet(&text, &words, width);
                prop_assert!(unicode_width::UnicodeWidthStr::width(s.as_str()) <= width.max(1));
                let h = highlight(&s, &words);
                prop_assert_eq!(h.replace("\x1b[1m", "").replace("\x1b[0m", ""), s);
            }
        }
    }
}
