//! Unit tests of the report numbers and the text layout.

use super::fixtures::{record, six_records};
use super::*;
use chrono::TimeZone;

fn input(records: &[ExportRecord]) -> ReportInput<'_> {
    ReportInput {
        records,
        query: "cbt therapy",
        filters_description: "min turns 5",
        generated_at: chrono::Utc.with_ymd_and_hms(2025, 3, 4, 5, 6, 7).unwrap(),
        catalog_size: 12_345,
    }
}

fn pairs(list: &[(&str, usize)]) -> Vec<(String, usize)> {
    list.iter().map(|(l, c)| (l.to_string(), *c)).collect()
}

#[test]
fn summary_numbers_of_six_records() {
    let records = six_records();
    let s = summarize(&input(&records));
    assert_eq!(s.total, 6);
    assert_eq!(s.with_turns, 4);
    // (25 + 12 + 3 + 40) / 4: the two records without figures are ignored, not counted as 0.
    assert_eq!(s.average_turns, Some(20.0));
    assert_eq!(s.longest, Some(("eps/five".to_string(), 40.0)));
    assert_eq!((s.quality_high, s.quality_medium, s.quality_low), (2, 2, 2));
    assert_eq!(
        s.licenses,
        pairs(&[
            ("mit", 2),
            ("unknown", 2),
            ("apache-2.0", 1),
            ("cc-by-4.0", 1)
        ])
    );
    assert_eq!(
        s.languages,
        pairs(&[("en", 4), ("de", 1), ("fr", 1), ("unknown", 1)])
    );
    assert_eq!(
        s.formats,
        pairs(&[
            ("multi_turn", 2),
            ("unknown turns", 2),
            ("medium_turn", 1),
            ("single_turn", 1)
        ])
    );
}

#[test]
fn longest_prefers_the_better_ranked_on_ties_and_skips_nan() {
    let mut a = record("a/first");
    a.avg_turns = Some(30.0);
    let mut b = record("b/second");
    b.avg_turns = Some(30.0);
    let mut c = record("c/nan");
    c.avg_turns = Some(f64::NAN);
    let records = vec![c, a, b];
    let s = summarize(&input(&records));
    assert_eq!(s.longest, Some(("a/first".to_string(), 30.0)));
    assert_eq!(s.with_turns, 2);
    assert_eq!(s.average_turns, Some(30.0));
}

#[test]
fn summary_of_nothing() {
    let s = summarize(&input(&[]));
    assert_eq!(s.total, 0);
    assert_eq!(s.with_turns, 0);
    assert_eq!(s.average_turns, None);
    assert_eq!(s.longest, None);
    assert!(s.licenses.is_empty() && s.languages.is_empty() && s.formats.is_empty());
}

#[test]
fn text_report_has_the_headline_numbers_and_breakdowns() {
    let records = six_records();
    let inp = input(&records);
    let text = render_text(&inp, &summarize(&inp));
    assert!(text.starts_with(REPORT_TITLE));
    for expected in [
        "Generated:    2025-03-04 05:06:07 UTC",
        "Query:        \"cbt therapy\"",
        "Filters:      min turns 5",
        "Catalog size: 12,345 datasets",
        "Total datasets:     6",
        "With turn figures:  4 (66.7%)",
        "Average turns:      20.0 (over 4 datasets with figures)",
        "Longest dataset:    eps/five (40.0 avg turns)",
        "  High (>= 0.7)          2   33.3%",
        "  Medium (0.4-0.7)       2   33.3%",
        "  Low (< 0.4)            2   33.3%",
        "  mit              2   33.3%",
        "  unknown          2   33.3%",
        "  en            4   66.7%",
        "  unknown turns       2   33.3%",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn text_report_lists_the_top_ten_with_score_turns_downloads_and_url() {
    let mut records = six_records();
    for i in 0..6 {
        let mut extra = record(&format!("more/extra-{i}"));
        extra.score = Some(0.05 - i as f64 * 0.001);
        records.push(extra);
    }
    let inp = input(&records);
    let text = render_text(&inp, &summarize(&inp));
    for expected in [
        "Top 10 datasets:",
        "  1. alpha/one\n     Score: 0.950 | Turns: 25.0 (multi_turn) | Downloads: 12,345\n",
        "     Counseling sessions between a therapist and a client.\n",
        "     URL: https://huggingface.co/datasets/alpha/one\n",
        "  2. beta/two\n     Score: 0.900 | Turns: ? | Downloads: 10\n",
        "  4. delta/four\n     Score: 0.500 | Turns: 3.0 (single_turn) | Downloads: 1,000,000\n",
        " 10. more/extra-3\n",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    assert!(
        !text.contains(" 11. "),
        "only ten datasets are listed:\n{text}"
    );
    assert!(!text.contains("more/extra-4"));
}

#[test]
fn text_report_carries_no_escape_sequences() {
    let mut records = six_records();
    records[0].id = "evil/\u{1b}]8;;http://evil\u{1b}\\id\u{1b}]8;;\u{1b}\\".into();
    records[0].license = Some("mit\u{1b}[31m".into());
    records[1].languages = vec!["e\u{7}n".into()];
    let mut inp = input(&records);
    inp.query = "q\u{1b}[2J";
    let text = render_text(&inp, &summarize(&inp));
    assert!(!text.contains('\u{1b}'), "ESC in\n{text:?}");
    assert!(
        text.chars().all(|c| c == '\n' || !c.is_control()),
        "control character in\n{text:?}"
    );
    assert!(!text.contains("http://evil"));
    assert!(text.contains("     Clears the screen and links x away\n"));
    assert!(text.contains("  1. evil/id\n"));
}

#[test]
fn text_report_of_nothing_says_so() {
    let mut inp = input(&[]);
    inp.query = "";
    inp.filters_description = "";
    let text = render_text(&inp, &summarize(&inp));
    assert!(text.contains("No datasets matched."));
    assert!(text.contains("Query:        (none: all datasets)"));
    assert!(text.contains("Filters:      none"));
    assert!(!text.contains("Top "));
}

#[test]
fn long_breakdowns_are_cut_with_a_remainder_line() {
    let records: Vec<ExportRecord> = (0..12)
        .map(|i| {
            let mut r = record(&format!("o/n{i}"));
            r.license = Some(format!("lic-{i:02}"));
            r
        })
        .collect();
    let inp = input(&records);
    let text = render_text(&inp, &summarize(&inp));
    assert!(text.contains("  lic-09       1    8.3%"), "{text}");
    assert!(!text.contains("lic-10"));
    assert!(text.contains("  ... and 2 more (2 in all)"));
}
