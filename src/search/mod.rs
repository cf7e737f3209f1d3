//! The tantivy index: derived from SQLite only, rebuildable at any time.
//!
//! Layout on disk: `<data dir>/index/CURRENT` names the live generation directory
//! (`gen-000007`). A rebuild writes a new generation beside it and then replaces `CURRENT`
//! atomically (write a temp file, rename), so a reader always sees a whole index. `sync` updates
//! the live generation in place with one tantivy commit (itself atomic).

mod collect;
mod prune;
pub mod query;
pub mod rank;
pub mod schema;
pub mod stem;

pub use query::{
    rank, resolve, search, QueryFilters, RankedHit, ScoredHit, ScoredPage, SearchResult,
};
pub use rank::Weights;

use crate::progress::Progress;
use crate::score::Lexicon;
use crate::store::{Store, StoreError};
use schema::{build_schema, to_document, Fields};
use std::path::{Path, PathBuf};
use tantivy::{Index, IndexWriter, Term};

/// Errors of the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// No index generation exists yet.
    #[error("no search index in {0} — run `catalog reindex`")]
    Missing(PathBuf),
    /// The live generation was written with another schema (an older version of catalog).
    #[error(
        "the search index in {0} was built by another version of catalog — run `catalog reindex`"
    )]
    Outdated(PathBuf),
    /// tantivy failed.
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Filesystem error.
    #[error("index files: {0}")]
    Io(#[from] std::io::Error),
}

/// Result alias for the index.
pub type Result<T> = std::result::Result<T, SearchError>;

const WRITER_HEAP: usize = 128 * 1024 * 1024;

/// An open index generation.
pub struct CatalogIndex {
    /// The tantivy index.
    pub index: Index,
    /// Its fields.
    pub fields: Fields,
    /// One searcher for every query of this process (opened at the first): opening the
    /// segments' readers, and unmapping their files afterwards, was a tenth of a query.
    searcher: std::sync::OnceLock<tantivy::Searcher>,
}

fn current_generation(index_root: &Path) -> Option<PathBuf> {
    let name = std::fs::read_to_string(index_root.join("CURRENT")).ok()?;
    let name = name.trim();
    let valid = name.starts_with("gen-") && name[4..].chars().all(|c| c.is_ascii_digit());
    valid.then(|| index_root.join(name))
}

impl CatalogIndex {
    /// Opens the live generation under `index_root`.
    pub fn open(index_root: &Path) -> Result<CatalogIndex> {
        let dir = current_generation(index_root)
            .filter(|d| d.is_dir())
            .ok_or_else(|| SearchError::Missing(index_root.to_path_buf()))?;
        let mut index = Index::open_in_dir(&dir)?;
        stem::register(&index);
        // Segments are searched in parallel on every core (2 on the reference machine).
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(4);
        if threads > 1 && index.searchable_segment_ids()?.len() > 1 {
            index.set_multithread_executor(threads)?;
        }
        let (schema, fields) = build_schema();
        // The schema is fixed per build: an index with other fields or types is rebuilt.
        if index.schema() != schema {
            return Err(SearchError::Outdated(index_root.to_path_buf()));
        }
        Ok(CatalogIndex {
            index,
            fields,
            searcher: std::sync::OnceLock::new(),
        })
    }

    /// The searcher of this generation (as opened; a sync that writes meanwhile is seen by the
    /// next process).
    pub fn searcher(&self) -> Result<&tantivy::Searcher> {
        if let Some(searcher) = self.searcher.get() {
            return Ok(searcher);
        }
        // A one-shot reader: no reload watcher thread.
        let reader: tantivy::IndexReader = self
            .index
            .reader_builder()
            .reload_policy(tantivy::ReloadPolicy::Manual)
            .try_into()?;
        Ok(self.searcher.get_or_init(|| reader.searcher()))
    }
}

/// Rebuilds the whole index from SQLite into a new generation, then swaps it in atomically.
/// Returns the number of documents.
pub fn rebuild(
    store: &mut Store,
    lexicon: &Lexicon,
    index_root: &Path,
    progress: &Progress,
) -> Result<u64> {
    std::fs::create_dir_all(index_root)?;
    let next = next_generation_name(index_root)?;
    let dir = index_root.join(&next);
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    let (schema, fields) = build_schema();
    let index = Index::create_in_dir(&dir, schema)?;
    stem::register(&index);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 4);
    let mut writer: IndexWriter = index.writer_with_num_threads(threads, WRITER_HEAP)?;
    let mut count = 0u64;
    store.for_each_dataset(false, |d| {
        if d.gone_at.is_some() {
            return Ok(());
        }
        writer
            .add_document(to_document(&fields, lexicon, &d))
            .map_err(|e| StoreError::Io {
                path: dir.clone(),
                source: std::io::Error::other(e.to_string()),
            })?;
        count += 1;
        if count.is_multiple_of(10_000) {
            progress.update(&format!("indexing: {count} datasets"));
        }
        Ok(())
    })?;
    writer.commit()?;
    writer.wait_merging_threads()?;
    balance_segments(&index, threads)?;
    swap_current(index_root, &next)?;
    store.mark_indexed(None)?;
    remove_old_generations(index_root, &next);
    progress.finish();
    Ok(count)
}

/// Merges a freshly built index into at most `threads` segments of similar size.
///
/// A query pays per segment for every field it reads (opening its postings, BM25 statistics,
/// columns), and a whole-Hub rebuild leaves one large segment and several small ones (the
/// writer's merge policy merges in groups of eight). Segments are searched in parallel, one per
/// core, so the best layout is one segment per core: the segments are dealt largest first into
/// `threads` groups, each to the group with the fewest documents, and every group of more than
/// one segment is merged (a 1.5M-dataset rebuild merges its six small segments into one).
fn balance_segments(index: &Index, threads: usize) -> Result<()> {
    let mut metas = index.searchable_segment_metas()?;
    if metas.len() <= threads.max(1) {
        return Ok(());
    }
    metas.sort_by_key(|m| std::cmp::Reverse(m.max_doc()));
    let mut groups: Vec<(u64, Vec<tantivy::index::SegmentId>)> =
        vec![(0, Vec::new()); threads.max(1)];
    for meta in &metas {
        if let Some(lightest) = groups.iter_mut().min_by_key(|(docs, _)| *docs) {
            lightest.0 += u64::from(meta.max_doc());
            lightest.1.push(meta.id());
        }
    }
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_HEAP / 4)?;
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    for (_, ids) in groups.iter().filter(|(_, ids)| ids.len() > 1) {
        writer.merge(ids).wait()?;
    }
    // The merged segments' files are not deleted by the merge itself, and a segment's files
    // are kept while any of its metas is alive.
    drop(metas);
    writer.garbage_collect_files().wait()?;
    writer.wait_merging_threads()?;
    Ok(())
}

/// The live generation under `index_root`, or `None` when the next indexing is a full rebuild
/// (no index yet, or one built by another version of catalog).
pub fn live_index(index_root: &Path) -> Result<Option<CatalogIndex>> {
    match CatalogIndex::open(index_root) {
        Ok(live) => Ok(Some(live)),
        Err(SearchError::Missing(_) | SearchError::Outdated(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Below this many changed datasets the live index is always updated in place.
const REBUILD_MIN_CHANGED: u64 = 5_000;

/// Whether `changed` datasets are better indexed by a rebuild than by updating a live index of
/// `live_docs` documents in place: when they are a quarter of it or more (a rescoring after a
/// scorer upgrade moves most rows). Each in-place update deletes a document and adds one, so a
/// wholesale update costs as much as a rebuild, doubles the index until merges purge the
/// deleted half, and leaves unbalanced segments (see [`rebuild`]'s `balance_segments`).
fn rebuild_is_better(changed: u64, live_docs: u64) -> bool {
    changed >= REBUILD_MIN_CHANGED && changed.saturating_mul(4) >= live_docs
}

/// Applies the datasets flagged dirty to the live index, or rebuilds it when there is none or
/// when most of it changed (`rebuild_is_better`). Returns the number of documents written.
pub fn update_index(
    store: &mut Store,
    lexicon: &Lexicon,
    index_root: &Path,
    progress: &Progress,
) -> Result<u64> {
    let Some(live) = live_index(index_root)? else {
        return rebuild(store, lexicon, index_root, progress);
    };
    // Only the count of rows waiting for the index is read; the floor does not matter to it.
    let counts = store.counts(crate::score::SAMPLING_RELEVANCE_FLOOR)?;
    let changed = u64::try_from(counts.pending_index).unwrap_or(0);
    if rebuild_is_better(changed, live.searcher()?.num_docs()) {
        drop(live);
        return rebuild(store, lexicon, index_root, progress);
    }
    let mut writer: IndexWriter = live.index.writer_with_num_threads(1, WRITER_HEAP / 2)?;
    let mut ids = Vec::new();
    let fields = live.fields;
    store.for_each_dataset(true, |d| {
        writer.delete_term(Term::from_field_text(fields.id, &d.record.id));
        if d.gone_at.is_none() {
            writer
                .add_document(to_document(&fields, lexicon, &d))
                .map_err(|e| StoreError::Io {
                    path: index_root.to_path_buf(),
                    source: std::io::Error::other(e.to_string()),
                })?;
        }
        ids.push(d.record.id);
        Ok(())
    })?;
    if ids.is_empty() {
        return Ok(0);
    }
    writer.commit()?;
    store.mark_indexed(Some(&ids))?;
    Ok(ids.len() as u64)
}

fn next_generation_name(index_root: &Path) -> Result<String> {
    let mut highest = 0u64;
    for entry in std::fs::read_dir(index_root)? {
        let name = entry?.file_name().to_string_lossy().to_string();
        if let Some(n) = name
            .strip_prefix("gen-")
            .and_then(|n| n.parse::<u64>().ok())
        {
            highest = highest.max(n);
        }
    }
    Ok(format!("gen-{:06}", highest + 1))
}

fn swap_current(index_root: &Path, generation: &str) -> Result<()> {
    let tmp = index_root.join("CURRENT.tmp");
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(generation.as_bytes())?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, index_root.join("CURRENT"))?;
    if let Ok(dir) = std::fs::File::open(index_root) {
        let _ = dir.sync_all();
    }
    Ok(())
}

fn remove_old_generations(index_root: &Path, keep: &str) {
    if let Ok(entries) = std::fs::read_dir(index_root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with("gen-") && name != keep {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::doc;

    #[test]
    fn a_wholesale_change_rebuilds_and_a_small_one_updates_in_place() {
        // A rescoring of a 150k catalog that moved most rows.
        assert!(rebuild_is_better(120_000, 150_000));
        assert!(rebuild_is_better(37_500, 150_000));
        // A day's sync of the whole Hub.
        assert!(!rebuild_is_better(3_000, 600_000));
        assert!(!rebuild_is_better(100_000, 600_000));
        // A small catalog changes in place however much of it changed.
        assert!(!rebuild_is_better(40, 40));
        assert!(!rebuild_is_better(REBUILD_MIN_CHANGED - 1, 1));
        assert!(rebuild_is_better(REBUILD_MIN_CHANGED, 0));
    }

    /// An index of `sizes.len()` segments, one per commit, with `sizes[i]` documents each.
    fn index_of_segments(dir: &Path, sizes: &[usize]) -> Index {
        let (schema, fields) = build_schema();
        let index = Index::create_in_dir(dir, schema).unwrap();
        stem::register(&index);
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
        let mut n = 0;
        for &size in sizes {
            for _ in 0..size {
                writer
                    .add_document(doc!(fields.id => format!("o/d{n}")))
                    .unwrap();
                n += 1;
            }
            writer.commit().unwrap();
        }
        writer.wait_merging_threads().unwrap();
        index
    }

    /// The segments whose files are in `dir` (a file is named `<segment id>.<component>`).
    fn segments_on_disk(dir: &Path) -> std::collections::BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().to_string_lossy().to_string();
                let (stem, _) = name.split_once('.')?;
                (stem.len() == 32).then(|| stem.to_string())
            })
            .collect()
    }

    fn live_segments(index: &Index) -> std::collections::BTreeSet<String> {
        index
            .searchable_segment_metas()
            .unwrap()
            .iter()
            .map(|m| m.id().uuid_string())
            .collect()
    }

    fn segment_sizes(index: &Index) -> Vec<u32> {
        let mut sizes: Vec<u32> = index
            .searchable_segment_metas()
            .unwrap()
            .iter()
            .map(|m| m.max_doc())
            .collect();
        sizes.sort_unstable();
        sizes
    }

    #[test]
    fn a_rebuild_leaves_one_balanced_segment_per_thread() {
        let dir = tempfile::tempdir().unwrap();
        // Like a whole-Hub rebuild: one large segment beside several small ones.
        let index = index_of_segments(dir.path(), &[80, 11, 10, 10, 12, 9, 10]);
        balance_segments(&index, 2).unwrap();
        assert_eq!(segment_sizes(&index), vec![62, 80]);
        // The merged segments leave no files behind.
        assert_eq!(segments_on_disk(dir.path()), live_segments(&index));
        // Every document is still there, once.
        let reader = index.reader().unwrap();
        assert_eq!(reader.searcher().num_docs(), 142);

        let dir = tempfile::tempdir().unwrap();
        let index = index_of_segments(dir.path(), &[5, 5, 5, 5, 5]);
        balance_segments(&index, 2).unwrap();
        assert_eq!(segment_sizes(&index), vec![10, 15]);

        // As many segments as threads, or fewer: nothing to merge.
        let dir = tempfile::tempdir().unwrap();
        let index = index_of_segments(dir.path(), &[7, 3]);
        balance_segments(&index, 2).unwrap();
        assert_eq!(segment_sizes(&index), vec![3, 7]);
        balance_segments(&index, 1).unwrap();
        assert_eq!(segment_sizes(&index), vec![10]);
    }
}
