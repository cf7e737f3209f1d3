//! Families of datasets: copies, conversions, translations and subsets of one dataset that the
//! Hub lists as unrelated repos (pure: no I/O).
//!
//! Evidence a user can check, per pair of datasets:
//! - **link**: one card links to the other (`huggingface.co/datasets/x/y`, "Original dataset
//!   card: x/y", "converted from x/y", the YAML `source_datasets`) — outside "related work",
//!   "see also" and citation sections, which mention datasets without deriving from them;
//! - **same name**: the same name under another owner, after dropping conversion and language
//!   suffixes (`-processed`, `-sharegpt`, `_ko`, `-ru`, `-v2`); generic names (`mental_health`,
//!   `therapy_data`) need a second signal;
//! - **same description**: near-identical description text (MinHash of word shingles);
//! - **same conversations**: near-identical sampled turn text;
//! - **same shape**: identical columns with equal row counts (only a second signal).
//!
//! Pairs are found through blocking keys (base name, links, MinHash bands), never by comparing
//! every pair, and joined with union-find. Each family's root is the dataset the others link to,
//! else the earliest created, else the most downloaded; every other member gets a relation to
//! the root: `translation` (languages differ), `conversion` (columns differ, or a conversion
//! suffix), `subset` (same columns, fewer rows), `copy` (same text), else `derived`. MinHash is
//! hand-written (64 hashes of 3-word shingles, 16 bands): a crate would add a dependency for
//! thirty lines.

mod links;
mod minhash;
mod names;

#[cfg(test)]
mod tests;

use minhash::Signature;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub use links::{linked_datasets, linked_with_hints};
pub use names::base_name;
use names::{is_generic, names_overlap, owner};

/// What family detection reads about one dataset.
#[derive(Debug, Clone, Default)]
pub struct FamilyInput {
    /// Repo id `owner/name`.
    pub id: String,
    /// Creation time (RFC 3339), for the root.
    pub created_at: Option<String>,
    /// Downloads, for the root when creation times tie.
    pub downloads: i64,
    /// Language codes.
    pub languages: Vec<String>,
    /// The listing description.
    pub description: String,
    /// The README (links are read from it).
    pub readme: Option<String>,
    /// `source_datasets` of the card.
    pub source_datasets: Vec<String>,
    /// Column names, sorted.
    pub features: Vec<String>,
    /// Rows, when known.
    pub num_rows: Option<i64>,
    /// Sampled conversation text.
    pub sample_text: String,
}

/// How a member relates to its family's root.
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
pub enum Relation {
    /// The original.
    Root,
    /// The same data re-uploaded.
    Copy,
    /// The same data in another layout.
    Conversion,
    /// The same data in another language.
    Translation,
    /// Part of the data.
    Subset,
    /// Built from the data.
    Derived,
}

impl Relation {
    /// Stable name (`root`, `copy`, `conversion`, `translation`, `subset`, `derived`), as
    /// stored in the catalog; [`str::parse`] reads it back.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One dataset's place in its family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    /// The family: its root's id.
    pub family_id: String,
    /// The relation to the root.
    pub role: Relation,
    /// The evidence tying this dataset to the family (empty for the root).
    pub evidence: Vec<String>,
}

/// Union-find over dataset indices.
struct Families(Vec<usize>);

impl Families {
    fn find(&mut self, mut i: usize) -> usize {
        while let Some(&parent) = self.0.get(i) {
            if parent == i {
                break;
            }
            let grand = self.0.get(parent).copied().unwrap_or(parent);
            if let Some(slot) = self.0.get_mut(i) {
                *slot = grand;
            }
            i = parent;
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            if let Some(slot) = self.0.get_mut(rb) {
                *slot = ra;
            }
        }
    }
}

/// Why two datasets belong together.
#[derive(Debug, Clone)]
struct Edge {
    a: usize,
    b: usize,
    why: String,
    /// `a` links to `b` (so `b` is the original).
    link_to_b: bool,
    /// The relation of `a` to `b` the linking card states.
    hint: Option<Relation>,
}

/// Detects families among `inputs`; datasets in no family are absent from the result.
pub fn detect(inputs: &[FamilyInput]) -> HashMap<String, Membership> {
    let index: HashMap<String, usize> = inputs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.to_lowercase(), i))
        .collect();
    let descriptions: Vec<Option<Signature>> = inputs
        .iter()
        .map(|d| minhash::signature(&d.description))
        .collect();
    let samples: Vec<Option<Signature>> = inputs
        .iter()
        .map(|d| minhash::signature(&d.sample_text))
        .collect();
    let mut edges: Vec<Edge> = Vec::new();

    // Links: one card names the other.
    for (i, d) in inputs.iter().enumerate() {
        let mut linked = linked_with_hints(d.readme.as_deref().unwrap_or(""));
        linked.extend(
            d.source_datasets
                .iter()
                .map(|s| (s.clone(), Some(Relation::Derived))),
        );
        for (target, hint) in linked {
            if let Some(&j) = index.get(&target.to_lowercase()) {
                if j != i {
                    let why = if d.source_datasets.contains(&target) {
                        format!("source_datasets lists {target}")
                    } else {
                        format!("card links {target}")
                    };
                    edges.push(Edge {
                        a: i,
                        b: j,
                        why,
                        link_to_b: true,
                        hint,
                    });
                }
            }
        }
    }

    // The same base name under other owners.
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in inputs.iter().enumerate() {
        by_name.entry(base_name(&d.id)).or_default().push(i);
    }
    for (base, members) in &by_name {
        if members.len() < 2 || members.len() > 50 {
            continue;
        }
        for (x, &a) in members.iter().enumerate() {
            for &b in members.iter().skip(x + 1) {
                let same_owner = owner(&inputs[a].id) == owner(&inputs[b].id);
                let second = second_signal(&inputs[a], &inputs[b], &descriptions, &samples, a, b);
                if (is_generic(&inputs[a].id, base) || same_owner) && second.is_none() {
                    continue;
                }
                let mut why = format!("same name `{base}`");
                if let Some(s) = second {
                    why.push_str(&format!(", {s}"));
                }
                edges.push(Edge {
                    a,
                    b,
                    why,
                    link_to_b: false,
                    hint: None,
                });
            }
        }
    }

    // Near-identical descriptions or conversations, through MinHash bands.
    for (signatures, what, threshold) in [
        (&descriptions, "same description", 0.8),
        (&samples, "same conversations", 0.7),
    ] {
        for (a, b) in minhash::candidate_pairs(signatures) {
            let (Some(sa), Some(sb)) = (&signatures[a], &signatures[b]) else {
                continue;
            };
            let similarity = sa.similarity(sb);
            // Boilerplate descriptions ("created with tool X") repeat across unrelated repos:
            // a description match needs a shared name word or the same shape too.
            let corroborated = what != "same description"
                || names_overlap(&inputs[a].id, &inputs[b].id)
                || (!inputs[a].features.is_empty()
                    && inputs[a].features == inputs[b].features
                    && inputs[a].num_rows == inputs[b].num_rows);
            if similarity >= threshold && corroborated {
                edges.push(Edge {
                    a,
                    b,
                    why: format!("{what} ({:.0}%)", similarity * 100.0),
                    link_to_b: false,
                    hint: None,
                });
            }
        }
    }

    let mut families = Families((0..inputs.len()).collect());
    for e in &edges {
        families.join(e.a, e.b);
    }
    let mut groups: HashMap<usize, Vec<usize>> = HashMap::new();
    for i in 0..inputs.len() {
        let root = families.find(i);
        groups.entry(root).or_default().push(i);
    }
    let mut out = HashMap::new();
    for members in groups.values().filter(|m| m.len() >= 2) {
        let root = pick_root(inputs, members, &edges);
        for &m in members {
            let membership = if m == root {
                Membership {
                    family_id: inputs[root].id.clone(),
                    role: Relation::Root,
                    evidence: Vec::new(),
                }
            } else {
                let evidence: Vec<String> = edges
                    .iter()
                    .filter(|e| e.a == m || e.b == m)
                    .map(|e| {
                        let other = if e.a == m { e.b } else { e.a };
                        format!("{} ({})", e.why, inputs[other].id)
                    })
                    .collect();
                Membership {
                    family_id: inputs[root].id.clone(),
                    role: member_relation(inputs, &descriptions, &edges, m, root),
                    evidence,
                }
            };
            out.insert(inputs[m].id.clone(), membership);
        }
    }
    out
}

/// A second signal for a name match: near-identical text, or the same columns and rows.
fn second_signal(
    a: &FamilyInput,
    b: &FamilyInput,
    descriptions: &[Option<Signature>],
    samples: &[Option<Signature>],
    ia: usize,
    ib: usize,
) -> Option<String> {
    let similar = |s: &[Option<Signature>], threshold: f64| match (&s[ia], &s[ib]) {
        (Some(x), Some(y)) => x.similarity(y) >= threshold,
        _ => false,
    };
    if similar(descriptions, 0.5) {
        return Some("similar description".to_string());
    }
    if similar(samples, 0.5) {
        return Some("similar conversations".to_string());
    }
    let same_shape = !a.features.is_empty() && a.features == b.features;
    if same_shape && a.num_rows.is_some() && a.num_rows == b.num_rows {
        return Some("same columns and rows".to_string());
    }
    let translated = a.languages != b.languages && a.num_rows.is_some() && a.num_rows == b.num_rows;
    translated.then(|| "same rows in another language".to_string())
}

/// The root: linked to by a member, else the earliest created, else the most downloaded.
fn pick_root(inputs: &[FamilyInput], members: &[usize], edges: &[Edge]) -> usize {
    let linked_to = |i: usize| {
        edges
            .iter()
            .filter(|e| e.link_to_b && e.b == i && members.contains(&e.a))
            .count()
    };
    let mut best = members[0];
    for &m in members {
        let key = |i: usize| {
            (
                std::cmp::Reverse(linked_to(i)),
                inputs[i]
                    .created_at
                    .clone()
                    .unwrap_or_else(|| "9999".to_string()),
                std::cmp::Reverse(inputs[i].downloads),
                inputs[i].id.clone(),
            )
        };
        if key(m) < key(best) {
            best = m;
        }
    }
    best
}

/// How member `m` relates to its family: another language is a translation; else a copy of an
/// older member it is near-identical to (a clone of a conversion is a copy); else the relation
/// its card states; else the rules of [`relation`] against the root.
fn member_relation(
    inputs: &[FamilyInput],
    descriptions: &[Option<Signature>],
    edges: &[Edge],
    m: usize,
    root: usize,
) -> Relation {
    let by_rules = relation(
        &inputs[m],
        &inputs[root],
        &descriptions[m],
        &descriptions[root],
    );
    if by_rules == Relation::Translation {
        return by_rules;
    }
    let near_identical = |other: usize| {
        let same_text = inputs[m].description.trim() == inputs[other].description.trim()
            || match (&descriptions[m], &descriptions[other]) {
                (Some(a), Some(b)) => a.similarity(b) >= 0.8,
                _ => false,
            };
        let (a, b) = (&inputs[m], &inputs[other]);
        let same_shape =
            !a.features.is_empty() && a.features == b.features && a.num_rows == b.num_rows;
        same_text && (same_shape || a.features.is_empty() || b.features.is_empty())
    };
    let neighbours = edges.iter().filter_map(|e| match (e.a == m, e.b == m) {
        (true, _) => Some(e.b),
        (_, true) => Some(e.a),
        _ => None,
    });
    // A clone of an older member (its card copied too) is a copy, whatever the card says.
    let older = |other: usize| {
        inputs[other].created_at.as_deref().unwrap_or("9999")
            < inputs[m].created_at.as_deref().unwrap_or("9999")
    };
    for other in neighbours {
        if near_identical(other) && older(other) {
            return Relation::Copy;
        }
    }
    if let Some(hint) = edges.iter().filter(|e| e.a == m).find_map(|e| e.hint) {
        // `source_datasets` says "derived"; a conversion word in the name says more.
        if hint == Relation::Derived
            && by_rules == Relation::Conversion
            && has_conversion_word(&inputs[m], &inputs[root])
        {
            return Relation::Conversion;
        }
        return hint;
    }
    by_rules
}

/// A conversion word in the member's name that the root's name lacks.
fn has_conversion_word(member: &FamilyInput, root: &FamilyInput) -> bool {
    let name = member.id.rsplit('/').next().unwrap_or("").to_lowercase();
    let root_name = root.id.rsplit('/').next().unwrap_or("").to_lowercase();
    [
        "processed",
        "formatted",
        "sharegpt",
        "chatml",
        "alpaca",
        "converted",
        "conversion",
    ]
    .iter()
    .any(|s| name.contains(s) && !root_name.contains(s))
}

/// How `member` relates to `root`.
fn relation(
    member: &FamilyInput,
    root: &FamilyInput,
    member_text: &Option<Signature>,
    root_text: &Option<Signature>,
) -> Relation {
    let languages_differ = !member.languages.is_empty()
        && !root.languages.is_empty()
        && member.languages.iter().all(|l| !root.languages.contains(l));
    if languages_differ {
        return Relation::Translation;
    }
    let conversion_suffix = has_conversion_word(member, root);
    let same_columns = !member.features.is_empty() && member.features == root.features;
    if conversion_suffix
        || (!member.features.is_empty() && !root.features.is_empty() && !same_columns)
    {
        return Relation::Conversion;
    }
    if let (Some(m), Some(r)) = (member.num_rows, root.num_rows) {
        if same_columns && m < r * 9 / 10 {
            return Relation::Subset;
        }
    }
    let same_text = match (member_text, root_text) {
        (Some(a), Some(b)) => a.similarity(b) >= 0.8,
        _ => false,
    };
    if same_text || (same_columns && member.num_rows == root.num_rows) {
        Relation::Copy
    } else {
        Relation::Derived
    }
}

#[cfg(test)]
mod enum_names {
    use super::Relation;
    use strum::IntoEnumIterator;

    #[test]
    fn relation_names_are_stable() {
        let names = [
            "root",
            "copy",
            "conversion",
            "translation",
            "subset",
            "derived",
        ];
        crate::test_support::assert_enum_names::<Relation>(&names);
        for (relation, name) in Relation::iter().zip(names) {
            assert_eq!(relation.as_str(), name);
            assert_eq!(serde_json::to_value(relation).unwrap(), name);
        }
    }
}
