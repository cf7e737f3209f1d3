//! The terminal table of `catalog query`: fits the terminal width, sanitises every cell, and
//! highlights query terms in the snippet when stdout is a terminal.

use super::record::ExportRecord;
use super::report::numbers::group_thousands;
use super::sanitize::{clean_line, truncate};

/// `12.4 multi` style turns cell (`?` when unknown, `≥` when a lower bound).
pub fn turns_cell(r: &ExportRecord) -> String {
    match r.avg_turns {
        Some(avg) => {
            let bound = if r.turns_exact == Some(false) {
                "≥"
            } else {
                ""
            };
            let format = r
                .conversation_format
                .as_deref()
                .map(|f| f.trim_end_matches("_turn"))
                .unwrap_or("");
            format!("{bound}{avg:.1} {format}")
        }
        None => "?".to_string(),
    }
}

/// A window of `text` around the first query term, at most `width` characters.
pub fn snippet(text: &str, query_words: &[String], width: usize) -> String {
    let clean = clean_line(text, 2_000);
    let lower = clean.to_lowercase();
    let hit = query_words
        .iter()
        .filter_map(|w| lower.find(&stem(w)))
        .min();
    let start_byte = match hit {
        Some(pos) if pos > width / 3 => {
            let mut start = pos - width / 3;
            while !clean.is_char_boundary(start) {
                start -= 1;
            }
            // Start at a word boundary when one is near.
            match clean[start..pos].find(' ') {
                Some(space) if space < 16 => start + space + 1,
                _ => start,
            }
        }
        _ => 0,
    };
    let body = &clean[start_byte..];
    let prefix = if start_byte > 0 { "…" } else { "" };
    truncate(&format!("{prefix}{body}"), width)
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
    let lower = cell.to_lowercase();
    if lower.len() != cell.len() {
        return cell.to_string();
    }
    let mut marks = vec![false; cell.len()];
    for w in words {
        let s = stem(w);
        if s.is_empty() {
            continue;
        }
        let mut from = 0;
        while let Some(pos) = lower[from..].find(&s) {
            let at = from + pos;
            marks[at..at + s.len()].iter_mut().for_each(|m| *m = true);
            from = at + s.len();
        }
    }
    let mut out = String::with_capacity(cell.len() + 16);
    let mut bold = false;
    for (i, c) in cell.char_indices() {
        if marks[i] != bold {
            out.push_str(if marks[i] { "\x1b[1m" } else { "\x1b[0m" });
            bold = marks[i];
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
        let text = snippet(&r.description, &words, snippet_width);
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
    fn highlight_marks_terms() {
        assert_eq!(
            highlight("Trauma talk", &["trauma".into()]),
            "\x1b[1mTraum\x1b[0ma talk"
        );
    }
}
