//! What a column's name says about its role: conversation text, one side of a paired exchange,
//! a conversation id, a speaker, or metadata that is never a turn (personas, choices, tools...).
//!
//! Names are split into lower-case word tokens (`questionText` → `question text`,
//! `Dialogue_ID` → `dialogue id`) and matched token by token, never against dataset ids.

/// Tokens of columns that are never conversation text (personas, answer choices, tool schemas...).
const NEVER_CONVERSATION: &[&str] = &[
    "persona",
    "personas",
    "personality",
    "profile",
    "profiles",
    "tool",
    "tools",
    "function",
    "functions",
    "choice",
    "choices",
    "option",
    "options",
    "label",
    "labels",
    "relation",
    "relations",
    "metadata",
    "meta",
    "tag",
    "tags",
    "keyword",
    "keywords",
    "knowledge",
    "fact",
    "facts",
    "emotion",
    "emotions",
    "strategy",
    "topic",
    "topics",
    "category",
    "categories",
    "url",
    "link",
    "embedding",
    "embeddings",
    "candidates",
    "questions",
    "answers",
    "system",
    "id",
    "ids",
];

/// Tokens of columns named as holding a whole conversation.
const CONVERSATIONAL: &[&str] = &[
    "dialog",
    "dialogue",
    "dialogs",
    "dialogues",
    "conversation",
    "conversations",
    "conv",
    "convs",
    "utterances",
    "turns",
    "messages",
    "chat",
    "chats",
    "history",
    "transcript",
    "transcripts",
    "exchanges",
    "session",
    "sessions",
];

/// Tokens of the asking side of a paired layout.
const USER_SIDE: &[&str] = &[
    "instruction",
    "input",
    "context",
    "question",
    "prompt",
    "query",
    "user",
    "human",
    "patient",
    "client",
    "seeker",
    "request",
    "post",
    // Other languages the field publishes in.
    "pregunta",
    "consulta",
    "pergunta",
    "frage",
    "вопрос",
    "问题",
    "提问",
    "질문",
    "質問",
    "سؤال",
];

/// Tokens of the answering side of a paired layout.
const ASSISTANT_SIDE: &[&str] = &[
    "response",
    "output",
    "answer",
    "completion",
    "assistant",
    "gpt",
    "bot",
    "ai",
    "reply",
    "therapist",
    "counselor",
    "counsellor",
    "doctor",
    "supporter",
    "chosen",
    "target",
    "respuesta",
    "resposta",
    "antwort",
    "ответ",
    "回答",
    "回复",
    "답변",
    "جواب",
    "إجابة",
];

/// Tokens that make a column metadata even when it also names a side (`questionID`, `answer_start`).
const SIDE_EXCLUDED: &[&str] = &[
    "id",
    "ids",
    "idx",
    "index",
    "link",
    "url",
    "type",
    "label",
    "labels",
    "category",
    "score",
    "scores",
    "upvotes",
    "views",
    "len",
    "length",
    "count",
    "lang",
    "language",
    "embedding",
    "source",
    "num",
    "title",
    "topic",
    "tag",
    "tags",
    "rating",
    "date",
    "time",
    "timestamp",
    "emotion",
    "strategy",
    "rejected",
    "start",
    "end",
    "system",
];

/// Tokens naming a conversation (combined with an id token for a conversation-id column).
const CONVERSATION_WORDS: &[&str] = &[
    "dialog",
    "dialogue",
    "conversation",
    "conv",
    "session",
    "chat",
    "thread",
    "episode",
    "dialogo",
    "diálogo",
    "conversacion",
    "conversación",
    "conversa",
    "sesion",
    "sesión",
    "sessao",
    "sessão",
    "gespräch",
    "sitzung",
    "диалог",
    "对话",
    "会话",
    "対話",
    "대화",
];

/// Tokens of an identifier.
const ID_WORDS: &[&str] = &["id", "idx", "key", "no", "number"];

/// Tokens of a per-row speaker column.
const SPEAKER_WORDS: &[&str] = &[
    "speaker",
    "role",
    "from",
    "author",
    "sender",
    "participant",
    "interlocutor",
    "hablante",
    "rol",
    "falante",
    "papel",
    "sprecher",
    "rolle",
    "говорящий",
    "роль",
    "角色",
    "说话人",
    "話者",
    "화자",
];

/// Tokens of a per-row utterance text column, most specific first.
const UTTERANCE_WORDS: &[&str] = &[
    "utterance",
    "utt",
    "text",
    "message",
    "content",
    "sentence",
    "texto",
    "mensaje",
    "mensagem",
    "текст",
    "内容",
    "turn",
];

/// Splits a column name into lower-case tokens at non-alphanumerics, camelCase and digit changes.
pub(crate) fn tokens(name: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous: Option<char> = None;
    for c in name.chars() {
        if !c.is_alphanumeric() {
            flush(&mut out, &mut current);
            previous = None;
            continue;
        }
        if let Some(p) = previous {
            let camel = p.is_lowercase() && c.is_uppercase();
            let digit_change = p.is_ascii_digit() != c.is_ascii_digit();
            if camel || digit_change {
                flush(&mut out, &mut current);
            }
        }
        current.extend(c.to_lowercase());
        previous = Some(c);
    }
    flush(&mut out, &mut current);
    out
}

fn flush(out: &mut Vec<String>, current: &mut String) {
    if !current.is_empty() {
        out.push(std::mem::take(current));
    }
}

fn has_any(name: &str, words: &[&str]) -> bool {
    tokens(name).iter().any(|t| words.contains(&t.as_str()))
}

/// True for columns that must never be read as conversation text.
pub(crate) fn is_never_conversation(name: &str) -> bool {
    has_any(name, NEVER_CONVERSATION)
}

/// True for columns whose name says they hold a conversation (`dialog`, `messages`, ...).
pub(crate) fn is_conversational(name: &str) -> bool {
    has_any(name, CONVERSATIONAL)
}

/// Which side of an exchange a column holds, judged from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    /// The asking side (prompt, question, context, instruction, input, ...).
    User,
    /// The answering side (response, answer, output, completion, chosen, ...).
    Assistant,
}

/// The side a column's name places it on; `None` for metadata or ambiguous names.
pub(crate) fn side(name: &str) -> Option<Side> {
    if has_any(name, SIDE_EXCLUDED) {
        return None;
    }
    // With words of both sides (`response_post`, `seeker_post`), the first one decides;
    // plurals count (`Questions`/`Answers` columns of FAQ tables).
    tokens(name).iter().find_map(|t| {
        let t = match t.strip_suffix('s') {
            Some(singular)
                if !USER_SIDE.contains(&t.as_str()) && !ASSISTANT_SIDE.contains(&t.as_str()) =>
            {
                singular.to_string()
            }
            _ => t.clone(),
        };
        if USER_SIDE.contains(&t.as_str()) {
            Some(Side::User)
        } else if ASSISTANT_SIDE.contains(&t.as_str()) {
            Some(Side::Assistant)
        } else {
            None
        }
    })
}

/// True for `instruction` columns (merged with an `input` column into one user turn).
pub(crate) fn is_instruction(name: &str) -> bool {
    has_any(name, &["instruction"]) && side(name) == Some(Side::User)
}

/// True for `input` columns.
pub(crate) fn is_input(name: &str) -> bool {
    has_any(name, &["input"]) && side(name) == Some(Side::User)
}

/// True for a conversation-id column (`Dialogue_ID`, `conversation_id`, `conv_id`, `session_id`).
pub(crate) fn is_conversation_id(name: &str) -> bool {
    has_any(name, CONVERSATION_WORDS) && has_any(name, ID_WORDS)
}

/// True for a per-row speaker column.
pub(crate) fn is_speaker(name: &str) -> bool {
    has_any(name, SPEAKER_WORDS) && !has_any(name, UTTERANCE_WORDS)
}

/// Rank of a per-row utterance column name (lower is better); `None` if it is not one.
pub(crate) fn utterance_rank(name: &str) -> Option<usize> {
    let words = tokens(name);
    if words
        .iter()
        .any(|t| ID_WORDS.contains(&t.as_str()) || t == "idx")
    {
        return None;
    }
    UTTERANCE_WORDS
        .iter()
        .position(|w| words.iter().any(|t| t == w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_names() {
        assert_eq!(tokens("questionText"), ["question", "text"]);
        assert_eq!(tokens("Dialogue_ID"), ["dialogue", "id"]);
        assert_eq!(tokens("user 1 personas"), ["user", "1", "personas"]);
        assert_eq!(tokens("speaker1"), ["speaker", "1"]);
    }

    #[test]
    fn classifies_names() {
        assert!(is_never_conversation("user 1 personas"));
        assert!(is_never_conversation("relation_data"));
        assert!(is_never_conversation("tools"));
        assert!(!is_never_conversation("Best Generated Conversation"));
        assert_eq!(side("Context"), Some(Side::User));
        assert_eq!(side("questionText"), Some(Side::User));
        assert_eq!(side("questionTitle"), None);
        assert_eq!(side("questionID"), None);
        assert_eq!(side("answerText"), Some(Side::Assistant));
        assert_eq!(side("rejected"), None);
        assert_eq!(side("seeker_post"), Some(Side::User));
        assert_eq!(side("response_post"), Some(Side::Assistant));
        assert!(is_conversation_id("Dialogue_ID"));
        assert!(is_conversation_id("conv_id"));
        assert!(!is_conversation_id("Utterance_ID"));
        assert!(is_speaker("Speaker"));
        assert_eq!(utterance_rank("Utterance"), Some(0));
        assert_eq!(utterance_rank("Utterance_ID"), None);
    }
}
