use super::{lex, matched, negative, score_card_text, score_tags, score_text, topic_free};
use crate::score::{relevance, Relevance, RelevanceInput, DEFAULT_THRESHOLD};

const COUNSELING: &str = "Multi-turn counseling conversations between a licensed therapist and clients \
    dealing with anxiety, depression and grief, annotated with CBT and motivational interviewing techniques.";

#[test]
fn a_counseling_conversation_scores_high_with_modalities() {
    let result = score_text("someone/sessions", COUNSELING);
    assert!(result.score > 0.8, "{result:?}");
    assert!(result.conversational);
    assert_eq!(result.modalities, ["cbt", "mi"]);
    assert!(matched(&result, "therapist", "description"));
    assert!(matched(&result, "multi turn", "description"));
}

#[test]
fn no_substring_matches() {
    // "act" inside "interaction", "mi" inside "mining", "ocd" nowhere, "therapy" not in "therapyless" prose
    let result = score_text(
        "someone/logs",
        "Interaction logs for data mining of transactions and reactions.",
    );
    assert!(topic_free(&result));
    assert!(
        result.matched.is_empty() && result.modalities.is_empty(),
        "{result:?}"
    );
}

#[test]
fn act_and_mi_count_only_as_upper_case_tokens() {
    let lower = score_text("someone/x", "We act on counseling data; mi casa.");
    assert!(lower.modalities.is_empty(), "{lower:?}");
    let upper = score_text("someone/x", "Counseling dialogues using ACT and MI.");
    assert_eq!(upper.modalities, ["act", "mi"]);
    let spelled = score_text("someone/x", "acceptance and commitment therapy sessions");
    assert_eq!(spelled.modalities, ["act"]);
    assert!(
        !matched(&spelled, "therapy", "description"),
        "the modality phrase must absorb 'therapy'"
    );
}

#[test]
fn robotics_act_policy_is_not_therapy() {
    let result = score_tags(
        "someone/act_so100_test",
        &["task_categories:robotics", "LeRobot"],
    );
    assert!(topic_free(&result));
    let upper = score_text(
        "someone/robot-episodes",
        "Episodes recorded to train an ACT policy with LeRobot.",
    );
    assert!(
        upper.modalities.is_empty() && topic_free(&upper),
        "{upper:?}"
    );
    // A benchmark named ACT in embodied AI.
    let benchmark = score_text(
        "lab/ACT-Thor",
        "ACT-Thor: a controlled benchmark for embodied action understanding in the AI2-THOR simulator.",
    );
    assert!(negative(&benchmark, "embodied action"), "{benchmark:?}");
    assert!(benchmark.score < DEFAULT_THRESHOLD, "{benchmark:?}");
}

#[test]
fn somatic_therapies_cancel_therapy() {
    for (id, text) in [
        (
            "someone/aav-capsids",
            "Capsid fitness data for gene therapy vector design.",
        ),
        (
            "someone/rehab",
            "Physical therapy exercises recorded with motion capture.",
        ),
        (
            "someone/stutter",
            "Speech therapy recordings of children who stutter.",
        ),
        (
            "someone/ct",
            "Radiation therapy planning scans; chemotherapy and immunotherapy outcomes.",
        ),
        (
            "someone/resp",
            "Respiratory therapy and occupational therapy notes.",
        ),
    ] {
        let result = score_text(id, text);
        assert!(result.score < 0.05, "{id}: {result:?}");
        assert!(
            !result.matched.iter().any(|m| m.term == "therapy"),
            "{id}: therapy survived"
        );
        assert!(!result.negatives.is_empty());
    }
    let glued = score_text("someone/radiotherapyplanning", "");
    assert!(negative(&glued, "radiotherapy") && topic_free(&glued));
}

#[test]
fn customer_support_and_recommendation_sessions_are_not_therapy() {
    let support = score_text(
        "someone/support-conversations",
        "Multi-turn customer support conversations with empathetic agents.",
    );
    assert!(support.score < 0.2, "{support:?}");
    assert!(negative(&support, "customer support"));
    let sessions = score_text(
        "someone/sessions",
        "Session-based recommendation: user sessions of clicks.",
    );
    assert!(topic_free(&sessions));
    assert!(negative(&sessions, "session based"));
    let meeting = score_text("someone/ami", "Meeting transcripts from recorded sessions.");
    assert!(topic_free(&meeting));
}

#[test]
fn medical_dialogue_and_drug_reviews_stay_low() {
    let medical = score_text(
        "someone/meddialog",
        "Conversations between doctors and patients from online consultations.",
    );
    assert!(medical.score < 0.05, "{medical:?}");
    let reviews = score_text(
        "someone/drug-reviews",
        "Patient drug reviews with conditions such as depression and anxiety.",
    );
    assert!(reviews.score < DEFAULT_THRESHOLD, "{reviews:?}");
}

#[test]
fn dialogue_alone_is_not_therapy() {
    let result = score_tags(
        "someone/persona-chat",
        &["task_categories:conversational", "dialogue", "multi-turn"],
    );
    assert!(result.conversational);
    assert!(topic_free(&result));
    // Of topic-free data, conversation still ranks above labelled text and unknown form.
    let labelled = score_tags(
        "someone/news-topics",
        &["task_categories:text-classification"],
    );
    let unknown = score_tags("someone/files", &[]);
    assert!(topic_free(&labelled) && topic_free(&unknown));
    assert!(
        result.score > unknown.score && unknown.score > labelled.score,
        "{result:?} {unknown:?} {labelled:?}"
    );
}

#[test]
fn therapy_words_score_lower_on_non_conversational_data() {
    let tags_conv = [
        "mental-health",
        "depression",
        "task_categories:conversational",
    ];
    let tags_cls = [
        "mental-health",
        "depression",
        "task_categories:text-classification",
    ];
    let conversation = score_tags("someone/mental-health-data", &tags_conv);
    let classification = score_tags("someone/mental-health-data", &tags_cls);
    let unknown = score_tags("someone/mental-health-data", &tags_conv[..2]);
    assert!(
        conversation.score > unknown.score && unknown.score > classification.score,
        "{conversation:?} {unknown:?} {classification:?}"
    );
    assert!(classification.score < DEFAULT_THRESHOLD && conversation.score >= DEFAULT_THRESHOLD);
    assert!(!classification.conversational);
    let exam = score_tags(
        "someone/counseling-exam",
        &["task_categories:multiple-choice"],
    );
    assert!(exam.score < DEFAULT_THRESHOLD, "{exam:?}");
}

#[test]
fn a_term_against_conversation_counts_nothing_when_the_data_lacks_it() {
    let with = score_text(
        "lab/therapy-sessions-questionnaire",
        "Therapist and client sessions with a questionnaire.",
    );
    let without = score_text(
        "lab/therapy-sessions-no_questionnaire",
        "Therapist and client sessions without questionnaire scores.",
    );
    assert!(negative(&with, "questionnaire"), "{with:?}");
    assert!(!negative(&without, "questionnaire"), "{without:?}");
    assert!(without.score > with.score, "{with:?} {without:?}");
    // A positive term after "no" still counts: the rule is for evidence against.
    let unscripted = score_text("lab/x", "No counseling here was scripted.");
    assert!(
        matched(&unscripted, "counseling", "description"),
        "{unscripted:?}"
    );
}

#[test]
fn repetition_saturates() {
    let spam = "therapy ".repeat(50);
    let repeated = score_text("someone/data", &spam);
    let real = score_text("someone/data", COUNSELING);
    assert!(
        real.score > repeated.score,
        "{} vs {}",
        real.score,
        repeated.score
    );
    assert_eq!(
        repeated.matched.len(),
        1,
        "one term in one field is one match"
    );
    assert_eq!(repeated.score, score_text("someone/data", "therapy").score);
}

#[test]
fn declared_task_categories_weigh_less_than_the_cards_words() {
    // Preference pairs of therapist responses, declared `text-classification` (reward data).
    let declared = ["text classification".to_string()];
    let with = |task_categories: &[String], description: &str| {
        relevance(
            &lex(),
            &RelevanceInput {
                id: "someone/psychotherapy-preference",
                pretty_name: None,
                title: None,
                tags: &[],
                task_categories,
                description: Some(description),
                card_text: None,
                conversation_text: None,
                schema_text: None,
                structure: Default::default(),
            },
        )
    };
    let from_task = with(&declared, "Therapist responses.");
    let from_card = with(&[], "Therapist responses for text classification.");
    assert!(negative(&from_task, "text classification"), "{from_task:?}");
    let weight = |r: &Relevance| {
        r.negatives
            .iter()
            .find(|m| m.term == "text classification")
            .map(|m| m.weight)
            .unwrap_or_default()
    };
    let (task, card) = (weight(&from_task), weight(&from_card));
    // The same term, weighed by its field: the declared task's weight times the factor.
    let (params, fields) = (&lex().scoring, &lex().fields);
    let expected = fields.task_categories * params.declared_task_factor / fields.description;
    assert!(
        card > 0.0 && (task / card - expected).abs() < 1e-3,
        "{task} / {card}"
    );
    assert!(
        from_task.components.non_conversational < from_card.components.non_conversational
            && from_task.score > from_card.score,
        "{from_task:?} vs {from_card:?}"
    );
}

#[test]
fn glued_id_tokens_match_only_in_the_id() {
    let glued = score_text("someone/Therapydataset_formatted", "");
    let hit = glued
        .matched
        .iter()
        .find(|m| m.term == "therapy")
        .expect("compound match");
    assert!(hit.compound && hit.field == "id");
    assert!(glued.score >= DEFAULT_THRESHOLD, "{glued:?}");
    let both = score_text("someone/therapyconversations", "");
    assert!(
        matched(&both, "therapy", "id") && matched(&both, "conversation", "id"),
        "{both:?}"
    );
    assert!(both.conversational && both.score > glued.score);
    let glued_negative = score_text("someone/speechtherapy-recordings", "");
    assert!(negative(&glued_negative, "speechtherapy") && topic_free(&glued_negative));
    let prose = score_text("someone/x", "therapydataset autotherapy");
    assert!(
        topic_free(&prose),
        "compound matching must not apply to prose"
    );
    let psychometric = score_text("someone/hebrew-psychotechnique-MQA", "");
    assert!(topic_free(&psychometric), "{psychometric:?}");
    // A term that ends the token before a trailing "dataset" / "data" / "corpus".
    let before_data = score_text("someone/arabictherapydataset", "");
    assert!(matched(&before_data, "therapy", "id"), "{before_data:?}");
    assert!(before_data.score >= DEFAULT_THRESHOLD, "{before_data:?}");
    let counseling = score_text("someone/studentcounselingcorpus", "");
    assert!(matched(&counseling, "counseling", "id"), "{counseling:?}");
    // ... and a negative that ends it there still wins.
    let physio = score_text("someone/physiotherapydataset", "");
    assert!(
        negative(&physio, "physiotherapy") && topic_free(&physio),
        "{physio:?}"
    );
    let radio = score_text("someone/pediatricradiotherapydata", "");
    assert!(
        !matched(&radio, "therapy", "id") && topic_free(&radio),
        "{radio:?}"
    );
}

#[test]
fn the_id_name_is_strong_and_the_owner_weak() {
    let name = score_text("someone/psychologist-chats", "");
    let owner = score_text("psychologist-lab/random-chats", "");
    assert!(
        name.score >= DEFAULT_THRESHOLD && owner.score < DEFAULT_THRESHOLD,
        "{name:?} {owner:?}"
    );
}

#[test]
fn only_topical_tags_are_read() {
    let ignored = score_tags(
        "someone/x",
        &[
            "license:therapy",
            "language:counseling",
            "format:mental-health",
        ],
    );
    assert!(topic_free(&ignored));
    let read = score_tags(
        "someone/x",
        &["task_ids:dialogue-modeling", "mental-health"],
    );
    assert!(
        matched(&read, "dialogue", "task_categories") && matched(&read, "mental health", "tags")
    );
}

#[test]
fn card_text_is_read_up_to_its_limit() {
    let lex = lex();
    let score_card = |card: &str| score_card_text("someone/x", card);
    let far = format!(
        "{} counseling therapist therapy",
        "data ".repeat(lex.scoring.card_text_max_chars / 5 + 10)
    );
    assert!(topic_free(&score_card(&far)));
    assert!(matched(
        &score_card("Counseling conversations with a therapist."),
        "therapist",
        "card_text"
    ));
}

#[test]
fn pretty_name_and_task_categories_fields() {
    let lex = lex();
    let tasks = ["text-generation".to_string()];
    let result = relevance(
        &lex,
        &RelevanceInput {
            id: "someone/x",
            pretty_name: Some("Therapy Dialogues"),
            title: None,
            tags: &[],
            task_categories: &tasks,
            description: None,
            card_text: None,
            conversation_text: None,
            schema_text: None,
            structure: Default::default(),
        },
    );
    assert!(
        matched(&result, "therapy", "pretty_name")
            && matched(&result, "text generation", "task_categories")
    );
}

#[test]
fn scores_stay_in_range_and_serialise() {
    let long = format!(
        "{COUNSELING} {}",
        "therapist counselor psychotherapy CBT DBT EMDR ".repeat(20)
    );
    for text in ["", "therapy", COUNSELING, long.as_str()] {
        let result = score_text("counseling/therapy-counseling-conversations", text);
        assert!((0.0..=1.0).contains(&result.score));
        let json = serde_json::to_string(&result).unwrap();
        let back: Relevance = serde_json::from_str(&json).unwrap();
        assert_eq!(back, result);
    }
}

#[test]
fn the_readme_title_weighs_more_than_its_body() {
    let scorer =
        crate::score::Scorer::new(lex(), chrono::NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
    let record =
        crate::model::DatasetRecord::from_listing_item(&serde_json::json!({"id": "lab/data"}))
            .unwrap();
    let with_readme = |readme: &str| {
        scorer.relevance_with(
            &record,
            &crate::score::ScoringExtras {
                readme: Some(readme),
                ..Default::default()
            },
        )
    };
    let titled = with_readme("# Counseling Conversations\n\nRows of text.\n");
    let in_body = with_readme("# Data\n\nCounseling conversations. Rows of text.\n");
    assert!(matched(&titled, "counseling", "title"), "{titled:?}");
    assert!(matched(&titled, "counseling", "card_text"), "{titled:?}");
    assert!(!matched(&in_body, "counseling", "title"), "{in_body:?}");
    assert!(titled.score > in_body.score, "{titled:?} vs {in_body:?}");
}

#[test]
fn the_card_templates_leaderboards_heading_is_no_evidence() {
    let template = "Counseling conversations. Supported Tasks and Leaderboards: text generation.";
    let plain = "Counseling conversations. Supported tasks: text generation.";
    let (templated, bare) = (
        score_text("someone/data", template),
        score_text("someone/data", plain),
    );
    assert!(templated.negatives.is_empty(), "{templated:?}");
    assert!((templated.score - bare.score).abs() < 1e-9, "{templated:?}");
    // A leaderboard the card speaks of still counts.
    let board = score_text(
        "someone/data",
        "Counseling conversations with a public leaderboard.",
    );
    assert!(negative(&board, "leaderboard"), "{board:?}");
}
