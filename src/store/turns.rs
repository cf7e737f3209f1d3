//! Turn statistics rows: how conversation length was measured for each dataset.

use super::datasets::column;
use super::{Result, Store, Timestamp};
use crate::turns::evidence::TurnEvidence;
use rusqlite::{named_params, Row};
use serde::{Deserialize, Serialize};

/// Waits before asking again after a transient failure: 1 h, 6 h, 1 d, 3 d, then weekly.
pub const RETRY_SCHEDULE_SECS: &[i64] = &[3_600, 21_600, 86_400, 259_200, 604_800];
/// Transient failures after which a dataset is recorded as unavailable (until its sha changes).
pub const MAX_RETRY_ATTEMPTS: i64 = 8;

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
        t.sampled_at AS t_sampled_at, t.source AS t_source, t.figure_kind AS t_figure_kind,
        t.lower_bound AS t_lower_bound, t.source_detail AS t_source_detail,
        t.evidence AS t_evidence, t.next_attempt_at AS t_next_attempt_at,
        t.sample_text AS t_sample_text"
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
    /// When it was sampled (`None` until stored: saving stamps the current time).
    pub sampled_at: Option<Timestamp>,
    /// The source of the figure shown (see [`crate::turns::evidence::EvidenceSource`]).
    pub source: Option<String>,
    /// How far the figure can be trusted (see [`crate::turns::evidence::FigureKind`]).
    pub figure_kind: Option<String>,
    /// For a lower-bound figure: the average is at least this (`avg_turns` is then unset).
    pub lower_bound: Option<f64>,
    /// Where the figure came from exactly: `default/train`, file paths, the card sentence.
    pub source_detail: Option<String>,
    /// Every source tried and what it gave.
    pub evidence: Vec<TurnEvidence>,
    /// For status `retry`: not asked again before this time.
    pub next_attempt_at: Option<Timestamp>,
    /// Text of a few sampled turns (≤ 4 KB), read by relevance.
    pub sample_text: Option<String>,
}

impl TurnRecord {
    /// What the rows said about the data's form: `Some(true)` when a conversation was counted
    /// from rows (viewer or files), `Some(false)` when rows were read and held none.
    pub fn measured_conversation(&self) -> Option<bool> {
        match self.status.as_str() {
            status::NO_LAYOUT => Some(false),
            status::OK => matches!(
                self.source.as_deref(),
                Some("viewer_rows" | "viewer_statistics" | "repo_files")
            )
            .then_some(true),
            _ => None,
        }
    }
}

impl TurnRecord {
    pub(crate) fn from_row(row: &Row<'_>) -> rusqlite::Result<TurnRecord> {
        let columns: Option<String> = column(row, "t_columns")?;
        Ok(TurnRecord {
            sha: column(row, "t_sha")?,
            status: column(row, "t_status")?,
            reason: column(row, "t_reason")?,
            config: column(row, "t_config")?,
            split: column(row, "t_split")?,
            rows_sampled: column(row, "t_rows_sampled")?,
            layout: column(row, "t_layout")?,
            columns: columns
                .and_then(|c| serde_json::from_str(&c).ok())
                .unwrap_or_default(),
            group_by: column(row, "t_group_by")?,
            conversations: column(row, "t_conversations")?,
            avg_turns: column(row, "t_avg_turns")?,
            median_turns: column(row, "t_median_turns")?,
            min_turns: column(row, "t_min_turns")?,
            max_turns: column(row, "t_max_turns")?,
            exact: column(row, "t_exact")?,
            num_rows: column(row, "t_num_rows")?,
            num_conversations: column(row, "t_num_conversations")?,
            num_conversations_source: column(row, "t_num_conversations_source")?,
            attempts: column::<Option<i64>>(row, "t_attempts")?.unwrap_or(1),
            sampled_at: column(row, "t_sampled_at")?,
            source: column(row, "t_source")?,
            figure_kind: column(row, "t_figure_kind")?,
            lower_bound: column(row, "t_lower_bound")?,
            source_detail: column(row, "t_source_detail")?,
            evidence: column::<Option<String>>(row, "t_evidence")?
                .and_then(|e| serde_json::from_str(&e).ok())
                .unwrap_or_default(),
            next_attempt_at: column(row, "t_next_attempt_at")?,
            sample_text: column(row, "t_sample_text")?,
        })
    }

    /// True when these figures still describe the dataset at `sha` and need no new sampling.
    pub fn is_current(&self, sha: Option<&str>) -> bool {
        self.status != status::RETRY && self.sha.as_deref() == sha
    }
}

impl Store {
    /// Ids of datasets to measure: relevance at or above `floor`, not private/disabled/gone
    /// (gated ones only when `with_token`), never measured, measured at another sha, or waiting
    /// for a retry whose time has come (any retry when `retry_now`). Most relevant first.
    pub fn sampling_candidates(
        &self,
        floor: f64,
        limit: usize,
        with_token: bool,
        retry_now: bool,
    ) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT d.id FROM datasets d LEFT JOIN turn_stats t ON t.dataset_id = d.id
             WHERE d.relevance >= ?1 AND (d.gated IS NULL OR ?3) AND d.private = 0
               AND d.disabled = 0 AND d.gone_at IS NULL
               AND (t.dataset_id IS NULL OR t.sha IS NOT d.sha
                    OR (t.status = 'retry' AND (?4 OR t.next_attempt_at IS NULL
                                                OR t.next_attempt_at <= ?5)))
             ORDER BY d.relevance DESC, d.downloads DESC, d.id LIMIT ?2",
        )?;
        let ids = stmt
            .query_map(
                rusqlite::params![floor, limit as i64, with_token, retry_now, Timestamp::now()],
                |r| r.get(0),
            )?
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
        let mut turns = turns.clone();
        if turns.status == status::RETRY {
            if attempts >= MAX_RETRY_ATTEMPTS {
                turns.status = status::UNAVAILABLE.to_string();
                turns.reason = Some(format!(
                    "gave up after {attempts} attempts: {}",
                    turns.reason.as_deref().unwrap_or("transient failures")
                ));
            } else {
                let index = usize::try_from(attempts - 1).unwrap_or(0);
                let wait = RETRY_SCHEDULE_SECS
                    .get(index)
                    .or(RETRY_SCHEDULE_SECS.last())
                    .copied()
                    .unwrap_or(3_600);
                turns.next_attempt_at = Some(Timestamp::from(
                    chrono::Utc::now() + chrono::Duration::seconds(wait),
                ));
            }
        }
        let turns = &turns;
        tx.execute(
            "INSERT OR REPLACE INTO turn_stats (dataset_id, sha, status, reason, config, split,
                rows_sampled, layout, columns, group_by, conversations, avg_turns, median_turns,
                min_turns, max_turns, exact, num_rows, num_conversations, num_conversations_source,
                attempts, sampled_at, source, figure_kind, lower_bound, source_detail, evidence,
                next_attempt_at, sample_text)
             VALUES (:id, :sha, :status, :reason, :config, :split, :rows_sampled, :layout, :columns,
                :group_by, :conversations, :avg, :median, :min, :max, :exact, :num_rows,
                :num_conversations, :num_conversations_source, :attempts, :sampled_at, :source,
                :figure_kind, :lower_bound, :source_detail, :evidence, :next_attempt_at, :sample_text)",
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
                ":sampled_at": turns.sampled_at.unwrap_or_else(Timestamp::now),
                ":source": turns.source,
                ":figure_kind": turns.figure_kind,
                ":lower_bound": turns.lower_bound,
                ":source_detail": turns.source_detail,
                ":evidence": serde_json::to_string(&turns.evidence)?,
                ":next_attempt_at": turns.next_attempt_at,
                ":sample_text": turns.sample_text,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DatasetRecord;
    use crate::score::Scores;

    #[test]
    fn a_retry_waits_for_its_time_against_old_and_new_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("c.sqlite3")).unwrap();
        let record = DatasetRecord {
            id: "a/b".into(),
            sha: Some("s".into()),
            ..DatasetRecord::default()
        };
        let scores = Scores {
            relevance: 0.9,
            ..Scores::default()
        };
        store.upsert_batch(&[(record, scores)]).unwrap();
        let retry = TurnRecord {
            sha: Some("s".into()),
            status: status::RETRY.into(),
            ..TurnRecord::default()
        };
        store.save_turns("a/b", &retry).unwrap();
        let candidates = |store: &Store| store.sampling_candidates(0.5, 10, false, false).unwrap();
        // Scheduled an hour ahead: not yet.
        assert!(candidates(&store).is_empty());
        let stored: (String, String) = store
            .conn
            .query_row(
                "SELECT next_attempt_at, sampled_at FROM turn_stats WHERE dataset_id = 'a/b'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        for text in [&stored.0, &stored.1] {
            assert_eq!(text.len(), "2026-01-01T00:00:00.000Z".len(), "{text}");
            assert!(text.ends_with('Z'), "{text}");
        }
        let read = store.get("a/b").unwrap().unwrap().turns.unwrap();
        assert_eq!(read.next_attempt_at.map(|t| t.to_string()), Some(stored.0));
        assert_eq!(read.sampled_at.map(|t| t.to_string()), Some(stored.1));
        // Earlier today, written by an older build: due now.
        let earlier = (chrono::Utc::now() - chrono::Duration::minutes(1))
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        store
            .conn
            .execute("UPDATE turn_stats SET next_attempt_at = ?1", [earlier])
            .unwrap();
        assert_eq!(candidates(&store), ["a/b"]);
    }
}
