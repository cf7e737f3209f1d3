//! Turn figures a dataset card states in its prose ("an average of 29.8 turns per dialogue").
//!
//! Read only when nothing was measured, never called exact, and quoted in `show`. A sentence
//! counts only when it is about one conversation: an average (`average`, `mean`, `on average`),
//! a per-conversation unit (`per dialogue`, `each session has`), an `N-turn dialogue`, a range
//! of turns of each conversation (a lower bound: a range states no average), or "a single round
//! of conversation". Totals ("2,000
//! utterances in total"), other units ("20 epochs") and other senses of the words ("10 turns of
//! the crank") are not. Utterances, messages and turns are turns; rounds and exchanges are two
//! turns each. A few Chinese, Japanese and Korean phrasings (`平均…轮`, `平均…発話`, `평균…턴`)
//! are read too.

use super::evidence::{EvidenceSource, Figure, FigureKind, TurnEvidence};
use regex::Regex;
use std::sync::LazyLock;

const NUM: &str = r"(\d{1,4}(?:\.\d{1,3})?)";
const UNIT: &str = r"(turns?|utterances?|messages?|rounds?|exchanges?)";
const CONV: &str =
    r"(?:dialogues?|dialogs?|conversations?|sessions?|chats?|episodes?|interactions?|samples?)";

struct Patterns {
    average: Regex,
    per_conversation: Regex,
    n_turn: Regex,
    range: Regex,
    single_round: Regex,
    cjk: Regex,
}

static PATTERNS: LazyLock<Option<Patterns>> = LazyLock::new(|| {
    Some(Patterns {
        average: Regex::new(&format!(
            r"(?i)\b(?:average|mean|avg\.?)\b[^.;:]{{0,40}}?\b{NUM}\s*(?:dialogue |conversation )?{UNIT}\b"
        ))
        .ok()?,
        per_conversation: Regex::new(&format!(
            r"(?i)\b{NUM}\s*(?:dialogue |conversation )?{UNIT}\s+(?:per|each|every|a|/)\s*{CONV}\b"
        ))
        .ok()?,
        n_turn: Regex::new(&format!(r"(?i)\b{NUM}[- ]{UNIT}\s+{CONV}\b")).ok()?,
        range: Regex::new(&format!(
            r"(?i)\b(?:each|every|per|all)\s+{CONV}\b[^.;]{{0,40}}?\b(?:between\s+)?{NUM}\s*(?:-|–|—|to|and)\s*{NUM}\s*{UNIT}\b"
        ))
        .ok()?,
        single_round: Regex::new(&format!(
            r"(?i)\b(?:a single|single|one)[- ](?:round|turn|exchange)\b[^.;]{{0,20}}?\b(?:of\s+)?{CONV}\b"
        ))
        .ok()?,
        cjk: Regex::new(r"(?:平均|평균)[^0-9。！？\n]{0,12}?(\d{1,4}(?:\.\d{1,3})?)\s*(轮|回合|句|条|话轮|発話|ターン|턴|발화)")
            .ok()?,
    })
});

/// Turns per unit: rounds and exchanges are a question and an answer.
fn unit_factor(unit: &str) -> f64 {
    let u = unit.to_lowercase();
    if u.starts_with("round") || u.starts_with("exchange") || u == "轮" || u == "回合" {
        2.0
    } else {
        1.0
    }
}

/// The first per-conversation turn figure stated in `readme` (front matter, code blocks and
/// citations skipped), or `None`.
pub fn evidence_from_card(readme: &str) -> Option<TurnEvidence> {
    let patterns = PATTERNS.as_ref()?;
    for sentence in prose_sentences(readme) {
        if let Some((figure, quoted)) = read_sentence(patterns, &sentence) {
            return Some(TurnEvidence {
                source: EvidenceSource::Card,
                figure: Some(figure),
                detail: quoted,
                layout: None,
                columns: Vec::new(),
                note: Some("stated by the card, not measured".to_string()),
            });
        }
    }
    None
}

fn stated(avg: f64, min: Option<u32>, max: Option<u32>) -> Option<Figure> {
    (avg.is_finite() && (1.0..=1000.0).contains(&avg)).then_some(Figure {
        kind: FigureKind::Stated,
        avg,
        median: None,
        min,
        max,
        conversations: None,
    })
}

fn number(text: Option<regex::Match<'_>>) -> Option<f64> {
    text?.as_str().parse::<f64>().ok()
}

fn read_sentence(p: &Patterns, sentence: &str) -> Option<(Figure, String)> {
    let quote = || crate::sanitize::clean_line(sentence, 240);
    for re in [&p.average, &p.per_conversation, &p.n_turn] {
        if let Some(c) = re.captures(sentence) {
            let factor = c.get(2).map_or(1.0, |u| unit_factor(u.as_str()));
            if let Some(f) = number(c.get(1)).and_then(|n| stated(n * factor, None, None)) {
                return Some((f, quote()));
            }
        }
    }
    if let Some(c) = p.range.captures(sentence) {
        let factor = c.get(3).map_or(1.0, |u| unit_factor(u.as_str()));
        if let (Some(lo), Some(hi)) = (number(c.get(1)), number(c.get(2))) {
            let (lo, hi) = (lo * factor, hi * factor);
            if lo <= hi {
                // A range states no average: the shortest conversation bounds it from below.
                let count = |v: f64| u32::try_from(v.round() as i64).ok();
                if let Some(mut f) = stated(lo, count(lo), count(hi)) {
                    f.kind = FigureKind::LowerBound;
                    return Some((f, quote()));
                }
            }
        }
    }
    if p.single_round.is_match(sentence) {
        return stated(2.0, Some(2), Some(2)).map(|f| (f, quote()));
    }
    if let Some(c) = p.cjk.captures(sentence) {
        let factor = c.get(2).map_or(1.0, |u| unit_factor(u.as_str()));
        if let Some(f) = number(c.get(1)).and_then(|n| stated(n * factor, None, None)) {
            return Some((f, quote()));
        }
    }
    None
}

/// Sentences of the README body: YAML front matter, fenced code, HTML comments and citation
/// blocks left out; split at sentence ends and line breaks.
fn prose_sentences(readme: &str) -> Vec<String> {
    let body = strip_front_matter(readme);
    let mut sentences = Vec::new();
    let mut in_code = false;
    let mut in_citation = false;
    for line in body.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if trimmed.starts_with('@') && trimmed.contains('{') {
            in_citation = true;
        }
        if in_code || in_citation {
            if in_citation && trimmed == "}" {
                in_citation = false;
            }
            continue;
        }
        let mut current = String::new();
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            current.push(c);
            let ends = matches!(c, '。' | '！' | '？')
                || (matches!(c, '.' | '!' | '?') && chars.peek().is_none_or(|n| n.is_whitespace()));
            if ends {
                sentences.push(std::mem::take(&mut current));
            }
        }
        if !current.trim().is_empty() {
            sentences.push(current);
        }
    }
    sentences
}

/// The README without its YAML front matter (the prose the catalog indexes and reads).
pub fn readme_body(readme: &str) -> &str {
    strip_front_matter(readme)
}

fn strip_front_matter(readme: &str) -> &str {
    let Some(rest) = readme.trim_start_matches('\u{feff}').strip_prefix("---") else {
        return readme;
    };
    match rest.find("\n---") {
        Some(end) => rest.get(end + 4..).unwrap_or(""),
        // Never closed: a README cut inside a huge `dataset_info` (or a broken one) is YAML to
        // its end when it goes on with `key:` lines; a leading Markdown rule followed by prose
        // is kept.
        None if opens_yaml(rest) => "",
        None => readme,
    }
}

/// True when the first non-blank line of `text` is a YAML mapping key (`dataset_info:`).
fn opens_yaml(text: &str) -> bool {
    text.lines()
        .map(str::trim_end)
        .find(|line| !line.is_empty())
        .and_then(|line| line.split_once(':'))
        .is_some_and(|(key, _)| {
            !key.is_empty()
                && !key.starts_with(' ')
                && key
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_that_never_closes_is_no_prose() {
        let cut = "---\ndataset_info:\n  features:\n  - name: Knowledge\n    dtype: string\n";
        assert_eq!(readme_body(cut), "");
        let rule = "---\n\nA corpus of counseling chats.\n";
        assert_eq!(readme_body(rule), rule);
        let closed = "---\nlicense: mit\n---\n# Title\n";
        assert_eq!(readme_body(closed), "\n# Title\n");
    }

    fn avg(text: &str) -> Option<f64> {
        evidence_from_card(text)
            .and_then(|e| e.figure)
            .map(|f| f.avg)
    }

    #[test]
    fn stated_figures_in_several_phrasings() {
        assert_eq!(
            avg("ESConv has 1,300 dialogues with an average of 29.8 turns per dialogue."),
            Some(29.8)
        );
        assert_eq!(
            avg("Sessions are long: 91.2 utterances per session on average."),
            Some(91.2)
        );
        // A range is a lower bound (its minimum) with its maximum, not an average.
        let range = evidence_from_card("Each conversation has 4–12 turns.")
            .and_then(|e| e.figure)
            .unwrap();
        assert_eq!(
            (range.kind, range.avg, range.max),
            (FigureKind::LowerBound, 4.0, Some(12))
        );
        assert_eq!(
            avg("Every dialogue contains between 10 and 20 turns"),
            Some(10.0)
        );
        assert_eq!(
            avg("Each sample is a single round of conversation."),
            Some(2.0)
        );
        assert_eq!(avg("Dialogues last on average 7.5 rounds."), Some(15.0));
        assert_eq!(avg("We release 500 20-turn dialogues."), Some(20.0));
        assert_eq!(avg("数据集共1000段对话，平均每段对话15.5轮。"), Some(31.0));
        assert_eq!(avg("平均発話数は 24 発話です。"), Some(24.0));
    }

    #[test]
    fn decoys_are_not_figures() {
        for decoy in [
            "The corpus holds 2,000 utterances in total.",
            "It takes 10 turns of the crank to start.",
            "We collected 1,300 dialogues from volunteers.",
            "The model was trained for 20 epochs with a mean loss of 0.3.",
            "Multi-turn conversations between clients and counselors.",
            "```\naverage of 30 turns per dialogue\n```",
            "---\ndescription: an average of 30 turns per dialogue\n---\nNo figures here.",
            "@article{x,\n title={An average of 30 turns per dialogue},\n}",
        ] {
            assert_eq!(avg(decoy), None, "{decoy}");
        }
        // The quoted sentence is kept for `show`.
        let e =
            evidence_from_card("Intro.\nOn average, sessions have 33 turns per session.").unwrap();
        assert!(e.detail.contains("33 turns"));
    }
}
