//! One benchmark size, start to finish: generate the corpus, `catalog import` it, build the FTS5
//! baseline from the same file, then time every query on both systems.

use crate::process::{dir_bytes, fail, file_bytes, BenchError, Finished, Invocation, Result};
use crate::queries::{BenchQuery, QUERIES};
use crate::report::{ImportResult, QueryResult, SizeResult, Timing};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Runs discarded before measuring each query.
const WARM_UPS: usize = 2;

/// What a size run needs.
pub struct Setup<'a> {
    /// The catalog binary.
    pub catalog: &'a Path,
    /// The sqlite3 CLI.
    pub sqlite3: &'a Path,
    /// Directory for this size's files.
    pub dir: PathBuf,
    /// Corpus seed.
    pub seed: u64,
    /// Measured runs per query and system.
    pub runs: usize,
    /// Light items for ordinary datasets, as the whole-Hub pass stores them.
    pub light: bool,
}

fn path_arg(path: &Path) -> String {
    path.display().to_string()
}

fn io_fail(what: &str, path: &Path, e: std::io::Error) -> BenchError {
    BenchError(format!("cannot {what} {}: {e}", path.display()))
}

fn progress(n: u64, message: &str) {
    eprintln!("[{n}] {message}");
}

/// Measures everything for `n` datasets.
pub fn bench_size(setup: &Setup, n: u64) -> Result<SizeResult> {
    let dir = &setup.dir;
    std::fs::create_dir_all(dir).map_err(|e| io_fail("create", dir, e))?;

    let corpus = dir.join("corpus.jsonl");
    progress(n, &format!("generating {}", corpus.display()));
    let started = Instant::now();
    let file = std::fs::File::create(&corpus).map_err(|e| io_fail("create", &corpus, e))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    crate::corpus::write_corpus_shaped(&mut out, n, setup.seed, setup.light)
        .and_then(|()| out.flush())
        .map_err(|e| io_fail("write", &corpus, e))?;
    let generate_secs = started.elapsed().as_secs_f64();

    let data_dir = dir.join("catalog");
    remove_dir_if_present(&data_dir)?;
    progress(n, "catalog import (import + index)");
    let import_run = Invocation::new(
        setup.catalog,
        vec![
            "--data-dir".into(),
            path_arg(&data_dir),
            "-q".into(),
            "import".into(),
            path_arg(&corpus),
        ],
    )
    .run_measured(&dir.join("time-import.txt"))?;
    let import = import_result(&import_run)?;
    let catalog_db = data_dir.join("catalog.sqlite3");
    let db_bytes = file_bytes(&catalog_db) + file_bytes(&data_dir.join("catalog.sqlite3-wal"));
    let index_bytes = dir_bytes(&data_dir.join("index"));

    progress(n, "building the FTS5 baseline");
    let script = dir.join("fts_build.sql");
    let fts_db = dir.join("fts5.sqlite3");
    for stale in [&fts_db, &dir.join("fts5.sqlite3-journal")] {
        if stale.exists() {
            std::fs::remove_file(stale).map_err(|e| io_fail("remove", stale, e))?;
        }
    }
    let started = Instant::now();
    crate::fts::write_build_script(&corpus, &catalog_db, &script)?;
    let fts_script_secs = started.elapsed().as_secs_f64();
    let mut build = Invocation::new(setup.sqlite3, vec!["-bail".into(), path_arg(&fts_db)]);
    build.stdin = Some(script.clone());
    let fts_build = build.run_measured(&dir.join("time-fts.txt"))?;
    std::fs::remove_file(&script).map_err(|e| io_fail("remove", &script, e))?;

    let mut queries = Vec::with_capacity(QUERIES.len());
    for query in QUERIES {
        progress(n, &format!("query {}", query.label()));
        queries.push(bench_query(setup, query, &data_dir, &fts_db)?);
    }
    Ok(SizeResult {
        n,
        corpus_bytes: file_bytes(&corpus),
        generate_secs,
        import,
        db_bytes,
        index_bytes,
        fts_script_secs,
        fts_build_secs: fts_build.wall_secs,
        fts_build_rss_kib: fts_build.max_rss_kib.unwrap_or(0),
        fts_db_bytes: file_bytes(&fts_db),
        queries,
    })
}

fn remove_dir_if_present(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| io_fail("remove", dir, e))?;
    }
    Ok(())
}

fn import_result(run: &Finished) -> Result<ImportResult> {
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with("imported "))
        .unwrap_or("");
    let Some((datasets, import_secs, index_secs)) = parse_import_summary(line) else {
        return fail(format!(
            "cannot read the import summary from the catalog's output:\n{}",
            run.stdout
        ));
    };
    Ok(ImportResult {
        datasets,
        import_secs,
        index_secs,
        wall_secs: run.wall_secs,
        max_rss_kib: run.max_rss_kib.unwrap_or(0),
    })
}

/// `(datasets, import seconds, index seconds)` from the catalog's summary line:
/// `imported N datasets (…) in X.Xs (R/s); indexed M in Y.Ys`.
pub fn parse_import_summary(line: &str) -> Option<(u64, f64, f64)> {
    let (imported, indexed) = line.split_once("; indexed ")?;
    let datasets = imported
        .strip_prefix("imported ")?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    let seconds = |text: &str| -> Option<f64> {
        let after = &text[text.rfind(" in ")? + 4..];
        after.split_once('s')?.0.trim().parse().ok()
    };
    Some((datasets, seconds(imported)?, seconds(indexed)?))
}

/// Times one query on both systems, alternating runs so background load hits both alike.
fn bench_query(
    setup: &Setup,
    query: &BenchQuery,
    data_dir: &Path,
    fts_db: &Path,
) -> Result<QueryResult> {
    let catalog = Invocation::new(setup.catalog, query.catalog_args(&path_arg(data_dir)));
    let fts = Invocation::new(
        setup.sqlite3,
        vec!["-readonly".into(), path_arg(fts_db), query.fts_sql()],
    );
    let (mut catalog_secs, mut fts_secs) = (Vec::new(), Vec::new());
    let (mut catalog_out, mut fts_out) = (String::new(), String::new());
    for round in 0..WARM_UPS + setup.runs {
        let c = catalog.run()?;
        let f = fts.run()?;
        if round >= WARM_UPS {
            catalog_secs.push(c.wall_secs);
            fts_secs.push(f.wall_secs);
        }
        (catalog_out, fts_out) = (c.stdout, f.stdout);
    }
    let catalog_ids = catalog_result_ids(&catalog_out)?;
    let fts_ids: Vec<&str> = fts_out
        .lines()
        .filter_map(|l| l.split('|').next())
        .filter(|id| !id.is_empty())
        .collect();
    let overlap = catalog_ids
        .iter()
        .filter(|id| fts_ids.contains(&id.as_str()))
        .count();
    let rss_file = setup.dir.join("time-query.txt");
    let catalog_rss_kib = catalog.run_measured(&rss_file)?.max_rss_kib.unwrap_or(0);
    let fts_rss_kib = fts.run_measured(&rss_file)?.max_rss_kib.unwrap_or(0);
    Ok(QueryResult {
        label: query.label(),
        catalog: Timing::from_secs(&catalog_secs),
        fts: Timing::from_secs(&fts_secs),
        catalog_results: catalog_ids.len(),
        fts_results: fts_ids.len(),
        overlap,
        catalog_rss_kib,
        fts_rss_kib,
    })
}

/// Ids of `catalog query --output json` (a JSON array of records with an `id`).
fn catalog_result_ids(stdout: &str) -> Result<Vec<String>> {
    let value: serde_json::Value = serde_json::from_str(stdout).map_err(|e| {
        BenchError(format!(
            "`catalog query --output json` printed no JSON array ({e}):\n{stdout}"
        ))
    })?;
    let Some(records) = value.as_array() else {
        return fail(format!(
            "`catalog query` printed JSON that is not an array:\n{stdout}"
        ));
    };
    Ok(records
        .iter()
        .filter_map(|r| r.get("id").and_then(|id| id.as_str()).map(str::to_string))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_catalog_import_summary() {
        let line = "imported 10000 datasets (10000 new, 0 changed, 0 unchanged, 0 invalid lines) in 2.4s (4167/s); indexed 10000 in 1.3s";
        assert_eq!(parse_import_summary(line), Some((10_000, 2.4, 1.3)));
        assert_eq!(parse_import_summary("imported nothing"), None);
    }

    #[test]
    fn reads_ids_of_json_results() {
        let ids =
            catalog_result_ids("[{\"id\": \"a/b\", \"score\": 1}, {\"id\": \"c/d\"}]\n").unwrap();
        assert_eq!(ids, ["a/b", "c/d"]);
        assert!(catalog_result_ids("warning: stale\n[]").is_err());
    }
}
