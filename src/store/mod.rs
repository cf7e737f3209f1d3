//! SQLite catalog: the only source of truth.
//!
//! One file (`catalog.sqlite3` in the data dir), WAL mode, schema migrations from
//! `schema/migrations/` tracked by `PRAGMA user_version`. Every write that belongs together runs in
//! one transaction, so a crash (even `kill -9`) leaves the previous state intact.

mod cards;
mod datasets;
mod families;
mod runs;
mod time;
mod turns;

pub use cards::StoredCard;
pub use datasets::CatalogCounts;

pub use datasets::{IndexFlags, OwnedExtras, StoredDataset, UpsertOutcome};
pub use families::FAMILY_RELEVANCE_FLOOR;
pub use runs::{QueryProgress, RunRecord, RunStatus};
pub use time::Timestamp;
pub use turns::{status as turn_status, TurnRecord};

use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// The migrations, in order. Migration `i` (0-based) moves `user_version` from `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    include_str!("../../schema/migrations/0001_init.sql"),
    include_str!("../../schema/migrations/0002_id_nocase.sql"),
    include_str!("../../schema/migrations/0003_run_resumes.sql"),
    include_str!("../../schema/migrations/0004_turn_evidence.sql"),
    include_str!("../../schema/migrations/0005_sample_text.sql"),
    include_str!("../../schema/migrations/0006_families.sql"),
    include_str!("../../schema/migrations/0007_family_members_index.sql"),
];

/// Errors of the catalog store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No catalog file exists yet.
    #[error("no catalog at {0} — run `catalog sync` (or `catalog import FILE`) first")]
    Missing(PathBuf),
    /// The file exists but is not a usable SQLite database.
    #[error("the catalog at {path} is unreadable ({source}); move it aside and run `catalog sync` to rebuild it")]
    Corrupt {
        /// The catalog file.
        path: PathBuf,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// The catalog was written by a newer version of this tool.
    #[error("the catalog at {path} has schema version {found}, newer than this build knows ({known}); upgrade catalog")]
    TooNew {
        /// The catalog file.
        path: PathBuf,
        /// Its `user_version`.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// Any other SQLite error.
    #[error("catalog database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A JSON column could not be encoded or decoded.
    #[error("catalog JSON column error: {0}")]
    Json(#[from] serde_json::Error),
    /// Creating the data directory failed.
    #[error("cannot create {path}: {source}")]
    Io {
        /// The directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Result alias for the store.
pub type Result<T> = std::result::Result<T, StoreError>;

/// An open catalog database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// Page cache of a connection that writes, in KiB (SQLite's default is 2 MiB). Ids arrive in
/// no order, so every write lands somewhere else in the two id indexes (126 MB at 1.5M
/// datasets); with the default cache each one read its pages again.
const WRITER_CACHE_KIB: i64 = 128 * 1024;

/// How much of the catalog a read-only connection maps (SQLite caps it at 2 GiB).
const READER_MMAP_BYTES: i64 = 1 << 32;

/// The page size of a new catalog file.
const PAGE_SIZE: i64 = 16 * 1024;

impl Store {
    /// Opens (creating if needed) the catalog for writing and applies pending migrations.
    pub fn open_or_create(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path).map_err(|e| corrupt_or(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure(false)?;
        store.migrate()?;
        Ok(store)
    }

    /// Opens an existing catalog read-only (query, show, export, report, status).
    pub fn open_read_only(path: &Path) -> Result<Store> {
        if !path.exists() {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| corrupt_or(path, e))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure(true)?;
        let version = store.user_version()?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew {
                path: store.path.clone(),
                found: version,
                known,
            });
        }
        if version == 0 {
            return Err(StoreError::Missing(path.to_path_buf()));
        }
        Ok(store)
    }

    /// The catalog file this store reads.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self, read_only: bool) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(10))?;
        if !read_only {
            // Before the first table exists only (a later change would need a VACUUM): rows of
            // about 900 bytes left an eighth of each 4 KiB page unused; 16 KiB pages make the
            // catalog about a tenth smaller. Ignored by SQLite for an existing catalog.
            self.conn.pragma_update(None, "page_size", PAGE_SIZE)?;
            self.conn
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(|e| corrupt_or(&self.path, e))?;
            self.conn.pragma_update(None, "synchronous", "NORMAL")?;
            self.conn
                .pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        } else {
            // A query reads a few hundred pages at random (records and family lookups of the
            // hits); mapped, they are not copied through read(2): 22.9 → 19.5 ms at 1.5M. The
            // catalog only grows (nothing truncates it), so a mapping never outlives its pages.
            self.conn
                .pragma_update(None, "mmap_size", READER_MMAP_BYTES)?;
        }
        Ok(())
    }

    fn user_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| corrupt_or(&self.path, e))
    }

    /// Applies every migration above the stored `user_version`, each in its own transaction.
    fn migrate(&mut self) -> Result<()> {
        let version = self.user_version()?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                known,
            });
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = self.conn.transaction()?;
            tx.execute_batch(sql)?;
            tx.pragma_update(None, "user_version", index as i64 + 1)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Reads a value from the `meta` table.
    pub fn meta(&self, key: &str) -> Result<Option<String>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    }

    /// Writes a value to the `meta` table.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }

    /// What the stored scores were computed with ([`crate::score::scorer_stamp`]), when known:
    /// catalogs scored before stamps existed have none.
    pub fn scored_with(&self) -> Result<Option<String>> {
        self.meta(SCORED_WITH)
    }

    /// Why the stored scores are not all `current`'s ([`crate::score::stale_scores`]), or
    /// `None` when they are.
    pub fn stale_scores(&self, current: &str) -> Result<Option<String>> {
        Ok(crate::score::stale_scores(
            self.scored_with()?.as_deref(),
            current,
        ))
    }

    /// Records that every stored score was computed with `stamp` (after a full rescoring).
    pub fn set_scored_with(&self, stamp: &str) -> Result<()> {
        self.set_meta(SCORED_WITH, stamp)
    }

    /// Records that scores computed with `stamp` are about to be stored. An empty catalog takes
    /// `stamp`; a catalog stamped with another scorer or lexicon (or with none: scored before
    /// stamps) becomes mixed, which only a full rescoring (`reindex`) makes whole again.
    pub fn record_scoring(&self, stamp: &str) -> Result<()> {
        let any: bool = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM datasets)", [], |r| r.get(0))?;
        if !any {
            return self.set_scored_with(stamp);
        }
        match self.scored_with()? {
            Some(stored) if stored == stamp => Ok(()),
            _ => self.set_scored_with(&format!("several scorers or lexicons (the last: {stamp})")),
        }
    }

    /// Runs SQLite's integrity check; returns the problems found (empty when healthy).
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let rows: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows.into_iter().filter(|r| r != "ok").collect())
    }
}

fn corrupt_or(path: &Path, e: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match e.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            source: e,
        },
        _ => StoreError::Sqlite(e),
    }
}

/// The `meta` key of [`Store::scored_with`].
const SCORED_WITH: &str = "scored_with";

/// 64-bit FNV-1a as hex: a stable fingerprint (std's hasher may change between Rust releases).
pub fn fingerprint(bytes: &[u8]) -> String {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(bytes);
    format!("{:016x}", hasher.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_fnv_1a_as_stored_by_earlier_versions() {
        // Stored fingerprints decide what a sync sees as changed: the function must not move.
        assert_eq!(fingerprint(b""), "cbf29ce484222325");
        assert_eq!(fingerprint(b"a"), "af63dc4c8601ec8c");
    }

    #[test]
    fn migrations_apply_in_order_and_upgrade_old_catalogs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("catalog.sqlite3");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
        }
        let store = Store::open_or_create(&path).unwrap();
        assert_eq!(store.user_version().unwrap(), MIGRATIONS.len() as i64);
        let has_index: i64 = store
            .conn
            .query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE name = 'datasets_id_nocase'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(has_index, 1);
        let page_size = |store: &Store| -> i64 {
            store
                .conn
                .query_row("PRAGMA page_size", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(
            page_size(&store),
            4096,
            "an existing catalog keeps its pages"
        );
        let fresh = Store::open_or_create(&dir.path().join("new.sqlite3")).unwrap();
        assert_eq!(page_size(&fresh), PAGE_SIZE);
        drop(store);
        // A catalog from a newer build is refused, not damaged.
        Connection::open(&path)
            .unwrap()
            .pragma_update(None, "user_version", 99)
            .unwrap();
        assert!(matches!(
            Store::open_or_create(&path),
            Err(StoreError::TooNew { found: 99, .. })
        ));
        assert!(matches!(
            Store::open_read_only(&path),
            Err(StoreError::TooNew { .. })
        ));
    }

    #[test]
    fn a_run_that_keeps_failing_is_abandoned_after_max_resumes() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("c.sqlite3")).unwrap();
        let run = store.start_run("plan", &["search:x".to_string()]).unwrap();
        for _ in 0..runs::MAX_RESUMES {
            let resumable = store.resumable_run("plan").unwrap().expect("resumable");
            assert_eq!(resumable.id, run);
            store.add_run_queries(run, &[]).unwrap();
        }
        assert!(store.resumable_run("plan").unwrap().is_none());
        assert_eq!(store.last_run().unwrap().unwrap().status, RunStatus::Failed);
    }

    #[test]
    fn a_failed_resample_keeps_measured_figures() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open_or_create(&dir.path().join("c.sqlite3")).unwrap();
        let measured = TurnRecord {
            sha: Some("old".into()),
            status: turn_status::OK.into(),
            avg_turns: Some(24.0),
            ..TurnRecord::default()
        };
        store.save_turns("a/b", &measured).unwrap();
        let failed = TurnRecord {
            sha: Some("new".into()),
            status: turn_status::RETRY.into(),
            ..TurnRecord::default()
        };
        store.save_turns("a/b", &failed).unwrap();
        let kept: (String, f64, String) = store
            .conn
            .query_row(
                "SELECT status, avg_turns, sha FROM turn_stats WHERE dataset_id = 'a/b'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(kept, ("ok".to_string(), 24.0, "old".to_string()));
    }
}
