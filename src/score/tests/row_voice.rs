//! Who speaks: in the sampled rows a help-seeker's first-person account is form evidence,
//! definitions and exam items are not, and neither kind of phrase counts outside the rows; in
//! the declared columns, role names (`therapist_response`) are.

use super::{lex, matched, negative, score_text, score_turns};
use crate::score::lexicon::Lexicon;
use crate::score::{relevance, Relevance, RelevanceInput, Structure, DEFAULT_THRESHOLD};

/// A record whose card declares question/answer columns and whose rows are `rows`.
fn question_answer_rows(description: &str, rows: &str) -> Relevance {
    relevance(
        &lex(),
        &RelevanceInput {
            id: "someone/mental-health-qa",
            description: Some(description),
            conversation_text: Some(rows),
            structure: Structure::Conversation("question/answer columns in the schema"),
            ..Default::default()
        },
    )
}

#[test]
fn row_phrases_count_only_in_the_rows() {
    let text = "I feel alone. What is a panic attack? Mental health support.";
    let card = score_text("someone/data", text);
    assert!(!matched(&card, "i feel alone", "description"), "{card:?}");
    assert!(!negative(&card, "what is a"), "{card:?}");
    let rows = score_turns("Mental health support.", text);
    assert!(matched(&rows, "i feel alone", "conversation"), "{rows:?}");
    assert!(negative(&rows, "what is a"), "{rows:?}");
}

#[test]
fn faq_rows_score_under_counseling_rows_in_several_languages() {
    // (language, the card's one line, FAQ rows, a help-seeker's rows answered by a counselor)
    for (language, card, faq, seeker) in [
        (
            "en",
            "Mental health questions and answers.",
            "What is a panic attack? A panic attack is a sudden episode of fear. What are the \
             common symptoms of depression? Common symptoms include low mood. Which of the \
             following is an anxiety disorder?",
            "I've been feeling so empty since my divorce and I don't know what to do. I feel \
             like nobody cares. It sounds like you are carrying a lot; you are not alone.",
        ),
        (
            "zh",
            "心理健康问答数据",
            "什么是抑郁症？抑郁症是指一种常见的心理障碍。以下哪项是焦虑的症状？正确答案是B。",
            "我最近总是失眠，我很焦虑，我不知道该怎么办。听起来你最近压力很大，你并不孤单。",
        ),
        (
            "es",
            "Preguntas y respuestas de salud mental.",
            "¿Qué es la ansiedad? La ansiedad se define como una respuesta del cuerpo. ¿Cuál de \
             las siguientes es un síntoma? Respuesta correcta: B.",
            "Me siento muy sola desde que me mudé y no sé qué hacer. Entiendo que es difícil; \
             ¿cómo te sientes hoy?",
        ),
        (
            "ru",
            "Вопросы и ответы о психическом здоровье.",
            "Что такое депрессия? Депрессия — это расстройство. Какой из следующих симптомов \
             главный? Правильный ответ: B.",
            "Мне плохо, я не знаю что делать, мне тяжело вставать по утрам. Как вы себя \
             чувствуете сейчас?",
        ),
    ] {
        let faq_score = question_answer_rows(card, faq);
        let seeker_score = question_answer_rows(card, seeker);
        assert!(
            faq_score.components.non_conversational > 0.0,
            "{language}: no reference voice in {faq_score:?}"
        );
        assert!(
            seeker_score.components.conversational > faq_score.components.conversational,
            "{language}: no help-seeker voice in {seeker_score:?}"
        );
        assert!(
            seeker_score.score > faq_score.score + 0.1,
            "{language}: FAQ {} vs counseling {}",
            faq_score.score,
            seeker_score.score
        );
        assert!(
            seeker_score.score >= DEFAULT_THRESHOLD,
            "{language}: {seeker_score:?}"
        );
        assert!(
            faq_score.score < DEFAULT_THRESHOLD,
            "{language}: {faq_score:?}"
        );
    }
}

#[test]
fn a_rows_only_group_cannot_match_in_ids_or_suppress() {
    for extra in ["compound = true", "suppresses = true"] {
        let toml = format!(
            "[[group]]\ncategory = \"voice\"\nkind = \"negative\"\nrows_only = true\n{extra}\nterms = [\"what is\"]\n"
        );
        let error = Lexicon::from_toml_str(&toml).expect_err(extra);
        assert!(error.to_string().contains("rows_only"), "{extra}: {error}");
    }
}

#[test]
fn role_named_columns_are_evidence_of_who_speaks() {
    let scored = |id: &str, description: &str, columns: Option<&str>| {
        relevance(
            &lex(),
            &RelevanceInput {
                id,
                description: Some(description),
                schema_text: columns,
                ..Default::default()
            },
        )
    };
    let with_columns = |columns| scored("someone/data", "Mental health data.", columns);
    let bare = with_columns(None);
    let roles = with_columns(Some("therapist_response ; clientTalkType ; id"));
    assert!(matched(&roles, "therapist", "schema"), "{roles:?}");
    assert!(matched(&roles, "client", "schema"), "{roles:?}");
    assert!(
        roles.score > bare.score,
        "{} vs {}",
        roles.score,
        bare.score
    );
    // A doctor–patient column pair names roles but no therapy topic.
    let medical = scored(
        "someone/medical-chat",
        "Questions to doctors.",
        Some("Patient ; Doctor"),
    );
    assert!(medical.score < 0.2, "{medical:?}");
}

#[test]
fn what_help_seekers_talk_about_is_no_evidence_against_their_conversation() {
    let card = "Emotional support conversations between seekers and supporters.";
    let plain = "I feel so stressed about work. That sounds hard; tell me more about it.";
    let busy = "I feel so stressed about the meeting and the survey at work. That sounds \
                hard; tell me more about the meeting.";
    let plain_score = score_turns(card, plain);
    let busy_score = score_turns(card, busy);
    for term in ["meeting", "survey"] {
        assert!(!negative(&busy_score, term), "{term}: {busy_score:?}");
    }
    assert!(
        (busy_score.score - plain_score.score).abs() < 1e-9,
        "{} vs {}",
        busy_score.score,
        plain_score.score
    );
    // The same words in the card still say what the dataset is.
    let surveys = score_text("someone/data", "Survey answers about stress at work.");
    assert!(negative(&surveys, "survey"), "{surveys:?}");
}
