//! Hand-built records shared by the report and HTML unit tests.

use crate::output::record::ExportRecord;

/// A description carrying a screen-clearing CSI and an OSC 8 hyperlink to `http://evil`.
pub const HOSTILE_DESCRIPTION: &str =
    "Clears\u{1b}[2J the screen and links \u{1b}]8;;http://evil\u{1b}\\x\u{1b}]8;;\u{1b}\\ away";

/// A record with neutral values; tests override what they look at.
pub fn record(id: &str) -> ExportRecord {
    ExportRecord {
        name: id.to_string(),
        source: "huggingface".to_string(),
        url: format!("https://huggingface.co/datasets/{id}"),
        description: String::new(),
        tags: Vec::new(),
        downloads: 0,
        likes: 0,
        size_bytes: None,
        num_conversations: None,
        avg_turns: None,
        min_turns: None,
        max_turns: None,
        conversation_format: None,
        languages: Vec::new(),
        license: None,
        created_at: None,
        updated_at: None,
        quality_score: 0.5,
        therapeutic_relevance: 0.5,
        id: id.to_string(),
        score: Some(0.5),
        median_turns: None,
        avg_turns_lower_bound: None,
        turns_figure: None,
        turns_evidence: Vec::new(),
        turns_sampled: None,
        turns_layout: None,
        turns_source: None,
        turns_exact: None,
        turns_status: None,
        turns_reason: None,
        num_conversations_source: None,
        licenses: Vec::new(),
        pretty_name: None,
        gated: None,
        matched_terms: Vec::new(),
        modalities: Vec::new(),
        kind: "counseling_conversation".to_string(),
        family_id: None,
        family_role: None,
        related: Vec::new(),
        collapsed: None,
        relevance_breakdown: None,
        factors: None,
        quality_breakdown: None,
    }
}

/// Sets the turn figures of a record.
fn with_turns(mut r: ExportRecord, avg: f64, format: &str) -> ExportRecord {
    r.avg_turns = Some(avg);
    r.conversation_format = Some(format.to_string());
    r
}

/// Six ranked records: quality on both sides of each bucket edge, two without turn figures, two
/// without a licence, one without a language, one with two languages, one hostile description.
pub fn six_records() -> Vec<ExportRecord> {
    let mut one = with_turns(record("alpha/one"), 25.0, "multi_turn");
    one.quality_score = 0.9;
    one.therapeutic_relevance = 0.8;
    one.score = Some(0.95);
    one.license = Some("mit".into());
    one.languages = vec!["en".into()];
    one.downloads = 12_345;
    one.description = "Counseling sessions between a therapist and a client.".into();

    let mut two = record("beta/two");
    two.quality_score = 0.7;
    two.therapeutic_relevance = 0.6;
    two.score = Some(0.9);
    two.languages = vec!["en".into(), "fr".into()];
    two.downloads = 10;

    let mut three = with_turns(record("gamma/three"), 12.0, "medium_turn");
    three.quality_score = 0.69;
    three.therapeutic_relevance = 0.3;
    three.score = Some(0.71);
    three.license = Some("apache-2.0".into());

    let mut four = with_turns(record("delta/four"), 3.0, "single_turn");
    four.quality_score = 0.4;
    four.therapeutic_relevance = 0.2;
    four.score = Some(0.5);
    four.license = Some("MIT".into());
    four.languages = vec!["EN".into()];
    four.downloads = 1_000_000;

    let mut five = with_turns(record("eps/five"), 40.0, "multi_turn");
    five.quality_score = 0.39;
    five.therapeutic_relevance = 0.9;
    five.score = Some(0.42);
    five.license = Some("cc-by-4.0".into());
    five.languages = vec!["de".into()];
    five.description = HOSTILE_DESCRIPTION.into();

    let mut six = record("zeta/six");
    six.quality_score = 0.0;
    six.therapeutic_relevance = 0.05;
    six.score = Some(0.1);
    six.languages = vec!["en".into()];

    vec![one, two, three, four, five, six]
}
