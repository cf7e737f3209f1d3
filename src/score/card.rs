//! The README prose worth scoring: the front matter, code, and sections that describe other
//! things (citations and BibTeX, licences, related or source datasets, acknowledgements,
//! contributors, contact) or what the data is not (the card template's "Bias, Risks, and
//! Limitations", "Out-of-Scope Use", "Personal and Sensitive Information", ethical
//! considerations) are left out, so a gene-therapy paper cited by a chat dataset, a "related
//! datasets" list of therapy corpora, or "not a substitute for therapy; may mention self-harm"
//! does not make it a therapy dataset.

/// Headings whose section is left out (matched case-insensitively as words of the heading).
const SKIPPED_SECTIONS: &[&str] = &[
    "citation",
    "citations",
    "cite",
    "bibtex",
    "reference",
    "references",
    "license",
    "licence",
    "licensing",
    "related",
    "acknowledgement",
    "acknowledgements",
    "acknowledgment",
    "acknowledgments",
    "contributors",
    "contributions",
    "contact",
    "disclaimer",
    "sources",
    "source",
    "bias",
    "biases",
    "risks",
    "limitations",
    "scope",
    "sensitive",
    "ethical",
    "ethics",
    "considerations",
];

/// The prose of `readme` to score.
pub fn scorable_prose(readme: &str) -> String {
    let body = crate::turns::card::readme_body(readme);
    let mut out = String::with_capacity(body.len().min(32 * 1024));
    let mut in_code = false;
    let mut skipping: Option<usize> = None;
    for line in body.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let level = trimmed.chars().take_while(|c| *c == '#').count();
        if level > 0 && trimmed.chars().nth(level) == Some(' ') {
            let heading = trimmed.get(level..).unwrap_or("").to_lowercase();
            let skip = heading
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| SKIPPED_SECTIONS.contains(&w));
            match skipping {
                Some(at) if level > at => continue,
                _ => skipping = skip.then_some(level),
            }
            if skip {
                continue;
            }
        } else if skipping.is_some() {
            continue;
        }
        if trimmed.starts_with('@') && trimmed.contains('{') {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn citations_licences_and_related_lists_are_left_out() {
        let readme = "---\nlicense: mit\n---\n# Chat corpus\n\nCasual chats.\n\n## Related datasets\n\n- therapy-corpus (counseling)\n\n### More\n\ntherapist data\n\n## Usage\n\nLoad it.\n\n## Citation\n\n```bibtex\n@article{gene, title={Gene therapy}}\n```\n";
        let prose = scorable_prose(readme);
        assert!(prose.contains("Casual chats"));
        assert!(prose.contains("Load it"));
        assert!(!prose.contains("therapy"), "{prose}");
        assert!(!prose.contains("license: mit"));
    }

    #[test]
    fn sections_on_what_the_data_is_not_are_left_out() {
        let readme = "# Recipes

Cooking dialogues.

## Uses

### Direct Use

Train a cooking assistant.

### Out-of-Scope Use

Not for therapy or mental health advice.

## Bias, Risks, and Limitations

May mention suicide.

### Recommendations

See a counselor.

## Personal and Sensitive Information

No patient data.

## Dataset Structure

Two columns.
";
        let prose = scorable_prose(readme);
        for kept in [
            "Cooking dialogues",
            "Train a cooking assistant",
            "Two columns",
        ] {
            assert!(prose.contains(kept), "{kept}: {prose}");
        }
        for left in ["therapy", "suicide", "counselor", "patient"] {
            assert!(!prose.contains(left), "{left}: {prose}");
        }
    }
}
