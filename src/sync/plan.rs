//! The crawl plan: which listing queries a sync runs.
//!
//! The default plan is the lexicon's `[crawl]` terms (repo-id substrings: the Hub's `search` only
//! matches ids) and tag filters, plus the user's `--term`/`--filter`. `--all` replaces it with one
//! query over the whole Hub sorted by `createdAt`.

use crate::hub::ListingQuery;

/// Builds the plan; duplicates (case-insensitive) are dropped, order is kept.
pub fn build_plan(
    all: bool,
    crawl_terms: &[String],
    crawl_filters: &[String],
    extra_terms: &[String],
    extra_filters: &[String],
) -> Vec<ListingQuery> {
    if all {
        return vec![ListingQuery::All];
    }
    let mut plan: Vec<ListingQuery> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let terms = crawl_terms.iter().chain(extra_terms);
    for term in terms {
        let term = term.trim();
        if !term.is_empty() && seen.insert(format!("s:{}", term.to_lowercase())) {
            plan.push(ListingQuery::Search(term.to_string()));
        }
    }
    for tag in crawl_filters.iter().chain(extra_filters) {
        let tag = tag.trim();
        if !tag.is_empty() && seen.insert(format!("f:{}", tag.to_lowercase())) {
            plan.push(ListingQuery::Filter(tag.to_string()));
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_and_dedupes() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let plan = build_plan(
            false,
            &s(&["therapy", "CBT"]),
            &s(&["mental-health"]),
            &s(&["cbt", "grief"]),
            &s(&["psychology", " "]),
        );
        let keys: Vec<String> = plan.iter().map(|q| q.key()).collect();
        assert_eq!(
            keys,
            [
                "search:therapy",
                "search:CBT",
                "search:grief",
                "filter:mental-health",
                "filter:psychology"
            ]
        );
        assert_eq!(
            build_plan(true, &s(&["x"]), &[], &[], &[]),
            vec![ListingQuery::All]
        );
    }
}
