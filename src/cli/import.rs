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

/// Scored records of up to [`BATCH`] lines, and how many lines were read so far.
struct Batch {
    items: Vec<(DatasetRecord, catalog::score::Scores)>,
    lines_read: usize,
}

/// Reads listing items, normalises and scores them, and sends them in batches; returns the
/// number of invalid lines. Stops early (without error) when the writer has gone away; on
/// unreadable input, sends what it read before and returns the error.
fn read_and_score(
    reader: Box<dyn BufRead + Send>,
    scorer: &Scorer,
    progress: &Progress,
    sender: std::sync::mpsc::SyncSender<Batch>,
) -> anyhow::Result<u64> {
    let mut bad = 0u64;
    let mut items = Vec::with_capacity(BATCH);
    let mut lines_read = 0;
    for (number, line) in reader.lines().enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                // What was read before is still written.
                let _ = sender.send(Batch { items, lines_read });
                return Err(e).with_context(|| format!("cannot read line {}", number + 1));
            }
        };
        lines_read = number + 1;
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str::<serde_json::Value>(&line)
            .ok()
            .and_then(|v| DatasetRecord::from_listing_item(&v).ok());
        match record {
            Some(record) => {
                let scores = scorer.score(&record);
                items.push((record, scores));
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
        if items.len() == BATCH {
            let full = std::mem::replace(&mut items, Vec::with_capacity(BATCH));
            if sender
                .send(Batch {
                    items: full,
                    lines_read,
                })
                .is_err()
            {
                return Ok(bad);
            }
        }
    }
    if !items.is_empty() {
        let _ = sender.send(Batch { items, lines_read });
    }
    Ok(bad)
}

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
    let reader: Box<dyn BufRead + Send> = if args.file.as_os_str() == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(&args.file)
            .with_context(|| format!("cannot open {}", args.file.display()))?;
        Box::new(std::io::BufReader::with_capacity(1 << 20, file))
    };
    let mut store = Store::open_or_create(&config.catalog_path())?;
    let progress = Progress::for_stderr(quiet, verbose);
    let started = std::time::Instant::now();
    let (mut new, mut changed, mut unchanged) = (0u64, 0u64, 0u64);
    // Two stages on two threads: one reads, parses and scores batches (most of the CPU), the
    // other writes them to SQLite; a bounded channel keeps at most two batches in flight.
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Batch>(2);
    let bad = std::thread::scope(|scope| -> anyhow::Result<u64> {
        let producer = scope.spawn(|| read_and_score(reader, &scorer, &progress, sender));
        for batch in receiver {
            for outcome in store.upsert_batch(&batch.items)? {
                match outcome {
                    UpsertOutcome::New => new += 1,
                    UpsertOutcome::Changed { .. } => changed += 1,
                    UpsertOutcome::Unchanged => unchanged += 1,
                }
            }
            progress.update(&format!("imported {} lines", batch.lines_read));
        }
        // A write error drops the receiver above, which ends the producer at its next send.
        producer
            .join()
            .map_err(|_| anyhow::anyhow!("the import's reading thread panicked"))?
    })?;
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
