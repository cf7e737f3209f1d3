//! Turn figures from the card's schema alone (`cardData.dataset_info.features`), no row read.
//!
//! A row made of one asking text column and one answering text column (`Context`/`Response`,
//! `question`/`answer`, `instruction`/`input`/`output`, `prompt`/`completion`,
//! `questionText`/`answerText`) is one exchange: 2 turns, for every row of the split. A column
//! holding a list (a conversation) tells the layout but not its length: no figure. Neither do
//! a question's answer-option columns (`options`, `A`–`D`): an exam item is no exchange, even
//! beside `question` and `answer` columns. The YAML form lists features as `{name, dtype}` (or
//! nested `sequence`/`list`/`struct`); `dataset_info` is one object or a list of per-config
//! objects.
//!
//! [`schema_form`] names the form the features declare, for the relevance scorer: a
//! conversation list, question/answer columns, text with a class label, scraped posts, exam
//! items, or titled documents (`title` + `text`: articles, chapters, worksheets).

use super::evidence::{EvidenceSource, Figure, FigureKind, TurnEvidence};
use super::names::{self, Side};
use serde_json::Value;

/// The `dataset_info` entry the schema is read from: the `default` config, else the first
/// (`dataset_info` is one object or a list of per-config objects).
fn main_config(card_data: &Value) -> Option<&Value> {
    match card_data.get("dataset_info")? {
        Value::Array(configs) => configs
            .iter()
            .find(|c| c.get("config_name").and_then(Value::as_str) == Some("default"))
            .or_else(|| configs.first()),
        other => Some(other),
    }
}

/// What the declared features of one config hold, as far as turns go.
enum Declared<'a> {
    /// A column holding a list of messages: the layout is known, its length is not.
    ConversationList(&'a str),
    /// A question with its answer options: an exam item, not an exchange.
    AnswerOptions,
    /// Asking text columns and one answering text column: one exchange a row.
    Paired {
        asking: Vec<&'a str>,
        answering: &'a str,
    },
    /// Nothing that says how rows are laid out.
    Nothing,
}

/// Reads one config's `features` (a conversation-list column decides before anything else:
/// chat logs keep the API's `choices`).
fn read_declared(features: &[Value]) -> Declared<'_> {
    let mut strings: Vec<&str> = Vec::new();
    for feature in features {
        let Some(name) = feature.get("name").and_then(Value::as_str) else {
            continue;
        };
        let is_string = feature.get("dtype").and_then(Value::as_str) == Some("string");
        let is_list = ["sequence", "list"]
            .iter()
            .any(|k| feature.get(*k).is_some());
        if is_list
            && (names::is_conversational(name)
                || names::tokens(name).iter().any(|t| t == "history"))
        {
            return Declared::ConversationList(name);
        }
        if is_string {
            strings.push(name);
        }
    }
    if has_answer_options(features) {
        return Declared::AnswerOptions;
    }
    let asking: Vec<&str> = strings
        .iter()
        .copied()
        .filter(|n| names::side(n) == Some(Side::User))
        .collect();
    match strings
        .iter()
        .copied()
        .find(|n| names::side(n) == Some(Side::Assistant))
    {
        Some(answering) if !asking.is_empty() => Declared::Paired { asking, answering },
        _ => Declared::Nothing,
    }
}

/// Evidence from `card_data`, or `None` when the card declares no features or none that tell
/// the layout.
pub fn evidence_from_card_schema(card_data: &Value) -> Option<TurnEvidence> {
    let config = main_config(card_data)?;
    let features = config.get("features")?.as_array()?;
    let detail = match config.get("config_name").and_then(Value::as_str) {
        Some(name) => format!("dataset_info.features ({name})"),
        None => "dataset_info.features".to_string(),
    };
    let (asking, answering) = match read_declared(features) {
        Declared::ConversationList(name) => {
            return Some(TurnEvidence {
                columns: vec![name.to_string()],
                ..TurnEvidence::nothing(
                    EvidenceSource::Schema,
                    &detail,
                    "a conversation-list column: the layout is known, its length is not",
                )
            })
        }
        Declared::AnswerOptions => {
            return Some(TurnEvidence::nothing(
                EvidenceSource::Schema,
                &detail,
                "answer-option columns: exam items (a question and its options), not exchanges",
            ))
        }
        Declared::Paired { asking, answering } => (asking, answering),
        Declared::Nothing => return None,
    };
    let first_asking = asking.first().copied().unwrap_or(answering);
    let rows = split_rows(config);
    let mut columns: Vec<String> = asking.iter().map(|s| s.to_string()).collect();
    columns.push(answering.to_string());
    Some(TurnEvidence {
        source: EvidenceSource::Schema,
        figure: Some(Figure {
            kind: FigureKind::Exact,
            avg: 2.0,
            median: Some(2.0),
            min: Some(2),
            max: Some(2),
            conversations: rows,
        }),
        detail,
        layout: Some("paired_columns".to_string()),
        columns,
        note: Some(format!(
            "one exchange a row: `{first_asking}` asks, `{answering}` answers"
        )),
    })
}

/// What the declared columns say about the data's form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaForm {
    /// A column holding a list of messages (`messages`, `conversations`, `dialog`, `history`).
    ConversationList,
    /// One asking and one answering text column (`Context`/`Response`, `question`/`answer`).
    PairedColumns,
    /// Text with a class label (`text` + `label`): classification data, not conversation.
    TextWithLabel,
    /// Social-media posts: a text column beside a post's own metadata (`subreddit`,
    /// `selftext`, `num_comments`, `upvotes`, `created_utc`, `retweet_count`) and no column
    /// that answers (`reply`, `response`, `comment`, `answer`): what people wrote, not a
    /// conversation with a helper.
    Posts,
    /// Exam items: a question with its answer options (`options`, `choices`, `A`–`D`,
    /// MedMCQA's `opa`–`opd`). Checked before question/answer pairing: an exam's `question` and
    /// `answer` columns are no exchange.
    MultipleChoice,
    /// Documents: a `title` text column beside the document's text (`text`, `content`,
    /// `body`, `article`) and no column that asks, answers or holds a conversation: articles,
    /// book chapters, worksheets, wiki pages.
    Documents,
}

/// Column names that hold an exam item's answer options.
const OPTION_COLUMNS: [&str; 8] = [
    "options",
    "choices",
    "option_a",
    "choice_a",
    "optiona",
    "choicea",
    "opa",
    "distractor1",
];

/// Whether the declared features hold answer options: an options column, or columns named
/// `A`, `B`, `C` and `D`.
fn has_answer_options(features: &[Value]) -> bool {
    let names: Vec<String> = features
        .iter()
        .filter_map(|f| f.get("name").and_then(Value::as_str))
        .map(|n| n.to_lowercase())
        .collect();
    let lettered = ["a", "b", "c", "d"]
        .iter()
        .all(|letter| names.iter().any(|n| n == letter));
    lettered || names.iter().any(|n| OPTION_COLUMNS.contains(&n.as_str()))
}

/// Columns only a scraped social-media post has (a counseling forum's answers come with
/// `upvotes` too, but as an answering column, which makes the row a question/answer pair).
const POST_METADATA_COLUMNS: [&str; 10] = [
    "subreddit",
    "selftext",
    "num_comments",
    "upvotes",
    "upvote_ratio",
    "ups",
    "created_utc",
    "permalink",
    "retweet_count",
    "retweets",
];

/// Column-name words that make a post a conversation (a post and the replies it got).
const ANSWERING_WORDS: [&str; 8] = [
    "reply",
    "replies",
    "response",
    "responses",
    "comment",
    "comments",
    "answer",
    "answers",
];

/// The form the card's `dataset_info.features` declare, if they say.
pub fn schema_form(card_data: &Value) -> Option<SchemaForm> {
    let features = main_config(card_data)
        .and_then(|config| config.get("features"))
        .and_then(Value::as_array)?;
    match read_declared(features) {
        Declared::ConversationList(_) => return Some(SchemaForm::ConversationList),
        Declared::AnswerOptions => return Some(SchemaForm::MultipleChoice),
        Declared::Paired { .. } => return Some(SchemaForm::PairedColumns),
        Declared::Nothing => {}
    }
    let named = |f: &Value| {
        f.get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_lowercase()
    };
    let is_label = |f: &Value| {
        let name = named(f);
        let class_label = f.get("class_label").is_some()
            || f.get("dtype")
                .is_some_and(|d| d.get("class_label").is_some());
        class_label
            || matches!(
                name.as_str(),
                "label" | "labels" | "class" | "category" | "target" | "sentiment" | "emotion"
            )
    };
    let is_text = |f: &Value| {
        f.get("dtype").and_then(Value::as_str) == Some("string")
            && name_has_word(
                &named(f),
                &[
                    "text", "selftext", "sentence", "post", "tweet", "content", "body", "title",
                    "comment",
                ],
            )
    };
    if features.iter().any(is_label) && features.iter().any(is_text) {
        return Some(SchemaForm::TextWithLabel);
    }
    let post_metadata = features
        .iter()
        .any(|f| POST_METADATA_COLUMNS.contains(&named(f).as_str()));
    // `num_comments` counts replies; it holds none.
    let answers = features.iter().any(|f| {
        !POST_METADATA_COLUMNS.contains(&named(f).as_str())
            && name_has_word(
                f.get("name").and_then(Value::as_str).unwrap_or(""),
                &ANSWERING_WORDS,
            )
    });
    if post_metadata && !answers && features.iter().any(is_text) {
        return Some(SchemaForm::Posts);
    }
    is_documents(features).then_some(SchemaForm::Documents)
}

/// Column-name words of a document's own text (beside its `title`).
const DOCUMENT_TEXT_WORDS: [&str; 5] = ["text", "content", "body", "article", "chapter"];

/// Whether the declared features are documents: a `title` column, a column of the document's
/// text, and no column that asks, answers, names a speaker or holds a conversation (a forum
/// question's `questionTitle` beside `answerText` is an exchange, not a document).
fn is_documents(features: &[Value]) -> bool {
    let names: Vec<&str> = features
        .iter()
        .filter_map(|f| f.get("name").and_then(Value::as_str))
        .collect();
    let titled = names.iter().any(|n| n.eq_ignore_ascii_case("title"));
    let text = names.iter().any(|n| name_has_word(n, &DOCUMENT_TEXT_WORDS));
    let exchange = names.iter().any(|n| {
        names::is_conversational(n)
            || names::side(n).is_some()
            || names::is_speaker(n)
            || name_has_word(n, &ANSWERING_WORDS)
    });
    titled && text && !exchange
}

/// Whether one of the words of column `name` (`answerText` → answer, text) is in `words`.
fn name_has_word(name: &str, words: &[&str]) -> bool {
    names::tokens(name)
        .iter()
        .any(|t| words.contains(&t.as_str()))
}

/// Most column names [`declared_column_names`] returns (a card can declare thousands).
const MAX_DECLARED_COLUMNS: usize = 200;

/// Every column name the card declares, in every config, nested ones included (`messages` →
/// `role`, `content`), each once, in order of first appearance, at most
/// `MAX_DECLARED_COLUMNS` (200).
pub fn declared_column_names(card_data: &Value) -> Vec<String> {
    let Some(info) = card_data.get("dataset_info") else {
        return Vec::new();
    };
    let configs: Vec<&Value> = match info {
        Value::Array(configs) => configs.iter().collect(),
        other => vec![other],
    };
    let mut names: Vec<String> = Vec::new();
    let mut pending: Vec<&Value> = configs
        .iter()
        .rev()
        .filter_map(|c| c.get("features"))
        .collect();
    while let Some(node) = pending.pop() {
        if names.len() >= MAX_DECLARED_COLUMNS {
            break;
        }
        match node {
            Value::Array(items) => pending.extend(items.iter().rev()),
            Value::Object(map) => {
                if let Some(name) = map.get("name").and_then(Value::as_str) {
                    if !names.iter().any(|n| n == name) {
                        names.push(name.to_string());
                    }
                }
                for key in ["sequence", "list", "struct", "dtype", "feature"] {
                    if let Some(inner) = map.get(key).filter(|v| v.is_array() || v.is_object()) {
                        pending.push(inner);
                    }
                }
            }
            _ => {}
        }
    }
    names
}

/// Rows of the `train` split (else all splits) declared in the config's `splits`.
fn split_rows(config: &Value) -> Option<u64> {
    let splits = config.get("splits")?.as_array()?;
    let rows = |s: &Value| s.get("num_examples").and_then(Value::as_u64);
    splits
        .iter()
        .find(|s| s.get("name").and_then(Value::as_str) == Some("train"))
        .and_then(rows)
        .or_else(|| {
            let total: u64 = splits.iter().filter_map(rows).sum();
            (total > 0).then_some(total)
        })
}

#[cfg(test)]
mod tests;
