//! The dataset viewer as a turn source: `/splits` → pick config and split → `/first-rows` →
//! (`/rows` for cut conversation cells) → `/statistics` of the conversation list column →
//! `/size`.

use crate::hub::{Hub, HubError};
use crate::store::{StoredDataset, TurnRecord};
use crate::turns::evidence::{EvidenceSource, TurnEvidence};
use crate::turns::{self, statistics, SampleRow};
use serde_json::Value;

/// Most `/rows` calls spent re-reading cut cells of one dataset.
const MAX_ROWS_REFETCH: usize = 3;

/// What the viewer gave.
#[derive(Debug, Default)]
pub(super) struct ViewerOutcome {
    /// Rows and statistics evidence.
    pub evidence: Vec<TurnEvidence>,
    /// The viewer is not ready yet (splits being computed): ask again later.
    pub retry_later: Option<String>,
    /// Rows were read but hold no recognised conversation layout.
    pub no_layout: bool,
    /// Rows of the sampled split according to `/size`, and of its whole config.
    pub split_rows: Option<(i64, i64)>,
    /// Text of a few sampled conversations (for relevance).
    pub sample_text: Option<String>,
}

/// Asks the viewer; fills the config/split/rows fields of `record`. Errors are the viewer's
/// answers about the dataset (or the budget); the caller records them as evidence.
pub(super) async fn measure(
    hub: &Hub,
    dataset: &StoredDataset,
    record: &mut TurnRecord,
) -> Result<ViewerOutcome, HubError> {
    let id = &dataset.record.id;
    let mut outcome = ViewerOutcome::default();
    let splits = hub.splits(id).await?;
    let Some((config, split)) = pick_split(&splits) else {
        let pending = splits
            .get("pending")
            .and_then(Value::as_array)
            .is_some_and(|p| !p.is_empty());
        let note = if pending {
            "the viewer is still computing the splits"
        } else {
            "the viewer lists no splits"
        };
        if pending {
            outcome.retry_later = Some(note.to_string());
        }
        outcome
            .evidence
            .push(TurnEvidence::nothing(EvidenceSource::ViewerRows, "", note));
        return Ok(outcome);
    };
    let where_ = format!("{config}/{split}");
    record.config = Some(config.clone());
    record.split = Some(split.clone());
    let first = hub.first_rows(id, &config, &split).await?;
    let mut rows = SampleRow::from_viewer_json(&first).unwrap_or_default();
    record.rows_sampled = Some(rows.len() as i64);
    let mut analysis = turns::analyze(&rows);

    // Re-read rows whose conversation cell the viewer cut (/rows never truncates) — also when
    // cut cells hid every conversation from the detector.
    let cut_rows: Vec<i64> = match &analysis {
        Some(found) => found.truncated_rows.clone(),
        None => rows
            .iter()
            .filter(|r| !r.truncated_cells.is_empty())
            .map(|r| r.row_idx)
            .collect(),
    };
    if !cut_rows.is_empty() {
        for chunk in offsets_to_fetch(&cut_rows)
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

    outcome.split_rows = match hub.size(id).await {
        Ok(size) => split_rows(&size, &config, &split),
        Err(HubError::BudgetExhausted(n)) => return Err(HubError::BudgetExhausted(n)),
        Err(_) => None,
    };
    if let Some((split_rows, _)) = outcome.split_rows {
        record.num_rows = Some(split_rows);
    }

    // The sample is the whole split when the viewer has no more rows than it sent: an
    // utterance group ending at the last row is then complete.
    let whole = outcome
        .split_rows
        .is_some_and(|(n, _)| n <= rows.len() as i64);
    if whole {
        analysis = turns::analyze_sample(&rows, true);
    }
    let Some(analysis) = analysis else {
        outcome.no_layout = !rows.is_empty();
        outcome.evidence.push(TurnEvidence::nothing(
            EvidenceSource::ViewerRows,
            &where_,
            "no conversation layout recognised in the sampled rows",
        ));
        return Ok(outcome);
    };
    record.group_by = analysis.group_by.clone();
    outcome.sample_text = Some(turns::sample_text(&rows, &analysis));
    outcome.evidence.push(TurnEvidence::from_analysis(
        EvidenceSource::ViewerRows,
        &where_,
        &analysis,
        whole,
    ));
    if statistics::statistics_column(&analysis).is_some() && !whole {
        let evidence = match hub.statistics(id, &config, &split).await {
            Ok(body) => statistics::evidence_from_statistics(&body, &analysis, &rows, &where_),
            Err(HubError::BudgetExhausted(n)) => return Err(HubError::BudgetExhausted(n)),
            Err(e) => TurnEvidence::nothing(
                EvidenceSource::ViewerStatistics,
                &where_,
                &crate::sanitize::clean_line(&e.to_string(), 200),
            ),
        };
        outcome.evidence.push(evidence);
    }
    Ok(outcome)
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
            serde_json::from_str(include_str!("../../../tests/fixtures/hub-api/size.json"))
                .unwrap();
        assert_eq!(split_rows(&size, "mnist", "train"), Some((60000, 70000)));
    }
}
