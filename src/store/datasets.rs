//! Dataset rows: change-detecting upsert, reads, and the index/gone bookkeeping.

use super::turns::turn_columns;
use super::{fingerprint, now_rfc3339, Result, Store, TurnRecord};
use crate::model::DatasetRecord;
use rusqlite::{named_params, OptionalExtension, Row, Transaction};
use serde_json::Value;

/// Scores computed for a record before it is stored (see `crate::score`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scores {
    /// Therapy relevance in [0, 1].
    pub relevance: f64,
    /// JSON detail of the relevance (matched terms, modalities, negatives).
    pub relevance_detail: Value,
    /// Quality in [0, 1].
    pub quality: f64,
    /// JSON breakdown of the quality.
    pub quality_detail: Value,
}

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
    pub first_seen: String,
    /// When its stored content last changed.
    pub changed_at: String,
    /// When a complete `sync --all` last missed it (it may have been deleted upstream).
    pub gone_at: Option<String>,
    /// Conversation sampling outcome, if sampled.
    pub turns: Option<TurnRecord>,
    /// The full README (candidates only: fetched while measuring turns).
    pub readme: Option<String>,
    /// Its family, when it belongs to one.
    pub family: Option<crate::family::Membership>,
}

/// Every dataset column, then the turn columns (prefixed `t_`, see `turns::TURN_COLUMNS`).
const SELECT_DATASET: &str = concat!("SELECT d.id, d.mongo_id, d.author, d.sha, d.created_at, d.last_modified,
    d.private, d.gated, d.disabled, d.downloads, d.downloads_all_time, d.likes, d.trending_score,
    d.tags, d.description, d.card_data, d.citation, d.paperswithcode_id, d.used_storage, d.main_size,
    d.pretty_name, d.licenses, d.languages, d.task_categories, d.card_tags, d.size_bytes,
    d.card_num_rows, d.relevance, d.relevance_detail, d.quality, d.quality_detail, d.first_seen,
    d.changed_at, d.gone_at, c.readme AS readme, f.family_id AS f_family_id, f.role AS f_role,
    f.evidence AS f_evidence, ", turn_columns!(), "
    FROM datasets d LEFT JOIN turn_stats t ON t.dataset_id = d.id
    LEFT JOIN cards c ON c.dataset_id = d.id
    LEFT JOIN families f ON f.dataset_id = d.id");

/// Inserts or updates one dataset inside `tx`; writes nothing when the content is identical.
pub(crate) fn upsert_in(
    tx: &Transaction<'_>,
    record: &DatasetRecord,
    scores: &Scores,
) -> Result<UpsertOutcome> {
    let hash = fingerprint(&serde_json::to_vec(record)?);
    let existing: Option<(String, Option<String>, Option<String>)> = tx
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
    let now = now_rfc3339();
    let json = |v: &Vec<String>| serde_json::to_string(v);
    tx.prepare_cached(
        "INSERT INTO datasets (id, mongo_id, author, sha, created_at, last_modified, private, gated,
            disabled, downloads, downloads_all_time, likes, trending_score, tags, description,
            card_data, citation, paperswithcode_id, used_storage, main_size, pretty_name, licenses,
            languages, task_categories, card_tags, size_bytes, card_num_rows, content_hash,
            first_seen, changed_at, gone_at, relevance, relevance_detail, quality, quality_detail,
            index_dirty)
         VALUES (:id, :mongo_id, :author, :sha, :created_at, :last_modified, :private, :gated,
            :disabled, :downloads, :downloads_all_time, :likes, :trending_score, :tags, :description,
            :card_data, :citation, :paperswithcode_id, :used_storage, :main_size, :pretty_name,
            :licenses, :languages, :task_categories, :card_tags, :size_bytes, :card_num_rows,
            :content_hash, :now, :now, NULL, :relevance, :relevance_detail, :quality,
            :quality_detail, 1)
         ON CONFLICT(id) DO UPDATE SET mongo_id = excluded.mongo_id, author = excluded.author,
            sha = excluded.sha, created_at = excluded.created_at,
            last_modified = excluded.last_modified, private = excluded.private,
            gated = excluded.gated, disabled = excluded.disabled, downloads = excluded.downloads,
            downloads_all_time = excluded.downloads_all_time, likes = excluded.likes,
            trending_score = excluded.trending_score, tags = excluded.tags,
            description = excluded.description, card_data = excluded.card_data,
            citation = excluded.citation, paperswithcode_id = excluded.paperswithcode_id,
            used_storage = excluded.used_storage, main_size = excluded.main_size,
            pretty_name = excluded.pretty_name, licenses = excluded.licenses,
            languages = excluded.languages, task_categories = excluded.task_categories,
            card_tags = excluded.card_tags, size_bytes = excluded.size_bytes,
            card_num_rows = excluded.card_num_rows, content_hash = excluded.content_hash,
            changed_at = excluded.changed_at, gone_at = NULL, relevance = excluded.relevance,
            relevance_detail = excluded.relevance_detail, quality = excluded.quality,
            quality_detail = excluded.quality_detail, index_dirty = 1",
    )?
    .execute(named_params! {
        ":id": record.id,
        ":mongo_id": record.mongo_id,
        ":author": record.author,
        ":sha": record.sha,
        ":created_at": record.created_at,
        ":last_modified": record.last_modified,
        ":private": record.private,
        ":gated": record.gated,
        ":disabled": record.disabled,
        ":downloads": record.downloads,
        ":downloads_all_time": record.downloads_all_time,
        ":likes": record.likes,
        ":trending_score": record.trending_score,
        ":tags": json(&record.tags)?,
        ":description": record.description,
        ":card_data": record.card_data.as_ref().map(Value::to_string),
        ":citation": record.citation,
        ":paperswithcode_id": record.paperswithcode_id,
        ":used_storage": record.used_storage,
        ":main_size": record.main_size,
        ":pretty_name": record.pretty_name,
        ":licenses": json(&record.licenses)?,
        ":languages": json(&record.languages)?,
        ":task_categories": json(&record.task_categories)?,
        ":card_tags": json(&record.card_tags)?,
        ":size_bytes": record.size_bytes,
        ":card_num_rows": record.card_num_rows,
        ":content_hash": hash,
        ":now": now,
        ":relevance": scores.relevance,
        ":relevance_detail": scores.relevance_detail.to_string(),
        ":quality": scores.quality,
        ":quality_detail": scores.quality_detail.to_string(),
    })?;
    Ok(outcome)
}

impl Store {
    /// Upserts a batch of records in one transaction (used by `catalog import`).
    pub fn upsert_batch(
        &mut self,
        batch: &[(DatasetRecord, Scores)],
    ) -> Result<Vec<UpsertOutcome>> {
        let tx = self.conn.transaction()?;
        let mut outcomes = Vec::with_capacity(batch.len());
        for (record, scores) in batch {
            outcomes.push(upsert_in(&tx, record, scores)?);
        }
        tx.commit()?;
        Ok(outcomes)
    }

    /// Reads one dataset by id (exact, then case-insensitive).
    pub fn get(&self, id: &str) -> Result<Option<StoredDataset>> {
        let sql = format!("{SELECT_DATASET} WHERE d.id = ?1");
        let found = self
            .conn
            .prepare_cached(&sql)?
            .query_row([id], read_stored)
            .optional()?;
        if found.is_some() {
            return Ok(found);
        }
        let sql = format!("{SELECT_DATASET} WHERE d.id = ?1 COLLATE NOCASE LIMIT 1");
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
        let sql = format!("{SELECT_DATASET} WHERE d.id = ?1");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(found) = stmt.query_row([id], read_stored).optional()? {
                out.push(found);
            }
        }
        Ok(out)
    }

    /// Calls `f` for every dataset (or only those flagged for re-indexing), in id order.
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
        let sql = format!("{SELECT_DATASET}{filter} ORDER BY d.id");
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
        let sql =
            format!("{SELECT_DATASET} WHERE d.relevance >= ?1 AND d.gone_at IS NULL ORDER BY d.id");
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
                changed += stmt.execute(rusqlite::params![
                    id,
                    scores.relevance,
                    scores.relevance_detail.to_string(),
                    scores.quality,
                    scores.quality_detail.to_string()
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

fn list(row: &Row<'_>, column: &str) -> rusqlite::Result<Vec<String>> {
    let raw: String = row.get(column)?;
    Ok(serde_json::from_str(&raw).unwrap_or_default())
}

fn json_value(row: &Row<'_>, column: &str) -> rusqlite::Result<Option<Value>> {
    let raw: Option<String> = row.get(column)?;
    Ok(raw.and_then(|s| serde_json::from_str(&s).ok()))
}

fn read_stored(row: &Row<'_>) -> rusqlite::Result<StoredDataset> {
    let record = DatasetRecord {
        id: row.get("id")?,
        mongo_id: row.get("mongo_id")?,
        author: row.get("author")?,
        sha: row.get("sha")?,
        created_at: row.get("created_at")?,
        last_modified: row.get("last_modified")?,
        private: row.get("private")?,
        gated: row.get("gated")?,
        disabled: row.get("disabled")?,
        downloads: row.get("downloads")?,
        downloads_all_time: row.get("downloads_all_time")?,
        likes: row.get("likes")?,
        trending_score: row.get("trending_score")?,
        tags: list(row, "tags")?,
        description: row.get("description")?,
        card_data: json_value(row, "card_data")?,
        citation: row.get("citation")?,
        paperswithcode_id: row.get("paperswithcode_id")?,
        used_storage: row.get("used_storage")?,
        main_size: row.get("main_size")?,
        pretty_name: row.get("pretty_name")?,
        licenses: list(row, "licenses")?,
        languages: list(row, "languages")?,
        task_categories: list(row, "task_categories")?,
        card_tags: list(row, "card_tags")?,
        size_bytes: row.get("size_bytes")?,
        card_num_rows: row.get("card_num_rows")?,
    };
    let scores = Scores {
        relevance: row.get("relevance")?,
        relevance_detail: json_value(row, "relevance_detail")?.unwrap_or(Value::Null),
        quality: row.get("quality")?,
        quality_detail: json_value(row, "quality_detail")?.unwrap_or(Value::Null),
    };
    let turns = match row.get::<_, Option<String>>("t_id")? {
        Some(_) => Some(TurnRecord::from_row(row)?),
        None => None,
    };
    Ok(StoredDataset {
        record,
        scores,
        first_seen: row.get("first_seen")?,
        changed_at: row.get("changed_at")?,
        gone_at: row.get("gone_at")?,
        turns,
        readme: row.get("readme")?,
        family: match row.get::<_, Option<String>>("f_family_id")? {
            Some(family_id) => Some(crate::family::Membership {
                family_id,
                role: super::families::relation_from(
                    &row.get::<_, Option<String>>("f_role")?.unwrap_or_default(),
                ),
                evidence: row
                    .get::<_, Option<String>>("f_evidence")?
                    .and_then(|e| serde_json::from_str(&e).ok())
                    .unwrap_or_default(),
            }),
            None => None,
        },
    })
}
