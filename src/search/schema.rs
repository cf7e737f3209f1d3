//! The tantivy schema and how a stored dataset becomes an index document.
//!
//! Text fields use tantivy's English stemming analyzer (`en_stem`). `expanded` holds acronym
//! expansions in both directions (a card saying "CBT" also indexes "cognitive behavioral therapy"
//! and vice versa) and the lexicon terms the relevance scorer matched (which include terms found
//! inside glued ids such as `Therapydataset`). Filters and ranking factors are fast fields;
//! licence, language, format and modality are facets (`/license/mit`, `/language/en`,
//! `/format/multi_turn`, `/modality/cbt`).
//! Datasets marked gone (missing from a complete `sync --all`) are not indexed.
//!
//! The ranking factors (relevance, quality, turns, popularity, all in [0, 1]) are stored as
//! fixed-point integers with four decimals ([`to_fixed`]): tantivy bit-packs an integer column to
//! the bits its values need (14 here), while an `f64` column takes 8 bytes a document whatever
//! the values. At 1.5M datasets that is 2.6 MB instead of 12 MB per column, and a query touches
//! a quarter of the pages. Datasets at or above the candidate floor carry the facet
//! `/tier/candidate`, so the pruned rankings (see `search::prune`) find them through a postings
//! list instead of scanning a column.

use crate::model::DatasetRecord;
use crate::score::Lexicon;
use crate::store::StoredDataset;
use tantivy::schema::{
    Facet, FacetOptions, Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST,
    STORED, STRING,
};
use tantivy::TantivyDocument;

/// Handles to every field of the schema.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Exact repo id (stored; the key for updates).
    pub id: Field,
    /// Repo id split into words.
    pub id_text: Field,
    /// Card `pretty_name`.
    pub name: Field,
    /// Tag values as words.
    pub tags: Field,
    /// Card fields: task categories, card tags, detected modalities.
    pub card: Field,
    /// The README's prose (front matter left out), for candidates whose README was fetched.
    pub readme: Field,
    /// Description (README extract).
    pub description: Field,
    /// Acronym expansions found in the document.
    pub expanded: Field,
    /// Facets: licence, language, format, modality.
    pub facets: Field,
    /// Relevance in [0, 1] (fixed point, see [`to_fixed`]).
    pub relevance: Field,
    /// Quality in [0, 1] (fixed point).
    pub quality: Field,
    /// Average turns, or -1 when unknown.
    pub avg_turns: Field,
    /// Lower bound of the average turns (when only a bound is known), or -1.
    pub turns_lower_bound: Field,
    /// Downloads (30 days).
    pub downloads: Field,
    /// Likes.
    pub likes: Field,
    /// Last modification, unix seconds (0 when unknown).
    pub last_modified: Field,
    /// Turns factor of the rank (precomputed; fixed point).
    pub turns_factor: Field,
    /// Popularity factor of the rank (precomputed; fixed point).
    pub popularity: Field,
    /// The turns factor of datasets below the candidate floor only: its column maximum bounds
    /// what they can score, so a text-free ranking can often skip them (see `search::prune`).
    pub bulk_turns: Field,
    /// Those datasets' text-free score under the default weights: its column maximum is a
    /// much tighter bound than the factor maxima when the weights are the default ones (fixed
    /// point, rounded up so the maximum stays an upper bound).
    pub bulk_default_score: Field,
    /// The dataset's family key ([`family_key`]; 0 when it is in no family), so a query
    /// collapses families from a column instead of reading every hit's id and membership.
    pub family: Field,
}

/// Fixed-point scale of the ranking columns: four decimals.
pub const FIXED_SCALE: f64 = 10_000.0;

/// A factor in [0, 1] as a fixed-point column value, rounded down (so `from_fixed(to_fixed(x))
/// <= x`, and a minimum with four decimals keeps its meaning; see [`fixed_at_least`]).
pub fn to_fixed(x: f64) -> u64 {
    if x.is_finite() {
        (x.clamp(0.0, 1.0) * FIXED_SCALE + 1e-9).floor() as u64
    } else {
        0
    }
}

/// Like [`to_fixed`] but rounded up, for values that must stay upper bounds.
fn to_fixed_ceil(x: f64) -> u64 {
    if x.is_finite() {
        (x.clamp(0.0, 1.0) * FIXED_SCALE - 1e-9).ceil() as u64
    } else {
        0
    }
}

/// The factor a fixed-point column value stands for.
pub fn from_fixed(q: u64) -> f64 {
    q as f64 / FIXED_SCALE
}

/// The smallest column value whose factor is at least `minimum`.
pub fn fixed_at_least(minimum: f64) -> u64 {
    to_fixed_ceil(minimum)
}

/// The column value of a family: a 64-bit FNV-1a hash of its id (never 0, which stands for no
/// family). A stable hash, so an index written by one build is read right by the next; two
/// families that collide would only collapse into one line of a page.
pub fn family_key(family_id: &str) -> u64 {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::default();
    hasher.write(family_id.as_bytes());
    hasher.finish().max(1)
}

/// The facet of datasets at or above the candidate floor.
pub fn candidate_facet() -> Facet {
    Facet::from_path(["tier", "candidate"])
}

/// Text fields and their query-time boosts.
pub fn boosted_text_fields(f: &Fields) -> [(Field, f32); 7] {
    [
        (f.id_text, 3.0),
        (f.name, 2.5),
        (f.tags, 2.0),
        (f.card, 1.5),
        (f.readme, 0.5),
        (f.expanded, 1.2),
        (f.description, 1.0),
    ]
}

/// Builds the schema.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(super::stem::STEMMED)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        id: b.add_text_field("id", STRING | STORED),
        id_text: b.add_text_field("id_text", text.clone()),
        name: b.add_text_field("name", text.clone()),
        tags: b.add_text_field("tags", text.clone()),
        card: b.add_text_field("card", text.clone()),
        readme: b.add_text_field("readme", text.clone()),
        description: b.add_text_field("description", text.clone()),
        expanded: b.add_text_field("expanded", text),
        facets: b.add_facet_field("facets", FacetOptions::default()),
        relevance: b.add_u64_field("relevance", FAST),
        quality: b.add_u64_field("quality", FAST),
        avg_turns: b.add_f64_field("avg_turns", FAST),
        turns_lower_bound: b.add_f64_field("turns_lower_bound", FAST),
        downloads: b.add_u64_field("downloads", FAST),
        likes: b.add_u64_field("likes", FAST),
        last_modified: b.add_i64_field("last_modified", FAST),
        turns_factor: b.add_u64_field("turns_factor", FAST),
        popularity: b.add_u64_field("popularity", FAST),
        bulk_turns: b.add_u64_field("bulk_turns", FAST),
        bulk_default_score: b.add_u64_field("bulk_default_score", FAST),
        family: b.add_u64_field("family", FAST),
    };
    (b.build(), fields)
}

/// Splits a repo id into words: `AIMH/SQPsychConv_command` → `AIMH SQ Psych Conv command`.
pub fn id_words(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 8);
    let chars: Vec<char> = id.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '/' | '-' | '_' | '.') {
            out.push(' ');
            continue;
        }
        if i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_uppercase() && c.is_uppercase() && next_lower)
                || (prev.is_ascii_digit() != c.is_ascii_digit() && prev.is_alphanumeric());
            if boundary {
                out.push(' ');
            }
        }
        out.push(c);
    }
    out
}

/// The value part of tags worth searching (free tags, task categories and ids, the card's free
/// tags), as words with `-` and `_` as spaces.
pub fn tag_words(record: &DatasetRecord) -> String {
    let mut words = Vec::new();
    for tag in record.tags.iter().chain(&record.card_tags) {
        let value = match tag.split_once(':') {
            Some(("task_categories" | "task_ids", v)) => v,
            Some(_) => continue,
            None => tag.as_str(),
        };
        words.push(value.replace(['-', '_'], " "));
    }
    words.join(" ")
}

/// Acronym expansions present in `text` (acronym → expansion, expansion → acronym). An
/// expansion counts from a word boundary (its first word is one of the text's words), which
/// also spares the substring search for nearly every dataset.
pub fn expansions(lexicon: &Lexicon, text: &str) -> String {
    let lower = text.to_lowercase();
    let words: std::collections::HashSet<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (acronym, long_forms) in lexicon.acronyms() {
        let acronym_lower = acronym.to_lowercase();
        let has_acronym = words.contains(acronym_lower.as_str()) && text.contains(acronym.as_str());
        let has_long = long_forms.iter().any(|long| {
            long.split(|c: char| !c.is_alphanumeric())
                .find(|w| !w.is_empty())
                .is_some_and(|first| words.contains(first))
                && lower.contains(long.as_str())
        });
        if has_acronym {
            out.extend(long_forms.iter().cloned());
        }
        if has_long {
            out.push(acronym_lower);
        }
    }
    out.join(" ")
}

/// The positive lexicon terms the scorer matched, space-separated.
fn matched_terms(scores: &crate::score::Scores) -> String {
    scores
        .matched()
        .iter()
        .map(|t| t.term.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Unix seconds of an RFC 3339 timestamp (0 when missing or invalid).
pub fn unix_seconds(ts: Option<&str>) -> i64 {
    ts.and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.timestamp())
        .unwrap_or(0)
}

/// The stored kind of a dataset (older scores without one: from the relevance threshold).
pub fn dataset_kind(d: &StoredDataset) -> crate::score::DatasetKind {
    d.scores.kind()
}

/// Builds the index document of one dataset.
pub fn to_document(f: &Fields, lexicon: &Lexicon, d: &StoredDataset) -> TantivyDocument {
    let r = &d.record;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, &r.id);
    let (id_text, tag_text) = (id_words(&r.id), tag_words(&d.record));
    doc.add_text(f.id_text, &id_text);
    if let Some(name) = &r.pretty_name {
        doc.add_text(f.name, name);
    }
    doc.add_text(f.tags, &tag_text);
    let modalities = d.scores.modalities();
    let card = format!(
        "{} {}",
        r.task_categories.join(" ").replace('-', " "),
        modalities.join(" ")
    );
    doc.add_text(f.card, &card);
    if let Some(readme) = &d.readme {
        doc.add_text(f.readme, crate::score::card::visible_text(readme));
    }
    let description = r.description.as_deref().unwrap_or("");
    doc.add_text(f.description, description);
    let all_text = format!(
        "{} {} {} {}",
        id_text,
        r.pretty_name.as_deref().unwrap_or(""),
        tag_text,
        description
    );
    doc.add_text(f.expanded, expansions(lexicon, &all_text));
    // Lexicon terms the scorer found, including inside glued ids ("Therapydataset" → therapy),
    // so the domain vocabulary is searchable even where the tokenizer cannot split it.
    doc.add_text(f.expanded, matched_terms(&d.scores));
    for license in &r.licenses {
        doc.add_facet(f.facets, Facet::from_path(["license", license.as_str()]));
    }
    for language in &r.languages {
        doc.add_facet(f.facets, Facet::from_path(["language", language.as_str()]));
    }
    for modality in modalities {
        doc.add_facet(f.facets, Facet::from_path(["modality", modality.as_str()]));
    }
    doc.add_facet(
        f.facets,
        Facet::from_path(["kind", dataset_kind(d).as_str()]),
    );
    let measured = |get: fn(&crate::store::TurnRecord) -> Option<f64>| {
        d.turns
            .as_ref()
            .filter(|t| t.status == crate::store::turn_status::OK)
            .and_then(get)
            .filter(|a| a.is_finite() && *a >= 0.0)
    };
    let avg = measured(|t| t.avg_turns);
    let lower_bound = measured(|t| t.lower_bound);
    let format = crate::turns::format_of(avg, lower_bound)
        .map(|f| f.as_str())
        .unwrap_or("unknown");
    doc.add_facet(f.facets, Facet::from_path(["format", format]));
    // Every factor is read back as the query will see it, so the bound below is exact.
    let fixed = |x: f64| from_fixed(to_fixed(x));
    let (relevance, quality) = (fixed(d.scores.relevance), fixed(d.scores.quality));
    doc.add_u64(f.relevance, to_fixed(relevance));
    doc.add_u64(f.quality, to_fixed(quality));
    doc.add_f64(f.avg_turns, avg.unwrap_or(-1.0));
    doc.add_f64(f.turns_lower_bound, lower_bound.unwrap_or(-1.0));
    doc.add_u64(f.downloads, r.downloads.max(0) as u64);
    doc.add_u64(f.likes, r.likes.max(0) as u64);
    doc.add_i64(f.last_modified, unix_seconds(r.last_modified.as_deref()));
    let turns_factor = fixed(super::rank::turns_factor(avg.or(lower_bound)));
    doc.add_u64(f.turns_factor, to_fixed(turns_factor));
    let popularity = fixed(super::rank::popularity_factor(
        r.downloads.max(0) as u64,
        r.likes.max(0) as u64,
    ));
    doc.add_u64(f.popularity, to_fixed(popularity));
    if let Some(family) = &d.family {
        doc.add_u64(f.family, family_key(&family.family_id));
    }
    if d.scores.relevance >= crate::score::SAMPLING_RELEVANCE_FLOOR {
        doc.add_facet(f.facets, candidate_facet());
    } else {
        doc.add_u64(f.bulk_turns, to_fixed(turns_factor));
        let default_score = super::rank::Weights::default().static_sum(
            quality,
            relevance,
            turns_factor,
            popularity,
        );
        doc.add_u64(f.bulk_default_score, to_fixed_ceil(default_score));
    }
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_into_words() {
        assert_eq!(
            id_words("AIMH/SQPsychConv_command"),
            "AIMH SQ Psych Conv command"
        );
        assert_eq!(id_words("a/MentalHealthDataset"), "a Mental Health Dataset");
        assert_eq!(id_words("x/psychotherapy1"), "x psychotherapy 1");
    }

    #[test]
    fn acronyms_expand_both_ways_from_word_boundaries() {
        let lexicon = Lexicon::builtin().unwrap();
        let expanded = expansions(&lexicon, "CBT sessions");
        assert!(
            expanded.contains("cognitive behavioral therapy"),
            "{expanded}"
        );
        let expanded = expansions(&lexicon, "Sessions of Cognitive Behavioral Therapy.");
        assert_eq!(expanded, "cbt");
        assert_eq!(expansions(&lexicon, "precognitive behavioral therapy"), "");
        assert_eq!(expansions(&lexicon, "plain text, no acronym"), "");
    }

    #[test]
    fn family_keys_are_fnv_1a_and_never_zero() {
        // The published FNV-1a 64 values: the key of an index written by one build must be
        // the key the next build computes.
        assert_eq!(family_key(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(family_key("a"), 0xaf63_dc4c_8601_ec8c);
        assert_ne!(family_key("org/a"), family_key("org/b"));
        assert!(family_key("x/y") > 0);
    }

    #[test]
    fn fixed_point_keeps_four_decimals_and_minimums() {
        for x in [0.0, 0.35, 0.5, 0.4999, 0.12345, 1.0] {
            let q = to_fixed(x);
            assert!(from_fixed(q) <= x + 1e-12, "{x}");
            assert!(x - from_fixed(q) < 1e-4, "{x}");
        }
        assert_eq!(to_fixed(0.35), 3500);
        assert_eq!(to_fixed(0.49996), 4999);
        assert_eq!(to_fixed(f64::NAN), 0);
        assert_eq!(to_fixed(7.0), 10_000);
        // A minimum keeps exactly the values at or above it.
        assert_eq!(fixed_at_least(0.5), 5000);
        assert_eq!(fixed_at_least(0.50001), 5001);
        assert!(to_fixed(0.49996) < fixed_at_least(0.5));
        assert!(to_fixed(0.5) >= fixed_at_least(0.5));
        assert!(to_fixed_ceil(0.12341) >= to_fixed(0.12341));
    }
}
