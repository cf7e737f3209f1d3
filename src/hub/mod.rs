//! Everything that talks to the outside: the Hub API (listing) and the dataset viewer.
//!
//! See `docs/hub-contract.md` for the dialect: `search` matches repo ids only, `filter`
//! tags are AND-ed, `expand` selects the returned keys, pagination follows `Link: rel="next"`.

pub mod client;
pub mod error;
pub mod files;
pub mod link;
pub mod ratelimit;

#[cfg(test)]
mod properties;

pub use client::{
    Bucket, HttpClient, HttpSettings, HttpStats, JsonResponse, RawRequest, RawResponse,
};
pub use error::HubError;
pub use files::{FilePrefix, ReadmeFetch};

use serde_json::Value;
use url::Url;

/// Keys requested with `expand=` on every listing (the item shape is then deterministic).
pub const EXPAND_KEYS: &[&str] = &[
    "author",
    "sha",
    "lastModified",
    "createdAt",
    "private",
    "gated",
    "disabled",
    "downloads",
    "downloadsAllTime",
    "likes",
    "trendingScore",
    "tags",
    "description",
    "cardData",
    "usedStorage",
    "mainSize",
    "citation",
    "paperswithcode_id",
];

/// The `expand` keys a Hub accepts, read from its 400 answer
/// `"expand" must be one of [k1, k2, …]`; `None` when the message is something else.
pub fn accepted_expand_keys(message: &str) -> Option<Vec<String>> {
    let start = message.find("must be one of [")? + "must be one of [".len();
    let end = start + message[start..].find(']')?;
    let keys: Vec<String> = message[start..end]
        .split(',')
        .map(|k| k.trim().trim_matches(['"', '\'', '…']).to_string())
        .filter(|k| !k.is_empty())
        .collect();
    (!keys.is_empty() && message.contains("expand")).then_some(keys)
}

/// Keys of the whole-Hub passes (full and incremental): enough to score every dataset and to
/// notice changes, without the heavy `cardData`, `citation` or storage figures. Candidates get
/// those from the detail call.
pub const LIGHT_EXPAND_KEYS: &[&str] = &[
    "author",
    "sha",
    "lastModified",
    "createdAt",
    "private",
    "gated",
    "disabled",
    "downloads",
    "likes",
    "tags",
    "description",
];

/// [`EXPAND_KEYS`] as owned strings.
pub fn default_expand_keys() -> Vec<String> {
    EXPAND_KEYS.iter().map(|k| k.to_string()).collect()
}

/// Page size asked for first; the Hub's documented cap.
pub const PAGE_SIZE: u32 = 1000;
/// Page size used when the first is refused.
pub const FALLBACK_PAGE_SIZE: u32 = 500;

/// One listing query of a sync plan.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ListingQuery {
    /// `search=<term>`: repo-id substring.
    Search(String),
    /// `filter=<tag>`.
    Filter(String),
    /// The whole Hub, `sort=createdAt` (runs recorded by older versions; kept readable).
    All,
    /// The whole Hub, newest change first (`sort=lastModified`), light keys: the full pass.
    Full,
    /// Datasets changed since an RFC 3339 time, newest first (`sort=lastModified`), light keys:
    /// pages are read until one ends before that time.
    Since(String),
}

impl ListingQuery {
    /// Stable key stored in the catalog (`search:<term>`, `filter:<tag>`, `all`).
    pub fn key(&self) -> String {
        match self {
            ListingQuery::Search(t) => format!("search:{t}"),
            ListingQuery::Filter(t) => format!("filter:{t}"),
            ListingQuery::All => "all".to_string(),
            ListingQuery::Full => "full".to_string(),
            ListingQuery::Since(t) => format!("since:{t}"),
        }
    }

    /// True for the whole-Hub passes that ask for [`LIGHT_EXPAND_KEYS`] only.
    pub fn is_light(&self) -> bool {
        matches!(self, ListingQuery::Full | ListingQuery::Since(_))
    }

    /// Inverse of [`ListingQuery::key`].
    pub fn from_key(key: &str) -> Option<ListingQuery> {
        match key.split_once(':') {
            Some(("search", t)) if !t.is_empty() => Some(ListingQuery::Search(t.to_string())),
            Some(("filter", t)) if !t.is_empty() => Some(ListingQuery::Filter(t.to_string())),
            Some(("since", t)) if !t.is_empty() => Some(ListingQuery::Since(t.to_string())),
            None if key == "all" => Some(ListingQuery::All),
            None if key == "full" => Some(ListingQuery::Full),
            _ => None,
        }
    }

    /// URL of the first page, asking for the `expand` keys given (normally [`EXPAND_KEYS`]).
    pub fn first_url(
        &self,
        hub_base: &str,
        page_size: u32,
        expand: &[String],
    ) -> Result<String, url::ParseError> {
        let mut url = Url::parse(&format!("{}/api/datasets", hub_base.trim_end_matches('/')))?;
        {
            let mut q = url.query_pairs_mut();
            match self {
                ListingQuery::Search(t) => {
                    q.append_pair("search", t);
                }
                ListingQuery::Filter(t) => {
                    q.append_pair("filter", t);
                }
                ListingQuery::All => {
                    q.append_pair("sort", "createdAt");
                }
                ListingQuery::Full | ListingQuery::Since(_) => {
                    q.append_pair("sort", "lastModified");
                }
            }
            q.append_pair("limit", &page_size.to_string());
            for key in expand {
                q.append_pair("expand", key);
            }
        }
        Ok(url.into())
    }
}

/// Hub + viewer endpoints over one [`HttpClient`].
pub struct Hub {
    /// The HTTP client (pacing, retries, budget).
    pub http: HttpClient,
    hub_base: String,
    viewer_base: String,
}

impl Hub {
    /// A Hub at `hub_base` with its viewer at `viewer_base`.
    pub fn new(http: HttpClient, hub_base: &str, viewer_base: &str) -> Hub {
        Hub {
            http,
            hub_base: hub_base.trim_end_matches('/').to_string(),
            viewer_base: viewer_base.trim_end_matches('/').to_string(),
        }
    }

    /// The Hub base URL.
    pub fn hub_base(&self) -> &str {
        &self.hub_base
    }

    /// Fetches one listing page (absolute URL, as built or as given by `Link`).
    pub async fn list_page(&self, url: &str) -> Result<JsonResponse, HubError> {
        self.http.get_json(url, Bucket::Api).await
    }

    fn viewer_url(&self, endpoint: &str, params: &[(&str, &str)]) -> String {
        let mut url = format!("{}/{endpoint}", self.viewer_base);
        let query: Vec<String> = params
            .iter()
            .map(|(k, v)| format!("{k}={}", urlencode(v)))
            .collect();
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.join("&"));
        }
        url
    }

    /// `GET /splits?dataset=`.
    pub async fn splits(&self, dataset: &str) -> Result<Value, HubError> {
        let url = self.viewer_url("splits", &[("dataset", dataset)]);
        Ok(self.http.get_json(&url, Bucket::Viewer).await?.body)
    }

    /// `GET /first-rows?dataset=&config=&split=`.
    pub async fn first_rows(
        &self,
        dataset: &str,
        config: &str,
        split: &str,
    ) -> Result<Value, HubError> {
        let url = self.viewer_url(
            "first-rows",
            &[("dataset", dataset), ("config", config), ("split", split)],
        );
        Ok(self.http.get_json(&url, Bucket::Viewer).await?.body)
    }

    /// `GET /rows?dataset=&config=&split=&offset=&length=` (length ≤ 100).
    pub async fn rows(
        &self,
        dataset: &str,
        config: &str,
        split: &str,
        offset: u64,
        length: u32,
    ) -> Result<Value, HubError> {
        let offset = offset.to_string();
        let length = length.min(100).to_string();
        let url = self.viewer_url(
            "rows",
            &[
                ("dataset", dataset),
                ("config", config),
                ("split", split),
                ("offset", &offset),
                ("length", &length),
            ],
        );
        Ok(self.http.get_json(&url, Bucket::Viewer).await?.body)
    }

    /// `GET /statistics?dataset=&config=&split=`: per-column statistics over the whole split.
    pub async fn statistics(
        &self,
        dataset: &str,
        config: &str,
        split: &str,
    ) -> Result<Value, HubError> {
        let url = self.viewer_url(
            "statistics",
            &[("dataset", dataset), ("config", config), ("split", split)],
        );
        Ok(self.http.get_json(&url, Bucket::Viewer).await?.body)
    }

    /// `GET /api/datasets/{id}?blobs=true`: the detail body with `cardData` and `siblings`
    /// (each with its `size`).
    pub async fn dataset_detail(&self, id: &str) -> Result<Value, HubError> {
        let url = format!("{}/api/datasets/{id}?blobs=true", self.hub_base);
        Ok(self.http.get_json(&url, Bucket::Api).await?.body)
    }

    /// `GET /size?dataset=`.
    pub async fn size(&self, dataset: &str) -> Result<Value, HubError> {
        let url = self.viewer_url("size", &[("dataset", dataset)]);
        Ok(self.http.get_json(&url, Bucket::Viewer).await?.body)
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass through).
fn urlencode(value: &str) -> String {
    url::form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_url_repeats_expand_and_encodes_terms() {
        let url = ListingQuery::Search("mental health".into())
            .first_url("http://127.0.0.1:9/", 1000, &default_expand_keys())
            .unwrap();
        assert!(url.starts_with("http://127.0.0.1:9/api/datasets?search=mental+health&limit=1000"));
        assert_eq!(url.matches("expand=").count(), EXPAND_KEYS.len());
        let all = ListingQuery::All
            .first_url("http://h", 500, &default_expand_keys())
            .unwrap();
        assert!(all.contains("sort=createdAt&limit=500"));
    }

    #[test]
    fn accepted_expand_keys_are_read_from_the_400_message() {
        let msg = "\"expand\" must be one of [author, sha, downloads]";
        assert_eq!(
            accepted_expand_keys(msg),
            Some(vec![
                "author".to_string(),
                "sha".to_string(),
                "downloads".to_string()
            ])
        );
        assert_eq!(
            accepted_expand_keys("\"limit\" must be less than or equal to 500"),
            None
        );
    }

    #[test]
    fn keys_round_trip() {
        for q in [
            ListingQuery::Search("cbt".into()),
            ListingQuery::Filter("mental-health".into()),
            ListingQuery::All,
            ListingQuery::Full,
            ListingQuery::Since("2026-11-01T00:00:00.000Z".into()),
        ] {
            assert_eq!(ListingQuery::from_key(&q.key()), Some(q));
        }
        assert_eq!(ListingQuery::from_key("bogus"), None);
    }
}
