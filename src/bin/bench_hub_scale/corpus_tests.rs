//! Tests of the synthetic corpus: determinism, the listing-item shape, and the mix of content.

use crate::corpus::{iso_timestamp, write_corpus_shaped, CorpusGenerator};
use serde_json::Value;
use std::collections::HashSet;

fn items(n: u64, seed: u64) -> Vec<Value> {
    let mut generator = CorpusGenerator::new(seed, n);
    (0..n).map(|_| generator.next_item()).collect()
}

fn text(item: &Value, key: &str) -> String {
    item.get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_lowercase()
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let render = |seed| {
        let mut out = Vec::new();
        write_corpus_shaped(&mut out, 300, seed, false).unwrap();
        out
    };
    assert_eq!(render(7), render(7));
    assert_ne!(render(7), render(8));
    let lines = render(7);
    let lines = String::from_utf8(lines).unwrap();
    assert_eq!(lines.lines().count(), 300);
    for line in lines.lines() {
        assert!(serde_json::from_str::<Value>(line).unwrap().is_object());
    }
}

#[test]
fn items_have_the_listing_shape() {
    let hex = |s: &str, len: usize| s.len() == len && s.chars().all(|c| c.is_ascii_hexdigit());
    let mut ids = HashSet::new();
    for item in items(3_000, 1) {
        let id = item["id"].as_str().unwrap();
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
        let (owner, name) = id.split_once('/').unwrap();
        assert!(!owner.is_empty() && !name.is_empty() && !name.contains('/'));
        let hub_safe = |part: &str| {
            part.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        };
        assert!(hub_safe(owner) && hub_safe(name), "not a Hub repo id: {id}");
        assert_eq!(item["author"].as_str(), Some(owner));
        assert!(hex(item["_id"].as_str().unwrap(), 24));
        assert!(hex(item["sha"].as_str().unwrap(), 40));
        for key in ["lastModified", "createdAt"] {
            let ts = item[key].as_str().unwrap();
            assert_eq!(ts.len(), 24, "{ts}");
            assert!(ts.ends_with(".000Z") && ts.as_bytes()[10] == b'T', "{ts}");
            assert!(("2020".."2027").contains(&&ts[..4]), "{ts}");
        }
        assert!(item["lastModified"].as_str() >= item["createdAt"].as_str());
        assert_eq!(item["private"], Value::Bool(false));
        assert!(
            matches!(&item["gated"], Value::Bool(false))
                || ["auto", "manual"].contains(&item["gated"].as_str().unwrap())
        );
        assert!(item["disabled"].is_boolean());
        let downloads = item["downloads"].as_u64().unwrap();
        assert!(item["downloadsAllTime"].as_u64().unwrap() >= downloads);
        assert!(item["likes"].is_u64() && item["trendingScore"].is_u64());
        assert!(item["tags"]
            .as_array()
            .unwrap()
            .iter()
            .all(Value::is_string));
        assert!(item["usedStorage"].as_u64().unwrap() >= item["mainSize"].as_u64().unwrap());
        assert!(text(&item, "description").chars().count() <= 1_700);
    }
}

#[test]
fn corpus_has_the_promised_mix() {
    let all = items(20_000, 3);
    let share = |pred: &dyn Fn(&Value) -> bool| {
        all.iter().filter(|i| pred(i)).count() as f64 / all.len() as f64
    };
    let card = share(&|i| i.get("cardData").is_some());
    assert!((0.65..0.77).contains(&card), "cardData share {card}");
    let therapy_words = ["counsel", "therapist", "mental health", "empathetic"];
    let therapy = share(&|i| {
        let d = text(i, "description") + &text(i, "id");
        therapy_words.iter().any(|w| d.contains(w))
    });
    assert!(
        (0.005..0.03).contains(&therapy),
        "therapy-like share {therapy}"
    );
    let negatives = share(&|i| {
        let d = text(i, "description") + &text(i, "id");
        [
            "gene therapy",
            "gene-therapy",
            "genetherapy",
            "physical",
            "physiotherapy",
            "customer",
        ]
        .iter()
        .any(|w| d.contains(w))
    });
    assert!(
        (0.005..0.03).contains(&negatives),
        "hard negative share {negatives}"
    );
    let empty = share(&|i| text(i, "description").is_empty());
    assert!((0.1..0.3).contains(&empty), "empty descriptions {empty}");
    let long = share(&|i| text(i, "description").len() > 1_000);
    assert!(long > 0.02, "long descriptions {long}");

    let tag_values = |prefix: &str| -> HashSet<String> {
        all.iter()
            .flat_map(|i| i["tags"].as_array().unwrap().iter())
            .filter_map(|t| t.as_str()?.strip_prefix(prefix).map(str::to_string))
            .collect()
    };
    assert!(tag_values("language:").len() >= 30);
    assert!(tag_values("license:").len() >= 15);

    let cards: Vec<&Value> = all.iter().filter_map(|i| i.get("cardData")).collect();
    for key in ["license", "language"] {
        assert!(
            cards
                .iter()
                .any(|c| c.get(key).is_some_and(Value::is_string)),
            "{key} as string"
        );
        assert!(
            cards
                .iter()
                .any(|c| c.get(key).is_some_and(Value::is_array)),
            "{key} as list"
        );
    }
    let infos: Vec<&Value> = cards.iter().filter_map(|c| c.get("dataset_info")).collect();
    assert!(infos.iter().any(|d| d.is_object()) && infos.iter().any(|d| d.is_array()));
    let beyond_i32 = infos.iter().any(|d| {
        let sizes = match d {
            Value::Array(list) => list.iter().collect(),
            other => vec![*other],
        };
        sizes
            .iter()
            .any(|s| s["dataset_size"].as_u64().unwrap() > 1 << 31)
    });
    assert!(beyond_i32, "some dataset_size beyond 2^31");

    let mut downloads: Vec<u64> = all
        .iter()
        .map(|i| i["downloads"].as_u64().unwrap())
        .collect();
    downloads.sort_unstable();
    let median = downloads[downloads.len() / 2];
    let top = downloads[downloads.len() - 1];
    assert!(
        median < 100 && top > 100_000,
        "heavy tail: median {median}, max {top}"
    );
}

#[test]
fn timestamps_are_correct_calendar_dates() {
    assert_eq!(iso_timestamp(0), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_timestamp(1_646_263_744), "2022-03-02T23:29:04.000Z");
    assert_eq!(iso_timestamp(1_709_164_800), "2024-02-29T00:00:00.000Z");
    assert_eq!(iso_timestamp(1_788_220_799), "2026-08-31T23:59:59.000Z");
}
