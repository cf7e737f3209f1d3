//! Repository files (contract §3, §3.1): `GET /datasets/{owner}/{name}/resolve/{rev}/{path}`
//! serves a file added with `FakeHub::add_file`, honouring `Range: bytes=a-b` (206 with
//! `Content-Range`, 416 past the end) and `If-None-Match` (304 on the `ETag`). Gated datasets
//! refuse anonymous requests (401 `GatedRepo`); a missing file is 404 `EntryNotFound`. With
//! redirects on, data files answer 302 to `http://localhost:PORT/storage/...` — another host
//! name than `127.0.0.1`, as a CDN would be — which serves the same bytes.

use axum::extract::{Path, State};
use axum::http::header::{CONTENT_RANGE, CONTENT_TYPE, ETAG, IF_NONE_MATCH, LOCATION, RANGE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::front_door::json_error;
use super::hub_api::bearer_token;
use super::state::{lock, Shared};

/// `GET /datasets/{owner}/{name}/resolve/{revision}/{*path}`.
pub(crate) async fn resolve(
    State(shared): State<Shared>,
    Path((owner, name, _revision, path)): Path<(String, String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let id = format!("{owner}/{name}");
    let state = lock(&shared);
    let Some(item) = state.dataset(&id) else {
        return coded(
            StatusCode::UNAUTHORIZED,
            "RepoNotFound",
            "Repository not found",
        );
    };
    let gated = item.get("gated").is_some_and(|g| g != &Value::Bool(false));
    if gated && bearer_token(&headers).is_none() {
        return coded(
            StatusCode::UNAUTHORIZED,
            "GatedRepo",
            &format!("Access to dataset {id} is restricted. You must have access to it and be authenticated to access it."),
        );
    }
    let Some(bytes) = state.files.get(&id).and_then(|files| files.get(&path)) else {
        return coded(
            StatusCode::NOT_FOUND,
            "EntryNotFound",
            &format!("{path} does not exist"),
        );
    };
    if state.redirect_files && path != "README.md" {
        let port = state
            .base_url
            .rsplit(':')
            .next()
            .unwrap_or("80")
            .to_string();
        let target = format!("http://localhost:{port}/storage/{id}/{path}");
        let mut response = StatusCode::FOUND.into_response();
        if let Ok(value) = HeaderValue::from_str(&target) {
            response.headers_mut().insert(LOCATION, value);
        }
        return response;
    }
    serve(bytes, &headers, state.ignore_range)
}

/// `GET /storage/{owner}/{name}/{*path}`: the redirect target of data files.
pub(crate) async fn storage(
    State(shared): State<Shared>,
    Path((owner, name, path)): Path<(String, String, String)>,
    headers: HeaderMap,
) -> Response {
    let state = lock(&shared);
    match state
        .files
        .get(&format!("{owner}/{name}"))
        .and_then(|f| f.get(&path))
    {
        Some(bytes) => serve(bytes, &headers, state.ignore_range),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn coded(status: StatusCode, code: &'static str, message: &str) -> Response {
    let mut response = json_error(status, message);
    response
        .headers_mut()
        .insert("x-error-code", HeaderValue::from_static(code));
    response
}

/// The file, its `ETag`, and the part a `Range` header asks for.
fn serve(bytes: &[u8], headers: &HeaderMap, ignore_range: bool) -> Response {
    let etag = format!("\"{:016x}\"", fnv1a(bytes));
    let header = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    if header(IF_NONE_MATCH) == Some(etag.as_str()) {
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response();
    }
    let len = bytes.len();
    let range = header(RANGE)
        .filter(|_| !ignore_range)
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.split_once('-'))
        .and_then(|(a, b)| {
            let start: usize = a.trim().parse().ok()?;
            let end: usize = b.trim().parse().unwrap_or(usize::MAX);
            Some((start, end))
        });
    match range {
        Some((start, _)) if start >= len => (
            StatusCode::RANGE_NOT_SATISFIABLE,
            [(CONTENT_RANGE, format!("bytes */{len}"))],
        )
            .into_response(),
        Some((start, end)) => {
            let end = end.min(len - 1);
            let part = bytes.get(start..=end).unwrap_or(&[]).to_vec();
            (
                StatusCode::PARTIAL_CONTENT,
                [
                    (CONTENT_RANGE, format!("bytes {start}-{end}/{len}")),
                    (ETAG, etag),
                    (CONTENT_TYPE, "application/octet-stream".to_string()),
                ],
                part,
            )
                .into_response()
        }
        None => (
            StatusCode::OK,
            [
                (ETAG, etag),
                (CONTENT_TYPE, "application/octet-stream".to_string()),
            ],
            bytes.to_vec(),
        )
            .into_response(),
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}
