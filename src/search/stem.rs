//! The index's `en_stem` analyzer with a memo of stems.
//!
//! tantivy's own `en_stem` (split on non-alphanumerics, drop tokens over 40 bytes, lower-case,
//! Snowball English) runs the stemmer on every token. Hub text repeats a small vocabulary
//! (tag words, "dataset", "conversation", …): at 1.5M datasets the stemmer was two thirds of
//! tantivy's indexing time. This analyzer gives exactly the same tokens (a property test
//! compares the two on arbitrary Unicode) but stems each distinct word once per analyzer. No
//! crate offers a caching token filter, hence this one.

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{
    LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

/// The name the schema's text fields use.
pub const STEMMED: &str = "en_stem";

/// Distinct words remembered per analyzer before the memo starts over (bounds memory on
/// arbitrary text: a few MB).
const MEMO_CAPACITY: usize = 65_536;

/// The `en_stem` analyzer, with memoised stems.
pub fn stemmed_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(MemoStemmer)
        .build()
}

/// Registers [`stemmed_analyzer`] as `en_stem` on an index (for writing and for query parsing).
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(STEMMED, stemmed_analyzer());
}

/// English Snowball stemming with a memo.
#[derive(Clone, Copy)]
struct MemoStemmer;

impl TokenFilter for MemoStemmer {
    type Tokenizer<T: Tokenizer> = MemoStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> MemoStemmerFilter<T> {
        MemoStemmerFilter {
            inner: tokenizer,
            memo: FxHashMap::default(),
        }
    }
}

#[derive(Clone)]
struct MemoStemmerFilter<T> {
    inner: T,
    memo: FxHashMap<String, String>,
}

impl<T: Tokenizer> Tokenizer for MemoStemmerFilter<T> {
    type TokenStream<'a> = MemoStemmerStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        if self.memo.len() >= MEMO_CAPACITY {
            self.memo.clear();
        }
        MemoStemmerStream {
            tail: self.inner.token_stream(text),
            memo: &mut self.memo,
            stemmer: rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English),
        }
    }
}

struct MemoStemmerStream<'a, T> {
    tail: T,
    memo: &'a mut FxHashMap<String, String>,
    stemmer: rust_stemmers::Stemmer,
}

impl<T: TokenStream> TokenStream for MemoStemmerStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        match self.memo.get(token.text.as_str()) {
            Some(stem) => {
                token.text.clear();
                token.text.push_str(stem);
            }
            None => {
                let stem = self.stemmer.stem(&token.text).into_owned();
                let word = std::mem::replace(&mut token.text, stem.clone());
                self.memo.insert(word, stem);
            }
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize)> {
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push((t.text.clone(), t.offset_from, t.offset_to, t.position));
        }
        out
    }

    fn tantivy_en_stem() -> TextAnalyzer {
        tantivy::tokenizer::TokenizerManager::default()
            .get("en_stem")
            .expect("tantivy registers en_stem")
    }

    #[test]
    fn stems_like_tantivy_and_remembers() {
        let mut ours = stemmed_analyzer();
        let text = "Counseling conversations: therapists COUNSELING clients, conversations again";
        let first = tokens(&mut ours, text);
        assert_eq!(first, tokens(&mut tantivy_en_stem(), text));
        assert_eq!(first[0].0, "counsel");
        // The second pass is served from the memo and is the same.
        assert_eq!(tokens(&mut ours, text), first);
    }

    proptest! {
        #[test]
        fn the_same_tokens_as_tantivy_on_any_text(
            texts in proptest::collection::vec("\\PC{0,80}|[a-zA-Z ]{0,80}", 1..6)
        ) {
            let mut ours = stemmed_analyzer();
            let mut theirs = tantivy_en_stem();
            // Twice over, so the memo is hit.
            for text in texts.iter().chain(&texts) {
                prop_assert_eq!(tokens(&mut ours, text), tokens(&mut theirs, text));
            }
        }
    }
}
