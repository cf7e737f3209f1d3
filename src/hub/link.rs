//! Pagination: the next page's URL from a `Link` header.

use reqwest::header::{HeaderMap, LINK};

/// `Link: <url>; rel="next"` → `url`. Commas inside `<…>` are part of the URL. Hand-written: the
/// Hub sends this one shape, and the few lines here are property-tested on arbitrary headers.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    headers.get_all(LINK).iter().find_map(|value| {
        let value = value.to_str().ok()?;
        link_entries(value)
            .into_iter()
            .find_map(|(target, params)| {
                params
                    .split(';')
                    .map(|p| p.trim().replace(' ', ""))
                    .any(|p| {
                        p.eq_ignore_ascii_case("rel=\"next\"") || p.eq_ignore_ascii_case("rel=next")
                    })
                    .then(|| target.to_string())
            })
    })
}

/// Splits a `Link` value into `(target, parameters)` entries, honouring `<…>` brackets.
fn link_entries(value: &str) -> Vec<(&str, &str)> {
    let mut entries = Vec::new();
    let mut rest = value;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|c| open + c) else {
            break;
        };
        let target = &rest[open + 1..close];
        let after = &rest[close + 1..];
        // The parameters run up to the next entry's `<`.
        let params_end = after.find('<').unwrap_or(after.len());
        entries.push((target, after[..params_end].trim_end_matches([',', ' '])));
        rest = &after[params_end..];
    }
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn link_header_next_is_taken_verbatim() {
        let mut h = HeaderMap::new();
        h.insert(
            LINK,
            HeaderValue::from_static(
                "<http://localhost:5564/api/models?limit=10&sort=likes&cursor=eyJ9%3D>; rel=\"next\"",
            ),
        );
        assert_eq!(
            next_link(&h).as_deref(),
            Some("http://localhost:5564/api/models?limit=10&sort=likes&cursor=eyJ9%3D")
        );
        let mut prev = HeaderMap::new();
        prev.insert(LINK, HeaderValue::from_static("<http://x/a>; rel=\"prev\""));
        assert_eq!(next_link(&prev), None);
        let mut both = HeaderMap::new();
        both.insert(
            LINK,
            HeaderValue::from_static(
                "<http://x/a?f=a,b>; rel=\"prev\", <http://x/b?f=c,d>; rel=\"next\"",
            ),
        );
        assert_eq!(next_link(&both).as_deref(), Some("http://x/b?f=c,d"));
    }
}
