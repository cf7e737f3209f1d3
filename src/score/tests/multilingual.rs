//! Lexicon terms and sampled-turn form evidence in the languages the field publishes in.

use super::{matched, score_text, score_turns, topic_free};
use crate::score::DEFAULT_THRESHOLD;

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
