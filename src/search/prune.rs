//! Rankings answered from the candidates, with the rest of the Hub bounded instead of scanned.
//!
//! About 98% of the Hub sits below the candidate floor ([`SAMPLING_RELEVANCE_FLOOR`]). Their
//! text-free score Σ w·factor is at most `rest` = `w_q·max quality + w_r·floor + w_t·max bulk
//! turns + w_p·max popularity`, every maximum a column statistic tantivy keeps per segment (the
//! `bulk_turns` column holds the turns factor of those datasets only and is almost always 0;
//! under the default weights the maximum of their own indexed `bulk_default_score` is used
//! instead, a far tighter bound). So a ranking first runs over the candidates alone (the
//! `/tier/candidate` facet, a short postings list):
//!
//! - without query text, when the last wanted hit beats `rest`, no other dataset can enter the
//!   page and the whole-catalog scan is skipped;
//! - with query text, a dataset's score is `w_m·bm25/B + static` where `B` is the best BM25 of
//!   all matches. One pass over the matches counts them, finds `B`, reads the ranking columns of
//!   the candidates (a per-segment bitset of the facet's postings says which) and keeps only the
//!   BM25 of the others. A dataset below the floor with BM25 `b` scores at most `w_m·b/B + rest`,
//!   so it can reach the last wanted candidate's score `T` only when `b ≥ θ = (T − rest)·B/w_m`;
//!   only those have their columns read afterwards, usually a handful. The columns of the bulk
//!   of the matches (random reads: most of a query's page faults) are never touched.
//!
//! Either way the page, its scores and the match count equal the full ranking's; otherwise
//! (`None`) the caller runs the full ranking. It applies when the only filters are facets
//! (licence, language, kind) and optionally a minimum relevance below the floor — all clauses of
//! the query — because then the number of matches is a plain count of the query.

use super::collect::{Candidate, RankCollector, RankSegment};
use super::query::QueryFilters;
use super::rank::{match_factor, Weights};
use super::schema::{candidate_facet, from_fixed};
use super::{CatalogIndex, Result};
use crate::score::SAMPLING_RELEVANCE_FLOOR;
use tantivy::collector::{Collector, Count, SegmentCollector};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, Searcher, SegmentOrdinal, SegmentReader, Term, TERMINATED};

/// A ranking answered by pruning: what the full ranking would have returned.
pub(super) struct Pruned {
    /// Matches of the query (after filters).
    pub matches: usize,
    /// Every dataset that can be on the page (and possibly a few more).
    pub candidates: Vec<Candidate>,
    /// The best BM25 of all matches (the text factor's normaliser; 0 without text).
    pub best_bm25: f32,
}

/// True when every filter is a clause of the query (so counting the query counts the matches).
fn only_clause_filters(f: &QueryFilters) -> bool {
    f.min_quality.is_none()
        && !f.has_turn_filter()
        && f.updated_since.is_none()
        && f.min_relevance.is_none_or(|m| m < SAMPLING_RELEVANCE_FLOOR)
}

/// The best score (Σ w·factor, unnormalised) any dataset below the floor can reach without text.
fn bulk_bound(searcher: &Searcher, weights: &Weights) -> Result<f64> {
    if *weights == Weights::default() {
        // Each such dataset's own default-weight score was indexed (rounded up): its maximum
        // bounds them all.
        let mut best = 0u64;
        for segment in searcher.segment_readers() {
            if let Some(scores) = segment
                .fast_fields()
                .column_opt::<u64>("bulk_default_score")?
            {
                best = best.max(scores.max_value());
            }
        }
        return Ok(from_fixed(best));
    }
    let (mut quality, mut turns, mut popularity) = (0u64, 0u64, 0u64);
    for segment in searcher.segment_readers() {
        let columns = segment.fast_fields();
        quality = quality.max(columns.u64("quality")?.max_value());
        popularity = popularity.max(columns.u64("popularity")?.max_value());
        if let Some(bulk) = columns.column_opt::<u64>("bulk_turns")? {
            turns = turns.max(bulk.max_value());
        }
    }
    Ok(weights.static_sum(
        from_fixed(quality),
        SAMPLING_RELEVANCE_FLOOR,
        from_fixed(turns),
        from_fixed(popularity),
    ))
}

/// `query` restricted to the candidates.
fn candidates_of(idx: &CatalogIndex, query: &dyn Query) -> BooleanQuery {
    let term = Term::from_facet(idx.fields.facets, &candidate_facet());
    let tier: Box<dyn Query> = Box::new(ConstScoreQuery::new(
        Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
        0.0,
    ));
    BooleanQuery::new(vec![(Occur::Must, query.box_clone()), (Occur::Must, tier)])
}

/// Keeps the best `wanted` of `found` by `score` (ties by address, like the full ranking, so
/// ties at the cut keep the same hits) and returns the score of the last one kept.
fn keep_best(found: &mut Vec<Candidate>, wanted: usize, score: impl Fn(&Candidate) -> f64) -> f64 {
    let mut scored: Vec<(f64, Candidate)> = found.drain(..).map(|c| (score(&c), c)).collect();
    super::collect::keep_top(&mut scored, wanted);
    let last = scored
        .iter()
        .map(|(s, _)| *s)
        .min_by(f64::total_cmp)
        .unwrap_or(f64::NEG_INFINITY);
    found.extend(scored.into_iter().map(|(_, c)| c));
    last
}

/// The text-free ranking from the candidates alone, when that is provably the whole answer.
pub(super) fn candidates_only(
    idx: &CatalogIndex,
    searcher: &Searcher,
    query: &dyn Query,
    collector: &RankCollector,
    wanted: usize,
) -> Result<Option<Pruned>> {
    if !only_clause_filters(&collector.filters) || wanted == 0 {
        return Ok(None);
    }
    let (_, mut found) = searcher.search(&candidates_of(idx, query), collector)?;
    if found.len() < wanted {
        return Ok(None);
    }
    let last_kept = keep_best(&mut found, wanted, |c| c.static_sum);
    if last_kept <= bulk_bound(searcher, &collector.weights)? {
        return Ok(None);
    }
    let matches = searcher.search(query, &Count)?;
    Ok(Some(Pruned {
        matches,
        candidates: found,
        best_bm25: 0.0,
    }))
}

/// The text ranking from one pass over the matches that reads the ranking columns of the
/// candidates only, then of the few datasets below the floor whose BM25 is high enough to matter
/// (see the module docs). `collector` must keep every match.
pub(super) fn text_ranking(
    idx: &CatalogIndex,
    searcher: &Searcher,
    query: &dyn Query,
    collector: &RankCollector,
    wanted: usize,
) -> Result<Option<Pruned>> {
    let weights = collector.weights;
    if !only_clause_filters(&collector.filters) || collector.keep.is_some() {
        return Ok(None);
    }
    let tiered = TieredCollector {
        ranking: collector,
        tier: Term::from_facet(idx.fields.facets, &candidate_facet()),
    };
    let pass = searcher.search(query, &tiered)?;
    let mut found = pass.candidates;
    let best = f64::from(pass.best_bm25);
    // The last wanted candidate's score; with fewer candidates than wanted, every other match
    // is read (θ = −∞), as the full ranking would.
    let last_kept = if best > 0.0 && weights.text_match > 0.0 && found.len() >= wanted {
        keep_best(&mut found, wanted, |c| {
            weights.text_match * match_factor(c.bm25, pass.best_bm25) + c.static_sum
        })
    } else {
        f64::NEG_INFINITY
    };
    let rest = bulk_bound(searcher, &weights)?;
    let theta = if last_kept.is_finite() {
        (last_kept - rest) / weights.text_match * best
    } else {
        f64::NEG_INFINITY
    };
    // A little below θ, so rounding never drops a dataset that ties the last candidate.
    let threshold = theta - 1e-4 * best.max(1.0);
    let readers = searcher.segment_readers();
    for (ordinal, others) in pass.others.iter().enumerate() {
        let high: Vec<&(DocId, Score)> = others
            .iter()
            .filter(|(_, bm25)| f64::from(*bm25) >= threshold)
            .collect();
        if let (false, Some(reader)) = (high.is_empty(), readers.get(ordinal)) {
            let ordinal = u32::try_from(ordinal).unwrap_or(u32::MAX);
            let mut segment = collector.for_segment(ordinal, reader)?;
            for &&(doc, bm25) in &high {
                segment.collect(doc, bm25);
            }
            found.extend(segment.harvest().1);
        }
    }
    Ok(Some(Pruned {
        matches: pass.matches,
        candidates: found,
        best_bm25: pass.best_bm25,
    }))
}

/// One pass over the matches of a text query: counts them, finds the best BM25, gathers the
/// candidates' ranking inputs (through the [`RankCollector`]) and only the BM25 of the others.
struct TieredCollector<'a> {
    ranking: &'a RankCollector,
    /// The candidate facet's term.
    tier: Term,
}

/// What [`TieredCollector`] gathers.
struct TieredFruit {
    matches: usize,
    best_bm25: Score,
    candidates: Vec<Candidate>,
    /// Per segment (by ordinal): the other matches and their BM25.
    others: Vec<Vec<(DocId, Score)>>,
}

/// What one segment of [`TieredCollector`] gathers.
struct SegmentFruit {
    ordinal: SegmentOrdinal,
    matches: usize,
    best_bm25: Score,
    candidates: Vec<Candidate>,
    others: Vec<(DocId, Score)>,
}

/// Per-segment state of [`TieredCollector`].
struct TieredSegment {
    ordinal: SegmentOrdinal,
    /// Bit `d` set: document `d` is a candidate.
    is_candidate: Vec<u64>,
    ranking: RankSegment,
    matches: usize,
    best_bm25: Score,
    others: Vec<(DocId, Score)>,
}

impl Collector for TieredCollector<'_> {
    type Fruit = TieredFruit;
    type Child = TieredSegment;

    fn for_segment(
        &self,
        ordinal: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<TieredSegment> {
        let mut is_candidate = vec![0u64; (reader.max_doc() as usize).div_ceil(64)];
        let postings = reader
            .inverted_index(self.tier.field())?
            .read_postings(&self.tier, IndexRecordOption::Basic)?;
        if let Some(mut postings) = postings {
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if let Some(word) = is_candidate.get_mut(doc as usize / 64) {
                    *word |= 1 << (doc % 64);
                }
                doc = postings.advance();
            }
        }
        Ok(TieredSegment {
            ordinal,
            is_candidate,
            ranking: self.ranking.for_segment(ordinal, reader)?,
            matches: 0,
            best_bm25: 0.0,
            others: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<TieredFruit> {
        let mut merged = TieredFruit {
            matches: 0,
            best_bm25: 0.0,
            candidates: Vec::new(),
            others: Vec::new(),
        };
        for fruit in fruits {
            merged.matches += fruit.matches;
            merged.best_bm25 = merged.best_bm25.max(fruit.best_bm25);
            merged.candidates.extend(fruit.candidates);
            let ordinal = fruit.ordinal as usize;
            if merged.others.len() <= ordinal {
                merged.others.resize_with(ordinal + 1, Vec::new);
            }
            if let Some(slot) = merged.others.get_mut(ordinal) {
                *slot = fruit.others;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for TieredSegment {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.matches += 1;
        self.best_bm25 = self.best_bm25.max(score);
        let word = self
            .is_candidate
            .get(doc as usize / 64)
            .copied()
            .unwrap_or(0);
        if word & (1 << (doc % 64)) != 0 {
            self.ranking.collect(doc, score);
        } else {
            self.others.push((doc, score));
        }
    }

    fn harvest(self) -> Self::Fruit {
        SegmentFruit {
            ordinal: self.ordinal,
            matches: self.matches,
            best_bm25: self.best_bm25,
            candidates: self.ranking.harvest().1,
            others: self.others,
        }
    }
}
