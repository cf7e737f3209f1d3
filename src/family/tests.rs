//! Family detection on hand-made cases and on the fixture set `tests/fixtures/families.jsonl`
//! (copies, conversions, translations, subsets, and datasets that must not be grouped), with
//! pairwise precision and recall.

use super::*;
use serde_json::Value;

fn input(id: &str, description: &str) -> FamilyInput {
    FamilyInput {
        id: id.to_string(),
        description: description.to_string(),
        ..FamilyInput::default()
    }
}

const LONG: &str = "Counseling conversations between licensed therapists and clients, collected from an online platform where people ask questions about anxiety, depression and relationships and a therapist answers each question.";

#[test]
fn base_names_drop_conversion_and_language_suffixes() {
    assert_eq!(base_name("a/CounselChat-ko"), "counselchat");
    assert_eq!(base_name("b/counsel_chat_processed"), "counselchat");
    assert_eq!(base_name("c/ESConv-sharegpt-v2"), "esconv");
    assert_eq!(base_name("d/mental_health"), "mentalhealth");
}

#[test]
fn copies_links_and_translations_form_one_family_with_a_root() {
    let mut original = input("nbertagnolli/counsel-chat", LONG);
    original.created_at = Some("2021-01-01T00:00:00.000Z".into());
    original.features = vec!["answerText".into(), "questionText".into()];
    original.num_rows = Some(2100);
    let mut copy = input("someone/counsel-chat", LONG);
    copy.created_at = Some("2023-01-01T00:00:00.000Z".into());
    copy.features = original.features.clone();
    copy.num_rows = Some(2100);
    let mut korean = input("kr-lab/counsel-chat-ko", "상담 대화 데이터셋입니다. 내담자의 질문에 상담사가 답변합니다. 불안과 우울, 관계에 관한 질문이 많습니다.");
    korean.languages = vec!["ko".into()];
    korean.readme = Some(
        "Translated from https://huggingface.co/datasets/nbertagnolli/counsel-chat into Korean."
            .into(),
    );
    korean.created_at = Some("2024-01-01T00:00:00.000Z".into());
    original.languages = vec!["en".into()];
    let unrelated = input("x/weather-reports", "Daily weather reports for European cities with temperature, rain and wind measurements over ten years of records.");
    let found = detect(&[korean, copy, original, unrelated]);
    assert_eq!(found.len(), 3);
    let root = &found["nbertagnolli/counsel-chat"];
    assert_eq!(root.role, Relation::Root);
    assert_eq!(found["someone/counsel-chat"].role, Relation::Copy);
    assert_eq!(found["kr-lab/counsel-chat-ko"].role, Relation::Translation);
    assert!(found
        .values()
        .all(|m| m.family_id == "nbertagnolli/counsel-chat"));
    assert!(found["kr-lab/counsel-chat-ko"]
        .evidence
        .iter()
        .any(|e| e.contains("card links")));
}

#[test]
fn boilerplate_descriptions_alone_are_not_families() {
    let text = "This dataset was created with the RoboKit recorder. It contains episodes with camera frames, joint states and actions for imitation learning.";
    let found = detect(&[
        input("a/pick-cube", text),
        input("b/open-drawer", text),
        input("c/fold-towel", text),
    ]);
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn generic_names_and_related_mentions_are_not_families() {
    let a = input("alice/mental_health", "Reddit posts labelled with depression and anxiety categories for text classification research at our lab.");
    let b = input("bob/mental_health", "A chatbot FAQ about mental health services at a university clinic: opening hours, appointments and emergency numbers.");
    let mut c = input("carol/new-corpus", "Peer support conversations written by trained volunteers for a crisis line training program in three cities.");
    c.readme = Some(
        "## Related datasets\n\nSee also https://huggingface.co/datasets/alice/mental_health\n"
            .into(),
    );
    assert!(detect(&[a, b, c]).is_empty());
}

/// Pairwise precision and recall of grouping: pairs in one true family vs pairs in one found
/// family.
fn pairwise(truth: &[Option<String>], found: &[Option<String>]) -> (f64, f64, usize, usize) {
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for i in 0..truth.len() {
        for j in i + 1..truth.len() {
            let t = truth[i].is_some() && truth[i] == truth[j];
            let f = found[i].is_some() && found[i] == found[j];
            match (t, f) {
                (true, true) => tp += 1,
                (false, true) => fp += 1,
                (true, false) => fn_ += 1,
                _ => {}
            }
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    (precision, recall, tp + fp, tp + fn_)
}

#[test]
fn fixture_families_are_grouped_with_high_precision_and_recall() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/families.jsonl");
    let Ok(text) = std::fs::read_to_string(path) else {
        panic!("missing fixture {path}");
    };
    let mut inputs = Vec::new();
    let mut truth = Vec::new();
    let mut relations = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("fixture line");
        let strings = |k: &str| -> Vec<String> {
            v[k].as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let mut features = strings("features");
        features.sort();
        inputs.push(FamilyInput {
            id: v["id"].as_str().unwrap_or("").to_string(),
            created_at: v["created_at"].as_str().map(str::to_string),
            downloads: v["downloads"].as_i64().unwrap_or(0),
            languages: strings("languages"),
            description: v["description"].as_str().unwrap_or("").to_string(),
            readme: v["readme"].as_str().map(str::to_string),
            source_datasets: strings("source_datasets"),
            features,
            num_rows: v["num_rows"].as_i64(),
            sample_text: v["sample_text"].as_str().unwrap_or("").to_string(),
        });
        truth.push(v["family"].as_str().map(str::to_string));
        relations.push(v["relation"].as_str().map(str::to_string));
    }
    let found_map = detect(&inputs);
    let found: Vec<Option<String>> = inputs
        .iter()
        .map(|d| found_map.get(&d.id).map(|m| m.family_id.clone()))
        .collect();
    let (precision, recall, predicted, actual) = pairwise(&truth, &found);
    let mut right_relation = 0;
    let mut members = 0;
    for (d, want) in inputs.iter().zip(&relations) {
        if let (Some(want), Some(m)) = (want, found_map.get(&d.id)) {
            members += 1;
            right_relation += usize::from(m.role.as_str() == want);
            if m.role.as_str() != want {
                println!(
                    "  relation of {}: want {want}, found {}",
                    d.id,
                    m.role.as_str()
                );
            }
        }
    }
    println!(
        "families fixture: {} datasets; pairwise precision {precision:.3} ({predicted} pairs grouped), recall {recall:.3} ({actual} true pairs); relation right for {right_relation}/{members} grouped members",
        inputs.len()
    );
    for (d, (t, f)) in inputs.iter().zip(truth.iter().zip(&found)) {
        if t.is_some() != f.is_some() {
            println!(
                "  {}: truth {:?}, found {:?} {:?}",
                d.id,
                t,
                f,
                found_map.get(&d.id).map(|m| &m.evidence)
            );
        }
    }
    assert!(precision >= 0.9, "precision {precision}");
    assert!(recall >= 0.8, "recall {recall}");
}
