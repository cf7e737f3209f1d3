//! Hub routes: `GET /api/datasets` (search, filter, author, gated, sort, limit, expand, full,
//! keyset cursor + absolute `Link` header) and `GET /api/datasets/{owner}/{name}` (detail).

use std::cmp::Ordering;

use axum::extract::{Path, State};
use axum::http::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, LINK};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use super::codec::{all, base64_decode, base64_encode, first, parse_query, percent_encode};
use super::front_door::json_error;
use super::item::{project, DETAIL_DEFAULT_KEYS, EXPANDABLE_KEYS, LISTING_DEFAULT_KEYS};
use super::state::{item_id, lock, HubState, Shared};

/// Sort keys the listing accepts (contract §1); results are always descending.
const SORT_KEYS: [&str; 5] = [
    "createdAt",
    "downloads",
    "likes",
    "lastModified",
    "trendingScore",
];
/// Sort used when `sort` is absent (unconfirmed upstream; HOAS documents it for `/api/kernels`).
const DEFAULT_SORT: &str = "trendingScore";

/// `GET /api/datasets`.
pub(crate) async fn list_datasets(
    State(shared): State<Shared>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let raw_query = uri.query().unwrap_or("");
    let query = parse_query(raw_query);
    let state = lock(&shared);
    if let Some(refusal) = refuse_bad_token(&state, &headers) {
        return refusal;
    }
    let listing = match ListingRequest::parse(&query, state.max_limit, state.expandable.as_deref())
    {
        Ok(listing) => listing,
        Err(message) => return json_error(StatusCode::BAD_REQUEST, &message),
    };
    let authenticated = bearer_token(&headers).is_some();

    let mut matches: Vec<&Value> = state
        .datasets
        .iter()
        .filter(|item| authenticated || !is_private(item))
        .filter(|item| listing.matches(item))
        .collect();
    matches.sort_by(|a, b| listing_order(a, b, &listing.sort));
    if let Some(cursor) = &listing.cursor {
        let position = cursor.as_position(&listing.sort);
        matches.retain(|item| listing_order(item, &position, &listing.sort) == Ordering::Greater);
    }
    let has_more = matches.len() > listing.limit;
    matches.truncate(listing.limit);

    let page: Vec<Value> = matches.iter().map(|item| listing.shape(item)).collect();
    let next_link = match (has_more, matches.last()) {
        (true, Some(last)) => Some(next_page_link(
            &state.base_url,
            raw_query,
            &listing.sort,
            last,
        )),
        _ => None,
    };
    drop(state);

    let mut response = hub_json(StatusCode::OK, &Value::Array(page));
    if let Some(link) = next_link.and_then(|link| HeaderValue::from_str(&link).ok()) {
        response.headers_mut().insert(LINK, link);
    }
    response
}

/// `GET /api/datasets/{owner}/{name}`.
pub(crate) async fn dataset_detail(
    State(shared): State<Shared>,
    Path((owner, name)): Path<(String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    detail(&shared, &format!("{owner}/{name}"), &uri, &headers)
}

/// `GET /api/datasets/{name}` (legacy ids without a namespace).
pub(crate) async fn dataset_detail_without_owner(
    State(shared): State<Shared>,
    Path(name): Path<String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    detail(&shared, &name, &uri, &headers)
}

/// `GET /api/datasets/{owner}/{name}/revision/{rev}` (the revision is accepted and ignored).
pub(crate) async fn dataset_detail_at_revision(
    State(shared): State<Shared>,
    Path((owner, name, _revision)): Path<(String, String, String)>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    detail(&shared, &format!("{owner}/{name}"), &uri, &headers)
}

/// Any other `/api/...` path.
pub(crate) async fn hub_not_found() -> Response {
    json_error(
        StatusCode::NOT_FOUND,
        "Sorry, we can't find the page you are looking for.",
    )
}

fn detail(shared: &Shared, id: &str, uri: &Uri, headers: &HeaderMap) -> Response {
    let query = parse_query(uri.query().unwrap_or(""));
    let state = lock(shared);
    if let Some(refusal) = refuse_bad_token(&state, headers) {
        return refusal;
    }
    let expand = all(&query, "expand");
    if let Err(message) = check_expand(&expand, state.expandable.as_deref()) {
        return json_error(StatusCode::BAD_REQUEST, &message);
    }
    let authenticated = bearer_token(headers).is_some();
    let item = match state.dataset(id) {
        Some(item) if authenticated || !is_private(item) => item,
        _ => return repo_not_found(authenticated),
    };
    let mut body = if expand.is_empty() {
        project(item, &DETAIL_DEFAULT_KEYS, true)
    } else {
        project(item, &expand, false)
    };
    // `blobs=true` adds each file's size to `siblings` (contract §2).
    if first(&query, "blobs") == Some("true") {
        let files = state.files.get(id);
        if let Some(Value::Array(siblings)) = body.get_mut("siblings") {
            for sibling in siblings {
                let path = sibling["rfilename"].as_str().unwrap_or("").to_string();
                let size = files.and_then(|f| f.get(&path)).map_or(1234, Vec::len);
                sibling["size"] = serde_json::json!(size);
            }
        }
    }
    hub_json(StatusCode::OK, &body)
}

/// 401 anonymously (missing and private look the same), 404 with a token (contract §2.1).
fn repo_not_found(authenticated: bool) -> Response {
    let (status, message) = if authenticated {
        (StatusCode::NOT_FOUND, "Repository not found")
    } else {
        (StatusCode::UNAUTHORIZED, "Invalid username or password.")
    };
    let mut response = json_error(status, message);
    response
        .headers_mut()
        .insert("x-error-code", HeaderValue::from_static("RepoNotFound"));
    response
}

/// 401 when `accept_only_tokens` is in force and the Bearer token is not on the list.
fn refuse_bad_token(state: &HubState, headers: &HeaderMap) -> Option<Response> {
    let accepted = state.accepted_tokens.as_ref()?;
    let token = bearer_token(headers)?;
    if accepted.iter().any(|good| good == token) {
        return None;
    }
    Some(json_error(
        StatusCode::UNAUTHORIZED,
        "Invalid credentials in Authorization header",
    ))
}

/// The token of an `Authorization: Bearer <token>` header.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
        .filter(|token| !token.is_empty())
}

pub(crate) fn is_private(item: &Value) -> bool {
    item.get("private")
        .and_then(Value::as_bool)
        .unwrap_or(false)
}

/// A JSON body with the Hub's content type.
fn hub_json(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// The validated parameters of one listing request.
struct ListingRequest {
    search: Vec<String>,
    filters: Vec<String>,
    author: Option<String>,
    gated: Option<bool>,
    sort: String,
    limit: usize,
    expand: Vec<String>,
    full: bool,
    cursor: Option<Cursor>,
}

impl ListingRequest {
    fn parse(
        query: &[(String, String)],
        max_limit: usize,
        expandable: Option<&[String]>,
    ) -> Result<Self, String> {
        let sort = first(query, "sort").unwrap_or(DEFAULT_SORT).to_string();
        if !SORT_KEYS.contains(&sort.as_str()) {
            return Err(format!("Invalid sort parameter: {sort}"));
        }
        let limit = match first(query, "limit") {
            None => max_limit,
            Some(text) => {
                let limit: usize = text
                    .parse()
                    .map_err(|_| "\"limit\" must be a number".to_string())?;
                if limit == 0 {
                    return Err("\"limit\" must be greater than or equal to 1".to_string());
                }
                if limit > max_limit {
                    return Err(format!(
                        "\"limit\" must be less than or equal to {max_limit}"
                    ));
                }
                limit
            }
        };
        let expand = all(query, "expand");
        check_expand(&expand, expandable)?;
        let cursor = match first(query, "cursor") {
            None => None,
            Some(text) => Some(Cursor::decode(text, &sort).ok_or("Invalid cursor")?),
        };
        Ok(ListingRequest {
            search: all(query, "search")
                .iter()
                .map(|s| s.to_lowercase())
                .collect(),
            filters: all(query, "filter").iter().map(|s| s.to_string()).collect(),
            author: first(query, "author").map(str::to_string),
            gated: first(query, "gated").map(|value| value.eq_ignore_ascii_case("true")),
            sort,
            limit,
            expand: expand.iter().map(|s| s.to_string()).collect(),
            full: first(query, "full").is_some_and(|v| matches!(v, "true" | "True" | "1")),
            cursor,
        })
    }

    /// `search` (every term a case-insensitive substring of the id), `filter` (AND over exact
    /// tags), `author` (exact namespace), `gated`.
    fn matches(&self, item: &Value) -> bool {
        let id = item_id(item).unwrap_or("").to_lowercase();
        let tags: Vec<&str> = item
            .get("tags")
            .and_then(Value::as_array)
            .map(|tags| tags.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let item_gated = !matches!(
            item.get("gated"),
            None | Some(Value::Bool(false)) | Some(Value::Null)
        );
        self.search.iter().all(|term| id.contains(term.as_str()))
            && self
                .filters
                .iter()
                .all(|filter| tags.contains(&filter.as_str()))
            && self.author.as_ref().is_none_or(|author| {
                item.get("author").and_then(Value::as_str) == Some(author.as_str())
            })
            && self.gated.is_none_or(|wanted| wanted == item_gated)
    }

    /// `expand` keys only (plus `_id`, `id`); else everything with `full`; else the default set.
    fn shape(&self, item: &Value) -> Value {
        if !self.expand.is_empty() {
            let keys: Vec<&str> = self.expand.iter().map(String::as_str).collect();
            project(item, &keys, false)
        } else if self.full {
            item.clone()
        } else {
            project(item, &LISTING_DEFAULT_KEYS, false)
        }
    }
}

fn check_expand(expand: &[&str], expandable: Option<&[String]>) -> Result<(), String> {
    let valid: Vec<&str> = match expandable {
        Some(keys) => keys.iter().map(String::as_str).collect(),
        None => EXPANDABLE_KEYS.to_vec(),
    };
    if expand.iter().all(|key| valid.contains(key)) {
        return Ok(());
    }
    Err(format!("\"expand\" must be one of [{}]", valid.join(", ")))
}

/// Listing order: sort key descending, then `_id` ascending (the Hub's keyset shape).
fn listing_order(a: &Value, b: &Value, sort: &str) -> Ordering {
    let key = |item: &Value| item.get(sort).cloned().unwrap_or(Value::Null);
    compare_sort_values(&key(b), &key(a)).then_with(|| mongo_id(a).cmp(mongo_id(b)))
}

fn mongo_id(item: &Value) -> &str {
    item.get("_id").and_then(Value::as_str).unwrap_or("")
}

/// null < numbers < strings < anything else; numbers numerically, strings bytewise.
fn compare_sort_values(a: &Value, b: &Value) -> Ordering {
    fn rank(value: &Value) -> u8 {
        match value {
            Value::Null => 0,
            Value::Number(_) => 1,
            Value::String(_) => 2,
            _ => 3,
        }
    }
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap_or(0.0), y.as_f64().unwrap_or(0.0));
            x.partial_cmp(&y).unwrap_or(Ordering::Equal)
        }
        (Value::String(x), Value::String(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

/// Opaque keyset position: the last item's sort value and `_id`.
struct Cursor {
    value: Value,
    mongo_id: String,
}

impl Cursor {
    fn encode(sort: &str, last: &Value) -> String {
        let position = json!({
            "sort": sort,
            "value": last.get(sort).cloned().unwrap_or(Value::Null),
            "_id": mongo_id(last),
        });
        base64_encode(position.to_string().as_bytes())
    }

    /// `None` when the text is not one of our cursors or belongs to another sort.
    fn decode(text: &str, sort: &str) -> Option<Cursor> {
        let position: Value = serde_json::from_slice(&base64_decode(text)?).ok()?;
        if position.get("sort")?.as_str()? != sort {
            return None;
        }
        Some(Cursor {
            value: position.get("value")?.clone(),
            mongo_id: position.get("_id")?.as_str()?.to_string(),
        })
    }

    /// A stand-in item sitting exactly at the cursor, for comparisons.
    fn as_position(&self, sort: &str) -> Value {
        let mut position = Map::new();
        position.insert("_id".to_string(), json!(self.mongo_id));
        position.insert(sort.to_string(), self.value.clone());
        Value::Object(position)
    }
}

/// `<base/api/datasets?{every param but cursor}&cursor=...>; rel="next"`.
fn next_page_link(base_url: &str, raw_query: &str, sort: &str, last: &Value) -> String {
    let kept: Vec<&str> = raw_query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some("cursor"))
        .collect();
    let cursor = format!("cursor={}", percent_encode(&Cursor::encode(sort, last)));
    let query = kept
        .into_iter()
        .chain(std::iter::once(cursor.as_str()))
        .collect::<Vec<_>>()
        .join("&");
    format!("<{base_url}/api/datasets?{query}>; rel=\"next\"")
}
