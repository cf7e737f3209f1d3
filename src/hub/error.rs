//! What a network call can end in after its retries, and the messages users read: a status
//! with the server's own words, a transport failure, a rate limit that would not lift, or the
//! request budget. URLs are shown without their query strings.

use reqwest::header::HeaderMap;
use serde_json::Value;

/// Network errors after retries.
#[derive(Debug, thiserror::Error)]
pub enum HubError {
    /// `--max-requests` reached.
    #[error("request budget used up ({0} requests, --max-requests)")]
    BudgetExhausted(u64),
    /// A non-retryable HTTP status (or a retryable one that kept failing).
    #[error("HTTP {status}{}: {message} ({})", code.as_deref().map(|c| format!(" {c}")).unwrap_or_default(), without_query(url))]
    Status {
        /// The URL requested.
        url: String,
        /// HTTP status.
        status: u16,
        /// `X-Error-Code` header, when sent.
        code: Option<String>,
        /// The server's error message (`error` field, `X-Error-Message`, or the body start).
        message: String,
    },
    /// Timeouts, connection failures or truncated bodies that persisted through every retry.
    #[error(
        "{message}, gave up after {attempts} attempts ({})",
        without_query(url)
    )]
    Transport {
        /// The URL requested.
        url: String,
        /// What went wrong last.
        message: String,
        /// Attempts made.
        attempts: u32,
    },
    /// 429 after 429: the server keeps refusing.
    #[error(
        "still rate limited (HTTP 429) after {attempts} polite waits; try again later ({})",
        without_query(url)
    )]
    RateLimited {
        /// The URL requested.
        url: String,
        /// Consecutive 429 responses.
        attempts: u32,
    },
}

impl HubError {
    /// The HTTP status, for status errors.
    pub fn status(&self) -> Option<u16> {
        match self {
            HubError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// True for failures worth trying again on a later sync (network trouble, overload, 5xx
    /// other than 501, rate limits); false for answers about the dataset itself.
    pub fn is_transient(&self) -> bool {
        match self {
            HubError::BudgetExhausted(_) => false,
            HubError::Transport { .. } | HubError::RateLimited { .. } => true,
            HubError::Status { status, code, .. } => {
                let code = code.as_deref().unwrap_or("");
                match status {
                    408 | 429 | 502 | 503 | 504 => true,
                    500 => {
                        code.is_empty()
                            || code.starts_with("ResponseNotReady")
                            || code.starts_with("Unexpected")
                    }
                    _ => false,
                }
            }
        }
    }
}

/// A URL without its query string (listing URLs carry 18 `expand=` parameters).
fn without_query(url: &str) -> &str {
    url.split_once('?').map_or(url, |(path, _)| path)
}

/// A transport failure in words (never with headers, so never with the token).
pub(super) fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "request timed out".to_string()
    } else if e.is_connect() {
        "could not connect".to_string()
    } else if e.is_body() || e.is_decode() {
        "response body was cut off".to_string()
    } else {
        // reqwest errors carry the URL, never headers, so the token cannot leak here.
        format!("request failed ({e})")
    }
}

/// The error for a non-success `status`, with the server's message from the body or headers.
pub(super) fn status_error(url: &str, status: u16, headers: &HeaderMap, body: &[u8]) -> HubError {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let from_body = serde_json::from_slice::<Value>(body)
        .ok()
        .and_then(|v| match v.get("error") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(other @ Value::Array(_)) => Some(other.to_string()),
            _ => None,
        });
    let message = from_body
        .or_else(|| header("x-error-message"))
        .unwrap_or_else(|| {
            String::from_utf8_lossy(&body[..body.len().min(200)])
                .trim()
                .to_string()
        });
    HubError::Status {
        url: url.to_string(),
        status,
        code: header("x-error-code"),
        message: message.chars().take(2_000).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_lead_with_status_and_drop_the_query_string() {
        let e = HubError::Status {
            url: "https://h/api/datasets?search=x&expand=a&expand=b".into(),
            status: 401,
            code: None,
            message: "Invalid credentials in Authorization header".into(),
        };
        assert_eq!(
            e.to_string(),
            "HTTP 401: Invalid credentials in Authorization header (https://h/api/datasets)"
        );
        assert!(!e.is_transient());
        let busy = HubError::Status {
            url: "u".into(),
            status: 503,
            code: None,
            message: String::new(),
        };
        assert!(busy.is_transient());
        let cached = HubError::Status {
            url: "u".into(),
            status: 500,
            code: Some("EmptyDatasetError".into()),
            message: String::new(),
        };
        assert!(!cached.is_transient());
    }
}
