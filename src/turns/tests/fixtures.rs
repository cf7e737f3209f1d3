//! Hand-written fixtures (`tests/fixtures/layouts/`) for layouts the eval-dev set lacks.
//! Every expected count below was counted by hand from the fixture text.

use super::{analyze_file, load, turns};
use crate::turns::{analyze, Layout, TurnAnalysis};

fn file(name: &str) -> String {
    format!("layouts/{name}")
}

fn switches(analysis: &TurnAnalysis) -> Vec<u32> {
    analysis.rows.iter().map(|r| r.speaker_switches).collect()
}

fn json_string(inner: Layout) -> Layout {
    Layout::JsonString(Box::new(inner))
}

#[test]
fn role_content_list_with_system_prompt() {
    let a = analyze_file(&file("role_content_counseling.json"));
    assert_eq!(a.layout, Layout::RoleContentList);
    assert_eq!(a.columns, ["messages"]);
    // Row 1 has two consecutive user messages, row 2 an empty assistant message (skipped),
    // row 3 repeats row 0.
    assert_eq!(turns(&a), [4, 5, 4, 4]);
    assert_eq!(switches(&a), [3, 3, 3, 3]);
    let keys: Vec<&str> = a.conversations.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(keys, ["0", "1", "2"], "row 3 repeats row 0");
    let stats = a.stats().unwrap();
    assert_eq!((stats.conversations, stats.min, stats.max), (3, 4, 5));
    assert!((stats.avg - 13.0 / 3.0).abs() < 1e-9);
    assert_eq!(stats.median, 4.0);
    assert!(stats.exact);
}

#[test]
fn json_string_holding_messages() {
    let a = analyze_file(&file("json_string_messages.json"));
    assert_eq!(a.layout, json_string(Layout::RoleContentList));
    assert_eq!(a.layout.as_str(), "json_string:role_content_list");
    assert_eq!(a.columns, ["conversation"]);
    assert_eq!(turns(&a), [6, 2, 3]);
}

#[test]
fn llama2_template_excludes_sys_block() {
    let a = analyze_file(&file("llama2_inst_sys.json"));
    assert_eq!(a.layout, Layout::Transcript);
    assert_eq!(turns(&a), [4, 2, 6]);
    assert_eq!(switches(&a), [3, 1, 5]);
}

#[test]
fn chatml_template() {
    let a = analyze_file(&file("chatml_text.json"));
    assert_eq!(a.layout, Layout::Transcript);
    assert_eq!(turns(&a), [4, 2]);
}

#[test]
fn angle_bracket_human_assistant() {
    let a = analyze_file(&file("human_assistant_tags.json"));
    assert_eq!(a.layout, Layout::Transcript);
    assert_eq!(a.columns, ["text"]);
    // Row 0: the assistant's answer spans three lines, one starting with "Note:".
    assert_eq!(turns(&a), [2, 4, 2]);
}

#[test]
fn hash_human_assistant_inline_and_multiline() {
    let a = analyze_file(&file("hash_human_assistant.json"));
    assert_eq!(a.layout, Layout::Transcript);
    // Row 2: "### Steps:" is a heading inside the assistant's message.
    assert_eq!(turns(&a), [4, 2, 2]);
}

#[test]
fn therapist_client_multiline_transcripts() {
    let a = analyze_file(&file("therapist_client_transcript.json"));
    assert_eq!(a.layout, Layout::Transcript);
    assert_eq!(a.columns, ["transcript"]);
    // Row 0: T, C (3 lines), T, C, C, T (+ "Homework:" line), C.
    // Row 1: a narration preamble, then **Therapist:** / **Client:** paragraphs.
    assert_eq!(turns(&a), [7, 4, 4]);
    assert_eq!(switches(&a), [5, 3, 3]);
}

#[test]
fn context_response_pairs() {
    let a = analyze_file(&file("context_response.json"));
    assert_eq!(a.layout, Layout::PairedColumns);
    assert_eq!(a.columns, ["Context", "Response"]);
    assert_eq!(turns(&a), [2, 2, 1, 2]);
    assert_eq!(a.conversations.len(), 4, "same question, different answers");
}

#[test]
fn counsel_chat_question_and_answer_text() {
    let a = analyze_file(&file("counsel_chat_columns.json"));
    assert_eq!(a.layout, Layout::PairedColumns);
    assert_eq!(a.columns, ["questionText", "answerText"]);
    assert_eq!(turns(&a), [2, 2, 2]);
}

#[test]
fn instruction_and_input_are_one_turn() {
    let a = analyze_file(&file("instruction_input_output.json"));
    assert_eq!(a.layout, Layout::PairedColumns);
    assert_eq!(a.columns, ["instruction", "input", "output"]);
    assert_eq!(turns(&a), [2, 2, 2]);
    assert_eq!(switches(&a), [1, 1, 1]);
}

#[test]
fn round_objects_as_list_and_as_sequence_dict() {
    for name in ["round_objects.json", "round_objects_sequence.json"] {
        let a = analyze_file(&file(name));
        assert_eq!(a.layout, Layout::RoundObjects, "{name}");
        assert_eq!(a.columns, ["dialog"], "{name}");
        // Row 0: the last supporter field is empty.
        assert_eq!(turns(&a), [5, 4], "{name}");
        assert_eq!(switches(&a), [4, 3], "{name}");
    }
}

#[test]
fn truncated_list_cells_are_lower_bounds() {
    let a = analyze_file(&file("truncated_cells.json"));
    assert_eq!(a.layout, Layout::RoleContentList);
    assert_eq!(turns(&a), [3, 2, 0]);
    let lower: Vec<bool> = a.rows.iter().map(|r| r.lower_bound).collect();
    assert_eq!(lower, [false, true, true]);
    assert_eq!(a.truncated_rows, [1, 2]);
    // Row 2 showed no complete message: reported for refetch, not counted as a conversation.
    assert_eq!(a.conversations.len(), 2);
    let stats = a.stats().unwrap();
    assert_eq!((stats.min, stats.max), (2, 3));
    assert!(!stats.exact);
}

#[test]
fn truncated_transcript_is_a_lower_bound() {
    let a = analyze_file(&file("truncated_transcript.json"));
    assert_eq!(a.layout, Layout::Transcript);
    assert_eq!(a.columns, ["dialogue"]);
    assert_eq!(turns(&a), [4, 4]);
    assert_eq!(a.truncated_rows, [1]);
    assert!(a.rows[1].lower_bound && !a.rows[0].lower_bound);
}

#[test]
fn unknown_layouts_give_no_figure() {
    for name in [
        "social_posts_text_label.json",
        "tabular_numeric.json",
        "viewer_imdb_text_label.json",
        "viewer_truncated_cells_ett.json",
    ] {
        let rows = load(&file(name));
        assert!(!rows.is_empty(), "{name}");
        assert_eq!(analyze(&rows), None, "{name}");
    }
    assert_eq!(analyze(&[]), None);
}

#[test]
fn consecutive_messages_by_one_speaker_are_separate_turns() {
    let a = analyze_file(&file("same_speaker_consecutive.json"));
    assert_eq!(a.layout, Layout::ShareGpt);
    assert_eq!(turns(&a), [5, 6]);
    assert_eq!(switches(&a), [2, 3]);
}

#[test]
fn prompt_and_completion_lists_are_joined() {
    let a = analyze_file(&file("prompt_completion_lists.json"));
    assert_eq!(a.layout, Layout::RoleContentList);
    assert_eq!(a.columns, ["prompt", "completion"]);
    assert_eq!(turns(&a), [2, 4]);
    assert_eq!(switches(&a), [1, 3]);
}

#[test]
fn prompt_transcript_plus_chosen_answer() {
    let a = analyze_file(&file("dpo_prompt_transcript.json"));
    assert_eq!(a.layout, Layout::Transcript);
    assert_eq!(a.columns, ["prompt", "chosen"]);
    // Row 0: Human, Assistant, Human, empty "Assistant:" (skipped), then the chosen answer.
    assert_eq!(turns(&a), [4, 2]);
}

#[test]
fn utterance_rows_cut_at_both_sample_edges() {
    let a = analyze_file(&file("utterance_rows_conv_id.json"));
    assert_eq!(a.layout, Layout::UtterancePerRow);
    assert_eq!(a.group_by.as_deref(), Some("conv_id"));
    assert_eq!(a.columns, ["utterance", "speaker_idx"]);
    let found: Vec<(&str, u32, u32, bool)> = a
        .conversations
        .iter()
        .map(|c| (c.key.as_str(), c.turns, c.speaker_switches, c.complete))
        .collect();
    // The sample starts at row 40: the first group may have begun earlier; the last one may
    // continue (and its last utterance is empty).
    assert_eq!(
        found,
        [
            ("hit:1_conv:2", 4, 3, false),
            ("hit:2_conv:4", 5, 3, true),
            ("hit:3_conv:6", 2, 1, false)
        ]
    );
    let stats = a.stats().unwrap();
    assert_eq!((stats.conversations, stats.min, stats.max), (1, 5, 5));
    assert!(stats.exact);
}

#[test]
fn growing_history_rows_merge_by_conversation_id() {
    let a = analyze_file(&file("growing_history_by_id.json"));
    assert_eq!(a.layout, Layout::RoleContentList);
    assert_eq!(a.dedupe_by.as_deref(), Some("conversation_id"));
    assert_eq!(turns(&a), [2, 4, 6, 2]);
    let found: Vec<(&str, u32)> = a
        .conversations
        .iter()
        .map(|c| (c.key.as_str(), c.turns))
        .collect();
    assert_eq!(found, [("c1", 6), ("c2", 2)]);
}

#[test]
fn layout_names_round_trip() {
    for layout in [
        Layout::RoleContentList,
        Layout::ShareGpt,
        Layout::StringList,
        json_string(Layout::ShareGpt),
        Layout::Transcript,
        Layout::RoundObjects,
        Layout::PairedColumns,
        Layout::UtterancePerRow,
    ] {
        assert_eq!(Layout::from_name(layout.as_str()), Some(layout));
    }
}

#[test]
fn json_string_holding_a_dict_with_a_dialog_list() {
    let a = analyze_file(&file("esconv_json_object_string.json"));
    assert_eq!(a.layout, json_string(Layout::RoleContentList));
    assert_eq!(a.columns, ["text"]);
    // Row 0: seeker, supporter, seeker, seeker, supporter, supporter, seeker.
    // Row 1: the seeker's last message is empty.
    assert_eq!(turns(&a), [7, 2]);
    assert_eq!(switches(&a), [4, 1]);
}
