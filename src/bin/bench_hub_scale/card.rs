//! The text of synthetic listing items: descriptions assembled from domain sentences, `cardData`
//! (licence and language as string or list, `dataset_info` as object or per-config list), and
//! small naming helpers.

use crate::rng::Rng;
use crate::vocab::{self, Domain};
use serde_json::{json, Map, Value};

/// `None` (key absent) for 5%, empty for 15%, else 40 to ~1,500 characters.
pub fn description(
    rng: &mut Rng,
    ordinary: bool,
    domain: &Domain,
    id: &str,
    pretty_name: &str,
) -> Option<String> {
    let target = match rng.unit() {
        u if u < 0.05 => return None,
        u if u < 0.20 => return Some(String::new()),
        u if u < 0.50 => rng.between(40, 150),
        u if u < 0.85 => rng.between(150, 600),
        _ => rng.between(600, 1_500),
    } as usize;
    let mut text = String::with_capacity(target + 200);
    if rng.chance(0.3) {
        text.push_str(&format!("Dataset Card for {pretty_name}. "));
    }
    while text.len() < target {
        let sentence = match rng.below(4) {
            0 | 1 => (*rng.pick(domain.sentences)).to_string(),
            2 => format!(
                "It contains {} {} collected for {}.",
                rng.between(100, 2_000_000),
                rng.pick(domain.topics),
                rng.pick(domain.tasks).replace('-', " ")
            ),
            _ => (*rng.pick(vocab::GENERIC_SENTENCES)).to_string(),
        };
        text.push_str(&sentence);
        text.push(' ');
    }
    if ordinary && rng.chance(0.1) {
        // Ordinary cards mention "support" or "psychology" in passing now and then.
        text.push_str("Community support is available on the discussion board. ");
    }
    if target >= 600 && text.len() > target {
        let mut cut = target;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str(&format!(
            "… See the full description on the dataset page: https://huggingface.co/datasets/{id}."
        ));
    }
    Some(text.trim_end().to_string())
}

/// The `cardData` object, consistent with the item's tags.
pub fn card_data(
    rng: &mut Rng,
    pretty_name: &str,
    languages: &[&str],
    license: Option<&str>,
    tasks: &[&str],
    free_tags: &[&str],
    (num_examples, example_bytes): (u64, u64),
) -> Value {
    let mut card = Map::new();
    if let Some(license) = license {
        let value = if rng.chance(0.65) {
            json!(license)
        } else {
            json!([license])
        };
        card.insert("license".into(), value);
    }
    if !languages.is_empty() {
        let value = if languages.len() == 1 && rng.chance(0.3) {
            json!(languages[0])
        } else {
            json!(languages)
        };
        card.insert("language".into(), value);
    }
    if rng.chance(0.45) {
        card.insert("pretty_name".into(), json!(pretty_name));
    }
    if !tasks.is_empty() && rng.chance(0.8) {
        card.insert("task_categories".into(), json!(tasks));
    }
    if !free_tags.is_empty() && rng.chance(0.6) {
        card.insert("tags".into(), json!(free_tags));
    }
    card.insert(
        "size_categories".into(),
        json!([size_category(num_examples)]),
    );
    if rng.chance(0.3) {
        let info = dataset_info(rng, num_examples, example_bytes);
        card.insert("dataset_info".into(), info);
    }
    if rng.chance(0.4) {
        card.insert(
            "configs".into(),
            json!([{"config_name": "default", "data_files": [{"split": "train", "path": "data/train-*"}]}]),
        );
    }
    Value::Object(card)
}

/// One `dataset_info` object, or (30%) a list of per-config objects.
fn dataset_info(rng: &mut Rng, num_examples: u64, example_bytes: u64) -> Value {
    let configs = if rng.chance(0.3) {
        rng.between(2, 4)
    } else {
        1
    };
    let mut infos = Vec::new();
    for c in 0..configs {
        let train = num_examples / configs;
        let test = train / 10;
        let (train_bytes, test_bytes) = (train * example_bytes, test * example_bytes);
        infos.push(json!({
            "config_name": if c == 0 { "default".to_string() } else { format!("config_{c}") },
            "features": [{"name": "text", "dtype": "string"}, {"name": "label", "dtype": "int64"}],
            "splits": [
                {"name": "train", "num_bytes": train_bytes, "num_examples": train},
                {"name": "test", "num_bytes": test_bytes, "num_examples": test}
            ],
            "download_size": (train_bytes + test_bytes) / 3,
            "dataset_size": train_bytes + test_bytes,
        }));
    }
    if infos.len() == 1 {
        infos.pop().unwrap_or(Value::Null)
    } else {
        Value::Array(infos)
    }
}

pub fn size_category(num_examples: u64) -> &'static str {
    vocab::SIZE_CATEGORIES
        .iter()
        .find(|(bound, _)| num_examples < *bound)
        .map_or("n>1T", |(_, name)| name)
}

/// `gene-therapy_v2` → `Gene Therapy V2`.
pub fn title_case(words: &str) -> String {
    words
        .split(['-', '_', ' '])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn citation(owner: &str, pretty_name: &str) -> String {
    format!(
        "@misc{{{}2025,\n  title={{{pretty_name}}},\n  author={{{owner}}},\n  year={{2025}}\n}}",
        owner.replace(['-', '_'], "")
    )
}
