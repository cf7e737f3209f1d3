use chrono::{Duration, NaiveDate, TimeZone, Utc};

use crate::score::{
    original_tool_relevance, quality, Quality, QualityInput, CARD_METADATA_INDICATOR,
};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

fn input<'a>(licenses: &'a [String], tags: &'a [String]) -> QualityInput<'a> {
    QualityInput {
        downloads: None,
        likes: None,
        licenses,
        last_modified: None,
        description: None,
        tags,
        has_card_data: false,
    }
}

fn days_ago(days: i64) -> chrono::DateTime<Utc> {
    let noon = today().and_hms_opt(12, 0, 0).unwrap();
    Utc.from_utc_datetime(&noon) - Duration::days(days)
}

#[test]
fn nothing_known_scores_zero() {
    let q = quality(&input(&[], &[]), today());
    assert_eq!(q.score, 0.0);
    assert!(q.indicators_matched.is_empty());
}

#[test]
fn every_part_respects_its_cap() {
    let licenses = vec!["mit".to_string()];
    let tags = vec!["expert".to_string(), "curated".to_string()];
    let q = quality(
        &QualityInput {
            downloads: Some(50_000_000),
            likes: Some(90_000),
            licenses: &licenses,
            last_modified: Some(days_ago(3)),
            description: Some(
                "Annotated, validated, detailed, long, multi-turn, clinical and authentic.",
            ),
            tags: &tags,
            has_card_data: true,
        },
        today(),
    );
    assert_eq!(
        (q.downloads, q.likes, q.indicators, q.license, q.recency),
        (0.3, 0.2, 0.3, 0.1, 0.1)
    );
    assert_eq!(q.score, 1.0);
}

#[test]
fn downloads_and_likes_are_smooth_and_log_scaled() {
    let at = |downloads: i64, likes: i64| -> Quality {
        quality(
            &QualityInput {
                downloads: Some(downloads),
                likes: Some(likes),
                ..input(&[], &[])
            },
            today(),
        )
    };
    let mut previous = -1.0;
    for d in [0, 1, 10, 99, 100, 101, 1_000, 5_000, 9_000, 9_999] {
        let q = at(d, 0);
        assert!(
            q.downloads > previous || (d == 0 && q.downloads == 0.0),
            "not increasing at {d}"
        );
        previous = q.downloads;
    }
    // No step at the original tool's thresholds.
    assert!((at(101, 0).downloads - at(100, 0).downloads).abs() < 0.001);
    assert!((at(11, 0).likes - at(10, 0).likes).abs() < 0.01);
    assert!((at(1_000, 0).downloads - 0.225).abs() < 0.001);
    assert_eq!(at(10_000, 0).downloads, 0.3);
    assert_eq!(at(0, 100).likes, 0.2);
    assert!(at(0, 10).likes > 0.09 && at(0, 10).likes < 0.12);
    assert_eq!(at(-5, -5).score, 0.0, "negative counts are treated as zero");
}

#[test]
fn recency_is_relative_to_today() {
    let at = |days: i64| {
        quality(
            &QualityInput {
                last_modified: Some(days_ago(days)),
                ..input(&[], &[])
            },
            today(),
        )
        .recency
    };
    assert_eq!(at(0), 0.1);
    assert_eq!(at(365), 0.1);
    assert!((at(730) - 0.05).abs() < 0.001, "{}", at(730));
    assert_eq!(at(1200), 0.0);
    assert_eq!(at(-30), 0.1, "a future date counts as fresh");
    assert!(at(400) < at(300) && at(800) < at(400));
    // The same date scored a year later is older.
    let later = today() + Duration::days(365 * 2);
    let q = quality(
        &QualityInput {
            last_modified: Some(days_ago(0)),
            ..input(&[], &[])
        },
        later,
    );
    assert!((q.recency - 0.05).abs() < 0.001);
}

#[test]
fn indicators_are_tokenised() {
    let tags = vec!["language:en".to_string(), "human-annotated".to_string()];
    let q = quality(
        &QualityInput {
            description: Some("Unrealistic, prolonged, non-expertly made"),
            ..input(&[], &tags)
        },
        today(),
    );
    assert_eq!(
        q.indicators_matched,
        ["annotated"],
        "substrings must not count"
    );
    let multi = quality(
        &QualityInput {
            description: Some("Multi turn dialogues, expert reviewed"),
            has_card_data: true,
            ..input(&[], &[])
        },
        today(),
    );
    assert_eq!(
        multi.indicators_matched,
        ["expert", "multi-turn", CARD_METADATA_INDICATOR]
    );
    assert!((multi.indicators - 0.3).abs() < 1e-9);
}

#[test]
fn licence_counts_unless_unknown() {
    let unknown = vec!["unknown".to_string()];
    let other = vec!["other".to_string()];
    assert_eq!(quality(&input(&unknown, &[]), today()).license, 0.0);
    assert_eq!(quality(&input(&other, &[]), today()).license, 0.1);
}

#[test]
fn quality_serialises() {
    let q = quality(
        &QualityInput {
            downloads: Some(1234),
            ..input(&[], &[])
        },
        today(),
    );
    let back: Quality = serde_json::from_str(&serde_json::to_string(&q).unwrap()).unwrap();
    assert_eq!(back, q);
}

#[test]
fn original_tool_counts_substrings() {
    // "act" inside "interaction" and "patient" count for the original tool: exactly its flaw.
    assert!(
        (original_tool_relevance("someone/interaction", Some("patient"), &[]) - 0.2).abs() < 1e-9
    );
    let many = "therapy counseling psychotherapy mental health psychological clinical therapeutic psychiatry counselor therapist patient";
    assert_eq!(original_tool_relevance("x/y", Some(many), &[]), 1.0);
    assert_eq!(
        original_tool_relevance("x/y", None, &["Gene-Therapy".to_string()]),
        0.1
    );
}
