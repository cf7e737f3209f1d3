//! The engine's sync: lock, catalog, HTTP client, passes, measurement and index on the current
//! thread, interruptible with Ctrl-C (feature `sync`).

use super::{lock_data_dir, ApiError};
use crate::config::Config;
use crate::hub::{HttpClient, HttpSettings, Hub};
use crate::progress::Progress;
use crate::score::{Lexicon, Scorer};
use crate::store::Store;
use crate::sync::{run_sync, SyncContext, SyncOptions, SyncOutcome};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// How a sync run through [`sync_blocking`] ended.
#[derive(Debug)]
pub enum SyncEnd {
    /// It finished (completely or partially: see the outcome's status).
    Finished(Box<SyncOutcome>),
    /// Ctrl-C stopped it; the run is marked interrupted and the next sync resumes it.
    Interrupted,
}

/// HTTP settings of a sync beyond the defaults.
#[derive(Debug, Clone)]
pub struct SyncHttp {
    /// Per-request timeout.
    pub timeout: Duration,
    /// First backoff delay (doubles up to eight times this).
    pub backoff_base: Duration,
    /// Hard cap on requests.
    pub max_requests: Option<u64>,
}

impl Default for SyncHttp {
    fn default() -> Self {
        SyncHttp {
            timeout: Duration::from_secs(60),
            backoff_base: Duration::from_secs(1),
            max_requests: None,
        }
    }
}

/// Runs a whole sync on the current thread (its own async runtime), interruptible with Ctrl-C:
/// lock, catalog, HTTP client, passes, measurement, index. Progress goes to `progress`.
pub fn sync_blocking(
    config: &Config,
    lexicon: Lexicon,
    options: &SyncOptions,
    http: &SyncHttp,
    progress: Progress,
) -> Result<SyncEnd, ApiError> {
    let _lock = lock_data_dir(config)?;
    let scorer = Scorer::new(lexicon, chrono::Utc::now().date_naive());
    let mut store = Store::open_or_create(&config.catalog_path())?;
    store.record_scoring(scorer.lexicon().stamp())?;
    if store.stale_scores(scorer.lexicon().stamp())?.is_some() {
        // Scores from another scorer version or lexicon: rescore all before crawling, so the
        // catalog ends the sync scored by one scorer (the index takes the moved rows at the
        // sync's end).
        progress.update("rescoring the catalog with this scorer");
        let moved = crate::api::rescore_all(&mut store, &scorer, &progress)?;
        progress.update(&format!("rescored: {moved} datasets changed"));
    }
    let client = HttpClient::new(HttpSettings {
        token: config.token().cloned(),
        timeout: http.timeout,
        backoff_base: http.backoff_base,
        backoff_cap: http.backoff_base * 8,
        max_requests: http.max_requests,
        ..HttpSettings::default()
    })
    .map_err(|e| ApiError::Runtime(format!("cannot build the HTTP client: {e}")))?;
    let hub = Hub::new(client, &config.hub_url.value, &config.viewer_url.value);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ApiError::Runtime(format!("cannot start the async runtime: {e}")))?;
    let run_id = AtomicI64::new(0);
    let outcome = runtime.block_on(async {
        let index_root = config.index_dir();
        let mut ctx = SyncContext {
            index_root: &index_root,
            store: &mut store,
            hub: &hub,
            scorer: &scorer,
            progress,
            seen: Default::default(),
            expand: crate::hub::default_expand_keys(),
            page_size: crate::hub::PAGE_SIZE,
        };
        tokio::select! {
            result = run_sync(&mut ctx, options, &run_id) => Some(result),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    progress.finish();
    match outcome {
        Some(result) => Ok(SyncEnd::Finished(Box::new(result?))),
        None => {
            // Every committed page is safe; mark the run so the next sync resumes it.
            let id = run_id.load(Ordering::SeqCst);
            if id > 0 {
                let summary = serde_json::json!({"interrupted": true});
                store.finish_run(
                    id,
                    crate::store::RunStatus::Interrupted,
                    &summary,
                    Some("interrupted by Ctrl-C"),
                )?;
            }
            Ok(SyncEnd::Interrupted)
        }
    }
}
