//! MinHash signatures of word shingles and LSH banding (see the module doc of `family`).

use crate::score::tokenize::tokenize;
use std::collections::HashMap;

/// Hashes per signature.
const HASHES: usize = 64;
/// Bands for candidate pairs (rows per band = HASHES / BANDS).
const BANDS: usize = 16;
/// Fewest tokens a text needs to be compared (short texts are too alike by chance).
const MIN_TOKENS: usize = 12;
/// Largest band bucket considered (boilerplate shared by thousands says nothing).
const MAX_BUCKET: usize = 50;

/// A MinHash signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signature(Vec<u64>);

impl Signature {
    /// Estimated Jaccard similarity of the two shingle sets.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        same as f64 / HASHES as f64
    }
}

fn fnv(bytes: &[u8], seed: u64) -> u64 {
    bytes.iter().fold(
        0xcbf2_9ce4_8422_2325 ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15),
        |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3),
    )
}

/// The signature of `text`'s 3-token shingles (CJK characters are tokens), or `None` for a
/// text too short to compare.
pub fn signature(text: &str) -> Option<Signature> {
    let tokens: Vec<String> = tokenize(text).into_iter().map(|t| t.text).collect();
    if tokens.len() < MIN_TOKENS {
        return None;
    }
    let shingles: Vec<u64> = tokens
        .windows(3)
        .map(|w| fnv(w.join(" ").as_bytes(), 0))
        .collect();
    let mins = (0..HASHES as u64)
        .map(|seed| {
            shingles
                .iter()
                .map(|s| fnv(&s.to_le_bytes(), seed + 1))
                .min()
                .unwrap_or(u64::MAX)
        })
        .collect();
    Some(Signature(mins))
}

/// Pairs `(i, j)`, `i < j`, sharing at least one band.
pub fn candidate_pairs(signatures: &[Option<Signature>]) -> Vec<(usize, usize)> {
    let rows = HASHES / BANDS;
    let mut buckets: HashMap<(usize, u64), Vec<usize>> = HashMap::new();
    for (i, s) in signatures.iter().enumerate() {
        let Some(s) = s else { continue };
        for (band, chunk) in s.0.chunks(rows).enumerate() {
            let key = chunk.iter().fold(0u64, |h, v| h.rotate_left(7) ^ v);
            buckets.entry((band, key)).or_default().push(i);
        }
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for members in buckets
        .values()
        .filter(|m| m.len() >= 2 && m.len() <= MAX_BUCKET)
    {
        for (x, &a) in members.iter().enumerate() {
            for &b in members.iter().skip(x + 1) {
                pairs.push((a.min(b), a.max(b)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    pairs
}
