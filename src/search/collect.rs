//! The tantivy collector behind `query`: applies the fast-field filters and gathers each match's
//! ranking inputs. With query text every match is kept (the match factor is normalised by the
//! best BM25, known only at the end); without text only the best `keep` per segment are kept in
//! a bounded heap, so ranking the whole catalog stays a single cheap pass.

use super::query::QueryFilters;
use super::rank::Weights;
use super::schema::from_fixed;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, ColumnIndex};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

/// One matching document with its ranking inputs.
#[derive(Debug, Clone, Copy)]
pub struct Candidate {
    /// Where the document is.
    pub addr: DocAddress,
    /// BM25 of the text query (constant without text).
    pub bm25: f32,
    /// Σ w·factor over the factors that do not depend on the text.
    pub static_sum: f64,
    /// Relevance.
    pub relevance: f64,
    /// Quality.
    pub quality: f64,
    /// Turns factor.
    pub turns: f64,
    /// Popularity factor.
    pub popularity: f64,
}

/// A scored candidate before another: the higher score first, then the earlier document (the
/// one order of every ranking, so the pruned and the full ranking agree on ties).
pub(super) fn best_first(a: &(f64, Candidate), b: &(f64, Candidate)) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.addr.cmp(&b.1.addr))
}

/// Keeps the best `wanted` of `scored` by [`best_first`], in no particular order (all of them
/// when `wanted` is 0 or not fewer).
pub(super) fn keep_top(scored: &mut Vec<(f64, Candidate)>, wanted: usize) {
    if wanted > 0 && wanted < scored.len() {
        scored.select_nth_unstable_by(wanted - 1, best_first);
        scored.truncate(wanted);
    }
}

/// Heap entry ordered by `static_sum` (then address, for determinism).
struct Ranked(Candidate);

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ranked {}
impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0
            .static_sum
            .total_cmp(&other.0.static_sum)
            .then(other.0.addr.cmp(&self.0.addr))
    }
}

/// Filters matches and collects ranking inputs; the fruit is (matches after filters, candidates).
pub struct RankCollector {
    /// Filters on fast fields.
    pub filters: QueryFilters,
    /// Ranking weights.
    pub weights: Weights,
    /// `Some(k)`: keep only the best k by the static part (no query text).
    pub keep: Option<usize>,
}

/// Per-segment state of [`RankCollector`].
pub struct RankSegment {
    segment: SegmentOrdinal,
    filters: QueryFilters,
    weights: Weights,
    keep: Option<usize>,
    relevance: Column<u64>,
    quality: Column<u64>,
    turns: Column<u64>,
    popularity: Column<u64>,
    avg_turns: Option<Column<f64>>,
    turns_lower_bound: Option<Column<f64>>,
    last_modified: Option<Column<i64>>,
    matched: usize,
    all: Vec<Candidate>,
    best: BinaryHeap<Reverse<Ranked>>,
}

impl Collector for RankCollector {
    type Fruit = (usize, Vec<Candidate>);
    type Child = RankSegment;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<RankSegment> {
        let ff = reader.fast_fields();
        let needs_turns = self.filters.has_turn_filter();
        Ok(RankSegment {
            segment,
            filters: self.filters.clone(),
            weights: self.weights,
            keep: self.keep,
            relevance: ff.u64("relevance")?,
            quality: ff.u64("quality")?,
            turns: ff.u64("turns_factor")?,
            popularity: ff.u64("popularity")?,
            avg_turns: if needs_turns {
                Some(ff.f64("avg_turns")?)
            } else {
                None
            },
            turns_lower_bound: if needs_turns {
                Some(ff.f64("turns_lower_bound")?)
            } else {
                None
            },
            last_modified: if self.filters.updated_since.is_some() {
                Some(ff.i64("last_modified")?)
            } else {
                None
            },
            matched: 0,
            all: Vec::new(),
            best: BinaryHeap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.keep.is_none()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<(usize, Vec<Candidate>)>,
    ) -> tantivy::Result<(usize, Vec<Candidate>)> {
        let total = fruits.iter().map(|(n, _)| n).sum();
        Ok((total, fruits.into_iter().flat_map(|(_, c)| c).collect()))
    }
}

impl RankSegment {
    /// False when a filter rejects the document.
    fn passes(&self, doc: DocId, relevance: f64, quality: f64) -> bool {
        let f = &self.filters;
        if f.min_relevance.is_some_and(|m| relevance < m)
            || f.min_quality.is_some_and(|m| quality < m)
        {
            return false;
        }
        if let (Some(since), Some(column)) = (f.updated_since, &self.last_modified) {
            if value_at(column, doc) < since {
                return false;
            }
        }
        if let Some(column) = &self.avg_turns {
            let bound = self
                .turns_lower_bound
                .as_ref()
                .and_then(|c| c.first(doc))
                .filter(|b| *b >= 0.0);
            match column.first(doc).filter(|a| *a >= 0.0) {
                // Only a lower bound: it meets a minimum it already reaches, and the format it
                // already decides (multi_turn); a maximum or another format never matches.
                None if bound.is_some() => {
                    let bound = bound.unwrap_or(0.0);
                    let format_ok = f.format.is_none_or(|want| {
                        crate::turns::format_of(None, Some(bound)) == Some(want)
                    });
                    return f.max_turns.is_none()
                        && format_ok
                        && f.min_turns.is_none_or(|m| bound >= m);
                }
                None => return f.include_unknown_turns,
                Some(avg) => {
                    let format_ok = f
                        .format
                        .is_none_or(|want| crate::turns::conversation_format(avg) == Some(want));
                    if f.min_turns.is_some_and(|m| avg < m)
                        || f.max_turns.is_some_and(|m| avg > m)
                        || !format_ok
                    {
                        return false;
                    }
                }
            }
        }
        true
    }
}

/// The value of a one-value-per-document column: read directly when every document has one
/// (the ranking columns do), through the column's index otherwise. `Column::first` always takes
/// the general multi-value path, which was most of a whole-catalog ranking's time.
#[inline]
fn value_at<T>(column: &Column<T>, doc: DocId) -> T
where
    T: PartialOrd + Copy + Default + std::fmt::Debug + Send + Sync + 'static,
{
    match column.index {
        ColumnIndex::Full => column.values.get_val(doc),
        _ => column.first(doc).unwrap_or_default(),
    }
}

/// Documents per block read at once from the columns (`tantivy::COLLECT_BLOCK_BUFFER_LEN`).
const BLOCK: usize = tantivy::COLLECT_BLOCK_BUFFER_LEN;

impl RankSegment {
    /// Filters and keeps one matching document given its ranking columns.
    #[allow(clippy::too_many_arguments)] // the four ranking figures of one document
    fn consider(
        &mut self,
        doc: DocId,
        score: Score,
        relevance: f64,
        quality: f64,
        turns: f64,
        popularity: f64,
    ) {
        if !self.passes(doc, relevance, quality) {
            return;
        }
        self.matched += 1;
        let candidate = Candidate {
            addr: DocAddress::new(self.segment, doc),
            bm25: score,
            static_sum: self
                .weights
                .static_sum(quality, relevance, turns, popularity),
            relevance,
            quality,
            turns,
            popularity,
        };
        match self.keep {
            None => self.all.push(candidate),
            Some(0) => {}
            Some(k) if self.best.len() < k => self.best.push(Reverse(Ranked(candidate))),
            Some(_) => {
                if let Some(mut worst) = self.best.peek_mut() {
                    if Ranked(candidate) > worst.0 {
                        *worst = Reverse(Ranked(candidate));
                    }
                }
            }
        }
    }
}

impl SegmentCollector for RankSegment {
    type Fruit = (usize, Vec<Candidate>);

    fn collect(&mut self, doc: DocId, score: Score) {
        let relevance = from_fixed(value_at(&self.relevance, doc));
        let quality = from_fixed(value_at(&self.quality, doc));
        let turns = from_fixed(value_at(&self.turns, doc));
        let popularity = from_fixed(value_at(&self.popularity, doc));
        self.consider(doc, score, relevance, quality, turns, popularity);
    }

    /// Without query text (no scoring) tantivy hands over blocks of documents: the four ranking
    /// columns are read a block at a time.
    fn collect_block(&mut self, docs: &[DocId]) {
        for chunk in docs.chunks(BLOCK) {
            let mut columns = [[None; BLOCK]; 4];
            let [relevance, quality, turns, popularity] = &mut columns;
            let n = chunk.len();
            self.relevance.first_vals(chunk, &mut relevance[..n]);
            self.quality.first_vals(chunk, &mut quality[..n]);
            self.turns.first_vals(chunk, &mut turns[..n]);
            self.popularity.first_vals(chunk, &mut popularity[..n]);
            for (i, &doc) in chunk.iter().enumerate() {
                let figure = |column: &[Option<u64>; BLOCK]| {
                    from_fixed(column.get(i).copied().flatten().unwrap_or(0))
                };
                let (r, q, t, p) = (
                    figure(relevance),
                    figure(quality),
                    figure(turns),
                    figure(popularity),
                );
                self.consider(doc, 0.0, r, q, t, p);
            }
        }
    }

    fn harvest(self) -> (usize, Vec<Candidate>) {
        let mut out = self.all;
        out.extend(self.best.into_iter().map(|Reverse(Ranked(c))| c));
        (self.matched, out)
    }
}
