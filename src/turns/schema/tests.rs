//! Tests of the schema reader: turn figures and the forms a card's features declare.

use super::*;

#[test]
fn declared_column_names_cover_every_config_and_nested_fields() {
    let card: Value = serde_json::from_str(
        r#"{"dataset_info": [
            {"config_name": "a", "features": [
                {"name": "therapist_response", "dtype": "string"},
                {"name": "messages", "list": [{"name": "role", "dtype": "string"}, {"name": "content", "dtype": "string"}]}
            ]},
            {"config_name": "b", "features": [
                {"name": "clientTalkType", "dtype": "string"},
                {"name": "meta", "struct": [{"name": "counselor_id", "dtype": "int64"}]},
                {"name": "therapist_response", "dtype": "string"}
            ]}
        ]}"#,
    )
    .expect("valid JSON");
    assert_eq!(
        declared_column_names(&card),
        [
            "therapist_response",
            "messages",
            "role",
            "content",
            "clientTalkType",
            "meta",
            "counselor_id"
        ]
    );
    assert!(declared_column_names(&serde_json::json!({"license": "mit"})).is_empty());
    assert!(declared_column_names(&serde_json::json!({"dataset_info": "odd"})).is_empty());
}
use serde_json::json;

#[test]
fn paired_string_columns_are_two_turns() {
    let card = json!({"dataset_info": {"features": [{"name": "Context", "dtype": "string"},
        {"name": "Response", "dtype": "string"}], "splits": [{"name": "train", "num_examples": 3512}]}});
    let e = evidence_from_card_schema(&card).unwrap();
    let f = e.figure.unwrap();
    assert_eq!((f.avg, f.conversations), (2.0, Some(3512)));
    assert_eq!(e.columns, ["Context", "Response"]);
    let alpaca = json!({"dataset_info": [{"config_name": "default", "features": [
        {"name": "instruction", "dtype": "string"}, {"name": "input", "dtype": "string"},
        {"name": "output", "dtype": "string"}]}]});
    assert!(evidence_from_card_schema(&alpaca).unwrap().figure.is_some());
}

#[test]
fn schema_forms() {
    let posts = json!({"dataset_info": {"features": [{"name": "text", "dtype": "string"},
        {"name": "label", "dtype": {"class_label": {"names": {"0": "ok", "1": "risk"}}}}]}});
    assert_eq!(schema_form(&posts), Some(SchemaForm::TextWithLabel));
    let chat = json!({"dataset_info": {"features": [{"name": "messages", "list": [
        {"name": "role", "dtype": "string"}, {"name": "content", "dtype": "string"}]}]}});
    assert_eq!(schema_form(&chat), Some(SchemaForm::ConversationList));
    let qa = json!({"dataset_info": {"features": [{"name": "question", "dtype": "string"},
        {"name": "answer", "dtype": "string"}]}});
    assert_eq!(schema_form(&qa), Some(SchemaForm::PairedColumns));
    assert_eq!(schema_form(&json!({"license": "mit"})), None);
}

/// A card declaring string columns `names` (`dataset_info` as a list of configs when
/// `per_config`).
fn string_columns(names: &[&str], per_config: bool) -> Value {
    let features: Vec<Value> = names
        .iter()
        .map(|n| json!({"name": n, "dtype": "string"}))
        .collect();
    if per_config {
        json!({"dataset_info": [{"config_name": "default", "features": features}]})
    } else {
        json!({"dataset_info": {"features": features}})
    }
}

#[test]
fn exam_items_are_multiple_choice_not_question_and_answer() {
    let columns = |names: &[&str]| string_columns(names, true);
    for exam in [
        columns(&["question", "options", "answer"]),
        columns(&["question", "A", "B", "C", "D", "answer"]),
        columns(&["question", "opa", "opb", "opc", "opd", "cop"]),
    ] {
        assert_eq!(
            schema_form(&exam),
            Some(SchemaForm::MultipleChoice),
            "{exam}"
        );
        // No two-turn figure for an exam's question and answer.
        let evidence = evidence_from_card_schema(&exam).expect("the options are evidence");
        assert!(evidence.figure.is_none(), "{exam}");
        assert!(
            evidence.note.as_deref().is_some_and(|n| n.contains("exam")),
            "{exam}"
        );
    }
    // Three lettered columns are not an exam's four options.
    let pair = columns(&["question", "answer", "A", "B"]);
    assert_eq!(schema_form(&pair), Some(SchemaForm::PairedColumns));
    // A chat log that keeps the API's `choices` is still a conversation.
    let chat_log = json!({"dataset_info": {"features": [
        {"name": "messages", "list": [{"name": "role", "dtype": "string"},
            {"name": "content", "dtype": "string"}]},
        {"name": "choices", "dtype": "string"}]}});
    assert_eq!(schema_form(&chat_log), Some(SchemaForm::ConversationList));
}

#[test]
fn scraped_posts_are_posts_unless_a_column_answers() {
    let features = |names: &[&str]| string_columns(names, false);
    let reddit = features(&["subreddit", "title", "selftext", "num_comments"]);
    assert_eq!(schema_form(&reddit), Some(SchemaForm::Posts));
    let tweets = features(&["tweet_text", "retweet_count"]);
    assert_eq!(schema_form(&tweets), Some(SchemaForm::Posts));
    // A post with the replies it got is peer support, not posts alone.
    let with_replies = features(&["subreddit", "post_body", "topComment"]);
    assert_eq!(schema_form(&with_replies), None);
    // Text columns without any post metadata are no posts; titled, they are documents.
    assert_eq!(schema_form(&features(&["post", "body"])), None);
    assert_eq!(
        schema_form(&features(&["title", "body"])),
        Some(SchemaForm::Documents)
    );
    // A counseling forum's question and answer columns stay a pair.
    let forum = features(&["questionTitle", "questionText", "answerText", "upvotes"]);
    assert_eq!(schema_form(&forum), Some(SchemaForm::PairedColumns));
}

#[test]
fn conversation_lists_and_unpaired_columns_give_no_figure() {
    let chat = json!({"dataset_info": {"features": [{"name": "messages", "list": [
        {"name": "role", "dtype": "string"}, {"name": "content", "dtype": "string"}]}]}});
    assert!(evidence_from_card_schema(&chat).unwrap().figure.is_none());
    let posts = json!({"dataset_info": {"features": [{"name": "text", "dtype": "string"},
        {"name": "label", "dtype": "int64"}]}});
    assert!(evidence_from_card_schema(&posts).is_none());
    assert!(evidence_from_card_schema(&json!({"license": "mit"})).is_none());
}

#[test]
fn titled_texts_are_documents_unless_a_column_asks_answers_or_talks() {
    let features = |names: &[&str]| string_columns(names, false);
    for documents in [
        features(&["title", "text"]),
        features(&["section", "text", "title"]),
        features(&["url", "title", "content"]),
        features(&["Title", "article_body"]),
    ] {
        assert_eq!(
            schema_form(&documents),
            Some(SchemaForm::Documents),
            "{documents}"
        );
    }
    for exchange in [
        features(&["questionTitle", "questionText", "answerText"]),
        features(&["title", "text", "comments"]),
        features(&["title", "dialogue"]),
        features(&["title", "text", "response"]),
        features(&["title", "author", "content"]),
        features(&["text"]),
        features(&["title", "summary"]),
    ] {
        assert_ne!(
            schema_form(&exchange),
            Some(SchemaForm::Documents),
            "{exchange}"
        );
    }
}
