//! The therapy lexicon: the TOML schema of `index/therapy.toml` and its compiled, fast form.
//!
//! File layout (every table is optional except at least one `[[group]]`):
//! - `[meta]` — free-form notes (version, description); never interpreted.
//! - `[fields]` — weight of each field a match can come from (see [`FieldWeights`]).
//! - `[scoring]` — saturation scales and format factors (see [`ScoringParams`]).
//! - `[tags]` — which `key:value` Hub tags are scored (see [`TagRules`]).
//! - `[acronyms]` — `ACRONYM = ["expansion", ...]` for the search index.
//! - `[crawl]` — `terms` (id search terms) and `filters` (Hub tag filters) for `sync`.
//! - `[[group]]` — weighted terms: `category`, `kind`, `weight`, optional `modality`, `compound`,
//!   `suppresses`, `cap`, `rows_only` (the terms match only in the text of sampled rows: phrases
//!   that say who is speaking, which would mean nothing in a card), and `terms` (plain strings or
//!   `{ term, weight, case = "upper" }`).
//!
//! Unknown top-level tables are an error (typos must not silently drop vocabulary), except
//! tables whose name starts with `x-` or `x_`: those are reserved for extensions and ignored.
//! Inside the known tables unknown keys are errors too.
//!
//! Term syntax: terms are tokenised like the text they match (see [`super::tokenize`]), so
//! `multi-turn`, `multi turn` and `MultiTurn` are the same term. A trailing `*` makes that token
//! a stem (`психотерап*` matches `психотерапия`, `психотерапевт`); stems need four characters.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;

use super::params::{FieldWeights, ScoringParams, TagRules};
use super::tokenize::tokenize_pattern;
use super::ScoreError;

/// Characters a prefix-index key holds (also the minimum stem length).
pub(crate) const STEM_KEY_CHARS: usize = 4;
/// Minimum length of a lexicon term matched inside an id token (compound matching).
pub(crate) const COMPOUND_MIN_TERM_CHARS: usize = 5;

/// What a group's terms are evidence of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Therapy / counseling / mental-health topic (modalities, roles, conditions, ...).
    Domain,
    /// The data is conversation (dialogue, multi-turn, transcript, chat, SFT/text generation).
    Conversational,
    /// The data is not conversation (classification, exam, benchmark, segmentation, ...).
    NonConversational,
    /// A context that cancels or down-weights therapy evidence (gene therapy, customer support).
    Negative,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CrawlSpec {
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    filters: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupSpec {
    category: String,
    kind: Kind,
    #[serde(default = "one")]
    weight: f64,
    #[serde(default)]
    modality: Option<String>,
    #[serde(default)]
    compound: bool,
    #[serde(default)]
    suppresses: bool,
    #[serde(default)]
    cap: Option<f64>,
    #[serde(default)]
    rows_only: bool,
    terms: Vec<TermSpec>,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum TermSpec {
    Plain(String),
    Detailed(DetailedTerm),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DetailedTerm {
    term: String,
    #[serde(default)]
    weight: Option<f64>,
    #[serde(default)]
    case: Option<CaseRule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum CaseRule {
    Any,
    Upper,
}

#[derive(Debug, Deserialize)]
struct LexiconFile {
    #[serde(default)]
    #[allow(dead_code)] // free-form notes, deliberately not interpreted
    meta: Option<toml::Table>,
    #[serde(default)]
    fields: FieldWeights,
    #[serde(default)]
    scoring: ScoringParams,
    #[serde(default)]
    tags: TagRules,
    #[serde(default)]
    acronyms: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    crawl: CrawlSpec,
    #[serde(default, rename = "group")]
    groups: Vec<GroupSpec>,
    #[serde(flatten)]
    extra: BTreeMap<String, toml::Value>,
}

/// One token of a compiled term.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum PatternToken {
    /// The text token must equal this.
    Exact(String),
    /// The text token must start with this stem.
    Prefix(String),
}

impl PatternToken {
    pub(crate) fn matches(&self, token: &str) -> bool {
        match self {
            PatternToken::Exact(text) => text == token,
            PatternToken::Prefix(stem) => token.starts_with(stem.as_str()),
        }
    }
}

/// A category of terms (one or more groups share it).
#[derive(Debug, Clone)]
pub(crate) struct Category {
    pub name: String,
    pub kind: Kind,
    /// Maximum summed contribution of this category (domain evidence only).
    pub cap: Option<f64>,
}

/// One compiled lexicon term.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    /// The term as written in the lexicon (reported in matches).
    pub term: String,
    pub tokens: Vec<PatternToken>,
    pub category: usize,
    /// The category's kind (a category keeps the kind it was created with).
    pub kind: Kind,
    pub weight: f64,
    pub upper_only: bool,
    pub suppresses: bool,
    pub modality: Option<String>,
    /// Matches only in the sampled rows' text (the group's `rows_only`).
    pub rows_only: bool,
}

/// The compiled therapy lexicon. Build once, share, score many records.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub(crate) fields: FieldWeights,
    pub(crate) scoring: ScoringParams,
    pub(crate) tag_rules: TagRules,
    pub(crate) categories: Vec<Category>,
    pub(crate) patterns: Vec<Pattern>,
    /// First token (exact) → patterns starting with it.
    pub(crate) by_first_token: HashMap<String, Vec<usize>>,
    /// First [`STEM_KEY_CHARS`] characters of a first-token stem → patterns.
    pub(crate) by_first_stem: HashMap<String, Vec<usize>>,
    /// Single-token patterns that may match inside an id token (prefix or suffix).
    pub(crate) compound: Vec<usize>,
    acronyms: Vec<(String, Vec<String>)>,
    crawl_terms: Vec<String>,
    crawl_filters: Vec<String>,
    stamp: String,
}

/// The lexicon shipped with the binary.
const BUILTIN_TOML: &str = include_str!("../../index/therapy.toml");

impl Lexicon {
    /// The built-in lexicon (`index/therapy.toml`, embedded at compile time).
    pub fn builtin() -> Result<Self, ScoreError> {
        Self::from_toml_str(BUILTIN_TOML)
    }

    /// [`Lexicon::stamp`] of the built-in lexicon, without compiling it.
    pub fn builtin_stamp() -> String {
        super::scorer_stamp(BUILTIN_TOML)
    }

    /// What scores computed with this lexicon are stamped with in the catalog
    /// ([`super::scorer_stamp`] of its text).
    pub fn stamp(&self) -> &str {
        &self.stamp
    }

    /// Reads and compiles a lexicon file (a user's `--lexicon FILE`).
    pub fn from_path(path: &std::path::Path) -> Result<Self, ScoreError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScoreError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Self::from_toml_str(&text)
    }

    /// Parses and compiles lexicon TOML (schema in the module docs).
    pub fn from_toml_str(text: &str) -> Result<Self, ScoreError> {
        let file: LexiconFile = toml::from_str(text)?;
        let mut lexicon = compile(file)?;
        lexicon.stamp = super::scorer_stamp(text);
        Ok(lexicon)
    }

    /// Id substring search terms for the Hub crawler (`[crawl] terms`).
    pub fn crawl_terms(&self) -> &[String] {
        &self.crawl_terms
    }

    /// Hub tag filters for the crawler (`[crawl] filters`), spelled as the Hub spells tags.
    pub fn crawl_filters(&self) -> &[String] {
        &self.crawl_filters
    }

    /// Acronyms and their expansions, lower-cased (`[acronyms]`), sorted by acronym.
    pub fn acronyms(&self) -> &[(String, Vec<String>)] {
        &self.acronyms
    }

    /// Number of compiled terms (all kinds).
    pub fn term_count(&self) -> usize {
        self.patterns.len()
    }
}

fn invalid(message: String) -> ScoreError {
    ScoreError::Invalid(message)
}

fn check_weight(what: &str, value: f64, max: f64) -> Result<(), ScoreError> {
    if value.is_finite() && (0.0..=max).contains(&value) {
        Ok(())
    } else {
        Err(invalid(format!(
            "{what} must be between 0 and {max}, got {value}"
        )))
    }
}

fn compile(file: LexiconFile) -> Result<Lexicon, ScoreError> {
    if let Some(key) = file
        .extra
        .keys()
        .find(|k| !(k.starts_with("x-") || k.starts_with("x_")))
    {
        return Err(invalid(format!(
            "unknown table or key `{key}` (extension tables must be named `x-...`)"
        )));
    }
    let f = &file.fields;
    for (name, w) in [
        ("fields.name", f.name),
        ("fields.owner", f.owner),
        ("fields.pretty_name", f.pretty_name),
        ("fields.title", f.title),
        ("fields.tags", f.tags),
        ("fields.task_categories", f.task_categories),
        ("fields.description", f.description),
        ("fields.card_text", f.card_text),
        ("fields.conversation", f.conversation),
        ("fields.schema", f.schema),
        ("scoring.structure_weight", file.scoring.structure_weight),
        ("scoring.unknown_format", file.scoring.unknown_format),
        (
            "scoring.conversational_bonus",
            file.scoring.conversational_bonus,
        ),
        (
            "scoring.non_conversational_penalty",
            file.scoring.non_conversational_penalty,
        ),
        ("scoring.extra_field_bonus", file.scoring.extra_field_bonus),
        ("scoring.compound_factor", file.scoring.compound_factor),
        (
            "scoring.declared_task_factor",
            file.scoring.declared_task_factor,
        ),
    ] {
        check_weight(name, w, 2.0)?;
    }
    for (name, scale) in [
        ("scoring.domain_scale", file.scoring.domain_scale),
        ("scoring.format_scale", file.scoring.format_scale),
    ] {
        if !(scale.is_finite() && scale > 0.0) {
            return Err(invalid(format!("{name} must be positive, got {scale}")));
        }
    }
    let floor = file.scoring.topicless_domain;
    if !(0.0..0.5).contains(&floor) {
        return Err(invalid(format!(
            "scoring.topicless_domain must be at least 0 and under 0.5, got {floor}"
        )));
    }
    if file.groups.is_empty() {
        return Err(invalid("the lexicon has no [[group]] of terms".into()));
    }

    let mut lex = Lexicon {
        fields: file.fields,
        scoring: file.scoring,
        tag_rules: file.tags,
        categories: Vec::new(),
        patterns: Vec::new(),
        by_first_token: HashMap::new(),
        by_first_stem: HashMap::new(),
        compound: Vec::new(),
        acronyms: Vec::new(),
        crawl_terms: Vec::new(),
        crawl_filters: Vec::new(),
        stamp: String::new(),
    };
    let mut seen: HashSet<(Kind, Vec<PatternToken>)> = HashSet::new();
    for group in file.groups {
        compile_group(&mut lex, group, &mut seen)?;
    }

    for (acronym, expansions) in file.acronyms {
        if acronym.trim().is_empty() || expansions.iter().any(|e| e.trim().is_empty()) {
            return Err(invalid(format!(
                "acronym `{acronym}` has an empty name or expansion"
            )));
        }
        // Lower-case once here: the index matches them in lower-cased text, for every dataset.
        let expansions = expansions.iter().map(|e| e.to_lowercase()).collect();
        lex.acronyms.push((acronym, expansions));
    }
    for term in &file.crawl.terms {
        if term.trim().is_empty() {
            return Err(invalid("[crawl] terms contains an empty term".into()));
        }
    }
    for filter in &file.crawl.filters {
        if filter.is_empty() || filter.chars().any(char::is_whitespace) {
            return Err(invalid(format!(
                "[crawl] filter `{filter}` is not a Hub tag (tags contain no spaces)"
            )));
        }
    }
    lex.crawl_terms = file.crawl.terms;
    lex.crawl_filters = file.crawl.filters;
    Ok(lex)
}

fn compile_group(
    lex: &mut Lexicon,
    group: GroupSpec,
    seen: &mut HashSet<(Kind, Vec<PatternToken>)>,
) -> Result<(), ScoreError> {
    let name = group.category.trim().to_string();
    if name.is_empty() {
        return Err(invalid("a [[group]] has an empty category".into()));
    }
    check_weight(&format!("weight of group `{name}`"), group.weight, 5.0)?;
    if group.suppresses && group.kind != Kind::Negative {
        return Err(invalid(format!(
            "group `{name}`: only negative groups may suppress"
        )));
    }
    if group.rows_only && (group.compound || group.suppresses) {
        return Err(invalid(format!(
            "group `{name}`: a rows_only group can neither match in ids (compound) nor suppress"
        )));
    }
    let category = match lex
        .categories
        .iter()
        .enumerate()
        .find(|(_, c)| c.name == name)
    {
        Some((_, existing)) if existing.kind != group.kind => {
            return Err(invalid(format!(
                "category `{name}` is used with two different kinds"
            )));
        }
        Some((index, _)) => index,
        None => {
            lex.categories.push(Category {
                name: name.clone(),
                kind: group.kind,
                cap: None,
            });
            lex.categories.len() - 1
        }
    };
    if let Some(cap) = group.cap {
        check_weight(&format!("cap of group `{name}`"), cap, 10.0)?;
        if let Some(entry) = lex.categories.get_mut(category) {
            entry.cap = Some(cap);
        }
    }
    for spec in group.terms {
        let (term, weight, case) = match spec {
            TermSpec::Plain(term) => (term, group.weight, CaseRule::Any),
            TermSpec::Detailed(d) => (
                d.term,
                d.weight.unwrap_or(group.weight),
                d.case.unwrap_or(CaseRule::Any),
            ),
        };
        check_weight(&format!("weight of term `{term}`"), weight, 5.0)?;
        let tokens: Vec<PatternToken> = tokenize_pattern(&term)
            .into_iter()
            .map(|(token, stem)| {
                if stem {
                    PatternToken::Prefix(token.text)
                } else {
                    PatternToken::Exact(token.text)
                }
            })
            .collect();
        let Some(first) = tokens.first().cloned() else {
            return Err(invalid(format!(
                "term `{term}` in group `{name}` has no words"
            )));
        };
        if let Some(PatternToken::Prefix(stem)) = tokens
            .iter()
            .find(|t| matches!(t, PatternToken::Prefix(s) if s.chars().count() < STEM_KEY_CHARS))
        {
            return Err(invalid(format!(
                "stem `{stem}*` in term `{term}` is shorter than {STEM_KEY_CHARS} characters"
            )));
        }
        if !seen.insert((group.kind, tokens.clone())) {
            return Err(invalid(format!(
                "term `{term}` appears twice among {:?} terms",
                group.kind
            )));
        }
        let index = lex.patterns.len();
        match &first {
            PatternToken::Exact(text) => lex
                .by_first_token
                .entry(text.clone())
                .or_default()
                .push(index),
            PatternToken::Prefix(stem) => {
                let key: String = stem.chars().take(STEM_KEY_CHARS).collect();
                lex.by_first_stem.entry(key).or_default().push(index);
            }
        }
        let single_exact = matches!((&first, tokens.len()), (PatternToken::Exact(t), 1) if t.chars().count() >= COMPOUND_MIN_TERM_CHARS);
        if (group.compound || group.kind == Kind::Negative)
            && !group.rows_only
            && single_exact
            && case == CaseRule::Any
        {
            lex.compound.push(index);
        }
        lex.patterns.push(Pattern {
            term,
            tokens,
            category,
            kind: group.kind,
            weight,
            upper_only: case == CaseRule::Upper,
            suppresses: group.suppresses,
            modality: group.modality.clone(),
            rows_only: group.rows_only,
        });
    }
    Ok(())
}
