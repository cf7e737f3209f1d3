//! Offline query: lenient text parsing with field boosts and acronym expansion, filters on fast
//! fields and facets, and the composite rank.
//!
//! score = Σ wₖ·factorₖ / Σ wₖ over the factors that apply (the `match` factor only applies when
//! there is query text), so scores stay in [0, 1] whatever the weights. Factors:
//! - match: BM25 of the text query divided by the best BM25 among the matches;
//! - quality and relevance: the stored scores;
//! - turns: ln(1 + avg turns) / ln(31), capped at 1 (30+ turns → 1; unknown → 0);
//! - popularity: 0.7·log₁₀(1 + downloads)/6 + 0.3·log₁₀(1 + likes)/4, each capped at 1.

use super::schema::boosted_text_fields;
use super::{CatalogIndex, Result};
use crate::score::Lexicon;
use crate::turns::ConversationFormat;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

/// Ranking weights (`--weights match=0.3,quality=0.15,...`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Weights {
    /// Text match.
    #[serde(rename = "match")]
    pub text_match: f64,
    /// Quality.
    pub quality: f64,
    /// Therapy relevance.
    pub relevance: f64,
    /// Conversation length.
    pub turns: f64,
    /// Downloads and likes.
    pub popularity: f64,
}

impl Default for Weights {
    /// match 0.30, relevance 0.25, quality 0.15, turns 0.15, popularity 0.15. (The original tool,
    /// which had no text match, used quality 0.3, relevance 0.3, turns 0.2, popularity 0.2.)
    fn default() -> Self {
        Weights {
            text_match: 0.30,
            quality: 0.15,
            relevance: 0.25,
            turns: 0.15,
            popularity: 0.15,
        }
    }
}

impl Weights {
    /// Applies `k=v,...` overrides; unknown keys, bad numbers, negatives and all-zero are errors.
    pub fn with_overrides(mut self, spec: &str) -> std::result::Result<Weights, String> {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("weight `{part}` is not key=value"))?;
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("weight `{part}`: `{}` is not a number", value.trim()))?;
            if !value.is_finite() || value < 0.0 {
                return Err(format!("weight `{part}` must be a non-negative number"));
            }
            match key.trim() {
                "match" => self.text_match = value,
                "quality" => self.quality = value,
                "relevance" => self.relevance = value,
                "turns" => self.turns = value,
                "popularity" => self.popularity = value,
                other => {
                    return Err(format!(
                        "unknown weight `{other}` (known: match, quality, relevance, turns, popularity)"
                    ))
                }
            }
        }
        if self.text_match + self.quality + self.relevance + self.turns + self.popularity <= 0.0 {
            return Err("at least one weight must be positive".to_string());
        }
        Ok(self)
    }
}

/// Filters of `query`, `export` and `report`.
#[derive(Debug, Clone, Default)]
pub struct QueryFilters {
    /// Minimum average turns.
    pub min_turns: Option<f64>,
    /// Maximum average turns.
    pub max_turns: Option<f64>,
    /// Conversation format.
    pub format: Option<ConversationFormat>,
    /// Minimum quality.
    pub min_quality: Option<f64>,
    /// Minimum relevance.
    pub min_relevance: Option<f64>,
    /// Any of these licences (lower-case).
    pub licenses: Vec<String>,
    /// Any of these languages.
    pub languages: Vec<String>,
    /// Last modified at or after (unix seconds).
    pub updated_since: Option<i64>,
    /// Keep datasets with unknown turns when a turn filter is set.
    pub include_unknown_turns: bool,
}

impl QueryFilters {
    fn has_turn_filter(&self) -> bool {
        self.min_turns.is_some() || self.max_turns.is_some() || self.format.is_some()
    }
}

/// One matching document with its ranking inputs.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    addr: DocAddress,
    bm25: f32,
    relevance: f64,
    quality: f64,
    avg_turns: Option<f64>,
    downloads: u64,
    likes: u64,
}

/// The factors behind a hit's score (all in [0, 1]).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Factors {
    /// Normalised text match (None without query text).
    #[serde(rename = "match")]
    pub text_match: Option<f64>,
    /// Raw BM25.
    pub bm25: f64,
    /// Quality.
    pub quality: f64,
    /// Relevance.
    pub relevance: f64,
    /// Turns factor.
    pub turns: f64,
    /// Popularity factor.
    pub popularity: f64,
}

/// One ranked result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RankedHit {
    /// Dataset id.
    pub id: String,
    /// Composite score in [0, 1].
    pub score: f64,
    /// The factors.
    pub factors: Factors,
}

/// A page of results.
#[derive(Debug, Clone)]
pub struct SearchResult {
    /// Matches after filters.
    pub total: usize,
    /// The requested page, best first.
    pub hits: Vec<RankedHit>,
}

fn turns_factor(avg: Option<f64>) -> f64 {
    avg.map_or(0.0, |a| ((1.0 + a.max(0.0)).ln() / 31f64.ln()).min(1.0))
}

fn popularity_factor(downloads: u64, likes: u64) -> f64 {
    let d = ((1.0 + downloads as f64).log10() / 6.0).min(1.0);
    let l = ((1.0 + likes as f64).log10() / 4.0).min(1.0);
    0.7 * d + 0.3 * l
}

/// Adds acronym expansions to the query text: `CBT` → `CBT "cognitive behavioral therapy"`.
fn expand_query(lexicon: &Lexicon, text: &str) -> String {
    let mut out = text.to_string();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        for (acronym, long_forms) in lexicon.acronyms() {
            if acronym.eq_ignore_ascii_case(word) {
                for long in long_forms {
                    out.push_str(&format!(" \"{}\"", long.replace('"', " ")));
                }
            }
        }
    }
    out
}

/// Runs a query and returns one page of ranked hits.
pub fn search(
    idx: &CatalogIndex,
    lexicon: &Lexicon,
    text: &str,
    filters: &QueryFilters,
    weights: &Weights,
    offset: usize,
    limit: usize,
) -> Result<SearchResult> {
    let f = &idx.fields;
    // A one-shot reader: no reload watcher thread for a process that answers one query.
    let reader: tantivy::IndexReader = idx
        .index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?;
    let searcher = reader.searcher();
    let has_text = !text.trim().is_empty();
    let text_query: Box<dyn Query> = if has_text {
        let boosted = boosted_text_fields(f);
        let mut parser =
            QueryParser::for_index(&idx.index, boosted.iter().map(|(fi, _)| *fi).collect());
        for (field, boost) in boosted {
            parser.set_field_boost(field, boost);
        }
        // Lenient: a stray quote, colon or parenthesis never errors.
        let (query, _ignored_errors) = parser.parse_query_lenient(&expand_query(lexicon, text));
        query
    } else {
        Box::new(AllQuery)
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
    for (kind, values) in [
        ("license", &filters.licenses),
        ("language", &filters.languages),
    ] {
        if values.is_empty() {
            continue;
        }
        let any: Vec<(Occur, Box<dyn Query>)> = values
            .iter()
            .map(|v| {
                let term = Term::from_facet(
                    f.facets,
                    &Facet::from_path([kind, v.to_lowercase().as_str()]),
                );
                let q: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
                (Occur::Should, q)
            })
            .collect();
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(BooleanQuery::new(any)), 0.0)),
        ));
    }
    let query = BooleanQuery::new(clauses);
    let mut candidates = searcher.search(
        &query,
        &FilterCollector {
            filters: filters.clone(),
        },
    )?;
    let total = candidates.len();
    let best_bm25 = candidates.iter().map(|c| c.bm25).fold(0f32, f32::max);
    let weight_sum = weights.quality
        + weights.relevance
        + weights.turns
        + weights.popularity
        + if has_text { weights.text_match } else { 0.0 };
    let score_of = |c: &Candidate| -> (f64, Factors) {
        let factors = Factors {
            text_match: (has_text && best_bm25 > 0.0).then(|| f64::from(c.bm25 / best_bm25)),
            bm25: f64::from(c.bm25),
            quality: c.quality.clamp(0.0, 1.0),
            relevance: c.relevance.clamp(0.0, 1.0),
            turns: turns_factor(c.avg_turns),
            popularity: popularity_factor(c.downloads, c.likes),
        };
        let sum = weights.text_match * factors.text_match.unwrap_or(0.0)
            + weights.quality * factors.quality
            + weights.relevance * factors.relevance
            + weights.turns * factors.turns
            + weights.popularity * factors.popularity;
        (
            if weight_sum > 0.0 {
                sum / weight_sum
            } else {
                0.0
            },
            factors,
        )
    };
    let mut scored: Vec<(f64, Factors, Candidate)> = candidates
        .drain(..)
        .map(|c| {
            let (s, factors) = score_of(&c);
            (s, factors, c)
        })
        .collect();
    let wanted = offset.saturating_add(limit).min(scored.len());
    let order = |a: &(f64, Factors, Candidate), b: &(f64, Factors, Candidate)| {
        b.0.total_cmp(&a.0)
            .then(b.2.downloads.cmp(&a.2.downloads))
            .then(a.2.addr.cmp(&b.2.addr))
    };
    if wanted > 0 && wanted < scored.len() {
        scored.select_nth_unstable_by(wanted - 1, order);
        scored.truncate(wanted);
    }
    scored.sort_by(order);
    let mut hits = Vec::with_capacity(limit.min(scored.len()));
    for (score, factors, c) in scored.into_iter().skip(offset).take(limit) {
        let doc: TantivyDocument = searcher.doc(c.addr)?;
        if let Some(id) = doc.get_first(f.id).and_then(|v| v.as_str()) {
            hits.push(RankedHit {
                id: id.to_string(),
                score,
                factors,
            });
        }
    }
    Ok(SearchResult { total, hits })
}

/// Collects every match that passes the fast-field filters, with its ranking inputs.
struct FilterCollector {
    filters: QueryFilters,
}

struct SegmentFilter {
    segment: SegmentOrdinal,
    filters: QueryFilters,
    relevance: Column<f64>,
    quality: Column<f64>,
    avg_turns: Column<f64>,
    downloads: Column<u64>,
    likes: Column<u64>,
    last_modified: Column<i64>,
    gone: Column<u64>,
    out: Vec<Candidate>,
}

impl Collector for FilterCollector {
    type Fruit = Vec<Candidate>;
    type Child = SegmentFilter;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFilter> {
        let ff = reader.fast_fields();
        Ok(SegmentFilter {
            segment,
            filters: self.filters.clone(),
            relevance: ff.f64("relevance")?,
            quality: ff.f64("quality")?,
            avg_turns: ff.f64("avg_turns")?,
            downloads: ff.u64("downloads")?,
            likes: ff.u64("likes")?,
            last_modified: ff.i64("last_modified")?,
            gone: ff.u64("gone")?,
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Candidate>>) -> tantivy::Result<Vec<Candidate>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentFilter {
    type Fruit = Vec<Candidate>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.gone.first(doc).unwrap_or(0) == 1 {
            return;
        }
        let f = &self.filters;
        let relevance = self.relevance.first(doc).unwrap_or(0.0);
        let quality = self.quality.first(doc).unwrap_or(0.0);
        if f.min_relevance.is_some_and(|m| relevance < m)
            || f.min_quality.is_some_and(|m| quality < m)
        {
            return;
        }
        if let Some(since) = f.updated_since {
            if self.last_modified.first(doc).unwrap_or(0) < since {
                return;
            }
        }
        let avg_turns = self.avg_turns.first(doc).filter(|a| *a >= 0.0);
        if f.has_turn_filter() {
            match avg_turns {
                None if !f.include_unknown_turns => return,
                None => {}
                Some(avg) => {
                    let format_ok = f
                        .format
                        .is_none_or(|want| crate::turns::conversation_format(avg) == Some(want));
                    if f.min_turns.is_some_and(|m| avg < m)
                        || f.max_turns.is_some_and(|m| avg > m)
                        || !format_ok
                    {
                        return;
                    }
                }
            }
        }
        self.out.push(Candidate {
            addr: DocAddress::new(self.segment, doc),
            bm25: score,
            relevance,
            quality,
            avg_turns,
            downloads: self.downloads.first(doc).unwrap_or(0),
            likes: self.likes.first(doc).unwrap_or(0),
        });
    }

    fn harvest(self) -> Vec<Candidate> {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_validate() {
        let w = Weights::default()
            .with_overrides("match=1, turns=0.5")
            .unwrap();
        assert_eq!((w.text_match, w.turns), (1.0, 0.5));
        assert!(Weights::default().with_overrides("bogus=1").is_err());
        assert!(Weights::default().with_overrides("quality=-1").is_err());
        assert!(Weights::default().with_overrides("quality").is_err());
        assert!(Weights::default()
            .with_overrides("match=0,quality=0,relevance=0,turns=0,popularity=0")
            .is_err());
    }

    #[test]
    fn factors_are_bounded_and_monotonic() {
        assert_eq!(turns_factor(None), 0.0);
        assert!(turns_factor(Some(4.0)) < turns_factor(Some(20.0)));
        assert_eq!(turns_factor(Some(500.0)), 1.0);
        assert!(popularity_factor(10, 1) < popularity_factor(10_000, 50));
        assert!(popularity_factor(u64::MAX, u64::MAX) <= 1.0 + 1e-9);
    }
}
