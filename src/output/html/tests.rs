//! Unit tests of the HTML report page and its charts.

use super::charts::{short_label, turn_bucket, TURN_BUCKETS};
use super::*;
use crate::output::report::fixtures::{record, six_records};
use crate::output::report::summarize;
use chrono::TimeZone;

fn page_of(records: &[ExportRecord]) -> String {
    let input = ReportInput {
        records,
        query: "grief <b>counseling</b>",
        filters_description: "licence mit & apache",
        generated_at: chrono::Utc.with_ymd_and_hms(2025, 3, 4, 5, 6, 7).unwrap(),
        catalog_size: 1_234_567,
    };
    render_html(&input, &summarize(&input))
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

#[test]
fn page_is_self_contained_with_csp_and_charset() {
    let page = page_of(&six_records());
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<meta charset=\"utf-8\">"));
    assert!(page.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:;"
    ));
    assert!(page.contains(&format!("<title>{REPORT_TITLE}</title>")));
    assert!(!page.to_lowercase().contains("<script"));
    assert!(!page.contains("src="), "nothing is loaded from anywhere");
    assert!(!page.contains("url(") && !page.contains("@import"));
    assert_eq!(
        count(&page, "href=\"http"),
        count(&page, "href=\"https://huggingface.co/datasets/")
    );
    assert_eq!(count(&page, "href="), 6, "one link per dataset");
    assert!(page.trim_end().ends_with("</html>"));
}

#[test]
fn page_has_exactly_three_charts() {
    let page = page_of(&six_records());
    assert_eq!(count(&page, "<svg"), 3);
    assert_eq!(count(&page, "</svg>"), 3);
}

#[test]
fn header_and_cards_show_the_summary_numbers() {
    let page = page_of(&six_records());
    for expected in [
        "<dd>&quot;grief &lt;b&gt;counseling&lt;/b&gt;&quot;</dd>",
        "<dd>licence mit &amp; apache</dd>",
        "<dd>2025-03-04 05:06:07 UTC</dd>",
        "<dd>6 of 1,234,567 datasets in the catalog</dd>",
        "<span class=\"value\">6</span><span class=\"label\">datasets matched</span>",
        "<span class=\"value\">4</span><span class=\"label\">with turn figures (66.7%)</span>",
        "<span class=\"value\">20.0</span>",
        "<span class=\"value\">eps/five</span><span class=\"label\">longest: 40.0 avg turns</span>",
        "<div class=\"card high\"><span class=\"value\">2</span>",
        "<div class=\"card medium\"><span class=\"value\">2</span>",
        "<div class=\"card low\"><span class=\"value\">2</span>",
    ] {
        assert!(page.contains(expected), "missing {expected:?}");
    }
}

#[test]
fn breakdowns_and_record_rows() {
    let page = page_of(&six_records());
    for expected in [
        "<tr><td>mit</td><td class=\"num\">2</td><td class=\"num\">33.3%",
        "<tr><td>en</td><td class=\"num\">4</td><td class=\"num\">66.7%",
        "<tr><td>unknown turns</td><td class=\"num\">2</td>",
        "<tr><td class=\"num\">1</td><td><a href=\"https://huggingface.co/datasets/alpha/one\" \
         rel=\"noopener noreferrer\">alpha/one</a>",
        "<td class=\"num\">0.950</td><td class=\"num\">0.80</td><td class=\"num\">0.90</td>\
         <td class=\"num\">25.0</td><td>multi_turn</td><td class=\"num\">12,345</td><td>mit</td>",
        "<td class=\"num\">0.900</td><td class=\"num\">0.60</td><td class=\"num\">0.70</td>\
         <td class=\"num\">?</td><td>?</td><td class=\"num\">10</td><td>unknown</td>",
        "<td class=\"num\">1,000,000</td>",
    ] {
        assert!(page.contains(expected), "missing {expected:?}");
    }
}

#[test]
fn hostile_names_and_descriptions_are_escaped() {
    let mut records = six_records();
    records[1].id = "x/<script>alert(1)</script>".into();
    records[2].description = "<script>alert('d')</script> & \"q\" <img src=x onerror=y>".into();
    records[3].id = "evil/\"onmouseover=\"x".into();
    let page = page_of(&records);
    assert!(!page.to_lowercase().contains("<script"));
    assert!(!page.contains("<img"));
    assert!(page.contains("x/&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains(
        "&lt;script&gt;alert(&#39;d&#39;)&lt;/script&gt; &amp; &quot;q&quot; &lt;img src=x onerror=y&gt;"
    ));
    // Ids with characters outside [A-Za-z0-9._-] are shown, never linked.
    assert!(!page.contains("datasets/x/"));
    assert!(!page.contains("datasets/evil"));
    assert!(page.contains("evil/&quot;onmouseover=&quot;x"));
    assert_eq!(count(&page, "href="), 4);
    // The OSC 8 link and CSI of the fixture's description are gone.
    assert!(!page.contains('\u{1b}'));
    assert!(!page.contains("http://evil"));
    assert!(page.contains("Clears the screen and links x away"));
}

#[test]
fn only_plain_hub_ids_become_urls() {
    assert_eq!(
        dataset_url("Owner-1/name_2.v3").as_deref(),
        Some("https://huggingface.co/datasets/Owner-1/name_2.v3")
    );
    assert_eq!(
        dataset_url("squad").as_deref(),
        Some("https://huggingface.co/datasets/squad")
    );
    for bad in [
        "", "a/b/c", "../x", "a/..", "a/", "/a", "a b/c", "a/ü", "a/b?x=1", "a/b#f", "a\\b",
    ] {
        assert_eq!(dataset_url(bad), None, "{bad:?}");
    }
}

#[test]
fn histogram_buckets_turns() {
    assert_eq!(
        [
            None,
            Some(0.5),
            Some(4.99),
            Some(5.0),
            Some(19.9),
            Some(20.0),
            Some(39.9),
            Some(40.0)
        ]
        .map(turn_bucket),
        [5, 0, 0, 1, 2, 3, 3, 4]
    );
    assert_eq!(turn_bucket(Some(f64::NAN)), 5);
    let page = page_of(&six_records());
    let expected = [1, 0, 1, 1, 1, 2];
    for (label, n) in TURN_BUCKETS.iter().zip(expected) {
        let title = format!("<title>{label} turns: {n} datasets</title>");
        assert!(page.contains(&title), "missing {title}");
    }
}

#[test]
fn scatter_has_one_dot_per_dataset() {
    let records = six_records();
    let page = page_of(&records);
    assert_eq!(count(&page, "<circle "), records.len());
    assert!(page.contains(
        "<circle class=\"dot high\" cx=\"410.0\" cy=\"40.0\" r=\"5\"><title>alpha/one: \
         relevance 0.80, quality 0.90</title></circle>"
    ));
    assert!(page.contains("<title>zeta/six: relevance 0.05, quality 0.00</title>"));
}

#[test]
fn score_bars_show_the_best_fifteen() {
    let records: Vec<ExportRecord> = (0..20)
        .map(|i| {
            let mut r = record(&format!("o/d{i:02}"));
            r.score = Some(1.0 - i as f64 * 0.04);
            r
        })
        .collect();
    let page = page_of(&records);
    assert!(page.contains("<figcaption>Top 15 datasets by score</figcaption>"));
    assert_eq!(count(&page, "<rect class=\"bar\" x=\"290\""), 15);
    assert!(page.contains("<title>o/d14: score 0.440</title>"));
    assert!(!page.contains("<title>o/d15: score"));
    assert!(page.contains("width=\"300.0\" height=\"16.8\"><title>o/d00: score 1.000</title>"));
}

#[test]
fn empty_input_makes_a_page_saying_nothing_matched() {
    let page = page_of(&[]);
    assert!(page.contains(&format!("<h1>{REPORT_TITLE}</h1>")));
    assert!(page.contains("No datasets matched"));
    assert!(page.contains("<dd>0 of 1,234,567 datasets in the catalog</dd>"));
    assert_eq!(count(&page, "<svg"), 0);
    assert_eq!(count(&page, "<table"), 0);
    assert!(page.trim_end().ends_with("</html>"));
}

#[test]
fn bar_labels_keep_the_dataset_name() {
    assert_eq!(short_label("owner/name", 36), "owner/name");
    assert_eq!(
        short_label("a-very-long-owner-name/dataset-23", 20),
        "a-very-l…/dataset-23"
    );
    assert_eq!(
        short_label("o/a-name-that-is-far-too-long-to-fit", 12),
        "…long-to-fit"
    );
    assert_eq!(short_label("no-slash-but-long", 8), "…ut-long");
    for (id, max) in [
        ("a-very-long-owner-name/dataset-23", 20),
        ("x/yyyyyyyyyyyyyyyyyyyy", 10),
    ] {
        assert_eq!(short_label(id, max).chars().count(), max, "{id}");
    }
}
