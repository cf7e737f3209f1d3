//! `catalog sync`: flags to options, the engine's sync ([`catalog::api::sync_blocking`]), the
//! summary and the exit code.

use super::args::SyncArgs;
use super::{exit, load_lexicon};
use catalog::api::{sync_blocking, SyncEnd, SyncHttp};
use catalog::config::Config;
use catalog::store::RunStatus;
use catalog::sync::{Counters, Progress, SyncOptions};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

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
            catalog::sync::PassChoice::Quick
        } else if args.full {
            catalog::sync::PassChoice::Full
        } else {
            catalog::sync::PassChoice::Auto
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
        backoff_base: config.retry_backoff_base,
        max_requests: args.max_requests,
    };
    let progress = Progress::for_stderr(quiet, verbose);
    match sync_blocking(config, lexicon, &options, &http, progress)? {
        SyncEnd::Finished(outcome) => {
            print_summary(&outcome.counters, outcome.status)?;
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

fn print_summary(c: &Counters, status: RunStatus) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let resumed = if c.resumed {
        " (resumed an interrupted run)"
    } else {
        ""
    };
    writeln!(
        out,
        "sync {}{resumed} in {:.1}s",
        status.as_str(),
        c.elapsed_secs
    )?;
    writeln!(
        out,
        "  passes:   {}",
        if c.passes.is_empty() {
            "-".to_string()
        } else {
            c.passes.join(", ")
        }
    )?;
    writeln!(
        out,
        "  queries:  {}/{} done, {} failed; {} pages",
        c.queries_done, c.queries_total, c.queries_failed, c.pages
    )?;
    writeln!(
        out,
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
    )?;
    writeln!(
        out,
        "  samples:  {} measured, {} without a conversation layout, {} unavailable, {} to retry",
        c.sampled_ok, c.sampled_no_layout, c.sampled_unavailable, c.sampled_retry
    )?;
    writeln!(
        out,
        "  cards:    {} READMEs fetched, {} detail calls",
        c.readmes, c.details
    )?;
    writeln!(out, "  families: {} memberships changed", c.family_changes)?;
    writeln!(out, "  index:    {} documents updated", c.indexed)?;
    writeln!(
        out,
        "  requests: {} sent, {} retries, {} rate-limit waits ({:.1}s)",
        c.requests, c.retries, c.waits_429, c.wait_429_secs
    )?;
    for e in &c.errors {
        writeln!(out, "  error:    {e}")?;
    }
    Ok(())
}
