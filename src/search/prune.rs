//! Text-free rankings answered from the candidates alone.
//!
//! Without query text a dataset's score is Σ w·factor over quality, relevance, turns and
//! popularity. Datasets below the candidate floor ([`SAMPLING_RELEVANCE_FLOOR`], about 98% of
//! the Hub) can score at most `w_q·max quality + w_r·floor + w_t·max bulk turns + w_p·max
//! popularity`, and every maximum is a column statistic tantivy keeps per segment (the
//! `bulk_turns` column holds the turns factor of those datasets only; it is almost always 0
//! because they are never measured; under the default weights the `bulk_default_score` column's
//! maximum is used instead, a far tighter bound). So the ranking first runs over the candidates alone (a
//! fast-field range on relevance); when the last of the wanted hits beats that bound, no
//! dataset below the floor can enter the page and the whole-catalog scan is skipped. Otherwise
//! the caller runs the full ranking: the result is the same either way, only faster.
//!
//! It applies when the only filters are facets (licence, language, kind) and optionally a
//! minimum relevance below the floor — all clauses of the query — because then the number of
//! matches is a plain count of the query, without looking at each document's columns.

use super::collect::{Candidate, RankCollector};
use super::query::{relevance_at_least, QueryFilters};
use super::rank::Weights;
use super::{CatalogIndex, Result};
use crate::score::SAMPLING_RELEVANCE_FLOOR;
use tantivy::collector::Count;
use tantivy::query::{BooleanQuery, Occur, QueryClone};
use tantivy::Searcher;

/// The best score (Σ w·factor, unnormalised) any dataset below the floor can reach.
fn bulk_bound(searcher: &Searcher, weights: &Weights) -> Result<f64> {
    if *weights == Weights::default() {
        // Each such dataset's own default-weight score was indexed: its maximum is exact.
        let mut best = 0f64;
        for segment in searcher.segment_readers() {
            if let Some(scores) = segment
                .fast_fields()
                .column_opt::<f64>("bulk_default_score")?
            {
                best = best.max(scores.max_value());
            }
        }
        return Ok(best);
    }
    let (mut quality, mut turns, mut popularity) = (0f64, 0f64, 0f64);
    for segment in searcher.segment_readers() {
        let columns = segment.fast_fields();
        quality = quality.max(columns.f64("quality")?.max_value());
        popularity = popularity.max(columns.f64("popularity")?.max_value());
        if let Some(bulk) = columns.column_opt::<f64>("bulk_turns")? {
            turns = turns.max(bulk.max_value());
        }
    }
    Ok(weights.static_sum(quality, SAMPLING_RELEVANCE_FLOOR, turns, popularity))
}

/// `query` restricted to relevance ≥ `minimum`.
fn with_min_relevance(idx: &CatalogIndex, query: &BooleanQuery, minimum: f64) -> BooleanQuery {
    BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (Occur::Must, Box::new(relevance_at_least(idx, minimum))),
    ])
}

/// The text-free ranking from the candidates alone, when that is provably the whole answer:
/// `(matches, candidates)` like the full ranking, or `None` to run the full ranking.
pub(super) fn candidates_only(
    idx: &CatalogIndex,
    searcher: &Searcher,
    query: &BooleanQuery,
    collector: &RankCollector,
    wanted: usize,
) -> Result<Option<(usize, Vec<Candidate>)>> {
    let f: &QueryFilters = &collector.filters;
    let columns_filtered = f.min_quality.is_some()
        || f.has_turn_filter()
        || f.updated_since.is_some()
        || f.min_relevance
            .is_some_and(|m| m >= SAMPLING_RELEVANCE_FLOOR);
    if columns_filtered || wanted == 0 {
        return Ok(None);
    }
    let (_, mut found) = searcher.search(
        &with_min_relevance(idx, query, SAMPLING_RELEVANCE_FLOOR),
        collector,
    )?;
    if found.len() < wanted {
        return Ok(None);
    }
    // The full ranking's order (score, then address), so ties at the cut keep the same hits.
    found.sort_by(|a, b| {
        b.static_sum
            .total_cmp(&a.static_sum)
            .then(a.addr.cmp(&b.addr))
    });
    let last_kept = found
        .get(wanted - 1)
        .map_or(f64::NEG_INFINITY, |c| c.static_sum);
    if last_kept <= bulk_bound(searcher, &collector.weights)? {
        return Ok(None);
    }
    found.truncate(wanted);
    // The query holds the facet and relevance-floor clauses: counting it counts the matches.
    let matches = searcher.search(query, &Count)?;
    Ok(Some((matches, found)))
}
