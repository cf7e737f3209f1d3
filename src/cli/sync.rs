//! `catalog sync` and `catalog import`'s shared plumbing: lock, store, scorer.

use super::args::SyncArgs;
use super::{exit, load_lexicon};
use crate::config::Config;
use crate::hub::{HttpClient, HttpSettings, Hub};
use crate::score::Scorer;
use crate::store::{RunStatus, Store};
use crate::sync::{run_sync, Counters, Progress, SyncContext, SyncOptions};
use anyhow::Context;
use std::process::ExitCode;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

/// Holds the data-dir lock for the life of a writing command.
pub(crate) struct WriteLock {
    _file: std::fs::File,
}

/// Takes the exclusive writer lock of the data dir (one sync/import/reindex at a time).
pub(crate) fn lock_data_dir(config: &Config) -> anyhow::Result<WriteLock> {
    let dir = &config.data_dir.value;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create data dir {}", dir.display()))?;
    let path = config.lock_path();
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .with_context(|| format!("cannot open lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => Ok(WriteLock { _file: file }),
        Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
            "another catalog sync, import or reindex is running on {} (lock {})",
            dir.display(),
            path.display()
        ),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

/// Retry backoff base in milliseconds; tests shorten it with `CATALOG_RETRY_BASE_MS`.
fn backoff_base() -> Duration {
    std::env::var("CATALOG_RETRY_BASE_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_secs(1))
}

/// Runs `catalog sync`.
pub fn run(
    config: &Config,
    args: SyncArgs,
    quiet: bool,
    verbose: bool,
) -> anyhow::Result<ExitCode> {
    if !(0.0..=1.0).contains(&args.sample_floor) {
        return Err(super::UsageError("--sample-floor must be between 0 and 1".into()).into());
    }
    let _lock = lock_data_dir(config)?;
    let lexicon = load_lexicon(args.lexicon.as_deref())?;
    let scorer = Scorer::new(lexicon, chrono::Utc::now().date_naive());
    let mut store = Store::open_or_create(&config.catalog_path())?;
    let base = backoff_base();
    let http = HttpClient::new(HttpSettings {
        token: config.token().map(str::to_string),
        timeout: Duration::from_secs(args.timeout),
        backoff_base: base,
        backoff_cap: base * 8,
        max_requests: args.max_requests,
        ..HttpSettings::default()
    })
    .context("cannot build the HTTP client")?;
    let hub = Hub::new(http, &config.hub_url.value, &config.viewer_url.value);
    let options = SyncOptions {
        choice: if args.quick {
            crate::sync::PassChoice::Quick
        } else if args.full {
            crate::sync::PassChoice::Full
        } else {
            crate::sync::PassChoice::Auto
        },
        terms: args.terms,
        filters: args.filters,
        no_samples: args.no_samples,
        concurrency: usize::from(args.concurrency),
        sampling_floor: args.sample_floor,
        max_samples: args.max_samples,
        file_bytes_per_dataset: args.file_bytes,
        max_file_bytes: args.max_file_bytes,
        retry_now: args.retry_now,
    };
    let progress = Progress::for_stderr(quiet, verbose);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    let run_id = AtomicI64::new(0);
    let outcome = runtime.block_on(async {
        let mut ctx = SyncContext {
            store: &mut store,
            hub: &hub,
            scorer: &scorer,
            progress,
            seen: Default::default(),
            expand: crate::hub::default_expand_keys(),
            page_size: crate::hub::PAGE_SIZE,
        };
        tokio::select! {
            result = run_sync(&mut ctx, &options, &run_id) => Some(result),
            _ = tokio::signal::ctrl_c() => None,
        }
    });
    progress.finish();
    match outcome {
        Some(result) => {
            let outcome = result?;
            print_summary(&outcome.counters, outcome.status);
            Ok(ExitCode::from(match outcome.status {
                RunStatus::Complete => exit::OK,
                _ => exit::PARTIAL_SYNC,
            }))
        }
        None => {
            // Every committed page is safe; mark the run so the next sync resumes it.
            let id = run_id.load(Ordering::SeqCst);
            if id > 0 {
                let summary = serde_json::json!({"interrupted": true});
                store.finish_run(
                    id,
                    RunStatus::Interrupted,
                    &summary,
                    Some("interrupted by Ctrl-C"),
                )?;
            }
            eprintln!("interrupted: the catalog is intact; run `catalog sync` again to resume");
            Ok(ExitCode::from(exit::INTERRUPTED))
        }
    }
}

fn print_summary(c: &Counters, status: RunStatus) {
    let resumed = if c.resumed {
        " (resumed an interrupted run)"
    } else {
        ""
    };
    println!(
        "sync {}{resumed} in {:.1}s",
        status.as_str(),
        c.elapsed_secs
    );
    println!(
        "  passes:   {}",
        if c.passes.is_empty() {
            "-".to_string()
        } else {
            c.passes.join(", ")
        }
    );
    println!(
        "  queries:  {}/{} done, {} failed; {} pages",
        c.queries_done, c.queries_total, c.queries_failed, c.pages
    );
    println!(
        "  datasets: {} seen — {} new, {} changed, {} unchanged, {} gone{}",
        c.datasets_seen,
        c.new,
        c.changed,
        c.unchanged,
        c.gone,
        if c.malformed_items > 0 {
            format!(", {} malformed items skipped", c.malformed_items)
        } else {
            String::new()
        }
    );
    println!(
        "  samples:  {} measured, {} without a conversation layout, {} unavailable, {} to retry",
        c.sampled_ok, c.sampled_no_layout, c.sampled_unavailable, c.sampled_retry
    );
    println!(
        "  cards:    {} READMEs fetched, {} detail calls",
        c.readmes, c.details
    );
    println!("  families: {} memberships changed", c.family_changes);
    println!("  index:    {} documents updated", c.indexed);
    println!(
        "  requests: {} sent, {} retries, {} rate-limit waits ({:.1}s)",
        c.requests, c.retries, c.waits_429, c.wait_429_secs
    );
    for e in &c.errors {
        println!("  error:    {e}");
    }
}
