//! `catalog sync`: listing passes (quick plan, whole Hub by last change, or the changes since the
//! last pass) → SQLite upserts → conversation measurement → index update.
//!
//! Safe to interrupt at any point: each page commits in one transaction together with the query's
//! progress, so a later sync resumes the interrupted run instead of redoing finished queries.
//! Incremental: unchanged datasets are not rewritten and are not sampled again.

mod listing;
pub mod plan;
mod sampling;

pub use crate::progress::Progress;
pub use listing::ListingError;

use crate::hub::{Hub, HubError, ListingQuery};
use crate::score::Scorer;
use crate::store::{RunStatus, Store, UpsertOutcome};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::time::Instant;

pub use crate::score::SAMPLING_RELEVANCE_FLOOR;
/// Default bytes read from one dataset's repository files (`--file-bytes`).
pub const FILE_BYTES_PER_DATASET: u64 = 4 << 20;
/// Default bytes read from repository files in one sync (`--max-file-bytes`).
pub const MAX_FILE_BYTES: u64 = 2 << 30;

/// What the user asked `sync` to do.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Which passes: the default, `--quick` or `--full`.
    pub choice: PassChoice,
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
            choice: PassChoice::Auto,
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
    /// The listing passes run (`plan`, `full`, `incremental`).
    pub passes: Vec<String>,
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
    /// Datasets marked gone after a complete full pass.
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
    /// Cards fetched by the detail call for datasets the light listing brought.
    pub details: u64,
    /// Family memberships that changed.
    pub family_changes: u64,
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
    /// The Hub never answered: DNS, connection or timeouts on the first requests.
    #[error("cannot reach the Hub at {endpoint}: {cause}. Check the network; for a mirror set HF_ENDPOINT (or --hub-url), behind a proxy set HTTPS_PROXY")]
    Unreachable {
        /// The Hub base URL.
        endpoint: String,
        /// The last failure.
        cause: String,
    },
}

/// Everything a sync step needs.
pub struct SyncContext<'a> {
    /// The catalog.
    pub store: &'a mut Store,
    /// Network.
    pub hub: &'a Hub,
    /// Relevance/quality scorer.
    pub scorer: &'a Scorer,
    /// The search index's directory (its generations live under it).
    pub index_root: &'a std::path::Path,
    /// Progress output.
    pub progress: Progress,
    /// Ids seen in this process.
    pub seen: HashSet<String>,
    /// `expand` keys asked for (starts as [`crate::hub::EXPAND_KEYS`]; shrinks if the Hub refuses one).
    pub expand: Vec<String>,
    /// Listing page size: [`crate::hub::PAGE_SIZE`], lowered for the rest of the sync when the
    /// Hub refuses it.
    pub page_size: u32,
}

/// Which listing passes a sync runs (see [`plan_passes`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pass {
    /// The therapy plan: the lexicon's id terms and tag filters (a couple of minutes).
    Quick,
    /// The whole Hub by last change, then a catch-up of what changed during the pass; a
    /// complete full pass marks datasets it did not see as gone.
    Full,
    /// Changes since the given time (the last whole-Hub pass's start, minus an overlap).
    Incremental(String),
}

impl Pass {
    /// The run mode stored for this pass.
    pub fn mode(&self) -> &'static str {
        match self {
            Pass::Quick => "plan",
            Pass::Full => "full",
            Pass::Incremental(_) => "incremental",
        }
    }
}

/// What the user asked for: the default (quick pass first time, then full or incremental),
/// `--quick` (the therapy plan only) or `--full` (a whole-Hub pass now).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PassChoice {
    /// Decide from the catalog's history.
    #[default]
    Auto,
    /// The quick pass only.
    Quick,
    /// A full pass now.
    Full,
}

/// A full pass is due when the last complete one is older than this.
pub const FULL_PASS_EVERY_DAYS: i64 = 7;
/// Incremental passes start this far before the previous pass began (items change while a pass
/// runs and move between pages of a `lastModified` listing).
pub const OVERLAP_MINUTES: i64 = 30;
/// Failed queries in a row after which a pass stops (resumable) instead of trying the rest.
pub const MAX_FAILURE_STREAK: u32 = 3;

fn minus_overlap(time: chrono::DateTime<chrono::Utc>) -> String {
    (time - chrono::Duration::minutes(OVERLAP_MINUTES))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The passes of this sync: the quick pass when no whole-Hub pass was ever attempted (results
/// in minutes) or `--term`/`--filter` were given; then a full pass when none completed in the
/// last [`FULL_PASS_EVERY_DAYS`] days (or `--full`), else an incremental one.
pub fn plan_passes(store: &Store, options: &SyncOptions) -> Result<Vec<Pass>, SyncError> {
    if options.choice == PassChoice::Quick {
        return Ok(vec![Pass::Quick]);
    }
    let extras = !options.terms.is_empty() || !options.filters.is_empty();
    let mut passes = Vec::new();
    if extras || !(store.ever_ran("full")? || store.ever_ran("all")?) {
        passes.push(Pass::Quick);
    }
    let last_full = store.last_complete_start(&["full", "all"])?.map(|t| t.0);
    let due = last_full
        .is_none_or(|t| chrono::Utc::now() - t > chrono::Duration::days(FULL_PASS_EVERY_DAYS));
    let high_water = store
        .last_complete_start(&["full", "all", "incremental"])?
        .map(|t| t.0);
    match (options.choice == PassChoice::Full || due, high_water) {
        (false, Some(high_water)) => passes.push(Pass::Incremental(minus_overlap(high_water))),
        _ => passes.push(Pass::Full),
    }
    Ok(passes)
}

/// Runs (or resumes) a sync: its listing passes, then conversation measurement, then the index.
/// `run_id_out` receives the current run id as soon as it exists, so a caller interrupted by
/// Ctrl-C can mark that run interrupted.
pub async fn run_sync(
    ctx: &mut SyncContext<'_>,
    options: &SyncOptions,
    run_id_out: &std::sync::atomic::AtomicI64,
) -> Result<SyncOutcome, SyncError> {
    let started = Instant::now();
    if let Some(size) = ctx
        .store
        .meta(listing::PAGE_SIZE_META)?
        .and_then(|s| s.parse::<u32>().ok())
        .filter(|s| (1..=crate::hub::PAGE_SIZE).contains(s))
    {
        ctx.page_size = size;
    }
    let mut counters = Counters::default();
    let mut status = RunStatus::Complete;
    let mut budget_exhausted = false;
    for pass in plan_passes(ctx.store, options)? {
        let end = run_pass(ctx, options, &pass, &mut counters, run_id_out).await?;
        counters.passes.push(pass.mode().to_string());
        if end.status != RunStatus::Complete {
            status = RunStatus::Partial;
        }
        if end.budget_exhausted {
            budget_exhausted = true;
            break;
        }
    }
    counters.datasets_seen = ctx.seen.len() as u64;

    if !options.no_samples && !budget_exhausted {
        if let Err(e) = sampling::sample_candidates(ctx, options, &mut counters).await {
            match e {
                sampling::SamplingError::Store(e) => return Err(e.into()),
                sampling::SamplingError::Budget(n) => {
                    status = RunStatus::Partial;
                    note_error(
                        &mut counters,
                        &format!("request budget of {n} reached while sampling"),
                    );
                }
            }
        }
    }
    match ctx.store.refresh_families() {
        Ok(n) => counters.family_changes = n,
        Err(e) => note_error(&mut counters, &format!("families: {e}")),
    }
    refresh_index(ctx, &mut counters);
    ctx.progress.finish();
    take_http_stats(ctx, &mut counters);
    counters.elapsed_secs = started.elapsed().as_secs_f64();
    let summary = serde_json::to_value(&counters).unwrap_or_default();
    if counters.run_id > 0 {
        ctx.store.finish_run(
            counters.run_id,
            status,
            &summary,
            counters.errors.first().map(String::as_str),
        )?;
    }
    Ok(SyncOutcome { status, counters })
}

/// How a pass ended.
struct PassEnd {
    status: RunStatus,
    budget_exhausted: bool,
}

/// Runs (or resumes) one listing pass as its own run.
async fn run_pass(
    ctx: &mut SyncContext<'_>,
    options: &SyncOptions,
    pass: &Pass,
    counters: &mut Counters,
    run_id_out: &std::sync::atomic::AtomicI64,
) -> Result<PassEnd, SyncError> {
    let mode = pass.mode();
    let run_id = match ctx.store.resumable_run(mode)? {
        Some(run) => {
            // A resumed quick pass takes in new --term/--filter queries; whole-Hub passes keep
            // the plan they started with (their catch-up time included).
            let keys = match pass {
                Pass::Quick => plan_keys(ctx, options, pass),
                _ => Vec::new(),
            };
            ctx.store.add_run_queries(run.id, &keys)?;
            counters.resumed = true;
            run.id
        }
        None => {
            let keys = plan_keys(ctx, options, pass);
            ctx.store.start_run(mode, &keys)?
        }
    };
    run_id_out.store(run_id, Ordering::SeqCst);
    counters.run_id = run_id;
    let queries = ctx.store.run_queries(run_id)?;
    let total = queries.len() as u64;
    let already = queries.iter().filter(|q| q.done).count() as u64;
    counters.queries_total += total;
    counters.queries_done += already;
    let mut done = already;
    let mut streak = 0u32;
    let mut budget_exhausted = false;
    let mut stopped: Option<String> = None;
    for progress in queries.iter().filter(|q| !q.done) {
        let Some(query) = ListingQuery::from_key(&progress.query_key) else {
            continue;
        };
        match listing::crawl_query(ctx, run_id, &query, progress, counters, mode == "full").await {
            Ok(()) => {
                counters.queries_done += 1;
                done += 1;
                streak = 0;
            }
            Err(ListingError::Store(e)) => return Err(e.into()),
            Err(ListingError::Hub(HubError::BudgetExhausted(n))) => {
                note_error(counters, &format!("request budget of {n} reached"));
                budget_exhausted = true;
                break;
            }
            Err(ListingError::Hub(e @ HubError::Transport { .. }))
                if ctx.hub.http.stats().responses.load(Ordering::Relaxed) == 0 =>
            {
                let summary = serde_json::json!({ "unreachable": e.to_string() });
                ctx.store
                    .finish_run(run_id, RunStatus::Failed, &summary, Some(&e.to_string()))?;
                return Err(SyncError::Unreachable {
                    endpoint: ctx.hub.hub_base().to_string(),
                    cause: crate::sanitize::clean_line(&e.to_string(), 300),
                });
            }
            Err(e) => {
                counters.queries_failed += 1;
                streak += 1;
                ctx.progress.warn(&format!("{}: {e}", query.key()));
                note_error(counters, &e.to_string());
                if streak >= MAX_FAILURE_STREAK {
                    stopped = Some(format!(
                        "the Hub failed {streak} queries in a row; stopped this pass (the next sync resumes it)"
                    ));
                    break;
                }
            }
        }
    }
    if let Some(why) = &stopped {
        ctx.progress.warn(why);
        note_error(counters, why);
    }
    let complete = done == total;
    if complete && mode == "full" {
        counters.gone += ctx.store.mark_gone_after_full_run(run_id)?;
    }
    // What this pass stored becomes searchable now, before the next pass or sampling.
    refresh_index(ctx, counters);
    let status = if complete && !budget_exhausted {
        RunStatus::Complete
    } else {
        RunStatus::Partial
    };
    take_http_stats(ctx, counters);
    let summary = serde_json::to_value(&*counters).unwrap_or_default();
    ctx.store.finish_run(
        run_id,
        status,
        &summary,
        counters.errors.first().map(String::as_str),
    )?;
    Ok(PassEnd {
        status,
        budget_exhausted,
    })
}

/// The query keys of a pass.
fn plan_keys(ctx: &SyncContext<'_>, options: &SyncOptions, pass: &Pass) -> Vec<String> {
    match pass {
        Pass::Quick => plan::build_plan(
            false,
            ctx.scorer.lexicon().crawl_terms(),
            ctx.scorer.lexicon().crawl_filters(),
            &options.terms,
            &options.filters,
        )
        .iter()
        .map(ListingQuery::key)
        .collect(),
        Pass::Full => vec![
            ListingQuery::Full.key(),
            ListingQuery::Since(minus_overlap(chrono::Utc::now())).key(),
        ],
        Pass::Incremental(since) => vec![ListingQuery::Since(since.clone()).key()],
    }
}

/// Brings the index up to date with what is stored (errors are reported, never fatal: the next
/// sync or `catalog reindex` retries).
pub(crate) fn refresh_index(ctx: &mut SyncContext<'_>, counters: &mut Counters) {
    match crate::search::update_index(
        ctx.store,
        ctx.scorer.lexicon(),
        ctx.index_root,
        &ctx.progress,
    ) {
        Ok(n) => counters.indexed += n,
        Err(e) => {
            ctx.progress
                .warn(&format!("index not updated (run `catalog reindex`): {e}"));
            note_error(counters, &format!("index: {e}"));
        }
    }
}

fn take_http_stats(ctx: &SyncContext<'_>, counters: &mut Counters) {
    let stats = ctx.hub.http.stats();
    counters.requests = stats.requests.load(Ordering::Relaxed);
    counters.retries = stats.retries.load(Ordering::Relaxed);
    counters.waits_429 = stats.waits_429.load(Ordering::Relaxed);
    counters.wait_429_secs = stats.wait_429_ms.load(Ordering::Relaxed) as f64 / 1000.0;
}

fn note_error(counters: &mut Counters, message: &str) {
    if counters.errors.len() < 10 {
        counters
            .errors
            .push(crate::sanitize::clean_line(message, 300));
    }
}
