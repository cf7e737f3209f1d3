//! Conversation sampling through the dataset viewer: `/splits` → pick config and split →
//! `/first-rows` → (re-read cut conversation cells with `/rows`) → turn statistics → `/size`.
//!
//! Viewer errors never fail a sync: `ResponseNotReady` and transient failures are stored as
//! `retry` (tried again next sync), 401/403/404/501 and coded dataset errors as `unavailable` with
//! the reason. Only the request budget stops sampling.

use super::{Counters, SyncContext, SyncOptions};
use crate::hub::{Hub, HubError};
use crate::store::{turn_status, StoredDataset, TurnRecord};
use crate::turns::{self, SampleRow};
use futures_util::stream::{FuturesUnordered, StreamExt};
use serde_json::Value;

/// Most `/rows` calls spent re-reading cut cells of one dataset.
const MAX_ROWS_REFETCH: usize = 3;

/// Why sampling stopped.
#[derive(Debug)]
pub enum SamplingError {
    /// The store failed.
    Store(crate::store::StoreError),
    /// `--max-requests` reached.
    Budget(u64),
}

/// Samples every candidate (relevance above the floor, new or changed, not gated).
pub async fn sample_candidates(
    ctx: &mut SyncContext<'_>,
    options: &SyncOptions,
    counters: &mut Counters,
) -> Result<(), SamplingError> {
    let ids = ctx
        .store
        .sampling_candidates(options.sampling_floor, options.max_samples)
        .map_err(SamplingError::Store)?;
    let datasets = ctx.store.get_many(&ids).map_err(SamplingError::Store)?;
    let total = datasets.len();
    let hub = ctx.hub;
    let mut pending = datasets.into_iter();
    let mut running = FuturesUnordered::new();
    let mut done = 0usize;
    let mut budget: Option<u64> = None;
    loop {
        while budget.is_none() && running.len() < options.concurrency.max(1) {
            match pending.next() {
                Some(dataset) => running.push(sample_one(hub, dataset)),
                None => break,
            }
        }
        let Some((id, outcome)) = running.next().await else {
            break;
        };
        done += 1;
        ctx.progress
            .update(&format!("sampling conversations {done}/{total} — {id}"));
        match outcome {
            Ok(record) => {
                match record.status.as_str() {
                    turn_status::OK => counters.sampled_ok += 1,
                    turn_status::NO_LAYOUT => counters.sampled_no_layout += 1,
                    turn_status::RETRY => counters.sampled_retry += 1,
                    _ => counters.sampled_unavailable += 1,
                }
                ctx.store
                    .save_turns(&id, &record)
                    .map_err(SamplingError::Store)?;
            }
            Err(n) => budget = Some(n),
        }
    }
    match budget {
        Some(n) => Err(SamplingError::Budget(n)),
        None => Ok(()),
    }
}

/// Samples one dataset; `Err` only when the request budget ran out.
async fn sample_one(hub: &Hub, dataset: StoredDataset) -> (String, Result<TurnRecord, u64>) {
    let id = dataset.record.id.clone();
    let base = TurnRecord {
        sha: dataset.record.sha.clone(),
        ..TurnRecord::default()
    };
    let outcome = match measure(hub, &dataset, base.clone()).await {
        Ok(record) => Ok(record),
        Err(HubError::BudgetExhausted(n)) => Err(n),
        Err(e) => Ok(classify_failure(base, &e)),
    };
    (id, outcome)
}

/// Transient failures (overload, network, 5xx other than 501, `ResponseNotReady`) are retried on
/// a later sync; answers about the dataset (401/403/404/501, cached dataset errors) are final
/// until its sha changes.
fn classify_failure(mut record: TurnRecord, error: &HubError) -> TurnRecord {
    record.status = if error.is_transient() {
        turn_status::RETRY
    } else {
        turn_status::UNAVAILABLE
    }
    .to_string();
    record.reason = Some(crate::output::sanitize::clean_line(&error.to_string(), 300));
    record
}

/// Picks the config (`default`, else the first listed) and split (`train`, else the first).
fn pick_split(splits: &Value) -> Option<(String, String)> {
    let entries: Vec<(String, String)> = splits
        .get("splits")?
        .as_array()?
        .iter()
        .filter_map(|s| {
            Some((
                s.get("config")?.as_str()?.to_string(),
                s.get("split")?.as_str()?.to_string(),
            ))
        })
        .collect();
    let config = entries
        .iter()
        .find(|(c, _)| c == "default")
        .or_else(|| entries.first())?
        .0
        .clone();
    let in_config: Vec<&(String, String)> = entries.iter().filter(|(c, _)| *c == config).collect();
    let split = in_config
        .iter()
        .find(|(_, s)| s == "train")
        .or_else(|| in_config.first())?
        .1
        .clone();
    Some((config, split))
}

async fn measure(
    hub: &Hub,
    dataset: &StoredDataset,
    mut record: TurnRecord,
) -> Result<TurnRecord, HubError> {
    let id = &dataset.record.id;
    let splits = hub.splits(id).await?;
    let Some((config, split)) = pick_split(&splits) else {
        // Splits still being computed: ask again next sync; otherwise the viewer has none.
        let pending = splits
            .get("pending")
            .and_then(Value::as_array)
            .is_some_and(|p| !p.is_empty());
        record.status = if pending {
            turn_status::RETRY
        } else {
            turn_status::UNAVAILABLE
        }
        .to_string();
        record.reason = Some(if pending {
            "the viewer is still computing the splits".to_string()
        } else {
            "the viewer lists no splits".to_string()
        });
        return Ok(record);
    };
    record.config = Some(config.clone());
    record.split = Some(split.clone());
    let first = hub.first_rows(id, &config, &split).await?;
    let mut rows = SampleRow::from_viewer_json(&first).unwrap_or_default();
    record.rows_sampled = Some(rows.len() as i64);
    let mut analysis = turns::analyze(&rows);

    // Re-read rows whose conversation cell the viewer cut: /rows never truncates.
    if let Some(found) = &analysis {
        if !found.truncated_rows.is_empty() {
            for chunk in offsets_to_fetch(&found.truncated_rows)
                .into_iter()
                .take(MAX_ROWS_REFETCH)
            {
                let body = match hub.rows(id, &config, &split, chunk.0, chunk.1).await {
                    Ok(body) => body,
                    Err(HubError::BudgetExhausted(n)) => return Err(HubError::BudgetExhausted(n)),
                    // Keep the /first-rows figures as a lower bound.
                    Err(_) => break,
                };
                for fresh in SampleRow::from_viewer_json(&body).unwrap_or_default() {
                    if let Some(slot) = rows.iter_mut().find(|r| r.row_idx == fresh.row_idx) {
                        *slot = fresh;
                    }
                }
            }
            analysis = turns::analyze(&rows);
        }
    }

    let num_rows = match hub.size(id).await {
        Ok(size) => split_rows(&size, &config, &split).map(|(split_rows, config_rows)| {
            record.num_rows = Some(split_rows);
            config_rows
        }),
        Err(HubError::BudgetExhausted(n)) => return Err(HubError::BudgetExhausted(n)),
        Err(_) => None,
    };

    let Some(analysis) = analysis else {
        record.status = turn_status::NO_LAYOUT.to_string();
        record.reason = Some("no conversation layout recognised in the sampled rows".to_string());
        return Ok(record);
    };
    record.layout = Some(analysis.layout.as_str().to_string());
    record.columns = analysis.columns.clone();
    record.group_by = analysis.group_by.clone();
    let Some(stats) = analysis.stats() else {
        record.status = turn_status::NO_LAYOUT.to_string();
        record.reason =
            Some("layout recognised but no complete conversation in the sample".to_string());
        return Ok(record);
    };
    record.status = turn_status::OK.to_string();
    record.conversations = Some(i64::from(stats.conversations));
    record.avg_turns = Some(stats.avg);
    record.median_turns = Some(stats.median);
    record.min_turns = Some(i64::from(stats.min));
    record.max_turns = Some(i64::from(stats.max));
    record.exact = Some(stats.exact);
    let per_row = analysis.group_by.is_some();
    (record.num_conversations, record.num_conversations_source) =
        match (num_rows, dataset.record.card_num_rows) {
            (Some(rows), _) if per_row && stats.avg > 0.0 => (
                Some((rows as f64 / stats.avg).round() as i64),
                Some("estimate_rows_over_turns".to_string()),
            ),
            (Some(rows), _) => (Some(rows), Some("viewer_size".to_string())),
            (None, Some(rows)) if per_row && stats.avg > 0.0 => (
                Some((rows as f64 / stats.avg).round() as i64),
                Some("estimate_rows_over_turns".to_string()),
            ),
            (None, Some(rows)) => (Some(rows), Some("card_dataset_info".to_string())),
            (None, None) => (None, None),
        };
    Ok(record)
}

/// Contiguous `(offset, length ≤ 100)` windows covering the given row indices.
fn offsets_to_fetch(rows: &[i64]) -> Vec<(u64, u32)> {
    let mut sorted: Vec<u64> = rows.iter().filter_map(|r| u64::try_from(*r).ok()).collect();
    sorted.sort_unstable();
    let mut windows: Vec<(u64, u32)> = Vec::new();
    for row in sorted {
        match windows.last_mut() {
            Some((start, len)) if row < *start + 100 => *len = (row - *start + 1) as u32,
            _ => windows.push((row, 1)),
        }
    }
    windows
}

/// `(rows of the split, rows of the whole config)` from a `/size` body.
fn split_rows(size: &Value, config: &str, split: &str) -> Option<(i64, i64)> {
    let size = size.get("size")?;
    let split_rows = size
        .get("splits")?
        .as_array()?
        .iter()
        .find(|s| {
            s.get("config").and_then(Value::as_str) == Some(config)
                && s.get("split").and_then(Value::as_str) == Some(split)
        })?
        .get("num_rows")?
        .as_i64()?;
    let config_rows = size
        .get("configs")
        .and_then(Value::as_array)
        .and_then(|cs| {
            cs.iter()
                .find(|c| c.get("config").and_then(Value::as_str) == Some(config))
        })
        .and_then(|c| c.get("num_rows"))
        .and_then(Value::as_i64)
        .unwrap_or(split_rows);
    Some((split_rows, config_rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn picks_default_config_and_train_split() {
        let splits = json!({"splits": [
            {"dataset": "d", "config": "other", "split": "train"},
            {"dataset": "d", "config": "default", "split": "test"},
            {"dataset": "d", "config": "default", "split": "train"}]});
        assert_eq!(
            pick_split(&splits),
            Some(("default".into(), "train".into()))
        );
        let splits = json!({"splits": [{"dataset": "d", "config": "a", "split": "validation"}]});
        assert_eq!(pick_split(&splits), Some(("a".into(), "validation".into())));
        assert_eq!(pick_split(&json!({"splits": []})), None);
    }

    #[test]
    fn refetch_windows_cover_rows_in_hundreds() {
        assert_eq!(offsets_to_fetch(&[5, 3, 50, 150]), vec![(3, 48), (150, 1)]);
    }

    #[test]
    fn size_body_gives_split_and_config_rows() {
        let size: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/hub-api/size.json")).unwrap();
        assert_eq!(split_rows(&size, "mnist", "train"), Some((60000, 70000)));
    }
}
