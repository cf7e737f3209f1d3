//! CSV output through the `csv` crate (RFC 4180 quoting), one serde row struct per record,
//! with spreadsheet formulas neutralised in every text cell.

use super::record::ExportRecord;
use crate::sanitize::csv_safe;
use serde::Serialize;

/// One CSV row: the header is these field names, in this order.
#[derive(Serialize, Default)]
struct Row {
    name: String,
    url: String,
    score: Option<String>,
    therapeutic_relevance: String,
    quality_score: String,
    avg_turns: Option<String>,
    avg_turns_lower_bound: Option<String>,
    median_turns: Option<f64>,
    min_turns: Option<i64>,
    max_turns: Option<i64>,
    conversation_format: Option<String>,
    turns_figure: Option<String>,
    turns_source: Option<String>,
    turns_exact: Option<bool>,
    turns_layout: Option<String>,
    num_conversations: Option<i64>,
    downloads: i64,
    likes: i64,
    license: Option<String>,
    languages: String,
    created_at: Option<String>,
    updated_at: Option<String>,
    size_bytes: Option<i64>,
    matched_terms: String,
    description: String,
}

fn safe(text: &str) -> String {
    csv_safe(text)
}

fn safe_opt(text: Option<&str>) -> Option<String> {
    text.map(safe)
}

impl Row {
    fn from_record(r: &ExportRecord) -> Row {
        Row {
            name: safe(&r.name),
            url: safe(&r.url),
            score: r.score.map(|s| format!("{s:.4}")),
            therapeutic_relevance: format!("{:.4}", r.therapeutic_relevance),
            quality_score: format!("{:.4}", r.quality_score),
            avg_turns: r.avg_turns.map(|a| format!("{a:.2}")),
            avg_turns_lower_bound: r.avg_turns_lower_bound.map(|a| format!("{a:.2}")),
            median_turns: r.median_turns,
            min_turns: r.min_turns,
            max_turns: r.max_turns,
            conversation_format: safe_opt(r.conversation_format.as_deref()),
            turns_figure: safe_opt(r.turns_figure.as_deref()),
            turns_source: safe_opt(r.turns_source.as_deref()),
            turns_exact: r.turns_exact,
            turns_layout: safe_opt(r.turns_layout.as_deref()),
            num_conversations: r.num_conversations,
            downloads: r.downloads,
            likes: r.likes,
            license: safe_opt(r.license.as_deref()),
            languages: safe(&r.languages.join(";")),
            created_at: safe_opt(r.created_at.as_deref()),
            updated_at: safe_opt(r.updated_at.as_deref()),
            size_bytes: r.size_bytes,
            matched_terms: safe(&r.matched_terms.join("; ")),
            description: safe(&r.description),
        }
    }
}

/// Renders records as CSV with a header row (the header is written even with no record).
pub fn render(records: &[ExportRecord]) -> String {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    // Serialising strings, numbers and options into memory cannot fail.
    for r in records {
        let _ = writer.serialize(Row::from_record(r));
    }
    let rows = String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default();
    format!("{}\n{rows}", header())
}

/// The header line, from the row struct's field names (serialising an empty row with headers).
fn header() -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.serialize(Row::default());
    let text = String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default();
    text.lines().next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_and_formulas() {
        let mut r = crate::output::report::fixtures::record("a/b");
        r.description = "=HYPERLINK(\"x\"), say \"hi\"\nnext".to_string();
        let out = render(&[r]);
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let headers = reader.headers().unwrap().clone();
        assert_eq!(headers.len(), 25);
        assert_eq!(headers.get(0), Some("name"));
        let row = reader.records().next().unwrap().unwrap();
        assert_eq!(row.len(), headers.len());
        let description = row.get(headers.len() - 1).unwrap();
        assert_eq!(description, "'=HYPERLINK(\"x\"), say \"hi\"\nnext");
    }
}
