//! The SQLite FTS5 baseline: one SQL script, built from the same corpus file the catalog
//! imported, that the `sqlite3` CLI runs to create the baseline database.
//!
//! Text columns (id words, pretty name, tag words, description) come from the corpus, with the
//! catalog's own extraction rules. Relevance, quality, licences and languages are copied from the
//! catalog's database after its import (`ATTACH` + `UPDATE … FROM`), so both systems rank the
//! same rows with the same factors and filter on the same normalised values; items the catalog
//! rejected are dropped from the baseline too. Licences and languages also get indexed side tables
//! (`doc_license`, `doc_language`), so filter-only queries need not scan every row. Popularity is
//! precomputed with the catalog's formula; turn statistics are unknown in synthetic data, so the
//! turns factor is 0 and `avg_turns` is NULL.

use crate::process::{BenchError, Result};
use serde_json::Value;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

/// Rows per multi-row INSERT.
const ROWS_PER_INSERT: usize = 500;

/// Writes the baseline build script for `corpus` (JSON lines) to `script`; `catalog_db` is the
/// catalog's SQLite file to copy scores from. Returns the number of rows.
pub fn write_build_script(corpus: &Path, catalog_db: &Path, script: &Path) -> Result<u64> {
    let io_error = |what: &str, path: &Path, e: std::io::Error| {
        BenchError(format!("cannot {what} {}: {e}", path.display()))
    };
    let input = std::fs::File::open(corpus).map_err(|e| io_error("open", corpus, e))?;
    let output = std::fs::File::create(script).map_err(|e| io_error("create", script, e))?;
    let mut out = BufWriter::with_capacity(1 << 20, output);
    let mut rows = 0u64;
    let write = |out: &mut BufWriter<std::fs::File>, text: &str| {
        out.write_all(text.as_bytes())
            .map_err(|e| io_error("write", script, e))
    };
    write(&mut out, PROLOGUE)?;
    for (number, line) in BufReader::with_capacity(1 << 20, input).lines().enumerate() {
        let line = line.map_err(|e| io_error("read", corpus, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let item: Value = serde_json::from_str(&line)
            .map_err(|e| BenchError(format!("{} line {}: {e}", corpus.display(), number + 1)))?;
        let Some(values) = row_values(&item) else {
            continue;
        };
        if rows.is_multiple_of(ROWS_PER_INSERT as u64) {
            if rows > 0 {
                write(&mut out, ";\n")?;
            }
            write(&mut out, INSERT_HEADER)?;
        } else {
            write(&mut out, ",\n")?;
        }
        write(&mut out, &values)?;
        rows += 1;
    }
    if rows > 0 {
        write(&mut out, ";\n")?;
    }
    write(&mut out, &epilogue(catalog_db))?;
    out.flush().map_err(|e| io_error("write", script, e))?;
    Ok(rows)
}

const INSERT_HEADER: &str = "INSERT INTO docs(id, id_words, pretty_name, tags, description, \
downloads, likes, popularity, last_modified) VALUES\n";

const PROLOGUE: &str = "PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -200000;
CREATE TABLE docs (
    rowid         INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    id_words      TEXT,
    pretty_name   TEXT,
    tags          TEXT,
    description   TEXT,
    relevance     REAL NOT NULL DEFAULT 0,
    quality       REAL NOT NULL DEFAULT 0,
    avg_turns     REAL,
    turns         REAL NOT NULL DEFAULT 0,
    downloads     INTEGER NOT NULL DEFAULT 0,
    likes         INTEGER NOT NULL DEFAULT 0,
    popularity    REAL NOT NULL DEFAULT 0,
    last_modified TEXT,
    licenses      TEXT NOT NULL DEFAULT '[]',
    languages     TEXT NOT NULL DEFAULT '[]'
);
BEGIN;
";

fn epilogue(catalog_db: &Path) -> String {
    format!(
        "COMMIT;
ATTACH DATABASE {} AS cat;
UPDATE docs SET relevance = c.relevance, quality = c.quality, licenses = c.licenses,
    languages = c.languages
FROM cat.datasets AS c WHERE c.id = docs.id;
DELETE FROM docs WHERE id NOT IN (SELECT id FROM cat.datasets);
DETACH DATABASE cat;
CREATE TABLE doc_license (license TEXT NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (license, doc)) WITHOUT ROWID;
INSERT OR IGNORE INTO doc_license SELECT j.value, d.rowid FROM docs AS d, json_each(d.licenses) AS j;
CREATE TABLE doc_language (language TEXT NOT NULL, doc INTEGER NOT NULL,
    PRIMARY KEY (language, doc)) WITHOUT ROWID;
INSERT OR IGNORE INTO doc_language SELECT j.value, d.rowid FROM docs AS d, json_each(d.languages) AS j;
CREATE VIRTUAL TABLE fts USING fts5(
    id_words, pretty_name, tags, description,
    content = 'docs', content_rowid = 'rowid', tokenize = 'porter unicode61'
);
INSERT INTO fts(fts) VALUES ('rebuild');
INSERT INTO fts(fts) VALUES ('optimize');
",
        sql_text(&read_only_uri(catalog_db))
    )
}

/// `file:` URI that opens the catalog database read-only.
fn read_only_uri(path: &Path) -> String {
    let mut uri = String::from("file:");
    for c in path.display().to_string().chars() {
        match c {
            '%' => uri.push_str("%25"),
            '?' => uri.push_str("%3f"),
            '#' => uri.push_str("%23"),
            other => uri.push(other),
        }
    }
    uri.push_str("?mode=ro");
    uri
}

/// The `( … )` VALUES tuple of one listing item, or `None` without an id.
fn row_values(item: &Value) -> Option<String> {
    let id = item.get("id")?.as_str()?.trim();
    if id.is_empty() {
        return None;
    }
    let card = item.get("cardData").filter(|c| c.is_object());
    let pretty_name = card
        .and_then(|c| c.get("pretty_name"))
        .and_then(Value::as_str);
    let description = item.get("description").and_then(Value::as_str);
    let downloads = item.get("downloads").and_then(Value::as_u64).unwrap_or(0);
    let likes = item.get("likes").and_then(Value::as_u64).unwrap_or(0);
    let last_modified = item.get("lastModified").and_then(Value::as_str);
    Some(format!(
        "({}, {}, {}, {}, {}, {downloads}, {likes}, {:.6}, {})",
        sql_text(id),
        sql_text(&id_words(id)),
        pretty_name.map_or("NULL".to_string(), sql_text),
        sql_text(&tag_words(item)),
        description.map_or("NULL".to_string(), sql_text),
        popularity(downloads, likes),
        last_modified.map_or("NULL".to_string(), sql_text),
    ))
}

/// An SQL string literal (quotes doubled, NULs dropped).
fn sql_text(text: &str) -> String {
    format!("'{}'", text.replace('\0', "").replace('\'', "''"))
}

/// The catalog's popularity factor: 0.7·min(1, log₁₀(1+downloads)/6) + 0.3·min(1, log₁₀(1+likes)/4).
pub fn popularity(downloads: u64, likes: u64) -> f64 {
    let d = ((1.0 + downloads as f64).log10() / 6.0).min(1.0);
    let l = ((1.0 + likes as f64).log10() / 4.0).min(1.0);
    0.7 * d + 0.3 * l
}

/// The catalog's own repo-id splitting, so both systems see the same id words.
pub use catalog::search::schema::id_words;

/// The catalog's own searchable tag words, from the item normalised the catalog's way.
fn tag_words(item: &Value) -> String {
    catalog::model::DatasetRecord::from_listing_item(item)
        .map(|record| catalog::search::schema::tag_words(&record))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_split_like_the_catalog() {
        assert_eq!(
            id_words("AIMH/SQPsychConv_command"),
            "AIMH SQ Psych Conv command"
        );
        assert_eq!(id_words("x/psychotherapy1"), "x psychotherapy 1");
    }

    #[test]
    fn rows_escape_quotes_and_keep_search_fields() {
        let item = json!({
            "id": "o/its-CBT", "description": "a 'quoted' text", "downloads": 999_999, "likes": 0,
            "tags": ["task_categories:text-generation", "language:en", "mental_health"],
            "cardData": {"pretty_name": "P", "tags": ["therapy"]},
            "lastModified": "2025-02-01T00:00:00.000Z"
        });
        let row = row_values(&item).unwrap();
        assert!(row.starts_with("('o/its-CBT', 'o its CBT', 'P', 'text generation mental health therapy', 'a ''quoted'' text', 999999, 0, "), "{row}");
        assert!(row.ends_with("'2025-02-01T00:00:00.000Z')"), "{row}");
        assert!((popularity(999_999, 0) - 0.7).abs() < 1e-6);
        assert_eq!(row_values(&json!({"description": "no id"})), None);
    }

    #[test]
    fn the_catalog_is_attached_read_only() {
        let sql = epilogue(Path::new("/w/it's?.db"));
        assert!(
            sql.contains("ATTACH DATABASE 'file:/w/it''s%3f.db?mode=ro' AS cat;"),
            "{sql}"
        );
    }
}
