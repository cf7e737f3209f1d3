//! The terminal table of `catalog query`: fits the terminal width, sanitises every cell, and
//! highlights query terms in the snippet when stdout is a terminal.

use super::record::ExportRecord;
use super::report::numbers::group_thousands;
use crate::sanitize::{clean_line, truncate_to_width};
use comfy_table::{presets, Cell, CellAlignment, ContentArrangement, Table};

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

/// Byte ranges of the words of `text` that start with a query stem (case-insensitively), in
/// order. Words and their offsets come from `text` itself; only each word's lower-cased copy is
/// compared, so no offset of a lower-cased string (which may be longer: `İ` → `i̇`) is ever used on
/// `text`. The whole word is marked: `Trauma` for `trauma`, `therapists` for `therapy`.
fn stem_hits(text: &str, words: &[String]) -> Vec<(usize, usize)> {
    let stems: Vec<String> = words
        .iter()
        .map(|w| stem(w))
        .filter(|s| !s.is_empty())
        .collect();
    let mut hits = Vec::new();
    let mut word_start = None;
    let ends = text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')));
    for (at, c) in ends {
        if c.is_alphanumeric() {
            word_start.get_or_insert(at);
            continue;
        }
        if let Some(start) = word_start.take() {
            let word = text.get(start..at).unwrap_or("").to_lowercase();
            if stems.iter().any(|s| word.starts_with(s.as_str())) {
                hits.push((start, at));
            }
        }
    }
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

/// Wraps the words matching a query stem in bold (only for terminals).
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

/// Renders the ranked records as a table of at most `width` columns: `comfy-table` lays the
/// columns out by display width (CJK and emoji count two columns), and the description — the
/// last column — gets what is left of the terminal.
pub fn render(
    records: &[ExportRecord],
    offset: usize,
    query: &str,
    width: usize,
    color: bool,
) -> String {
    let words = query_words(query);
    let header = [
        "#",
        "id",
        "score",
        "rel",
        "qual",
        "turns",
        "downloads",
        "licence",
        "description",
    ];
    let rows: Vec<[String; 8]> = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            [
                (offset + i + 1).to_string(),
                truncate_to_width(&clean_line(&r.id, 200), 48),
                format!("{:.3}", r.score.unwrap_or(0.0)),
                format!("{:.2}", r.therapeutic_relevance),
                format!("{:.2}", r.quality_score),
                turns_cell(r),
                group_thousands(r.downloads),
                truncate_to_width(&clean_line(r.license.as_deref().unwrap_or("-"), 40), 12),
            ]
        })
        .collect();
    // Widths of the fixed columns, each followed by one space.
    let fixed: usize = (0..8)
        .map(|column| {
            let cells = rows.iter().filter_map(|row| row.get(column));
            let widest = cells.map(|c| display_width(c)).max().unwrap_or(0);
            let title = header.get(column).map_or(0, |h| display_width(h));
            widest.max(title) + 1
        })
        .sum();
    let snippet_width = width.saturating_sub(fixed).max(10);

    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header);
    for (row, r) in rows.into_iter().zip(records) {
        let related = match r.collapsed {
            Some(n) => format!("[+{n} related] "),
            None => String::new(),
        };
        let room = snippet_width
            .saturating_sub(display_width(&related))
            .max(10);
        let text = format!("{related}{}", snippet(&r.description, &words, room));
        let text = if color {
            highlight(&text, &words)
        } else {
            text
        };
        let mut cells: Vec<Cell> = row.into_iter().map(Cell::new).collect();
        cells.push(Cell::new(text));
        table.add_row(cells);
    }
    for (index, column) in table.column_iter_mut().enumerate() {
        column.set_padding((0, 1));
        if matches!(index, 0 | 2 | 3 | 4 | 6) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut out = table.trim_fmt();
    out.push('\n');
    out
}

fn display_width(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
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
        assert!(h.contains("\x1b[1mtrauma\x1b[0m"), "{h:?}");
        let kelvin = "\u{212a}\u{212a}\u{212a} İİ therapy";
        assert!(highlight(kelvin, &words).contains("\x1b[1mtherapy\x1b[0m"));
    }

    #[test]
    fn highlight_marks_terms() {
        assert_eq!(
            highlight("Trauma talk", &["trauma".into()]),
            "\x1b[1mTrauma\x1b[0m talk"
        );
        // Whole words, and only words that start with the stem.
        assert_eq!(
            highlight("therapists, psychotherapy", &["therapy".into()]),
            "\x1b[1mtherapists\x1b[0m, psychotherapy"
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
