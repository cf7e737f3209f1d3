//! `catalog query`, `export` and `report`: the same filters and ranking, three outputs.
//! Offline by construction: nothing here touches the network.

use super::args::{
    ExportArgs, ExportFormat, FilterArgs, FormatArg, OutputFormat, QueryArgs, ReportArgs,
};
use super::{load_lexicon, UsageError};
use anyhow::Context;
use catalog::config::Config;
use catalog::output::record::ExportRecord;
use catalog::output::{csv, table, write_atomically};
use catalog::sanitize::json_terminal_safe;
use catalog::score::DatasetKind;
use catalog::search::{CatalogIndex, QueryFilters, Weights};
use catalog::store::Store;
use catalog::turns::ConversationFormat;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

pub(crate) use catalog::api::Catalog;

/// Opens store and index read-only, warning once on stderr when the catalog is stale (last
/// synced long ago, or scored by another scorer or lexicon).
pub(crate) fn open_catalog(
    config: &Config,
    filters: &FilterArgs,
    quiet: bool,
) -> anyhow::Result<Catalog> {
    let store = Store::open_read_only(&config.catalog_path())?;
    let index = CatalogIndex::open(&config.index_dir())?;
    if !quiet {
        warn_if_stale(&store, filters.stale_days);
    }
    // A user's lexicon is loaded now, so a bad file is an error before any output; the
    // built-in one is compiled only if the page needs it.
    let lexicon = match filters.lexicon.as_deref() {
        Some(path) => Some(load_lexicon(Some(path))?),
        None => None,
    };
    if !quiet {
        let current = lexicon
            .as_ref()
            .map_or_else(catalog::score::Lexicon::builtin_stamp, |l| {
                l.stamp().to_string()
            });
        if let Some(note) = store.stale_scores(&current).ok().flatten() {
            eprintln!("warning: {}", catalog::sanitize::clean_line(&note, 400));
        }
    }
    Ok(Catalog::from_parts(store, index, lexicon))
}

fn warn_if_stale(store: &Store, stale_days: u32) {
    // Age of the last complete sync (a partial or failed run did not refresh everything).
    let last = store
        .last_complete_sync()
        .ok()
        .flatten()
        .map(|t| t.0)
        .or_else(|| {
            let modified = std::fs::metadata(store.path()).ok()?.modified().ok()?;
            Some(chrono::DateTime::<chrono::Utc>::from(modified))
        });
    if let Some(last) = last {
        let age = chrono::Utc::now().signed_duration_since(last);
        if age.num_days() >= i64::from(stale_days) {
            eprintln!(
                "warning: the catalog was last synced {} days ago ({}); run `catalog sync` to refresh it",
                age.num_days(),
                last.format("%Y-%m-%d")
            );
        }
    }
}

fn unit_interval(name: &str, v: Option<f64>) -> anyhow::Result<Option<f64>> {
    match v {
        Some(x) if !(0.0..=1.0).contains(&x) => {
            Err(UsageError(format!("{name} must be between 0 and 1 (got {x})")).into())
        }
        other => Ok(other),
    }
}

/// Validates filter flags into search filters and weights.
pub(crate) fn build_filters(args: &FilterArgs) -> anyhow::Result<(QueryFilters, Weights)> {
    for (name, v) in [
        ("--min-turns", args.min_turns),
        ("--max-turns", args.max_turns),
    ] {
        if v.is_some_and(|x| !x.is_finite() || x < 0.0) {
            return Err(UsageError(format!("{name} must be a non-negative number")).into());
        }
    }
    if let (Some(lo), Some(hi)) = (args.min_turns, args.max_turns) {
        if lo > hi {
            return Err(UsageError(format!("--min-turns {lo} is above --max-turns {hi}")).into());
        }
    }
    let updated_since = match &args.updated_since {
        Some(date) => Some(
            chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
                .map_err(|_| {
                    UsageError(format!(
                        "--updated-since `{date}` is not a date like 2025-01-31"
                    ))
                })?
                .and_hms_opt(0, 0, 0)
                .map(|d| d.and_utc().timestamp())
                .unwrap_or(0),
        ),
        None => None,
    };
    let weights = match &args.weights {
        Some(spec) => Weights::default()
            .with_overrides(spec)
            .map_err(|e| UsageError(format!("--weights: {e}")))?,
        None => Weights::default(),
    };
    let has_text = args.text.as_deref().is_some_and(|t| !t.trim().is_empty());
    if !has_text && weights.total(false) <= 0.0 {
        return Err(UsageError(
            "--weights leave only `match`, but there is no query TEXT to match; give TEXT or a non-zero weight".into(),
        )
        .into());
    }
    let format = args.format.map(|f| match f {
        FormatArg::MultiTurn => ConversationFormat::MultiTurn,
        FormatArg::MediumTurn => ConversationFormat::MediumTurn,
        FormatArg::ShortTurn => ConversationFormat::ShortTurn,
        FormatArg::SingleTurn => ConversationFormat::SingleTurn,
    });
    let filters = QueryFilters {
        min_turns: args.min_turns,
        max_turns: args.max_turns,
        format,
        min_quality: unit_interval("--min-quality", args.min_quality)?,
        min_relevance: unit_interval("--min-relevance", args.min_relevance)?,
        licenses: args
            .licenses
            .iter()
            .map(|l| l.trim().to_lowercase())
            .collect(),
        languages: args
            .languages
            .iter()
            .map(|l| l.trim().to_lowercase())
            .collect(),
        updated_since,
        include_unknown_turns: args.include_unknown_turns,
        kind: args.kind.map(|k| match k {
            super::args::KindArg::CounselingConversation => DatasetKind::CounselingConversation,
            super::args::KindArg::MentalHealthText => DatasetKind::MentalHealthText,
            super::args::KindArg::Other => DatasetKind::Other,
        }),
    };
    Ok((filters, weights))
}

/// A validated query: the text, its filters and its weights (built once per command).
pub(crate) struct RankedQuery<'a> {
    text: &'a str,
    filters: QueryFilters,
    weights: Weights,
}

impl<'a> RankedQuery<'a> {
    /// Validates the filter flags.
    pub(crate) fn new(args: &'a FilterArgs) -> anyhow::Result<RankedQuery<'a>> {
        let (filters, weights) = build_filters(args)?;
        Ok(RankedQuery {
            text: args.text.as_deref().unwrap_or(""),
            filters,
            weights,
        })
    }

    /// Runs the query and returns (total matches, records of the page, best first). With
    /// `collapse`, each family of copies shows once (see [`catalog::api::Catalog::query`]).
    pub(crate) fn records(
        &self,
        catalog: &Catalog,
        offset: usize,
        limit: usize,
        explain: bool,
        collapse: bool,
    ) -> anyhow::Result<(usize, Vec<ExportRecord>)> {
        let page = catalog.query(
            self.text,
            &self.filters,
            &self.weights,
            offset,
            limit,
            explain,
            collapse,
        )?;
        Ok((page.total, page.records))
    }
}

fn terminal_width() -> usize {
    terminal_size::terminal_size()
        .map(|(w, _)| usize::from(w.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(120)
        .clamp(60, 400)
}

/// Runs `catalog query`.
pub fn run_query(
    config: &Config,
    args: QueryArgs,
    quiet: bool,
    color: super::ColorChoice,
) -> anyhow::Result<ExitCode> {
    let query = RankedQuery::new(&args.filters)?;
    let catalog = open_catalog(config, &args.filters, quiet)?;
    let (total, records) = query.records(
        &catalog,
        args.offset,
        args.limit,
        args.explain,
        !args.all_copies,
    )?;
    let mut out = std::io::stdout().lock();
    match args.output {
        OutputFormat::Table if records.is_empty() => {
            let hint = if query.filters.has_turn_filter() && !args.filters.include_unknown_turns {
                " (datasets with unknown turns are excluded by turn filters; add --include-unknown-turns)"
            } else {
                ""
            };
            writeln!(out, "No matching datasets{hint}.")?;
        }
        OutputFormat::Table => {
            let color = color.enabled(std::io::stdout().is_terminal());
            let text = args.filters.text.as_deref().unwrap_or("");
            write!(
                out,
                "{}",
                table::render(&records, args.offset, text, terminal_width(), color)
            )?;
            if args.explain {
                writeln!(out, "\nweights: {}", serde_json::to_string(&query.weights)?)?;
                for (i, r) in records.iter().enumerate() {
                    write!(out, "{}", explain_block(args.offset + i + 1, r))?;
                }
            }
            if !quiet {
                eprintln!("{} of {total} matching datasets", records.len());
            }
        }
        OutputFormat::Json => writeln!(
            out,
            "{}",
            json_terminal_safe(serde_json::to_string_pretty(&records)?)
        )?,
        OutputFormat::Jsonl => {
            for r in &records {
                writeln!(out, "{}", json_terminal_safe(serde_json::to_string(r)?))?;
            }
        }
        OutputFormat::Csv => write!(out, "{}", csv::render(&records))?,
    }
    out.flush()?;
    // The process ends after this answer: unmapping the index's files and closing the
    // read-only catalog one by one cost more than the kernel's teardown at exit.
    std::mem::forget(catalog);
    Ok(ExitCode::SUCCESS)
}

fn explain_block(rank: usize, r: &ExportRecord) -> String {
    use catalog::sanitize::clean_line;
    let mut s = format!(
        "\n#{rank} {}  score {:.3}\n",
        clean_line(&r.id, 100),
        r.score.unwrap_or(0.0)
    );
    if let Some(f) = &r.factors {
        s.push_str(&format!(
            "  factors: match {} (bm25 {:.2})  quality {:.3}  relevance {:.3}  turns {:.3}  popularity {:.3}\n",
            f.text_match.map(|m| format!("{m:.3}")).unwrap_or_else(|| "n/a".into()),
            f.bm25,
            f.quality,
            f.relevance,
            f.turns,
            f.popularity
        ));
    }
    if !r.matched_terms.is_empty() {
        let terms: Vec<String> = r
            .matched_terms
            .iter()
            .take(12)
            .map(|t| clean_line(t, 60))
            .collect();
        s.push_str(&format!("  matched: {}\n", terms.join(", ")));
    }
    if !r.modalities.is_empty() {
        s.push_str(&format!(
            "  modalities: {}\n",
            clean_line(&r.modalities.join(", "), 200)
        ));
    }
    s.push_str(&format!("  kind: {}\n", r.kind));
    if let Some(b) = &r.relevance_breakdown {
        s.push_str(&format!(
            "  relevance evidence: {}\n",
            clean_line(&relevance_evidence(b), 400)
        ));
    }
    if let Some(q) = &r.quality_breakdown {
        s.push_str(&format!("  quality: {}\n", clean_line(&q.to_string(), 300)));
    }
    s.push_str(&format!(
        "  turns: {} ({})\n",
        table::turns_cell(r),
        r.turns_source
            .as_deref()
            .or(r.turns_status.as_deref())
            .unwrap_or("not sampled")
    ));
    s
}

/// `topic 0.93, conversation 0.63 (structure: conversation layout in the rows), not
/// conversation 0.00, negatives: …` from a relevance breakdown.
pub(crate) fn relevance_evidence(breakdown: &serde_json::Value) -> String {
    let c = &breakdown["components"];
    let number = |k: &str| c[k].as_f64().unwrap_or(0.0);
    let negatives: Vec<String> = breakdown["negatives"]
        .as_array()
        .into_iter()
        .flatten()
        .take(6)
        .filter_map(|n| {
            Some(format!(
                "{} ({})",
                n.get("term")?.as_str()?,
                n.get("field")?.as_str()?
            ))
        })
        .collect();
    format!(
        "topic {:.2}, conversation form {:.2}, non-conversation {:.2}, format ×{:.2}, negative ×{:.2}{}",
        number("domain"),
        number("conversational"),
        number("non_conversational"),
        number("format_factor"),
        number("negative_factor"),
        if negatives.is_empty() {
            String::new()
        } else {
            format!("; against: {}", negatives.join(", "))
        }
    )
}

/// Runs `catalog export`.
pub fn run_export(config: &Config, args: ExportArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let query = RankedQuery::new(&args.filters)?;
    let catalog = open_catalog(config, &args.filters, quiet)?;
    let limit = args.limit.unwrap_or(usize::MAX / 2);
    let (_, records) = query.records(&catalog, 0, limit, false, args.collapse)?;
    let body = match args.output {
        ExportFormat::Json => serde_json::to_string_pretty(&records)? + "\n",
        ExportFormat::Jsonl => {
            records
                .iter()
                .map(serde_json::to_string)
                .collect::<Result<Vec<_>, _>>()?
                .join("\n")
                + if records.is_empty() { "" } else { "\n" }
        }
        ExportFormat::Csv => csv::render(&records),
    };
    write_atomically(&args.out, body.as_bytes())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    if !quiet {
        eprintln!(
            "exported {} datasets to {}",
            records.len(),
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `catalog report`.
pub fn run_report(config: &Config, args: ReportArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    use catalog::output::{html, report};
    // A therapy report: datasets below the relevance threshold (gene therapy, customer support...)
    // are left out unless --min-relevance says otherwise.
    let mut filters = args.filters.clone();
    filters.min_relevance = filters
        .min_relevance
        .or(Some(catalog::score::DEFAULT_THRESHOLD));
    let query = RankedQuery::new(&filters)?;
    let catalog = open_catalog(config, &filters, quiet)?;
    let (_, records) = query.records(&catalog, 0, args.limit, false, false)?;
    let counts = catalog
        .store
        .counts(catalog::score::SAMPLING_RELEVANCE_FLOOR)?;
    let filters_description = describe_filters(&filters);
    let input = report::ReportInput {
        records: &records,
        query: filters.text.as_deref().unwrap_or(""),
        filters_description: &filters_description,
        generated_at: chrono::Utc::now(),
        catalog_size: counts.present,
    };
    let summary = report::summarize(&input);
    match &args.html {
        Some(path) => {
            let page = html::render_html(&input, &summary);
            write_atomically(path, page.as_bytes())
                .with_context(|| format!("cannot write {}", path.display()))?;
            if !quiet {
                eprintln!("wrote {}", path.display());
            }
        }
        None => write!(
            std::io::stdout().lock(),
            "{}",
            report::render_text(&input, &summary)
        )?,
    }
    Ok(ExitCode::SUCCESS)
}

fn describe_filters(f: &FilterArgs) -> String {
    let mut parts = Vec::new();
    if let Some(v) = f.min_turns {
        parts.push(format!("min turns {v}"));
    }
    if let Some(v) = f.max_turns {
        parts.push(format!("max turns {v}"));
    }
    if let Some(v) = f.format {
        parts.push(format!("format {v:?}"));
    }
    if let Some(v) = f.min_quality {
        parts.push(format!("min quality {v}"));
    }
    if let Some(v) = f.min_relevance {
        parts.push(format!("min relevance {v}"));
    }
    if let Some(kind) = f.kind {
        use clap::ValueEnum;
        let name = kind.to_possible_value().map(|v| v.get_name().to_string());
        parts.push(format!("kind {}", name.unwrap_or_default()));
    }
    if !f.licenses.is_empty() {
        parts.push(format!("licence {}", f.licenses.join("|")));
    }
    if !f.languages.is_empty() {
        parts.push(format!("language {}", f.languages.join("|")));
    }
    if let Some(v) = &f.updated_since {
        parts.push(format!("updated since {v}"));
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join(", ")
    }
}
