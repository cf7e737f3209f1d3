//! Dataset-viewer routes (contract §4): `/splits`, `/first-rows`, `/rows`, `/size`, `/is-valid`,
//! `/statistics`.
//! Each validates its parameters (422), then access (401 anonymous / 404 with a token for an
//! unknown or private dataset), then a forced error, then serves the stored data.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::codec::{first, parse_query};
use super::hub_api::{bearer_token, is_private};
use super::state::{lock, HubState, Shared};
use super::viewer_data::{
    ViewerCapabilities, ViewerDataset, ViewerEndpoint, ViewerError, ViewerSplit,
};

/// `/first-rows` returns at most this many rows, and `/rows` accepts at most this `length`.
const MAX_ROWS_PER_PAGE: usize = 100;
/// `/first-rows` drops rows beyond this serialised size (worker `FIRST_ROWS_MAX_BYTES`)...
const FIRST_ROWS_MAX_BYTES: usize = 1_000_000;
/// ...but always keeps at least this many.
const FIRST_ROWS_MIN_ROWS: usize = 10;

/// `GET /splits?dataset=[&config=]`.
pub(crate) async fn splits(State(shared): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let query = parse_query(uri.query().unwrap_or(""));
    respond(|| {
        let dataset = required_dataset(&query)?;
        let state = lock(&shared);
        let data = viewer_data(&state, dataset, &headers, ViewerEndpoint::Splits)?;
        let config = first(&query, "config");
        let listed: Vec<Value> = data
            .splits
            .iter()
            .filter(|split| config.is_none_or(|wanted| split.config == wanted))
            .map(|split| json!({"dataset": dataset, "config": split.config, "split": split.split}))
            .collect();
        if listed.is_empty() && config.is_some() {
            return Err(ViewerError::not_found());
        }
        Ok(json!({"splits": listed, "pending": [], "failed": []}))
    })
}

/// `GET /first-rows?dataset=&config=&split=`: up to 100 rows, configured columns cut.
pub(crate) async fn first_rows(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = parse_query(uri.query().unwrap_or(""));
    respond(|| {
        let (dataset, config, split_name) = required_split(&query)?;
        let state = lock(&shared);
        let data = viewer_data(&state, dataset, &headers, ViewerEndpoint::FirstRows)?;
        let split = data
            .split(config, split_name)
            .ok_or_else(ViewerError::not_found)?;
        let mut rows = Vec::new();
        let mut total_bytes = 0;
        let mut trimmed_for_size = false;
        for (row_idx, row) in split.rows.iter().take(MAX_ROWS_PER_PAGE).enumerate() {
            let (row, truncated_cells) = cut_cells(row, &split.truncated_columns);
            let entry = json!({"row_idx": row_idx, "row": row, "truncated_cells": truncated_cells});
            total_bytes += entry.to_string().len();
            if total_bytes > FIRST_ROWS_MAX_BYTES && rows.len() >= FIRST_ROWS_MIN_ROWS {
                trimmed_for_size = true;
                break;
            }
            rows.push(entry);
        }
        let returned = u64::try_from(rows.len()).unwrap_or(u64::MAX);
        Ok(json!({
            "dataset": dataset,
            "config": config,
            "split": split_name,
            "features": features_json(split),
            "rows": rows,
            "truncated": trimmed_for_size || returned < split.total_rows(),
        }))
    })
}

/// `GET /rows?dataset=&config=&split=&offset=&length=`: a page of whole rows.
pub(crate) async fn rows(State(shared): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let query = parse_query(uri.query().unwrap_or(""));
    respond(|| {
        let (dataset, config, split_name) = required_split(&query)?;
        let offset = non_negative(&query, "offset", 0)?;
        let length = non_negative(&query, "length", MAX_ROWS_PER_PAGE)?;
        if length > MAX_ROWS_PER_PAGE {
            return Err(invalid_parameter(
                "Parameter 'length' must not be greater than 100",
            ));
        }
        let state = lock(&shared);
        let data = viewer_data(&state, dataset, &headers, ViewerEndpoint::Rows)?;
        let split = data
            .split(config, split_name)
            .ok_or_else(ViewerError::not_found)?;
        let page: Vec<Value> = split
            .rows
            .iter()
            .enumerate()
            .skip(offset)
            .take(length)
            .map(|(row_idx, row)| json!({"row_idx": row_idx, "row": row, "truncated_cells": []}))
            .collect();
        Ok(json!({
            "features": features_json(split),
            "rows": page,
            "num_rows_total": split.total_rows(),
            "num_rows_per_page": MAX_ROWS_PER_PAGE,
            "partial": data.partial,
        }))
    })
}

/// `GET /statistics?dataset=&config=&split=`: the split's stored statistics body.
pub(crate) async fn statistics(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = parse_query(uri.query().unwrap_or(""));
    respond(|| {
        let (dataset, config, split_name) = required_split(&query)?;
        let state = lock(&shared);
        let data = viewer_data(&state, dataset, &headers, ViewerEndpoint::Statistics)?;
        data.split(config, split_name)
            .and_then(|split| split.statistics.clone())
            .ok_or_else(ViewerError::not_found)
    })
}

/// `GET /size?dataset=[&config=]`.
pub(crate) async fn size(State(shared): State<Shared>, uri: Uri, headers: HeaderMap) -> Response {
    let query = parse_query(uri.query().unwrap_or(""));
    respond(|| {
        let dataset = required_dataset(&query)?;
        let state = lock(&shared);
        let data = viewer_data(&state, dataset, &headers, ViewerEndpoint::Size)?;
        let wanted_config = first(&query, "config");
        let mut config_names: Vec<&str> = Vec::new();
        for split in &data.splits {
            if !config_names.contains(&split.config.as_str())
                && wanted_config.is_none_or(|w| w == split.config)
            {
                config_names.push(&split.config);
            }
        }
        if let Some(config) = wanted_config {
            if config_names.is_empty() {
                return Err(ViewerError::not_found());
            }
            let splits: Vec<&ViewerSplit> =
                data.splits.iter().filter(|s| s.config == config).collect();
            return Ok(json!({
                "size": {"config": config_size(dataset, config, &splits), "splits": split_sizes(dataset, &splits)},
                "partial": data.partial,
            }));
        }
        let configs: Vec<Value> = config_names
            .iter()
            .map(|name| {
                let splits: Vec<&ViewerSplit> =
                    data.splits.iter().filter(|s| s.config == *name).collect();
                config_size(dataset, name, &splits)
            })
            .collect();
        let sum = |key: &str| configs.iter().filter_map(|c| c[key].as_u64()).sum::<u64>();
        let all_splits: Vec<&ViewerSplit> = data.splits.iter().collect();
        Ok(json!({
            "size": {
                "dataset": {
                    "dataset": dataset,
                    "num_bytes_original_files": sum("num_bytes_original_files"),
                    "num_bytes_parquet_files": sum("num_bytes_parquet_files"),
                    "num_bytes_memory": sum("num_bytes_memory"),
                    "num_rows": sum("num_rows"),
                    "estimated_num_rows": null,
                },
                "configs": configs,
                "splits": split_sizes(dataset, &all_splits),
            },
            "pending": [],
            "failed": [],
            "partial": data.partial,
        }))
    })
}

/// `GET /is-valid?dataset=`: the capabilities; all false when the Hub knows the dataset but
/// the viewer has nothing for it.
pub(crate) async fn is_valid(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let query = parse_query(uri.query().unwrap_or(""));
    respond(|| {
        let dataset = required_dataset(&query)?;
        let state = lock(&shared);
        match access(&state, dataset, &headers)? {
            None => Ok(ViewerCapabilities::none().to_json()),
            Some(data) => match data.error_for(ViewerEndpoint::IsValid) {
                Some(error) => Err(error.clone()),
                None => Ok(data.capabilities.to_json()),
            },
        }
    })
}

/// Any other path outside `/api`.
pub(crate) async fn viewer_not_found() -> Response {
    error_response(&ViewerError::not_found())
}

fn respond(build: impl FnOnce() -> Result<Value, ViewerError>) -> Response {
    match build() {
        Ok(body) => Json(body).into_response(),
        Err(error) => error_response(&error),
    }
}

fn error_response(error: &ViewerError) -> Response {
    let status = StatusCode::from_u16(error.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(error.body())).into_response();
    if let Ok(code) = HeaderValue::from_str(&error.code) {
        response.headers_mut().insert("x-error-code", code);
    }
    response
}

/// The dataset's viewer data, or the error the viewer answers instead.
fn viewer_data<'a>(
    state: &'a HubState,
    dataset: &str,
    headers: &HeaderMap,
    endpoint: ViewerEndpoint,
) -> Result<&'a ViewerDataset, ViewerError> {
    let data = access(state, dataset, headers)?.ok_or_else(ViewerError::not_found)?;
    match data.error_for(endpoint) {
        Some(error) => Err(error.clone()),
        None => Ok(data),
    }
}

/// `Ok(Some)` with viewer data, `Ok(None)` when only the Hub knows the dataset, `Err` when the
/// caller may not see it (unknown, or private without a token).
fn access<'a>(
    state: &'a HubState,
    dataset: &str,
    headers: &HeaderMap,
) -> Result<Option<&'a ViewerDataset>, ViewerError> {
    let authenticated = bearer_token(headers).is_some();
    let hub_item = state.dataset(dataset);
    if hub_item.is_some_and(is_private) && !authenticated {
        return Err(ViewerError::unauthenticated());
    }
    match (hub_item, state.viewer.get(dataset)) {
        (_, Some(data)) => Ok(Some(data)),
        (Some(_), None) => Ok(None),
        (None, None) if authenticated => Err(ViewerError::not_accessible_with_token()),
        (None, None) => Err(ViewerError::unauthenticated()),
    }
}

fn required_dataset(query: &[(String, String)]) -> Result<&str, ViewerError> {
    first(query, "dataset")
        .filter(|value| !value.is_empty())
        .ok_or_else(|| missing_parameter("Parameter 'dataset' is required"))
}

fn required_split(query: &[(String, String)]) -> Result<(&str, &str, &str), ViewerError> {
    let dataset = required_dataset(query)?;
    let config = first(query, "config").filter(|value| !value.is_empty());
    let split = first(query, "split").filter(|value| !value.is_empty());
    match (config, split) {
        (Some(config), Some(split)) => Ok((dataset, config, split)),
        _ => Err(missing_parameter(
            "Parameters 'config' and 'split' are required",
        )),
    }
}

fn non_negative(
    query: &[(String, String)],
    name: &str,
    default: usize,
) -> Result<usize, ViewerError> {
    let Some(text) = first(query, name) else {
        return Ok(default);
    };
    let value: i64 = text
        .parse()
        .map_err(|_| invalid_parameter(&format!("Parameter '{name}' must be an integer")))?;
    usize::try_from(value)
        .map_err(|_| invalid_parameter(&format!("Parameter '{name}' must be positive")))
}

fn missing_parameter(message: &str) -> ViewerError {
    ViewerError::new(422, "MissingRequiredParameter", message)
}

fn invalid_parameter(message: &str) -> ViewerError {
    ViewerError::new(422, "InvalidParameter", message)
}

fn features_json(split: &ViewerSplit) -> Vec<Value> {
    split
        .features
        .iter()
        .enumerate()
        .map(|(feature_idx, feature)| {
            json!({"feature_idx": feature_idx, "name": feature.name, "type": feature.feature_type})
        })
        .collect()
}

/// Stringifies (JSON for non-strings) and cuts the configured columns' cells longer than their
/// limit; returns the row and the names of the cut columns.
fn cut_cells(row: &Value, truncated_columns: &[(String, usize)]) -> (Value, Vec<String>) {
    let mut row = row.clone();
    let mut cut_columns = Vec::new();
    for (column, max_chars) in truncated_columns {
        let Some(cell) = row.get_mut(column.as_str()) else {
            continue;
        };
        let text = match &*cell {
            Value::String(text) => text.clone(),
            other => other.to_string(),
        };
        if text.chars().count() > *max_chars {
            *cell = Value::String(text.chars().take(*max_chars).collect());
            cut_columns.push(column.clone());
        }
    }
    (row, cut_columns)
}

/// Deterministic byte sizes derived from the stored rows, scaled to the declared row count.
struct SplitBytes {
    memory: u64,
    parquet: u64,
    original: u64,
}

fn split_bytes(split: &ViewerSplit) -> SplitBytes {
    let stored: u64 = split
        .rows
        .iter()
        .map(|row| row.to_string().len() as u64)
        .sum();
    let stored_rows = split.rows.len() as u64;
    let memory = stored
        .checked_div(stored_rows)
        .map_or(0, |per_row| per_row.saturating_mul(split.total_rows()));
    SplitBytes {
        memory,
        parquet: memory * 2 / 5,
        original: memory * 3 / 5,
    }
}

fn split_sizes(dataset: &str, splits: &[&ViewerSplit]) -> Vec<Value> {
    splits
        .iter()
        .map(|split| {
            let bytes = split_bytes(split);
            json!({
                "dataset": dataset,
                "config": split.config,
                "split": split.split,
                "num_bytes_parquet_files": bytes.parquet,
                "num_bytes_memory": bytes.memory,
                "num_rows": split.total_rows(),
                "num_columns": split.features.len(),
                "estimated_num_rows": null,
            })
        })
        .collect()
}

fn config_size(dataset: &str, config: &str, splits: &[&ViewerSplit]) -> Value {
    let bytes: Vec<SplitBytes> = splits.iter().map(|split| split_bytes(split)).collect();
    json!({
        "dataset": dataset,
        "config": config,
        "num_bytes_original_files": bytes.iter().map(|b| b.original).sum::<u64>(),
        "num_bytes_parquet_files": bytes.iter().map(|b| b.parquet).sum::<u64>(),
        "num_bytes_memory": bytes.iter().map(|b| b.memory).sum::<u64>(),
        "num_rows": splits.iter().map(|split| split.total_rows()).sum::<u64>(),
        "num_columns": splits.iter().map(|split| split.features.len()).max().unwrap_or(0),
        "estimated_num_rows": null,
    })
}
