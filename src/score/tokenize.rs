//! Tokenisation shared by the lexicon compiler, the relevance scorer and the quality scorer.
//!
//! Matching in this module's users is always *token* based, never substring based: "act" never
//! matches inside "interaction". Lexicon terms go through the very same function, so a term and
//! the text it should match are normalised identically.
//!
//! Rules, in order:
//! 1. **Words** are runs of alphanumeric characters (any script). Everything else separates
//!    words: spaces, punctuation, `/ - _ .`, apostrophes, `*`, ZWNJ.
//! 2. **CJK** (Han, Hiragana, Katakana, Hangul) has no spaces between words, so every CJK
//!    character is its own token and lexicon terms in those scripts become character sequences
//!    (the usual CJK unigram approach; for Korean it means particles attached to a word do not
//!    block a match).
//! 3. **camelCase and digits** split a word: `MentalHealthDataset` → `mental health dataset`,
//!    `SQPsychConv` → `sq psych conv`, `Psych8K` → `psych 8 k`. An acronym plural stays whole
//!    (`PTSDs`).
//! 4. **Normalisation**: lower case; Latin diacritics folded (`terapéutica` → `terapeutica`,
//!    `Gespräch` → `gesprach`, Vietnamese tones removed); a light plural rule for words written in
//!    ASCII letters: `-ies` → `-y`, else a final `s` is dropped (not after `s`, `u`, `i`; words of
//!    four letters or more), so `therapists` = `therapist` and `terapias` = `terapia`. Words
//!    whose final `s` is no plural and whose singular would be another word stay whole
//!    (`news` is not `new`).
//! 5. Each token remembers whether it was written in **upper case** (two letters or more, all
//!    upper case), so acronyms that are also words (ACT, MI) can require it.

/// One normalised token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Normalised text (lower case, folded, singular).
    pub text: String,
    /// Written as an upper-case word of two letters or more (`ACT`, `MI`), before normalisation.
    pub upper: bool,
}

/// Tokenises `text` (see the module docs for the rules).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    tokenize_into(text, &mut out);
    out
}

/// Tokenises `text`, appending to `out` (lets callers reuse one buffer).
pub fn tokenize_into(text: &str, out: &mut Vec<Token>) {
    let mut run_start: Option<usize> = None;
    let push_run = |start: usize, end: usize, out: &mut Vec<Token>| {
        if let Some(word) = text.get(start..end) {
            push_word(word, out);
        }
    };
    for (pos, c) in text.char_indices() {
        if is_cjk(c) {
            if let Some(start) = run_start.take() {
                push_run(start, pos, out);
            }
            out.push(Token {
                text: c.to_string(),
                upper: false,
            });
        } else if c.is_alphanumeric() {
            run_start.get_or_insert(pos);
        } else if let Some(start) = run_start.take() {
            push_run(start, pos, out);
        }
    }
    if let Some(start) = run_start {
        push_run(start, text.len(), out);
    }
}

/// Tokenises a lexicon term that may mark prefix tokens with a trailing `*`
/// (`психологическ* поддержк*`). Returns each token with `true` when it is a prefix (stem).
/// Stems are lower-cased and folded but not singularised.
pub fn tokenize_pattern(term: &str) -> Vec<(Token, bool)> {
    let segments: Vec<&str> = term.split('*').collect();
    let mut result = Vec::new();
    for (index, segment) in segments.iter().enumerate() {
        let ends_with_star = index + 1 < segments.len();
        let mut tokens = tokenize(segment);
        if ends_with_star && segment.ends_with(|c: char| c.is_alphanumeric()) {
            if let Some(last) = tokens.pop() {
                let raw = segment
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or_default();
                let stem = Token {
                    text: fold_lower(raw),
                    upper: last.upper,
                };
                result.extend(tokens.into_iter().map(|t| (t, false)));
                result.push((stem, true));
                continue;
            }
        }
        result.extend(tokens.into_iter().map(|t| (t, false)));
    }
    result
}

/// True for characters of scripts written without spaces between words (each is a token).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // CJK extension A
        | 0x4E00..=0x9FFF    // CJK unified ideographs
        | 0xF900..=0xFAFF    // CJK compatibility ideographs
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x1100..=0x11FF    // Hangul Jamo
        | 0x3130..=0x318F    // Hangul compatibility Jamo
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0x20000..=0x2A6DF) // CJK extension B
}

/// Splits one alphanumeric run at camelCase and letter/digit boundaries and pushes the pieces.
fn push_word(word: &str, out: &mut Vec<Token>) {
    if word.is_ascii() && word.bytes().all(|b| b.is_ascii_lowercase()) {
        // Fast path: the common plain lower-case word.
        out.push(Token {
            text: singular(word.to_string()),
            upper: false,
        });
        return;
    }
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut piece_start = 0;
    for (i, pair) in chars.windows(2).enumerate() {
        let &[(_, prev), (at, cur)] = pair else {
            continue;
        };
        // `cur` is `chars[i + 1]`.
        let next = chars.get(i + 2).map(|&(_, c)| c);
        let lower_to_upper = prev.is_lowercase() && cur.is_uppercase();
        let acronym_end = prev.is_uppercase()
            && cur.is_uppercase()
            && next.is_some_and(char::is_lowercase)
            // `PTSDs`: a lone final `s` is an acronym plural, not a new word.
            && !(next == Some('s') && i + 3 == chars.len());
        let digit_edge = prev.is_numeric() != cur.is_numeric();
        if lower_to_upper || acronym_end || digit_edge {
            if let Some(piece) = word.get(piece_start..at) {
                push_piece(piece, out);
            }
            piece_start = at;
        }
    }
    if let Some(piece) = word.get(piece_start..) {
        push_piece(piece, out);
    }
}

fn push_piece(piece: &str, out: &mut Vec<Token>) {
    // An acronym plural (`PTSDs`) is judged without its `s`.
    let judged = piece
        .strip_suffix('s')
        .filter(|rest| rest.len() >= 2)
        .unwrap_or(piece);
    let mut letters = 0;
    let mut all_upper = true;
    for c in judged.chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if c.is_lowercase() {
            all_upper = false;
        }
    }
    out.push(Token {
        text: singular(fold_lower(piece)),
        upper: letters >= 2 && all_upper,
    });
}

/// Lower-cases and folds Latin diacritics (`Ä` → `a`, `ß` → `ss`, `ệ` → `e`).
pub fn fold_lower(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        for lower in c.to_lowercase() {
            match fold_latin(lower) {
                Some(folded) => out.push_str(folded),
                None => out.push(lower),
            }
        }
    }
    out
}

/// Base letters for accented Latin letters (Latin-1, Extended-A/B, Vietnamese).
const FOLDS: &[(&str, &str)] = &[
    ("àáâãäåāăąǎạảấầẩẫậắằẳẵặ", "a"),
    ("çćĉċč", "c"),
    ("ďđð", "d"),
    ("èéêëēĕėęěẹẻẽếềểễệ", "e"),
    ("ĝğġģ", "g"),
    ("ĥħ", "h"),
    ("ìíîïĩīĭįıǐỉị", "i"),
    ("ĵ", "j"),
    ("ķ", "k"),
    ("ĺļľŀł", "l"),
    ("ñńņňŉ", "n"),
    ("òóôõöøōŏőǒơọỏốồổỗộớờởỡợ", "o"),
    ("ŕŗř", "r"),
    ("śŝşšș", "s"),
    ("ţťțŧ", "t"),
    ("ùúûüũūŭůűųǔưụủứừửữự", "u"),
    ("ŵ", "w"),
    ("ýÿŷỳỵỷỹ", "y"),
    ("źżž", "z"),
    ("ß", "ss"),
    ("æ", "ae"),
    ("œ", "oe"),
    ("þ", "th"),
];

fn fold_latin(c: char) -> Option<&'static str> {
    let code = c as u32;
    let latin = (0xC0..=0x24F).contains(&code) || (0x1E00..=0x1EFF).contains(&code);
    if !latin {
        return None;
    }
    FOLDS
        .iter()
        .find(|(accented, _)| accented.contains(c))
        .map(|&(_, base)| base)
}

/// Words ending in `s` that are no plurals and whose cut form is a different, common word
/// ("a new dataset" must not read as "news").
const NOT_PLURALS: [&str; 2] = ["news", "lens"];

/// The light plural rule (module docs, rule 4). Only for ASCII-letter words.
fn singular(mut word: String) -> String {
    let bytes = word.as_bytes();
    let n = bytes.len();
    let plural = n >= 4
        && !NOT_PLURALS.contains(&word.as_str())
        && bytes.iter().all(u8::is_ascii_lowercase)
        && matches!(bytes, [.., before, b's'] if !matches!(before, b's' | b'u' | b'i'));
    if !plural {
        return word;
    }
    if n >= 5 && word.ends_with("ies") {
        word.truncate(n - 3);
        word.push('y');
    } else {
        word.truncate(n - 1);
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_ids_on_separators_camel_case_and_digits() {
        assert_eq!(
            texts("AnikaBasu/MentalHealthDataset"),
            ["anika", "basu", "mental", "health", "dataset"]
        );
        assert_eq!(
            texts("SQPsychConv_command"),
            ["sq", "psych", "conv", "command"]
        );
        assert_eq!(texts("psychotherapy1"), ["psychotherapy", "1"]);
        assert_eq!(texts("Psych8K"), ["psych", "8", "k"]);
        assert_eq!(texts("CBT-dialogue_ds"), ["cbt", "dialogue", "ds"]);
        assert_eq!(
            texts("act_so100_test1.v2"),
            ["act", "so", "100", "test", "1", "v", "2"]
        );
    }

    #[test]
    fn remembers_upper_case_acronyms() {
        let tokens = tokenize("ACT policy, an Act, PTSDs");
        assert!(tokens[0].upper);
        assert!(!tokens[1].upper);
        assert!(!tokens[3].upper);
        assert_eq!(tokens[4].text, "ptsd");
        assert!(tokens[4].upper);
    }

    #[test]
    fn words_whose_s_is_no_plural_stay_whole() {
        assert_eq!(
            texts("news new lenses lens"),
            ["news", "new", "lense", "lens"]
        );
    }

    #[test]
    fn folds_diacritics_and_plurals() {
        assert_eq!(
            texts("Conversaciones terapéuticas"),
            ["conversacione", "terapeutica"]
        );
        assert_eq!(
            texts("Therapists therapies analysis"),
            ["therapist", "therapy", "analysis"]
        );
        assert_eq!(texts("Gespräche straße"), ["gesprache", "strasse"]);
        assert_eq!(texts("tư vấn tâm lý"), ["tu", "van", "tam", "ly"]);
    }

    #[test]
    fn cjk_characters_are_single_tokens() {
        assert_eq!(texts("心理咨询 data"), ["心", "理", "咨", "询", "data"]);
        assert_eq!(texts("심리상담을"), ["심", "리", "상", "담", "을"]);
    }

    #[test]
    fn cyrillic_is_lower_cased_without_plural_rule() {
        assert_eq!(texts("Психотерапия диалоги"), ["психотерапия", "диалоги"]);
    }

    #[test]
    fn pattern_stems_are_marked() {
        let pattern = tokenize_pattern("психологическ* поддержк*");
        assert_eq!(pattern.len(), 2);
        assert_eq!(pattern[0].0.text, "психологическ");
        assert!(pattern[0].1 && pattern[1].1);
        let plain = tokenize_pattern("multi-turn");
        assert_eq!(
            plain
                .iter()
                .map(|(t, p)| (t.text.as_str(), *p))
                .collect::<Vec<_>>(),
            [("multi", false), ("turn", false)]
        );
    }

    mod properties {
        use super::super::*;
        use crate::test_support::{cases, hostile_text};
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(cases()))]

            #[test]
            fn tokenizer_never_panics(text in hostile_text()) {
                let _ = tokenize(&text);
                let _ = tokenize_pattern(&text);
                let folded = fold_lower(&text);
                prop_assert_eq!(fold_lower(&folded), folded.clone());
            }
        }
    }
}
