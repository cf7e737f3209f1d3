//! `catalog import FILE.jsonl`: Hub listing items in, through the same upsert as `sync`.

use super::args::ImportArgs;
use super::load_lexicon;
use super::lock_data_dir;
use anyhow::Context;
use catalog::config::Config;
use catalog::model::DatasetRecord;
use catalog::progress::Progress;
use catalog::score::Scorer;
use catalog::store::{IndexFlags, Store, UpsertOutcome};
use std::io::BufRead;
use std::io::Write;
use std::process::ExitCode;

const BATCH: usize = 5_000;

/// Datasets written per transaction. Each commit writes every index page its rows touched,
/// and ids arrive in no order, so small transactions rewrote the same pages of the id indexes
/// at every commit. A failed import loses at most these (and can be run again).
const WRITE_ROWS: usize = 50_000;

/// Threads that parse and score (the import's CPU work); the reading and the SQLite writing
/// run on two more.
const SCORERS: usize = 2;

/// Up to [`BATCH`] raw lines, numbered in file order.
struct Lines {
    /// The batch's place in the file (0, 1, …).
    seq: usize,
    /// The file line number of `lines[0]` (1-based).
    first_line: usize,
    lines: Vec<String>,
}

/// The scored records of one [`Lines`] batch.
struct Batch {
    seq: usize,
    items: Vec<(DatasetRecord, catalog::score::Scores)>,
    /// File line numbers of the lines that were not listing items.
    invalid: Vec<usize>,
    /// Lines read up to the end of this batch.
    lines_read: usize,
}

/// Reads lines in batches. Stops early (without error) when the scorers have gone away; on
/// unreadable input, sends what it read before and returns the error.
fn read_lines(
    reader: Box<dyn BufRead + Send>,
    sender: std::sync::mpsc::SyncSender<Lines>,
) -> anyhow::Result<()> {
    let mut batch = Lines {
        seq: 0,
        first_line: 1,
        lines: Vec::with_capacity(BATCH),
    };
    for (number, line) in reader.lines().enumerate() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                // What was read before is still written.
                let _ = sender.send(batch);
                return Err(e).with_context(|| format!("cannot read line {}", number + 1));
            }
        };
        batch.lines.push(line);
        if batch.lines.len() == BATCH {
            let next = Lines {
                seq: batch.seq + 1,
                first_line: number + 2,
                lines: Vec::with_capacity(BATCH),
            };
            if sender.send(std::mem::replace(&mut batch, next)).is_err() {
                return Ok(());
            }
        }
    }
    if !batch.lines.is_empty() {
        let _ = sender.send(batch);
    }
    Ok(())
}

/// Normalises and scores one batch of lines (blank lines are skipped, others that are not
/// listing items are counted as invalid).
fn score_lines(lines: Lines, scorer: &Scorer) -> Batch {
    let mut items = Vec::with_capacity(lines.lines.len());
    let mut invalid = Vec::new();
    for (offset, line) in lines.lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .and_then(|v| DatasetRecord::from_listing_item(&v).ok());
        match record {
            Some(record) => {
                let scores = scorer.score(&record);
                items.push((record, scores));
            }
            None => invalid.push(lines.first_line + offset),
        }
    }
    Batch {
        seq: lines.seq,
        items,
        invalid,
        lines_read: lines.first_line + lines.lines.len() - 1,
    }
}

/// The scorers' shared queue of line batches; emptied (closing it, which stops the reader)
/// when the writer has gone away.
type LineQueue = std::sync::Mutex<Option<std::sync::mpsc::Receiver<Lines>>>;

/// Takes batches of lines off the shared queue, scores them and passes them on, until the
/// queue is empty or the writer has gone away.
fn score_queue(queue: &LineQueue, scorer: &Scorer, sender: std::sync::mpsc::SyncSender<Batch>) {
    loop {
        let next = match queue.lock() {
            Ok(receiver) => match receiver.as_ref() {
                Some(receiver) => receiver.recv(),
                None => return,
            },
            Err(_) => return,
        };
        let Ok(lines) = next else { return };
        if sender.send(score_lines(lines, scorer)).is_err() {
            if let Ok(mut receiver) = queue.lock() {
                receiver.take();
            }
            return;
        }
    }
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
    store.record_scoring(scorer.lexicon().stamp())?;
    // Without a live index (a first import, or one built by another version) the next
    // indexing is a full rebuild that reads every row: rows need no re-index flag.
    let flags = match catalog::search::live_index(&config.index_dir()) {
        Ok(None) => IndexFlags::RebuildFollows,
        _ => IndexFlags::Flag,
    };
    let progress = Progress::for_stderr(quiet, verbose);
    let started = std::time::Instant::now();
    let (mut new, mut changed, mut unchanged, mut bad) = (0u64, 0u64, 0u64, 0u64);
    // Reading, [`SCORERS`] threads parsing and scoring (most of the CPU), and this thread
    // writing SQLite; bounded channels keep a few batches in flight, and the writer puts the
    // batches back in file order (a dataset listed twice keeps its last line).
    let (line_sender, line_receiver) = std::sync::mpsc::sync_channel::<Lines>(SCORERS);
    let (batch_sender, batch_receiver) = std::sync::mpsc::sync_channel::<Batch>(SCORERS + 1);
    let queue: LineQueue = std::sync::Mutex::new(Some(line_receiver));
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let reading = scope.spawn(|| read_lines(reader, line_sender));
        for _ in 0..SCORERS {
            let sender = batch_sender.clone();
            let (queue, scorer) = (&queue, &scorer);
            scope.spawn(move || score_queue(queue, scorer, sender));
        }
        drop(batch_sender);
        let mut waiting = std::collections::BTreeMap::new();
        let (mut next_seq, mut written_lines, mut scored_lines) = (0, 0, 0);
        let mut pending: Vec<(DatasetRecord, catalog::score::Scores)> = Vec::new();
        let mut write = |pending: &mut Vec<_>, lines_read: usize| -> anyhow::Result<()> {
            for outcome in store.upsert_batch_with(pending, flags)? {
                match outcome {
                    UpsertOutcome::New => new += 1,
                    UpsertOutcome::Changed { .. } => changed += 1,
                    UpsertOutcome::Unchanged => unchanged += 1,
                }
            }
            pending.clear();
            written_lines = lines_read;
            progress.update(&format!("imported {written_lines} lines"));
            Ok(())
        };
        for batch in batch_receiver {
            waiting.insert(batch.seq, batch);
            while let Some(mut batch) = waiting.remove(&next_seq) {
                next_seq += 1;
                for line in &batch.invalid {
                    bad += 1;
                    if bad <= 5 {
                        progress.warn(&format!("line {line}: not a valid listing item, skipped"));
                    }
                }
                pending.append(&mut batch.items);
                scored_lines = batch.lines_read;
                if pending.len() >= WRITE_ROWS {
                    write(&mut pending, scored_lines)?;
                }
            }
        }
        write(&mut pending, scored_lines)?;
        // A write error returns above and drops the receiver, which ends the scorers at their
        // next send, and they close the queue, which ends the reader at its next.
        if !waiting.is_empty() {
            anyhow::bail!(
                "a scoring thread of the import failed; the datasets of lines 1 to {written_lines} were imported"
            );
        }
        reading
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
    if let Some(note) = store.stale_scores(scorer.lexicon().stamp())? {
        progress.warn(&note);
    }
    Ok(ExitCode::SUCCESS)
}
