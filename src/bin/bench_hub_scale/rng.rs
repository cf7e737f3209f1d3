//! A tiny deterministic PRNG (SplitMix64) and the distributions the corpus needs. No `rand`
//! crate: the corpus must be byte-identical for a seed on every platform and toolchain.

/// SplitMix64: fast, 64-bit state, good enough statistical quality for synthetic data.
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator for `seed` (any value, including 0).
    pub fn new(seed: u64) -> Rng {
        Rng {
            state: seed ^ 0x6A09_E667_F3BC_C909,
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform integer in [0, n) (0 when n is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        (((self.next_u64() >> 32) * n as u64) >> 32) as usize
    }

    /// Uniform integer in [lo, hi] (inclusive).
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + (self.unit() * (hi.saturating_sub(lo) + 1) as f64) as u64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One name from `(name, weight)` pairs, proportionally to the weights.
    pub fn weighted(&mut self, items: &[(&'static str, u32)]) -> &'static str {
        let total: u64 = items.iter().map(|(_, w)| u64::from(*w)).sum();
        let mut ticket = (self.unit() * total as f64) as u64;
        for (name, weight) in items {
            if ticket < u64::from(*weight) {
                return name;
            }
            ticket -= u64::from(*weight);
        }
        items.last().map_or("", |(name, _)| name)
    }

    /// An index into `weights`, proportionally to them.
    pub fn weighted_index(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut ticket = (self.unit() * total as f64) as u64;
        for (i, weight) in weights.iter().enumerate() {
            if ticket < u64::from(*weight) {
                return i;
            }
            ticket -= u64::from(*weight);
        }
        weights.len().saturating_sub(1)
    }

    /// Between `min` and `max` distinct elements of `items`.
    pub fn some_of(&mut self, items: &[&'static str], min: u64, max: u64) -> Vec<&'static str> {
        let count = self.between(min, max);
        let mut out: Vec<&'static str> = Vec::new();
        for _ in 0..count {
            let item = *self.pick(items);
            if !out.contains(&item) {
                out.push(item);
            }
        }
        out
    }

    /// Standard normal (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(f64::MIN_POSITIVE);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Log-normal with the given parameters of the underlying normal.
    pub fn log_normal(&mut self, mu: f64, sigma: f64) -> f64 {
        (mu + sigma * self.normal()).exp()
    }

    /// Pareto with scale `x_min` and shape `alpha` (heavier tail for smaller alpha).
    pub fn pareto(&mut self, x_min: f64, alpha: f64) -> f64 {
        let u = 1.0 - self.unit(); // (0, 1]
        x_min / u.powf(1.0 / alpha)
    }

    /// `len` lower-case hex digits.
    pub fn hex(&mut self, len: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut out = String::with_capacity(len);
        let mut bits = 0u64;
        for i in 0..len {
            if i % 16 == 0 {
                bits = self.next_u64();
            }
            out.push(char::from(DIGITS[(bits & 0xF) as usize]));
            bits >>= 4;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_ranges_hold() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..1000 {
            assert_eq!(a.next_u64(), b.next_u64());
            let u = a.unit();
            assert!((0.0..1.0).contains(&u));
            assert!(a.below(10) < 10);
            let x = a.between(3, 5);
            assert!((3..=5).contains(&x));
            b.unit();
            b.below(10);
            b.between(3, 5);
        }
        assert_ne!(Rng::new(1).next_u64(), Rng::new(2).next_u64());
        assert_eq!(Rng::new(3).hex(40).len(), 40);
    }
}
