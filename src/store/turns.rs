//! Turn statistics rows: how conversation length was measured for each dataset.

use super::{now_rfc3339, Result, Store};
use rusqlite::{named_params, Row};
use serde::{Deserialize, Serialize};

/// The `turn_stats` columns as selected next to a dataset (each prefixed `t_`).
macro_rules! turn_columns {
    () => {
        "t.dataset_id AS t_id, t.sha AS t_sha, t.status AS t_status, t.reason AS t_reason,
        t.config AS t_config, t.split AS t_split, t.rows_sampled AS t_rows_sampled,
        t.layout AS t_layout, t.columns AS t_columns, t.group_by AS t_group_by,
        t.conversations AS t_conversations, t.avg_turns AS t_avg_turns,
        t.median_turns AS t_median_turns, t.min_turns AS t_min_turns, t.max_turns AS t_max_turns,
        t.exact AS t_exact, t.num_rows AS t_num_rows, t.num_conversations AS t_num_conversations,
        t.num_conversations_source AS t_num_conversations_source, t.attempts AS t_attempts,
        t.sampled_at AS t_sampled_at"
    };
}
pub(crate) use turn_columns;

/// Sampling status of a dataset.
pub mod status {
    /// Turn figures measured.
    pub const OK: &str = "ok";
    /// Rows were read but no known conversation layout was found (no figure, never a guess).
    pub const NO_LAYOUT: &str = "no_layout";
    /// The viewer cannot serve this dataset (blocked, gated, missing, too many configs...).
    pub const UNAVAILABLE: &str = "unavailable";
    /// A transient viewer state (e.g. `ResponseNotReady`): try again on a later sync.
    pub const RETRY: &str = "retry";
}

/// The outcome of sampling one dataset's conversations, with its provenance.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TurnRecord {
    /// The dataset sha these figures belong to.
    pub sha: Option<String>,
    /// One of [`status`].
    pub status: String,
    /// Why the figure is missing (viewer error code and message), if it is.
    pub reason: Option<String>,
    /// Viewer config sampled.
    pub config: Option<String>,
    /// Viewer split sampled.
    pub split: Option<String>,
    /// Rows read from the viewer.
    pub rows_sampled: Option<i64>,
    /// Detected layout name (see `crate::turns::Layout`).
    pub layout: Option<String>,
    /// Conversation column(s).
    pub columns: Vec<String>,
    /// Grouping column for one-utterance-per-row layouts.
    pub group_by: Option<String>,
    /// Conversations counted.
    pub conversations: Option<i64>,
    /// Average turns per conversation.
    pub avg_turns: Option<f64>,
    /// Median turns.
    pub median_turns: Option<f64>,
    /// Fewest turns.
    pub min_turns: Option<i64>,
    /// Most turns.
    pub max_turns: Option<i64>,
    /// `true` when exact, `false` when a lower bound (cut cells or cut conversations).
    pub exact: Option<bool>,
    /// Rows in the sampled split according to the viewer (`/size`).
    pub num_rows: Option<i64>,
    /// Conversations in the dataset.
    pub num_conversations: Option<i64>,
    /// Where `num_conversations` came from: `viewer_size`, `card_dataset_info` or
    /// `estimate_rows_over_turns`.
    pub num_conversations_source: Option<String>,
    /// Sampling attempts so far (grows on `retry`).
    pub attempts: i64,
    /// When it was sampled.
    pub sampled_at: String,
}

impl TurnRecord {
    pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<TurnRecord> {
        let columns: Option<String> = row.get("t_columns")?;
        Ok(TurnRecord {
            sha: row.get("t_sha")?,
            status: row.get("t_status")?,
            reason: row.get("t_reason")?,
            config: row.get("t_config")?,
            split: row.get("t_split")?,
            rows_sampled: row.get("t_rows_sampled")?,
            layout: row.get("t_layout")?,
            columns: columns
                .and_then(|c| serde_json::from_str(&c).ok())
                .unwrap_or_default(),
            group_by: row.get("t_group_by")?,
            conversations: row.get("t_conversations")?,
            avg_turns: row.get("t_avg_turns")?,
            median_turns: row.get("t_median_turns")?,
            min_turns: row.get("t_min_turns")?,
            max_turns: row.get("t_max_turns")?,
            exact: row.get("t_exact")?,
            num_rows: row.get("t_num_rows")?,
            num_conversations: row.get("t_num_conversations")?,
            num_conversations_source: row.get("t_num_conversations_source")?,
            attempts: row.get::<_, Option<i64>>("t_attempts")?.unwrap_or(1),
            sampled_at: row
                .get::<_, Option<String>>("t_sampled_at")?
                .unwrap_or_default(),
        })
    }

    /// True when these figures still describe the dataset at `sha` and need no new sampling.
    pub fn is_current(&self, sha: Option<&str>) -> bool {
        self.status != status::RETRY && self.sha.as_deref() == sha
    }
}

impl Store {
    /// Ids of datasets to sample: relevance at or above `floor`, not gated/private/disabled/gone,
    /// never sampled, sampled at another sha, or waiting for a retry. Most relevant first.
    pub fn sampling_candidates(&self, floor: f64, limit: usize) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id FROM datasets d LEFT JOIN turn_stats t ON t.dataset_id = d.id
             WHERE d.relevance >= ?1 AND d.gated IS NULL AND d.private = 0 AND d.disabled = 0
               AND d.gone_at IS NULL
               AND (t.dataset_id IS NULL OR t.status = 'retry' OR t.sha IS NOT d.sha)
             ORDER BY d.relevance DESC, d.downloads DESC, d.id LIMIT ?2",
        )?;
        let ids = stmt
            .query_map(rusqlite::params![floor, limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Stores (replaces) the sampling outcome of a dataset and flags it for re-indexing. A failed
    /// re-sample never replaces measured figures: they stay (with their old sha, so the dataset is
    /// tried again next sync).
    pub fn save_turns(&mut self, dataset_id: &str, turns: &TurnRecord) -> Result<()> {
        let tx = self.conn.transaction()?;
        if turns.status != status::OK {
            let measured: bool = tx
                .query_row(
                    "SELECT COUNT(*) FROM turn_stats WHERE dataset_id = ?1 AND status = 'ok'",
                    [dataset_id],
                    |r| r.get::<_, i64>(0),
                )
                .map(|n| n > 0)?;
            if measured {
                return Ok(());
            }
        }
        let previous_attempts: i64 = tx
            .query_row(
                "SELECT attempts FROM turn_stats WHERE dataset_id = ?1 AND status = 'retry'",
                [dataset_id],
                |r| r.get(0),
            )
            .unwrap_or(0);
        let attempts = if turns.status == status::RETRY {
            previous_attempts + 1
        } else {
            turns.attempts.max(1)
        };
        tx.execute(
            "INSERT OR REPLACE INTO turn_stats (dataset_id, sha, status, reason, config, split,
                rows_sampled, layout, columns, group_by, conversations, avg_turns, median_turns,
                min_turns, max_turns, exact, num_rows, num_conversations, num_conversations_source,
                attempts, sampled_at)
             VALUES (:id, :sha, :status, :reason, :config, :split, :rows_sampled, :layout, :columns,
                :group_by, :conversations, :avg, :median, :min, :max, :exact, :num_rows,
                :num_conversations, :num_conversations_source, :attempts, :sampled_at)",
            named_params! {
                ":id": dataset_id,
                ":sha": turns.sha,
                ":status": turns.status,
                ":reason": turns.reason,
                ":config": turns.config,
                ":split": turns.split,
                ":rows_sampled": turns.rows_sampled,
                ":layout": turns.layout,
                ":columns": serde_json::to_string(&turns.columns)?,
                ":group_by": turns.group_by,
                ":conversations": turns.conversations,
                ":avg": turns.avg_turns,
                ":median": turns.median_turns,
                ":min": turns.min_turns,
                ":max": turns.max_turns,
                ":exact": turns.exact,
                ":num_rows": turns.num_rows,
                ":num_conversations": turns.num_conversations,
                ":num_conversations_source": turns.num_conversations_source,
                ":attempts": attempts,
                ":sampled_at": if turns.sampled_at.is_empty() { now_rfc3339() } else { turns.sampled_at.clone() },
            },
        )?;
        tx.execute(
            "UPDATE datasets SET index_dirty = 1 WHERE id = ?1",
            [dataset_id],
        )?;
        tx.commit()?;
        Ok(())
    }
}
