//! Kinds end to end: `--kind` filters, JSON carries `kind`, `--explain` and `show` say which
//! evidence moved the relevance (topic, form, structure).

use crate::common::{stdout, Sandbox};
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
