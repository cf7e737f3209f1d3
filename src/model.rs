//! The normalised dataset record: what the catalog knows about one Hub dataset.
//!
//! Hub listing items are tolerant JSON: `license`/`language` may be a string or a list,
//! `dataset_info` an object or a list of per-config objects, numbers may be missing. This module
//! turns one raw item into a [`DatasetRecord`] with predictable types, never panicking on
//! surprising input. The raw `cardData` is kept verbatim so nothing is lost.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Why a listing item could not be turned into a record.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ItemError {
    /// The item is not a JSON object.
    #[error("listing item is not a JSON object")]
    NotAnObject,
    /// The item has no usable `id` (`owner/name`).
    #[error("listing item has no valid \"id\"")]
    MissingId,
}

/// One dataset as stored in the catalog (normalised from a Hub listing item).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DatasetRecord {
    /// Repository id, `owner/name`.
    pub id: String,
    /// The Hub's internal object id (`_id`), when sent.
    pub mongo_id: Option<String>,
    /// Namespace (user or organisation).
    pub author: Option<String>,
    /// Git commit sha of the main branch; decides what changed between syncs.
    pub sha: Option<String>,
    /// Creation time, RFC 3339.
    pub created_at: Option<String>,
    /// Last modification time, RFC 3339.
    pub last_modified: Option<String>,
    /// Private repository (only visible with a token).
    pub private: bool,
    /// `None` when not gated, else the gating mode (`auto` or `manual`).
    pub gated: Option<String>,
    /// Disabled by the Hub.
    pub disabled: bool,
    /// Downloads in the last 30 days.
    pub downloads: i64,
    /// Downloads since creation, when sent.
    pub downloads_all_time: Option<i64>,
    /// Likes.
    pub likes: i64,
    /// Trending score, when sent.
    pub trending_score: Option<f64>,
    /// Hub tags (`key:value` and free tags).
    pub tags: Vec<String>,
    /// Plain-text extract of the README body.
    pub description: Option<String>,
    /// README YAML front matter as JSON, verbatim.
    pub card_data: Option<Value>,
    /// BibTeX citation.
    pub citation: Option<String>,
    /// Papers-with-code id.
    pub paperswithcode_id: Option<String>,
    /// Bytes of the whole repository including history.
    pub used_storage: Option<i64>,
    /// Bytes of the main branch.
    pub main_size: Option<i64>,
    /// `pretty_name` from the card.
    pub pretty_name: Option<String>,
    /// Licence identifiers (card first, else `license:` tags), lower-case.
    pub licenses: Vec<String>,
    /// Language codes (card first, else `language:` tags).
    pub languages: Vec<String>,
    /// Task categories (card first, else `task_categories:` tags).
    pub task_categories: Vec<String>,
    /// Free tags from the card's `tags` field.
    pub card_tags: Vec<String>,
    /// Best size estimate in bytes: card `dataset_size`, else `mainSize`, else `usedStorage`.
    pub size_bytes: Option<i64>,
    /// Rows of the default (or first) config according to the card's `dataset_info`.
    pub card_num_rows: Option<i64>,
}

impl DatasetRecord {
    /// Normalises one `/api/datasets` item. Unknown keys are ignored; wrong types become `None`.
    pub fn from_listing_item(item: &Value) -> Result<DatasetRecord, ItemError> {
        let obj = item.as_object().ok_or(ItemError::NotAnObject)?;
        let id = obj
            .get("id")
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|id| valid_repo_id(id))
            .ok_or(ItemError::MissingId)?
            .to_string();
        let card_data = obj.get("cardData").filter(|v| v.is_object()).cloned();
        let card = card_data.as_ref();
        let tags = string_list(obj.get("tags"));

        let licenses = first_non_empty(&[
            string_list(card.and_then(|c| c.get("license"))),
            string_list(card.and_then(|c| c.get("licenses"))),
            tag_values(&tags, "license"),
        ]);
        let languages = first_non_empty(&[
            string_list(card.and_then(|c| c.get("language"))),
            string_list(card.and_then(|c| c.get("languages"))),
            tag_values(&tags, "language"),
        ]);
        let task_categories = first_non_empty(&[
            string_list(card.and_then(|c| c.get("task_categories"))),
            tag_values(&tags, "task_categories"),
        ]);
        let dataset_info = card.and_then(|c| c.get("dataset_info"));
        let main_size = int(obj.get("mainSize"));
        let used_storage = int(obj.get("usedStorage"));
        let size_bytes = card_dataset_size(dataset_info)
            .or(main_size)
            .or(used_storage);

        Ok(DatasetRecord {
            author: text(obj.get("author")).or_else(|| id.split('/').next().map(str::to_string)),
            mongo_id: text(obj.get("_id")),
            sha: text(obj.get("sha")),
            created_at: timestamp(obj.get("createdAt")),
            last_modified: timestamp(obj.get("lastModified")),
            private: obj.get("private").and_then(Value::as_bool).unwrap_or(false),
            gated: gated(obj.get("gated")),
            disabled: obj
                .get("disabled")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            downloads: int(obj.get("downloads")).unwrap_or(0).max(0),
            downloads_all_time: int(obj.get("downloadsAllTime")),
            likes: int(obj.get("likes")).unwrap_or(0).max(0),
            trending_score: obj.get("trendingScore").and_then(Value::as_f64),
            description: listing_description(obj.get("description")),
            citation: text(obj.get("citation")),
            paperswithcode_id: text(obj.get("paperswithcode_id")),
            used_storage,
            main_size,
            pretty_name: card.and_then(|c| text(c.get("pretty_name"))),
            licenses: lower(licenses),
            languages: lower(languages),
            task_categories,
            card_tags: string_list(card.and_then(|c| c.get("tags"))),
            size_bytes,
            card_num_rows: card_num_rows(dataset_info),
            card_data,
            tags,
            id,
        })
    }

    /// The dataset's page on the Hub.
    pub fn url(&self) -> String {
        format!("https://huggingface.co/datasets/{}", self.id)
    }

    /// The first licence, or `None`.
    pub fn license(&self) -> Option<&str> {
        self.licenses.first().map(String::as_str)
    }
}

/// `owner/name` (or a legacy canonical `name`) made of safe characters.
pub fn valid_repo_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 200
        && id.split('/').count() <= 2
        && id.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        })
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The Hub's tail on a cut description: `… See the full description on the dataset page: <url>.`
const CUT_DESCRIPTION_TAIL: &str = "See the full description on the dataset page:";

/// The listing's description without the Hub's tail on a cut one, which says only that it was
/// cut and where the page is (derivable from the id): the cut stays marked with `…`. The tail
/// is a tenth of a stored row at Hub scale and put the same six words in every cut description
/// that is searched or scored.
fn listing_description(v: Option<&Value>) -> Option<String> {
    let description = text(v)?;
    let Some(at) = description.rfind(CUT_DESCRIPTION_TAIL) else {
        return Some(description);
    };
    let (head, tail) = description.split_at_checked(at)?;
    let url = tail.get(CUT_DESCRIPTION_TAIL.len()..).unwrap_or("").trim();
    if !url.starts_with("http") || url.contains(char::is_whitespace) {
        return Some(description);
    }
    let head = head.trim_end().trim_end_matches('…').trim_end();
    (!head.is_empty()).then(|| format!("{head}…"))
}

fn int(v: Option<&Value>) -> Option<i64> {
    let v = v?;
    v.as_i64()
        .or_else(|| v.as_u64().map(|u| i64::try_from(u).unwrap_or(i64::MAX)))
        .or_else(|| v.as_f64().filter(|f| f.is_finite()).map(|f| f as i64))
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// A string or a list of strings (other element types are skipped).
pub fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.trim().to_string()],
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

fn tag_values(tags: &[String], key: &str) -> Vec<String> {
    tags.iter()
        .filter_map(|t| t.split_once(':'))
        .filter(|(k, v)| *k == key && !v.is_empty())
        .map(|(_, v)| v.to_string())
        .collect()
}

fn first_non_empty(candidates: &[Vec<String>]) -> Vec<String> {
    candidates
        .iter()
        .find(|c| !c.is_empty())
        .cloned()
        .unwrap_or_default()
}

fn lower(values: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for v in values {
        let v = v.to_lowercase();
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

fn gated(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() && s != "false" => Some(s.clone()),
        Some(Value::Bool(true)) => Some("manual".to_string()),
        _ => None,
    }
}

/// Parses an ISO-8601 timestamp and re-renders it as RFC 3339 UTC; garbage becomes `None`.
fn timestamp(v: Option<&Value>) -> Option<String> {
    let s = v.and_then(Value::as_str)?;
    let parsed = chrono::DateTime::parse_from_rfc3339(s).ok()?;
    Some(
        parsed
            .with_timezone(&chrono::Utc)
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    )
}

/// `dataset_info` is one object or a list of per-config objects.
fn config_infos(dataset_info: Option<&Value>) -> Vec<&Value> {
    match dataset_info {
        Some(Value::Array(items)) => items.iter().filter(|v| v.is_object()).collect(),
        Some(v @ Value::Object(_)) => vec![v],
        _ => Vec::new(),
    }
}

fn card_dataset_size(dataset_info: Option<&Value>) -> Option<i64> {
    let sizes: Vec<i64> = config_infos(dataset_info)
        .into_iter()
        .filter_map(|c| int(c.get("dataset_size")))
        .collect();
    (!sizes.is_empty()).then(|| sizes.iter().fold(0i64, |a, b| a.saturating_add(*b)))
}

/// Rows of the `default` config (else the first config) summed over its splits.
fn card_num_rows(dataset_info: Option<&Value>) -> Option<i64> {
    let configs = config_infos(dataset_info);
    let chosen = configs
        .iter()
        .find(|c| c.get("config_name").and_then(Value::as_str) == Some("default"))
        .or_else(|| configs.first())?;
    let splits = chosen.get("splits")?;
    let rows: Vec<i64> = match splits {
        Value::Array(items) => items
            .iter()
            .filter_map(|s| int(s.get("num_examples")))
            .collect(),
        Value::Object(map) => map
            .values()
            .filter_map(|s| int(s.get("num_examples")))
            .collect(),
        _ => Vec::new(),
    };
    (!rows.is_empty()).then(|| rows.iter().fold(0i64, |a, b| a.saturating_add(*b)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_hub_tail_of_a_cut_description_is_dropped_and_the_cut_kept() {
        let description = |text: &str| {
            DatasetRecord::from_listing_item(&json!({"id": "a/b", "description": text}))
                .unwrap()
                .description
        };
        // As recorded from the Hub (plain-text README extract, cut, then the tail).
        assert_eq!(
            description(
                "Counseling dialogues between a client and a therapist, in Turkish. İstanbul … See the full description on the dataset page: https://huggingface.co/datasets/a/b."
            )
            .as_deref(),
            Some("Counseling dialogues between a client and a therapist, in Turkish. İstanbul…")
        );
        // Text that only mentions the phrase is kept whole; so is an uncut description.
        let mention = "Notes: See the full description on the dataset page: below, in section 2.";
        assert_eq!(description(mention).as_deref(), Some(mention));
        assert_eq!(description("Short card.").as_deref(), Some("Short card."));
        // Nothing but the tail: no description.
        assert_eq!(
            description("… See the full description on the dataset page: https://huggingface.co/datasets/a/b."),
            None
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::test_support::cases()))]
        /// Any description (and any text before the tail) normalises without a panic, and the
        /// result never carries the tail.
        #[test]
        fn property_descriptions_of_arbitrary_text_normalise(
            head in crate::test_support::hostile_text(),
            cut in proptest::bool::ANY,
        ) {
            let text = if cut {
                format!("{head} … {CUT_DESCRIPTION_TAIL} https://huggingface.co/datasets/a/b.")
            } else {
                head.clone()
            };
            let record = DatasetRecord::from_listing_item(&json!({"id": "a/b", "description": text}))
                .unwrap();
            if cut {
                proptest::prop_assert!(!record.description.unwrap_or_default().contains(CUT_DESCRIPTION_TAIL));
            }
        }
    }

    #[test]
    fn string_or_list_fields_are_normalised() {
        let a = DatasetRecord::from_listing_item(&json!({
            "id": "a/b", "cardData": {"license": "MIT", "language": ["en", "fr"]}
        }))
        .unwrap();
        assert_eq!(a.licenses, vec!["mit"]);
        assert_eq!(a.languages, vec!["en", "fr"]);
        let b = DatasetRecord::from_listing_item(&json!({
            "id": "a/b", "cardData": {"license": ["apache-2.0"], "language": "de"}
        }))
        .unwrap();
        assert_eq!(b.licenses, vec!["apache-2.0"]);
        assert_eq!(b.languages, vec!["de"]);
    }

    #[test]
    fn tags_fill_in_when_card_is_absent() {
        let r = DatasetRecord::from_listing_item(&json!({
            "id": "a/b", "tags": ["license:cc-by-4.0", "language:zh", "task_categories:text-generation"],
            "gated": "manual", "downloads": 12, "likes": "3"
        }))
        .unwrap();
        assert_eq!(r.licenses, vec!["cc-by-4.0"]);
        assert_eq!(r.languages, vec!["zh"]);
        assert_eq!(r.task_categories, vec!["text-generation"]);
        assert_eq!(r.gated.as_deref(), Some("manual"));
        assert_eq!((r.downloads, r.likes), (12, 3));
        assert!(r.card_data.is_none());
    }

    #[test]
    fn dataset_info_object_or_list_and_64_bit_sizes() {
        let obj =
            DatasetRecord::from_listing_item(&json!({"id": "a/b", "cardData": {"dataset_info": {
            "splits": [{"name": "train", "num_examples": 7}, {"name": "test", "num_examples": 3}],
            "dataset_size": 26215301811i64}}}))
            .unwrap();
        assert_eq!(obj.card_num_rows, Some(10));
        assert_eq!(obj.size_bytes, Some(26_215_301_811));
        let list = DatasetRecord::from_listing_item(&json!({"id": "a/b", "cardData": {"dataset_info": [
            {"config_name": "mixed", "splits": [{"name": "train", "num_examples": 1}], "dataset_size": 5},
            {"config_name": "default", "splits": [{"name": "train", "num_examples": 40}], "dataset_size": 6}]}}))
        .unwrap();
        assert_eq!(list.card_num_rows, Some(40));
        assert_eq!(list.size_bytes, Some(11));
    }

    #[test]
    fn bad_items_are_rejected_not_panicking() {
        assert_eq!(
            DatasetRecord::from_listing_item(&json!([1])),
            Err(ItemError::NotAnObject)
        );
        assert_eq!(
            DatasetRecord::from_listing_item(&json!({"id": "../../etc"})),
            Err(ItemError::MissingId)
        );
        assert_eq!(
            DatasetRecord::from_listing_item(&json!({"id": 5})),
            Err(ItemError::MissingId)
        );
        let r = DatasetRecord::from_listing_item(
            &json!({"id": "x/y", "lastModified": "yesterday", "downloads": -4}),
        )
        .unwrap();
        assert_eq!(r.last_modified, None);
        assert_eq!(r.downloads, 0);
    }
}
