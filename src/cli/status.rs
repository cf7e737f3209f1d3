//! `catalog status`: catalog age, counts, last sync run, and the paths in use with their origin.

use super::args::StatusArgs;
use crate::config::Config;
use crate::output::sanitize::clean_line;
use crate::store::Store;
use std::process::ExitCode;

/// Runs `catalog status`.
pub fn run(config: &Config, args: StatusArgs) -> anyhow::Result<ExitCode> {
    let catalog = config.catalog_path();
    let opened = Store::open_read_only(&catalog);
    let (counts, last_run) = match &opened {
        Ok(store) => (
            Some(store.counts(crate::sync::SAMPLING_RELEVANCE_FLOOR)?),
            store.last_run()?,
        ),
        Err(_) => (None, None),
    };
    let index_ok = crate::search::CatalogIndex::open(&config.index_dir()).is_ok();
    if args.json {
        let value = serde_json::json!({
            "config": config,
            "catalog": catalog,
            "catalog_exists": counts.is_some(),
            "index_ok": index_ok,
            "counts": counts,
            "last_run": last_run,
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!(
            "data dir:   {} (from {})",
            config.data_dir.value.display(),
            config.data_dir.origin
        );
        println!("catalog:    {}", catalog.display());
        println!(
            "index:      {} ({})",
            config.index_dir().display(),
            match (index_ok, counts.is_some()) {
                (true, _) => "ok",
                (false, true) => "missing: run `catalog reindex`",
                (false, false) => "missing: run `catalog sync` first",
            }
        );
        println!(
            "hub:        {} (from {})",
            config.hub_url.value, config.hub_url.origin
        );
        println!(
            "viewer:     {} (from {})",
            config.viewer_url.value, config.viewer_url.origin
        );
        match &config.token_origin {
            Some(t) => println!("token:      set (from {})", t.origin),
            None => println!("token:      none (anonymous: 500 requests / 5 min)"),
        }
        match (&counts, &opened) {
            (Some(c), _) => println!(
                "datasets:   {} stored, {} present on the Hub, {} therapy-relevant, {} with turn figures, {} waiting for the index",
                c.datasets, c.present, c.relevant, c.with_turns, c.pending_index
            ),
            (None, Err(e)) => println!("datasets:   {e}"),
            (None, Ok(_)) => {}
        }
        match &last_run {
            Some(run) => {
                let age = run
                    .finished_at
                    .as_deref()
                    .or(Some(run.started_at.as_str()))
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map(|t| chrono::Utc::now().signed_duration_since(t));
                let age = age
                    .map(|a| format!("{}h {}m ago", a.num_hours(), a.num_minutes() % 60))
                    .unwrap_or_default();
                println!(
                    "last sync:  run {} ({} mode) {} — started {}, {}",
                    run.id,
                    run.mode,
                    run.status.as_str(),
                    run.started_at,
                    age
                );
                if let Some(e) = &run.error {
                    println!("            {}", clean_line(e, 200));
                }
            }
            None => println!("last sync:  never"),
        }
    }
    Ok(ExitCode::SUCCESS)
}
