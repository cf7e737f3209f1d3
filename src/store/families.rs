//! Stored families (see [`crate::family`]): recomputed from the relevant part of the catalog
//! after each sync and by `reindex`; only memberships that changed are written.

use super::{Result, Store};
use crate::family::{detect, FamilyInput, Membership, Relation};
use serde_json::Value;
use std::collections::HashMap;

/// Datasets below this relevance take no part in family detection (keeps a whole-Hub catalog's
/// pass to the therapy-adjacent slice; copies of unrelated data are not what users filter).
pub const FAMILY_RELEVANCE_FLOOR: f64 = 0.2;

/// The relation of a stored name; an unknown one reads as `derived`.
pub(crate) fn relation_from(name: &str) -> Relation {
    name.parse().unwrap_or(Relation::Derived)
}

/// Column names of the card's `dataset_info.features` (first config), sorted.
fn feature_names(card: Option<&Value>) -> Vec<String> {
    let info = card.and_then(|c| c.get("dataset_info"));
    let config = match info {
        Some(Value::Array(configs)) => configs.first(),
        other => other,
    };
    let mut names: Vec<String> = config
        .and_then(|c| c.get("features"))
        .and_then(Value::as_array)
        .map(|f| {
            f.iter()
                .filter_map(|x| x.get("name").and_then(Value::as_str).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

impl Store {
    /// Recomputes families over datasets with relevance ≥ [`FAMILY_RELEVANCE_FLOOR`] and writes
    /// the memberships that changed (changed datasets are flagged for re-indexing). Returns how
    /// many memberships changed.
    pub fn refresh_families(&mut self) -> Result<u64> {
        let mut inputs: Vec<FamilyInput> = Vec::new();
        self.for_each_relevant(FAMILY_RELEVANCE_FLOOR, |d| {
            let card = d.record.card_data.as_ref();
            inputs.push(FamilyInput {
                id: d.record.id.clone(),
                created_at: d.record.created_at.clone(),
                downloads: d.record.downloads,
                languages: d.record.languages.clone(),
                description: d.record.description.clone().unwrap_or_default(),
                readme: d.readme.clone(),
                source_datasets: crate::model::string_list(
                    card.and_then(|c| c.get("source_datasets")),
                ),
                features: feature_names(card),
                num_rows: d
                    .turns
                    .as_ref()
                    .and_then(|t| t.num_rows)
                    .or(d.record.card_num_rows),
                sample_text: d
                    .turns
                    .as_ref()
                    .and_then(|t| t.sample_text.clone())
                    .unwrap_or_default(),
            });
            Ok(())
        })?;
        let found = detect(&inputs);
        let stored = self.all_memberships()?;
        let tx = self.conn.transaction()?;
        let mut changed = 0u64;
        for (id, membership) in &found {
            if stored.get(id) != Some(membership) {
                tx.execute(
                    "INSERT OR REPLACE INTO families (dataset_id, family_id, role, evidence) VALUES (?1, ?2, ?3, ?4)",
                    rusqlite::params![id, membership.family_id, membership.role.as_str(), serde_json::to_string(&membership.evidence)?],
                )?;
                tx.execute("UPDATE datasets SET index_dirty = 1 WHERE id = ?1", [id])?;
                changed += 1;
            }
        }
        for id in stored.keys().filter(|id| !found.contains_key(*id)) {
            tx.execute("DELETE FROM families WHERE dataset_id = ?1", [id])?;
            tx.execute("UPDATE datasets SET index_dirty = 1 WHERE id = ?1", [id])?;
            changed += 1;
        }
        tx.commit()?;
        Ok(changed)
    }

    fn all_memberships(&self) -> Result<HashMap<String, Membership>> {
        let mut stmt = self
            .conn
            .prepare("SELECT dataset_id, family_id, role, evidence FROM families")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, family_id, role, evidence) = row?;
            out.insert(
                id,
                Membership {
                    family_id,
                    role: relation_from(&role),
                    evidence: serde_json::from_str(&evidence).unwrap_or_default(),
                },
            );
        }
        Ok(out)
    }

    /// The family of a dataset, if it has one.
    pub fn family_of(&self, id: &str) -> Result<Option<Membership>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .prepare_cached("SELECT family_id, role, evidence FROM families WHERE dataset_id = ?1")?
            .query_row([id], |r| {
                Ok(Membership {
                    family_id: r.get(0)?,
                    role: relation_from(&r.get::<_, String>(1)?),
                    evidence: serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or_default(),
                })
            })
            .optional()?)
    }

    /// The ids of every member of each of `family_ids`, the root first (what `related` lists;
    /// cheaper than [`Store::family_members`], which also reads each membership's evidence).
    /// One statement for all of them: a page of results asks for up to a hundred families.
    pub fn family_member_ids(&self, family_ids: &[&str]) -> Result<HashMap<String, Vec<String>>> {
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        // SQLite allows 32,766 parameters a statement; a page never comes near, but stay safe.
        for chunk in family_ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn.prepare(&format!(
                "SELECT family_id, dataset_id FROM families WHERE family_id IN ({marks})
                 ORDER BY family_id, role != 'root', dataset_id"
            ))?;
            let rows = stmt.query_map(rusqlite::params_from_iter(chunk), |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?;
            for row in rows {
                let (family, id) = row?;
                out.entry(family).or_default().push(id);
            }
        }
        Ok(out)
    }

    /// Every member of a family with its membership, the root first.
    pub fn family_members(&self, family_id: &str) -> Result<Vec<(String, Membership)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT dataset_id, family_id, role, evidence FROM families WHERE family_id = ?1
             ORDER BY role != 'root', dataset_id",
        )?;
        let rows = stmt
            .query_map([family_id], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Membership {
                        family_id: r.get(1)?,
                        role: relation_from(&r.get::<_, String>(2)?),
                        evidence: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
                    },
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
