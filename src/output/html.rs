//! `catalog report --html FILE`: one self-contained HTML5 page.
//!
//! The page needs nothing from the network and runs no script: CSS is inline, the three charts
//! are inline SVG drawn by hand (`charts`), and a Content-Security-Policy meta tag forbids
//! loading anything else. The only URLs are plain `<a href>` links to each dataset's Hub page.
//!
//! Every piece of text from the Hub passes through `strip_controls` (via `clean_line`) and is then
//! HTML-escaped (`& < > " '`) by [`escape`]; an id becomes a link only when it is made of
//! `[A-Za-z0-9._-]` segments ([`dataset_url`]), so it can never break out of the attribute.

mod charts;

use super::record::ExportRecord;
use super::report::numbers::{group_thousands, percent};
use super::report::{
    filter_words, measured_turns, query_words, ReportInput, ReportSummary, REPORT_TITLE,
};
use crate::sanitize::clean_line;
use std::fmt::Write as _;

/// Where dataset links point.
const HUB_DATASETS: &str = "https://huggingface.co/datasets/";
/// The page's Content-Security-Policy: nothing may load, styles only inline, images only data:.
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
/// Rows each breakdown table shows before summing up the rest.
const BREAKDOWN_ROWS: usize = 15;
/// Longest id shown.
const MAX_ID_CHARS: usize = 120;
/// Longest description shown under an id.
const MAX_DESCRIPTION_CHARS: usize = 200;

const STYLE: &str = "
:root{--fg:#1d2430;--muted:#5b6575;--bg:#fff;--panel:#f4f6f9;--line:#d9dee6;--accent:#2f6fdf;
--high:#2e9d5b;--medium:#d9a21b;--low:#d2493f;--unknown:#9aa3b0}
@media (prefers-color-scheme:dark){:root{--fg:#e6e9ee;--muted:#9aa3b0;--bg:#161a20;--panel:#20262e;
--line:#38414d;--accent:#6b9cf0}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:24px;font:15px/1.45 system-ui,-apple-system,'Segoe UI',
Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{margin:0 0 8px;font-size:26px}h2{margin:32px 0 12px;font-size:19px}
header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0;color:var(--muted)}
header dt{font-weight:600}header dd{margin:0;overflow-wrap:anywhere}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(145px,1fr));gap:12px}
.card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .value{display:block;font-size:24px;font-weight:650;overflow-wrap:anywhere}
.card .label{display:block;color:var(--muted);font-size:13px}
.card.id .value{font-size:15px;font-weight:600}
.card.high .value{color:var(--high)}.card.medium .value{color:var(--medium)}
.card.low .value{color:var(--low)}
.charts{display:flex;flex-wrap:wrap;gap:20px}
figure{margin:0;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:12px;
max-width:100%}
figcaption{font-weight:600;margin-bottom:6px}
svg{display:block;max-width:100%;height:auto}
svg text{fill:var(--fg);font-size:12px}svg .muted{fill:var(--muted)}
svg .axis{stroke:var(--muted);stroke-width:1}svg .grid{stroke:var(--line);stroke-width:1}
svg .edge{stroke:var(--muted);stroke-dasharray:4 3}
svg .bar{fill:var(--accent)}svg .bar.unknown{fill:var(--unknown)}
svg .dot{stroke:var(--bg);stroke-width:1;fill-opacity:.85}
svg .high{fill:var(--high)}svg .medium{fill:var(--medium)}svg .low{fill:var(--low)}
.breakdowns{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:20px}
table{border-collapse:collapse;width:100%}
th,td{padding:5px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.share{display:block;height:4px;background:var(--accent);border-radius:2px;margin-top:3px}
.records td:nth-child(2){overflow-wrap:anywhere;min-width:220px}
.desc{color:var(--muted);font-size:13px}
.empty{font-size:18px;padding:24px;background:var(--panel);border-radius:8px}
a{color:var(--accent)}
footer{margin-top:32px;color:var(--muted);font-size:13px}
";

/// Escapes `& < > " '` for use in HTML text and quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Untrusted text as safe HTML: controls stripped, whitespace collapsed, cut to `max_chars`,
/// escaped.
pub fn safe_text(text: &str, max_chars: usize) -> String {
    escape(&clean_line(text, max_chars))
}

/// The Hub page of a dataset, or None when the id is not `owner/name` (or a bare `name`) made of
/// ASCII letters, digits, `-`, `_` and `.` (so it needs no percent-encoding and cannot escape the
/// `/datasets/` path).
pub fn dataset_url(id: &str) -> Option<String> {
    let segments: Vec<&str> = id.split('/').collect();
    let valid_segment = |s: &&str| {
        !s.is_empty()
            && *s != "."
            && *s != ".."
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (segments.len() <= 2 && segments.iter().all(valid_segment))
        .then(|| format!("{HUB_DATASETS}{id}"))
}

/// The whole report page.
pub fn render_html(input: &ReportInput, summary: &ReportSummary) -> String {
    let mut page = String::with_capacity(16 * 1024 + input.records.len() * 600);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_SECURITY_POLICY}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{REPORT_TITLE}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
    );
    write_header(&mut page, input, summary);
    if summary.total == 0 {
        page.push_str("<p class=\"empty\">No datasets matched this query and these filters.</p>\n");
    } else {
        write_cards(&mut page, summary);
        page.push_str("<h2>Charts</h2>\n<section class=\"charts\">\n");
        page.push_str(&charts::turns_histogram(input.records));
        page.push_str(&charts::relevance_quality_scatter(input.records));
        page.push_str(&charts::top_scores_bars(input.records));
        page.push_str("</section>\n");
        write_breakdowns(&mut page, summary);
        write_records(&mut page, input.records);
    }
    page.push_str(
        "<footer>Made by <code>catalog report</code>. Dataset links open the Hugging Face Hub; \
         this page loads nothing by itself.</footer>\n</body>\n</html>\n",
    );
    page
}

fn write_header(page: &mut String, input: &ReportInput, summary: &ReportSummary) {
    let _ = write!(
        page,
        "<header>\n<h1>{REPORT_TITLE}</h1>\n<dl>\n\
         <dt>Query</dt><dd>{}</dd>\n<dt>Filters</dt><dd>{}</dd>\n\
         <dt>Generated</dt><dd>{}</dd>\n<dt>Matched</dt><dd>{} of {} datasets in the catalog</dd>\n\
         </dl>\n</header>\n",
        escape(&query_words(input.query)),
        escape(&filter_words(input.filters_description)),
        input.generated_at.format("%Y-%m-%d %H:%M:%S UTC"),
        group_thousands(summary.total as i64),
        group_thousands(input.catalog_size),
    );
}

fn write_cards(page: &mut String, s: &ReportSummary) {
    let average = s
        .average_turns
        .map_or_else(|| "?".to_string(), |a| format!("{a:.1}"));
    let longest = match &s.longest {
        Some((id, turns)) => (safe_text(id, 60), format!("longest: {turns:.1} avg turns")),
        None => ("?".to_string(), "longest dataset".to_string()),
    };
    let cards = [
        (
            "",
            group_thousands(s.total as i64),
            "datasets matched".to_string(),
        ),
        (
            "",
            group_thousands(s.with_turns as i64),
            format!("with turn figures ({})", percent(s.with_turns, s.total)),
        ),
        (
            "",
            average,
            "average turns (datasets with figures)".to_string(),
        ),
        ("id", longest.0, longest.1),
        (
            "high",
            s.quality_high.to_string(),
            format!("high quality ≥ 0.7 ({})", percent(s.quality_high, s.total)),
        ),
        (
            "medium",
            s.quality_medium.to_string(),
            format!(
                "medium quality 0.4–0.7 ({})",
                percent(s.quality_medium, s.total)
            ),
        ),
        (
            "low",
            s.quality_low.to_string(),
            format!("low quality < 0.4 ({})", percent(s.quality_low, s.total)),
        ),
    ];
    page.push_str("<h2>Summary</h2>\n<section class=\"cards\">\n");
    for (class, value, label) in cards {
        let _ = writeln!(
            page,
            "<div class=\"card {class}\"><span class=\"value\">{value}</span>\
             <span class=\"label\">{label}</span></div>"
        );
    }
    page.push_str("</section>\n");
}

fn write_breakdowns(page: &mut String, s: &ReportSummary) {
    page.push_str("<h2>Breakdowns</h2>\n<section class=\"breakdowns\">\n");
    write_breakdown(page, "Licence", &s.licenses, s.total);
    write_breakdown(page, "Language", &s.languages, s.total);
    write_breakdown(page, "Conversation format", &s.formats, s.total);
    page.push_str("</section>\n");
}

fn write_breakdown(page: &mut String, heading: &str, entries: &[(String, usize)], total: usize) {
    let _ = write!(
        page,
        "<table class=\"breakdown\">\n<thead><tr><th>{heading}</th><th class=\"num\">Datasets</th>\
         <th class=\"num\">Share</th></tr></thead>\n<tbody>\n"
    );
    for (label, count) in entries.iter().take(BREAKDOWN_ROWS) {
        let share = percent(*count, total);
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{share}\
             <span class=\"share\" style=\"width:{share}\"></span></td></tr>",
            safe_text(label, 60),
            group_thousands(*count as i64),
        );
    }
    if let Some(more) = entries
        .get(BREAKDOWN_ROWS..)
        .filter(|more| !more.is_empty())
    {
        let rest: usize = more.iter().map(|(_, c)| c).sum();
        let _ = writeln!(
            page,
            "<tr><td>… {} more</td><td class=\"num\">{}</td><td></td></tr>",
            more.len(),
            group_thousands(rest as i64)
        );
    }
    page.push_str("</tbody>\n</table>\n");
}

fn write_records(page: &mut String, records: &[ExportRecord]) {
    page.push_str(
        "<h2>All matched datasets</h2>\n<table class=\"records\">\n<thead><tr>\
         <th class=\"num\">#</th><th>Dataset</th><th class=\"num\">Score</th>\
         <th class=\"num\">Relevance</th><th class=\"num\">Quality</th>\
         <th class=\"num\">Avg turns</th><th>Format</th><th class=\"num\">Downloads</th>\
         <th>Licence</th></tr></thead>\n<tbody>\n",
    );
    for (i, r) in records.iter().enumerate() {
        let id = safe_text(&r.id, MAX_ID_CHARS);
        let name = match dataset_url(&r.id) {
            Some(url) => format!(
                "<a href=\"{}\" rel=\"noopener noreferrer\">{id}</a>",
                escape(&url)
            ),
            None => id,
        };
        let description = safe_text(&r.description, MAX_DESCRIPTION_CHARS);
        let description = if description.is_empty() {
            String::new()
        } else {
            format!("<div class=\"desc\">{description}</div>")
        };
        let _ = writeln!(
            page,
            "<tr><td class=\"num\">{}</td><td>{name}{description}</td><td class=\"num\">{}</td>\
             <td class=\"num\">{:.2}</td><td class=\"num\">{:.2}</td><td class=\"num\">{}</td>\
             <td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            i + 1,
            r.score
                .map_or_else(|| "?".to_string(), |s| format!("{s:.3}")),
            r.therapeutic_relevance,
            r.quality_score,
            measured_turns(r).map_or_else(|| "?".to_string(), |t| format!("{t:.1}")),
            r.conversation_format
                .as_deref()
                .map_or_else(|| "?".to_string(), |f| safe_text(f, 40)),
            group_thousands(r.downloads),
            r.license
                .as_deref()
                .map_or_else(|| "unknown".to_string(), |l| safe_text(l, 60)),
        );
    }
    page.push_str("</tbody>\n</table>\n");
}

#[cfg(test)]
mod tests;
