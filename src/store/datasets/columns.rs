//! The `datasets` table's columns as the code sees them: which column holds which field of a
//! [`DatasetRecord`] and how (one declaration, [`record_columns!`]), the score and bookkeeping
//! columns, the one `SELECT` every read uses, and reading a row of it back into a
//! [`StoredDataset`].

use super::StoredDataset;
use crate::model::DatasetRecord;
use crate::score::Scores;
use crate::store::turns::turn_columns;
use crate::store::TurnRecord;
use rusqlite::types::ToSqlOutput;
use rusqlite::Row;
use std::sync::LazyLock;

/// Declares the `datasets` columns that hold a [`DatasetRecord`] — each exactly once, named like
/// its field, with how it is stored — and derives from that one list the column names
/// ([`RECORD_COLUMNS`]), the values written ([`record_values`]) and the row reader
/// ([`read_record`]). Codecs: `plain` (the value itself), `list` (a JSON array of strings),
/// `json` (JSON text, `NULL` when absent).
macro_rules! record_columns {
    ($($field:ident: $codec:ident),+ $(,)?) => {
        /// The `datasets` columns of a [`DatasetRecord`], in table order.
        pub(super) const RECORD_COLUMNS: &[&str] = &[$(stringify!($field)),+];

        /// The values of `record` for [`RECORD_COLUMNS`], in the same order.
        pub(super) fn record_values(
            record: &DatasetRecord,
        ) -> rusqlite::Result<Vec<ToSqlOutput<'_>>> {
            Ok(vec![$(codec::$codec::write(&record.$field)?),+])
        }

        /// The record of a row holding [`RECORD_COLUMNS`] under their own names.
        fn read_record(row: &Row<'_>) -> rusqlite::Result<DatasetRecord> {
            Ok(DatasetRecord {
                $($field: codec::$codec::read(row, stringify!($field))?),+
            })
        }
    };
}

record_columns! {
    id: plain,
    mongo_id: plain,
    author: plain,
    sha: plain,
    created_at: plain,
    last_modified: plain,
    private: plain,
    gated: plain,
    disabled: plain,
    downloads: plain,
    downloads_all_time: plain,
    likes: plain,
    trending_score: plain,
    tags: list,
    description: plain,
    card_data: json,
    citation: plain,
    paperswithcode_id: plain,
    used_storage: plain,
    main_size: plain,
    pretty_name: plain,
    licenses: list,
    languages: list,
    task_categories: list,
    card_tags: list,
    size_bytes: plain,
    card_num_rows: plain,
}

/// How record fields are stored (see [`record_columns!`]).
mod codec {
    use rusqlite::types::{FromSql, ToSql, ToSqlOutput};
    use rusqlite::Row;
    use serde_json::Value;

    fn encode_error(e: serde_json::Error) -> rusqlite::Error {
        rusqlite::Error::ToSqlConversionFailure(Box::new(e))
    }

    /// The value itself.
    pub(super) mod plain {
        use super::*;

        pub(in super::super) fn write<T: ToSql>(value: &T) -> rusqlite::Result<ToSqlOutput<'_>> {
            value.to_sql()
        }

        pub(in super::super) fn read<T: FromSql>(
            row: &Row<'_>,
            column: &str,
        ) -> rusqlite::Result<T> {
            super::super::column(row, column)
        }
    }

    /// A JSON array of strings (unreadable text reads as empty).
    pub(super) mod list {
        use super::*;

        pub(in super::super) fn write(value: &[String]) -> rusqlite::Result<ToSqlOutput<'static>> {
            serde_json::to_string(value)
                .map(ToSqlOutput::from)
                .map_err(encode_error)
        }

        pub(in super::super) fn read(row: &Row<'_>, column: &str) -> rusqlite::Result<Vec<String>> {
            let raw: String = super::super::column(row, column)?;
            Ok(serde_json::from_str(&raw).unwrap_or_default())
        }
    }

    /// JSON text, `NULL` when absent (unreadable text reads as absent).
    pub(super) mod json {
        use super::*;

        pub(in super::super) fn write(
            value: &Option<Value>,
        ) -> rusqlite::Result<ToSqlOutput<'static>> {
            let text = value.as_ref().map(Value::to_string);
            Ok(ToSqlOutput::Owned(rusqlite::types::Value::from(text)))
        }

        pub(in super::super) fn read(
            row: &Row<'_>,
            column: &str,
        ) -> rusqlite::Result<Option<Value>> {
            let raw: Option<String> = super::super::column(row, column)?;
            Ok(raw.and_then(|s| serde_json::from_str(&s).ok()))
        }
    }
}

/// The score columns, in the order of [`score_values`].
pub(super) const SCORE_COLUMNS: [&str; 4] =
    ["relevance", "relevance_detail", "quality", "quality_detail"];

pub(super) fn score_values(scores: &Scores) -> [ToSqlOutput<'static>; 4] {
    let (relevance_detail, quality_detail) = detail_texts(scores);
    [
        scores.relevance.into(),
        text_or_null(relevance_detail),
        scores.quality.into(),
        text_or_null(quality_detail),
    ]
}

fn text_or_null(text: Option<String>) -> ToSqlOutput<'static> {
    match text {
        Some(text) => text.into(),
        None => ToSqlOutput::Owned(rusqlite::types::Value::Null),
    }
}

/// The evidence of the scores as stored: JSON text, or NULL without it (and for the datasets
/// that do not keep it, see [`Scores::keeps_evidence`]).
pub(super) fn detail_texts(scores: &Scores) -> (Option<String>, Option<String>) {
    if !scores.keeps_evidence() {
        return (None, None);
    }
    (
        scores
            .relevance_detail
            .as_ref()
            .and_then(|d| serde_json::to_string(d).ok()),
        scores
            .quality_detail
            .as_ref()
            .and_then(|d| serde_json::to_string(d).ok()),
    )
}

/// Reads a stored score detail; unreadable or absent JSON is `None` (the score itself stays).
fn read_detail<T: serde::de::DeserializeOwned>(
    row: &Row<'_>,
    column: &str,
) -> rusqlite::Result<Option<T>> {
    let raw: Option<String> = self::column(row, column)?;
    Ok(raw.and_then(|s| serde_json::from_str(&s).ok()))
}

/// The catalog's own columns read with a dataset.
pub(super) const BOOKKEEPING_COLUMNS: [&str; 3] = ["first_seen", "changed_at", "gone_at"];

/// Every dataset column, its card's README, its family membership (prefixed `f_`), then the
/// turn columns (prefixed `t_`, see `turns::turn_columns`).
pub(super) static SELECT_DATASET: LazyLock<String> = LazyLock::new(|| {
    let columns: Vec<String> = RECORD_COLUMNS
        .iter()
        .chain(&SCORE_COLUMNS)
        .chain(&BOOKKEEPING_COLUMNS)
        .map(|c| format!("d.{c}"))
        .collect();
    format!(
        "SELECT {}, c.readme AS readme, f.family_id AS f_family_id, f.role AS f_role,
            f.evidence AS f_evidence, {}
         FROM datasets d LEFT JOIN turn_stats t ON t.dataset_id = d.id
         LEFT JOIN cards c ON c.dataset_id = d.id
         LEFT JOIN families f ON f.dataset_id = d.id",
        columns.join(", "),
        turn_columns!()
    )
});

/// The name of each column [`SELECT_DATASET`] returns, by position.
pub(super) static SELECTED_POSITIONS: LazyLock<std::collections::HashMap<&'static str, usize>> =
    LazyLock::new(|| {
        let turn_aliases = turn_columns!()
            .split(',')
            .filter_map(|column| column.split_whitespace().last());
        RECORD_COLUMNS
            .iter()
            .chain(&SCORE_COLUMNS)
            .chain(&BOOKKEEPING_COLUMNS)
            .copied()
            .chain(["readme", "f_family_id", "f_role", "f_evidence"])
            .chain(turn_aliases)
            .enumerate()
            .map(|(position, name)| (name, position))
            .collect()
    });

/// The position of column `name` in a row of [`SELECT_DATASET`]. rusqlite's lookup by name
/// compares the name with every column's (about 60 here, for each of about 60 reads a row: a
/// seventh of a reindex), so the position is taken from the select list and checked with one
/// comparison; any other statement falls back to the lookup by name.
pub(in crate::store) fn position(row: &Row<'_>, name: &str) -> rusqlite::Result<usize> {
    let statement = row.as_ref();
    match SELECTED_POSITIONS.get(name) {
        Some(&at) if statement.column_name(at).is_ok_and(|found| found == name) => Ok(at),
        _ => statement.column_index(name),
    }
}

/// Reads column `name` of a [`SELECT_DATASET`] row (see [`position`]).
pub(in crate::store) fn column<T: rusqlite::types::FromSql>(
    row: &Row<'_>,
    name: &str,
) -> rusqlite::Result<T> {
    row.get(position(row, name)?)
}

/// The dataset of a [`SELECT_DATASET`] row.
pub(super) fn read_stored(row: &Row<'_>) -> rusqlite::Result<StoredDataset> {
    let record = read_record(row)?;
    let scores = Scores {
        relevance: column(row, "relevance")?,
        quality: column(row, "quality")?,
        relevance_detail: read_detail(row, "relevance_detail")?,
        quality_detail: read_detail(row, "quality_detail")?,
    };
    let turns = match column::<Option<String>>(row, "t_id")? {
        Some(_) => Some(TurnRecord::from_row(row)?),
        None => None,
    };
    Ok(StoredDataset {
        record,
        scores,
        first_seen: column(row, "first_seen")?,
        changed_at: column(row, "changed_at")?,
        gone_at: column(row, "gone_at")?,
        turns,
        readme: column(row, "readme")?,
        family: match column::<Option<String>>(row, "f_family_id")? {
            Some(family_id) => Some(crate::family::Membership {
                family_id,
                role: crate::store::families::relation_from(
                    &column::<Option<String>>(row, "f_role")?.unwrap_or_default(),
                ),
                evidence: column::<Option<String>>(row, "f_evidence")?
                    .and_then(|e| serde_json::from_str(&e).ok())
                    .unwrap_or_default(),
            }),
            None => None,
        },
    })
}
