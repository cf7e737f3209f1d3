//! Tests of the file readers: cut prefixes of every format, and arbitrary bytes never panic.

use super::*;
use crate::turns::analyze_sample;

fn rows(format: FileFormat, text: &str, complete: bool) -> FileRows {
    read_rows(format, text.as_bytes(), complete, 0)
}

fn avg(rows: &[SampleRow], whole: bool) -> Option<(f64, u32, bool)> {
    let stats = analyze_sample(rows, whole)?.stats()?;
    Some((stats.avg, stats.conversations, stats.exact))
}

const CONV: &str = r#"{"messages": [{"role": "system", "content": "You are a counselor."}, {"role": "user", "content": "I feel anxious."}, {"role": "assistant", "content": "Tell me more."}, {"role": "user", "content": "Work, mostly."}]}"#;

#[test]
fn json_lines_prefix_drops_the_cut_line() {
    let text = format!("{CONV}\n{CONV}\n{}", &CONV[..40]);
    let read = rows(FileFormat::JsonLines, &text, false);
    assert_eq!(read.rows.len(), 2);
    assert!(read.cut);
    assert_eq!(avg(&read.rows, false), Some((3.0, 1, true)));
    // A prefix that ends on a newline is not cut inside a line.
    let read = rows(FileFormat::JsonLines, &format!("{CONV}\r\n"), false);
    assert_eq!((read.rows.len(), read.cut), (1, false));
}

#[test]
fn json_array_prefix_keeps_complete_elements() {
    let text = format!("[\n  {CONV},\n  {CONV},\n  {}", &CONV[..60]);
    let read = rows(FileFormat::Json, &text, false);
    assert_eq!((read.rows.len(), read.cut), (2, true));
    let whole = format!("[{CONV}, {CONV}]");
    let read = rows(FileFormat::Json, &whole, true);
    assert_eq!((read.rows.len(), read.cut), (2, false));
}

#[test]
fn json_object_containers() {
    let wrapped = format!(r#"{{"version": "1.0", "data": [{CONV}, {CONV}, {CONV}]}}"#);
    assert_eq!(rows(FileFormat::Json, &wrapped, true).rows.len(), 3);
    let cut = format!(
        r#"{{"version": "1.0", "data": [{CONV}, {CONV}, {}"#,
        &CONV[..30]
    );
    let read = rows(FileFormat::Json, &cut, false);
    assert_eq!((read.rows.len(), read.cut), (2, true));
    let keyed = format!(r#"{{"d1": {CONV}, "d2": {CONV}}}"#);
    assert_eq!(rows(FileFormat::Json, &keyed, true).rows.len(), 2);
    // One conversation object: one row.
    let read = rows(FileFormat::Json, CONV, true);
    assert_eq!(read.rows.len(), 1);
    assert_eq!(avg(&read.rows, true), Some((3.0, 1, true)));
}

#[test]
fn message_records_are_one_conversation_per_file() {
    let file = r#"[{"role": "client", "content": "你好"}, {"role": "counselor", "content": "你好，请说。"},
        {"role": "client", "content": "我睡不着。"}, {"role": "counselor", "content": "多久了？"}]"#;
    let read = rows(FileFormat::Json, file, true);
    assert_eq!(read.unit, FileUnit::WholeFile);
    assert_eq!(avg(&read.rows, true), Some((4.0, 1, true)));
    // Cut: the one conversation is a lower bound.
    let cut = &file[..file.find("我睡不着").unwrap_or(file.len())];
    let read = rows(FileFormat::Json, cut, false);
    let (turns, _, exact) = avg(&read.rows, false).unwrap();
    assert_eq!((turns, exact), (2.0, false));
}

#[test]
fn csv_with_quoted_newlines_and_tsv() {
    let csv = "questionTitle,questionText,answerText\r\n\"Sad\",\"I feel low,\nevery day\",\"That sounds hard.\nLet's talk.\"\r\nx,\"Can't sleep\",\"How long?\"\r\ny,\"cut";
    let read = rows(FileFormat::Csv, csv, false);
    assert_eq!(read.rows.len(), 2);
    assert_eq!(avg(&read.rows, false), Some((2.0, 2, true)));
    let tsv = "question\tanswer\r\nما هو القلق؟\tالقلق شعور, طبيعي\r\nكيف أنام؟\tجرب روتينا\r\n";
    let read = rows(FileFormat::Tsv, tsv, true);
    assert_eq!(read.rows.len(), 2);
    assert_eq!(read.rows[0].row.len(), 2);
    // A .csv that is tab separated is sniffed.
    assert_eq!(rows(FileFormat::Csv, tsv, true).rows[1].row.len(), 2);
}

#[test]
fn utterance_rows_grouped_across_a_prefix() {
    let mut csv = String::from("conversation_id,speaker,utterance\n");
    for (id, turns) in [(1, 4), (2, 6), (3, 5)] {
        for t in 0..turns {
            let who = if t % 2 == 0 { "client" } else { "therapist" };
            csv.push_str(&format!("c{id},{who},utterance {t} of {id}\n"));
        }
    }
    let whole = rows(FileFormat::Csv, &csv, true);
    assert_eq!(avg(&whole.rows, true), Some((5.0, 3, true)));
    // Cut inside the last conversation: it is left out, the complete ones count.
    let cut_at = csv.find("utterance 3 of 3").unwrap_or(csv.len());
    let cut = rows(FileFormat::Csv, &csv[..cut_at], false);
    assert_eq!(avg(&cut.rows, false), Some((5.0, 2, true)));
}

#[test]
fn segment_rows_of_one_turn_count_once() {
    let csv = "dialog_id,turn,author,text\nd1,1,speaker,My question\nd1,2,listener,First part\nd1,2,listener,second part\nd1,2,listener,third\nd2,1,speaker,Q2\nd2,2,listener,A2\n";
    let read = rows(FileFormat::Csv, csv, true);
    assert_eq!(avg(&read.rows, true), Some((2.0, 2, true)));
}

#[test]
fn text_transcripts_split_at_separators() {
    let text = "Counselor: Hello.\r\n\r\nClient: Hi.\r\n\r\nCounselor: How are you?\r\n=====\r\nCounselor: Welcome back.\r\nClient: Thanks.\r\n=====\r\n";
    let read = rows(FileFormat::Text, text, true);
    assert_eq!(read.rows.len(), 2);
    assert_eq!(avg(&read.rows, true), Some((2.5, 2, true)));
    let one_line = "第1轮对话：\\n求助者：我很累。\\n支持者：听起来你很辛苦。\\n第2轮对话：\\n求助者：是的。\\n支持者：我们聊聊吧。";
    let read = rows(FileFormat::Text, one_line, true);
    assert_eq!(avg(&read.rows, true), Some((4.0, 1, true)));
}

#[test]
fn cut_utf8_and_bom_are_handled() {
    let text = "\u{feff}{\"messages\": [\"a\"]}\n{\"text\": \"心理";
    let bytes = text.as_bytes();
    let read = read_rows(FileFormat::JsonLines, &bytes[..bytes.len() - 1], false, 0);
    assert_eq!(read.rows.len(), 1);
}

mod properties {
    use super::*;
    use crate::test_support::{cases, hostile_text};
    use proptest::prelude::*;

    const FORMATS: [FileFormat; 5] = [
        FileFormat::JsonLines,
        FileFormat::Json,
        FileFormat::Csv,
        FileFormat::Tsv,
        FileFormat::Text,
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases()))]

        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), complete: bool) {
            for format in FORMATS {
                let read = read_rows(format, &bytes, complete, 0);
                let _ = analyze_sample(&read.rows, !read.cut);
            }
        }

        #[test]
        fn hostile_text_and_cut_prefixes_never_panic(text in hostile_text(), cut in 0usize..400) {
            let bytes = text.as_bytes();
            let prefix = bytes.get(..cut.min(bytes.len())).unwrap_or(bytes);
            for format in FORMATS {
                let read = read_rows(format, prefix, false, 0);
                let _ = analyze_sample(&read.rows, false);
            }
        }

        #[test]
        fn a_cut_prefix_never_has_more_rows_than_the_whole(n in 1usize..20, cut in 0usize..2000) {
            let whole: String = (0..n).map(|_| format!("{CONV}\n")).collect();
            let end = cut.min(whole.len());
            let read = read_rows(FileFormat::JsonLines, whole.as_bytes().get(..end).unwrap_or(b""), false, 0);
            prop_assert!(read.rows.len() <= n);
            for row in &read.rows {
                prop_assert!(row.row.contains_key("messages"));
            }
        }
    }
}
