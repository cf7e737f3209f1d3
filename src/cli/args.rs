//! Clap definitions. The doc comments here are the `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// A local, offline, indexed catalog of therapy and counseling conversation datasets from the
/// Hugging Face Hub.
///
/// `catalog sync` crawls the Hub politely into a local SQLite catalog and samples conversations to
/// measure their length; `catalog query` then searches it offline in milliseconds.
#[derive(Debug, Parser)]
#[command(name = "catalog", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    /// Data directory [default: $CATALOG_DIR, else the OS data dir, e.g. ~/.local/share/catalog]
    #[arg(
        long,
        global = true,
        value_name = "DIR",
        help_heading = "Global options"
    )]
    pub data_dir: Option<PathBuf>,
    /// Quiet: no progress and no warnings on stderr
    #[arg(
        short,
        long,
        global = true,
        conflicts_with = "verbose",
        help_heading = "Global options"
    )]
    pub quiet: bool,
    /// Verbose: more detail on stderr
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub verbose: bool,
    /// Colour and bold in tables: auto (a terminal, unless NO_COLOR is set), always, never
    #[arg(
        long,
        global = true,
        value_enum,
        default_value_t = ColorChoice::Auto,
        value_name = "WHEN",
        help_heading = "Global options"
    )]
    pub color: ColorChoice,
    /// The command
    #[command(subcommand)]
    pub command: Command,
}

/// A count of at least 1 (`--limit 0` would silently show nothing).
fn positive(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("must be at least 1".to_string()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (to anything non-empty).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour output going to a stream that `is_terminal` or not.
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Crawl the Hub into the local catalog (incremental, resumable, rate-limit polite)
    #[cfg(feature = "sync")]
    Sync(SyncArgs),
    /// Ingest Hub listing items from a JSONL file (one /api/datasets item per line), offline
    Import(ImportArgs),
    /// Search the catalog offline: full-text + relevance, quality, turns and popularity
    Query(QueryArgs),
    /// Show everything known about one dataset
    Show(ShowArgs),
    /// Datasets like this one (card text, kind, languages, conversation length), with reasons
    Similar(SimilarArgs),
    /// Write the datasets a query selects to a file (JSON array, JSONL or CSV), atomically
    Export(ExportArgs),
    /// Summary report of the therapy datasets a query selects (relevance ≥ 0.5 unless
    /// --min-relevance; text on stdout, or a self-contained HTML page)
    Report(ReportArgs),
    /// Catalog age, counts, last sync run and the paths in use
    Status(StatusArgs),
    /// Recompute scores and rebuild the search index from the catalog, atomically
    Reindex(ReindexArgs),
}

impl Command {
    /// `--hub-url`, for commands that have it.
    pub fn hub_url(&self) -> Option<&str> {
        match self {
            #[cfg(feature = "sync")]
            Command::Sync(a) => a.hub_url.as_deref(),
            _ => None,
        }
    }

    /// `--viewer-url`, for commands that have it.
    pub fn viewer_url(&self) -> Option<&str> {
        match self {
            #[cfg(feature = "sync")]
            Command::Sync(a) => a.viewer_url.as_deref(),
            _ => None,
        }
    }
}

/// `catalog sync`
#[cfg(feature = "sync")]
#[derive(Debug, Args)]
#[command(
    after_help = "The first sync runs a quick pass (the lexicon's crawl terms, matched against \
repo ids, and tag filters: results in a few minutes), then a full pass over the whole Hub sorted \
by last change (about 1,500 listing pages; every dataset is scored, therapy candidates get their \
card, README and turn figures). Later syncs only list what changed since the last pass; a full \
pass runs again weekly to refresh downloads and likes and to mark vanished datasets gone. The \
catalog is searchable while a sync runs, and an interrupted sync (Ctrl-C, kill, crash) resumes \
where it stopped.\n\nExit codes: 0 complete, 4 partial (run again to resume), 130 interrupted, \
1 error (an unreachable Hub is reported within a minute)."
)]
pub struct SyncArgs {
    /// Run the quick pass only (the therapy plan), not the whole-Hub pass
    #[arg(long, conflicts_with = "full", help_heading = "What to crawl")]
    pub quick: bool,
    /// Run a full pass over the whole Hub now (also refreshes downloads/likes and marks
    /// vanished datasets gone)
    #[arg(long, alias = "all", help_heading = "What to crawl")]
    pub full: bool,
    /// Extra Hub search term (repo-id substring); repeatable
    #[arg(long = "term", value_name = "T", help_heading = "What to crawl")]
    pub terms: Vec<String>,
    /// Extra Hub tag filter (e.g. `language:en`, `mental-health`); repeatable
    #[arg(long = "filter", value_name = "TAG", help_heading = "What to crawl")]
    pub filters: Vec<String>,
    /// Skip conversation sampling through the dataset viewer
    #[arg(long, help_heading = "Measuring conversations")]
    pub no_samples: bool,
    /// Hard cap on HTTP requests for this sync (the run stays resumable)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), help_heading = "Network")]
    pub max_requests: Option<u64>,
    /// Hub endpoint [default: $HF_ENDPOINT, else https://huggingface.co]
    #[arg(long, value_name = "URL", help_heading = "Network")]
    pub hub_url: Option<String>,
    /// Dataset viewer endpoint [default: $CATALOG_VIEWER_URL, else https://datasets-server.huggingface.co]
    #[arg(long, value_name = "URL", help_heading = "Network")]
    pub viewer_url: Option<String>,
    /// Concurrent viewer requests while sampling
    #[arg(long, default_value_t = 4, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=32), help_heading = "Measuring conversations")]
    pub concurrency: u16,
    /// Relevance floor for sampling conversations
    #[arg(long, default_value_t = catalog::score::SAMPLING_RELEVANCE_FLOOR, value_name = "X", help_heading = "Measuring conversations")]
    pub sample_floor: f64,
    /// Most datasets sampled in one sync
    #[arg(
        long,
        default_value_t = 2000,
        value_name = "N",
        help_heading = "Measuring conversations"
    )]
    pub max_samples: usize,
    /// Bytes read from one dataset's repository files when the viewer cannot count its turns
    /// (HTTP Range prefixes; 0 turns repo files off)
    #[arg(long, default_value_t = catalog::sync::FILE_BYTES_PER_DATASET, value_name = "BYTES", help_heading = "Measuring conversations")]
    pub file_bytes: u64,
    /// Most bytes read from repository files in one sync
    #[arg(long, default_value_t = catalog::sync::MAX_FILE_BYTES, value_name = "BYTES", help_heading = "Measuring conversations")]
    pub max_file_bytes: u64,
    /// Ask again now every dataset whose viewer or files failed transiently, instead of waiting
    /// for its retry time (1 h, 6 h, 1 day, 3 days, then weekly)
    #[arg(long, help_heading = "Measuring conversations")]
    pub retry_now: bool,
    /// Lexicon file to use instead of the built-in index/therapy.toml (scores of datasets that did
    /// not change upstream are recomputed by `catalog reindex --lexicon FILE`)
    #[arg(long, value_name = "FILE", help_heading = "What to crawl")]
    pub lexicon: Option<PathBuf>,
    /// Per-request timeout in seconds (a 1000-item listing page with card data can be several MB)
    #[arg(long, default_value_t = 60, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=600), help_heading = "Network")]
    pub timeout: u64,
}

/// `catalog import`
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// JSONL file of Hub listing items (`-` for stdin)
    pub file: PathBuf,
    /// Lexicon file to use instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// Skip updating the search index (run `catalog reindex` later)
    #[arg(long)]
    pub no_index: bool,
}

/// Conversation format filter values.
#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
#[allow(clippy::enum_variant_names)] // the names are the CLI values: multi_turn, ...
pub enum FormatArg {
    /// 20+ average turns
    MultiTurn,
    /// 10–19
    MediumTurn,
    /// 5–9
    ShortTurn,
    /// 1–4
    SingleTurn,
}

/// Dataset kind filter values.
#[derive(Debug, Clone, Copy, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum KindArg {
    /// Counseling / therapy / support conversation (relevance ≥ 0.5)
    CounselingConversation,
    /// Mental-health text that is not counseling conversation (posts, FAQs, classification)
    MentalHealthText,
    /// Anything else
    Other,
}

/// Filters shared by query, export and report.
#[derive(Debug, Args, Clone)]
pub struct FilterArgs {
    /// Search text (empty: rank the whole catalog). Lenient: quotes, colons and parentheses never error
    #[arg(value_name = "TEXT")]
    pub text: Option<String>,
    /// Minimum average turns per conversation
    #[arg(long, value_name = "N", help_heading = "Conversation length")]
    pub min_turns: Option<f64>,
    /// Maximum average turns per conversation
    #[arg(long, value_name = "N", help_heading = "Conversation length")]
    pub max_turns: Option<f64>,
    /// Conversation length bucket (from average turns; a lower bound only matches multi_turn
    /// once it reaches 20)
    #[arg(
        long = "turns-format",
        alias = "format",
        value_enum,
        value_name = "FORMAT",
        help_heading = "Conversation length"
    )]
    pub format: Option<FormatArg>,
    /// What the dataset is (from relevance: topic and form)
    #[arg(long, value_enum, help_heading = "Filters")]
    pub kind: Option<KindArg>,
    /// Minimum quality score (0–1)
    #[arg(long, value_name = "X", help_heading = "Filters")]
    pub min_quality: Option<f64>,
    /// Minimum therapy relevance (0–1)
    #[arg(long, value_name = "X", help_heading = "Filters")]
    pub min_relevance: Option<f64>,
    /// Licence (e.g. mit, apache-2.0, cc-by-4.0); repeatable, any of them
    #[arg(long = "license", value_name = "L", help_heading = "Filters")]
    pub licenses: Vec<String>,
    /// Language code (e.g. en, zh); repeatable, any of them
    #[arg(long = "language", value_name = "L", help_heading = "Filters")]
    pub languages: Vec<String>,
    /// Only datasets modified on or after this date (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", help_heading = "Filters")]
    pub updated_since: Option<String>,
    /// Keep datasets whose turns are unknown when a turn filter is given
    #[arg(long, help_heading = "Conversation length")]
    pub include_unknown_turns: bool,
    /// Ranking weights, e.g. `match=0.3,quality=0.15,relevance=0.25,turns=0.15,popularity=0.15`
    #[arg(long, value_name = "K=V,...", help_heading = "Ranking")]
    pub weights: Option<String>,
    /// Warn when the catalog is older than this many days
    #[arg(
        long,
        default_value_t = 7,
        value_name = "DAYS",
        help_heading = "Ranking"
    )]
    pub stale_days: u32,
    /// Lexicon file (for acronym expansion) instead of the built-in one
    #[arg(long, value_name = "FILE", help_heading = "Ranking")]
    pub lexicon: Option<PathBuf>,
}

/// Output formats of `query`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Terminal table
    Table,
    /// JSON array
    Json,
    /// One JSON object per line
    Jsonl,
    /// CSV (spreadsheet formulas neutralised)
    Csv,
}

/// `catalog query`
#[derive(Debug, Args)]
#[command(
    after_help = "Score = weighted mean of: match (BM25 / best BM25, only with TEXT), quality, \
relevance, turns (ln(1+avg)/ln 31, capped at 1; unknown = 0) and popularity (log-scaled downloads \
and likes). Default weights: match=0.30 relevance=0.25 quality=0.15 turns=0.15 popularity=0.15. \
--explain shows every factor."
)]
pub struct QueryArgs {
    /// Filters
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Results to show (1 or more)
    #[arg(long, default_value_t = 20, value_name = "N", value_parser = positive, help_heading = "Output")]
    pub limit: usize,
    /// Results to skip
    #[arg(long, default_value_t = 0, value_name = "N", help_heading = "Output")]
    pub offset: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, help_heading = "Output")]
    pub output: OutputFormat,
    /// Show every ranking factor and the matched lexicon terms
    #[arg(long, help_heading = "Output")]
    pub explain: bool,
    /// List every copy, conversion and translation as its own row (by default a family shows
    /// as its best-ranked member with "+N related")
    #[arg(long, help_heading = "Output")]
    pub all_copies: bool,
}

/// `catalog show`
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Dataset id (owner/name)
    pub id: String,
    /// Output format
    #[arg(long, value_enum, default_value_t = ShowFormat::Table)]
    pub output: ShowFormat,
}

/// `catalog similar`
#[derive(Debug, Args)]
pub struct SimilarArgs {
    /// Dataset id (owner/name)
    pub id: String,
    /// Results to show (1 or more)
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = positive)]
    pub limit: usize,
    /// Output format
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
}

/// Output formats of `show`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ShowFormat {
    /// Readable text
    Table,
    /// JSON object
    Json,
}

/// Output formats of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// JSON array (the original tool's records)
    Json,
    /// One JSON object per line
    Jsonl,
    /// CSV
    Csv,
}

/// `catalog export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Filters
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Output file (written to a temp file, then renamed)
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub out: PathBuf,
    /// File format
    #[arg(long, value_enum, default_value_t = ExportFormat::Json, help_heading = "Output")]
    pub output: ExportFormat,
    /// Most records exported (1 or more)
    #[arg(long, value_name = "N", value_parser = positive, help_heading = "Output")]
    pub limit: Option<usize>,
    /// One record per family of copies, conversions and translations (the best-ranked member)
    #[arg(long, help_heading = "Output")]
    pub collapse: bool,
}

/// `catalog report`
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Filters
    #[command(flatten)]
    pub filters: FilterArgs,
    /// Write a self-contained HTML page with charts to FILE instead of text to stdout
    #[arg(long, value_name = "FILE", help_heading = "Output")]
    pub html: Option<PathBuf>,
    /// Most datasets considered (1 or more)
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = positive, help_heading = "Output")]
    pub limit: usize,
}

/// `catalog status`
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Print JSON instead of text
    #[arg(long)]
    pub json: bool,
}

/// `catalog reindex`
#[derive(Debug, Args)]
pub struct ReindexArgs {
    /// Lexicon file to score with instead of the built-in one
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
}
