//! Offline query: lenient text parsing with field boosts, filters on fast
//! fields and facets, and the composite rank (see [`super::rank()`]).

use super::collect::{Candidate, RankCollector};
use super::rank::Weights;
use super::schema::boosted_text_fields;
use super::{CatalogIndex, Result};
use crate::turns::ConversationFormat;
use std::collections::HashMap;
use std::ops::Bound;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Facet, IndexRecordOption, Value};
use tantivy::{TantivyDocument, Term};

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
    /// Only datasets of this kind.
    pub kind: Option<crate::score::DatasetKind>,
}

impl QueryFilters {
    /// True when a turn filter (min, max, format) is set.
    pub fn has_turn_filter(&self) -> bool {
        self.min_turns.is_some() || self.max_turns.is_some() || self.format.is_some()
    }
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

/// The text part of the query (everything when empty) plus licence/language facet filters.
fn build_query(idx: &CatalogIndex, text: &str, filters: &QueryFilters) -> BooleanQuery {
    let f = &idx.fields;
    let text_query: Box<dyn Query> = if text.trim().is_empty() {
        Box::new(AllQuery)
    } else {
        let boosted = boosted_text_fields(f);
        let mut parser =
            QueryParser::for_index(&idx.index, boosted.iter().map(|(fi, _)| *fi).collect());
        for (field, boost) in boosted {
            parser.set_field_boost(field, boost);
        }
        // Lenient: a stray quote, colon or parenthesis never errors. Acronyms need no expansion
        // here: the index holds them expanded both ways (`expanded`; "CBT" is indexed beside
        // "cognitive behavioral therapy" and vice versa), so a query stays one union of terms
        // instead of also scoring phrases in every field.
        let (query, _ignored_errors) = parser.parse_query_lenient(text);
        flatten_any_of(query)
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
    let kinds: Vec<String> = filters
        .kind
        .iter()
        .map(|k| k.as_str().to_string())
        .collect();
    for (kind, values) in [
        ("license", &filters.licenses),
        ("language", &filters.languages),
        ("kind", &kinds),
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
    // A relevance floor as a clause, not only a collector filter: tantivy then walks the
    // intersection, and datasets below the floor are never collected (score + 0).
    if let Some(minimum) = filters.min_relevance {
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(
                Box::new(relevance_at_least(idx, minimum)),
                0.0,
            )),
        ));
    }
    BooleanQuery::new(clauses)
}

/// `a OR (b OR c)` as `a OR b OR c`. The parser nests one union per query word (each over that
/// word's seven fields); a flat union walks every posting list once instead of merging the
/// merged streams again (a fifth of a two-word query). The sum of the BM25 scores is the same
/// (only the order of the additions changes). Anything that is not `Should` all the way down
/// is kept as parsed.
fn flatten_any_of(query: Box<dyn Query>) -> Box<dyn Query> {
    let only_should =
        |q: &BooleanQuery| q.clauses().iter().all(|(occur, _)| *occur == Occur::Should);
    let Some(outer) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    if !only_should(outer) {
        return query;
    }
    let mut flat: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (_, clause) in outer.clauses() {
        match clause.downcast_ref::<BooleanQuery>() {
            Some(inner) if only_should(inner) => flat.extend(
                inner
                    .clauses()
                    .iter()
                    .map(|(occur, q)| (*occur, q.box_clone())),
            ),
            _ => flat.push((Occur::Should, clause.box_clone())),
        }
    }
    Box::new(BooleanQuery::new(flat))
}

/// Datasets whose relevance is at least `minimum` (a range over the fast field; no scoring).
pub(super) fn relevance_at_least(idx: &CatalogIndex, minimum: f64) -> RangeQuery {
    RangeQuery::new(
        Bound::Included(Term::from_field_u64(
            idx.fields.relevance,
            super::schema::fixed_at_least(minimum),
        )),
        Bound::Unbounded,
    )
}

/// A ranked hit whose dataset id is not read yet (ids come from the document store, a block
/// read each: [`resolve`] reads them only for the hits that are shown).
#[derive(Debug, Clone, Copy)]
pub struct ScoredHit {
    addr: tantivy::DocAddress,
    /// The dataset's family key ([`super::schema::family_key`]; 0: in no family).
    pub family: u64,
    /// Composite score in [0, 1].
    pub score: f64,
    /// The factors.
    pub factors: Factors,
}

/// A ranked page whose ids are not read yet.
#[derive(Debug, Clone)]
pub struct ScoredPage {
    /// Matches after filters.
    pub total: usize,
    /// The requested page, best first.
    pub hits: Vec<ScoredHit>,
}

/// Runs a query and returns one page of ranked hits.
pub fn search(
    idx: &CatalogIndex,
    text: &str,
    filters: &QueryFilters,
    weights: &Weights,
    offset: usize,
    limit: usize,
) -> Result<SearchResult> {
    let page = rank(idx, text, filters, weights, offset, limit)?;
    let hits = resolve(idx, page.hits.into_iter().map(|h| (h, ())))?;
    Ok(SearchResult {
        total: page.total,
        hits: hits.into_iter().map(|(hit, ())| hit).collect(),
    })
}

/// Reads the ids of `hits`, in order, each with what the caller paired it with (a hit whose
/// document has no id is left out).
pub fn resolve<T>(
    idx: &CatalogIndex,
    hits: impl IntoIterator<Item = (ScoredHit, T)>,
) -> Result<Vec<(RankedHit, T)>> {
    let searcher = idx.searcher()?;
    let mut out = Vec::new();
    for (hit, paired) in hits {
        let doc: TantivyDocument = searcher.doc(hit.addr)?;
        if let Some(id) = doc.get_first(idx.fields.id).and_then(|v| v.as_str()) {
            let ranked = RankedHit {
                id: id.to_string(),
                score: hit.score,
                factors: hit.factors,
            };
            out.push((ranked, paired));
        }
    }
    Ok(out)
}

/// Runs a query and returns one page of ranked hits, with their family keys but no ids.
pub fn rank(
    idx: &CatalogIndex,
    text: &str,
    filters: &QueryFilters,
    weights: &Weights,
    offset: usize,
    limit: usize,
) -> Result<ScoredPage> {
    let searcher = idx.searcher()?;
    let has_text = !text.trim().is_empty();
    let query = build_query(idx, text, filters);
    let wanted = offset.saturating_add(limit);
    let collector = RankCollector {
        filters: filters.clone(),
        weights: *weights,
        // Without text the score needs no normalisation: keep only the best `wanted` per segment.
        keep: if has_text { None } else { Some(wanted) },
    };
    // The candidates, and only the few others that can reach the page, usually decide it (see
    // `prune`); otherwise every match is ranked.
    let pruned = if has_text {
        super::prune::text_ranking(idx, searcher, &query, &collector, wanted)?
    } else {
        super::prune::candidates_only(idx, searcher, &query, &collector, wanted)?
    };
    let (total, candidates, best_bm25) = match pruned {
        Some(p) => (p.matches, p.candidates, p.best_bm25),
        None => {
            let (total, candidates) = searcher.search(&query, &collector)?;
            let best = candidates.iter().map(|c| c.bm25).fold(0f32, f32::max);
            (total, candidates, best)
        }
    };
    let weight_sum = weights.total(has_text);
    let mut scored: Vec<(f64, Candidate)> = candidates
        .into_iter()
        .map(|c| {
            let text_part = if has_text {
                weights.text_match * super::rank::match_factor(c.bm25, best_bm25)
            } else {
                0.0
            };
            let score = if weight_sum > 0.0 {
                (text_part + c.static_sum) / weight_sum
            } else {
                0.0
            };
            (score, c)
        })
        .collect();
    super::collect::keep_top(&mut scored, wanted);
    scored.sort_by(super::collect::best_first);
    let mut family_columns: HashMap<u32, Option<tantivy::columnar::Column<u64>>> = HashMap::new();
    let mut hits = Vec::with_capacity(limit.min(scored.len()));
    for (score, c) in scored.into_iter().skip(offset).take(limit) {
        let column = match family_columns.entry(c.addr.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                searcher
                    .segment_reader(c.addr.segment_ord)
                    .fast_fields()
                    .column_opt::<u64>("family")?,
            ),
        };
        hits.push(ScoredHit {
            addr: c.addr,
            family: column
                .as_ref()
                .and_then(|col| col.first(c.addr.doc_id))
                .unwrap_or(0),
            score,
            factors: Factors {
                text_match: (has_text && best_bm25 > 0.0)
                    .then(|| super::rank::match_factor(c.bm25, best_bm25)),
                bm25: f64::from(c.bm25),
                quality: c.quality,
                relevance: c.relevance,
                turns: c.turns,
                popularity: c.popularity,
            },
        });
    }
    Ok(ScoredPage { total, hits })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::schema::build_schema;
    use tantivy::collector::TopDocs;
    use tantivy::{doc, Index, IndexWriter};

    /// A small index of descriptions and names, and a parser like `build_query`'s.
    fn index_and_parser() -> (Index, QueryParser) {
        let (schema, f) = build_schema();
        let index = Index::create_in_ram(schema);
        super::super::stem::register(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let texts = [
            ("trauma therapy sessions", "Trauma"),
            ("therapy conversations with a counselor", "Counseling chats"),
            ("trauma recovery stories", ""),
            ("cooking recipes", "Therapy of cooking"),
            ("counseling and therapy, trauma informed", "TIC"),
        ];
        for (i, (description, name)) in texts.iter().enumerate() {
            writer
                .add_document(doc!(
                    f.id => format!("o/d{i}"),
                    f.description => *description,
                    f.name => *name,
                    f.id_text => format!("o d{i}"),
                ))
                .unwrap();
        }
        writer.commit().unwrap();
        let boosted = boosted_text_fields(&f);
        let mut parser =
            QueryParser::for_index(&index, boosted.iter().map(|(fi, _)| *fi).collect());
        for (field, boost) in boosted {
            parser.set_field_boost(field, boost);
        }
        (index, parser)
    }

    fn scored(index: &Index, query: &dyn Query) -> Vec<(u32, f32)> {
        let searcher = index.reader().unwrap().searcher();
        let mut hits: Vec<(u32, f32)> = searcher
            .search(query, &TopDocs::with_limit(10))
            .unwrap()
            .into_iter()
            .map(|(score, addr)| (addr.doc_id, score))
            .collect();
        hits.sort_by_key(|(doc, _)| *doc);
        hits
    }

    #[test]
    fn a_flat_union_matches_and_scores_like_the_nested_one() {
        let (index, parser) = index_and_parser();
        for text in [
            "trauma therapy",
            "counseling therapy trauma",
            "therapy",
            "\"trauma therapy\" cooking",
        ] {
            let nested = parser.parse_query_lenient(text).0;
            let flat = flatten_any_of(nested.box_clone());
            let (a, b) = (
                scored(&index, nested.as_ref()),
                scored(&index, flat.as_ref()),
            );
            assert_eq!(a.len(), b.len(), "{text}");
            assert!(!a.is_empty(), "{text}");
            for ((doc_a, score_a), (doc_b, score_b)) in a.iter().zip(&b) {
                assert_eq!(doc_a, doc_b, "{text}");
                assert!(
                    (score_a - score_b).abs() < 1e-4,
                    "{text}: {score_a} vs {score_b}"
                );
            }
        }
        // Two words over seven fields: one union of fourteen terms.
        let flat = flatten_any_of(parser.parse_query_lenient("trauma therapy").0);
        let flat = flat.downcast_ref::<BooleanQuery>().unwrap();
        assert_eq!(flat.clauses().len(), 14);
        assert!(flat
            .clauses()
            .iter()
            .all(|(o, q)| *o == Occur::Should && q.downcast_ref::<BooleanQuery>().is_none()));
    }

    #[test]
    fn required_and_excluded_words_are_kept_as_parsed() {
        let (index, parser) = index_and_parser();
        for text in ["+trauma therapy", "therapy -cooking"] {
            let nested = parser.parse_query_lenient(text).0;
            let kept = flatten_any_of(nested.box_clone());
            assert_eq!(format!("{nested:?}"), format!("{kept:?}"), "{text}");
            assert_eq!(
                scored(&index, nested.as_ref()),
                scored(&index, kept.as_ref())
            );
        }
    }
}
