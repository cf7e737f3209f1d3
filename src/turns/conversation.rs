//! The parsed form every layout is reduced to: an ordered list of turns, each by one speaker.
//!
//! Also holds the speaker vocabulary shared by all parsers (role names such as `user`, `gpt`,
//! `Therapist`, `function_call`), so that "who spoke" is decided the same way everywhere.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

/// Who produced a turn, normalised so that e.g. `human`, `user` and `Client` compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Speaker {
    /// The person asking / seeking help (user, human, client, patient, ...).
    User,
    /// The answering side (assistant, gpt, therapist, counselor, ...); tool calls are made by it.
    Assistant,
    /// A tool / function result (observation, tool, ...).
    Tool,
    /// Any other named speaker (`speaker 1`, `chandler`, `m`), lower-cased.
    Named(String),
    /// The data does not say who spoke; assumed to alternate with its neighbours.
    Unknown,
}

/// What a role label means for turn counting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// A system prompt: never a turn.
    System,
    /// A message by this speaker: a turn.
    Speaker(Speaker),
}

/// One message by one speaker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Turn {
    /// Who spoke.
    pub speaker: Speaker,
    /// The message text (trimmed); used to fingerprint and compare conversations.
    pub text: String,
}

/// An ordered list of turns; `lower_bound` is set when the source was cut (viewer truncation).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Conversation {
    /// Turns in order; never contains empty messages or system prompts.
    pub turns: Vec<Turn>,
    /// True when more turns may exist than were seen.
    pub lower_bound: bool,
}

impl Conversation {
    /// Appends a turn unless its text is empty (empty messages are not turns).
    pub fn push(&mut self, speaker: Speaker, text: &str) {
        let text = text.trim();
        if !text.is_empty() {
            self.turns.push(Turn {
                speaker,
                text: text.to_string(),
            });
        }
    }

    /// Appends a turn even when its text is empty (a tool call without text content).
    pub fn push_always(&mut self, speaker: Speaker, text: &str) {
        self.turns.push(Turn {
            speaker,
            text: text.trim().to_string(),
        });
    }

    /// Number of turns.
    pub fn turn_count(&self) -> u32 {
        u32::try_from(self.turns.len()).unwrap_or(u32::MAX)
    }

    /// Adjacent turn pairs whose speakers differ. Unknown speakers are assumed to alternate,
    /// so a pair involving [`Speaker::Unknown`] counts as a switch.
    pub fn speaker_switches(&self) -> u32 {
        let switches = self
            .turns
            .windows(2)
            .filter(|pair| {
                matches!(pair, [a, b] if a.speaker == Speaker::Unknown || a.speaker != b.speaker)
            })
            .count();
        u32::try_from(switches).unwrap_or(u32::MAX)
    }

    /// Forgets who spoke (used when speaker prefixes in a column are not trustworthy).
    pub fn forget_speakers(&mut self) {
        for turn in &mut self.turns {
            turn.speaker = Speaker::Unknown;
        }
    }

    /// A hash of the turn texts, to recognise rows that repeat the same conversation.
    pub fn fingerprint(&self) -> u64 {
        let mut hasher = DefaultHasher::new();
        for turn in &self.turns {
            turn.text.hash(&mut hasher);
        }
        hasher.finish()
    }

    /// True when this conversation has at least two turns and `longer` starts with all of them
    /// (same texts) and goes on.
    pub fn is_strict_prefix_of(&self, longer: &Conversation) -> bool {
        self.turns.len() >= 2
            && longer.turns.len() > self.turns.len()
            && self
                .turns
                .iter()
                .zip(&longer.turns)
                .all(|(a, b)| a.text == b.text)
    }

    /// Text of the first turn, if any.
    pub fn first_text(&self) -> Option<&str> {
        self.turns.first().map(|turn| turn.text.as_str())
    }
}

/// Labels of the asking side (lower-case, as written in role fields or speaker prefixes).
const USER_LABELS: &[&str] = &[
    "user",
    "human",
    "usr",
    "prompter",
    "client",
    "patient",
    "seeker",
    "customer",
    "questioner",
    "question",
    "instruction",
    "input",
    "context",
    "query",
    "prompt",
    "help seeker",
    "用户",
    "来访者",
    "求助者",
    "患者",
    "病人",
    "提问者",
    "问",
    "咨询者",
];

/// Labels of the answering side.
const ASSISTANT_LABELS: &[&str] = &[
    "assistant",
    "gpt",
    "chatgpt",
    "bot",
    "chatbot",
    "ai",
    "model",
    "therapist",
    "counselor",
    "counsellor",
    "psychologist",
    "psychiatrist",
    "doctor",
    "supporter",
    "helper",
    "listener",
    "sys",
    "agent",
    "response",
    "answer",
    "output",
    "function_call",
    "tool_call",
    "tool_calls",
    "ai assistant",
    "助手",
    "医生",
    "咨询师",
    "心理咨询师",
    "支持者",
    "答",
    "回答",
];

/// Labels of tool results.
const TOOL_LABELS: &[&str] = &[
    "tool",
    "function",
    "observation",
    "ipython",
    "tool_response",
    "tool_result",
    "function_response",
];

/// Labels of system prompts.
const SYSTEM_LABELS: &[&str] = &["system", "developer", "system prompt", "system_prompt"];

/// Labels that are parts of one prompt (`instruction` + `input` form ONE user turn).
const PROMPT_PART_LABELS: &[&str] = &[
    "instruction",
    "input",
    "context",
    "question",
    "query",
    "prompt",
];

/// Words that, followed by a number, name a speaker (`Speaker 3`, `User 1`, `Person2`).
const NUMBERED_SPEAKER_WORDS: &[&str] = &[
    "speaker",
    "user",
    "person",
    "participant",
    "party",
    "p",
    "s",
];

/// Lower-cases a label and collapses inner whitespace.
pub(crate) fn normalize_label(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Maps a role field value or speaker prefix to its meaning.
pub(crate) fn classify_role(raw: &str) -> Role {
    let key = normalize_label(raw);
    if SYSTEM_LABELS.contains(&key.as_str()) {
        Role::System
    } else if USER_LABELS.contains(&key.as_str()) {
        Role::Speaker(Speaker::User)
    } else if ASSISTANT_LABELS.contains(&key.as_str()) {
        Role::Speaker(Speaker::Assistant)
    } else if TOOL_LABELS.contains(&key.as_str()) {
        Role::Speaker(Speaker::Tool)
    } else if key.is_empty() {
        Role::Speaker(Speaker::Unknown)
    } else {
        Role::Speaker(Speaker::Named(key))
    }
}

/// True when the label is a well-known speaker name (role vocabulary or `Speaker N` style), so a
/// single occurrence of it in a transcript is trusted as a speaker prefix.
pub(crate) fn is_known_speaker_label(raw: &str) -> bool {
    let key = normalize_label(raw);
    if !matches!(classify_role(&key), Role::Speaker(Speaker::Named(_))) {
        return true;
    }
    let word = key
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .trim_end();
    let has_number = word.len() < key.len();
    has_number && NUMBERED_SPEAKER_WORDS.contains(&word)
}

/// True for labels that are parts of a single prompt (merged into one user turn).
pub(crate) fn is_prompt_part_label(raw: &str) -> bool {
    PROMPT_PART_LABELS.contains(&normalize_label(raw).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_normalised() {
        assert_eq!(classify_role("Human"), Role::Speaker(Speaker::User));
        assert_eq!(classify_role("gpt"), Role::Speaker(Speaker::Assistant));
        assert_eq!(
            classify_role("function_call"),
            Role::Speaker(Speaker::Assistant)
        );
        assert_eq!(classify_role("observation"), Role::Speaker(Speaker::Tool));
        assert_eq!(classify_role("SYSTEM"), Role::System);
        assert_eq!(
            classify_role("Speaker  2"),
            Role::Speaker(Speaker::Named("speaker 2".to_string()))
        );
    }

    #[test]
    fn known_labels() {
        assert!(is_known_speaker_label("Therapist"));
        assert!(is_known_speaker_label("User 2"));
        assert!(is_known_speaker_label("Person1"));
        assert!(!is_known_speaker_label("Ingredients"));
        assert!(!is_known_speaker_label("Note"));
        assert!(!is_known_speaker_label("M"));
    }

    #[test]
    fn switches_count_speaker_changes_and_unknowns_alternate() {
        let mut conversation = Conversation::default();
        conversation.push(Speaker::User, "a");
        conversation.push(Speaker::User, "b");
        conversation.push(Speaker::Assistant, "c");
        conversation.push(Speaker::Assistant, "  ");
        assert_eq!(conversation.turn_count(), 3);
        assert_eq!(conversation.speaker_switches(), 1);
        conversation.forget_speakers();
        assert_eq!(conversation.speaker_switches(), 2);
    }
}
