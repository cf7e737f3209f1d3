//! Full READMEs of candidate datasets, kept with their `ETag` for conditional refetches.

use super::{Result, Store, Timestamp};
use rusqlite::OptionalExtension;

/// A stored README.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCard {
    /// The dataset sha when it was fetched.
    pub sha: Option<String>,
    /// `ETag` of that version.
    pub etag: Option<String>,
    /// The README text (front matter included).
    pub readme: String,
}

impl Store {
    /// The stored README of a dataset, if any.
    pub fn card(&self, dataset_id: &str) -> Result<Option<StoredCard>> {
        Ok(self
            .conn
            .prepare_cached("SELECT sha, etag, readme FROM cards WHERE dataset_id = ?1")?
            .query_row([dataset_id], |r| {
                Ok(StoredCard {
                    sha: r.get(0)?,
                    etag: r.get(1)?,
                    readme: r.get(2)?,
                })
            })
            .optional()?)
    }

    /// Stores (replaces) a README and flags the dataset for re-indexing.
    pub fn save_card(&mut self, dataset_id: &str, card: &StoredCard) -> Result<()> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT OR REPLACE INTO cards (dataset_id, sha, etag, readme, fetched_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            rusqlite::params![
                dataset_id,
                card.sha,
                card.etag,
                card.readme,
                Timestamp::now()
            ],
        )?;
        tx.execute(
            "UPDATE datasets SET index_dirty = 1 WHERE id = ?1",
            [dataset_id],
        )?;
        tx.commit()?;
        Ok(())
    }
}
