//! Hub items: the realistic default item built from an id, and the key sets the Hub returns
//! for each request shape (listing default, `expand=`, `full=true`, detail default).

use serde_json::{json, Map, Value};

/// Keys `expand=` accepts (contract §1, HH `ExpandDatasetProperty_T` plus the two internal ones),
/// in the order the 400 message lists them.
pub(crate) const EXPANDABLE_KEYS: [&str; 22] = [
    "author",
    "cardData",
    "citation",
    "createdAt",
    "description",
    "disabled",
    "downloads",
    "downloadsAllTime",
    "gated",
    "lastModified",
    "likes",
    "mainSize",
    "paperswithcode_id",
    "private",
    "resourceGroup",
    "sha",
    "siblings",
    "tags",
    "trendingScore",
    "usedStorage",
    "gitalyUid",
    "xetEnabled",
];

/// Listing keys without `expand`/`full`: the union of the MCP listing type and the recorded
/// fixture item (contract §1; the real default set is unconfirmed).
pub(crate) const LISTING_DEFAULT_KEYS: [&str; 11] = [
    "author",
    "disabled",
    "gated",
    "lastModified",
    "likes",
    "private",
    "downloads",
    "trendingScore",
    "tags",
    "createdAt",
    "description",
];

/// Detail keys without `expand` (recorded bodies, contract §2). `citation`, `cardData` and
/// `paperswithcode_id` appear only when set.
pub(crate) const DETAIL_DEFAULT_KEYS: [&str; 16] = [
    "author",
    "sha",
    "lastModified",
    "private",
    "gated",
    "disabled",
    "tags",
    "citation",
    "description",
    "downloads",
    "likes",
    "cardData",
    "siblings",
    "createdAt",
    "usedStorage",
    "paperswithcode_id",
];

/// `_id`, `id` and those of `keys` the item has. With `skip_null`, null values are left out
/// (the detail endpoint omits unset optional keys).
pub(crate) fn project(item: &Value, keys: &[&str], skip_null: bool) -> Value {
    let mut projected = Map::new();
    for key in ["_id", "id"].iter().chain(keys) {
        if let Some(value) = item.get(*key) {
            if !(skip_null && value.is_null()) {
                projected.insert((*key).to_string(), value.clone());
            }
        }
    }
    Value::Object(projected)
}

/// Card YAML keys whose values the Hub turns into `key:value` tags.
const CARD_TAG_KEYS: [&str; 9] = [
    "language",
    "license",
    "task_categories",
    "task_ids",
    "size_categories",
    "multilinguality",
    "annotations_creators",
    "language_creators",
    "source_datasets",
];

/// Tag prefixes the Hub infers itself (not written in the card).
const SERVER_TAG_PREFIXES: [&str; 7] = [
    "format:",
    "modality:",
    "library:",
    "arxiv:",
    "doi:",
    "region:",
    "benchmark:",
];

/// A full Hub item with every key, deterministic in `id` (see `FakeHub::dataset_item`).
pub(crate) fn default_item(id: &str, description: &str, tags: &[&str]) -> Value {
    let (author, name) = id.split_once('/').unwrap_or((id, id));
    let seed = fnv1a(id.as_bytes());
    let created = 1_640_995_200 + seed % 94_608_000; // 2022-01-01 + up to 3 years
    let modified = created + (seed >> 24) % 20_000_000;
    let downloads = seed % 5_000;
    let used_storage = 20_000 + fnv1a(format!("{id}#storage").as_bytes()) % 500_000_000;
    json!({
        "_id": format!("{:08x}{:016x}", created, fnv1a(format!("{id}#_id").as_bytes())),
        "id": id,
        "author": author,
        "sha": format!(
            "{:016x}{:016x}{:08x}",
            fnv1a(format!("{id}#sha1").as_bytes()),
            fnv1a(format!("{id}#sha2").as_bytes()),
            fnv1a(format!("{id}#sha3").as_bytes()) & 0xffff_ffff
        ),
        "lastModified": iso_timestamp(modified),
        "createdAt": iso_timestamp(created),
        "private": false,
        "gated": false,
        "disabled": false,
        "downloads": downloads,
        "downloadsAllTime": downloads * 4 + (seed >> 40) % 1_000,
        "likes": (seed >> 13) % 300,
        "trendingScore": (seed >> 29) % 40,
        "tags": tags,
        "description": description,
        "cardData": card_data_from_tags(name, tags),
        "citation": format!(
            "@misc{{{author}_{name},\n  title={{{name}}},\n  author={{{author}}},\n  year={{{}}}\n}}",
            iso_timestamp(created).get(..4).unwrap_or("2024")
        ),
        "paperswithcode_id": null,
        "siblings": [
            {"rfilename": ".gitattributes"},
            {"rfilename": "README.md"},
            {"rfilename": "data/train-00000-of-00001.parquet"}
        ],
        "usedStorage": used_storage,
        "mainSize": used_storage / 2,
    })
}

/// The README YAML that would produce these tags: `key:value` tags of card keys become lists
/// (`license` a string when single), bare tags go to `tags`, server-inferred ones are skipped.
fn card_data_from_tags(name: &str, tags: &[&str]) -> Value {
    let mut card = Map::new();
    card.insert("pretty_name".to_string(), json!(name));
    let mut free_tags = Vec::new();
    for tag in tags {
        if SERVER_TAG_PREFIXES
            .iter()
            .any(|prefix| tag.starts_with(prefix))
        {
            continue;
        }
        match tag.split_once(':') {
            Some((key, value)) if CARD_TAG_KEYS.contains(&key) => {
                let entry = card.entry(key.to_string()).or_insert_with(|| json!([]));
                if let Some(values) = entry.as_array_mut() {
                    values.push(json!(value));
                }
            }
            _ => free_tags.push(json!(tag)),
        }
    }
    if let Some(Value::Array(licenses)) = card.get("license") {
        if let [single] = licenses.as_slice() {
            let single = single.clone();
            card.insert("license".to_string(), single);
        }
    }
    if !free_tags.is_empty() {
        card.insert("tags".to_string(), Value::Array(free_tags));
    }
    Value::Object(card)
}

/// `YYYY-MM-DDTHH:MM:SS.000Z` for seconds since the Unix epoch (the Hub's timestamp format).
pub(crate) fn iso_timestamp(unix_secs: u64) -> String {
    let days = i64::try_from(unix_secs / 86_400).unwrap_or(i64::MAX / 2);
    let secs_of_day = unix_secs % 86_400;
    // Howard Hinnant's days -> civil date algorithm.
    let shifted = days + 719_468;
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.000Z",
        secs_of_day / 3_600,
        secs_of_day % 3_600 / 60,
        secs_of_day % 60
    )
}

/// 64-bit FNV-1a: stable across runs and Rust versions (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
