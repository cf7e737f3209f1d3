//! Crawling one listing query page by page, committing each page atomically.

use super::{Counters, SyncContext};
use crate::hub::{
    accepted_expand_keys, HubError, ListingQuery, FALLBACK_PAGE_SIZE, LIGHT_EXPAND_KEYS, PAGE_SIZE,
};
use crate::model::DatasetRecord;
use crate::store::QueryProgress;
use serde_json::Value;

/// The index takes in what the listing stored every this many pages, so a long first sync is
/// queryable while it runs (and after a kill).
pub const INDEX_EVERY_PAGES: u64 = 10;
/// `meta` key remembering a page size the Hub refused, so later syncs do not ask again.
pub const PAGE_SIZE_META: &str = "listing_page_size";
/// Datasets on the Hub, for the full pass's progress estimate (docs, 2026: "1.5M datasets").
const HUB_DATASETS_ESTIMATE: u64 = 1_500_000;

/// Why a query stopped before its last page.
#[derive(Debug, thiserror::Error)]
pub enum ListingError {
    /// Network failure after retries (the query stays pending and resumes next time).
    #[error(transparent)]
    Hub(#[from] HubError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The Hub answered something that is not a listing.
    #[error("{url}: {problem}")]
    BadResponse {
        /// The URL requested.
        url: String,
        /// What was wrong.
        problem: String,
    },
}

/// Fetches every remaining page of `query`, starting where `progress` stopped.
pub async fn crawl_query(
    ctx: &mut SyncContext<'_>,
    run_id: i64,
    query: &ListingQuery,
    progress: &QueryProgress,
    counters: &mut Counters,
    track_seen: bool,
) -> Result<(), ListingError> {
    let base = ctx.hub.hub_base().to_string();
    let mut page_size = ctx.page_size;
    let resume_url = progress.next_url.clone().filter(|u| same_origin(u, &base));
    let mut first_page = resume_url.is_none();
    let mut url = match resume_url {
        Some(u) => u,
        None => first_url(query, &base, page_size, &ctx.expand)?,
    };
    let key = query.key();
    let mut pages = progress.pages;
    let since = match query {
        ListingQuery::Since(t) => chrono::DateTime::parse_from_rfc3339(t).ok(),
        _ => None,
    };
    loop {
        let requests = ctx
            .hub
            .http
            .stats()
            .requests
            .load(std::sync::atomic::Ordering::Relaxed);
        let eta = match query {
            ListingQuery::Full => full_pass_eta(ctx, pages),
            _ => String::new(),
        };
        ctx.progress.update(&format!(
            "[{}/{}] {key} — page {} — {} datasets seen, {requests} requests{eta}",
            counters.queries_done + 1,
            counters.queries_total,
            pages + 1,
            ctx.seen.len(),
        ));
        let page = match ctx.hub.list_page(&url).await {
            Ok(page) => page,
            Err(HubError::Status {
                status: 400,
                message,
                ..
            }) if first_page => {
                // A Hub that no longer accepts one of our expand keys says which it accepts:
                // keep those (for every later query too) and ask again.
                if let Some(accepted) = accepted_expand_keys(&message) {
                    let kept: Vec<String> = ctx
                        .expand
                        .iter()
                        .filter(|k| accepted.contains(k))
                        .cloned()
                        .collect();
                    if kept.len() < ctx.expand.len() && !kept.is_empty() {
                        ctx.progress.warn(&format!(
                            "the Hub refused expand keys {:?}; continuing without them",
                            ctx.expand
                                .iter()
                                .filter(|k| !kept.contains(k))
                                .collect::<Vec<_>>()
                        ));
                        ctx.expand = kept;
                        url = first_url(query, &base, page_size, &ctx.expand)?;
                        continue;
                    }
                }
                // The page-size cap is not documented for datasets: fall back to 500 when refused.
                if page_size == PAGE_SIZE {
                    page_size = FALLBACK_PAGE_SIZE;
                    // Every later query (and later syncs) start at the accepted size.
                    ctx.page_size = page_size;
                    ctx.store.set_meta(PAGE_SIZE_META, &page_size.to_string())?;
                    url = first_url(query, &base, page_size, &ctx.expand)?;
                    continue;
                }
                return Err(HubError::Status {
                    url,
                    status: 400,
                    code: None,
                    message,
                }
                .into());
            }
            Err(e) => return Err(e.into()),
        };
        first_page = false;
        let items = page
            .body
            .as_array()
            .ok_or_else(|| ListingError::BadResponse {
                url: url.clone(),
                problem: "listing response is not a JSON array".to_string(),
            })?;
        let next = match page.next {
            Some(next) if same_origin(&next, &base) => Some(next),
            Some(next) => {
                return Err(ListingError::BadResponse {
                    url: url.clone(),
                    problem: format!(
                        "Link rel=\"next\" points to another origin ({}); refusing to follow",
                        crate::sanitize::clean_line(&next, 120)
                    ),
                })
            }
            None => None,
        };
        // A page of changes since a time ends the query once it reaches older changes.
        let reached_older = since.is_some_and(|since| {
            items.iter().any(|item| {
                item.get("lastModified")
                    .and_then(Value::as_str)
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .is_some_and(|t| t < since)
            })
        });
        let next = if reached_older { None } else { next };
        let mut batch = Vec::with_capacity(items.len());
        for item in items {
            let item = if query.is_light() {
                complete_light_item(ctx, item)?
            } else {
                item.clone()
            };
            match DatasetRecord::from_listing_item(&item) {
                Ok(record) => {
                    // Keep what earlier syncs measured (README, rows) in the score.
                    let extras = ctx.store.measured_extras(&record.id)?.unwrap_or_default();
                    let scores = ctx.scorer.score_with(&record, &extras.as_extras());
                    batch.push((record, scores));
                }
                Err(_) => counters.malformed_items += 1,
            }
        }
        let outcomes = ctx.store.commit_page(
            run_id,
            &key,
            &batch,
            next.as_deref(),
            track_seen || matches!(query, ListingQuery::All),
        )?;
        pages += 1;
        counters.pages += 1;
        if counters.pages.is_multiple_of(INDEX_EVERY_PAGES) {
            super::refresh_index(ctx, counters);
        }
        for ((record, _), outcome) in batch.iter().zip(outcomes) {
            if ctx.seen.insert(record.id.clone()) {
                counters.count_first_sighting(outcome);
            }
        }
        match next {
            Some(next) => url = next,
            None => {
                ctx.progress.note(&format!(
                    "{key}: done, {pages} pages, {} datasets seen so far",
                    ctx.seen.len()
                ));
                return Ok(());
            }
        }
    }
}

/// A light listing item completed with the heavy fields stored for it (its card stays until a
/// detail call brings a newer one).
fn complete_light_item(ctx: &SyncContext<'_>, item: &Value) -> Result<Value, ListingError> {
    let mut item = item.clone();
    let Some(id) = item.get("id").and_then(Value::as_str).map(str::to_string) else {
        return Ok(item);
    };
    if let Some(object) = item.as_object_mut() {
        for (key, value) in ctx.store.heavy_item_fields(&id)? {
            object.entry(key).or_insert(value);
        }
    }
    Ok(item)
}

/// `, ~N% of the Hub, ETA ~M min` for the full pass, from the pace the rate limit allows.
fn full_pass_eta(ctx: &SyncContext<'_>, pages: i64) -> String {
    let expected_pages = HUB_DATASETS_ESTIMATE / u64::from(PAGE_SIZE);
    let done = u64::try_from(pages).unwrap_or(0);
    let left = expected_pages.saturating_sub(done);
    let per_request = ctx.hub.http.api_seconds_per_request();
    let minutes = (left as f64 * per_request / 60.0).ceil();
    format!(
        ", ~{}% of the Hub, ETA ~{minutes} min",
        (done * 100 / expected_pages.max(1)).min(100)
    )
}

fn first_url(
    query: &ListingQuery,
    base: &str,
    page_size: u32,
    expand: &[String],
) -> Result<String, ListingError> {
    let light: Vec<String>;
    let expand = if query.is_light() {
        light = expand
            .iter()
            .filter(|k| LIGHT_EXPAND_KEYS.contains(&k.as_str()))
            .cloned()
            .collect();
        &light
    } else {
        expand
    };
    query
        .first_url(base, page_size, expand)
        .map_err(|e| ListingError::BadResponse {
            url: base.to_string(),
            problem: format!("invalid hub URL: {e}"),
        })
}

/// Only follow `Link` URLs on the Hub's own origin: the token must never go elsewhere.
fn same_origin(candidate: &str, base: &str) -> bool {
    match (url::Url::parse(candidate), url::Url::parse(base)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn same_origin_checks_scheme_host_and_port() {
        assert!(super::same_origin(
            "http://127.0.0.1:80/api/datasets?cursor=x",
            "http://127.0.0.1"
        ));
        assert!(!super::same_origin(
            "http://127.0.0.1:81/api",
            "http://127.0.0.1:80"
        ));
        assert!(!super::same_origin(
            "https://evil.example/api",
            "https://huggingface.co"
        ));
    }
}
