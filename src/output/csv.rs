//! CSV output (RFC 4180 quoting) with spreadsheet formulas neutralised.

use super::record::ExportRecord;
use super::sanitize::csv_safe;

const HEADER: &[&str] = &[
    "name",
    "url",
    "score",
    "therapeutic_relevance",
    "quality_score",
    "avg_turns",
    "median_turns",
    "min_turns",
    "max_turns",
    "conversation_format",
    "turns_exact",
    "turns_layout",
    "num_conversations",
    "downloads",
    "likes",
    "license",
    "languages",
    "created_at",
    "updated_at",
    "size_bytes",
    "matched_terms",
    "description",
];

fn quote(cell: &str) -> String {
    let safe = csv_safe(cell);
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Renders records as CSV with a header row.
pub fn render(records: &[ExportRecord]) -> String {
    let mut out = HEADER.join(",");
    out.push('\n');
    for r in records {
        let cells = [
            r.name.clone(),
            r.url.clone(),
            opt(r.score.map(|s| format!("{s:.4}"))),
            format!("{:.4}", r.therapeutic_relevance),
            format!("{:.4}", r.quality_score),
            opt(r.avg_turns.map(|a| format!("{a:.2}"))),
            opt(r.median_turns),
            opt(r.min_turns),
            opt(r.max_turns),
            opt(r.conversation_format.as_deref()),
            opt(r.turns_exact),
            opt(r.turns_layout.as_deref()),
            opt(r.num_conversations),
            r.downloads.to_string(),
            r.likes.to_string(),
            opt(r.license.as_deref()),
            r.languages.join(";"),
            opt(r.created_at.as_deref()),
            opt(r.updated_at.as_deref()),
            opt(r.size_bytes),
            r.matched_terms.join("; "),
            r.description.clone(),
        ];
        let line: Vec<String> = cells.iter().map(|c| quote(c)).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_formulas() {
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("=1+1"), "'=1+1");
        assert_eq!(quote("=A1,B1"), "\"'=A1,B1\"");
    }
}
