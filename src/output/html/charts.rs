//! The report's three charts as inline SVG, drawn by hand: a histogram of average turns, a
//! relevance-vs-quality scatter plot and a bar chart of the best scores.
//!
//! Each function returns one `<figure>` holding one `<svg>`. Colours come from CSS classes of the
//! page (`bar`, `dot`, `high`, ...), so the charts follow its light or dark theme. Labels are
//! untrusted ids: they are cleaned and escaped like all other text.
//!
//! Drawn by hand rather than with a plotting crate: those render whole images with their own
//! styling and fonts, while three small inline charts that take the page's CSS theme are a few
//! hundred lines of SVG text.

use super::{escape, safe_text};
use crate::output::record::ExportRecord;
use crate::output::report::{measured_turns, QUALITY_HIGH, QUALITY_MEDIUM};
use crate::sanitize::clean_line;
use std::fmt::Write as _;

/// Histogram bucket labels, in order; the last one holds datasets without turn figures.
pub const TURN_BUCKETS: [&str; 6] = ["1–4", "5–9", "10–19", "20–39", "40+", "unknown"];

/// How many datasets the score bar chart shows.
pub const TOP_BARS: usize = 15;

/// Longest bar label of the score chart (the full id is in the bar's tooltip).
const BAR_LABEL_CHARS: usize = 36;

/// An id cut to `max_chars` keeping what tells datasets apart: the name after `/` stays whole
/// when it fits (the owner is shortened with `…`), otherwise the end of the name is kept.
pub fn short_label(id: &str, max_chars: usize) -> String {
    let length = id.chars().count();
    if length <= max_chars || max_chars < 2 {
        return id.chars().take(max_chars).collect();
    }
    let (owner, name) = id.rsplit_once('/').unwrap_or(("", id));
    let name_chars = name.chars().count();
    if !owner.is_empty() && name_chars + 2 < max_chars {
        let owner_keep = max_chars - name_chars - 2;
        let owner_head: String = owner.chars().take(owner_keep).collect();
        format!("{owner_head}…/{name}")
    } else {
        let tail: String = id.chars().skip(length - (max_chars - 1)).collect();
        format!("…{tail}")
    }
}

/// The histogram bucket (index into [`TURN_BUCKETS`]) of an average turn count.
pub fn turn_bucket(avg_turns: Option<f64>) -> usize {
    match avg_turns.filter(|t| t.is_finite()) {
        None => 5,
        Some(t) if t < 5.0 => 0,
        Some(t) if t < 10.0 => 1,
        Some(t) if t < 20.0 => 2,
        Some(t) if t < 40.0 => 3,
        Some(_) => 4,
    }
}

/// The CSS class of a quality score's bucket.
fn quality_class(quality: f64) -> &'static str {
    if quality >= QUALITY_HIGH {
        "high"
    } else if quality >= QUALITY_MEDIUM {
        "medium"
    } else {
        "low"
    }
}

/// A value clamped into [0, 1] (non-numbers count as 0).
fn unit(value: f64) -> f64 {
    if value.is_finite() {
        value.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Opens a figure with a caption and an SVG of the given size.
fn open_figure(out: &mut String, caption: &str, width: u32, height: u32) {
    let _ = write!(
        out,
        "<figure>\n<figcaption>{caption}</figcaption>\n\
         <svg viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" \
         aria-label=\"{caption}\">\n"
    );
}

fn close_figure(out: &mut String) {
    out.push_str("</svg>\n</figure>\n");
}

/// Vertical bars: how many datasets fall in each average-turns bucket.
pub fn turns_histogram(records: &[ExportRecord]) -> String {
    let mut counts = [0usize; TURN_BUCKETS.len()];
    for r in records {
        if let Some(count) = counts.get_mut(turn_bucket(measured_turns(r))) {
            *count += 1;
        }
    }
    let (width, height) = (520u32, 270u32);
    let (left, top, plot_w, plot_h) = (44.0, 22.0, 460.0, 200.0);
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    let mut out = String::new();
    open_figure(
        &mut out,
        "Average turns per conversation (datasets per bucket)",
        width,
        height,
    );
    let bottom = top + plot_h;
    for tick in [0, max / 2, max] {
        let y = bottom - plot_h * tick as f64 / max as f64;
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            left + plot_w,
            left - 6.0,
            y + 4.0
        );
    }
    let slot = plot_w / TURN_BUCKETS.len() as f64;
    for (i, (label, count)) in TURN_BUCKETS.iter().zip(counts).enumerate() {
        let bar_h = plot_h * count as f64 / max as f64;
        let x = left + slot * i as f64 + slot * 0.12;
        let center = left + slot * (i as f64 + 0.5);
        let class = if i == TURN_BUCKETS.len() - 1 {
            "bar unknown"
        } else {
            "bar"
        };
        let _ = writeln!(
            out,
            "<rect class=\"{class}\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{bar_h:.1}\">\
             <title>{label} turns: {count} datasets</title></rect>\
             <text x=\"{center:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{count}</text>\
             <text class=\"muted\" x=\"{center:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{label}</text>",
            bottom - bar_h,
            slot * 0.76,
            bottom - bar_h - 5.0,
            bottom + 18.0
        );
    }
    let _ = writeln!(
        out,
        "<line class=\"axis\" x1=\"{left}\" y1=\"{bottom}\" x2=\"{:.1}\" y2=\"{bottom}\"/>\
         <text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">average turns</text>",
        left + plot_w,
        left + plot_w / 2.0,
        bottom + 40.0
    );
    close_figure(&mut out);
    out
}

/// One dot per dataset: therapeutic relevance across, quality up, coloured by quality bucket.
pub fn relevance_quality_scatter(records: &[ExportRecord]) -> String {
    let (width, height) = (520u32, 330u32);
    let (left, top, plot_w, plot_h) = (50.0, 14.0, 450.0, 260.0);
    let bottom = top + plot_h;
    let mut out = String::new();
    open_figure(&mut out, "Therapeutic relevance vs quality", width, height);
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = left + plot_w * tick;
        let y = bottom - plot_h * tick;
        let _ = writeln!(
            out,
            "<line class=\"grid\" x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{bottom}\"/>\
             <line class=\"grid\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"muted\" x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{tick}</text>\
             <text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{tick}</text>",
            left + plot_w,
            bottom + 16.0,
            left - 6.0,
            y + 4.0
        );
    }
    for edge in [QUALITY_MEDIUM, QUALITY_HIGH] {
        let y = bottom - plot_h * edge;
        let _ = writeln!(
            out,
            "<line class=\"edge\" x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\"/>",
            left + plot_w
        );
    }
    // Worst first, so the best-ranked datasets are drawn on top.
    for r in records.iter().rev() {
        let (relevance, quality) = (unit(r.therapeutic_relevance), unit(r.quality_score));
        let _ = writeln!(
            out,
            "<circle class=\"dot {}\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"5\"><title>{}: relevance \
             {relevance:.2}, quality {quality:.2}</title></circle>",
            quality_class(r.quality_score),
            left + plot_w * relevance,
            bottom - plot_h * quality,
            safe_text(&r.id, 120),
        );
    }
    let _ = writeln!(
        out,
        "<line class=\"axis\" x1=\"{left}\" y1=\"{bottom}\" x2=\"{:.1}\" y2=\"{bottom}\"/>\
         <line class=\"axis\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{bottom}\"/>\
         <text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">therapeutic relevance</text>\
         <text class=\"muted\" transform=\"translate(14 {:.1}) rotate(-90)\" \
         text-anchor=\"middle\">quality</text>",
        left + plot_w,
        left + plot_w / 2.0,
        bottom + 38.0,
        top + plot_h / 2.0
    );
    close_figure(&mut out);
    out
}

/// Horizontal bars of the composite score of the best [`TOP_BARS`] datasets.
pub fn top_scores_bars(records: &[ExportRecord]) -> String {
    let mut scored: Vec<(&ExportRecord, f64)> = records
        .iter()
        .filter_map(|r| r.score.filter(|s| s.is_finite()).map(|s| (r, s)))
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    scored.truncate(TOP_BARS);

    let row = 24.0;
    let (label_w, bar_w, top) = (290.0, 300.0, 8.0);
    let width = 660u32;
    let height = (top * 2.0 + row * scored.len().max(1) as f64 + 24.0) as u32;
    let mut out = String::new();
    let caption = format!("Top {} datasets by score", scored.len());
    open_figure(&mut out, &escape(&caption), width, height);
    if scored.is_empty() {
        out.push_str(
            "<text class=\"muted\" x=\"10\" y=\"28\">No dataset has a score (no ranked query).</text>\n",
        );
    }
    for (i, (r, score)) in scored.iter().enumerate() {
        let y = top + row * i as f64;
        let length = bar_w * unit(*score);
        let _ = writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"bar\" x=\"{label_w}\" y=\"{:.1}\" width=\"{length:.1}\" height=\"{:.1}\">\
             <title>{}: score {score:.3}</title></rect>\
             <text x=\"{:.1}\" y=\"{:.1}\">{score:.3}</text>",
            label_w - 8.0,
            y + row * 0.65,
            escape(&short_label(&clean_line(&r.id, 200), BAR_LABEL_CHARS)),
            y + row * 0.15,
            row * 0.7,
            safe_text(&r.id, 120),
            label_w + length + 6.0,
            y + row * 0.65,
        );
    }
    let axis_y = top + row * scored.len().max(1) as f64;
    for tick in [0.0, 0.5, 1.0] {
        let _ = writeln!(
            out,
            "<text class=\"muted\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{tick}</text>",
            label_w + bar_w * tick,
            axis_y + 16.0
        );
    }
    let _ = writeln!(
        out,
        "<line class=\"axis\" x1=\"{label_w}\" y1=\"{top}\" x2=\"{label_w}\" y2=\"{axis_y:.1}\"/>"
    );
    close_figure(&mut out);
    out
}
