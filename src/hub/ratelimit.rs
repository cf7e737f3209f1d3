//! Pacing from the Hub's `RateLimit` / `RateLimit-Policy` headers (IETF draft, fixed windows).
//!
//! The Hub sends `RateLimit: "api";r=<remaining>;t=<seconds to reset>` and
//! `RateLimit-Policy: "fixed window";"api";q=<quota>;w=<window>` on every response. The pacer
//! spends the first three quarters of a window's quota freely, then spreads what is left evenly
//! over the rest of the window, and waits for the reset (plus one second) when a single request
//! remains. Before any header was seen it spaces requests at `window / quota` (the documented
//! anonymous 500 per 300 s, or 1000 per 300 s with a token).
//!
//! Hand-written on purpose: rate-limiting crates (`governor` and the like) enforce a quota the
//! client configures; none follows a server's `RateLimit` headers — its remaining budget and
//! reset time — which is what keeps a long sync clear of 429s. The pacer runs on tokio's clock,
//! so tests drive it on a paused runtime.

use reqwest::header::HeaderMap;
use std::time::Duration;
// tokio's clock: real time in a sync, virtual time under a paused test runtime.
use tokio::sync::Mutex;
use tokio::time::Instant;

/// What a `RateLimit` header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitHeader {
    /// Requests remaining in the current window.
    pub remaining: u64,
    /// Seconds until the window resets.
    pub reset_secs: u64,
}

/// What a `RateLimit-Policy` header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitPolicy {
    /// Requests allowed per window.
    pub quota: u64,
    /// Window length in seconds.
    pub window_secs: u64,
}

/// Reads `key=<int>` parameters from a structured header value such as `"api";r=12;t=30`.
fn header_param(value: &str, key: &str) -> Option<u64> {
    value.split(';').find_map(|part| {
        let (k, v) = part.trim().split_once('=')?;
        (k.trim().eq_ignore_ascii_case(key))
            .then(|| v.trim().trim_matches('"').parse().ok())
            .flatten()
    })
}

/// Parses the `RateLimit` header, if present and well-formed.
pub fn parse_ratelimit(headers: &HeaderMap) -> Option<RateLimitHeader> {
    let value = headers.get("ratelimit")?.to_str().ok()?;
    Some(RateLimitHeader {
        remaining: header_param(value, "r")?,
        reset_secs: header_param(value, "t")?,
    })
}

/// Parses the `RateLimit-Policy` header, if present and well-formed.
pub fn parse_policy(headers: &HeaderMap) -> Option<RateLimitPolicy> {
    let value = headers.get("ratelimit-policy")?.to_str().ok()?;
    Some(RateLimitPolicy {
        quota: header_param(value, "q")?.max(1),
        window_secs: header_param(value, "w")?.max(1),
    })
}

/// Parses `Retry-After` as delta-seconds (HTTP dates are ignored, as the Hub clients do).
pub fn parse_retry_after(headers: &HeaderMap) -> Option<u64> {
    headers
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

#[derive(Debug)]
struct PaceState {
    policy: RateLimitPolicy,
    remaining: Option<u64>,
    reset_at: Option<Instant>,
    next_allowed: Instant,
}

/// Shared pacer for one rate-limit bucket.
#[derive(Debug)]
pub struct Pacer {
    state: Mutex<PaceState>,
}

impl Pacer {
    /// A pacer assuming `policy` until the server says otherwise.
    pub fn new(policy: RateLimitPolicy) -> Pacer {
        Pacer {
            state: Mutex::new(PaceState {
                policy,
                remaining: None,
                reset_at: None,
                next_allowed: Instant::now(),
            }),
        }
    }

    /// How long to wait before the next request; reserves the request's slot.
    pub async fn reserve(&self) -> Duration {
        let mut s = self.state.lock().await;
        let now = Instant::now();
        let start = s.next_allowed.max(now);
        let spacing = match (s.remaining, s.reset_at) {
            (Some(remaining), Some(reset_at)) if reset_at > start => {
                let left = reset_at - start;
                if remaining <= 1 {
                    // Wait for the reset, plus one second of margin, then start a fresh window.
                    s.remaining = None;
                    s.reset_at = None;
                    let wait = left + Duration::from_secs(1);
                    s.next_allowed = start + wait;
                    return s.next_allowed - now;
                }
                s.remaining = Some(remaining - 1);
                if remaining * 4 > s.policy.quota * 3 {
                    Duration::ZERO
                } else {
                    left / u32::try_from(remaining).unwrap_or(u32::MAX)
                }
            }
            (Some(_), Some(_)) => {
                // The window has reset since the last header.
                s.remaining = None;
                s.reset_at = None;
                Duration::ZERO
            }
            _ => {
                Duration::from_secs(s.policy.window_secs)
                    / u32::try_from(s.policy.quota).unwrap_or(u32::MAX)
            }
        };
        let wait = start - now;
        s.next_allowed = start + spacing;
        wait
    }

    /// Seconds per request at the sustained pace of the current policy (`window / quota`).
    pub fn seconds_per_request(&self) -> f64 {
        self.state.try_lock().map_or(0.6, |s| {
            s.policy.window_secs as f64 / s.policy.quota.max(1) as f64
        })
    }

    /// Updates the pacer from a response's headers.
    pub async fn observe(&self, headers: &HeaderMap) {
        let mut s = self.state.lock().await;
        if let Some(policy) = parse_policy(headers) {
            s.policy = policy;
        }
        if let Some(limit) = parse_ratelimit(headers) {
            s.remaining = Some(limit.remaining);
            // A window never lasts more than an hour; a larger `t` is a broken header.
            s.reset_at = Some(Instant::now() + Duration::from_secs(limit.reset_secs.min(3600)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn parses_recorded_hub_headers() {
        let h = headers(&[
            ("ratelimit", "\"api\";r=2487;t=155"),
            ("ratelimit-policy", "\"fixed window\";\"api\";q=2500;w=300"),
        ]);
        assert_eq!(
            parse_ratelimit(&h),
            Some(RateLimitHeader {
                remaining: 2487,
                reset_secs: 155
            })
        );
        assert_eq!(
            parse_policy(&h),
            Some(RateLimitPolicy {
                quota: 2500,
                window_secs: 300
            })
        );
        assert_eq!(parse_ratelimit(&headers(&[("ratelimit", "garbage")])), None);
    }

    #[tokio::test(start_paused = true)]
    async fn waits_for_reset_when_exhausted_and_spreads_the_last_quarter() {
        let pacer = Pacer::new(RateLimitPolicy {
            quota: 100,
            window_secs: 300,
        });
        pacer
            .observe(&headers(&[("ratelimit", "\"api\";r=90;t=60")]))
            .await;
        assert_eq!(pacer.reserve().await, Duration::ZERO);
        assert!(pacer.reserve().await < Duration::from_millis(5));
        pacer
            .observe(&headers(&[("ratelimit", "\"api\";r=10;t=60")]))
            .await;
        let _ = pacer.reserve().await;
        let second = pacer.reserve().await;
        assert!(
            second > Duration::from_secs(5) && second < Duration::from_secs(7),
            "{second:?}"
        );
        pacer
            .observe(&headers(&[("ratelimit", "\"api\";r=1;t=30")]))
            .await;
        let wait = pacer.reserve().await;
        assert!(wait >= Duration::from_secs(30), "{wait:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn without_headers_the_policy_spaces_requests_evenly_in_virtual_time() {
        // 10 requests per 60 s: one every 6 s, the first at once.
        let pacer = Pacer::new(RateLimitPolicy {
            quota: 10,
            window_secs: 60,
        });
        let started = Instant::now();
        let mut sent_at = Vec::new();
        for _ in 0..5 {
            tokio::time::sleep(pacer.reserve().await).await;
            sent_at.push(Instant::now() - started);
        }
        let expected: Vec<Duration> = (0..5).map(|i| Duration::from_secs(6 * i)).collect();
        assert_eq!(sent_at, expected);
    }

    #[tokio::test(start_paused = true)]
    async fn an_exhausted_window_waits_for_its_reset_plus_a_second_then_starts_afresh() {
        let pacer = Pacer::new(RateLimitPolicy {
            quota: 500,
            window_secs: 300,
        });
        pacer
            .observe(&headers(&[("ratelimit", "\"api\";r=1;t=42")]))
            .await;
        let started = Instant::now();
        tokio::time::sleep(pacer.reserve().await).await;
        assert_eq!(Instant::now() - started, Duration::from_secs(43));
        // A fresh window: the policy's even spacing (300 s / 500 = 0.6 s) applies again.
        assert_eq!(pacer.reserve().await, Duration::ZERO);
        assert_eq!(pacer.reserve().await, Duration::from_millis(600));
    }
}
