//! `catalog report`: a summary of the datasets a query selects, as plain text (this module) or as
//! a self-contained HTML page (`super::html`).
//!
//! [`summarize`] computes the numbers once; both renderers print the same [`ReportSummary`], so
//! the text and HTML reports never disagree. The text layout follows the original tool's report:
//! totals, average and longest conversations, the quality distribution, the top 10 datasets, then
//! licence, language and format breakdowns.
//!
//! Dataset ids, descriptions, licences and languages come from the Hub and are untrusted: every
//! one of them passes through [`clean_line`] before it is printed, so no control character or
//! escape sequence (CSI, OSC 8 links, ...) reaches the terminal.

#[cfg(test)]
pub(crate) mod fixtures;
pub mod numbers;

use super::record::ExportRecord;
use crate::sanitize::clean_line;
use numbers::{format_turns, group_thousands, percent};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt::Write as _;

/// Title shared by the text and HTML reports.
pub const REPORT_TITLE: &str = "Therapy conversation dataset report";

/// Quality at or above this is "high".
pub const QUALITY_HIGH: f64 = 0.7;
/// Quality at or above this (and below [`QUALITY_HIGH`]) is "medium"; below it is "low".
pub const QUALITY_MEDIUM: f64 = 0.4;

/// Breakdown label of a dataset without a licence.
pub const UNKNOWN_LICENSE: &str = "unknown";
/// Breakdown label of a dataset without a language.
pub const UNKNOWN_LANGUAGE: &str = "unknown";
/// Breakdown label of a dataset without turn figures.
pub const UNKNOWN_FORMAT: &str = "unknown turns";

/// How many datasets the text report lists.
const TOP_DATASETS: usize = 10;
/// How many entries each breakdown of the text report lists.
const TOP_BREAKDOWN: usize = 10;
/// Longest id printed; longer ones are cut with an ellipsis.
const MAX_ID_CHARS: usize = 96;
/// Longest description printed under a top dataset.
const MAX_DESCRIPTION_CHARS: usize = 110;

/// What a report is about.
pub struct ReportInput<'a> {
    /// The selected datasets, ranked best first, with `score` set.
    pub records: &'a [ExportRecord],
    /// The query text (may be empty).
    pub query: &'a str,
    /// The filters in words (may be empty).
    pub filters_description: &'a str,
    /// When the report was made.
    pub generated_at: chrono::DateTime<chrono::Utc>,
    /// Datasets in the whole catalog.
    pub catalog_size: i64,
}

/// The numbers of a report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSummary {
    /// Datasets selected.
    pub total: usize,
    /// Datasets with a measured average turn count.
    pub with_turns: usize,
    /// Mean of `avg_turns` over the datasets that have it.
    pub average_turns: Option<f64>,
    /// The dataset with the highest `avg_turns` (the best-ranked one on ties): id and figure.
    pub longest: Option<(String, f64)>,
    /// Datasets with quality ≥ 0.7.
    pub quality_high: usize,
    /// Datasets with quality in [0.4, 0.7).
    pub quality_medium: usize,
    /// Datasets with quality < 0.4.
    pub quality_low: usize,
    /// Datasets per licence, most common first (no licence → `unknown`).
    pub licenses: Vec<(String, usize)>,
    /// Datasets per language, most common first; a dataset counts once for each language it
    /// lists (no language → `unknown`), so the counts may add up to more than `total`.
    pub languages: Vec<(String, usize)>,
    /// Datasets per conversation format, most common first (none → `unknown turns`).
    pub formats: Vec<(String, usize)>,
}

/// The measured average turn count of a record, when it is a usable number.
pub fn measured_turns(record: &ExportRecord) -> Option<f64> {
    record.avg_turns.filter(|t| t.is_finite())
}

/// Computes the report numbers.
pub fn summarize(input: &ReportInput) -> ReportSummary {
    let records = input.records;
    let turns: Vec<(&ExportRecord, f64)> = records
        .iter()
        .filter_map(|r| measured_turns(r).map(|t| (r, t)))
        .collect();
    let average_turns =
        (!turns.is_empty()).then(|| turns.iter().map(|(_, t)| t).sum::<f64>() / turns.len() as f64);
    let mut longest: Option<(&ExportRecord, f64)> = None;
    for &(record, t) in &turns {
        if longest.is_none_or(|(_, best)| t > best) {
            longest = Some((record, t));
        }
    }

    let quality_high = records
        .iter()
        .filter(|r| r.quality_score >= QUALITY_HIGH)
        .count();
    let quality_medium = records
        .iter()
        .filter(|r| (QUALITY_MEDIUM..QUALITY_HIGH).contains(&r.quality_score))
        .count();

    ReportSummary {
        total: records.len(),
        with_turns: turns.len(),
        average_turns,
        longest: longest.map(|(r, t)| (r.id.clone(), t)),
        quality_high,
        quality_medium,
        quality_low: records.len() - quality_high - quality_medium,
        licenses: count_labels(
            records
                .iter()
                .map(|r| vec![label_or(r.license.as_deref(), UNKNOWN_LICENSE)]),
        ),
        languages: count_labels(records.iter().map(|r| {
            let mut langs: Vec<String> = r
                .languages
                .iter()
                .map(|l| label_or(Some(l), UNKNOWN_LANGUAGE))
                .collect();
            langs.sort();
            langs.dedup();
            if langs.is_empty() {
                langs.push(UNKNOWN_LANGUAGE.to_string());
            }
            langs
        })),
        formats: count_labels(
            records
                .iter()
                .map(|r| vec![label_or(r.conversation_format.as_deref(), UNKNOWN_FORMAT)]),
        ),
    }
}

/// A breakdown label: trimmed and lower-cased (`MIT` and `mit` are one licence), or `fallback`.
fn label_or(value: Option<&str>, fallback: &str) -> String {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => v.to_lowercase(),
        _ => fallback.to_string(),
    }
}

/// Counts labels (each record contributes a list), most common first, ties alphabetically.
fn count_labels(labels: impl Iterator<Item = Vec<String>>) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for label in labels.flatten() {
        *counts.entry(label).or_default() += 1;
    }
    let mut out: Vec<(String, usize)> = counts.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

/// The plain-text report (no colours, no control characters).
pub fn render_text(input: &ReportInput, summary: &ReportSummary) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{REPORT_TITLE}");
    let _ = writeln!(out, "{}", "=".repeat(REPORT_TITLE.chars().count()));
    let _ = writeln!(
        out,
        "Generated:    {}",
        input.generated_at.format("%Y-%m-%d %H:%M:%S UTC")
    );
    let _ = writeln!(out, "Query:        {}", query_words(input.query));
    let _ = writeln!(
        out,
        "Filters:      {}",
        filter_words(input.filters_description)
    );
    let _ = writeln!(
        out,
        "Catalog size: {} datasets",
        group_thousands(input.catalog_size)
    );
    let _ = writeln!(out);

    if summary.total == 0 {
        let _ = writeln!(out, "No datasets matched.");
        return out;
    }
    write_totals(&mut out, summary);
    write_quality(&mut out, summary);
    write_top(&mut out, input.records);
    let total = summary.total;
    write_breakdown(&mut out, "Licences", &summary.licenses, total, None);
    write_breakdown(
        &mut out,
        "Languages",
        &summary.languages,
        total,
        Some("a dataset may list several languages"),
    );
    write_breakdown(
        &mut out,
        "Conversation formats",
        &summary.formats,
        total,
        None,
    );
    out
}

/// The query as printed: cleaned, or a note that there was none.
pub fn query_words(query: &str) -> String {
    let clean = clean_line(query, 200);
    if clean.is_empty() {
        "(none: all datasets)".to_string()
    } else {
        format!("\"{clean}\"")
    }
}

/// The filters as printed: cleaned, or `none`.
pub fn filter_words(filters: &str) -> String {
    let clean = clean_line(filters, 300);
    if clean.is_empty() {
        "none".to_string()
    } else {
        clean
    }
}

fn write_totals(out: &mut String, s: &ReportSummary) {
    let _ = writeln!(
        out,
        "Total datasets:     {}",
        group_thousands(s.total as i64)
    );
    let _ = writeln!(
        out,
        "With turn figures:  {} ({})",
        group_thousands(s.with_turns as i64),
        percent(s.with_turns, s.total)
    );
    match s.average_turns {
        Some(avg) => {
            let _ = writeln!(
                out,
                "Average turns:      {avg:.1} (over {} datasets with figures)",
                s.with_turns
            );
        }
        None => {
            let _ = writeln!(out, "Average turns:      ? (no dataset has turn figures)");
        }
    }
    match &s.longest {
        Some((id, turns)) => {
            let _ = writeln!(
                out,
                "Longest dataset:    {} ({turns:.1} avg turns)",
                clean_line(id, MAX_ID_CHARS)
            );
        }
        None => {
            let _ = writeln!(out, "Longest dataset:    ?");
        }
    }
    let _ = writeln!(out);
}

fn write_quality(out: &mut String, s: &ReportSummary) {
    let _ = writeln!(out, "Quality distribution:");
    let rows = [
        ("High (>= 0.7)", s.quality_high),
        ("Medium (0.4-0.7)", s.quality_medium),
        ("Low (< 0.4)", s.quality_low),
    ];
    for (label, count) in rows {
        let _ = writeln!(
            out,
            "  {label:<18}{count:>6}  {:>6}",
            percent(count, s.total)
        );
    }
    let _ = writeln!(out);
}

fn write_top(out: &mut String, records: &[ExportRecord]) {
    let shown = records.len().min(TOP_DATASETS);
    let _ = writeln!(out, "Top {shown} datasets:");
    for (i, r) in records.iter().take(TOP_DATASETS).enumerate() {
        let score = r
            .score
            .map_or_else(|| "?".to_string(), |s| format!("{s:.3}"));
        let _ = writeln!(out, "{:>3}. {}", i + 1, clean_line(&r.id, MAX_ID_CHARS));
        let _ = writeln!(
            out,
            "     Score: {score} | Turns: {} | Downloads: {}",
            format_turns(
                measured_turns(r),
                r.conversation_format.as_deref().map(|f| clean_line(f, 40))
            ),
            group_thousands(r.downloads)
        );
        let description = clean_line(&r.description, MAX_DESCRIPTION_CHARS);
        if !description.is_empty() {
            let _ = writeln!(out, "     {description}");
        }
        let _ = writeln!(out, "     URL: {}", clean_line(&r.url, 200));
    }
    let _ = writeln!(out);
}

fn write_breakdown(
    out: &mut String,
    title: &str,
    entries: &[(String, usize)],
    total: usize,
    note: Option<&str>,
) {
    match note {
        Some(note) => {
            let _ = writeln!(out, "{title} ({note}):");
        }
        None => {
            let _ = writeln!(out, "{title}:");
        }
    }
    let labels: Vec<String> = entries
        .iter()
        .take(TOP_BREAKDOWN)
        .map(|(label, _)| clean_line(label, 40))
        .collect();
    let width = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0);
    for (label, (_, count)) in labels.iter().zip(entries) {
        let pad = width - label.chars().count();
        let _ = writeln!(
            out,
            "  {label}{}  {count:>6}  {:>6}",
            " ".repeat(pad),
            percent(*count, total)
        );
    }
    if let Some(more) = entries.get(TOP_BREAKDOWN..).filter(|more| !more.is_empty()) {
        let rest: usize = more.iter().map(|(_, c)| c).sum();
        let _ = writeln!(out, "  ... and {} more ({rest} in all)", more.len());
    }
    let _ = writeln!(out);
}

#[cfg(test)]
mod tests;
