//! `therapy_catalog._engine`: the catalog engine for Python. Thin on purpose: queries, reports
//! and syncs run in the Rust engine ([`catalog::api`]); records cross as JSON (the same records
//! `catalog export` writes) and the `therapy_catalog` package builds the original tool's API on
//! top. The GIL is released while the engine works.

use catalog::api::{sync_blocking, ApiError, Catalog, SyncEnd, SyncHttp};
use catalog::config::Config;
use catalog::score::DatasetKind;
use catalog::search::{QueryFilters, Weights};
use catalog::turns::ConversationFormat;
use pyo3::create_exception;
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::Duration;

create_exception!(
    _engine,
    CatalogNotFoundError,
    pyo3::exceptions::PyFileNotFoundError
);
create_exception!(_engine, CatalogError, PyRuntimeError);
create_exception!(_engine, StaleScoresWarning, pyo3::exceptions::PyUserWarning);

fn config(data_dir: Option<&str>, hub_url: Option<&str>, viewer_url: Option<&str>) -> Config {
    Config::from_process_env(data_dir.map(Path::new), hub_url, viewer_url)
}

/// Engine errors as Python exceptions: a missing catalog or index is `CatalogNotFoundError`
/// (its message says to run a sync and names the data dir).
fn to_py(error: ApiError, data_dir: &Path) -> PyErr {
    use catalog::search::SearchError;
    use catalog::store::StoreError;
    match &error {
        ApiError::Store(StoreError::Missing(_))
        | ApiError::Search(SearchError::Missing(_) | SearchError::Outdated(_)) => {
            CatalogNotFoundError::new_err(format!(
                "{error} (data dir {}: run therapy_catalog.sync() or `catalog sync` first)",
                data_dir.display()
            ))
        }
        _ => CatalogError::new_err(error.to_string()),
    }
}

fn number(v: &Value, key: &str) -> PyResult<Option<f64>> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(x) => x
            .as_f64()
            .filter(|f| f.is_finite())
            .map(Some)
            .ok_or_else(|| PyValueError::new_err(format!("{key} must be a number"))),
    }
}

fn unit(v: &Value, key: &str) -> PyResult<Option<f64>> {
    let n = number(v, key)?;
    if n.is_some_and(|n| !(0.0..=1.0).contains(&n)) {
        return Err(PyValueError::new_err(format!(
            "{key} must be between 0 and 1"
        )));
    }
    Ok(n)
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    match v.get(key) {
        Some(Value::String(s)) => vec![s.trim().to_lowercase()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(|s| s.trim().to_lowercase())
            .collect(),
        _ => Vec::new(),
    }
}

/// The filters of a JSON object: `min_turns`, `max_turns`, `conversation_format`, `min_quality`,
/// `min_relevance`, `licenses`, `languages`, `kind`, `include_unknown_turns`.
fn filters(json: &str) -> PyResult<QueryFilters> {
    let v: Value = serde_json::from_str(json).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let format = match v.get("conversation_format").and_then(Value::as_str) {
        None => None,
        Some(name) => Some(
            name.parse::<ConversationFormat>()
                .map_err(|e| PyValueError::new_err(e.to_string()))?,
        ),
    };
    let kind = match v.get("kind").and_then(Value::as_str) {
        None => None,
        Some(name) => Some(DatasetKind::from_name(name).ok_or_else(|| {
            PyValueError::new_err(format!(
                "unknown kind `{name}` (known: counseling_conversation, mental_health_text, other)"
            ))
        })?),
    };
    for key in ["min_turns", "max_turns"] {
        if number(&v, key)?.is_some_and(|n| n < 0.0) {
            return Err(PyValueError::new_err(format!("{key} must not be negative")));
        }
    }
    Ok(QueryFilters {
        min_turns: number(&v, "min_turns")?,
        max_turns: number(&v, "max_turns")?,
        format,
        min_quality: unit(&v, "min_quality")?,
        min_relevance: unit(&v, "min_relevance")?,
        licenses: strings(&v, "licenses"),
        languages: strings(&v, "languages"),
        updated_since: None,
        include_unknown_turns: v
            .get("include_unknown_turns")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        kind,
    })
}

/// The data dir the engine uses (`data_dir`, else `CATALOG_DIR`, else the OS data dir).
#[pyfunction]
#[pyo3(signature = (data_dir=None))]
fn resolve_data_dir(data_dir: Option<&str>) -> String {
    config(data_dir, None, None)
        .data_dir
        .value
        .display()
        .to_string()
}

/// A ranked query: JSON records (the `catalog export` shape), best first.
#[pyfunction]
#[pyo3(signature = (text, filters_json, weights=None, offset=0, limit=50, collapse=false, data_dir=None))]
#[allow(clippy::too_many_arguments)]
fn query(
    py: Python<'_>,
    text: &str,
    filters_json: &str,
    weights: Option<&str>,
    offset: usize,
    limit: usize,
    collapse: bool,
    data_dir: Option<&str>,
) -> PyResult<String> {
    let filters = filters(filters_json)?;
    let weights = Weights::default()
        .with_overrides(weights.unwrap_or(""))
        .map_err(PyValueError::new_err)?;
    if limit == 0 {
        return Err(PyValueError::new_err("limit must be at least 1"));
    }
    let dir: PathBuf = config(data_dir, None, None).data_dir.value;
    let text = text.to_string();
    let result = py.allow_threads(|| -> Result<(String, Option<String>), ApiError> {
        let catalog = Catalog::open(&dir)?;
        let page = catalog.query(&text, &filters, &weights, offset, limit, false, collapse)?;
        let json =
            serde_json::to_string(&page.records).map_err(|e| ApiError::Runtime(e.to_string()))?;
        // A stamp that cannot be read is no reason to fail the query.
        Ok((json, catalog.stale_scores().ok().flatten()))
    });
    let (json, stale) = result.map_err(|e| to_py(e, &dir))?;
    if let Some(note) = stale {
        warn_stale_scores(py, &note)?;
    }
    Ok(json)
}

/// Warns (`therapy_catalog.StaleScoresWarning`, a `UserWarning`) that the catalog's scores
/// were computed by another scorer, as `catalog query` does on stderr.
fn warn_stale_scores(py: Python<'_>, note: &str) -> PyResult<()> {
    let text = catalog::sanitize::clean_line(note, 400);
    let message = std::ffi::CString::new(text.replace('\0', ""))
        .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    PyErr::warn(py, &py.get_type::<StaleScoresWarning>(), &message, 1)
}

/// The text report of JSON records.
#[pyfunction]
#[pyo3(signature = (records_json, query="", filters_description="", data_dir=None))]
fn report(
    records_json: &str,
    query: &str,
    filters_description: &str,
    data_dir: Option<&str>,
) -> PyResult<String> {
    use catalog::output::report::{render_text, summarize, ReportInput};
    let records: Vec<catalog::output::record::ExportRecord> =
        serde_json::from_str(records_json).map_err(|e| PyValueError::new_err(e.to_string()))?;
    let dir = config(data_dir, None, None).data_dir.value;
    let catalog_size = catalog::store::Store::open_read_only(&dir.join("catalog.sqlite3"))
        .and_then(|s| s.counts(catalog::score::SAMPLING_RELEVANCE_FLOOR))
        .map(|c| c.present)
        .unwrap_or(records.len() as i64);
    let input = ReportInput {
        records: &records,
        query,
        filters_description: if filters_description.is_empty() {
            "none"
        } else {
            filters_description
        },
        generated_at: chrono::Utc::now(),
        catalog_size,
    };
    Ok(render_text(&input, &summarize(&input)))
}

/// Runs a sync (the same as `catalog sync`): progress on stderr, Ctrl-C raises
/// `KeyboardInterrupt` with the catalog intact. Returns the JSON counters and status.
#[pyfunction]
#[pyo3(signature = (quick=false, full=false, data_dir=None, hub_url=None, viewer_url=None, max_requests=None, no_samples=false, quiet=false, retry_base_ms=None))]
#[allow(clippy::too_many_arguments)]
fn sync(
    py: Python<'_>,
    quick: bool,
    full: bool,
    data_dir: Option<&str>,
    hub_url: Option<&str>,
    viewer_url: Option<&str>,
    max_requests: Option<u64>,
    no_samples: bool,
    quiet: bool,
    retry_base_ms: Option<u64>,
) -> PyResult<String> {
    if quick && full {
        return Err(PyValueError::new_err("quick and full are exclusive"));
    }
    let config = config(data_dir, hub_url, viewer_url);
    let options = catalog::sync::SyncOptions {
        choice: if quick {
            catalog::sync::PassChoice::Quick
        } else if full {
            catalog::sync::PassChoice::Full
        } else {
            catalog::sync::PassChoice::Auto
        },
        no_samples,
        ..Default::default()
    };
    let http = SyncHttp {
        backoff_base: retry_base_ms.map_or(config.retry_backoff_base, Duration::from_millis),
        max_requests,
        ..SyncHttp::default()
    };
    let dir = config.data_dir.value.clone();
    let ended = py.allow_threads(|| {
        let lexicon = catalog::score::Lexicon::builtin().map_err(ApiError::from)?;
        let progress = catalog::progress::Progress::for_stderr(quiet, false);
        sync_blocking(&config, lexicon, &options, &http, progress)
    });
    match ended.map_err(|e| to_py(e, &dir))? {
        SyncEnd::Finished(outcome) => {
            let mut counters = serde_json::to_value(&outcome.counters)
                .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
            counters["status"] = Value::String(outcome.status.as_str().to_string());
            Ok(counters.to_string())
        }
        SyncEnd::Interrupted => Err(PyKeyboardInterrupt::new_err(
            "sync interrupted: the catalog is intact; sync again to resume",
        )),
    }
}

/// The native module.
#[pymodule]
fn _engine(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add(
        "CatalogNotFoundError",
        m.py().get_type::<CatalogNotFoundError>(),
    )?;
    m.add("CatalogError", m.py().get_type::<CatalogError>())?;
    m.add(
        "StaleScoresWarning",
        m.py().get_type::<StaleScoresWarning>(),
    )?;
    m.add_function(wrap_pyfunction!(resolve_data_dir, m)?)?;
    m.add_function(wrap_pyfunction!(query, m)?)?;
    m.add_function(wrap_pyfunction!(report, m)?)?;
    m.add_function(wrap_pyfunction!(sync, m)?)?;
    Ok(())
}
