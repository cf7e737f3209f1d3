//! The real eval-dev layout files: every layout detected, every per-row count equal to truth.

use super::{analyze_file, load, turns};
use crate::turns::Layout;
use serde_json::Value;

const DIR: &str = "eval-dev/layouts";

/// The truth.jsonl line for `file`.
fn truth(file: &str) -> Value {
    let path = format!(
        "{}/tests/fixtures/{DIR}/truth.jsonl",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|v| v["file"] == file)
        .unwrap_or_else(|| panic!("no truth for {file}"))
}

fn truth_turns(file: &str) -> Vec<u32> {
    truth(file)["turns_per_row"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| u32::try_from(v.as_u64().unwrap()).unwrap())
        .collect()
}

/// Checks layout, counted columns and per-row counts of a row-based eval-dev file.
fn check(file: &str, layout: Layout, columns: &[&str]) -> crate::turns::TurnAnalysis {
    let analysis = analyze_file(&format!("{DIR}/{file}"));
    assert_eq!(analysis.layout, layout, "{file}");
    assert_eq!(analysis.columns, columns, "{file}");
    assert_eq!(turns(&analysis), truth_turns(file), "{file}");
    let row_idx: Vec<i64> = load(&format!("{DIR}/{file}"))
        .iter()
        .map(|r| r.row_idx)
        .collect();
    let counted: Vec<i64> = analysis.rows.iter().map(|r| r.row_idx).collect();
    assert_eq!(counted, row_idx, "{file}: every row counted, in order");
    assert!(analysis.truncated_rows.is_empty(), "{file}");
    assert!(analysis.rows.iter().all(|r| !r.lower_bound), "{file}");
    analysis
}

#[test]
fn synthetic_persona_chat_transcripts() {
    let analysis = check(
        "google__Synthetic-Persona-Chat.json",
        Layout::Transcript,
        &["Best Generated Conversation"],
    );
    let stats = analysis.stats().unwrap();
    assert_eq!(stats.conversations, 7);
    assert_eq!((stats.min, stats.max), (14, 36));
    assert!(stats.exact);
    // Every line alternates User 1 / User 2: switches = turns - 1.
    for row in &analysis.rows {
        assert_eq!(row.speaker_switches, row.turns - 1, "row {}", row.row_idx);
    }
}

#[test]
fn dream_string_list_deduplicated_by_dialogue_id() {
    let analysis = check("dataset-org__dream.json", Layout::StringList, &["dialogue"]);
    assert_eq!(analysis.dedupe_by.as_deref(), Some("dialogue_id"));
    assert_eq!(analysis.group_by, None);
    let keys: Vec<&str> = analysis
        .conversations
        .iter()
        .map(|c| c.key.as_str())
        .collect();
    assert_eq!(keys, ["5-510", "7-200", "12-511", "16-83", "5-231"]);
    let stats = analysis.stats().unwrap();
    assert_eq!(stats.conversations, 5);
    assert!((stats.avg - 16.0 / 5.0).abs() < 1e-9);
    assert_eq!(stats.median, 2.0);
}

#[test]
fn c3_chinese_prefixes() {
    let analysis = check("dataset-org__c3.json", Layout::StringList, &["documents"]);
    let switches: Vec<u32> = analysis.rows.iter().map(|r| r.speaker_switches).collect();
    assert_eq!(switches, [1, 1, 1, 1, 3, 3]);
}

#[test]
fn dialog_re_multiparty() {
    let analysis = check(
        "dataset-org__dialog_re.json",
        Layout::StringList,
        &["dialog"],
    );
    // "no two consecutive items by the same speaker in these rows"
    for row in &analysis.rows {
        assert_eq!(row.speaker_switches, row.turns - 1);
    }
}

#[test]
fn hh_rlhf_counts_one_of_chosen_and_rejected() {
    let analysis = check("Anthropic__hh-rlhf.json", Layout::Transcript, &["chosen"]);
    assert_eq!(analysis.alternate_columns, ["rejected"]);
}

#[test]
fn llamafactory_sharegpt_with_tool_messages() {
    let analysis = check(
        "llamafactory__demo_data.json",
        Layout::ShareGpt,
        &["conversations"],
    );
    // Row 3: human -> function_call -> observation -> gpt, three times. The call is made by the
    // assistant and the observation is a tool message, so the speakers run
    // user, assistant, tool, assistant, ... and every adjacent pair differs.
    let row3 = &analysis.rows[3];
    assert_eq!((row3.turns, row3.speaker_switches), (12, 11));
    // Row 1: human, gpt, human, gpt, ... with no tool messages.
    assert_eq!(analysis.rows[1].speaker_switches, 9);
}

#[test]
fn silicone_utterance_per_row() {
    let file = "eusip__silicone.json";
    let analysis = analyze_file(&format!("{DIR}/{file}"));
    assert_eq!(analysis.layout, Layout::UtterancePerRow);
    assert_eq!(analysis.group_by.as_deref(), Some("Dialogue_ID"));
    assert_eq!(analysis.columns, ["Utterance", "Speaker"]);
    assert!(analysis.rows.is_empty());
    let expected = truth(file)["conversations"].clone();
    let found: Vec<(String, u32, bool)> = analysis
        .conversations
        .iter()
        .map(|c| (c.key.clone(), c.turns, c.complete))
        .collect();
    assert_eq!(found.len(), expected.as_object().unwrap().len());
    for (key, turns, _) in &found {
        assert_eq!(
            u64::from(*turns),
            expected[key].as_u64().unwrap(),
            "dialogue {key}"
        );
    }
    assert_eq!(
        found,
        [("0".to_string(), 14, true), ("1".to_string(), 6, false)]
    );
    // Dialogue 1 has two consecutive Joey utterances: 6 turns, 4 switches.
    assert_eq!(analysis.conversations[1].speaker_switches, 4);
    let stats = analysis.stats().unwrap();
    assert_eq!((stats.conversations, stats.min, stats.max), (1, 14, 14));
    assert!(stats.exact);
}
