//! The benchmark queries, each expressed twice: as `catalog query` arguments and as the
//! equivalent SQLite FTS5 statement (bm25 with the catalog's field boosts, the catalog's
//! composite score in ORDER BY, the same filters in WHERE).

/// One benchmark query.
pub struct BenchQuery {
    /// Search text ("" ranks the whole catalog).
    pub text: &'static str,
    /// Filter flags for `catalog query`.
    pub flags: &'static [&'static str],
    /// The same filters as an SQL predicate over `docs d` (empty: none).
    pub fts_where: &'static str,
}

/// The representative queries: therapy vocabulary, an acronym, a broad word, no text, and
/// every filter family. The SQL filters are written the way that is fastest for SQLite: with
/// text, the FTS5 match drives and filters are per-row primary-key probes (a correlated
/// `EXISTS`); without text, the licence/language side table drives (`rowid IN`).
pub const QUERIES: &[BenchQuery] = &[
    q("therapy", &[], ""),
    q("trauma therapy", &[], ""),
    q("cognitive behavioral therapy", &[], ""),
    q("CBT", &[], ""),
    q("counseling conversations", &[], ""),
    q("mental health", &[], ""),
    q("empathetic dialogue", &[], ""),
    q("", &[], ""),
    q(
        "depression anxiety",
        &["--min-turns", "10", "--include-unknown-turns"],
        "(d.avg_turns IS NULL OR d.avg_turns >= 10)",
    ),
    q(
        "therapy",
        &["--license", "mit", "--language", "en"],
        "EXISTS (SELECT 1 FROM doc_license l WHERE l.license = 'mit' AND l.doc = d.rowid) \
         AND EXISTS (SELECT 1 FROM doc_language g WHERE g.language = 'en' AND g.doc = d.rowid)",
    ),
    q("support", &["--min-relevance", "0.5"], "d.relevance >= 0.5"),
    q(
        "psychology",
        &["--updated-since", "2025-01-01"],
        "d.last_modified >= '2025-01-01'",
    ),
    q(
        "",
        &["--language", "zh"],
        "d.rowid IN (SELECT doc FROM doc_language WHERE language = 'zh')",
    ),
];

const fn q(
    text: &'static str,
    flags: &'static [&'static str],
    fts_where: &'static str,
) -> BenchQuery {
    BenchQuery {
        text,
        flags,
        fts_where,
    }
}

/// Acronym expansions the catalog adds at query time (mirrors `[acronyms]` of the built-in
/// lexicon, `index/therapy.toml`, for the acronyms the queries use).
const ACRONYMS: &[(&str, &[&str])] = &[
    (
        "CBT",
        &[
            "cognitive behavioral therapy",
            "cognitive behavioural therapy",
            "cognitive-behavioral therapy",
        ],
    ),
    (
        "DBT",
        &[
            "dialectical behavior therapy",
            "dialectical behaviour therapy",
        ],
    ),
    (
        "PTSD",
        &[
            "post-traumatic stress disorder",
            "posttraumatic stress disorder",
        ],
    ),
];

/// Field weights of the FTS5 columns (id words, pretty name, tags, description): the catalog's
/// query-time boosts for the same fields.
const BM25_WEIGHTS: &str = "3.0, 2.5, 2.0, 1.0";

impl BenchQuery {
    /// How the query appears in tables: the text in quotes, then the flags.
    pub fn label(&self) -> String {
        let mut label = format!("\"{}\"", self.text);
        for flag in self.flags {
            label.push(' ');
            label.push_str(flag);
        }
        label
    }

    /// Arguments of `catalog` for this query against `data_dir`.
    pub fn catalog_args(&self, data_dir: &str) -> Vec<String> {
        let mut args: Vec<String> = vec!["--data-dir".into(), data_dir.into(), "-q".into()];
        args.push("query".into());
        if !self.text.is_empty() {
            args.push(self.text.into());
        }
        args.extend(self.flags.iter().map(|f| f.to_string()));
        args.extend(["--limit", "20", "--output", "json"].map(String::from));
        args
    }

    /// The FTS5 MATCH expression: every word OR-ed (the catalog's parser ORs terms too), plus
    /// acronym expansions as phrases. `None` without text.
    pub fn fts_match(&self) -> Option<String> {
        let words: Vec<&str> = self
            .text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            return None;
        }
        let mut terms: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
        for word in &words {
            for (acronym, long_forms) in ACRONYMS {
                if acronym.eq_ignore_ascii_case(word) {
                    terms.extend(long_forms.iter().map(|l| format!("\"{l}\"")));
                }
            }
        }
        Some(terms.join(" OR "))
    }

    /// The whole baseline statement: matches, filters, the catalog's composite score, top 20.
    ///
    /// score = (0.30·match + 0.25·relevance + 0.15·quality + 0.15·turns + 0.15·popularity) / Σw,
    /// where match = bm25 / best bm25 among the filtered matches, and Σw leaves out the match
    /// weight when there is no text — exactly the catalog's formula.
    pub fn fts_sql(&self) -> String {
        let filter = |prefix: &str| {
            if self.fts_where.is_empty() {
                String::new()
            } else {
                format!(" {prefix} {}", self.fts_where)
            }
        };
        match self.fts_match() {
            Some(expression) => format!(
                "WITH hits AS (SELECT d.id, d.relevance, d.quality, d.turns, d.popularity, \
                 d.downloads, -bm25(fts, {BM25_WEIGHTS}) AS bm \
                 FROM fts JOIN docs d ON d.rowid = fts.rowid \
                 WHERE fts MATCH '{}'{}) \
                 SELECT id, (0.30 * bm / max(bm) OVER () + 0.25 * relevance + 0.15 * quality \
                 + 0.15 * turns + 0.15 * popularity) / 1.0 AS score \
                 FROM hits ORDER BY score DESC, downloads DESC LIMIT 20;",
                expression.replace('\'', "''"),
                filter("AND")
            ),
            None => format!(
                "SELECT id, (0.25 * relevance + 0.15 * quality + 0.15 * turns \
                 + 0.15 * popularity) / 0.70 AS score \
                 FROM docs d{} ORDER BY score DESC, downloads DESC LIMIT 20;",
                filter("WHERE")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_expand_and_words_are_ored() {
        let cbt = q("CBT", &[], "");
        let expression = cbt.fts_match().unwrap();
        assert!(expression.starts_with("\"CBT\" OR "));
        assert!(expression.contains("\"cognitive behavioral therapy\""));
        let two = q("trauma therapy", &[], "");
        assert_eq!(two.fts_match().unwrap(), "\"trauma\" OR \"therapy\"");
        assert_eq!(q("", &[], "").fts_match(), None);
    }

    #[test]
    fn statements_carry_filters_and_the_right_weight_sum() {
        let filtered = q("support", &["--min-relevance", "0.5"], "d.relevance >= 0.5");
        let sql = filtered.fts_sql();
        assert!(sql.contains("MATCH '\"support\"' AND d.relevance >= 0.5"));
        assert!(sql.contains("/ 1.0 AS score"));
        let all = q("", &["--language", "zh"], "x = 1").fts_sql();
        assert!(all.contains("FROM docs d WHERE x = 1"));
        assert!(all.contains("/ 0.70 AS score"));
        let args = filtered.catalog_args("/d");
        assert_eq!(&args[..4], ["--data-dir", "/d", "-q", "query"]);
        assert!(args.ends_with(&["--output".to_string(), "json".to_string()]));
    }

    #[test]
    fn every_query_names_its_filters_on_both_sides() {
        for query in QUERIES {
            assert_eq!(
                query.flags.is_empty(),
                query.fts_where.is_empty(),
                "{}",
                query.label()
            );
        }
        assert!(QUERIES.len() >= 10);
    }
}
