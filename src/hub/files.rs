//! Files of a dataset repository through `resolve` URLs: the README and bounded prefixes of data
//! files (contract: `GET {hub}/datasets/{id}/resolve/{rev}/{path}`, resolvers rate bucket).
//!
//! Redirects (302 to a CDN, 307 to Xet storage) are followed by hand, at most
//! [`MAX_REDIRECTS`] hops, and the token is sent only to the Hub's own origin: a storage host
//! never sees it. Data files are read with `Range: bytes=0-N`; a 206 says how large the file is,
//! a server that ignores `Range` is cut off after N bytes, and 416 means an empty file.

use super::client::{Bucket, RawRequest, RawResponse};
use super::error::HubError;
use super::Hub;
use reqwest::header::{HeaderMap, CONTENT_RANGE, ETAG, LOCATION};
use url::Url;

/// Most redirect hops followed for one file.
pub const MAX_REDIRECTS: usize = 5;
/// Largest README read (bytes); longer cards are cut here.
pub const MAX_README_BYTES: usize = 1 << 20;

/// The first bytes of a repository file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePrefix {
    /// The bytes read (at most the requested budget).
    pub bytes: Vec<u8>,
    /// True when `bytes` is the whole file.
    pub complete: bool,
    /// The file's size, when the server said.
    pub total: Option<u64>,
}

/// The outcome of asking for a README.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadmeFetch {
    /// The README text and its `ETag` (for the next conditional request).
    Text {
        /// The README, cut at [`MAX_README_BYTES`].
        text: String,
        /// `ETag` (or `X-Linked-Etag`) of this version.
        etag: Option<String>,
    },
    /// 304: the stored copy is current.
    NotModified,
    /// The repository has no README.
    Missing,
}

impl Hub {
    /// `{hub}/datasets/{id}/resolve/{revision}/{path}` with each path segment encoded.
    pub fn resolve_url(&self, id: &str, revision: &str, path: &str) -> String {
        let encode = |s: &str| -> String {
            url::form_urlencoded::byte_serialize(s.as_bytes())
                .collect::<String>()
                .replace('+', "%20")
        };
        let path: Vec<String> = path.split('/').map(encode).collect();
        format!(
            "{}/datasets/{id}/resolve/{}/{}",
            self.hub_base(),
            encode(revision),
            path.join("/")
        )
    }

    /// Reads the first `max_bytes` of a repository file.
    pub async fn read_file_prefix(
        &self,
        id: &str,
        revision: &str,
        path: &str,
        max_bytes: u64,
    ) -> Result<FilePrefix, HubError> {
        let request = RawRequest {
            first_bytes: Some(max_bytes.max(1)),
            max_body: usize::try_from(max_bytes).unwrap_or(usize::MAX),
            ..RawRequest::default()
        };
        let url = self.resolve_url(id, revision, path);
        let response = self.get_following_redirects(&url, request).await?;
        Ok(match response.status {
            206 => {
                let total = content_range_total(&response.headers);
                let complete = match total {
                    Some(total) => response.body.len() as u64 >= total,
                    None => (response.body.len() as u64) < max_bytes,
                };
                FilePrefix {
                    bytes: response.body,
                    complete,
                    total,
                }
            }
            416 => FilePrefix {
                bytes: Vec::new(),
                complete: true,
                total: Some(0),
            },
            _ => FilePrefix {
                complete: !response.capped,
                total: (!response.capped).then_some(response.body.len() as u64),
                bytes: response.body,
            },
        })
    }

    /// Fetches `README.md` at `revision`, conditionally on a stored `ETag`.
    pub async fn readme(
        &self,
        id: &str,
        revision: &str,
        etag: Option<&str>,
    ) -> Result<ReadmeFetch, HubError> {
        let request = RawRequest {
            if_none_match: etag.map(str::to_string),
            max_body: MAX_README_BYTES,
            ..RawRequest::default()
        };
        let url = self.resolve_url(id, revision, "README.md");
        match self.get_following_redirects(&url, request).await {
            Ok(response) if response.status == 304 => Ok(ReadmeFetch::NotModified),
            Ok(response) => {
                let etag = header(&response.headers, ETAG.as_str())
                    .or_else(|| header(&response.headers, "x-linked-etag"));
                Ok(ReadmeFetch::Text {
                    text: String::from_utf8_lossy(&response.body).into_owned(),
                    etag,
                })
            }
            Err(HubError::Status { status: 404, .. }) => Ok(ReadmeFetch::Missing),
            Err(e) => Err(e),
        }
    }

    /// GETs `url`, following redirects by hand; the token goes only to the Hub's origin.
    async fn get_following_redirects(
        &self,
        url: &str,
        mut request: RawRequest,
    ) -> Result<RawResponse, HubError> {
        let hub_origin = Url::parse(self.hub_base()).ok().map(|u| u.origin());
        let mut current = url.to_string();
        for _ in 0..=MAX_REDIRECTS {
            let here = Url::parse(&current).map_err(|e| HubError::Transport {
                url: current.clone(),
                message: format!("bad URL ({e})"),
                attempts: 0,
            })?;
            request.authorize = hub_origin.as_ref() == Some(&here.origin());
            let response = self
                .http
                .get_bytes(&current, Bucket::Resolvers, &request)
                .await?;
            if !(300..=399).contains(&response.status) || response.status == 304 {
                return Ok(response);
            }
            let location =
                header(&response.headers, LOCATION.as_str()).ok_or_else(|| HubError::Status {
                    url: current.clone(),
                    status: response.status,
                    code: None,
                    message: "redirect without a Location header".to_string(),
                })?;
            current = here
                .join(&location)
                .map_err(|e| HubError::Transport {
                    url: current.clone(),
                    message: format!("bad redirect target ({e})"),
                    attempts: 1,
                })?
                .to_string();
        }
        Err(HubError::Transport {
            url: url.to_string(),
            message: format!("more than {MAX_REDIRECTS} redirects"),
            attempts: 1,
        })
    }
}

fn header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// The total of `Content-Range: bytes a-b/total` (`None` for `*` or a malformed value).
fn content_range_total(headers: &HeaderMap) -> Option<u64> {
    header(headers, CONTENT_RANGE.as_str())?
        .rsplit('/')
        .next()?
        .trim()
        .parse()
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn content_range_totals() {
        let mut h = HeaderMap::new();
        h.insert(CONTENT_RANGE, HeaderValue::from_static("bytes 0-99/12345"));
        assert_eq!(content_range_total(&h), Some(12345));
        h.insert(CONTENT_RANGE, HeaderValue::from_static("bytes 0-99/*"));
        assert_eq!(content_range_total(&h), None);
    }
}
