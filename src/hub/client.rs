//! The one HTTP client every network call goes through: auth, pacing, retries, request budget.
//!
//! Retried: timeouts, connection errors, truncated or unparsable bodies, 408, 502, 503, 504, and
//! 500 without an `X-Error-Code` (a coded 500 from the viewer is a cached state such as
//! `ResponseNotReady`, reported to the caller instead). Backoff doubles from `backoff_base` up to
//! `backoff_cap`. A 429 waits `t + 1` seconds from `RateLimit` (else `Retry-After + 1`, else the
//! backoff) and counts in [`HttpStats::waits_429`]. `max_requests` is a hard cap on requests sent.

use super::error::{describe, status_error, HubError};
use super::link::next_link;
use super::ratelimit::{parse_ratelimit, parse_retry_after, Pacer, RateLimitPolicy};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, IF_NONE_MATCH, RANGE};
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The `Authorization` value for `token`: the one place the token is exposed, marked sensitive
/// so the HTTP stack never prints it either.
fn bearer(token: &SecretString) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())).ok()?;
    value.set_sensitive(true);
    Some(value)
}

/// Longest wait honoured from `RateLimit: t=` or `Retry-After` (a broken header must not stall
/// or crash a sync).
const MAX_SERVER_WAIT_SECS: u64 = 3600;

/// Which rate-limit bucket a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Hub `/api/...` calls.
    Api,
    /// Dataset-viewer calls.
    Viewer,
    /// Hub file downloads (`/resolve/` URLs: READMEs and data files).
    Resolvers,
}

/// Settings of the HTTP client.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// Bearer token (never printed: its `Debug` is `[REDACTED]`).
    pub token: Option<SecretString>,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Retries after the first attempt for retryable failures.
    pub max_retries: u32,
    /// First backoff delay.
    pub backoff_base: Duration,
    /// Largest backoff delay.
    pub backoff_cap: Duration,
    /// Consecutive 429 responses tolerated before giving up.
    pub max_429: u32,
    /// Hard cap on requests sent (all buckets).
    pub max_requests: Option<u64>,
    /// Until the first response arrives: per-request timeout and retries (an unreachable
    /// endpoint is reported within a minute instead of after every backoff).
    pub first_contact_timeout: Duration,
    /// Retries of a network failure before any response arrived.
    pub first_contact_retries: u32,
}

impl HttpSettings {
    /// Longest time before an endpoint that never answers is reported unreachable: each attempt
    /// waits for its timeout, with the backoff between attempts.
    pub fn worst_case_unreachable(&self) -> Duration {
        let attempts = self.first_contact_retries + 1;
        let mut total = self.first_contact_timeout.min(self.timeout) * attempts;
        for failure in 1..attempts {
            let factor = 1u32 << (failure - 1).min(16);
            total += (self.backoff_base * factor).min(self.backoff_cap);
        }
        total
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            token: None,
            timeout: Duration::from_secs(30),
            max_retries: 5,
            backoff_base: Duration::from_secs(1),
            backoff_cap: Duration::from_secs(8),
            max_429: 8,
            max_requests: None,
            first_contact_timeout: Duration::from_secs(15),
            first_contact_retries: 2,
        }
    }
}

/// Counters of what the client did.
#[derive(Debug, Default)]
pub struct HttpStats {
    /// Requests sent (every attempt).
    pub requests: AtomicU64,
    /// Retries after failures.
    pub retries: AtomicU64,
    /// 429 responses waited out.
    pub waits_429: AtomicU64,
    /// Milliseconds spent waiting on 429s.
    pub wait_429_ms: AtomicU64,
    /// HTTP responses received (any status): zero means the endpoint was never reached.
    pub responses: AtomicU64,
}

/// A successful JSON response.
#[derive(Debug)]
pub struct JsonResponse {
    /// Parsed body.
    pub body: Value,
    /// `Link: <url>; rel="next"`, when present.
    pub next: Option<String>,
}

/// HTTP client with auth, pacing, retries and budget.
pub struct HttpClient {
    inner: reqwest::Client,
    /// Does not follow redirects: file downloads follow them by hand, so the token goes only
    /// to the Hub's own origin (see [`HttpClient::get_bytes`]).
    no_redirects: reqwest::Client,
    settings: HttpSettings,
    api_pacer: Pacer,
    viewer_pacer: Pacer,
    resolvers_pacer: Pacer,
    stats: Arc<HttpStats>,
}

/// A raw (non-JSON) response: status, headers and a body read up to a cap.
#[derive(Debug)]
pub struct RawResponse {
    /// HTTP status (2xx, 3xx, 304 or 416; other statuses are errors).
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body, at most the requested cap.
    pub body: Vec<u8>,
    /// True when the body was longer than the cap and reading stopped.
    pub capped: bool,
}

/// Extra request details for [`HttpClient::get_bytes`].
#[derive(Debug, Clone, Default)]
pub struct RawRequest {
    /// Send the token (only for the Hub's own origin).
    pub authorize: bool,
    /// `Range: bytes=0-<n-1>`: ask for the first `n` bytes.
    pub first_bytes: Option<u64>,
    /// `If-None-Match`: a stored `ETag`.
    pub if_none_match: Option<String>,
    /// Most body bytes read (a server ignoring `Range` is cut off here).
    pub max_body: usize,
}

/// What a caller makes of a response the retry loop does not handle itself.
enum Verdict<T> {
    /// Finished.
    Done(T),
    /// Worth another attempt, for this reason.
    Retry(String),
}

impl HttpClient {
    /// Builds the client. The anonymous fallback policy is 500 requests per 300 s, 1000 with a token.
    pub fn new(settings: HttpSettings) -> Result<HttpClient, reqwest::Error> {
        let builder = || {
            reqwest::Client::builder()
                .user_agent(concat!("catalog/", env!("CARGO_PKG_VERSION")))
                .timeout(settings.timeout)
                .connect_timeout(Duration::from_secs(10))
        };
        let inner = builder().build()?;
        let no_redirects = builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        let quota = if settings.token.is_some() { 1000 } else { 500 };
        let resolvers_quota = if settings.token.is_some() { 5000 } else { 3000 };
        Ok(HttpClient {
            inner,
            no_redirects,
            resolvers_pacer: Pacer::new(RateLimitPolicy {
                quota: resolvers_quota,
                window_secs: 300,
            }),
            api_pacer: Pacer::new(RateLimitPolicy {
                quota,
                window_secs: 300,
            }),
            viewer_pacer: Pacer::new(RateLimitPolicy {
                quota: 3000,
                window_secs: 300,
            }),
            settings,
            stats: Arc::new(HttpStats::default()),
        })
    }

    /// Seconds between `api` requests at the pace the current rate-limit policy allows.
    pub fn api_seconds_per_request(&self) -> f64 {
        self.api_pacer.seconds_per_request()
    }

    /// True when requests carry a token (gated data may be read).
    pub fn has_token(&self) -> bool {
        self.settings.token.is_some()
    }

    /// Live counters.
    pub fn stats(&self) -> &HttpStats {
        &self.stats
    }

    fn take_budget(&self) -> Result<(), HubError> {
        let sent = self.stats.requests.fetch_add(1, Ordering::SeqCst);
        match self.settings.max_requests {
            Some(max) if sent >= max => {
                self.stats.requests.fetch_sub(1, Ordering::SeqCst);
                Err(HubError::BudgetExhausted(max))
            }
            _ => Ok(()),
        }
    }

    fn backoff(&self, failures: u32) -> Duration {
        let factor = 1u32 << failures.saturating_sub(1).min(16);
        (self.settings.backoff_base * factor).min(self.settings.backoff_cap)
    }

    /// GETs `url` and parses a JSON body, with pacing and retries.
    pub async fn get_json(&self, url: &str, bucket: Bucket) -> Result<JsonResponse, HubError> {
        let request = RawRequest {
            authorize: true,
            max_body: usize::MAX,
            ..RawRequest::default()
        };
        self.with_retries(
            url,
            bucket,
            &self.inner,
            &request,
            |status, headers, body, _| {
                if !(200..=299).contains(&status) {
                    return None;
                }
                Some(match serde_json::from_slice::<Value>(body) {
                    Ok(json) => Verdict::Done(JsonResponse {
                        body: json,
                        next: next_link(headers),
                    }),
                    Err(e) => Verdict::Retry(format!("response body is not complete JSON ({e})")),
                })
            },
        )
        .await
    }

    /// GETs `url` without following redirects and returns the raw answer: 2xx, 3xx (the caller
    /// follows `Location`), 304 and 416 are answers; other statuses are errors as for JSON.
    pub async fn get_bytes(
        &self,
        url: &str,
        bucket: Bucket,
        request: &RawRequest,
    ) -> Result<RawResponse, HubError> {
        self.with_retries(
            url,
            bucket,
            &self.no_redirects,
            request,
            |status, headers, body, capped| {
                let answer = (200..=399).contains(&status) || status == 416;
                answer.then(|| {
                    Verdict::Done(RawResponse {
                        status,
                        headers: headers.clone(),
                        body: body.to_vec(),
                        capped,
                    })
                })
            },
        )
        .await
    }

    /// The one request loop: budget, pacing, auth, 429 waits, retries with backoff. `accept`
    /// judges a response (`None`: not an answer, handled as an HTTP error).
    async fn with_retries<T>(
        &self,
        url: &str,
        bucket: Bucket,
        client: &reqwest::Client,
        spec: &RawRequest,
        mut accept: impl FnMut(u16, &HeaderMap, &[u8], bool) -> Option<Verdict<T>>,
    ) -> Result<T, HubError> {
        let pacer = match bucket {
            Bucket::Api => &self.api_pacer,
            Bucket::Viewer => &self.viewer_pacer,
            Bucket::Resolvers => &self.resolvers_pacer,
        };
        let authorization = match (&self.settings.token, spec.authorize) {
            (Some(token), true) => Some(bearer(token).ok_or_else(|| HubError::Transport {
                url: url.to_string(),
                message: "the Hub token is not a valid HTTP header value".to_string(),
                attempts: 0,
            })?),
            _ => None,
        };
        let mut failures = 0u32;
        let mut rate_limited = 0u32;
        loop {
            self.take_budget()?;
            tokio::time::sleep(pacer.reserve().await).await;
            let unreached = self.stats.responses.load(Ordering::Relaxed) == 0;
            let mut request = client.get(url);
            if unreached {
                request = request.timeout(
                    self.settings
                        .first_contact_timeout
                        .min(self.settings.timeout),
                );
            }
            if let Some(value) = &authorization {
                request = request.header(AUTHORIZATION, value.clone());
            }
            if let Some(n) = spec.first_bytes {
                request = request.header(RANGE, format!("bytes=0-{}", n.saturating_sub(1)));
            }
            if let Some(etag) = &spec.if_none_match {
                request = request.header(IF_NONE_MATCH, etag.as_str());
            }
            let outcome = match request.send().await {
                Ok(response) => {
                    self.stats.responses.fetch_add(1, Ordering::Relaxed);
                    pacer.observe(response.headers()).await;
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    match read_body(response, spec.max_body).await {
                        Ok((body, capped)) => Ok((status, headers, body, capped)),
                        Err(e) => Err(describe(&e)),
                    }
                }
                Err(e) => Err(describe(&e)),
            };
            let retry_reason = match outcome {
                Ok((status, headers, body, capped)) => {
                    match accept(status, &headers, &body, capped) {
                        Some(Verdict::Done(value)) => return Ok(value),
                        Some(Verdict::Retry(reason)) => reason,
                        None if status == 429 => {
                            rate_limited += 1;
                            if rate_limited > self.settings.max_429 {
                                return Err(HubError::RateLimited {
                                    url: url.to_string(),
                                    attempts: rate_limited,
                                });
                            }
                            let wait = parse_ratelimit(&headers)
                                .map(|l| l.reset_secs)
                                .or_else(|| parse_retry_after(&headers))
                                .map(|secs| Duration::from_secs(secs.min(MAX_SERVER_WAIT_SECS) + 1))
                                .unwrap_or_else(|| self.backoff(rate_limited));
                            self.stats.waits_429.fetch_add(1, Ordering::Relaxed);
                            self.stats
                                .wait_429_ms
                                .fetch_add(wait.as_millis() as u64, Ordering::Relaxed);
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                        None => {
                            let error = status_error(url, status, &headers, &body);
                            let coded = headers.contains_key("x-error-code");
                            let retryable = matches!(status, 408 | 502 | 503 | 504)
                                || (status == 500 && !coded);
                            if !retryable || failures >= self.settings.max_retries {
                                return Err(error);
                            }
                            error.to_string()
                        }
                    }
                }
                Err(message) => message,
            };
            let retries = if self.stats.responses.load(Ordering::Relaxed) == 0 {
                self.settings
                    .first_contact_retries
                    .min(self.settings.max_retries)
            } else {
                self.settings.max_retries
            };
            if failures >= retries {
                return Err(HubError::Transport {
                    url: url.to_string(),
                    message: retry_reason,
                    attempts: failures + 1,
                });
            }
            failures += 1;
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(self.backoff(failures)).await;
        }
    }
}

/// Reads a body up to `max` bytes; the flag says reading stopped at the cap.
async fn read_body(
    mut response: reqwest::Response,
    max: usize,
) -> Result<(Vec<u8>, bool), reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = max.saturating_sub(body.len());
        if chunk.len() > room {
            body.extend_from_slice(chunk.get(..room).unwrap_or(&[]));
            return Ok((body, true));
        }
        body.extend_from_slice(&chunk);
    }
    Ok((body, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unreachable_endpoint_is_reported_within_a_minute() {
        let defaults = HttpSettings::default();
        assert!(defaults.worst_case_unreachable() <= Duration::from_secs(60));
        // 3 attempts of 15 s, then 1 s and 2 s of backoff.
        assert_eq!(defaults.worst_case_unreachable(), Duration::from_secs(48));
    }

    #[test]
    fn debug_never_shows_the_token() {
        let s = HttpSettings {
            token: Some("hf_secret_value".into()),
            ..HttpSettings::default()
        };
        assert!(!format!("{s:?}").contains("hf_secret_value"));
        assert!(!format!("{s:#?}").contains("hf_secret_value"));
        let header = bearer(s.token.as_ref().unwrap()).unwrap();
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("hf_secret_value"));
        assert_eq!(header.to_str().unwrap(), "Bearer hf_secret_value");
    }
}
