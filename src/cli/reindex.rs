//! `catalog reindex`: recompute every score with the current lexicon and date, then rebuild the
//! index into a new generation and swap it in atomically.

use super::args::ReindexArgs;
use super::load_lexicon;
use super::lock_data_dir;
use catalog::config::Config;
use catalog::progress::Progress;
use catalog::score::Scorer;
use catalog::store::Store;
use std::io::Write;
use std::process::ExitCode;

/// Runs `catalog reindex`.
pub fn run(
    config: &Config,
    args: ReindexArgs,
    quiet: bool,
    verbose: bool,
) -> anyhow::Result<ExitCode> {
    // Refuse before taking the lock (which creates the data dir): reindex needs a catalog.
    drop(Store::open_read_only(&config.catalog_path())?);
    let _lock = lock_data_dir(config)?;
    let mut store = Store::open_or_create(&config.catalog_path())?;
    let scorer = Scorer::new(
        load_lexicon(args.lexicon.as_deref())?,
        chrono::Utc::now().date_naive(),
    );
    let progress = Progress::for_stderr(quiet, verbose);
    let started = std::time::Instant::now();
    let ids = store.all_ids()?;
    let mut rescored = 0u64;
    for chunk in ids.chunks(5_000) {
        let updates: Vec<_> = store
            .get_many(chunk)?
            .iter()
            .map(|d| {
                (
                    d.record.id.clone(),
                    scorer.score_with(&d.record, &d.extras()),
                )
            })
            .collect();
        rescored += store.update_scores(&updates)?;
        progress.update(&format!("rescoring: {rescored} changed"));
    }
    store.set_scored_with(scorer.lexicon().stamp())?;
    store.refresh_families()?;
    let scored_secs = started.elapsed().as_secs_f64();
    let docs =
        catalog::search::rebuild(&mut store, scorer.lexicon(), &config.index_dir(), &progress)?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "reindexed {docs} datasets (scores {scored_secs:.1}s, index {:.1}s)",
        started.elapsed().as_secs_f64() - scored_secs
    )?;
    Ok(ExitCode::SUCCESS)
}
