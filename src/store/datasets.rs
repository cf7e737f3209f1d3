//! Dataset rows: change-detecting upsert, reads, and the index/gone bookkeeping.

mod columns;

use super::{fingerprint, Result, Store, Timestamp, TurnRecord};
use crate::model::DatasetRecord;
use crate::score::Scores;
pub(super) use columns::column;
use columns::{
    detail_texts, read_stored, record_values, score_values, RECORD_COLUMNS, SCORE_COLUMNS,
    SELECT_DATASET,
};
use rusqlite::types::{ToSql, ToSqlOutput};
use rusqlite::{OptionalExtension, Transaction};
use serde_json::Value;
use std::sync::LazyLock;

/// What an upsert did to one dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    /// First time seen.
    New,
    /// Stored before and something changed (`sha_changed` says whether the content did).
    Changed {
        /// The git sha moved: turn statistics are stale.
        sha_changed: bool,
    },
    /// Identical to what is stored: nothing was written.
    Unchanged,
}

/// What the sync measured about a dataset, owned (see `crate::score::ScoringExtras`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OwnedExtras {
    /// The full README.
    pub readme: Option<String>,
    /// Sampled turn text.
    pub sample_text: Option<String>,
    /// Rows held a conversation (`Some(true)`), or none (`Some(false)`).
    pub measured_conversation: Option<bool>,
}

impl OwnedExtras {
    /// Borrowed for the scorer.
    pub fn as_extras(&self) -> crate::score::ScoringExtras<'_> {
        crate::score::ScoringExtras {
            readme: self.readme.as_deref(),
            conversation_text: self.sample_text.as_deref(),
            measured_conversation: self.measured_conversation,
        }
    }
}

impl StoredDataset {
    /// What the sync measured about this dataset, for scoring.
    pub fn extras(&self) -> crate::score::ScoringExtras<'_> {
        crate::score::ScoringExtras {
            readme: self.readme.as_deref(),
            conversation_text: self.turns.as_ref().and_then(|t| t.sample_text.as_deref()),
            measured_conversation: self
                .turns
                .as_ref()
                .and_then(TurnRecord::measured_conversation),
        }
    }
}

/// A dataset as read back from the catalog, with its scores and sampling outcome.
#[derive(Debug, Clone)]
pub struct StoredDataset {
    /// The normalised record.
    pub record: DatasetRecord,
    /// Scores stored with it.
    pub scores: Scores,
    /// When the catalog first saw it.
    pub first_seen: Timestamp,
    /// When its stored content last changed.
    pub changed_at: Timestamp,
    /// When a complete `sync --all` last missed it (it may have been deleted upstream).
    pub gone_at: Option<Timestamp>,
    /// Conversation sampling outcome, if sampled.
    pub turns: Option<TurnRecord>,
    /// The full README (candidates only: fetched while measuring turns).
    pub readme: Option<String>,
    /// Its family, when it belongs to one.
    pub family: Option<crate::family::Membership>,
}

/// Inserts a dataset or updates a stored one (keeping `first_seen`, clearing `gone_at`), flagged
/// for re-indexing or not (never clearing a flag). Parameters: [`record_values`], then the
/// content hash, the time, [`score_values`] and the flag.
static UPSERT_DATASET: LazyLock<String> = LazyLock::new(|| {
    let n = RECORD_COLUMNS.len();
    let (hash, now) = (n + 1, n + 2);
    let dirty = now + SCORE_COLUMNS.len() + 1;
    let placeholders: Vec<String> = (1..=n)
        .map(|i| format!("?{i}"))
        .chain((now + 1..=now + SCORE_COLUMNS.len()).map(|i| format!("?{i}")))
        .collect();
    let updates: Vec<String> = RECORD_COLUMNS
        .iter()
        .filter(|c| **c != "id")
        .chain(&SCORE_COLUMNS)
        .chain(&["content_hash", "changed_at"])
        .map(|c| format!("{c} = excluded.{c}"))
        .collect();
    let (record_placeholders, score_placeholders) = placeholders.split_at(n);
    format!(
        "INSERT INTO datasets ({}, {}, content_hash, first_seen, changed_at, gone_at, index_dirty)
         VALUES ({}, {}, ?{hash}, ?{now}, ?{now}, NULL, ?{dirty})
         ON CONFLICT(id) DO UPDATE SET {}, gone_at = NULL,
             index_dirty = max(index_dirty, excluded.index_dirty)",
        RECORD_COLUMNS.join(", "),
        SCORE_COLUMNS.join(", "),
        record_placeholders.join(", "),
        score_placeholders.join(", "),
        updates.join(", ")
    )
});

/// Inserts or updates one dataset inside `tx`; writes nothing when the content is identical.
pub(crate) fn upsert_in(
    tx: &Transaction<'_>,
    record: &DatasetRecord,
    scores: &Scores,
    flags: IndexFlags,
) -> Result<UpsertOutcome> {
    let hash = fingerprint(&serde_json::to_vec(record)?);
    let existing: Option<(String, Option<String>, Option<Timestamp>)> = tx
        .prepare_cached("SELECT content_hash, sha, gone_at FROM datasets WHERE id = ?1")?
        .query_row([&record.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?;
    let outcome = match &existing {
        None => UpsertOutcome::New,
        Some((old_hash, _, None)) if *old_hash == hash => return Ok(UpsertOutcome::Unchanged),
        Some((_, old_sha, _)) => UpsertOutcome::Changed {
            sha_changed: *old_sha != record.sha,
        },
    };
    let now = Timestamp::now();
    let mut values = record_values(record)?;
    values.push(ToSqlOutput::from(hash));
    values.push(now.to_sql()?);
    values.extend(score_values(scores));
    values.push(ToSqlOutput::from(i64::from(flags == IndexFlags::Flag)));
    tx.prepare_cached(&UPSERT_DATASET)?
        .execute(rusqlite::params_from_iter(values))?;
    Ok(outcome)
}

/// Whether written datasets are flagged for re-indexing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexFlags {
    /// Flagged: the live index is updated with them (the default).
    Flag,
    /// Not flagged, because no index generation is live and a full rebuild follows, which
    /// reads every row anyway: flags would only be written to be cleared, a rewrite of the
    /// whole table (1.5 GB for 1.5M datasets). Never use it while an index is live.
    RebuildFollows,
}

impl Store {
    /// Upserts a batch of records in one transaction, flagged for re-indexing.
    pub fn upsert_batch(
        &mut self,
        batch: &[(DatasetRecord, Scores)],
    ) -> Result<Vec<UpsertOutcome>> {
        self.upsert_batch_with(batch, IndexFlags::Flag)
    }

    /// [`Store::upsert_batch`] with the given [`IndexFlags`] (used by `catalog import`).
    pub fn upsert_batch_with(
        &mut self,
        batch: &[(DatasetRecord, Scores)],
        flags: IndexFlags,
    ) -> Result<Vec<UpsertOutcome>> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for (record, scores) in batch {
            outcomes.push(upsert_in(&tx, record, scores, flags)?);
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Reads one dataset by id (exact, then case-insensitive).
    pub fn get(&self, id: &str) -> Result<Option<StoredDataset>> {
        let sql = format!("{} WHERE d.id = ?1", *SELECT_DATASET);
        let found = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], read_stored)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
        let sql = format!("{} WHERE d.id = ?1 COLLATE NOCASE LIMIT 1", *SELECT_DATASET);
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], read_stored)
            .optional()?)
    }

    /// The heavy listing keys stored for a dataset (`cardData`, `citation`, `paperswithcode_id`,
    /// `usedStorage`, `mainSize`), as Hub item keys, so a light listing item can be completed
    /// with them instead of erasing them. Empty when the dataset is unknown.
    pub fn heavy_item_fields(&self, id: &str) -> Result<serde_json::Map<String, Value>> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT card_data, citation, paperswithcode_id, used_storage, main_size
                 FROM datasets WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                ))
            })
            .optional()?;
        let mut fields = serde_json::Map::new();
        if let Some((card, citation, pwc, used, main)) = row {
            if let Some(card) = card.and_then(|c| serde_json::from_str::<Value>(&c).ok()) {
                fields.insert("cardData".into(), card);
            }
            if let Some(c) = citation {
                fields.insert("citation".into(), Value::String(c));
            }
            if let Some(p) = pwc {
                fields.insert("paperswithcode_id".into(), Value::String(p));
            }
            if let Some(u) = used {
                fields.insert("usedStorage".into(), Value::from(u));
            }
            if let Some(m) = main {
                fields.insert("mainSize".into(), Value::from(m));
            }
        }
        Ok(fields)
    }

    /// What the sync measured about a stored dataset, for scoring a new listing of it: its
    /// README, sampled turn text, and whether rows held a conversation. `None` when nothing
    /// was measured (or the dataset is new).
    pub fn measured_extras(&self, id: &str) -> Result<Option<OwnedExtras>> {
        let found = self
            .conn
            .prepare_cached(
                "SELECT c.readme, t.sample_text, t.status, t.source
                 FROM datasets d LEFT JOIN cards c ON c.dataset_id = d.id
                 LEFT JOIN turn_stats t ON t.dataset_id = d.id
                 WHERE d.id = ?1 AND (c.dataset_id IS NOT NULL OR t.dataset_id IS NOT NULL)",
            )?
            .query_row([id], |r| {
                let turns = TurnRecord {
                    status: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    source: r.get(3)?,
                    ..TurnRecord::default()
                };
                Ok(OwnedExtras {
                    readme: r.get(0)?,
                    sample_text: r.get(1)?,
                    measured_conversation: turns.measured_conversation(),
                })
            })
            .optional()?;
        Ok(found)
    }

    /// Reads several datasets by id, in the order given (missing ids are skipped).
    pub fn get_many(&self, ids: &[String]) -> Result<Vec<StoredDataset>> {
        let sql = format!("{} WHERE d.id = ?1", *SELECT_DATASET);
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(found) = stmt.query_row([id], read_stored).optional()? {
                out.push(found);
            }
        }
        Ok(out)
    }

    /// Calls `f` for every dataset (or only those flagged for re-indexing), in the order they
    /// were first stored: a scan in table order reads each page once, where id order reads a
    /// whole page for every row (24 GB of copies for 1.5M datasets).
    pub fn for_each_dataset(
        &self,
        only_dirty: bool,
        mut f: impl FnMut(StoredDataset) -> Result<()>,
    ) -> Result<()> {
        let filter = if only_dirty {
            " WHERE d.index_dirty = 1"
        } else {
            ""
        };
        let sql = format!("{}{filter} ORDER BY d.rowid", *SELECT_DATASET);
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            f(read_stored(row)?)?;
        }
        Ok(())
    }

    /// Calls `f` for every dataset (not gone) with relevance at or above `floor`, in id order.
    pub fn for_each_relevant(
        &self,
        floor: f64,
        mut f: impl FnMut(StoredDataset) -> Result<()>,
    ) -> Result<()> {
        let sql = format!(
            "{} WHERE d.relevance >= ?1 AND d.gone_at IS NULL ORDER BY d.id",
            *SELECT_DATASET
        );
        let mut stmt = self.conn.prepare(&sql)?;
        let mut rows = stmt.query([floor])?;
        while let Some(row) = rows.next()? {
            f(read_stored(row)?)?;
        }
        Ok(())
    }

    /// Replaces stored scores in one transaction; rows whose scores moved are flagged for
    /// re-indexing. Returns how many changed.
    pub fn update_scores(&mut self, updates: &[(String, Scores)]) -> Result<u64> {
        let tx = self.conn.transaction()?;
        let mut changed = 0u64;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE datasets SET relevance = ?2, relevance_detail = ?3, quality = ?4,
                    quality_detail = ?5, index_dirty = 1
                 WHERE id = ?1 AND (relevance IS NOT ?2 OR relevance_detail IS NOT ?3
                    OR quality IS NOT ?4 OR quality_detail IS NOT ?5)",
            )?;
            for (id, scores) in updates {
                let (relevance_detail, quality_detail) = detail_texts(scores);
                changed += stmt.execute(rusqlite::params![
                    id,
                    scores.relevance,
                    relevance_detail,
                    scores.quality,
                    quality_detail
                ])? as u64;
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// The crawl queries that found a dataset (`search:…`, `filter:…`, `all`), oldest first.
    pub fn found_by(&self, id: &str) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT query_key FROM dataset_queries WHERE dataset_id = ?1 ORDER BY first_run, query_key",
        )?;
        let keys = stmt
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(keys)
    }

    /// Every dataset id, in id order.
    pub fn all_ids(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("SELECT id FROM datasets ORDER BY id")?;
        let ids = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// Marks every dataset as indexed (after a full rebuild) or only the given ids.
    pub fn mark_indexed(&mut self, ids: Option<&[String]>) -> Result<()> {
        let tx = self.conn.transaction()?;
        match ids {
            None => {
                tx.execute(
                    "UPDATE datasets SET index_dirty = 0 WHERE index_dirty = 1",
                    [],
                )?;
            }
            Some(ids) => {
                let mut stmt =
                    tx.prepare_cached("UPDATE datasets SET index_dirty = 0 WHERE id = ?1")?;
                for id in ids {
                    stmt.execute([id])?;
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Flags every dataset for re-indexing (after the index was lost or rebuilt from scratch).
    pub fn mark_all_dirty(&self) -> Result<()> {
        self.conn
            .execute("UPDATE datasets SET index_dirty = 1", [])?;
        Ok(())
    }

    /// Counts: all datasets, not gone, above the relevance floor, with turn figures.
    pub fn counts(&self, relevance_floor: f64) -> Result<CatalogCounts> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE gone_at IS NULL),
                COUNT(*) FILTER (WHERE relevance >= ?1 AND gone_at IS NULL),
                (SELECT COUNT(*) FROM turn_stats WHERE status = 'ok'),
                COUNT(*) FILTER (WHERE index_dirty = 1)
             FROM datasets",
            [relevance_floor],
            |r| {
                Ok(CatalogCounts {
                    datasets: r.get(0)?,
                    present: r.get(1)?,
                    relevant: r.get(2)?,
                    with_turns: r.get(3)?,
                    pending_index: r.get(4)?,
                })
            },
        )?)
    }
}

/// Headline numbers for `catalog status`.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct CatalogCounts {
    /// Every dataset ever stored.
    pub datasets: i64,
    /// Not marked gone.
    pub present: i64,
    /// At or above the relevance floor.
    pub relevant: i64,
    /// With measured turn statistics.
    pub with_turns: i64,
    /// Waiting to be (re)indexed.
    pub pending_index: i64,
}

#[cfg(test)]
mod tests;
