//! Kinds end to end: `--kind` filters, JSON carries `kind`, `--explain` and `show` say which
//! evidence moved the relevance (topic, form, structure); rows the sync samples tell a
//! mental-health FAQ from counseling Q&A with the same card.

use crate::common::fake_hub::{FakeHub, ViewerDataset, ViewerSplit};
use crate::common::{assert_ok, stdout, therapy_item, Sandbox};
use serde_json::{json, Value};

fn item(n: usize, id: &str, description: &str, tags: &[&str], card: Value) -> Value {
    json!({"_id": format!("{n:024x}"), "id": id, "sha": format!("{n:040x}"), "description": description,
        "tags": tags, "createdAt": "2024-01-01T00:00:00.000Z",
        "lastModified": "2025-01-01T00:00:00.000Z", "downloads": 10, "likes": 1, "cardData": card})
}

#[test]
fn kind_filter_json_and_explanations() {
    let posts_card = json!({"dataset_info": {"features": [{"name": "text", "dtype": "string"},
        {"name": "label", "dtype": {"class_label": {"names": {"0": "none", "1": "depression"}}}}]}});
    let chat_card = json!({"dataset_info": {"features": [{"name": "messages", "list": [
        {"name": "role", "dtype": "string"}, {"name": "content", "dtype": "string"}]}]}});
    let items = [
        item(1, "lab/depression-reddit-posts", "Reddit posts from mental health subreddits labelled for depression and anxiety.", &["mental-health"], posts_card),
        item(2, "clinic/therapy-sessions", "Therapy session conversations between a counselor and clients with depression and anxiety.", &["mental-health"], chat_card),
        item(3, "shop/street-images", "Street scene photos with bounding boxes.", &["task_categories:object-detection"], json!({})),
    ];
    let sandbox = Sandbox::new();
    sandbox.import_items(&items);

    let text = sandbox.query_names(&["--kind", "mental_health_text"]);
    assert_eq!(text, ["lab/depression-reddit-posts"]);
    let conversation = sandbox.query_names(&["--kind", "counseling_conversation"]);
    assert_eq!(conversation, ["clinic/therapy-sessions"]);
    let posts = sandbox.show_json("lab/depression-reddit-posts");
    assert_eq!(posts["kind"], "mental_health_text");
    let explained =
        stdout(&sandbox.run(&["query", "depression", "--explain", "--min-relevance", "0"]));
    assert!(
        explained.contains("kind: mental_health_text"),
        "{explained}"
    );
    assert!(
        explained.contains("text with a class label in the schema"),
        "{explained}"
    );
    let show = stdout(&sandbox.run(&["show", "clinic/therapy-sessions"]));
    assert!(show.contains("relevance evidence"), "{show}");
    assert!(show.contains("counseling_conversation"), "{show}");
    let bad = sandbox.run(&["query", "--kind", "nonsense"]);
    assert_eq!(bad.status.code(), Some(2));
}

/// Two datasets with the same card ("Mental health questions and answers."), each served with
/// its own viewer rows, synced into a new sandbox.
fn sync_card_twins(hub: &FakeHub, twins: [(&str, Vec<Value>); 2]) -> Sandbox {
    for (id, rows) in twins {
        hub.add_dataset(therapy_item(id, "Mental health questions and answers."));
        hub.set_viewer(
            id,
            ViewerDataset::new().with_split(ViewerSplit::new("default", "train", rows)),
        );
    }
    let sandbox = Sandbox::new();
    assert_ok(&sandbox.sync(&hub.url(), &[]));
    sandbox
}

/// A card declaring string columns `names`.
fn string_columns(names: &[&str]) -> Value {
    json!({"dataset_info": {"features": names.iter()
        .map(|n| json!({"name": n, "dtype": "string"})).collect::<Vec<_>>()}})
}

/// A synced dataset's relevance (NaN when missing, so that no comparison holds).
fn relevance(record: &Value) -> f64 {
    record["therapeutic_relevance"].as_f64().unwrap_or(f64::NAN)
}

#[test]
fn sampled_rows_tell_an_faq_from_counseling_questions() {
    let hub = FakeHub::start();
    hub.set_quota(100_000);
    let pair = |question: &str, answer: &str| json!({"Question": question, "Answer": answer});
    let faq_rows = vec![
        pair("What is a panic attack?", "A panic attack is a sudden episode of intense fear."),
        pair("What are the common symptoms of depression?", "Common symptoms include low mood and loss of interest."),
        pair("What causes anxiety disorders?", "Anxiety disorders are characterized by excessive worry; research suggests several causes."),
        pair("Where can I find help?", "For more information, contact a local clinic."),
    ];
    let counseling_rows = vec![
        pair(
            "I've been feeling so empty since my divorce and I don't know what to do.",
            "It sounds like you are carrying a lot right now. You are not alone.",
        ),
        pair(
            "I feel like nobody cares about me at work.",
            "That must be hard. Can you tell me more about what happens there?",
        ),
        pair(
            "My anxiety keeps me awake every night.",
            "It makes sense that you are exhausted. How are you feeling today?",
        ),
        pair(
            "I am struggling to get out of bed.",
            "I hear you. What would help you take one small step?",
        ),
    ];
    let sandbox = sync_card_twins(
        &hub,
        [
            ("care/mental-health-answers", faq_rows),
            ("care/mental-health-questions", counseling_rows),
        ],
    );
    let faq = sandbox.show_json("care/mental-health-answers");
    let counseling = sandbox.show_json("care/mental-health-questions");
    assert!(
        relevance(&counseling) >= 0.5 && relevance(&faq) < 0.5,
        "counseling {} vs FAQ {}",
        relevance(&counseling),
        relevance(&faq)
    );
    assert_eq!(
        counseling["kind"], "counseling_conversation",
        "{counseling:#}"
    );
    assert_eq!(faq["kind"], "mental_health_text", "{faq:#}");
    let shown = stdout(&sandbox.run(&["show", "care/mental-health-answers"]));
    assert!(shown.contains("what are the"), "{shown}");
    assert_eq!(
        faq["turns_layout"], counseling["turns_layout"],
        "the same layout: {faq:#}"
    );
}

#[test]
fn sampled_exam_rows_are_no_conversation_whatever_their_pair_layout() {
    let hub = FakeHub::start();
    hub.set_quota(100_000);
    let pair =
        |instruction: &str, output: &str| json!({"instruction": instruction, "output": output});
    let exam_rows = vec![
        pair(
            "I feel anxious before exams. Which technique is CBT? (A) Thought records (B) Free association (C) Hypnosis (D) Dream analysis",
            "(A) Thought records help the client examine anxious thoughts.",
        ),
        pair(
            "A client feels depressed. Which is a symptom? A) Anhedonia B) Mania C) Tics D) Aphasia",
            "A) Anhedonia, a loss of interest.",
        ),
    ];
    let counseling_rows = vec![
        pair(
            "I've been feeling anxious before every exam and I can't sleep.",
            "It sounds like the exams weigh on you. What goes through your mind at night?",
        ),
        pair(
            "I feel depressed and nobody notices.",
            "That must be lonely. Can you tell me more about how it started?",
        ),
    ];
    let sandbox = sync_card_twins(
        &hub,
        [
            ("care/psychology-exam-pairs", exam_rows),
            ("care/psychology-counseling-pairs", counseling_rows),
        ],
    );
    let exam = sandbox.show_json("care/psychology-exam-pairs");
    let counseling = sandbox.show_json("care/psychology-counseling-pairs");
    assert!(
        relevance(&counseling) >= 0.5 && relevance(&exam) < 0.5,
        "counseling {} vs exam {}",
        relevance(&counseling),
        relevance(&exam)
    );
    assert_eq!(exam["kind"], "mental_health_text", "{exam:#}");
    let shown = stdout(&sandbox.run(&["show", "care/psychology-exam-pairs"]));
    assert!(shown.contains("answer options in the rows"), "{shown}");
}

#[test]
fn scraped_post_columns_make_mental_health_text_of_support_words() {
    let description =
        "Mental health support conversations: people ask for help with depression and anxiety.";
    // Declared columns: a scrape of posts, and posts with the replies they got.
    let columns = |post: &str, answer: Option<&str>| {
        let mut names = vec!["subreddit", post, "num_comments"];
        names.extend(answer);
        string_columns(&names)
    };
    let items = [
        item(
            1,
            "peers/support-posts",
            description,
            &["mental-health"],
            columns("selftext", None),
        ),
        item(
            2,
            "peers/support-replies",
            description,
            &["mental-health"],
            columns("post", Some("reply")),
        ),
    ];
    let sandbox = Sandbox::new();
    sandbox.import_items(&items);
    let posts = sandbox.show_json("peers/support-posts");
    let replies = sandbox.show_json("peers/support-replies");
    assert_eq!(posts["kind"], "mental_health_text", "{posts}");
    assert!(relevance(&posts) < 0.5, "{posts}");
    // The same words over posts and the replies they got stay a support conversation.
    assert!(relevance(&replies) >= 0.5, "{replies}");
    let show = stdout(&sandbox.run(&["show", "peers/support-posts"]));
    assert!(
        show.contains("social-media post columns in the schema"),
        "{show}"
    );
}

/// The Hub derives `modality:` tags from the data files: a "cbt" dataset whose files are
/// images and documents holds no written exchanges, while its text twin stays a candidate
/// for therapy conversation.
#[test]
fn data_without_a_text_modality_is_no_conversation_whatever_its_name() {
    let items = [
        item(
            1,
            "scans/cbt-data",
            "",
            &["modality:image", "modality:document"],
            json!({}),
        ),
        item(2, "clinic/cbt-data", "", &["modality:text"], json!({})),
    ];
    let sandbox = Sandbox::new();
    sandbox.import_items(&items);
    let scans = sandbox.show_json("scans/cbt-data");
    let text = sandbox.show_json("clinic/cbt-data");
    assert!(relevance(&scans) < 0.5, "{scans}");
    assert_ne!(scans["kind"], "counseling_conversation", "{scans}");
    assert!(relevance(&text) >= 0.5, "{text}");
    let show = stdout(&sandbox.run(&["show", "scans/cbt-data"]));
    assert!(show.contains("no text modality in the Hub tags"), "{show}");
}

/// Articles, book chapters and worksheets declare a `title` and their text: the same therapy
/// words over such columns are reading matter, over a conversation column a dialogue.
#[test]
fn titled_document_columns_make_mental_health_text_of_therapy_words() {
    let description = "CBT therapy for depression and anxiety: reframing negative thoughts.";
    let columns = string_columns;
    let items = [
        item(
            1,
            "press/cbt-therapy-chapters",
            description,
            &["mental-health"],
            columns(&["title", "section", "text"]),
        ),
        item(
            2,
            "clinic/cbt-therapy-sessions",
            description,
            &["mental-health"],
            columns(&["title", "dialogue"]),
        ),
    ];
    let sandbox = Sandbox::new();
    sandbox.import_items(&items);
    let chapters = sandbox.show_json("press/cbt-therapy-chapters");
    let sessions = sandbox.show_json("clinic/cbt-therapy-sessions");
    assert_eq!(chapters["kind"], "mental_health_text", "{chapters}");
    assert!(relevance(&chapters) < 0.5, "{chapters}");
    assert!(relevance(&sessions) >= 0.5, "{sessions}");
    let show = stdout(&sandbox.run(&["show", "press/cbt-therapy-chapters"]));
    assert!(
        show.contains("document columns (title and text) in the schema"),
        "{show}"
    );
}
