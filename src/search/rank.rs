//! The composite rank: weights and the per-dataset factors (all in [0, 1]).
//!
//! score = Σ wₖ·factorₖ / Σ wₖ over the factors that apply (the `match` factor only applies when
//! there is query text), so scores stay in [0, 1] whatever the weights. Factors:
//! - match: BM25 of the text query divided by the best BM25 among the matches;
//! - quality and relevance: the stored scores;
//! - turns: ln(1 + avg turns) / ln(31), capped at 1 (30+ turns → 1; unknown → 0);
//! - popularity: 0.7·log₁₀(1 + downloads)/6 + 0.3·log₁₀(1 + likes)/4, each capped at 1.
//!
//! The turns and popularity factors are computed at index time and stored as fast fields.

/// Ranking weights (`--weights match=0.3,quality=0.15,...`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Weights {
    /// Text match.
    #[serde(rename = "match")]
    pub text_match: f64,
    /// Quality.
    pub quality: f64,
    /// Therapy relevance.
    pub relevance: f64,
    /// Conversation length.
    pub turns: f64,
    /// Downloads and likes.
    pub popularity: f64,
}

impl Default for Weights {
    /// match 0.30, relevance 0.25, quality 0.15, turns 0.15, popularity 0.15. (The original tool,
    /// which had no text match, used quality 0.3, relevance 0.3, turns 0.2, popularity 0.2.)
    fn default() -> Self {
        Weights {
            text_match: 0.30,
            quality: 0.15,
            relevance: 0.25,
            turns: 0.15,
            popularity: 0.15,
        }
    }
}

impl Weights {
    /// Applies `k=v,...` overrides; unknown keys, bad numbers, negatives and all-zero are errors.
    pub fn with_overrides(mut self, spec: &str) -> std::result::Result<Weights, String> {
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("weight `{part}` is not key=value"))?;
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("weight `{part}`: `{}` is not a number", value.trim()))?;
            if !value.is_finite() || value < 0.0 {
                return Err(format!("weight `{part}` must be a non-negative number"));
            }
            match key.trim() {
                "match" => self.text_match = value,
                "quality" => self.quality = value,
                "relevance" => self.relevance = value,
                "turns" => self.turns = value,
                "popularity" => self.popularity = value,
                other => {
                    return Err(format!(
                        "unknown weight `{other}` (known: match, quality, relevance, turns, popularity)"
                    ))
                }
            }
        }
        if self.text_match + self.quality + self.relevance + self.turns + self.popularity <= 0.0 {
            return Err("at least one weight must be positive".to_string());
        }
        Ok(self)
    }
}

impl Weights {
    /// The weighted sum of the factors that do not depend on the query text.
    pub fn static_sum(&self, quality: f64, relevance: f64, turns: f64, popularity: f64) -> f64 {
        self.quality * quality
            + self.relevance * relevance
            + self.turns * turns
            + self.popularity * popularity
    }

    /// Σ w over the factors that apply.
    pub fn total(&self, has_text: bool) -> f64 {
        self.quality
            + self.relevance
            + self.turns
            + self.popularity
            + if has_text { self.text_match } else { 0.0 }
    }
}

/// The match factor of a BM25 given the best BM25 of the matches (0 when there is none). One
/// function for the final ranking and for the pruning's cut, so both order near-ties alike.
pub fn match_factor(bm25: f32, best_bm25: f32) -> f64 {
    if best_bm25 > 0.0 {
        f64::from(bm25 / best_bm25)
    } else {
        0.0
    }
}

/// The turns factor of an average turn count (`None`: unknown → 0).
pub fn turns_factor(avg: Option<f64>) -> f64 {
    avg.map_or(0.0, |a| ((1.0 + a.max(0.0)).ln() / 31f64.ln()).min(1.0))
}

/// The popularity factor of downloads and likes.
pub fn popularity_factor(downloads: u64, likes: u64) -> f64 {
    let d = ((1.0 + downloads as f64).log10() / 6.0).min(1.0);
    let l = ((1.0 + likes as f64).log10() / 4.0).min(1.0);
    0.7 * d + 0.3 * l
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_validate() {
        let w = Weights::default()
            .with_overrides("match=1, turns=0.5")
            .unwrap();
        assert_eq!((w.text_match, w.turns), (1.0, 0.5));
        assert!(Weights::default().with_overrides("bogus=1").is_err());
        assert!(Weights::default().with_overrides("quality=-1").is_err());
        assert!(Weights::default().with_overrides("quality").is_err());
        assert!(Weights::default()
            .with_overrides("match=0,quality=0,relevance=0,turns=0,popularity=0")
            .is_err());
    }

    #[test]
    fn factors_are_bounded_and_monotonic() {
        assert_eq!(turns_factor(None), 0.0);
        assert!(turns_factor(Some(4.0)) < turns_factor(Some(20.0)));
        assert_eq!(turns_factor(Some(500.0)), 1.0);
        assert!(popularity_factor(10, 1) < popularity_factor(10_000, 50));
        assert!(popularity_factor(u64::MAX, u64::MAX) <= 1.0 + 1e-9);
    }
}
