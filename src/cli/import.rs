//! `catalog import FILE.jsonl`: Hub listing items in, through the same upsert as `sync`.

use super::args::ImportArgs;
use super::load_lexicon;
use super::lock_data_dir;
use anyhow::Context;
use catalog::config::Config;
use catalog::model::DatasetRecord;
use catalog::progress::Progress;
use catalog::score::Scorer;
use catalog::store::{Store, UpsertOutcome};
use std::io::BufRead;
use std::io::Write;
use std::process::ExitCode;

const BATCH: usize = 5_000;

/// Runs `catalog import`.
pub fn run(
    config: &Config,
    args: ImportArgs,
    quiet: bool,
    verbose: bool,
) -> anyhow::Result<ExitCode> {
    let _lock = lock_data_dir(config)?;
    let lexicon = load_lexicon(args.lexicon.as_deref())?;
    let scorer = Scorer::new(lexicon, chrono::Utc::now().date_naive());
    let reader: Box<dyn BufRead> = if args.file.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(&args.file)
            .with_context(|| format!("cannot open {}", args.file.display()))?;
        Box::new(std::io::BufReader::with_capacity(1 << 20, file))
    };
    let mut store = Store::open_or_create(&config.catalog_path())?;
    let progress = Progress::for_stderr(quiet, verbose);
    let started = std::time::Instant::now();
    let (mut new, mut changed, mut unchanged, mut bad) = (0u64, 0u64, 0u64, 0u64);
    let mut batch = Vec::with_capacity(BATCH);
    let mut flush = |batch: &mut Vec<_>, store: &mut Store| -> anyhow::Result<()> {
        for outcome in store.upsert_batch(batch)? {
            match outcome {
                UpsertOutcome::New => new += 1,
                UpsertOutcome::Changed { .. } => changed += 1,
                UpsertOutcome::Unchanged => unchanged += 1,
            }
        }
        batch.clear();
        Ok(())
    };
    for (number, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("cannot read line {}", number + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| DatasetRecord::from_listing_item(&v).ok());
        match record {
            Some(record) => {
                let scores = scorer.score(&record);
                batch.push((record, scores));
            }
            None => {
                bad += 1;
                if bad <= 5 {
                    progress.warn(&format!(
                        "line {}: not a valid listing item, skipped",
                        number + 1
                    ));
                }
            }
        }
        if batch.len() == BATCH {
            flush(&mut batch, &mut store)?;
            progress.update(&format!("imported {} lines", number + 1));
        }
    }
    flush(&mut batch, &mut store)?;
    progress.finish();
    let imported_secs = started.elapsed().as_secs_f64();
    let indexed = if args.no_index {
        0
    } else {
        store.refresh_families()?;
        catalog::search::update_index(&mut store, scorer.lexicon(), &config.index_dir(), &progress)?
    };
    let total = new + changed + unchanged;
    let mut out = std::io::stdout().lock();
    writeln!(
out,
        "imported {total} datasets ({new} new, {changed} changed, {unchanged} unchanged, {bad} invalid lines) in {imported_secs:.1}s ({:.0}/s); indexed {indexed} in {:.1}s",
        total as f64 / imported_secs.max(1e-9),
        started.elapsed().as_secs_f64() - imported_secs
    )?;
    Ok(ExitCode::SUCCESS)
}
