//! Therapy relevance: token matching of the lexicon over a dataset's fields, then scoring.
//!
//! **Matching.** Each field is tokenised ([`super::tokenize`]) and lexicon terms are looked up
//! by their first token (exact, or by stem). Within one field:
//! - a negative term that `suppresses` cancels every positive match overlapping it
//!   (`gene therapy` cancels `therapy`; `ACT policy` cancels `ACT`);
//! - among matches of the same kind the longest wins (`cognitive behavioral therapy` is one
//!   CBT match, not also `therapy`);
//! - terms marked `case = "upper"` (ACT, MI) match only upper-case tokens;
//! - a negative or non-conversational term right after "no", "not", "non", "without" or "sans"
//!   counts for nothing (`no_questionnaire`, "without labels");
//! - terms of `rows_only` groups (who speaks: "I've been feeling", "what is a") match only in
//!   the sampled rows' text;
//! - in the card's declared column names (`schema`) non-conversational terms are dropped: the
//!   columns' structure, not a `knowledge` column's name, says whether rows are conversation.
//! - in the sampled rows, terms against therapy conversation count only when written for rows
//!   (`rows_only`): speakers talk about meetings, surveys and exams; what the rows are is the
//!   structure's call.
//!
//! In the repo id only, a token of six characters or more that matched nothing is tried as a
//! compound: the longest lexicon term (five characters or more, from `compound` groups or
//! negatives) that starts it and the longest that ends it (or ends it before a trailing "data",
//! "dataset" or "corpus"), each leaving at least two characters (only the longer when they
//! overlap), count with weight × `compound_factor`
//! (`therapydataset`, `autotherapy`, `mentalchat`, `therapy` + `conversation` in
//! `therapyconversations`). Hub uploads often glue words together in names and have empty cards,
//! so the id must be read this way; prose never is.
//!
//! **Scoring.** Every distinct term counts once per field (repetition adds nothing). A term's
//! strength is its best field weight plus `extra_field_bonus` per further field (at most three),
//! times its weight. Strengths are summed per kind (a category `cap` limits its share):
//! `S` domain, `C` conversational, `X` non-conversational, `N` negative. Then
//!
//! ```text
//! domain   = max(1 - exp(-S / domain_scale), topicless_domain)
//! c, x     = 1 - exp(-C / format_scale), 1 - exp(-X / format_scale)
//! format   = clamp(unknown_format + conversational_bonus·c - non_conversational_penalty·x, 0.05, 1)
//! negative = 1 / (1 + N)
//! score    = domain · format · negative
//! ```
//! so dialogue without therapy words scores next to nothing (`topicless_domain` × format: a
//! topic-free conversation still ranks above topic-free classification data), therapy words on
//! classification or exam data score below the same words on conversation data, and
//! saturation keeps any one signal from dominating.

use super::lexicon::{Kind, Lexicon, Pattern, PatternToken, STEM_KEY_CHARS};
use super::tokenize::{tokenize_into, Token};
use super::{Relevance, RelevanceInput};

/// Words that, right before a term against therapy conversation, say the data lacks it
/// (`no_questionnaire`, "without labels", "non-clinical"): such a term counts for nothing.
const ABSENCE_WORDS: [&str; 5] = ["no", "not", "non", "without", "sans"];

/// Id tokens at least this long are tried as compounds (`therapydataset`).
const COMPOUND_MIN_TOKEN_CHARS: usize = 6;

/// Trailing words of a glued id token that only say it is data, looked behind for a term that
/// ends the rest (longest first).
const GLUED_DATA_SUFFIXES: [&str; 4] = ["datasets", "dataset", "corpus", "data"];

/// Where a match was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Field {
    Name,
    Owner,
    PrettyName,
    Title,
    Tags,
    TaskCategories,
    Description,
    CardText,
    Conversation,
    Schema,
}

impl Field {
    pub(super) fn label(self) -> &'static str {
        match self {
            Field::Name => "id",
            Field::Owner => "owner",
            Field::PrettyName => "pretty_name",
            Field::Title => "title",
            Field::Tags => "tags",
            Field::TaskCategories => "task_categories",
            Field::Description => "description",
            Field::CardText => "card_text",
            Field::Conversation => "conversation",
            Field::Schema => "schema",
        }
    }

    fn weight(self, lex: &Lexicon) -> f64 {
        let w = &lex.fields;
        match self {
            Field::Name => w.name,
            Field::Owner => w.owner,
            Field::PrettyName => w.pretty_name,
            Field::Title => w.title,
            Field::Tags => w.tags,
            Field::TaskCategories => w.task_categories,
            Field::Description => w.description,
            Field::CardText => w.card_text,
            Field::Conversation => w.conversation,
            Field::Schema => w.schema,
        }
    }
}

/// Which part of a token a match covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    /// Whole tokens (every ordinary match).
    Whole,
    /// The start of a glued id token (`therapy` in `therapyconversations`).
    Prefix,
    /// The end of a glued id token (`conversation` in `therapyconversations`).
    Suffix,
}

/// A match inside one field's token list.
#[derive(Debug, Clone, Copy)]
struct Span {
    pattern: usize,
    start: usize,
    end: usize,
    part: Part,
}

impl Span {
    fn overlaps(&self, other: &Span) -> bool {
        let different_parts =
            self.part != Part::Whole && other.part != Part::Whole && self.part != other.part;
        !different_parts && self.start < other.end && other.start < self.end
    }
}

/// A surviving match: which term, in which field, with what field weight.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit {
    pub(super) pattern: usize,
    pub(super) field: Field,
    pub(super) field_weight: f64,
    pub(super) compound: bool,
}

/// Scores one dataset (see the module docs).
pub fn relevance(lex: &Lexicon, input: &RelevanceInput) -> Relevance {
    let mut scanner = Scanner {
        lex,
        tokens: Vec::new(),
        spans: Vec::new(),
        hits: Vec::new(),
    };
    let (owner, name) = input.id.split_once('/').unwrap_or(("", input.id));
    scanner.scan(name, Field::Name, true);
    scanner.scan(owner, Field::Owner, true);
    if let Some(pretty) = input.pretty_name {
        scanner.scan(pretty, Field::PrettyName, false);
    }
    if let Some(title) = input.title {
        scanner.scan(title, Field::Title, false);
    }
    for tag in input.tags {
        match tag.split_once(':') {
            None => scanner.scan(tag, Field::Tags, false),
            Some((key, value)) if lex.tag_rules.task_keys.iter().any(|k| k == key) => {
                scanner.scan(value, Field::TaskCategories, false)
            }
            Some((key, value)) if lex.tag_rules.free_keys.iter().any(|k| k == key) => {
                scanner.scan(value, Field::Tags, false)
            }
            Some(_) => {}
        }
    }
    for task in input.task_categories {
        scanner.scan(task, Field::TaskCategories, false);
    }
    if let Some(description) = input.description {
        scanner.scan(description, Field::Description, false);
    }
    if let Some(card) = input.card_text {
        scanner.scan(
            truncate_chars(card, lex.scoring.card_text_max_chars),
            Field::CardText,
            false,
        );
    }
    if let Some(turns) = input.conversation_text {
        scanner.scan(
            truncate_chars(turns, lex.scoring.card_text_max_chars),
            Field::Conversation,
            false,
        );
    }
    if let Some(columns) = input.schema_text {
        scanner.scan(
            truncate_chars(columns, lex.scoring.card_text_max_chars),
            Field::Schema,
            false,
        );
    }
    super::formula::score(lex, scanner.hits, input.structure)
}

fn truncate_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => text.get(..cut).unwrap_or(text),
        None => text,
    }
}

struct Scanner<'l> {
    lex: &'l Lexicon,
    tokens: Vec<Token>,
    spans: Vec<Span>,
    hits: Vec<Hit>,
}

impl Scanner<'_> {
    fn scan(&mut self, text: &str, field: Field, compound: bool) {
        self.tokens.clear();
        self.spans.clear();
        tokenize_into(text, &mut self.tokens);
        let in_rows = field == Field::Conversation;
        for start in 0..self.tokens.len() {
            let before = self.spans.len();
            self.match_at(start, in_rows);
            let Some(token) = self.tokens.get(start).map(|t| &t.text) else {
                continue;
            };
            if compound
                && self.spans.len() == before
                && token.chars().count() >= COMPOUND_MIN_TOKEN_CHARS
            {
                for (part, pattern) in self.compound_matches(token) {
                    self.spans.push(Span {
                        pattern,
                        start,
                        end: start + 1,
                        part,
                    });
                }
            }
        }
        self.drop_absent_negatives();
        self.resolve_overlaps();
        let lex = self.lex;
        if field == Field::Schema {
            // Whether columns make conversation or labelled text is the structure's call
            // (`Structure`); a `knowledge` or `sentiment` column in a dialogue set is no
            // evidence against it.
            self.spans.retain(|span| {
                lex.patterns
                    .get(span.pattern)
                    .is_some_and(|p| p.kind != Kind::NonConversational)
            });
        } else if in_rows {
            // The rows are what speakers say: a client's work meeting, survey job or exam is
            // no evidence about the dataset (what the rows are is the structure's call:
            // layout, answer options). Against therapy conversation only the phrases written
            // for rows count (`rows_only`: a reference text's "what is a"); a negative still
            // cancels the positive it overlaps ("gene therapy" is no therapy).
            self.spans.retain(|span| {
                lex.patterns.get(span.pattern).is_some_and(|p| {
                    p.rows_only || !matches!(p.kind, Kind::Negative | Kind::NonConversational)
                })
            });
        }
        let field_weight = field.weight(self.lex);
        for span in &self.spans {
            self.hits.push(Hit {
                pattern: span.pattern,
                field,
                field_weight,
                compound: span.part != Part::Whole,
            });
        }
    }

    /// Records every term that matches at token `start` (`rows_only` terms only when the
    /// text is sampled rows).
    fn match_at(&mut self, start: usize, in_rows: bool) {
        let lex = self.lex;
        let Some(first) = self.tokens.get(start).map(|t| &t.text) else {
            return;
        };
        let exact = lex.by_first_token.get(first.as_str());
        // The stem index is keyed by the first STEM_KEY_CHARS characters.
        let stemmed = match first.char_indices().nth(STEM_KEY_CHARS) {
            Some((cut, _)) => first.get(..cut).and_then(|key| lex.by_first_stem.get(key)),
            None if first.chars().count() == STEM_KEY_CHARS => {
                lex.by_first_stem.get(first.as_str())
            }
            None => None,
        };
        for &index in exact
            .into_iter()
            .flatten()
            .chain(stemmed.into_iter().flatten())
        {
            let Some(pattern) = lex.patterns.get(index) else {
                continue;
            };
            if (in_rows || !pattern.rows_only) && self.pattern_matches(pattern, start) {
                self.spans.push(Span {
                    pattern: index,
                    start,
                    end: start + pattern.tokens.len(),
                    part: Part::Whole,
                });
            }
        }
    }

    fn pattern_matches(&self, pattern: &Pattern, start: usize) -> bool {
        let Some(window) = self.tokens.get(start..start + pattern.tokens.len()) else {
            return false;
        };
        window.iter().zip(&pattern.tokens).all(|(token, expected)| {
            expected.matches(&token.text) && (!pattern.upper_only || token.upper)
        })
    }

    /// The longest compound-eligible term that starts `token` and the longest that ends it
    /// (negatives win ties; each leaves at least two characters). The end is looked for
    /// before a trailing "data", "dataset(s)" or "corpus" too (`arabictherapydataset`). When
    /// the two would overlap, only the longer is kept.
    fn compound_matches(&self, token: &str) -> Vec<(Part, usize)> {
        let lex = self.lex;
        // The token without a trailing word that only says "this is data".
        let core = GLUED_DATA_SUFFIXES
            .iter()
            .find_map(|suffix| token.strip_suffix(suffix))
            .filter(|rest| rest.chars().count() >= COMPOUND_MIN_TOKEN_CHARS)
            .unwrap_or(token);
        // (length, pattern, negative) of the best prefix and suffix so far
        let mut best: [Option<(usize, usize, bool)>; 2] = [None, None];
        for &index in &lex.compound {
            let Some(pattern) = lex.patterns.get(index) else {
                continue;
            };
            let Some(PatternToken::Exact(term)) = pattern.tokens.first() else {
                continue;
            };
            let negative = pattern.kind == Kind::Negative;
            let found = [
                token.len() >= term.len() + 2 && token.starts_with(term.as_str()),
                core.len() >= term.len() + 2 && core.ends_with(term.as_str()),
            ];
            for (slot, hit) in best.iter_mut().zip(found) {
                let better = match *slot {
                    None => true,
                    Some((len, _, neg)) => {
                        term.len() > len || (term.len() == len && negative && !neg)
                    }
                };
                if hit && better {
                    *slot = Some((term.len(), index, negative));
                }
            }
        }
        match best {
            [Some(prefix), Some(suffix)] if prefix.0 + suffix.0 > core.len() => {
                let (part, keep) = if suffix.0 > prefix.0 {
                    (Part::Suffix, suffix)
                } else {
                    (Part::Prefix, prefix)
                };
                vec![(part, keep.1)]
            }
            [prefix, suffix] => prefix
                .map(|p| (Part::Prefix, p.1))
                .into_iter()
                .chain(suffix.map(|s| (Part::Suffix, s.1)))
                .collect(),
        }
    }

    /// Drops every negative or non-conversational match right after an absence word ("no
    /// questionnaire" says there is none).
    fn drop_absent_negatives(&mut self) {
        let (lex, tokens) = (self.lex, &self.tokens);
        self.spans.retain(|span| {
            let against = lex
                .patterns
                .get(span.pattern)
                .is_some_and(|p| matches!(p.kind, Kind::Negative | Kind::NonConversational));
            let after_absence = span
                .start
                .checked_sub(1)
                .and_then(|i| tokens.get(i))
                .is_some_and(|t| ABSENCE_WORDS.contains(&t.text.as_str()));
            !(against && after_absence)
        });
    }

    /// Applies suppression by negatives and longest-match-wins within a kind.
    fn resolve_overlaps(&mut self) {
        let lex = self.lex;
        let spans = &self.spans;
        let keep: Vec<bool> = spans
            .iter()
            .map(|span| {
                let Some(pattern) = lex.patterns.get(span.pattern) else {
                    return true;
                };
                let kind = pattern.kind;
                !spans.iter().any(|other| {
                    let Some(other_pattern) = lex.patterns.get(other.pattern) else {
                        return false;
                    };
                    let other_kind = other_pattern.kind;
                    if kind != Kind::Negative && other_pattern.suppresses && span.overlaps(other) {
                        return true;
                    }
                    if other_kind != kind || other.pattern == span.pattern {
                        return false;
                    }
                    let contains =
                        span.overlaps(other) && other.start <= span.start && span.end <= other.end;
                    let longer = other.end - other.start > span.end - span.start;
                    let same_span = other.start == span.start && other.end == span.end;
                    contains
                        && (longer
                            || (same_span
                                && (other_pattern.weight > pattern.weight
                                    || (other_pattern.weight == pattern.weight
                                        && other.pattern < span.pattern))))
                })
            })
            .collect();
        let mut keep = keep.into_iter();
        self.spans.retain(|_| keep.next().unwrap_or(true));
    }
}
