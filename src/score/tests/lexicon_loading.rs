use super::lex;
use crate::score::{Lexicon, ScoreError};

const MINIMAL: &str = r#"
[[group]]
category = "core"
kind = "domain"
terms = ["therapy", { term = "ACT", case = "upper" }]
"#;

#[test]
fn builtin_lexicon_compiles_with_crawl_table() {
    let lex = lex();
    assert!(lex.term_count() > 300, "only {} terms", lex.term_count());
    let terms = lex.crawl_terms();
    assert!(terms.len() >= 30, "only {} crawl terms", terms.len());
    for expected in [
        "therapy",
        "counsel-chat",
        "psych8k",
        "mental_health",
        "esconv",
        "emdr",
    ] {
        assert!(
            terms.iter().any(|t| t == expected),
            "crawl term {expected} missing"
        );
    }
    let filters = lex.crawl_filters();
    assert!(filters.iter().any(|f| f == "mental-health"));
    assert!(filters.iter().any(|f| f == "emotional-support"));
    assert!(filters.iter().all(|f| !f.contains(' ')));
}

#[test]
fn builtin_lexicon_has_no_dataset_ids() {
    let lex = lex();
    assert!(
        lex.patterns.iter().all(|p| !p.term.contains('/')),
        "a lexicon term looks like a repo id"
    );
    assert!(lex.crawl_terms().iter().all(|t| !t.contains('/')));
}

#[test]
fn acronyms_expand() {
    let lex = lex();
    let expansions = |acronym: &str| -> Vec<String> {
        lex.acronyms()
            .iter()
            .find(|(a, _)| a == acronym)
            .map(|(_, e)| e.clone())
            .unwrap_or_default()
    };
    assert!(expansions("CBT")
        .iter()
        .any(|e| e == "cognitive behavioral therapy"));
    assert!(expansions("MI")
        .iter()
        .any(|e| e == "motivational interviewing"));
    for acronym in ["ACT", "DBT", "EMDR", "IFS", "PTSD", "OCD", "SFBT"] {
        assert!(
            !expansions(acronym).is_empty(),
            "{acronym} has no expansion"
        );
    }
}

#[test]
fn minimal_lexicon_uses_defaults() {
    let lex = Lexicon::from_toml_str(MINIMAL).unwrap();
    assert_eq!(lex.term_count(), 2);
    assert!(lex.crawl_terms().is_empty() && lex.acronyms().is_empty());
    assert_eq!(lex.fields.name, 1.0);
}

#[test]
fn extension_tables_are_ignored_but_unknown_tables_are_errors() {
    let with_extension = format!("{MINIMAL}\n[x-notes]\nanything = 1\n");
    assert!(Lexicon::from_toml_str(&with_extension).is_ok());
    let typo = format!("{MINIMAL}\n[crawll]\nterms = [\"therapy\"]\n");
    assert!(
        matches!(Lexicon::from_toml_str(&typo), Err(ScoreError::Invalid(m)) if m.contains("crawll"))
    );
    let unknown_key = MINIMAL.replace("kind = \"domain\"", "kind = \"domain\"\nwieght = 2.0");
    assert!(matches!(
        Lexicon::from_toml_str(&unknown_key),
        Err(ScoreError::Toml(_))
    ));
}

#[test]
fn invalid_lexicons_are_rejected() {
    let cases = [
        (
            "duplicate",
            MINIMAL.replace("\"therapy\"", "\"therapy\", \"Therapies\""),
        ),
        (
            "bad weight",
            MINIMAL.replace("kind = \"domain\"", "kind = \"domain\"\nweight = -1.0"),
        ),
        ("short stem", MINIMAL.replace("\"therapy\"", "\"the*\"")),
        ("empty term", MINIMAL.replace("\"therapy\"", "\"--\"")),
        (
            "tag with space",
            format!("{MINIMAL}\n[crawl]\nfilters = [\"mental health\"]\n"),
        ),
        ("no groups", "[crawl]\nterms = [\"therapy\"]\n".to_string()),
        (
            "suppressing domain",
            MINIMAL.replace("kind = \"domain\"", "kind = \"domain\"\nsuppresses = true"),
        ),
    ];
    for (name, text) in cases {
        assert!(
            matches!(Lexicon::from_toml_str(&text), Err(ScoreError::Invalid(_))),
            "{name} was accepted"
        );
    }
    assert!(matches!(
        Lexicon::from_toml_str("[[group]]\nkind = \"domain\""),
        Err(ScoreError::Toml(_))
    ));
}

#[test]
fn from_path_reports_missing_file() {
    let missing = std::path::Path::new("/nonexistent/therapy.toml");
    let error = Lexicon::from_path(missing).unwrap_err();
    assert!(matches!(error, ScoreError::Io { .. }));
    assert!(error.to_string().contains("/nonexistent/therapy.toml"));
}

#[test]
fn from_path_reads_the_shipped_file() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("index/therapy.toml");
    assert_eq!(
        Lexicon::from_path(&path).unwrap().term_count(),
        lex().term_count()
    );
}
