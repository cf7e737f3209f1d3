//! Speaker prefixes in free text: finding `Label:` markers and deciding which labels are speakers.
//!
//! A marker is a short label followed by a colon (ASCII `:` or full-width `：`):
//! - at the start of a line: `Therapist: ...`, `User 1: ...`, `**Client:**`, `*User 1:*`,
//!   `<HUMAN>: ...`, `#Person1#: ...`, `男：...`;
//! - anywhere, when delimited: `### Human: ...` and `<ASSISTANT>: ...` (one-line templates).
//!
//! Not every marker is a speaker ("Ingredients:", "Note:" inside a message). A label is accepted as
//! a speaker when it is a well-known speaker name (`User`, `Therapist`, `Speaker 3`), when it starts
//! lines in a good share of the column's cells, or when it recurs in the cell interleaved with other
//! speakers (`Amanda: / Jerry: / Amanda:`). See [`LabelContext::accept`].

use super::conversation::{classify_role, is_known_speaker_label, normalize_label, Role};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Longest label (in bytes, before the colon) considered.
const MAX_LABEL_BYTES: usize = 48;
/// Longest label in characters.
const MAX_LABEL_CHARS: usize = 32;
/// Most words in a label (`The Interviewer`, `Speaker 3`, `AI Assistant`).
const MAX_LABEL_WORDS: usize = 4;

/// One `Label:` occurrence in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Marker {
    /// Byte offset where the marker starts.
    pub start: usize,
    /// Byte offset just after the colon (and closing `*`/`_`).
    pub end: usize,
    /// Normalised label (lower-case, single spaces).
    pub key: String,
    /// Whether text follows the marker on the same line.
    pub has_text: bool,
}

/// Cleans and validates a raw label (the text before the colon).
fn clean_label(raw: &str) -> Option<&str> {
    let mut label = raw.trim_matches(|c: char| c.is_whitespace() || matches!(c, '*' | '_' | '#'));
    for (open, close) in [('<', '>'), ('[', ']')] {
        if let Some(inner) = label.strip_prefix(open).and_then(|l| l.strip_suffix(close)) {
            label = inner.trim();
        }
    }
    // A role tag before the speaker name (`<user>求助者：`, `<AI>支持者：`): the name speaks.
    if let Some(rest) = label.strip_prefix('<') {
        if let Some((_, after)) = rest.split_once('>') {
            if !after.trim().is_empty() {
                label = after.trim();
            }
        }
    }
    let first = label.chars().next()?;
    let valid_chars = label
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '\'' | '’'));
    let ok = first.is_alphabetic()
        && valid_chars
        && label.chars().count() <= MAX_LABEL_CHARS
        && label.split_whitespace().count() <= MAX_LABEL_WORDS
        && !label.to_lowercase().starts_with("http");
    ok.then_some(label)
}

/// Parses `Label:` at the start of `s`; returns the label and the bytes up to after the colon.
pub(crate) fn label_at(s: &str) -> Option<(&str, usize)> {
    let mut colon = None;
    for (i, c) in s.char_indices() {
        if i > MAX_LABEL_BYTES || c == '\n' {
            break;
        }
        if c == ':' || c == '：' {
            colon = Some((i, c.len_utf8()));
            break;
        }
    }
    let (at, width) = colon?;
    let label = clean_label(s.get(..at)?)?;
    let rest = s.get(at + width..)?.trim_start_matches(['*', '_']);
    if rest.starts_with("//") {
        return None; // a URL scheme, not a speaker
    }
    Some((label, s.len() - rest.len()))
}

/// Rest of the line from `from`.
fn rest_of_line(text: &str, from: usize) -> &str {
    let rest = text.get(from..).unwrap_or_default();
    rest.split('\n').next().unwrap_or("")
}

fn marker(text: &str, start: usize, label: &str, end: usize) -> Marker {
    Marker {
        start,
        end,
        key: normalize_label(label),
        has_text: !rest_of_line(text, end).trim().is_empty(),
    }
}

/// Finds every marker in `text`, ordered by position.
pub(crate) fn scan_markers(text: &str) -> Vec<Marker> {
    let mut found: BTreeMap<usize, Marker> = BTreeMap::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let lead = line.len() - line.trim_start().len();
        let start = line_start + lead;
        if let Some((label, len)) = label_at(line.trim_start()) {
            found.insert(start, marker(text, start, label, start + len));
        }
        line_start += line.len() + 1;
    }
    for (at, _) in text.match_indices("###") {
        if text.get(..at).is_some_and(|before| before.ends_with('#')) {
            continue;
        }
        let Some(from_hashes) = text.get(at..) else {
            continue;
        };
        let label_text = from_hashes
            .trim_start_matches('#')
            .trim_start_matches([' ', '\t']);
        let label_from = text.len() - label_text.len();
        if let Some((label, len)) = label_at(label_text) {
            found
                .entry(at)
                .or_insert_with(|| marker(text, at, label, label_from + len));
        }
    }
    for (at, _) in text.match_indices('<') {
        if let Some((label, end)) = text.get(at..).and_then(angle_marker) {
            found
                .entry(at)
                .or_insert_with(|| marker(text, at, label, at + end));
        }
    }
    without_overlaps(found.into_values())
}

/// Drops markers starting inside an earlier marker (`### <HUMAN>:` is found three ways).
fn without_overlaps(sorted: impl IntoIterator<Item = Marker>) -> Vec<Marker> {
    let mut out: Vec<Marker> = Vec::new();
    for m in sorted {
        if out.last().is_none_or(|last| m.start >= last.end) {
            out.push(m);
        }
    }
    out
}

/// Well-known speaker labels in the middle of a line (`... I feel sad. Therapist: Why?`), for
/// transcripts flattened onto one line. Only capitalised (or caseless) strong labels preceded by
/// a space or sentence punctuation count; merged with [`scan_markers`].
pub(crate) fn scan_with_inline_speakers(text: &str) -> Vec<Marker> {
    let mut found: BTreeMap<usize, Marker> = scan_markers(text)
        .into_iter()
        .map(|m| (m.start, m))
        .collect();
    for (colon, c) in text.char_indices().filter(|&(_, c)| c == ':' || c == '：') {
        let end = colon + c.len_utf8();
        let (Some(before), Some(after)) = (text.get(..colon), text.get(end..)) else {
            continue;
        };
        let Some(start) = inline_label_start(before) else {
            continue;
        };
        let Some(label) = before.get(start..) else {
            continue;
        };
        let followed_by_space = after.chars().next().is_none_or(char::is_whitespace);
        if followed_by_space && tier(&normalize_label(label)) == Tier::Strong {
            found
                .entry(start)
                .or_insert_with(|| marker(text, start, label, end));
        }
    }
    without_overlaps(found.into_values())
}

/// Start of a capitalised one-word (or `Word N`) label ending `before`, preceded by a boundary.
fn inline_label_start(before: &str) -> Option<usize> {
    let word_start = |end: usize| {
        before
            .get(..end)?
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphanumeric() || c == '_')
            .last()
            .map(|(i, _)| i)
    };
    let mut start = word_start(before.len())?;
    let (head, word) = before.split_at_checked(start)?;
    if word.chars().all(|c| c.is_ascii_digit()) {
        if let Some(before_number) = head.strip_suffix(' ') {
            start = word_start(before_number.len())?;
        }
    }
    let (head, label) = before.split_at_checked(start)?;
    let first = label.chars().next()?;
    // `>` and `]` end template tokens: `</s>USER:`, `[/INST]ASSISTANT:`.
    let boundary = head.chars().next_back().is_none_or(|p| {
        p.is_whitespace() || matches!(p, '.' | '!' | '?' | '"' | '\'' | '”' | ')' | '>' | ']')
    });
    (boundary && (first.is_uppercase() || !first.is_lowercase())).then_some(start)
}

/// Parses `<LABEL>:` at the start of `s` (the label may not span lines).
fn angle_marker(s: &str) -> Option<(&str, usize)> {
    let close = s
        .char_indices()
        .take(MAX_LABEL_CHARS + 2)
        .find(|&(_, c)| c == '>' || c == '\n')?;
    if close.1 != '>' {
        return None;
    }
    let label = clean_label(s.get(1..close.0)?)?;
    let rest = s.get(close.0 + 1..)?.trim_start_matches([' ', '\t']);
    let colon = rest.chars().next().filter(|&c| c == ':' || c == '：')?;
    Some((label, s.len() - rest.len() + colon.len_utf8()))
}

/// How trustworthy a label is on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tier {
    /// A speaker name (`User`, `Therapist`, `Speaker 2`): trusted alone.
    Strong,
    /// A prompt-field name (`Question`, `Answer`, `Instruction`, `Response`): trusted only when the
    /// column uses it often or the cell has no real speaker names.
    Field,
    /// Anything else: needs evidence.
    Unknown,
}

const FIELD_LABELS: &[&str] = &[
    "question",
    "answer",
    "instruction",
    "input",
    "output",
    "context",
    "response",
    "query",
    "prompt",
];

fn tier(key: &str) -> Tier {
    if FIELD_LABELS.contains(&key) {
        Tier::Field
    } else if is_known_speaker_label(key) || classify_role(key) == Role::System {
        Tier::Strong
    } else {
        Tier::Unknown
    }
}

/// Column-wide knowledge about labels: those that start lines in many of the column's cells.
#[derive(Debug, Clone, Default)]
pub(crate) struct LabelContext {
    frequent: HashSet<String>,
}

impl LabelContext {
    /// Learns the labels that begin a message (with text after them) in at least two cells and
    /// at least 30% of the non-empty cells.
    pub fn from_cells<'a>(cells: impl IntoIterator<Item = &'a str>) -> Self {
        let mut cell_counts: HashMap<String, usize> = HashMap::new();
        let mut cells_seen = 0usize;
        for cell in cells {
            if cell.trim().is_empty() {
                continue;
            }
            cells_seen += 1;
            let keys: HashSet<String> = scan_markers(cell)
                .into_iter()
                .filter(|m| m.has_text)
                .map(|m| m.key)
                .collect();
            for key in keys {
                *cell_counts.entry(key).or_default() += 1;
            }
        }
        let frequent = cell_counts
            .into_iter()
            .filter(|&(_, n)| n >= 2 && n * 10 >= cells_seen * 3)
            .map(|(key, _)| key)
            .collect();
        LabelContext { frequent }
    }

    /// Returns the markers of `markers` whose labels are speakers in this cell.
    ///
    /// - If the cell uses well-known speaker names or column-frequent labels, those are accepted,
    ///   plus unknown labels that recur in at least two separate runs between them.
    /// - Otherwise, if some label recurs in two separate runs, every label with text is accepted
    ///   (a dialogue between named people: `Amanda: / Jerry: / Amanda:`).
    /// - Otherwise prompt-field labels are accepted (`### Instruction:` / `### Response:`).
    pub fn accept(&self, markers: &[Marker]) -> Vec<Marker> {
        let anchored: HashSet<&str> = markers
            .iter()
            .filter(|m| tier(&m.key) == Tier::Strong || self.frequent.contains(&m.key))
            .map(|m| m.key.as_str())
            .collect();
        let keep: HashSet<&str> = if !anchored.is_empty() {
            let candidates: Vec<&Marker> = markers
                .iter()
                .filter(|m| anchored.contains(m.key.as_str()) || tier(&m.key) == Tier::Unknown)
                .collect();
            let recurring = recurring_with_text(&candidates);
            anchored
                .into_iter()
                .chain(recurring.into_iter().filter(|k| tier(k) == Tier::Unknown))
                .collect()
        } else {
            let with_text: Vec<&Marker> = markers.iter().filter(|m| m.has_text).collect();
            if !recurring_with_text(&with_text).is_empty() {
                with_text.iter().map(|m| m.key.as_str()).collect()
            } else {
                markers
                    .iter()
                    .filter(|m| tier(&m.key) == Tier::Field)
                    .map(|m| m.key.as_str())
                    .collect()
            }
        };
        markers
            .iter()
            .filter(|m| keep.contains(m.key.as_str()))
            .cloned()
            .collect()
    }
}

/// Labels that occur in at least two separate runs of `markers` and have text at least once.
fn recurring_with_text<'a>(markers: &[&'a Marker]) -> HashSet<&'a str> {
    let mut runs: HashMap<&str, usize> = HashMap::new();
    let mut with_text: HashSet<&str> = HashSet::new();
    let mut previous: Option<&str> = None;
    for m in markers {
        if previous != Some(m.key.as_str()) {
            *runs.entry(m.key.as_str()).or_default() += 1;
        }
        if m.has_text {
            with_text.insert(m.key.as_str());
        }
        previous = Some(m.key.as_str());
    }
    runs.into_iter()
        .filter(|&(key, n)| n >= 2 && with_text.contains(key))
        .map(|(key, _)| key)
        .collect()
}

/// True when some label of `markers` occurs in two separate runs (a real back-and-forth).
pub(crate) fn has_back_and_forth(markers: &[Marker]) -> bool {
    let refs: Vec<&Marker> = markers.iter().collect();
    !recurring_with_text(&refs).is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<String> {
        scan_markers(text).into_iter().map(|m| m.key).collect()
    }

    #[test]
    fn finds_line_and_inline_markers() {
        assert_eq!(keys("User 1: hi\nUser 2: hey"), ["user 1", "user 2"]);
        assert_eq!(
            keys("**Therapist:** hi\n*Client:* ok"),
            ["therapist", "client"]
        );
        assert_eq!(keys("### Human: a### Assistant: b"), ["human", "assistant"]);
        assert_eq!(keys("<HUMAN>: a\n<ASSISTANT>: b"), ["human", "assistant"]);
        assert_eq!(keys("#Person1#: a\n#Person2#: b"), ["person1", "person2"]);
        assert_eq!(keys("男：你好\n女：好"), ["男", "女"]);
        assert!(keys(
            "https://example.com\n10:30 meeting\nA very long sentence that is not a label: x"
        )
        .is_empty());
    }

    #[test]
    fn finds_inline_speakers_only_when_asked() {
        let flat = "Client: I feel sad. Therapist: Why? Client: work. the user: no";
        assert_eq!(keys(flat), ["client"]);
        let inline: Vec<String> = scan_with_inline_speakers(flat)
            .into_iter()
            .map(|m| m.key)
            .collect();
        assert_eq!(inline, ["client", "therapist", "client"]);
        assert!(scan_markers("### <HUMAN>: hi").len() == 1);
    }

    #[test]
    fn rejects_headings_inside_a_message() {
        let text =
            "User 1: share it?\nUser 2: Here:\n\nIngredients:\n1 egg\nNote: hot\nUser 1: thanks";
        let accepted = LabelContext::default().accept(&scan_markers(text));
        let keys: Vec<&str> = accepted.iter().map(|m| m.key.as_str()).collect();
        assert_eq!(keys, ["user 1", "user 2", "user 1"]);
    }

    #[test]
    fn accepts_recurring_names_and_field_labels() {
        let text = "Amanda: cookies?\nJerry: sure\nAmanda: ok";
        assert_eq!(LabelContext::default().accept(&scan_markers(text)).len(), 3);
        let alpaca = "### Instruction:\nHelp me\n\n### Response:\nSure";
        assert_eq!(
            LabelContext::default().accept(&scan_markers(alpaca)).len(),
            2
        );
        let record = "Title: x\nAuthor: y\nDate: z";
        assert!(LabelContext::default()
            .accept(&scan_markers(record))
            .is_empty());
    }
}
