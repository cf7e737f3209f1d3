//! Property tests of the renderers on records holding arbitrary Unicode: the table, CSV, JSON
//! and the text and HTML reports never panic, never let an escape sequence through to a
//! terminal, and CSV always parses back to one row per record.

use super::record::ExportRecord;
use super::report::{render_text, summarize, ReportInput};
use crate::test_support::{cases, hostile_text};
use proptest::prelude::*;

fn record() -> impl Strategy<Value = ExportRecord> {
    (
        hostile_text(),
        hostile_text(),
        hostile_text(),
        prop::option::of(0.0f64..500.0),
    )
        .prop_map(|(description, license, tag, turns)| {
            let mut r = super::report::fixtures::record("org/data-set");
            r.description = description;
            r.license = Some(license);
            r.tags = vec![tag.clone()];
            r.languages = vec![tag];
            r.avg_turns = turns;
            r.avg_turns_lower_bound = turns.map(|t| t / 2.0);
            r
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn renderers_never_panic_or_leak_escapes(records in prop::collection::vec(record(), 0..4), query in hostile_text(), width in 0usize..200) {
        let table = super::table::render(&records, 0, &query, width, false);
        prop_assert!(!table.contains('\x1b'), "escape in the table");
        let csv = super::csv::render(&records);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        prop_assert_eq!(reader.records().count(), records.len());
        for r in &records {
            let json = crate::sanitize::json_terminal_safe(serde_json::to_string(r).unwrap_or_default());
            prop_assert!(!json.contains('\u{9b}'), "C1 CSI in JSON");
        }
        let input = ReportInput {
            records: &records,
            query: &query,
            filters_description: &query,
            generated_at: chrono::DateTime::UNIX_EPOCH,
            catalog_size: records.len() as i64,
        };
        let summary = summarize(&input);
        let text = render_text(&input, &summary);
        prop_assert!(!text.contains('\x1b'), "escape in the report");
        let html = super::html::render_html(&input, &summary);
        prop_assert!(!html.contains("<script"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    /// Wide enough for every fixed column, the table fits the terminal by display width (CJK
    /// and emoji are two columns) and the description column starts at the same column on
    /// every line.
    #[test]
    fn the_table_fits_its_width_and_keeps_its_columns(mut records in prop::collection::vec(record(), 1..5), query in hostile_text(), width in 120usize..220) {
        for r in &mut records {
            r.description = "DESCRIPTION of the data".to_string();
        }
        let table = super::table::render(&records, 0, &query, width, false);
        let width_of = |s: &str| unicode_width::UnicodeWidthStr::width(s);
        let lines: Vec<&str> = table.lines().collect();
        prop_assert_eq!(lines.len(), records.len() + 1);
        for line in &lines {
            prop_assert!(width_of(line) <= width, "{} > {width}: {line:?}", width_of(line));
        }
        let header = lines.first().copied().unwrap_or_default();
        let column = header.find("description").map(|at| width_of(header.get(..at).unwrap_or_default()));
        prop_assert!(column.is_some());
        for line in lines.iter().skip(1) {
            let at = line.find("DESCRIPTION");
            prop_assert!(at.is_some(), "{line:?}");
            let before = width_of(line.get(..at.unwrap_or(0)).unwrap_or_default());
            prop_assert_eq!(Some(before), column, "{:?}", line);
        }
    }
}
