//! `catalog sync`: flags to options, the engine's sync ([`crate::api::sync_blocking`]), the
//! summary and the exit code.

use super::args::SyncArgs;
use super::{exit, load_lexicon};
use crate::api::{sync_blocking, SyncEnd, SyncHttp};
use crate::config::Config;
use crate::store::RunStatus;
use crate::sync::{Counters, Progress, SyncOptions};
use std::process::ExitCode;
use std::time::Duration;

/// Takes the exclusive writer lock of the data dir (one sync/import/reindex at a time).
pub(crate) fn lock_data_dir(config: &Config) -> anyhow::Result<crate::api::WriteLock> {
    Ok(crate::api::lock_data_dir(config)?)
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
    let lexicon = load_lexicon(args.lexicon.as_deref())?;
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
    let http = SyncHttp {
        timeout: Duration::from_secs(args.timeout),
        backoff_base: backoff_base(),
        max_requests: args.max_requests,
    };
    let progress = Progress::for_stderr(quiet, verbose);
    match sync_blocking(config, lexicon, &options, &http, progress)? {
        SyncEnd::Finished(outcome) => {
            print_summary(&outcome.counters, outcome.status);
            Ok(ExitCode::from(match outcome.status {
                RunStatus::Complete => exit::OK,
                _ => exit::PARTIAL_SYNC,
            }))
        }
        SyncEnd::Interrupted => {
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
