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
    catalog::api::rescore_all(&mut store, &scorer, &progress)?;
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
