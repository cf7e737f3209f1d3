//! Conversations stored as JSON lists (native cells, or the value decoded from a JSON string):
//! - `{role, content}` objects (also `speaker`/`text`, `author`/`message`, ... key pairs);
//! - ShareGPT `{from, value}` objects (`function_call` / `observation` messages are turns);
//! - plain strings, optionally prefixed with a speaker (`M: ...`, `Speaker 3: ...`, `男：...`);
//! - "round" objects holding one or more speaker fields (`{round, user, supporter}`).
//!
//! The viewer renders a `Sequence` of structs as a dict of lists (`{"role": [...], "content": [...]}`);
//! such dicts are turned back into a list of objects first. A dict wrapping the list under a
//! conversational key (`{"messages": [...]}`) is unwrapped.

use super::conversation::{classify_role, Conversation, Role, Speaker};
use super::labels::label_at;
use serde_json::{Map, Value};

/// Which list layout a cell uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum ListKind {
    /// `{role, content}`-style objects.
    RoleContent,
    /// ShareGPT `{from, value}` objects.
    ShareGpt,
    /// Plain strings.
    Strings,
    /// Objects with speaker fields (`{round, user, supporter}`).
    Rounds,
}

/// A list cell read as a conversation.
#[derive(Debug, Clone)]
pub(crate) struct ListParse {
    /// The layout found.
    pub kind: ListKind,
    /// The turns.
    pub conversation: Conversation,
    /// For string lists: items carrying a speaker prefix.
    pub prefixed_items: usize,
    /// For string lists: non-empty items.
    pub items: usize,
}

/// Keys holding the speaker of a message object, most common first.
const ROLE_KEYS: &[&str] = &[
    "role",
    "from",
    "speaker",
    "author",
    "sender",
    "participant",
    "who",
    "speaker_role",
    "party",
    "actor",
    "user_type",
];

/// Keys holding the text of a message object, most common first.
const TEXT_KEYS: &[&str] = &[
    "content",
    "value",
    "text",
    "message",
    "utterance",
    "msg",
    "body",
    "sentence",
    "utt",
];

/// Keys of a tool call made by the assistant.
const TOOL_CALL_KEYS: &[&str] = &["tool_calls", "function_call"];

/// Keys under which a dict wraps the message list.
const WRAPPER_KEYS: &[&str] = &[
    "messages",
    "conversations",
    "conversation",
    "dialog",
    "dialogue",
    "turns",
    "utterances",
    "chat",
];

/// Speaker fields of round objects, in the order they speak within a round.
const ROUND_FIELDS: &[(&str, Speaker)] = &[
    ("user", Speaker::User),
    ("human", Speaker::User),
    ("usr", Speaker::User),
    ("seeker", Speaker::User),
    ("client", Speaker::User),
    ("patient", Speaker::User),
    ("question", Speaker::User),
    ("prompt", Speaker::User),
    ("query", Speaker::User),
    ("input", Speaker::User),
    ("assistant", Speaker::Assistant),
    ("gpt", Speaker::Assistant),
    ("bot", Speaker::Assistant),
    ("ai", Speaker::Assistant),
    ("model", Speaker::Assistant),
    ("supporter", Speaker::Assistant),
    ("sys", Speaker::Assistant),
    ("therapist", Speaker::Assistant),
    ("counselor", Speaker::Assistant),
    ("counsellor", Speaker::Assistant),
    ("doctor", Speaker::Assistant),
    ("answer", Speaker::Assistant),
    ("response", Speaker::Assistant),
    ("output", Speaker::Assistant),
    ("reply", Speaker::Assistant),
];

/// Reads a cell value as a list conversation. `conversational_name` allows lists of text-only
/// objects (no speaker key) when the column is named like a conversation.
pub(crate) fn parse_list_value(value: &Value, conversational_name: bool) -> Option<ListParse> {
    match value {
        Value::Array(items) => parse_items(items, conversational_name),
        Value::Object(map) => {
            if let Some(inner) = WRAPPER_KEYS.iter().find_map(|k| map.get(*k)) {
                if inner.is_array() {
                    return parse_list_value(inner, true);
                }
            }
            let objects = transpose(map)?;
            let items: Vec<Value> = objects.into_iter().map(Value::Object).collect();
            parse_items(&items, conversational_name)
        }
        _ => None,
    }
}

/// Turns a dict of lists into a list of dicts, using the keys whose lists share the most common
/// length (other keys, e.g. nested dicts of annotations, are dropped).
fn transpose(map: &Map<String, Value>) -> Option<Vec<Map<String, Value>>> {
    let lengths: Vec<usize> = map
        .values()
        .filter_map(|v| Some(v.as_array()?.len()))
        .collect();
    let len = lengths
        .iter()
        .copied()
        .filter(|&n| n > 0)
        .max_by_key(|&n| (lengths.iter().filter(|&&m| m == n).count(), n))?;
    let keys: Vec<(&String, &Vec<Value>)> = map
        .iter()
        .filter_map(|(k, v)| Some((k, v.as_array().filter(|a| a.len() == len)?)))
        .collect();
    let objects = (0..len)
        .map(|i| {
            keys.iter()
                .map(|(k, values)| ((*k).clone(), values.get(i).cloned().unwrap_or(Value::Null)))
                .collect()
        })
        .collect();
    Some(objects)
}

fn parse_items(items: &[Value], conversational_name: bool) -> Option<ListParse> {
    let present: Vec<&Value> = items.iter().filter(|v| !v.is_null()).collect();
    if present.is_empty() {
        return None;
    }
    if present.iter().all(|v| v.is_string()) {
        return Some(parse_strings(&present));
    }
    let objects: Vec<&Map<String, Value>> = present.iter().filter_map(|v| v.as_object()).collect();
    if objects.len() * 2 < present.len() {
        return None;
    }
    let message_like = objects.iter().filter(|o| message_keys(o).is_some()).count();
    if message_like * 2 >= objects.len() && message_like > 0 {
        return Some(parse_messages(&objects));
    }
    let round_like = objects.iter().filter(|o| has_round_field(o)).count();
    if round_like * 2 >= objects.len() && round_like > 0 {
        return Some(parse_rounds(&objects));
    }
    let text_only = objects.iter().filter(|o| text_key(o).is_some()).count();
    if conversational_name && text_only * 2 >= objects.len() && text_only > 0 {
        return Some(parse_messages(&objects));
    }
    None
}

/// The (role key, text key) of a message object; the text key may be absent for a tool call.
fn message_keys(object: &Map<String, Value>) -> Option<(&'static str, Option<&'static str>)> {
    let role = ROLE_KEYS.iter().find(|k| object.contains_key(**k))?;
    let text = text_key(object);
    let tool_call = TOOL_CALL_KEYS.iter().any(|k| object.contains_key(*k));
    (text.is_some() || tool_call).then_some((*role, text))
}

fn text_key(object: &Map<String, Value>) -> Option<&'static str> {
    TEXT_KEYS.iter().copied().find(|k| object.contains_key(*k))
}

fn parse_messages(objects: &[&Map<String, Value>]) -> ListParse {
    let mut conversation = Conversation::default();
    let mut sharegpt_votes = 0usize;
    let mut role_votes = 0usize;
    for object in objects {
        let keys = message_keys(object);
        match keys {
            Some(("from", Some("value"))) => sharegpt_votes += 1,
            Some(_) => role_votes += 1,
            None => {}
        }
        let role = match keys {
            Some((role_key, _)) => role_of(object.get(role_key)),
            None => Role::Speaker(Speaker::Unknown),
        };
        let Role::Speaker(speaker) = role else {
            continue;
        };
        let text = text_key(object)
            .and_then(|k| object.get(k))
            .map(content_text)
            .unwrap_or_default();
        let tool_call = TOOL_CALL_KEYS
            .iter()
            .any(|k| object.get(*k).is_some_and(is_non_empty));
        if tool_call {
            conversation.push_always(speaker, &text);
        } else {
            conversation.push(speaker, &text);
        }
    }
    let kind = if sharegpt_votes > role_votes {
        ListKind::ShareGpt
    } else {
        ListKind::RoleContent
    };
    ListParse {
        kind,
        conversation,
        prefixed_items: 0,
        items: objects.len(),
    }
}

/// The role of a message from its role field (a string, a number, or `{role: ...}`).
fn role_of(value: Option<&Value>) -> Role {
    match value {
        Some(Value::String(s)) => classify_role(s),
        Some(Value::Number(n)) => Role::Speaker(Speaker::Named(n.to_string())),
        Some(Value::Object(o)) => role_of(o.get("role").or_else(|| o.get("name"))),
        _ => Role::Speaker(Speaker::Unknown),
    }
}

fn is_non_empty(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

/// Text of a message content: a string, a list of parts, or `{parts: [...]}` / `{text: ...}`.
/// Non-text parts (images, audio) count as content so the message is not "empty".
fn content_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(parts) => parts
            .iter()
            .map(|part| match part {
                Value::Object(o) => match o.get("text").or_else(|| o.get("content")) {
                    Some(inner) => content_text(inner),
                    None => "[non-text content]".to_string(),
                },
                other => content_text(other),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Object(o) => ["parts", "text", "content"]
            .iter()
            .find_map(|k| o.get(*k))
            .map(content_text)
            .unwrap_or_default(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn parse_strings(items: &[&Value]) -> ListParse {
    let mut conversation = Conversation::default();
    let mut prefixed_items = 0;
    let mut non_empty = 0;
    for item in items.iter().filter_map(|v| v.as_str()) {
        let trimmed = item.trim();
        if trimmed.is_empty() {
            continue;
        }
        match label_at(trimmed) {
            Some((label, end)) => {
                non_empty += 1;
                prefixed_items += 1;
                if trimmed.get(end..).is_none_or(|rest| rest.trim().is_empty()) {
                    continue; // a speaker with an empty message
                }
                if let Role::Speaker(speaker) = classify_role(label) {
                    conversation.push(speaker, trimmed);
                }
            }
            None => {
                non_empty += 1;
                conversation.push(Speaker::Unknown, trimmed);
            }
        }
    }
    ListParse {
        kind: ListKind::Strings,
        conversation,
        prefixed_items,
        items: non_empty,
    }
}

fn round_field(key: &str) -> Option<Speaker> {
    let key = key.to_lowercase();
    ROUND_FIELDS
        .iter()
        .find(|(name, _)| *name == key)
        .map(|(_, speaker)| speaker.clone())
}

fn has_round_field(object: &Map<String, Value>) -> bool {
    object.keys().any(|k| round_field(k).is_some())
}

fn parse_rounds(objects: &[&Map<String, Value>]) -> ListParse {
    let mut conversation = Conversation::default();
    for object in objects {
        for (name, speaker) in ROUND_FIELDS {
            let Some((_, value)) = object.iter().find(|(k, _)| k.to_lowercase() == *name) else {
                continue;
            };
            match value {
                Value::String(s) => conversation.push(speaker.clone(), s),
                Value::Array(items) => {
                    for s in items.iter().filter_map(Value::as_str) {
                        conversation.push(speaker.clone(), s);
                    }
                }
                _ => {}
            }
        }
    }
    ListParse {
        kind: ListKind::Rounds,
        conversation,
        prefixed_items: 0,
        items: objects.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(value: Value) -> (ListKind, u32, u32) {
        let p = parse_list_value(&value, false).unwrap();
        (
            p.kind,
            p.conversation.turn_count(),
            p.conversation.speaker_switches(),
        )
    }

    #[test]
    fn message_lists() {
        let chat = json!([{"role":"system","content":"x"},{"role":"user","content":"a"},
            {"role":"assistant","content":""},{"role":"assistant","content":null,"tool_calls":[{"id":"1"}]},
            {"role":"tool","content":"r"},{"role":"assistant","content":[{"type":"text","text":"b"}]}]);
        assert_eq!(parse(chat), (ListKind::RoleContent, 4, 3));
        let sharegpt = json!([{"from":"human","value":"a"},{"from":"gpt","value":"b"}]);
        assert_eq!(parse(sharegpt), (ListKind::ShareGpt, 2, 1));
        let columnar =
            json!({"from":["human","gpt","human"],"value":["a","b","c"],"frames":{"x":[1]}});
        assert_eq!(parse(columnar), (ListKind::ShareGpt, 3, 2));
        let wrapped =
            json!({"messages":[{"speaker":"usr","text":"a"},{"speaker":"sys","text":"b"}]});
        assert_eq!(parse(wrapped), (ListKind::RoleContent, 2, 1));
    }

    #[test]
    fn strings_and_rounds() {
        let strings = json!(["M: hi", "W: ", "W: hello", "M: bye"]);
        assert_eq!(parse(strings), (ListKind::Strings, 3, 2));
        let rounds =
            json!([{"round":1,"user":"a","supporter":"b"},{"round":2,"user":"c","supporter":""}]);
        assert_eq!(parse(rounds), (ListKind::Rounds, 3, 2));
        let tools = json!([{"name":"f","description":"d","parameters":{}}]);
        assert!(parse_list_value(&tools, false).is_none());
        let texts = json!([{"text":"a"},{"text":"b"}]);
        assert!(parse_list_value(&texts, false).is_none());
        assert_eq!(
            parse_list_value(&texts, true)
                .unwrap()
                .conversation
                .turn_count(),
            2
        );
    }
}
