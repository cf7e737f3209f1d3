//! Hard negatives that share the field's vocabulary without being counseling data.

use super::{negative, score_card_text, score_text, topic_free};
use crate::score::DEFAULT_THRESHOLD;

/// Each `(id, text, term)` scores under the threshold and below `counterpart` (the same kind of
/// words about counseling, which scores at or above it), with `term` as negative evidence.
fn assert_hard_negatives(counterpart: (&str, &str), cases: &[(&str, &str, &str)]) {
    let counseling = score_text(counterpart.0, counterpart.1);
    assert!(counseling.score >= DEFAULT_THRESHOLD, "{counseling:?}");
    for &(id, text, term) in cases {
        let other = score_text(id, text);
        assert!(negative(&other, term), "{id}: {other:?}");
        assert!(other.score < DEFAULT_THRESHOLD, "{id}: {other:?}");
        assert!(other.score < counseling.score, "{id}");
    }
}

#[test]
fn psychology_as_a_research_science_is_not_therapy() {
    assert_hard_negatives(
        (
            "someone/psychology-conversations",
            "Transcripts of psychology conversations between a counselor and clients.",
        ),
        &[
            (
                "lab/psych-experiments",
                "Natural-language transcripts of psychological experiments: choices and reaction times.",
                "psychological experiment",
            ),
            (
                "lab/personality",
                "Big Five personality test answers of 10k people (psychometric data).",
                "psychometric",
            ),
            (
                "lab/cogsci",
                "Cognitive psychology stimuli and responses from a cognitive science study.",
                "cognitive psychology",
            ),
        ],
    );
}

#[test]
fn genetic_and_financial_counseling_are_not_mental_health_counseling() {
    assert_hard_negatives(
        (
            "someone/counselor-questions",
            "Free-form questions answered by a licensed counselor.",
        ),
        &[
            (
                "lab/genetic-counselor-questions",
                "Free-form questions answered by a licensed genetic counselor.",
                "genetic counsel*",
            ),
            (
                "bank/credit-counseling-chats",
                "Chats between clients and a credit counselor about debt.",
                "credit counsel*",
            ),
        ],
    );
}

#[test]
fn exam_items_with_answer_options_are_not_counseling_exchanges() {
    let scorer = crate::score::Scorer::new(
        super::lex(),
        chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
    );
    let with_columns = |columns: &[&str]| {
        let features: Vec<serde_json::Value> = columns
            .iter()
            .map(|n| serde_json::json!({"name": n, "dtype": "string"}))
            .collect();
        let item = serde_json::json!({"id": "lab/counseling-psychology-qa",
            "description": "Counseling psychology questions with answers.",
            "cardData": {"dataset_info": {"features": features}}});
        let record = crate::model::DatasetRecord::from_listing_item(&item).unwrap();
        scorer.score(&record)
    };
    let exchange = with_columns(&["question", "answer"]);
    let exam = with_columns(&["question", "options", "answer"]);
    assert!(exam.relevance < exchange.relevance, "{exam:?} {exchange:?}");
    let detail = serde_json::to_string(&exam.relevance_detail).unwrap();
    assert!(
        detail.contains("answer-option columns in the schema"),
        "{detail}"
    );
}

/// ASCII ids romanise the field's words (心理 xinli / shinri, 상담 sangdam, psikoloji, tâm lý):
/// one such word makes a dataset a candidate, whose README and rows then decide, and with
/// conversation words it is therapy data; the same letters inside other words are no match.
#[test]
fn romanised_field_words_in_ids_make_candidates() {
    use crate::score::SAMPLING_RELEVANCE_FLOOR;
    for id in [
        "lab/xinli",
        "lab/shinri-data",
        "lab/sangdam-data",
        "lab/psikoloji-veri",
        "lab/psiholog-data",
        "lab/tam-ly",
        "lab/curhat",
    ] {
        let result = score_text(id, "");
        assert!(result.score >= SAMPLING_RELEVANCE_FLOOR, "{id}: {result:?}");
    }
    assert!(score_text("lab/xinli-zixun-duihua", "").score >= DEFAULT_THRESHOLD);
    assert!(score_text("lab/psikoloji-sohbet-dialog", "").score >= DEFAULT_THRESHOLD);
    for id in ["lab/tamil-news", "lab/lyrics-tam", "lab/xinlian-stocks"] {
        assert!(topic_free(&score_text(id, "")), "{id}");
    }
}

#[test]
fn a_chat_card_is_not_therapy_for_what_it_cites_or_its_template_comments() {
    // Markup the Hub's cards use besides `## Citation`: a bold "BibTeX:" line, a setext
    // heading, an HTML heading, a bare BibTeX entry, and the card template's comments.
    let readmes = [
        "# Casual chats\n\nEveryday chats between friends.\n\n**BibTeX:**\n\nWe build on a psychotherapy counseling corpus of therapist-client sessions.\n",
        "Casual chats\n============\n\nEveryday chats between friends.\n\nReferences\n----------\n\nA psychotherapy counseling corpus of therapist-client sessions.\n",
        "# Casual chats\n\nEveryday chats between friends.\n\n<h2>Related work</h2>\n\nA psychotherapy counseling corpus of therapist-client sessions.\n",
        "# Casual chats\n\nEveryday chats between friends.\n\n@inproceedings{x,\n  title={A psychotherapy counseling corpus of therapist-client sessions},\n}\n",
        "# Casual chats\n\n<!-- Describe the psychotherapy counseling corpus of therapist-client sessions. -->\n\nEveryday chats between friends.\n",
    ];
    for readme in readmes {
        let prose = crate::score::card::scorable_prose(readme);
        let result = score_card_text("someone/casual-chats", &prose);
        assert!(topic_free(&result), "{readme}: {result:?}");
        // The same sentence as the card's own prose is therapy.
        let plain = readme
            .replace("**BibTeX:**", "")
            .replace("<!--", "")
            .replace("-->", "");
        if !plain.contains("References") && !plain.contains("<h2>") && !plain.contains('@') {
            let read = score_card_text("someone/casual-chats", &plain);
            assert!(read.score >= DEFAULT_THRESHOLD, "{plain}: {read:?}");
        }
    }
}

#[test]
fn vectors_books_and_blogs_about_support_dialogues_are_not_the_dialogues() {
    assert_hard_negatives(
        (
            "lab/support-dialogs",
            "Emotional support dialogs between help-seekers and supporters, from our paper on emotional support dialog systems.",
        ),
        &[
            (
                "lab/glove",
                "GloVe embedding files used to evaluate our paper on emotional support dialog systems.",
                "embedding",
            ),
            (
                "lab/support-books",
                "Books on emotional support dialog systems, as plain text.",
                "book",
            ),
            (
                "lab/support-blogs",
                "Blog entries about emotional support dialog systems, one entry per row.",
                "blog",
            ),
            (
                "lab/vectors",
                "Word vectors trained on emotional support dialog systems data.",
                "word vector",
            ),
        ],
    );
}

#[test]
fn addiction_recovery_support_and_mental_healthcare_are_the_fields_topic() {
    for (id, text) in [
        ("someone/recovery-support-dialogues", ""),
        // "Healthcare" is one word: "mental healthcare" names the field as "mental health" does.
        ("someone/qa", "Questions and answers of mental healthcare."),
        ("someone/mentalhealthcare-qa", ""),
        (
            "someone/chats",
            "Check-in conversations for addiction recovery.",
        ),
    ] {
        let result = score_text(id, text);
        assert!(result.components.domain > 0.3, "{id}: {result:?}");
    }
}

#[test]
fn a_counseling_card_is_therapy_whatever_its_news_and_installation_sections_say() {
    // GitHub-style READMEs (often copied to the Hub) announce papers and benchmarks under
    // "News" and explain the code under "Installation": words about the project, not
    // about what its data is.
    let readme = "# Peer support chats\n\nChats between help-seekers and trained peer supporters.\n\n\
                  ## 🎉 News\n\n- Our FAQ classification benchmark and survey paper made the news.\n\n\
                  ## Installation\n\nDownload the exam and quiz classifier.\n\n\
                  ## 🎉 最新动态\n\n- 我们发布了考试评测和分类基准。\n";
    let score = |card_text: &str| score_card_text("someone/peer-chats", card_text);
    let read = score(&crate::score::card::scorable_prose(readme));
    assert!(read.score >= DEFAULT_THRESHOLD, "{read:?}");
    assert!(read.negatives.is_empty(), "{:?}", read.negatives);
    // The same words in the prose about the data say it is not conversation.
    let whole = score(
        &readme
            .replace("## 🎉 News", "")
            .replace("## Installation", ""),
    );
    assert!(whole.score < DEFAULT_THRESHOLD, "{whole:?}");
}
