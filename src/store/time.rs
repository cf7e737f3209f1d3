//! The catalog's timestamps: typed in Rust, one text format on disk.
//!
//! Every time column (`first_seen`, `changed_at`, `gone_at`, `started_at`, `finished_at`,
//! `sampled_at`, `next_attempt_at`, `fetched_at`) has always held UTC RFC 3339 text with
//! milliseconds, `2026-01-01T00:00:00.000Z`. [`Timestamp`] keeps writing exactly that: rusqlite's
//! own `ToSql` for `DateTime<Utc>` writes `2026-01-01 00:00:00.000+00:00`, which sorts before
//! `…T…` on the same day, so `next_attempt_at <= ?` and `ORDER BY` between old and new rows
//! would break. Reading goes through rusqlite's `chrono` `FromSql` for `DateTime<Utc>`, which
//! accepts both forms. `Display` and serde use the stored form too, so `show --json` and
//! `status` print what they always printed.

use chrono::{DateTime, SubsecRound, Utc};
use rusqlite::types::{FromSql, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A UTC instant stored in the catalog, at millisecond precision (what the column keeps).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<Utc>);

impl Timestamp {
    /// The current time, cut to the milliseconds the catalog stores (so a value read back
    /// equals the one written).
    pub fn now() -> Timestamp {
        Timestamp::from(Utc::now())
    }

    /// The stored text: RFC 3339, UTC, milliseconds, `Z` (`2026-01-01T00:00:00.000Z`).
    pub fn to_rfc3339(&self) -> String {
        self.0.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(time: DateTime<Utc>) -> Timestamp {
        Timestamp(time.trunc_subsecs(3))
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(time: Timestamp) -> DateTime<Utc> {
        time.0
    }
}

impl std::ops::Deref for Timestamp {
    type Target = DateTime<Utc>;

    fn deref(&self) -> &DateTime<Utc> {
        &self.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl ToSql for Timestamp {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.to_rfc3339()))
    }
}

impl FromSql for Timestamp {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        DateTime::<Utc>::column_result(value).map(Timestamp)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        DateTime::<Utc>::deserialize(deserializer).map(Timestamp::from)
    }
}

impl From<Timestamp> for serde_json::Value {
    fn from(time: Timestamp) -> serde_json::Value {
        serde_json::Value::String(time.to_rfc3339())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use rusqlite::Connection;

    fn at(ms: u32) -> Timestamp {
        Timestamp(
            Utc.with_ymd_and_hms(2026, 1, 1, 10, 0, 0).unwrap()
                + chrono::Duration::milliseconds(i64::from(ms)),
        )
    }

    #[test]
    fn writes_the_format_existing_catalogs_hold() {
        let conn = Connection::open_in_memory().unwrap();
        let text: String = conn.query_row("SELECT ?1", [at(5)], |r| r.get(0)).unwrap();
        assert_eq!(text, "2026-01-01T10:00:00.005Z");
        assert_eq!(at(0).to_string(), "2026-01-01T10:00:00.000Z");
        assert_eq!(
            serde_json::to_value(at(0)).unwrap(),
            "2026-01-01T10:00:00.000Z"
        );
        assert_eq!(serde_json::Value::from(at(0)), "2026-01-01T10:00:00.000Z");
    }

    #[test]
    fn reads_rows_written_by_older_builds_and_by_rusqlite() {
        let conn = Connection::open_in_memory().unwrap();
        for (text, expected) in [
            ("2026-01-01T10:00:00.000Z", at(0)),
            ("2026-01-01T10:00:00.123Z", at(123)),
            ("2026-01-01T10:00:00Z", at(0)),
            ("2026-01-01T11:00:00.000+01:00", at(0)),
            ("2026-01-01 10:00:00.123+00:00", at(123)),
        ] {
            let read: Timestamp = conn.query_row("SELECT ?1", [text], |r| r.get(0)).unwrap();
            assert_eq!(read, expected, "{text}");
        }
        let missing: Option<Timestamp> = conn.query_row("SELECT NULL", [], |r| r.get(0)).unwrap();
        assert_eq!(missing, None);
        assert!(conn
            .query_row("SELECT 'soon'", [], |r| r.get::<_, Timestamp>(0))
            .is_err());
    }

    #[test]
    fn sql_comparisons_agree_with_time_order_across_old_and_new_rows() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (at TEXT)").unwrap();
        // A row from an older build, then one written now, a little earlier on the same day.
        conn.execute("INSERT INTO t VALUES ('2026-01-01T10:00:00.500Z')", [])
            .unwrap();
        conn.execute("INSERT INTO t VALUES (?1)", [at(100)])
            .unwrap();
        let due: i64 = conn
            .query_row("SELECT COUNT(*) FROM t WHERE at <= ?1", [at(200)], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(due, 1);
        let ordered: Vec<Timestamp> = conn
            .prepare("SELECT at FROM t ORDER BY at")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(ordered, [at(100), at(500)]);
    }

    #[test]
    fn now_round_trips_through_a_column() {
        let conn = Connection::open_in_memory().unwrap();
        let now = Timestamp::now();
        let read: Timestamp = conn.query_row("SELECT ?1", [now], |r| r.get(0)).unwrap();
        assert_eq!(read, now);
        let json = serde_json::to_string(&now).unwrap();
        assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), now);
    }
}
