//! Sync-run bookkeeping: which queries a run has finished and where each one stopped.
//!
//! A page of listing results, the progress of its query (the next `Link` URL) and the record of
//! which query found which dataset commit together in one transaction. A killed sync therefore
//! resumes exactly after its last committed page.

use super::datasets::{upsert_in, IndexFlags};
use super::{Result, Store, Timestamp, UpsertOutcome};
use crate::model::DatasetRecord;
use crate::score::Scores;
use rusqlite::OptionalExtension;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Resumes allowed before an unfinished run is abandoned and the next sync starts afresh.
pub const MAX_RESUMES: i64 = 3;

/// State of a sync run.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
    strum::AsRefStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    /// Under way (or killed without a chance to say so).
    Running,
    /// Every query finished.
    Complete,
    /// Stopped early by `--max-requests` or by errors on some queries; resumable.
    Partial,
    /// Stopped by Ctrl-C; resumable.
    Interrupted,
    /// Stopped by an error before finishing; resumable.
    Failed,
}

impl RunStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The status of a stored name; an unknown one reads as `running`.
    fn parse(s: &str) -> RunStatus {
        s.parse().unwrap_or(RunStatus::Running)
    }
}

/// One row of `sync_runs`.
#[derive(Debug, Clone, Serialize)]
pub struct RunRecord {
    /// Run id.
    pub id: i64,
    /// Start time.
    pub started_at: Timestamp,
    /// End time, when it ended cleanly.
    pub finished_at: Option<Timestamp>,
    /// State.
    pub status: RunStatus,
    /// `plan` (the quick pass: terms and filters), `full` (the whole Hub), `incremental`
    /// (changes since the last whole-Hub pass), or `all` (older whole-Hub runs).
    pub mode: String,
    /// Query keys of the plan.
    pub plan: Vec<String>,
    /// Counters written at the end.
    pub summary: Value,
    /// The error that ended it, if any.
    pub error: Option<String>,
}

/// Progress of one query inside a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryProgress {
    /// The query key (e.g. `search:therapy`, `filter:mental-health`, `all`).
    pub query_key: String,
    /// All pages fetched.
    pub done: bool,
    /// The next page to fetch (absolute URL from `Link`), `None` before the first page.
    pub next_url: Option<String>,
    /// Pages committed.
    pub pages: i64,
    /// Items committed.
    pub items: i64,
}

impl Store {
    /// Starts a run with `plan` as its pending queries.
    pub fn start_run(&mut self, mode: &str, plan: &[String]) -> Result<i64> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO sync_runs (started_at, status, mode, plan) VALUES (?1, 'running', ?2, ?3)",
            rusqlite::params![Timestamp::now(), mode, serde_json::to_string(plan)?],
        )?;
        let run_id = tx.last_insert_rowid();
        for key in plan {
            tx.execute(
                "INSERT OR IGNORE INTO sync_queries (run_id, query_key, status) VALUES (?1, ?2, 'pending')",
                rusqlite::params![run_id, key],
            )?;
        }
        tx.commit()?;
        Ok(run_id)
    }

    /// The newest run of `mode` if it did not complete and was resumed fewer than
    /// `MAX_RESUMES` times (a run that keeps failing is abandoned for a fresh one).
    pub fn resumable_run(&self, mode: &str) -> Result<Option<RunRecord>> {
        let Some(last) = self.last_run_of(Some(mode))? else {
            return Ok(None);
        };
        if last.status == RunStatus::Complete {
            return Ok(None);
        }
        let resumes: i64 = self.conn.query_row(
            "SELECT resumes FROM sync_runs WHERE id = ?1",
            [last.id],
            |r| r.get(0),
        )?;
        if resumes >= MAX_RESUMES {
            self.conn.execute(
                "UPDATE sync_runs SET status = 'failed', error = COALESCE(error, 'abandoned after repeated resumes') WHERE id = ?1",
                [last.id],
            )?;
            return Ok(None);
        }
        Ok(Some(last))
    }

    /// When the last complete run of any mode finished.
    pub fn last_complete_sync(&self) -> Result<Option<Timestamp>> {
        Ok(self
            .conn
            .query_row(
                "SELECT finished_at FROM sync_runs WHERE status = 'complete' ORDER BY id DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// When the newest complete run of one of `modes` started (the high-water mark of the
    /// whole-Hub passes: everything changed before it was listed).
    pub fn last_complete_start(&self, modes: &[&str]) -> Result<Option<Timestamp>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT started_at FROM sync_runs WHERE status = 'complete' AND mode = ?1
             ORDER BY id DESC LIMIT 1",
        )?;
        let mut newest: Option<Timestamp> = None;
        for mode in modes {
            if let Some(started) = stmt
                .query_row([mode], |r| r.get::<_, Timestamp>(0))
                .optional()?
            {
                newest = newest.max(Some(started));
            }
        }
        Ok(newest)
    }

    /// True when any run of `mode` was ever started.
    pub fn ever_ran(&self, mode: &str) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sync_runs WHERE mode = ?1)",
            [mode],
            |r| r.get::<_, bool>(0),
        )?)
    }

    /// The newest run (any mode).
    pub fn last_run(&self) -> Result<Option<RunRecord>> {
        self.last_run_of(None)
    }

    fn last_run_of(&self, mode: Option<&str>) -> Result<Option<RunRecord>> {
        let row = self
            .conn
            .query_row(
                "SELECT id, started_at, finished_at, status, mode, plan, summary, error
                 FROM sync_runs WHERE (?1 IS NULL OR mode = ?1) ORDER BY id DESC LIMIT 1",
                [mode],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, Timestamp>(1)?,
                        r.get::<_, Option<Timestamp>>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, Option<String>>(6)?,
                        r.get::<_, Option<String>>(7)?,
                    ))
                },
            )
            .optional()?;
        Ok(row.map(
            |(id, started_at, finished_at, status, mode, plan, summary, error)| RunRecord {
                id,
                started_at,
                finished_at,
                status: RunStatus::parse(&status),
                mode,
                plan: serde_json::from_str(&plan).unwrap_or_default(),
                summary: summary
                    .and_then(|s| serde_json::from_str(&s).ok())
                    .unwrap_or(Value::Null),
                error,
            },
        ))
    }

    /// Adds queries to an existing run (a resumed run whose plan grew); existing ones are kept.
    pub fn add_run_queries(&mut self, run_id: i64, keys: &[String]) -> Result<()> {
        let tx = self.conn.transaction()?;
        for key in keys {
            tx.execute(
                "INSERT OR IGNORE INTO sync_queries (run_id, query_key, status) VALUES (?1, ?2, 'pending')",
                rusqlite::params![run_id, key],
            )?;
        }
        tx.execute(
            "UPDATE sync_runs SET status = 'running', finished_at = NULL, error = NULL,
                resumes = resumes + 1 WHERE id = ?1",
            [run_id],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Progress of every query of a run, in plan order.
    pub fn run_queries(&self, run_id: i64) -> Result<Vec<QueryProgress>> {
        let mut stmt = self.conn.prepare(
            "SELECT query_key, status, next_url, pages, items FROM sync_queries WHERE run_id = ?1",
        )?;
        let rows = stmt
            .query_map([run_id], |r| {
                Ok(QueryProgress {
                    query_key: r.get(0)?,
                    done: r.get::<_, String>(1)? == "done",
                    next_url: r.get(2)?,
                    pages: r.get(3)?,
                    items: r.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Commits one listing page atomically (outcomes are in `items` order): the upserts, which query found them, the ids seen by an
    /// `--all` run, and the query's progress (`next_url = None` marks the query done).
    pub fn commit_page(
        &mut self,
        run_id: i64,
        query_key: &str,
        items: &[(DatasetRecord, Scores)],
        next_url: Option<&str>,
        record_seen: bool,
    ) -> Result<Vec<UpsertOutcome>> {
        // The whole-Hub passes find everything: recording them as "found by" adds nothing.
        let found_by = !matches!(query_key, "all" | "full") && !query_key.starts_with("since:");
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(items.len());
        for (record, scores) in items {
            outcomes.push(upsert_in(&tx, record, scores, IndexFlags::Flag)?);
            if found_by {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO dataset_queries (dataset_id, query_key, first_run) VALUES (?1, ?2, ?3)",
                )?
                .execute(rusqlite::params![record.id, query_key, run_id])?;
            }
            if record_seen {
                tx.prepare_cached(
                    "INSERT OR IGNORE INTO run_seen (run_id, dataset_id) VALUES (?1, ?2)",
                )?
                .execute(rusqlite::params![run_id, record.id])?;
            }
        }
        tx.execute(
            "UPDATE sync_queries SET next_url = ?3, pages = pages + 1, items = items + ?4,
                status = CASE WHEN ?3 IS NULL THEN 'done' ELSE 'pending' END
             WHERE run_id = ?1 AND query_key = ?2",
            rusqlite::params![run_id, query_key, next_url, items.len() as i64],
        )?;
        tx.commit()?;
        Ok(outcomes)
    }

    /// Ends a run with its status, counters and error.
    pub fn finish_run(
        &self,
        run_id: i64,
        status: RunStatus,
        summary: &Value,
        error: Option<&str>,
    ) -> Result<()> {
        self.conn.execute(
            "UPDATE sync_runs SET status = ?2, finished_at = ?3, summary = ?4, error = ?5 WHERE id = ?1",
            rusqlite::params![run_id, status.as_str(), Timestamp::now(), summary.to_string(), error],
        )?;
        Ok(())
    }

    /// After a complete `--all` run: marks datasets it did not see as gone (never deletes them)
    /// and forgets the run's seen-set. Returns how many were newly marked gone.
    pub fn mark_gone_after_full_run(&mut self, run_id: i64) -> Result<u64> {
        let tx = self.conn.transaction()?;
        let gone = tx.execute(
            "UPDATE datasets SET gone_at = ?2, index_dirty = 1
             WHERE gone_at IS NULL AND id NOT IN (SELECT dataset_id FROM run_seen WHERE run_id = ?1)",
            rusqlite::params![run_id, Timestamp::now()],
        )?;
        tx.execute("DELETE FROM run_seen WHERE run_id = ?1", [run_id])?;
        tx.commit()?;
        Ok(gone as u64)
    }
}

#[cfg(test)]
mod enum_names {
    use super::RunStatus;
    use strum::IntoEnumIterator;

    #[test]
    fn run_status_names_are_stable() {
        let names = ["running", "complete", "partial", "interrupted", "failed"];
        crate::test_support::assert_enum_names::<RunStatus>(&names);
        for (status, name) in RunStatus::iter().zip(names) {
            assert_eq!(status.as_str(), name);
            assert_eq!(RunStatus::parse(name), status);
            assert_eq!(serde_json::to_value(status).unwrap(), name);
        }
        assert_eq!(RunStatus::parse("unknown"), RunStatus::Running);
    }
}
