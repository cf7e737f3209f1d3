use super::{lex, matched, negative, score_tags, score_text, score_turns, topic_free};
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
fn multilingual_terms_match() {
    for (language, text, term) in [
        ("zh", "心理咨询多轮对话数据集", "心理咨询"),
        ("ja", "カウンセリングの対話データ", "カウンセリング"),
        ("ko", "심리상담 대화 데이터입니다", "심리상담"),
        ("ru", "Диалоги психотерапевта и клиента", "психотерап*"),
        (
            "es",
            "Conversaciones terapéuticas sobre salud mental",
            "salud mental",
        ),
        (
            "de",
            "Psychotherapie-Gespräche zwischen Therapeutin und Klientin",
            "psychotherapie",
        ),
        (
            "fr",
            "Dialogues de soutien psychologique avec un thérapeute",
            "soutien psychologique",
        ),
        (
            "pt",
            "Conversas de apoio emocional e saúde mental",
            "saude mental",
        ),
    ] {
        let result = score_text("someone/data", text);
        assert!(result.score >= DEFAULT_THRESHOLD, "{language}: {result:?}");
        assert!(
            matched(&result, term, "description"),
            "{language}: {term} not matched in {result:?}"
        );
    }
    let gene_es = score_text("someone/data", "Ensayos de terapia génica y radioterapia");
    assert!(topic_free(&gene_es), "{gene_es:?}");
}

#[test]
fn sampled_turns_give_form_evidence_in_every_language() {
    // (language, a one-line topic, sampled turns with role names and a counseling move, the
    // role term and the move expected in the turns). CJK turns have no spaces.
    for (language, topic, turns, role, moves) in [
        (
            "zh",
            "心理咨询数据",
            "来访者：我最近总是睡不着。咨询师：听起来你最近压力很大，能具体说说吗？",
            "来访者",
            "听起来你",
        ),
        (
            "ja",
            "カウンセリングのデータ",
            "クライエント：最近眠れません。カウンセラー：それはつらかったですね。",
            "クライエント",
            "つらかったですね",
        ),
        (
            "ko",
            "심리상담 데이터",
            "내담자: 요즘 잠을 못 자요. 상담사: 많이 힘드셨겠어요.",
            "내담자",
            "힘드셨겠",
        ),
        (
            "ru",
            "Психотерапия",
            "Клиент: Я плохо сплю. Психолог: Как вы себя чувствуете сейчас?",
            "клиент",
            "как вы себя чувствуете",
        ),
        (
            "es",
            "Terapia",
            "Paciente: No duermo bien. Terapeuta: ¿Cómo te sientes con eso?",
            "paciente",
            "como te sientes",
        ),
        (
            "pt",
            "Terapia",
            "Paciente: Não durmo bem. Terapeuta: Como você se sente com isso?",
            "paciente",
            "como voce se sente",
        ),
        (
            "de",
            "Psychotherapie",
            "Klient: Ich schlafe schlecht. Therapeut: Das klingt belastend. Wie fühlen Sie sich?",
            "klient",
            "wie fuhlen sie sich",
        ),
        (
            "ar",
            "العلاج النفسي",
            "العميل: لا أستطيع النوم منذ أسابيع. المعالج: يبدو أنك متعب جداً، كيف تشعر الآن؟",
            "العميل",
            "يبدو أنك",
        ),
        (
            "tr",
            "Terapi verisi",
            "Danışan: Haftalardır uyuyamıyorum. Terapist: Anlıyorum, bu zor olmalı. Nasıl hissediyorsun?",
            "danışan",
            "nasıl hissediyorsun",
        ),
        (
            "vi",
            "Tư vấn tâm lý",
            "Khách hàng: Tôi cảm thấy rất mệt mỏi. Nhà trị liệu: Nghe có vẻ bạn đang rất căng thẳng. Bạn cảm thấy thế nào?",
            "nha tri lieu",
            "ban cam thay the nao",
        ),
        (
            "id",
            "Konseling kesehatan mental",
            "Klien: Aku merasa sangat lelah. Konselor: Aku mengerti. Bagaimana perasaanmu sekarang?",
            "klien",
            "bagaimana perasaanmu",
        ),
    ] {
        let without = score_text("someone/data", topic);
        let with = score_turns(topic, turns);
        for term in [role, moves] {
            assert!(
                matched(&with, term, "conversation"),
                "{language}: {term} not matched in {with:?}"
            );
        }
        assert!(
            with.components.conversational > without.components.conversational,
            "{language}: turns gave no form evidence: {with:?}"
        );
        assert!(with.score > without.score, "{language}: {with:?}");
        assert!(with.score >= DEFAULT_THRESHOLD, "{language}: {with:?}");
    }
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
    let score_card = |card: &str| {
        relevance(
            &lex,
            &RelevanceInput {
                id: "someone/x",
                pretty_name: None,
                tags: &[],
                task_categories: &[],
                description: None,
                card_text: Some(card),
                conversation_text: None,
                schema_text: None,
                structure: Default::default(),
            },
        )
    };
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
