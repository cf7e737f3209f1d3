//! `catalog status`: catalog age, counts, last sync run, and the paths in use with their origin.

use super::args::StatusArgs;
use catalog::config::Config;
use catalog::sanitize::clean_line;
use catalog::store::Store;
use std::io::Write;
use std::process::ExitCode;

/// Runs `catalog status`.
pub fn run(config: &Config, args: StatusArgs) -> anyhow::Result<ExitCode> {
    let catalog = config.catalog_path();
    let opened = Store::open_read_only(&catalog);
    let (counts, last_run, scored_with) = match &opened {
        Ok(store) => (
            Some(store.counts(catalog::score::SAMPLING_RELEVANCE_FLOOR)?),
            store.last_run()?,
            store.scored_with()?,
        ),
        Err(_) => (None, None, None),
    };
    // Judged against the built-in lexicon: status takes no `--lexicon`.
    let stale = counts.as_ref().and_then(|_| {
        catalog::score::stale_scores(
            scored_with.as_deref(),
            &catalog::score::Lexicon::builtin_stamp(),
        )
    });
    let index_ok = catalog::search::CatalogIndex::open(&config.index_dir()).is_ok();
    let mut out = std::io::stdout().lock();
    if args.json {
        let value = serde_json::json!({
            "config": config,
            "catalog": catalog,
            "catalog_exists": counts.is_some(),
            "index_ok": index_ok,
            "counts": counts,
            "last_run": last_run,
            "scored_with": scored_with,
            "scores_current": counts.as_ref().map(|_| stale.is_none()),
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
    } else {
        writeln!(
            out,
            "data dir:   {} (from {})",
            config.data_dir.value.display(),
            config.data_dir.origin
        )?;
        writeln!(out, "catalog:    {}", catalog.display())?;
        writeln!(
            out,
            "index:      {} ({})",
            config.index_dir().display(),
            match (index_ok, counts.is_some()) {
                (true, _) => "ok",
                (false, true) => "missing: run `catalog reindex`",
                (false, false) => "missing: run `catalog sync` first",
            }
        )?;
        writeln!(
            out,
            "hub:        {} (from {})",
            config.hub_url.value, config.hub_url.origin
        )?;
        writeln!(
            out,
            "viewer:     {} (from {})",
            config.viewer_url.value, config.viewer_url.origin
        )?;
        match &config.token_origin {
            Some(t) => writeln!(out, "token:      set (from {})", t.origin)?,
            None => writeln!(out, "token:      none (anonymous: 500 requests / 5 min)")?,
        }
        match (&counts, &opened) {
            (Some(c), _) => writeln!(
out,
                "datasets:   {} stored, {} present on the Hub, {} therapy-relevant, {} with turn figures, {} waiting for the index",
                c.datasets, c.present, c.relevant, c.with_turns, c.pending_index
            )?,
            (None, Err(e)) => writeln!(out, "datasets:   {e}")?,
            (None, Ok(_)) => {}
        }
        if counts.is_some() {
            match (&stale, &scored_with) {
                (Some(note), _) => writeln!(out, "scores:     {}", clean_line(note, 300))?,
                (None, Some(stamp)) => {
                    writeln!(out, "scores:     current ({})", clean_line(stamp, 100))?
                }
                (None, None) => {}
            }
        }
        match &last_run {
            Some(run) => {
                let age = Some(run.finished_at.unwrap_or(run.started_at))
                    .map(|t| chrono::Utc::now().signed_duration_since(t.0));
                let age = age
                    .map(|a| format!("{}h {}m ago", a.num_hours(), a.num_minutes() % 60))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "last sync:  run {} ({} mode) {} — started {}, {}",
                    run.id,
                    run.mode,
                    run.status.as_str(),
                    run.started_at,
                    age
                )?;
                if let Some(e) = &run.error {
                    writeln!(out, "            {}", clean_line(e, 200))?;
                }
            }
            None => writeln!(out, "last sync:  never")?,
        }
    }
    Ok(ExitCode::SUCCESS)
}
