//! Quality score: the original tool's documented caps, made smooth.
//!
//! The original tool (`_calculate_quality_score` in pixelatedempathy/ai
//! `academic_sourcing/therapy_dataset_sourcing.py`) used steps: downloads >100/>1k/>10k →
//! 0.1/0.2/0.3; likes >10/>50/>100 → 0.1/0.15/0.2; 0.1 per quality-indicator substring (max 0.3);
//! 0.1 for a card licence; 0.1 when `lastModified` contained "2024", "2025" or "2026".
//! Here the same caps hold (they sum to 1.0) but each part is continuous:
//!
//! | part | formula | cap |
//! |---|---|---|
//! | downloads | `0.3 · min(1, log10(1 + d) / 4)` — full from 10,000 (the old top step) | 0.3 |
//! | likes | `0.2 · min(1, log10(1 + l) / log10(101))` — full at 100 (the old top step) | 0.2 |
//! | indicators | `0.1` per distinct indicator, tokenised (see [`QUALITY_INDICATORS`]); a card with YAML metadata counts as one | 0.3 |
//! | licence | `0.1` when a licence other than `unknown` is declared | 0.1 |
//! | recency | `0.1` if updated within 365 days of `today`, falling linearly to 0 at 3 years | 0.1 |
//!
//! Missing downloads/likes count as 0. Recency is relative to the `today` argument, never to a
//! fixed year, so scores are reproducible in tests and age correctly in production.

use chrono::NaiveDate;

use super::formula::round4;
use super::tokenize::{tokenize_into, Token};
use super::{Quality, QualityInput};

/// Downloads giving the full downloads share (the original tool's top step).
const FULL_DOWNLOADS: f64 = 10_000.0;
/// Likes giving the full likes share (the original tool's top step).
const FULL_LIKES: f64 = 100.0;
/// Age in days up to which recency is full.
const RECENT_DAYS: f64 = 365.0;
/// Age in days at which recency reaches zero.
const STALE_DAYS: f64 = 3.0 * 365.0;

/// The original tool's twelve quality indicators, now matched as whole tokens / token
/// sequences in the description and tags (so `real` no longer matches inside `unrealistic`).
pub const QUALITY_INDICATORS: [&str; 12] = [
    "annotated",
    "validated",
    "curated",
    "expert",
    "professional",
    "clinical",
    "real",
    "authentic",
    "multi-turn",
    "long",
    "extended",
    "detailed",
];

/// The indicator recorded when the dataset has card (YAML) metadata.
pub const CARD_METADATA_INDICATOR: &str = "card_metadata";

/// Computes the quality score and its breakdown (see the module docs).
pub fn quality(input: &QualityInput, today: NaiveDate) -> Quality {
    let downloads_count = input.downloads.unwrap_or(0).max(0) as f64;
    let downloads = 0.3 * ((1.0 + downloads_count).log10() / FULL_DOWNLOADS.log10()).min(1.0);
    let likes_count = input.likes.unwrap_or(0).max(0) as f64;
    let likes = 0.2 * ((1.0 + likes_count).log10() / (1.0 + FULL_LIKES).log10()).min(1.0);

    let indicators_matched = matched_indicators(input);
    let indicators = (0.1 * indicators_matched.len() as f64).min(0.3);

    let declared = input
        .licenses
        .iter()
        .any(|l| !l.trim().is_empty() && !l.trim().eq_ignore_ascii_case("unknown"));
    let license = if declared { 0.1 } else { 0.0 };

    let recency = input.last_modified.map_or(0.0, |modified| {
        let age_days = (today - modified.date_naive()).num_days().max(0) as f64;
        if age_days <= RECENT_DAYS {
            0.1
        } else {
            0.1 * ((STALE_DAYS - age_days) / (STALE_DAYS - RECENT_DAYS)).clamp(0.0, 1.0)
        }
    });

    let score = (downloads + likes + indicators + license + recency).clamp(0.0, 1.0);
    Quality {
        score: round4(score),
        downloads: round4(downloads),
        likes: round4(likes),
        indicators: round4(indicators),
        license: round4(license),
        recency: round4(recency),
        indicators_matched,
    }
}

fn matched_indicators(input: &QualityInput) -> Vec<String> {
    let mut tokens: Vec<Token> = Vec::new();
    if let Some(description) = input.description {
        tokenize_into(description, &mut tokens);
    }
    for tag in input.tags {
        // `key:value` tags: only the value can be an indicator.
        let value = tag.split_once(':').map_or(tag.as_str(), |(_, value)| value);
        tokens.push(Token {
            text: String::new(),
            upper: false,
        }); // phrase boundary
        tokenize_into(value, &mut tokens);
    }
    let mut matched: Vec<String> = QUALITY_INDICATORS
        .iter()
        .filter(|indicator| contains_sequence(&tokens, indicator))
        .map(|indicator| indicator.to_string())
        .collect();
    if input.has_card_data {
        matched.push(CARD_METADATA_INDICATOR.to_string());
    }
    matched
}

fn contains_sequence(tokens: &[Token], phrase: &str) -> bool {
    let mut wanted = Vec::new();
    tokenize_into(phrase, &mut wanted);
    !wanted.is_empty()
        && tokens
            .windows(wanted.len())
            .any(|window| window.iter().zip(&wanted).all(|(a, b)| a.text == b.text))
}
