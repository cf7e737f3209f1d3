//! The middleware every request passes through: it logs the request, applies an injected
//! fault, enforces the `api` rate-limit bucket on Hub routes and adds the headers the real
//! services send (`RateLimit*`, `X-Request-Id` on the Hub; `Cache-Control`, CORS on the viewer).

use tokio::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{HeaderName, HeaderValue, CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::codec::parse_query;
use super::state::{lock, RateStatus, Shared};
use super::{Fault, RecordedRequest};

/// Whether a path belongs to the Hub (`/api/...`, rate-limited) rather than the viewer.
pub(crate) fn is_hub_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Entry point of every request; see the module docs.
pub(crate) async fn front_door(
    State(shared): State<Shared>,
    request: Request,
    next: Next,
) -> Response {
    let arrived = Instant::now();
    let path = request.uri().path().to_string();
    let recorded = RecordedRequest {
        method: request.method().to_string(),
        path: path.clone(),
        query: parse_query(request.uri().query().unwrap_or("")),
        authorization: request
            .headers()
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .map(str::to_string),
        at: arrived,
        status: None,
    };
    let (seq, fault) = {
        let mut state = lock(&shared);
        let seq = state.record_arrival(recorded);
        (seq, state.take_fault(&path))
    };
    let hub = is_hub_path(&path);

    let mut body_fault = None;
    let mut response = match fault {
        None => serve_normally(&shared, hub, request, next).await,
        Some(Fault::Delay(delay)) => {
            tokio::time::sleep(delay).await;
            serve_normally(&shared, hub, request, next).await
        }
        Some(fault @ (Fault::TruncatedBody | Fault::DropConnection)) => {
            body_fault = Some(fault);
            serve_normally(&shared, hub, request, next).await
        }
        Some(Fault::TooManyRequests { reset_secs }) => {
            let current = lock(&shared).rate.peek(Instant::now());
            let status = RateStatus {
                remaining: 0,
                reset_secs,
                ..current
            };
            too_many_requests(&shared, status)
        }
        Some(Fault::Status(code)) => {
            let mut response = status_fault(code);
            add_rate_headers_if_hub(&shared, hub, &mut response);
            response
        }
        Some(Fault::PlainText500) => {
            let mut response = (
                StatusCode::INTERNAL_SERVER_ERROR,
                [(CONTENT_TYPE, "text/plain; charset=utf-8")],
                "Internal Server Error.",
            )
                .into_response();
            add_rate_headers_if_hub(&shared, hub, &mut response);
            response
        }
    };

    add_service_headers(hub, seq, &mut response);
    match body_fault {
        Some(Fault::TruncatedBody) => response = cut_body_in_half(response).await,
        Some(Fault::DropConnection) => response = drop_connection_mid_body(response).await,
        _ => {}
    }
    lock(&shared).record_status(seq, response.status().as_u16());
    response
}

/// Counts the request against the bucket (Hub only) and runs the route handler.
async fn serve_normally(shared: &Shared, hub: bool, request: Request, next: Next) -> Response {
    if !hub {
        return next.run(request).await;
    }
    let consumed = lock(shared).rate.try_consume(Instant::now());
    match consumed {
        Ok(status) => {
            let mut response = next.run(request).await;
            set_rate_headers(response.headers_mut(), status);
            response
        }
        Err(status) => too_many_requests(shared, status),
    }
}

/// 429 with `RateLimit: "api";r=0;t=<reset>` (and `Retry-After` only when configured).
fn too_many_requests(shared: &Shared, status: RateStatus) -> Response {
    let message = format!(
        "Rate limit reached for the 'api' bucket. Retry after {} seconds.",
        status.reset_secs
    );
    let mut response = json_error(StatusCode::TOO_MANY_REQUESTS, &message);
    set_rate_headers(response.headers_mut(), status);
    if let Some(secs) = lock(shared).rate.retry_after {
        response
            .headers_mut()
            .insert("retry-after", HeaderValue::from(secs));
    }
    response
}

/// A JSON error with the given status (body `{"error": "<reason phrase>"}`).
fn status_fault(code: u16) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let reason = status.canonical_reason().unwrap_or("Error");
    json_error(status, reason)
}

/// `{"error": message}` as JSON, message mirrored in `X-Error-Message` like the Hub does.
pub(crate) fn json_error(status: StatusCode, message: &str) -> Response {
    let mut response = (status, axum::Json(json!({ "error": message }))).into_response();
    if let Ok(value) = HeaderValue::from_str(message) {
        response.headers_mut().insert("x-error-message", value);
    }
    response
}

fn add_rate_headers_if_hub(shared: &Shared, hub: bool, response: &mut Response) {
    if hub {
        let status = lock(shared).rate.peek(Instant::now());
        set_rate_headers(response.headers_mut(), status);
    }
}

fn set_rate_headers(headers: &mut HeaderMap, status: RateStatus) {
    let limit = format!("\"api\";r={};t={}", status.remaining, status.reset_secs);
    let policy = format!(
        "\"fixed window\";\"api\";q={};w={}",
        status.quota, status.window_secs
    );
    for (name, value) in [("ratelimit", limit), ("ratelimit-policy", policy)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(HeaderName::from_static(name), value);
        }
    }
}

/// Headers every response of the emulated service carries.
fn add_service_headers(hub: bool, seq: u64, response: &mut Response) {
    let headers = response.headers_mut();
    let request_id = format!("Root=1-{:08x}-{:024x}", 0x6a7f_b6e7_u64 + seq, seq);
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert("x-request-id", value);
    }
    if hub {
        headers.insert(
            "access-control-expose-headers",
            HeaderValue::from_static(
                "X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,X-Total-Count,ETag,Link",
            ),
        );
    } else {
        let success = response.status().is_success();
        let headers = response.headers_mut();
        let cache = if success { "max-age=120" } else { "max-age=10" };
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
        headers.insert("access-control-allow-origin", HeaderValue::from_static("*"));
    }
}

/// Keeps the status and headers but replaces the body by its first half, as a complete HTTP
/// message (correct `Content-Length`): a JSON client gets a parse error, not a shorter document.
async fn cut_body_in_half(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
}

/// Keeps the status and headers, declares the full `Content-Length`, sends only the first half
/// of the body and ends the stream. hyper then aborts the connection ("body write aborted").
/// hyper has usually not flushed anything yet for small bodies, so the client sees the connection
/// close either before the status line (hyper `IncompleteMessage`) or while reading the body.
/// The body is streamed (unknown size hint) because hyper asserts that an explicit
/// `Content-Length` matches a body of known length.
async fn drop_connection_mid_body(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let declared_length = bytes.len().max(2);
    let sent = bytes.slice(..bytes.len() / 2);
    parts
        .headers
        .insert(CONTENT_LENGTH, HeaderValue::from(declared_length));
    let body = Body::from_stream(Body::from(sent).into_data_stream());
    Response::from_parts(parts, body)
}
