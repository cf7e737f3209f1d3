//! What the fake dataset viewer serves for one dataset: its splits (rows + features), the
//! `/is-valid` capabilities, and errors forced per endpoint. Error constructors carry the
//! recorded error bodies of the viewer (see `docs/hub-contract.md`).

use serde_json::{json, Map, Value};

/// Viewer data of one dataset, built with [`ViewerDataset::new`] and the `with_*` methods.
#[derive(Clone, Debug, Default)]
pub struct ViewerDataset {
    /// Every `(config, split)`, in the order `/splits` lists them.
    pub splits: Vec<ViewerSplit>,
    /// Errors forced per endpoint; the first matching entry wins.
    pub errors: Vec<(ViewerEndpoint, ViewerError)>,
    /// The `/is-valid` answer.
    pub capabilities: ViewerCapabilities,
    /// The `partial` flag of `/size` and `/rows`.
    pub partial: bool,
}

impl ViewerDataset {
    /// No splits, no errors, every capability on.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a split (config and split names are inside it).
    pub fn with_split(mut self, split: ViewerSplit) -> Self {
        self.splits.push(split);
        self
    }

    /// Makes `endpoint` answer `error` (after parameter validation and the access check).
    pub fn with_error(mut self, endpoint: ViewerEndpoint, error: ViewerError) -> Self {
        self.errors.push((endpoint, error));
        self
    }

    /// The forced error for `endpoint`, if any.
    pub(crate) fn error_for(&self, endpoint: ViewerEndpoint) -> Option<&ViewerError> {
        self.errors
            .iter()
            .find(|(target, _)| *target == endpoint || *target == ViewerEndpoint::Any)
            .map(|(_, error)| error)
    }

    /// The split with these names, if any.
    pub(crate) fn split(&self, config: &str, split: &str) -> Option<&ViewerSplit> {
        self.splits
            .iter()
            .find(|candidate| candidate.config == config && candidate.split == split)
    }
}

/// One split of one config.
#[derive(Clone, Debug)]
pub struct ViewerSplit {
    /// Config (subset) name, e.g. `"default"`.
    pub config: String,
    /// Split name, e.g. `"train"`.
    pub split: String,
    /// Columns as `/first-rows` and `/rows` describe them.
    pub features: Vec<ViewerFeature>,
    /// Row objects (`{"column": cell, ...}`), row_idx = position.
    pub rows: Vec<Value>,
    /// Columns whose cells `/first-rows` stringifies and cuts, with the max length in chars.
    pub truncated_columns: Vec<(String, usize)>,
    /// `num_rows_total` / `/size` `num_rows` when the split is bigger than the stored rows.
    pub num_rows_total: Option<u64>,
    /// The `/statistics` body of this split (`None`: 404 `ResponseNotFound`).
    pub statistics: Option<Value>,
}

impl ViewerSplit {
    /// A split whose features are inferred from the rows (see [`infer_features`]).
    pub fn new(config: &str, split: &str, rows: Vec<Value>) -> Self {
        ViewerSplit {
            config: config.to_string(),
            split: split.to_string(),
            features: infer_features(&rows),
            rows,
            truncated_columns: Vec::new(),
            num_rows_total: None,
            statistics: None,
        }
    }

    /// Sets the `/statistics` body (`{num_examples, statistics: [...], partial}`).
    pub fn with_statistics(mut self, body: Value) -> Self {
        self.statistics = Some(body);
        self
    }

    /// Declares more rows than are stored (e.g. a 1M-row split with 150 stored rows).
    pub fn with_num_rows_total(mut self, total: u64) -> Self {
        self.num_rows_total = Some(total);
        self
    }

    /// The row count the viewer reports.
    pub(crate) fn total_rows(&self) -> u64 {
        self.num_rows_total
            .unwrap_or(u64::try_from(self.rows.len()).unwrap_or(u64::MAX))
    }
}

/// One column: its name and its `datasets` feature type as JSON
/// (e.g. `{"dtype":"string","_type":"Value"}`).
#[derive(Clone, Debug, PartialEq)]
pub struct ViewerFeature {
    /// Column name.
    pub name: String,
    /// The `type` object of `/first-rows` features.
    pub feature_type: Value,
}

impl ViewerFeature {
    /// A column with an explicit type.
    pub fn new(name: &str, feature_type: Value) -> Self {
        ViewerFeature {
            name: name.to_string(),
            feature_type,
        }
    }
}

/// Features of the columns of the first row, in its key order, typed from its cells:
/// strings `Value string`, integers `int64`, floats `float64`, booleans `bool`, arrays `List` of
/// the first element's type, objects a dict of sub-features (how `datasets` serialises structs).
pub fn infer_features(rows: &[Value]) -> Vec<ViewerFeature> {
    let Some(Value::Object(first_row)) = rows.first() else {
        return Vec::new();
    };
    first_row
        .iter()
        .map(|(name, cell)| ViewerFeature::new(name, infer_type(cell)))
        .collect()
}

fn infer_type(cell: &Value) -> Value {
    let scalar = |dtype: &str| json!({"dtype": dtype, "_type": "Value"});
    match cell {
        Value::Null => scalar("null"),
        Value::Bool(_) => scalar("bool"),
        Value::Number(number) if number.is_f64() => scalar("float64"),
        Value::Number(_) => scalar("int64"),
        Value::String(_) => scalar("string"),
        Value::Array(items) => json!({
            "feature": items.first().map_or_else(|| scalar("string"), infer_type),
            "_type": "List"
        }),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(name, value)| (name.clone(), infer_type(value)))
                .collect::<Map<String, Value>>(),
        ),
    }
}

/// The endpoint a forced [`ViewerError`] applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewerEndpoint {
    /// `/splits`
    Splits,
    /// `/first-rows`
    FirstRows,
    /// `/rows`
    Rows,
    /// `/size`
    Size,
    /// `/is-valid`
    IsValid,
    /// `/statistics`
    Statistics,
    /// Every viewer endpoint.
    Any,
}

/// `/is-valid` body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ViewerCapabilities {
    /// `/first-rows` works.
    pub preview: bool,
    /// `/rows` works.
    pub viewer: bool,
    /// `/search` works.
    pub search: bool,
    /// `/filter` works.
    pub filter: bool,
    /// `/statistics` works.
    pub statistics: bool,
}

impl Default for ViewerCapabilities {
    fn default() -> Self {
        ViewerCapabilities::all()
    }
}

impl ViewerCapabilities {
    /// Everything true (`is_valid.json`).
    pub fn all() -> Self {
        Self::from_flags(true, true)
    }

    /// Everything false (`is_valid_no_capabilities.json`).
    pub fn none() -> Self {
        Self::from_flags(false, false)
    }

    fn from_flags(preview: bool, rest: bool) -> Self {
        ViewerCapabilities {
            preview,
            viewer: rest,
            search: rest,
            filter: rest,
            statistics: rest,
        }
    }

    pub(crate) fn to_json(self) -> Value {
        json!({
            "preview": self.preview,
            "viewer": self.viewer,
            "search": self.search,
            "filter": self.filter,
            "statistics": self.statistics,
        })
    }
}

/// A viewer error response: status, `X-Error-Code` header, body `{"error": message, [cause_*]}`.
#[derive(Clone, Debug, PartialEq)]
pub struct ViewerError {
    /// HTTP status.
    pub status: u16,
    /// `X-Error-Code` value.
    pub code: String,
    /// The body's `error`.
    pub message: String,
    /// `cause_exception`, `cause_message`, `cause_traceback` of cached worker errors.
    pub cause: Option<Box<ErrorCause>>,
}

/// The `cause_*` fields of a cached worker error.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorCause {
    /// `cause_exception`
    pub exception: String,
    /// `cause_message`
    pub message: String,
    /// `cause_traceback`
    pub traceback: Vec<String>,
}

const INACCESSIBLE: &str = "The dataset does not exist, or is not accessible without authentication (private or gated). Please check the spelling of the dataset name or retry with authentication.";

impl ViewerError {
    /// Any error.
    pub fn new(status: u16, code: &str, message: &str) -> Self {
        ViewerError {
            status,
            code: code.to_string(),
            message: message.to_string(),
            cause: None,
        }
    }

    /// 500 `ResponseNotReady` — retry later (`error_viewer_500_response_not_ready.json`).
    pub fn response_not_ready() -> Self {
        Self::new(500, "ResponseNotReady", "The server is busier than usual and the response is not ready yet. Please retry later.")
    }

    /// 501 `DatasetInBlockListError` (`error_viewer_501_blocked_dataset.json`).
    pub fn blocked_dataset() -> Self {
        Self::new(501, "DatasetInBlockListError", "The parquet conversion has been disabled for this dataset for now. Please open an issue in https://github.com/huggingface/dataset-viewer if you want this dataset to be supported.")
    }

    /// 401 `ExternalUnauthenticatedError` (`error_viewer_401_unauthenticated.json`).
    pub fn unauthenticated() -> Self {
        Self::new(401, "ExternalUnauthenticatedError", INACCESSIBLE)
    }

    /// 404 `ExternalAuthenticatedError` (`error_viewer_404_dataset_not_accessible.json`).
    pub fn not_accessible_with_token() -> Self {
        Self::new(404, "ExternalAuthenticatedError", INACCESSIBLE)
    }

    /// 404 `ResponseNotFound` (`error_viewer_404_not_found.json`).
    pub fn not_found() -> Self {
        Self::new(404, "ResponseNotFound", "Not found.")
    }

    /// 500 `UnexpectedError` (`error_viewer_500_unexpected.json`).
    pub fn unexpected() -> Self {
        Self::new(500, "UnexpectedError", "Unexpected error.")
    }

    /// 500 `EmptyDatasetError` with cause fields (`error_viewer_500_dataset_error_with_cause.json`).
    pub fn empty_dataset() -> Self {
        Self::new(500, "EmptyDatasetError", "The dataset is empty.").with_cause(ErrorCause {
            exception: "EmptyDatasetError".to_string(),
            message: "The directory at hf://datasets/severo/empty@5db043c2aee5fe0f2118c134de45f7b2e3230fbc doesn't contain any data files".to_string(),
            traceback: vec![
                "Traceback (most recent call last):\n".to_string(),
                "  File \"/src/services/worker/src/worker/job_runners/dataset/config_names.py\", line 56, in compute_config_names_response\n    for config in sorted(get_dataset_config_names(path=dataset, use_auth_token=use_auth_token))\n".to_string(),
                "…[trimmed]".to_string(),
            ],
        })
    }

    /// 500 `StreamingRowsError` from `/first-rows` (`error_viewer_500_first_rows_streaming_error.json`).
    pub fn streaming_rows_error() -> Self {
        Self::new(500, "StreamingRowsError", "Cannot load the dataset split (in streaming mode) to extract the first rows.").with_cause(ErrorCause {
            exception: "FileNotFoundError".to_string(),
            message: "https://homes.cs.washington.edu/~msap/atomic/data/atomic_data.tgz".to_string(),
            traceback: vec![
                "Traceback (most recent call last):\n".to_string(),
                "  File \"/src/services/worker/.venv/lib/python3.9/site-packages/fsspec/implementations/http.py\", line 417, in _info\n    await _file_info(\n".to_string(),
                "…[trimmed]".to_string(),
            ],
        })
    }

    /// Adds `cause_*` fields to the body.
    pub fn with_cause(mut self, cause: ErrorCause) -> Self {
        self.cause = Some(Box::new(cause));
        self
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let mut body = json!({ "error": self.message });
        if let (Some(cause), Value::Object(fields)) = (&self.cause, &mut body) {
            fields.insert("cause_exception".to_string(), json!(cause.exception));
            fields.insert("cause_message".to_string(), json!(cause.message));
            fields.insert("cause_traceback".to_string(), json!(cause.traceback));
        }
        body
    }
}
