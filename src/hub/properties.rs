//! Property tests of the header parsers (`Link`, `RateLimit`, `RateLimit-Policy`,
//! `Retry-After`) and the expand-key message reader on arbitrary text: never a panic.

use super::accepted_expand_keys;
use super::link::next_link;
use super::ratelimit::{parse_policy, parse_ratelimit, parse_retry_after};
use crate::test_support::{cases, hostile_text};
use proptest::prelude::*;
use reqwest::header::{HeaderMap, HeaderValue};

fn headers(value: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(value) {
        for name in ["link", "ratelimit", "ratelimit-policy", "retry-after"] {
            h.insert(name, v.clone());
        }
    }
    h
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn header_parsers_never_panic(text in hostile_text(), n in any::<u64>()) {
        for value in [
            text.clone(),
            format!("<{text}>; rel=\"next\", <x>; rel={text}"),
            format!("\"api\";r={n};t={text}"),
            format!("\"fixed window\";\"api\";q={n};w={n}"),
        ] {
            let h = headers(&value);
            let _ = next_link(&h);
            let _ = parse_ratelimit(&h);
            let _ = parse_policy(&h);
            let _ = parse_retry_after(&h);
        }
        let _ = accepted_expand_keys(&format!("\"expand\" must be one of [{text}]"));
        let _ = accepted_expand_keys(&text);
    }
}
