//! A fake Hugging Face Hub + dataset-viewer server for integration tests, speaking the dialect
//! of the Hub contract (`docs/hub-contract.md`).
//!
//! [`FakeHub::start`] runs an axum server on `127.0.0.1:<free port>` in its own thread with its
//! own tokio runtime, so tests may be synchronous and may run the `catalog` binary against
//! [`FakeHub::url`] (used for both `--hub-url` and `--viewer-url`). Dropping the `FakeHub`
//! stops the server. Everything is mutable while it runs:
//!
//! * Hub items: [`FakeHub::add_dataset`] / [`FakeHub::update_dataset`] / [`FakeHub::remove_dataset`],
//!   built with [`FakeHub::dataset_item`];
//! * viewer data: [`FakeHub::set_viewer`], [`FakeHub::truncate_cells`];
//! * the `api` rate-limit bucket: [`FakeHub::set_quota`], [`FakeHub::set_window`],
//!   [`FakeHub::set_retry_after`]; listing cap: [`FakeHub::set_max_limit`];
//! * faults consumed by the next matching requests: [`FakeHub::inject`];
//! * the request log: [`FakeHub::requests`], [`FakeHub::count`], [`FakeHub::clear_log`].
//!
//! Routes: `/api/datasets`, `/api/datasets/{owner}/{name}[/revision/{rev}]` (Hub, rate-limited,
//! `RateLimit`/`RateLimit-Policy`/`X-Request-Id` on every response) and `/splits`,
//! `/first-rows`, `/rows`, `/size`, `/is-valid`, `/statistics` (viewer), and repository files
//! under `/datasets/{owner}/{name}/resolve/{rev}/{path}` (see [`repo_files`]).

// `pub(crate)` only so the scratch crate's unit tests can reach them.
pub(crate) mod codec;
mod front_door;
mod hub_api;
pub(crate) mod item;
mod repo_files;
pub(crate) mod state;
mod viewer_api;
mod viewer_data;

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;
// tokio's clock: real time normally, virtual time when a test pauses its runtime.
use tokio::time::Instant;

use axum::routing::get;
use axum::Router;
use serde_json::Value;

use state::{item_id, lock, HubState, QueuedFault, Shared};
#[allow(unused_imports)] // not every test file uses every viewer type
pub use viewer_data::{
    infer_features, ErrorCause, ViewerCapabilities, ViewerDataset, ViewerEndpoint, ViewerError,
    ViewerFeature, ViewerSplit,
};

/// A misbehaviour served instead of (or on top of) the normal answer; see [`FakeHub::inject`].
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// 429, `RateLimit: "api";r=0;t=<reset_secs>`, JSON `{"error": ...}`; not counted.
    TooManyRequests {
        /// The `t=` of the `RateLimit` header.
        reset_secs: u64,
    },
    /// This status with JSON `{"error": "<reason phrase>"}` (e.g. 500, 502, 503).
    Status(u16),
    /// The normal status and headers with only the first half of the body, as a complete HTTP
    /// message: a JSON client must report a parse error rather than use a shorter document.
    TruncatedBody,
    /// The normal status and headers, `Content-Length` of the full body, but only half of it is
    /// written before the connection is closed. For small bodies hyper has not flushed anything
    /// yet, so the client usually sees the connection close before the status line
    /// (`IncompleteMessage`); otherwise it fails while reading the body.
    DropConnection,
    /// Waits this long, then answers normally (for client timeouts).
    Delay(Duration),
    /// 500 with the `text/plain` body `Internal Server Error.` and no `X-Error-Code`.
    PlainText500,
}

/// One request as the server saw it.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordedRequest {
    /// `GET`, ...
    pub method: String,
    /// Path without the query, e.g. `/api/datasets`.
    pub path: String,
    /// Decoded query pairs in order, repeats kept.
    pub query: Vec<(String, String)>,
    /// The raw `Authorization` header, e.g. `Bearer hf_xxx`.
    pub authorization: Option<String>,
    /// Arrival time.
    pub at: Instant,
    /// Response status; `None` while the answer is pending (or was abandoned by the client).
    pub status: Option<u16>,
}

impl RecordedRequest {
    /// The first value of a query parameter.
    pub fn query_value(&self, key: &str) -> Option<&str> {
        codec::first(&self.query, key)
    }

    /// Every value of a repeated query parameter.
    pub fn query_values(&self, key: &str) -> Vec<&str> {
        codec::all(&self.query, key)
    }
}

/// The running fake server. Dropping it shuts the server down.
pub struct FakeHub {
    base_url: String,
    state: Shared,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server_thread: Option<JoinHandle<()>>,
}

impl FakeHub {
    /// Binds `127.0.0.1:0`, starts serving in a background thread and returns once listening.
    /// Panics if the server cannot start (test setup failure).
    pub fn start() -> FakeHub {
        let state: Shared = Arc::new(Mutex::new(HubState::new()));
        let (ready_sender, ready) = std::sync::mpsc::channel();
        let (shutdown, shutdown_signal) = tokio::sync::oneshot::channel::<()>();
        let server_state = Arc::clone(&state);
        let server_thread = std::thread::Builder::new()
            .name("fake-hub".to_string())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("fake hub: tokio runtime");
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                        .await
                        .expect("fake hub: bind 127.0.0.1:0");
                    let address = listener.local_addr().expect("fake hub: local address");
                    lock(&server_state).base_url = format!("http://{address}");
                    let app = router(server_state);
                    let _ = ready_sender.send(address);
                    tokio::select! {
                        _ = axum::serve(listener, app) => {}
                        _ = shutdown_signal => {}
                    }
                });
                // Dropping the runtime here cancels in-flight requests (e.g. delayed ones).
            })
            .expect("fake hub: spawn server thread");
        let address = ready.recv().expect("fake hub: server failed to start");
        FakeHub {
            base_url: format!("http://{address}"),
            state,
            shutdown: Some(shutdown),
            server_thread: Some(server_thread),
        }
    }

    /// Starts serving on the current tokio runtime (a task, not a thread), for tests that pause
    /// the runtime's clock: the server's rate-limit windows and injected delays then run on the
    /// same virtual clock as the client under test. Must be called inside a runtime.
    pub async fn start_in_current_runtime() -> FakeHub {
        let state: Shared = Arc::new(Mutex::new(HubState::new()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake hub: bind 127.0.0.1:0");
        let address = listener.local_addr().expect("fake hub: local address");
        lock(&state).base_url = format!("http://{address}");
        let (shutdown, shutdown_signal) = tokio::sync::oneshot::channel::<()>();
        let app = router(Arc::clone(&state));
        tokio::spawn(async move {
            tokio::select! {
                _ = axum::serve(listener, app) => {}
                _ = shutdown_signal => {}
            }
        });
        FakeHub {
            base_url: format!("http://{address}"),
            state,
            shutdown: Some(shutdown),
            server_thread: None,
        }
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        self.base_url.clone()
    }

    /// A realistic full Hub item, deterministic in `id`: 24-hex `_id`, 40-hex `sha`,
    /// `createdAt`/`lastModified` like `2024-11-25T20:07:28.000Z`, counts, `tags` exactly as
    /// given, `cardData` derived from the tags (`language:*`, `license:*`, `task_categories:*`...;
    /// bare tags under `tags`), a BibTeX `citation`, `paperswithcode_id: null`, `siblings`,
    /// `usedStorage`, `mainSize`. Tweak it with `item["likes"] = json!(3)` etc.
    pub fn dataset_item(id: &str, description: &str, tags: &[&str]) -> Value {
        item::default_item(id, description, tags)
    }

    /// Adds a Hub item (replacing one with the same `id`). Panics without string `id`/`_id`.
    pub fn add_dataset(&self, item: Value) {
        let id = item_id(&item)
            .expect("dataset item needs a string \"id\"")
            .to_string();
        assert!(
            item.get("_id").and_then(Value::as_str).is_some(),
            "dataset item {id} needs a string \"_id\""
        );
        lock(&self.state).put_dataset(id, item);
    }

    /// Edits a Hub item in place. Panics if `id` is unknown.
    pub fn update_dataset(&self, id: &str, edit: impl FnOnce(&mut Value)) {
        let mut state = lock(&self.state);
        let item = state
            .dataset_mut(id)
            .unwrap_or_else(|| panic!("update_dataset: unknown dataset {id}"));
        edit(item);
    }

    /// Removes a Hub item (no-op if absent). Its viewer data stays.
    pub fn remove_dataset(&self, id: &str) {
        lock(&self.state).remove_dataset(id);
    }

    /// Sets (replaces) the viewer data of a dataset.
    pub fn set_viewer(&self, id: &str, data: ViewerDataset) {
        lock(&self.state).viewer.insert(id.to_string(), data);
    }

    /// Makes `/first-rows` stringify and cut `column`'s cells to `max_chars` chars (listing the
    /// column in `truncated_cells` of rows whose cell was cut); `/rows` stays whole.
    /// Panics if the split is unknown.
    pub fn truncate_cells(
        &self,
        id: &str,
        config: &str,
        split: &str,
        column: &str,
        max_chars: usize,
    ) {
        let mut state = lock(&self.state);
        let target = state
            .viewer
            .get_mut(id)
            .and_then(|data| {
                data.splits
                    .iter_mut()
                    .find(|s| s.config == config && s.split == split)
            })
            .unwrap_or_else(|| panic!("truncate_cells: no viewer split {id} {config}/{split}"));
        target.truncated_columns.retain(|(name, _)| name != column);
        target
            .truncated_columns
            .push((column.to_string(), max_chars));
    }

    /// Adds (replaces) a repository file, served by `resolve` and listed in `siblings`.
    pub fn add_file(&self, id: &str, path: &str, bytes: impl Into<Vec<u8>>) {
        let mut state = lock(&self.state);
        state
            .files
            .entry(id.to_string())
            .or_default()
            .insert(path.to_string(), bytes.into());
        if let Some(Value::Array(siblings)) =
            state.dataset_mut(id).and_then(|i| i.get_mut("siblings"))
        {
            if !siblings.iter().any(|s| s["rfilename"] == path) {
                siblings.push(serde_json::json!({ "rfilename": path }));
            }
        }
    }

    /// Makes data files answer 302 to another host name (`localhost` instead of `127.0.0.1`).
    pub fn set_file_redirects(&self, on: bool) {
        lock(&self.state).redirect_files = on;
    }

    /// Makes files ignore `Range` (200 with the whole file).
    pub fn set_ignore_range(&self, on: bool) {
        lock(&self.state).ignore_range = on;
    }

    /// Requests allowed per window in the `api` bucket (default 500).
    pub fn set_quota(&self, quota: u32) {
        lock(&self.state).rate.quota = quota;
    }

    /// Starts a fresh rate-limit window of this length now (default 300 s).
    pub fn set_window(&self, length: Duration) {
        lock(&self.state).rate.restart(length);
    }

    /// Largest listing `limit`; above it the listing answers 400 (default 1000). Also the page
    /// size when `limit` is omitted.
    pub fn set_max_limit(&self, max_limit: usize) {
        lock(&self.state).max_limit = max_limit;
    }

    /// Restricts the accepted `expand` keys (a Hub that dropped a key answers 400 listing the
    /// valid ones).
    pub fn set_expandable_keys(&self, keys: &[&str]) {
        lock(&self.state).expandable = Some(keys.iter().map(|k| k.to_string()).collect());
    }

    /// From now on Hub routes answer 401 `Invalid credentials in Authorization header` to a
    /// Bearer token not in `tokens` (anonymous requests still work).
    pub fn accept_only_tokens(&self, tokens: &[&str]) {
        lock(&self.state).accepted_tokens = Some(tokens.iter().map(|t| t.to_string()).collect());
    }

    /// Queues `fault` for the next `times` requests whose path starts with `path_prefix`
    /// (`""` = any). Faults are consumed in injection order.
    pub fn inject(&self, path_prefix: &str, fault: Fault, times: usize) {
        if times > 0 {
            lock(&self.state).faults.push(QueuedFault {
                path_prefix: path_prefix.to_string(),
                fault,
                remaining: times,
            });
        }
    }

    /// How many injected fault uses are still queued.
    pub fn pending_faults(&self) -> usize {
        lock(&self.state)
            .faults
            .iter()
            .map(|queued| queued.remaining)
            .sum()
    }

    /// Every request since start (or the last [`FakeHub::clear_log`]), in arrival order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state)
            .log
            .iter()
            .map(|(_, request)| request.clone())
            .collect()
    }

    /// Number of logged requests whose path starts with `path_prefix`
    /// (`"/api/datasets"` also counts detail requests `/api/datasets/o/n`).
    pub fn count(&self, path_prefix: &str) -> usize {
        lock(&self.state)
            .log
            .iter()
            .filter(|(_, request)| request.path.starts_with(path_prefix))
            .count()
    }

    /// Forgets the request log.
    pub fn clear_log(&self) {
        lock(&self.state).log.clear();
    }
}

impl Drop for FakeHub {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.server_thread.take() {
            let _ = thread.join();
        }
    }
}

fn router(state: Shared) -> Router {
    Router::new()
        .route("/api/datasets", get(hub_api::list_datasets))
        .route(
            "/api/datasets/{name}",
            get(hub_api::dataset_detail_without_owner),
        )
        .route("/api/datasets/{owner}/{name}", get(hub_api::dataset_detail))
        .route(
            "/api/datasets/{owner}/{name}/revision/{revision}",
            get(hub_api::dataset_detail_at_revision),
        )
        .route("/api/{*rest}", get(hub_api::hub_not_found))
        .route(
            "/datasets/{owner}/{name}/resolve/{revision}/{*path}",
            get(repo_files::resolve),
        )
        .route("/storage/{owner}/{name}/{*path}", get(repo_files::storage))
        .route("/statistics", get(viewer_api::statistics))
        .route("/splits", get(viewer_api::splits))
        .route("/first-rows", get(viewer_api::first_rows))
        .route("/rows", get(viewer_api::rows))
        .route("/size", get(viewer_api::size))
        .route("/is-valid", get(viewer_api::is_valid))
        .fallback(viewer_api::viewer_not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            front_door::front_door,
        ))
        .with_state(state)
}
