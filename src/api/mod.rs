//! The engine's API for programs: open a catalog and run ranked queries, render the text report,
//! run a sync. The command line (`catalog`) and the Python package (`therapy_catalog`) are both
//! built on it; nothing here prints except a sync's progress on stderr. The sync half
//! ([`sync_blocking`], feature `sync`) is in `api/sync.rs`.

use crate::config::Config;
use crate::output::record::ExportRecord;
use crate::score::{Lexicon, Scorer};
use crate::search::{rank, resolve, search, CatalogIndex, QueryFilters, RankedHit, Weights};
use crate::store::Store;
use std::cell::OnceCell;
use std::collections::HashMap;
use std::path::Path;

/// Errors of the engine API.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The catalog store failed (or is missing: run a sync).
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The search index failed (or is missing).
    #[error(transparent)]
    Search(#[from] crate::search::SearchError),
    /// The lexicon is invalid.
    #[error("lexicon: {0}")]
    Lexicon(#[from] crate::score::ScoreError),
    /// A sync failed.
    #[cfg(feature = "sync")]
    #[error(transparent)]
    Sync(#[from] crate::sync::SyncError),
    /// Another sync, import or reindex holds the data dir.
    #[error("{0}")]
    Locked(String),
    /// Filesystem, runtime or client setup failure.
    #[error("{0}")]
    Runtime(String),
}

/// An opened catalog ready to answer queries (read-only).
pub struct Catalog {
    /// The SQLite catalog.
    pub store: Store,
    /// The tantivy index.
    pub index: CatalogIndex,
    /// The scorer, which recomputes the evidence the catalog did not keep; built on first use
    /// (see [`Catalog::scorer`]).
    scorer: OnceCell<Scorer>,
}

/// One page of a ranked query.
#[derive(Debug, Clone)]
pub struct QueryPage {
    /// Datasets matching the query and filters.
    pub total: usize,
    /// The page, best first.
    pub records: Vec<ExportRecord>,
}

impl Catalog {
    /// A catalog of an opened store and index, scoring with `lexicon` (`None`: the built-in
    /// one, compiled only when a page needs it).
    pub fn from_parts(store: Store, index: CatalogIndex, lexicon: Option<Lexicon>) -> Catalog {
        let scorer = OnceCell::new();
        if let Some(lexicon) = lexicon {
            let _ = scorer.set(Scorer::new(lexicon, chrono::Utc::now().date_naive()));
        }
        Catalog {
            store,
            index,
            scorer,
        }
    }

    /// Opens the catalog and index of a data dir read-only, with `lexicon`.
    pub fn open_with(data_dir: &Path, lexicon: Lexicon) -> Result<Catalog, ApiError> {
        Catalog::open_dir(data_dir, Some(lexicon))
    }

    /// Opens the catalog of a data dir with the built-in lexicon. A `Catalog` answers from
    /// the index as its first query found it; open another to see a later sync.
    pub fn open(data_dir: &Path) -> Result<Catalog, ApiError> {
        Catalog::open_dir(data_dir, None)
    }

    fn open_dir(data_dir: &Path, lexicon: Option<Lexicon>) -> Result<Catalog, ApiError> {
        let store = Store::open_read_only(&data_dir.join("catalog.sqlite3"))?;
        let index = CatalogIndex::open(&data_dir.join("index"))?;
        Ok(Catalog::from_parts(store, index, lexicon))
    }

    /// Why the stored scores are not the ones this catalog's scorer would compute (another
    /// scorer version or lexicon, or several: run `catalog reindex`), or `None` when they are.
    /// Reads the stamp without compiling the lexicon.
    pub fn stale_scores(&self) -> Result<Option<String>, ApiError> {
        let current = self
            .scorer
            .get()
            .map_or_else(Lexicon::builtin_stamp, |s| s.lexicon().stamp().to_string());
        Ok(self.store.stale_scores(&current)?)
    }

    /// The scorer. Answering a query needs it only to recompute the evidence of datasets the
    /// catalog keeps light (below the candidate floor) when one is on the page, so the built-in
    /// lexicon — a couple of milliseconds of every process to compile — is compiled on first
    /// use.
    pub fn scorer(&self) -> Result<&Scorer, ApiError> {
        if let Some(scorer) = self.scorer.get() {
            return Ok(scorer);
        }
        let scorer = Scorer::new(Lexicon::builtin()?, chrono::Utc::now().date_naive());
        Ok(self.scorer.get_or_init(|| scorer))
    }

    /// Runs a ranked query. With `collapse`, each family of copies shows once, as its
    /// best-ranked member with the number of other members that matched (`collapsed`).
    #[allow(clippy::too_many_arguments)]
    pub fn query(
        &self,
        text: &str,
        filters: &QueryFilters,
        weights: &Weights,
        offset: usize,
        limit: usize,
        explain: bool,
        collapse: bool,
    ) -> Result<QueryPage, ApiError> {
        let page =
            |offset: usize, limit: usize| self.page(text, filters, weights, offset, limit, explain);
        if !collapse {
            let (total, records) = page(offset, limit)?;
            return Ok(QueryPage {
                total,
                records: self.with_related(records)?,
            });
        }
        // Collapsing needs more hits than the page: widen until the page is full or all seen.
        // Hits collapse on the family key of the index; only the kept page has its ids read.
        let want = offset.saturating_add(limit);
        let mut window = want.saturating_mul(3).saturating_add(40);
        loop {
            let ranked = rank(&self.index, text, filters, weights, 0, window)?;
            let mut kept: Vec<(usize, usize)> = Vec::new(); // (hit index, other members)
            let mut position: HashMap<u64, usize> = HashMap::new();
            for (i, hit) in ranked.hits.iter().enumerate() {
                if hit.family == 0 {
                    kept.push((i, 0));
                } else if let Some(&at) = position.get(&hit.family) {
                    if let Some(entry) = kept.get_mut(at) {
                        entry.1 += 1;
                    }
                } else {
                    position.insert(hit.family, kept.len());
                    kept.push((i, 0));
                }
            }
            if kept.len() >= want || window >= ranked.total {
                let shown = kept
                    .into_iter()
                    .skip(offset)
                    .take(limit)
                    .filter_map(|(i, others)| Some((*ranked.hits.get(i)?, others)));
                let resolved = resolve(&self.index, shown)?;
                let page: Vec<(&RankedHit, usize)> = resolved
                    .iter()
                    .map(|(hit, others)| (hit, *others))
                    .collect();
                let records = self.records_of(&page, explain)?;
                return Ok(QueryPage {
                    total: ranked.total,
                    records: self.with_related(records)?,
                });
            }
            window = window.saturating_mul(2);
        }
    }

    fn page(
        &self,
        text: &str,
        filters: &QueryFilters,
        weights: &Weights,
        offset: usize,
        limit: usize,
        explain: bool,
    ) -> Result<(usize, Vec<ExportRecord>), ApiError> {
        let result = search(&self.index, text, filters, weights, offset, limit)?;
        let hits: Vec<(&RankedHit, usize)> = result.hits.iter().map(|h| (h, 0)).collect();
        Ok((result.total, self.records_of(&hits, explain)?))
    }

    /// Full records of ranked hits, in hit order; each with how many family members it stands
    /// for (`collapsed`, when more than none).
    fn records_of(
        &self,
        hits: &[(&RankedHit, usize)],
        explain: bool,
    ) -> Result<Vec<ExportRecord>, ApiError> {
        let ids: Vec<String> = hits.iter().map(|(h, _)| h.id.clone()).collect();
        let mut stored: HashMap<String, crate::store::StoredDataset> = self
            .store
            .get_many(&ids)?
            .into_iter()
            .map(|d| (d.record.id.clone(), d))
            .collect();
        hits.iter()
            .filter_map(|&(hit, others)| {
                let mut d = stored.remove(&hit.id)?;
                // Only datasets the catalog keeps light lack their evidence.
                if d.scores.relevance_detail.is_none() {
                    match self.scorer() {
                        Ok(scorer) => scorer.fill_evidence(&d.record, &mut d.scores),
                        Err(e) => return Some(Err(e)),
                    }
                }
                let mut record =
                    ExportRecord::from_stored(&d, Some(hit.score), Some(hit.factors), explain);
                record.collapsed = (others > 0).then_some(others);
                Some(Ok(record))
            })
            .collect()
    }

    /// Fills `related` (the other members of each record's family).
    fn with_related(&self, mut records: Vec<ExportRecord>) -> Result<Vec<ExportRecord>, ApiError> {
        let families: Vec<&str> = records
            .iter()
            .filter_map(|r| r.family_id.as_deref())
            .collect();
        if families.is_empty() {
            return Ok(records);
        }
        let members = self.store.family_member_ids(&families)?;
        for record in &mut records {
            if let Some(ids) = record.family_id.as_ref().and_then(|f| members.get(f)) {
                record.related = ids.iter().filter(|id| **id != record.id).cloned().collect();
            }
        }
        Ok(records)
    }
}

/// Recomputes every stored score with `scorer` (its lexicon and day), flags the rows whose
/// scores moved for the index, and stamps the catalog as scored by it. Returns how many moved.
/// `reindex` runs it, and so does a sync that finds the scores computed by another scorer.
pub fn rescore_all(
    store: &mut Store,
    scorer: &Scorer,
    progress: &crate::progress::Progress,
) -> Result<u64, ApiError> {
    let ids = store.all_ids()?;
    let mut rescored = 0u64;
    for (done, chunk) in ids.chunks(5_000).enumerate() {
        let updates: Vec<_> = store
            .get_many(chunk)?
            .iter()
            .map(|d| {
                (
                    d.record.id.clone(),
                    scorer.score_with(&d.record, &d.extras()),
                )
            })
            .collect();
        rescored += store.update_scores(&updates)?;
        progress.update(&format!(
            "rescoring: {} of {} datasets, {rescored} changed",
            (done * 5_000 + chunk.len()).min(ids.len()),
            ids.len()
        ));
    }
    store.set_scored_with(scorer.lexicon().stamp())?;
    Ok(rescored)
}

/// Holds the data dir's writer lock (one sync, import or reindex at a time) while alive.
pub struct WriteLock {
    _file: std::fs::File,
}

/// Takes the exclusive writer lock of the data dir.
pub fn lock_data_dir(config: &Config) -> Result<WriteLock, ApiError> {
    let dir = &config.data_dir.value;
    std::fs::create_dir_all(dir)
        .map_err(|e| ApiError::Runtime(format!("cannot create data dir {}: {e}", dir.display())))?;
    let path = config.lock_path();
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| ApiError::Runtime(format!("cannot open lock file {}: {e}", path.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(WriteLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => Err(ApiError::Locked(format!(
            "another catalog sync, import or reindex is running on {} (lock {})",
            dir.display(),
            path.display()
        ))),
        Err(std::fs::TryLockError::Error(e)) => Err(ApiError::Runtime(format!(
            "cannot lock {}: {e}",
            path.display()
        ))),
    }
}

#[cfg(feature = "sync")]
mod sync;
#[cfg(feature = "sync")]
pub use sync::{sync_blocking, SyncEnd, SyncHttp};
