//! Sample rows as returned by the dataset viewer (`/first-rows` and `/rows` bodies).

use serde_json::{Map, Value};

/// Errors reading a viewer response body.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TurnsError {
    /// The body has no `rows` array.
    #[error("viewer response has no \"rows\" array")]
    MissingRows,
    /// A row entry is malformed.
    #[error("viewer row {index} is malformed: {reason}")]
    InvalidRow {
        /// Position of the entry in the `rows` array.
        index: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// One sampled row: its index in the split, its cells, and the cells the viewer cut.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SampleRow {
    /// Index of the row in the split (`row_idx`).
    pub row_idx: i64,
    /// Column name → cell value.
    pub row: Map<String, Value>,
    /// Columns whose cell the viewer cut and stringified (`truncated_cells`).
    pub truncated_cells: Vec<String>,
}

impl SampleRow {
    /// Parses the `rows` array of a `/first-rows` or `/rows` response body.
    pub fn from_viewer_json(v: &Value) -> Result<Vec<SampleRow>, TurnsError> {
        let rows = v
            .get("rows")
            .and_then(Value::as_array)
            .ok_or(TurnsError::MissingRows)?;
        rows.iter()
            .enumerate()
            .map(|(index, entry)| {
                let row_idx =
                    entry
                        .get("row_idx")
                        .and_then(Value::as_i64)
                        .ok_or(TurnsError::InvalidRow {
                            index,
                            reason: "missing integer row_idx",
                        })?;
                let row = entry.get("row").and_then(Value::as_object).cloned().ok_or(
                    TurnsError::InvalidRow {
                        index,
                        reason: "missing row object",
                    },
                )?;
                let truncated_cells = match entry.get("truncated_cells") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::Array(cells)) => cells
                        .iter()
                        .map(|c| c.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()
                        .ok_or(TurnsError::InvalidRow {
                            index,
                            reason: "truncated_cells holds a non-string",
                        })?,
                    Some(_) => {
                        return Err(TurnsError::InvalidRow {
                            index,
                            reason: "truncated_cells is not an array",
                        })
                    }
                };
                Ok(SampleRow {
                    row_idx,
                    row,
                    truncated_cells,
                })
            })
            .collect()
    }

    /// True when the viewer cut this row's cell in `column`.
    pub fn is_truncated(&self, column: &str) -> bool {
        self.truncated_cells.iter().any(|c| c == column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_viewer_rows() {
        let body = json!({"rows": [
            {"row_idx": 3, "row": {"text": "a"}, "truncated_cells": ["text"]},
            {"row_idx": 4, "row": {"text": "b"}}
        ]});
        let rows = SampleRow::from_viewer_json(&body).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].row_idx, 3);
        assert!(rows[0].is_truncated("text"));
        assert!(!rows[1].is_truncated("text"));
    }

    #[test]
    fn rejects_bad_bodies() {
        assert_eq!(
            SampleRow::from_viewer_json(&json!({"error": "x"})),
            Err(TurnsError::MissingRows)
        );
        let bad = json!({"rows": [{"row": {}}]});
        assert!(matches!(
            SampleRow::from_viewer_json(&bad),
            Err(TurnsError::InvalidRow { index: 0, .. })
        ));
    }

    #[test]
    fn reads_the_hub_api_examples() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/layouts");
        let text =
            std::fs::read_to_string(format!("{dir}/viewer_truncated_cells_ett.json")).unwrap();
        let rows = SampleRow::from_viewer_json(&serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].truncated_cells, ["target", "feat_dynamic_real"]);
    }
}
