//! One conversation written as a single string.
//!
//! Chat templates are recognised first (they carry explicit roles):
//! - ChatML `<|im_start|>user\n...<|im_end|>`, Llama-3 `<|start_header_id|>user<|end_header_id|>`,
//!   Gemma `<start_of_turn>user\n...<end_of_turn>`, Zephyr-style `<|user|>` / `<|assistant|>`;
//! - Llama-2 `[INST] ... [/INST] ...`: each `[INST]` block is a user turn, the text after `[/INST]`
//!   an assistant turn; `<<SYS>> ... <</SYS>>` blocks are system prompts and excluded.
//!
//! Otherwise the text is split at speaker markers (`Therapist:`, `### Human:`, `<HUMAN>:`, ...,
//! see [`super::labels`]). Lines without an accepted marker continue the previous message (or are
//! narration before the first one, which is ignored). System turns and empty messages are skipped;
//! consecutive prompt fields (`### Instruction:` + `### Input:`) form one user turn.

use super::conversation::{
    classify_role, is_known_speaker_label, is_prompt_part_label, Conversation, Role, Speaker,
};
use super::labels::{
    has_back_and_forth, scan_markers, scan_with_inline_speakers, LabelContext, Marker,
};

/// Result of reading one transcript cell.
#[derive(Debug, Clone)]
pub(crate) struct TranscriptParse {
    /// The turns found.
    pub conversation: Conversation,
    /// True when a chat template or a well-known speaker name gave the roles.
    pub trusted_roles: bool,
    /// True when some speaker label recurs after another speaker (a real exchange).
    pub back_and_forth: bool,
}

/// Tokens that end a message in chat templates.
const END_TOKENS: &[&str] = &[
    "<|im_end|>",
    "<|eot_id|>",
    "<end_of_turn>",
    "<|end|>",
    "<|endoftext|>",
    "</s>",
    "<s>",
];

/// Roles accepted inside Zephyr-style `<|role|>` tokens.
const ROLE_TOKEN_NAMES: &[&str] = &[
    "user",
    "assistant",
    "system",
    "human",
    "bot",
    "prompter",
    "model",
    "gpt",
];

/// Parses one transcript cell; `None` when no turn is found.
pub(crate) fn parse_transcript(text: &str, context: &LabelContext) -> Option<TranscriptParse> {
    let templated = parse_chat_template(text);
    let parse = match templated {
        Some(conversation) => TranscriptParse {
            conversation,
            trusted_roles: true,
            back_and_forth: true,
        },
        None => parse_markers(text, context)?,
    };
    (!parse.conversation.turns.is_empty()).then_some(parse)
}

/// Recognises the chat templates listed in the module docs.
fn parse_chat_template(text: &str) -> Option<Conversation> {
    if text.contains("<|im_start|>") {
        return Some(role_blocks(text, "<|im_start|>", "\n"));
    }
    if text.contains("<|start_header_id|>") {
        return Some(role_blocks(
            text,
            "<|start_header_id|>",
            "<|end_header_id|>",
        ));
    }
    if text.contains("<start_of_turn>") {
        return Some(role_blocks(text, "<start_of_turn>", "\n"));
    }
    if text.contains("[INST]") {
        return Some(llama2(text));
    }
    let has_role_token = ROLE_TOKEN_NAMES
        .iter()
        .any(|role| text.contains(&format!("<|{role}|>")));
    has_role_token.then(|| role_tokens(text))
}

/// Removes template end tokens and surrounding whitespace from a message.
fn clean_message(text: &str) -> String {
    let mut out = text.to_string();
    for token in END_TOKENS {
        out = out.replace(token, "");
    }
    out.trim().to_string()
}

fn push_role(conversation: &mut Conversation, role: &str, message: &str) {
    if let Role::Speaker(speaker) = classify_role(role.trim()) {
        conversation.push(speaker, &clean_message(message));
    }
}

/// Blocks opened by `open`, whose role runs until `role_end`, content until the next `open`.
fn role_blocks(text: &str, open: &str, role_end: &str) -> Conversation {
    let mut conversation = Conversation::default();
    for block in text.split(open).skip(1) {
        let (role, content) = match block.split_once(role_end) {
            Some((role, content)) => (role, content),
            None => (block, ""),
        };
        push_role(&mut conversation, role, content);
    }
    conversation
}

/// Zephyr-style `<|user|>` ... `<|assistant|>` ... blocks.
fn role_tokens(text: &str) -> Conversation {
    let mut found: Vec<(usize, usize, &str)> = Vec::new();
    for role in ROLE_TOKEN_NAMES {
        let token = format!("<|{role}|>");
        for (at, _) in text.match_indices(&token) {
            found.push((at, at + token.len(), role));
        }
    }
    found.sort_unstable();
    let mut conversation = Conversation::default();
    for (i, &(_, content_start, role)) in found.iter().enumerate() {
        let content_end = found.get(i + 1).map_or(text.len(), |next| next.0);
        if let Some(content) = text.get(content_start..content_end) {
            push_role(&mut conversation, role, content);
        }
    }
    conversation
}

/// Llama-2 `[INST]` templates.
fn llama2(text: &str) -> Conversation {
    let mut conversation = Conversation::default();
    for block in text.split("[INST]").skip(1) {
        let (user, assistant) = match block.split_once("[/INST]") {
            Some((user, assistant)) => (user, Some(assistant)),
            None => (block, None),
        };
        conversation.push(Speaker::User, &clean_message(&strip_sys_block(user)));
        if let Some(assistant) = assistant {
            conversation.push(Speaker::Assistant, &clean_message(assistant));
        }
    }
    conversation
}

/// Removes a `<<SYS>> ... <</SYS>>` block (or everything after an unclosed `<<SYS>>`).
fn strip_sys_block(text: &str) -> String {
    match text.split_once("<<SYS>>") {
        Some((before, after)) => match after.split_once("<</SYS>>") {
            Some((_, rest)) => format!("{before}{rest}"),
            None => before.to_string(),
        },
        None => text.to_string(),
    }
}

/// Number of distinct labels among `markers`.
fn distinct_labels(markers: &[Marker]) -> usize {
    let mut keys: Vec<&str> = markers.iter().map(|m| m.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.len()
}

/// Splits the text at accepted speaker markers; when lines give fewer than two speakers, also
/// looks for well-known speaker labels inside lines (one-line transcripts).
fn parse_markers(text: &str, context: &LabelContext) -> Option<TranscriptParse> {
    let mut markers: Vec<Marker> = context.accept(&scan_markers(text));
    if distinct_labels(&markers) < 2 {
        let with_inline = context.accept(&scan_with_inline_speakers(text));
        if distinct_labels(&with_inline) >= 2 {
            markers = with_inline;
        }
    }
    if markers.is_empty() {
        return None;
    }
    let mut conversation = Conversation::default();
    let mut trusted_roles = false;
    let mut previous_was_prompt_part = false;
    for (i, marker) in markers.iter().enumerate() {
        let end = markers.get(i + 1).map_or(text.len(), |next| next.start);
        let message = text.get(marker.end..end).unwrap_or("").trim();
        let role = classify_role(&marker.key);
        trusted_roles |= is_known_speaker_label(&marker.key);
        let Role::Speaker(speaker) = role else {
            previous_was_prompt_part = false;
            continue;
        };
        if message.is_empty() {
            continue;
        }
        let prompt_part = is_prompt_part_label(&marker.key);
        match conversation.turns.last_mut() {
            Some(last) if prompt_part && previous_was_prompt_part => {
                last.text.push('\n');
                last.text.push_str(message);
            }
            _ => conversation.push(speaker, message),
        }
        previous_was_prompt_part = prompt_part;
    }
    Some(TranscriptParse {
        conversation,
        trusted_roles,
        back_and_forth: has_back_and_forth(&markers),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(text: &str) -> u32 {
        parse_transcript(text, &LabelContext::default()).map_or(0, |p| p.conversation.turn_count())
    }

    #[test]
    fn templates() {
        let llama = "<s>[INST] <<SYS>>\nBe kind.\n<</SYS>>\n\nI feel low [/INST] I'm sorry. </s><s>[INST] Thanks [/INST] Anytime </s>";
        assert_eq!(count(llama), 4);
        let chatml = "<|im_start|>system\nBe kind<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\nhello<|im_end|>\n<|im_start|>assistant\n";
        assert_eq!(count(chatml), 2);
        let zephyr = "<|system|>\nsys</s>\n<|user|>\nhi</s>\n<|assistant|>\nhey</s>";
        assert_eq!(count(zephyr), 2);
        let llama3 = "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nhey<|eot_id|>";
        assert_eq!(count(llama3), 2);
    }

    #[test]
    fn markers_and_prompt_merge() {
        assert_eq!(count("### Human: a### Assistant: b### Human: c"), 3);
        assert_eq!(
            count("### Instruction:\nDo x\n\n### Input:\nctx\n\n### Response:\ndone"),
            2
        );
        assert_eq!(
            count("System: be nice\nUser: hi\nAssistant: hello\nUser:\nAssistant: bye"),
            3
        );
        assert_eq!(count("just a post about my day: nothing else"), 0);
        assert_eq!(
            count("Patient: I can't sleep. Doctor: Since when? Patient: A month."),
            3
        );
    }
}
