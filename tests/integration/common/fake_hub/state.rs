//! The mutable state shared between the test (through `FakeHub`) and the server's handlers:
//! Hub items, viewer data, the fault queue, the request log and the rate-limit window.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;
use tokio::time::Instant;

use serde_json::Value;

use super::viewer_data::ViewerDataset;
use super::{Fault, RecordedRequest};

/// Default `q` of the `api` bucket (anonymous plan, contract §5).
pub(crate) const DEFAULT_QUOTA: u32 = 500;
/// Default `w` of the `api` bucket in seconds (contract §5).
pub(crate) const DEFAULT_WINDOW: Duration = Duration::from_secs(300);
/// Default maximum `limit` accepted by `/api/datasets` (contract §1, unconfirmed upstream).
pub(crate) const DEFAULT_MAX_LIMIT: usize = 1000;

/// State behind the server; always accessed through [`lock`].
pub(crate) type Shared = Arc<Mutex<HubState>>;

/// Locks the state, ignoring poisoning (a panicking test must not cascade into the server).
pub(crate) fn lock(shared: &Shared) -> MutexGuard<'_, HubState> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Everything the fake server knows.
pub(crate) struct HubState {
    /// `http://127.0.0.1:PORT`, used for absolute `Link` URLs.
    pub base_url: String,
    /// Full Hub items (every key), in insertion order.
    pub datasets: Vec<Value>,
    /// Position of each id in `datasets` (a 20,000-dataset hub is built in linear time).
    positions: HashMap<String, usize>,
    /// Viewer data keyed by dataset id.
    pub viewer: HashMap<String, ViewerDataset>,
    /// Pending injected faults, consumed front to back.
    pub faults: Vec<QueuedFault>,
    /// Every request seen, tagged with a sequence number so its status can be filled in later.
    pub log: Vec<(u64, RecordedRequest)>,
    /// Sequence number of the next request (also feeds `X-Request-Id`).
    pub next_request_seq: u64,
    /// The `api` rate-limit bucket.
    pub rate: RateWindow,
    /// Largest `limit` accepted by the listing; above it the listing answers 400.
    pub max_limit: usize,
    /// When set, Hub routes answer 401 to a Bearer token outside this list.
    pub accepted_tokens: Option<Vec<String>>,
    /// When set, the only `expand` keys accepted (default: the contract's list).
    pub expandable: Option<Vec<String>>,
    /// Repository files: dataset id → path → bytes.
    pub files: HashMap<String, HashMap<String, Vec<u8>>>,
    /// Data files answer 302 to another host name (`localhost`) instead of the bytes.
    pub redirect_files: bool,
    /// Files ignore `Range` and answer 200 with the whole body.
    pub ignore_range: bool,
}

impl HubState {
    pub(crate) fn new() -> Self {
        HubState {
            base_url: String::new(),
            datasets: Vec::new(),
            positions: HashMap::new(),
            viewer: HashMap::new(),
            faults: Vec::new(),
            log: Vec::new(),
            next_request_seq: 1,
            rate: RateWindow::new(DEFAULT_QUOTA, DEFAULT_WINDOW),
            max_limit: DEFAULT_MAX_LIMIT,
            accepted_tokens: None,
            expandable: None,
            files: HashMap::new(),
            redirect_files: false,
            ignore_range: false,
        }
    }

    /// The Hub item with this id, if any.
    pub(crate) fn dataset(&self, id: &str) -> Option<&Value> {
        self.datasets.get(*self.positions.get(id)?)
    }

    /// Adds a Hub item, or replaces the one with the same id.
    pub(crate) fn put_dataset(&mut self, id: String, item: Value) {
        match self.positions.get(&id) {
            Some(&at) => self.datasets[at] = item,
            None => {
                self.positions.insert(id, self.datasets.len());
                self.datasets.push(item);
            }
        }
    }

    /// Removes the Hub item with this id, if any.
    pub(crate) fn remove_dataset(&mut self, id: &str) {
        if self.positions.remove(id).is_some() {
            self.datasets.retain(|item| item_id(item) != Some(id));
            self.positions = self
                .datasets
                .iter()
                .enumerate()
                .filter_map(|(at, item)| Some((item_id(item)?.to_string(), at)))
                .collect();
        }
    }

    /// Mutable access to the Hub item with this id, if any.
    pub(crate) fn dataset_mut(&mut self, id: &str) -> Option<&mut Value> {
        let at = *self.positions.get(id)?;
        self.datasets.get_mut(at)
    }

    /// Removes and returns the first queued fault whose prefix matches `path`.
    pub(crate) fn take_fault(&mut self, path: &str) -> Option<Fault> {
        let position = self
            .faults
            .iter()
            .position(|queued| path.starts_with(&queued.path_prefix))?;
        let queued = &mut self.faults[position];
        let fault = queued.fault.clone();
        queued.remaining -= 1;
        if queued.remaining == 0 {
            self.faults.remove(position);
        }
        Some(fault)
    }

    /// Records a request on arrival and returns its sequence number.
    pub(crate) fn record_arrival(&mut self, request: RecordedRequest) -> u64 {
        let seq = self.next_request_seq;
        self.next_request_seq += 1;
        self.log.push((seq, request));
        seq
    }

    /// Fills in the status of a logged request once its response is ready.
    pub(crate) fn record_status(&mut self, seq: u64, status: u16) {
        if let Some((_, request)) = self.log.iter_mut().rev().find(|(s, _)| *s == seq) {
            request.status = Some(status);
        }
    }
}

/// The `id` string of a Hub item.
pub(crate) fn item_id(item: &Value) -> Option<&str> {
    item.get("id").and_then(Value::as_str)
}

/// A fault waiting in the queue.
pub(crate) struct QueuedFault {
    pub path_prefix: String,
    pub fault: Fault,
    pub remaining: usize,
}

/// A fixed rate-limit window ("fixed window" policy of the Hub).
pub(crate) struct RateWindow {
    pub quota: u32,
    pub length: Duration,
    pub started: Instant,
    pub used: u32,
    /// When set, 429 answers carry `Retry-After: <secs>`.
    pub retry_after: Option<u64>,
}

/// What the `RateLimit` / `RateLimit-Policy` headers of one response say.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RateStatus {
    pub remaining: u32,
    pub reset_secs: u64,
    pub quota: u32,
    pub window_secs: u64,
}

impl RateWindow {
    pub(crate) fn new(quota: u32, length: Duration) -> Self {
        RateWindow {
            quota,
            length,
            started: Instant::now(),
            used: 0,
            retry_after: None,
        }
    }

    /// Starts a fresh window of `length` now.
    pub(crate) fn restart(&mut self, length: Duration) {
        self.length = length;
        self.started = Instant::now();
        self.used = 0;
    }

    /// Counts one request. `Err` (with `remaining == 0`) when the window's quota is used up;
    /// refused requests are not counted.
    pub(crate) fn try_consume(&mut self, now: Instant) -> Result<RateStatus, RateStatus> {
        self.roll(now);
        if self.used >= self.quota {
            return Err(self.status(now));
        }
        self.used += 1;
        Ok(self.status(now))
    }

    /// The current status without counting a request.
    pub(crate) fn peek(&mut self, now: Instant) -> RateStatus {
        self.roll(now);
        self.status(now)
    }

    fn roll(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.started);
        if elapsed >= self.length && !self.length.is_zero() {
            let whole_windows = elapsed.as_nanos() / self.length.as_nanos();
            let advance = self.length.as_nanos() * whole_windows;
            self.started += Duration::from_nanos(u64::try_from(advance).unwrap_or(u64::MAX));
            self.used = 0;
        }
    }

    fn status(&self, now: Instant) -> RateStatus {
        let left = (self.started + self.length).saturating_duration_since(now);
        RateStatus {
            remaining: self.quota.saturating_sub(self.used),
            reset_secs: ceil_secs(left),
            quota: self.quota,
            window_secs: ceil_secs(self.length).max(1),
        }
    }
}

fn ceil_secs(duration: Duration) -> u64 {
    let secs = duration.as_secs();
    if duration.subsec_nanos() > 0 {
        secs + 1
    } else {
        secs
    }
}
