//! `catalog sync`: plan → listing pages → SQLite upserts → conversation sampling → index update.
//!
//! Safe to interrupt at any point: each page commits in one transaction together with the query's
//! progress, so a later sync resumes the interrupted run instead of redoing finished queries.
//! Incremental: unchanged datasets are not rewritten and are not sampled again.

mod listing;
pub mod plan;
pub mod progress;
mod sampling;

pub use listing::ListingError;
pub use progress::Progress;

use crate::hub::{Hub, HubError, ListingQuery};
use crate::score::Scorer;
use crate::store::{RunStatus, Store, UpsertOutcome};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Documented relevance floor above which datasets are sampled through the viewer.
pub const SAMPLING_RELEVANCE_FLOOR: f64 = 0.35;
/// Default bytes read from one dataset's repository files (`--file-bytes`).
pub const FILE_BYTES_PER_DATASET: u64 = 4 << 20;
/// Default bytes read from repository files in one sync (`--max-file-bytes`).
pub const MAX_FILE_BYTES: u64 = 2 << 30;

/// What the user asked `sync` to do.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Enumerate the whole Hub instead of the plan.
    pub all: bool,
    /// Extra search terms.
    pub terms: Vec<String>,
    /// Extra tag filters.
    pub filters: Vec<String>,
    /// Skip conversation sampling.
    pub no_samples: bool,
    /// Concurrent viewer requests while sampling.
    pub concurrency: usize,
    /// Relevance floor for sampling.
    pub sampling_floor: f64,
    /// Most datasets sampled in one sync.
    pub max_samples: usize,
    /// Bytes read from one dataset's repository files (0: files are not read).
    pub file_bytes_per_dataset: u64,
    /// Bytes read from repository files in the whole sync.
    pub max_file_bytes: u64,
    /// Ask datasets waiting for a retry now, ignoring their schedule.
    pub retry_now: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        SyncOptions {
            all: false,
            terms: Vec::new(),
            filters: Vec::new(),
            no_samples: false,
            concurrency: 4,
            sampling_floor: SAMPLING_RELEVANCE_FLOOR,
            max_samples: 2000,
            file_bytes_per_dataset: FILE_BYTES_PER_DATASET,
            max_file_bytes: MAX_FILE_BYTES,
            retry_now: false,
        }
    }
}

/// Counters reported at the end of a sync (and stored with the run).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Counters {
    /// Run id.
    pub run_id: i64,
    /// This sync resumed an interrupted run.
    pub resumed: bool,
    /// Queries in the run.
    pub queries_total: u64,
    /// Queries finished (including ones finished before a resume).
    pub queries_done: u64,
    /// Queries that failed this time (left pending).
    pub queries_failed: u64,
    /// Listing pages fetched this time.
    pub pages: u64,
    /// Distinct datasets seen this time.
    pub datasets_seen: u64,
    /// New datasets.
    pub new: u64,
    /// Changed datasets.
    pub changed: u64,
    /// Unchanged datasets.
    pub unchanged: u64,
    /// Datasets marked gone after a complete `--all`.
    pub gone: u64,
    /// Items that were not valid datasets.
    pub malformed_items: u64,
    /// Datasets sampled: figures measured.
    pub sampled_ok: u64,
    /// Datasets sampled: rows read, no conversation layout.
    pub sampled_no_layout: u64,
    /// Datasets the viewer cannot serve.
    pub sampled_unavailable: u64,
    /// Datasets to retry on a later sync.
    pub sampled_retry: u64,
    /// READMEs fetched (new or changed).
    pub readmes: u64,
    /// Index documents updated.
    pub indexed: u64,
    /// HTTP requests sent.
    pub requests: u64,
    /// Retries after failures.
    pub retries: u64,
    /// 429 responses waited out.
    pub waits_429: u64,
    /// Seconds spent waiting on 429s.
    pub wait_429_secs: f64,
    /// Wall time.
    pub elapsed_secs: f64,
    /// Errors met (sanitised), at most a few.
    pub errors: Vec<String>,
}

impl Counters {
    /// Counts a dataset's outcome the first time this sync sees it.
    fn count_first_sighting(&mut self, outcome: UpsertOutcome) {
        match outcome {
            UpsertOutcome::New => self.new += 1,
            UpsertOutcome::Changed { .. } => self.changed += 1,
            UpsertOutcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// How a sync ended.
#[derive(Debug)]
pub struct SyncOutcome {
    /// Final run status.
    pub status: RunStatus,
    /// Counters.
    pub counters: Counters,
}

/// Errors that stop a sync before it can record an outcome.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Everything a sync step needs.
pub struct SyncContext<'a> {
    /// The catalog.
    pub store: &'a mut Store,
    /// Network.
    pub hub: &'a Hub,
    /// Relevance/quality scorer.
    pub scorer: &'a Scorer,
    /// Progress output.
    pub progress: Progress,
    /// Ids seen in this process.
    pub seen: HashSet<String>,
    /// `expand` keys asked for (starts as [`crate::hub::EXPAND_KEYS`]; shrinks if the Hub refuses one).
    pub expand: Vec<String>,
}

/// Runs (or resumes) a sync. `run_id_out` receives the run id as soon as it exists, so a caller
/// interrupted by Ctrl-C can mark the run interrupted.
pub async fn run_sync(
    ctx: &mut SyncContext<'_>,
    options: &SyncOptions,
    run_id_out: &std::sync::atomic::AtomicI64,
) -> Result<SyncOutcome, SyncError> {
    let started = Instant::now();
    let plan = plan::build_plan(
        options.all,
        ctx.scorer.lexicon().crawl_terms(),
        ctx.scorer.lexicon().crawl_filters(),
        &options.terms,
        &options.filters,
    );
    let mode = if options.all { "all" } else { "plan" };
    let keys: Vec<String> = plan.iter().map(ListingQuery::key).collect();
    let mut counters = Counters::default();
    let run_id = match ctx.store.resumable_run(mode)? {
        Some(run) => {
            ctx.store.add_run_queries(run.id, &keys)?;
            counters.resumed = true;
            run.id
        }
        None => ctx.store.start_run(mode, &keys)?,
    };
    run_id_out.store(run_id, Ordering::SeqCst);
    counters.run_id = run_id;

    let queries = ctx.store.run_queries(run_id)?;
    counters.queries_total = queries.len() as u64;
    counters.queries_done = queries.iter().filter(|q| q.done).count() as u64;
    let mut budget_exhausted = false;
    for progress in queries.iter().filter(|q| !q.done) {
        let Some(query) = ListingQuery::from_key(&progress.query_key) else {
            continue;
        };
        match listing::crawl_query(ctx, run_id, &query, progress, &mut counters).await {
            Ok(()) => counters.queries_done += 1,
            Err(ListingError::Store(e)) => return Err(e.into()),
            Err(ListingError::Hub(HubError::BudgetExhausted(n))) => {
                note_error(&mut counters, &format!("request budget of {n} reached"));
                budget_exhausted = true;
                break;
            }
            Err(e) => {
                counters.queries_failed += 1;
                ctx.progress.warn(&format!("{}: {e}", query.key()));
                note_error(&mut counters, &e.to_string());
            }
        }
    }
    counters.datasets_seen = ctx.seen.len() as u64;
    let listing_complete = counters.queries_done == counters.queries_total;
    if listing_complete && options.all {
        counters.gone = ctx.store.mark_gone_after_full_run(run_id)?;
    }

    if !options.no_samples && !budget_exhausted {
        if let Err(e) = sampling::sample_candidates(ctx, options, &mut counters).await {
            match e {
                sampling::SamplingError::Store(e) => return Err(e.into()),
                sampling::SamplingError::Budget(n) => {
                    budget_exhausted = true;
                    note_error(
                        &mut counters,
                        &format!("request budget of {n} reached while sampling"),
                    );
                }
            }
        }
    }

    match crate::search::update_index(ctx.store, ctx.scorer.lexicon(), &ctx.progress) {
        Ok(n) => counters.indexed = n,
        Err(e) => {
            ctx.progress
                .warn(&format!("index not updated (run `catalog reindex`): {e}"));
            note_error(&mut counters, &format!("index: {e}"));
        }
    }
    ctx.progress.finish();

    let stats = ctx.hub.http.stats();
    counters.requests = stats.requests.load(Ordering::Relaxed);
    counters.retries = stats.retries.load(Ordering::Relaxed);
    counters.waits_429 = stats.waits_429.load(Ordering::Relaxed);
    counters.wait_429_secs = stats.wait_429_ms.load(Ordering::Relaxed) as f64 / 1000.0;
    counters.elapsed_secs = started.elapsed().as_secs_f64();
    let status = if listing_complete && !budget_exhausted {
        RunStatus::Complete
    } else {
        RunStatus::Partial
    };
    let summary = serde_json::to_value(&counters).unwrap_or_default();
    ctx.store.finish_run(
        run_id,
        status,
        &summary,
        counters.errors.first().map(String::as_str),
    )?;
    Ok(SyncOutcome { status, counters })
}

fn note_error(counters: &mut Counters, message: &str) {
    if counters.errors.len() < 10 {
        counters
            .errors
            .push(crate::output::sanitize::clean_line(message, 300));
    }
}
