//! Measurements of one benchmark size, their statistics, and the markdown report (machine, the
//! reproducing command, one section per size, an overall table and the target checks).

/// Median and 95th percentile of a series of runs, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// Median (mean of the two middle values for an even count).
    pub median_ms: f64,
    /// 95th percentile, nearest rank.
    pub p95_ms: f64,
}

impl Timing {
    /// Statistics of wall times given in seconds (zeros for no samples).
    pub fn from_secs(samples: &[f64]) -> Timing {
        let mut ms: Vec<f64> = samples.iter().map(|s| s * 1000.0).collect();
        ms.sort_by(f64::total_cmp);
        if ms.is_empty() {
            return Timing {
                median_ms: 0.0,
                p95_ms: 0.0,
            };
        }
        let mid = ms.len() / 2;
        let median_ms = if ms.len().is_multiple_of(2) {
            (ms[mid - 1] + ms[mid]) / 2.0
        } else {
            ms[mid]
        };
        let rank = ((ms.len() as f64) * 0.95).ceil() as usize;
        Timing {
            median_ms,
            p95_ms: ms[rank.clamp(1, ms.len()) - 1],
        }
    }
}

/// One query on both systems.
#[derive(Debug, Clone)]
pub struct QueryResult {
    /// The query as shown in tables.
    pub label: String,
    /// `catalog query`, whole process.
    pub catalog: Timing,
    /// `sqlite3` FTS5 baseline, whole process.
    pub fts: Timing,
    /// Results returned by the catalog (at most 20).
    pub catalog_results: usize,
    /// Results returned by the baseline (at most 20).
    pub fts_results: usize,
    /// Ids in both top-20 lists.
    pub overlap: usize,
    /// Peak RSS of one catalog run, KiB.
    pub catalog_rss_kib: u64,
    /// Peak RSS of one baseline run, KiB.
    pub fts_rss_kib: u64,
}

/// `catalog import` of one corpus.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImportResult {
    /// Datasets the catalog reported imported.
    pub datasets: u64,
    /// Import seconds as reported by the catalog.
    pub import_secs: f64,
    /// Index seconds as reported by the catalog.
    pub index_secs: f64,
    /// Whole-process wall seconds.
    pub wall_secs: f64,
    /// Peak RSS, KiB.
    pub max_rss_kib: u64,
}

/// Everything measured for one corpus size.
#[derive(Debug, Clone)]
pub struct SizeResult {
    /// Datasets in the corpus.
    pub n: u64,
    /// Corpus file size.
    pub corpus_bytes: u64,
    /// Seconds to generate the corpus.
    pub generate_secs: f64,
    /// The catalog's import.
    pub import: ImportResult,
    /// `catalog.sqlite3` plus its WAL.
    pub db_bytes: u64,
    /// The `index/` directory.
    pub index_bytes: u64,
    /// Seconds to write the baseline's SQL script.
    pub fts_script_secs: f64,
    /// Whole-process seconds of `sqlite3` building the baseline.
    pub fts_build_secs: f64,
    /// Peak RSS of that build, KiB.
    pub fts_build_rss_kib: u64,
    /// Baseline database size.
    pub fts_db_bytes: u64,
    /// Per-query results.
    pub queries: Vec<QueryResult>,
}

const MB: f64 = 1_000_000.0;
const TARGET_MEDIAN_MS: f64 = 20.0;
const TARGET_IMPORT_SECS: f64 = 120.0;
const TARGET_IMPORT_RSS_BYTES: f64 = 1_000_000_000.0;
const TARGET_QUERY_RSS_BYTES: f64 = 150_000_000.0;

fn mb_of_kib(kib: u64) -> f64 {
    kib as f64 * 1024.0 / MB
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**NOT met**"
    }
}

impl SizeResult {
    fn worst_catalog_median(&self) -> f64 {
        self.queries
            .iter()
            .map(|q| q.catalog.median_ms)
            .fold(0.0, f64::max)
    }

    fn median_of(&self, pick: impl Fn(&QueryResult) -> f64) -> f64 {
        let secs: Vec<f64> = self.queries.iter().map(|q| pick(q) / 1000.0).collect();
        Timing::from_secs(&secs).median_ms
    }

    fn max_catalog_query_rss_kib(&self) -> u64 {
        self.queries
            .iter()
            .map(|q| q.catalog_rss_kib)
            .max()
            .unwrap_or(0)
    }
}

/// The markdown section of one size: figures, the query table and the targets.
pub fn render_size(r: &SizeResult) -> String {
    let i = &r.import;
    let mut s = format!("## {} datasets\n\n", thousands(r.n));
    s.push_str(&format!(
        "- corpus: {:.0} MB JSONL, generated in {:.1} s\n",
        r.corpus_bytes as f64 / MB,
        r.generate_secs
    ));
    s.push_str(&format!(
        "- `catalog import`: {} datasets imported in {:.1} s ({:.0}/s), indexed in {:.1} s; \
         whole process {:.1} s; peak RSS {:.0} MB\n",
        thousands(i.datasets),
        i.import_secs,
        i.datasets as f64 / i.import_secs.max(1e-9),
        i.index_secs,
        i.wall_secs,
        mb_of_kib(i.max_rss_kib)
    ));
    s.push_str(&format!(
        "- catalog size: database {:.1} MB, index {:.1} MB\n",
        r.db_bytes as f64 / MB,
        r.index_bytes as f64 / MB
    ));
    s.push_str(&format!(
        "- FTS5 baseline build: SQL script written in {:.1} s, `sqlite3` load + index {:.1} s, \
         peak RSS {:.0} MB, database {:.1} MB\n\n",
        r.fts_script_secs,
        r.fts_build_secs,
        mb_of_kib(r.fts_build_rss_kib),
        r.fts_db_bytes as f64 / MB
    ));
    s.push_str(
        "| query | catalog median ms | catalog p95 ms | FTS5 median ms | FTS5 p95 ms | results catalog / FTS5 | top-20 overlap | catalog RSS MB | FTS5 RSS MB |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for q in &r.queries {
        s.push_str(&format!(
            "| `{}` | {:.1} | {:.1} | {:.1} | {:.1} | {} / {} | {} | {:.0} | {:.0} |\n",
            q.label.replace('|', "\\|"),
            q.catalog.median_ms,
            q.catalog.p95_ms,
            q.fts.median_ms,
            q.fts.p95_ms,
            q.catalog_results,
            q.fts_results,
            q.overlap,
            mb_of_kib(q.catalog_rss_kib),
            mb_of_kib(q.fts_rss_kib)
        ));
    }
    s.push('\n');
    s.push_str(&render_targets(r));
    s
}

/// The issue's targets, checked against one size (they are defined for 600,000 datasets).
pub fn render_targets(r: &SizeResult) -> String {
    let worst = r.worst_catalog_median();
    let not_slower = r
        .queries
        .iter()
        .filter(|q| q.catalog.median_ms <= q.fts.median_ms)
        .count();
    let import_total = r.import.import_secs + r.import.index_secs;
    // At Hub scale (1.5M) the whole-Hub pass's budgets apply: 180 s and a 1.5 GB database.
    let hub_scale = r.n >= 1_500_000;
    let import_budget = if hub_scale { 180.0 } else { TARGET_IMPORT_SECS };
    let import_rss = r.import.max_rss_kib as f64 * 1024.0;
    let query_rss = r.max_catalog_query_rss_kib() as f64 * 1024.0;
    let mut s = format!(
        "Targets (600,000-dataset targets, plus the 1.5M budgets at 1.5M; 2 cores; checked here at {}):\n\n",
        thousands(r.n)
    );
    s.push_str(&format!(
        "- `catalog query` median ≤ {TARGET_MEDIAN_MS} ms for every query: worst median {worst:.1} ms — {}\n",
        verdict(worst <= TARGET_MEDIAN_MS)
    ));
    s.push_str(&format!(
        "- no slower than the FTS5 baseline: {not_slower} of {} queries (median vs median) — {}\n",
        r.queries.len(),
        verdict(not_slower == r.queries.len())
    ));
    s.push_str(&format!(
        "- import + index ≤ {import_budget} s: {import_total:.1} s — {}\n",
        verdict(import_total <= import_budget)
    ));
    if hub_scale {
        let db = r.db_bytes as f64;
        s.push_str(&format!(
            "- database ≤ 1.5 GB: {:.0} MB — {}\n",
            db / MB,
            verdict(db <= 1_500.0 * MB)
        ));
    }
    s.push_str(&format!(
        "- peak RSS while importing ≤ 1 GB: {:.0} MB — {}\n",
        import_rss / MB,
        verdict(import_rss <= TARGET_IMPORT_RSS_BYTES)
    ));
    s.push_str(&format!(
        "- peak RSS per query ≤ 150 MB: worst {:.0} MB — {}\n\n",
        query_rss / MB,
        verdict(query_rss <= TARGET_QUERY_RSS_BYTES)
    ));
    s
}

/// One row per size.
pub fn render_overall(results: &[SizeResult]) -> String {
    let mut s = String::from(
        "## Overall\n\n\
         | datasets | import s | import rate /s | index s | import + index s | import peak RSS MB | DB MB | index MB | FTS5 build s | FTS5 DB MB | catalog median of medians ms | catalog worst median ms | FTS5 median of medians ms | catalog query peak RSS MB |\n\
         |---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in results {
        let i = &r.import;
        s.push_str(&format!(
            "| {} | {:.1} | {:.0} | {:.1} | {:.1} | {:.0} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} |\n",
            thousands(r.n),
            i.import_secs,
            i.datasets as f64 / i.import_secs.max(1e-9),
            i.index_secs,
            i.import_secs + i.index_secs,
            mb_of_kib(i.max_rss_kib),
            r.db_bytes as f64 / MB,
            r.index_bytes as f64 / MB,
            r.fts_build_secs,
            r.fts_db_bytes as f64 / MB,
            r.median_of(|q| q.catalog.median_ms),
            r.worst_catalog_median(),
            r.median_of(|q| q.fts.median_ms),
            mb_of_kib(r.max_catalog_query_rss_kib()),
        ));
    }
    s.push('\n');
    s
}

/// The whole report file.
pub fn render_document(
    machine: &str,
    command: &str,
    runs: usize,
    results: &[SizeResult],
) -> String {
    let mut s = String::from("# Hub-scale benchmark results\n\n");
    s.push_str(&format!("Reproduce with:\n\n```sh\n{command}\n```\n\n"));
    s.push_str(&format!("Machine:\n\n{machine}\n"));
    s.push_str(&format!(
        "Method: synthetic Hub listing items (`gen_corpus`, seeded), imported with `catalog import` \
         (import + index, one process, under `/usr/bin/time -v`). Each query is timed as a whole \
         process (spawn to exit, JSON output of the top 20), {runs} measured runs after 2 \
         discarded warm-ups, catalog and baseline runs alternating. The baseline is the `sqlite3` \
         CLI on an FTS5 table (porter tokenizer, bm25 with the catalog's field boosts) over the \
         same rows, ranked by the catalog's composite score in ORDER BY, with the same filters in \
         WHERE; it reads relevance, quality, licences and languages from the catalog's database.\n\n"
    ));
    s.push_str(&render_overall(results));
    for r in results {
        s.push_str(&render_size(r));
    }
    s
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_p95_follow_their_definitions() {
        let t = Timing::from_secs(&[0.004, 0.001, 0.003, 0.002]);
        assert!((t.median_ms - 2.5).abs() < 1e-9);
        assert!((t.p95_ms - 4.0).abs() < 1e-9);
        let samples: Vec<f64> = (1..=100).map(|i| f64::from(i) / 1000.0).collect();
        let t = Timing::from_secs(&samples);
        assert!((t.median_ms - 50.5).abs() < 1e-9);
        assert!((t.p95_ms - 95.0).abs() < 1e-9);
        assert_eq!(Timing::from_secs(&[]).median_ms, 0.0);
    }

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(600_000), "600,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
    }
}
