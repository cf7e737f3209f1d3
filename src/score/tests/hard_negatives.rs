//! Hard negatives that share the field's vocabulary without being counseling data.

use super::{negative, score_text};
use crate::score::DEFAULT_THRESHOLD;

#[test]
fn psychology_as_a_research_science_is_not_therapy() {
    let counseling = score_text(
        "someone/psychology-conversations",
        "Transcripts of psychology conversations between a counselor and clients.",
    );
    for (id, text, term) in [
        (
            "lab/psych-experiments",
            "Natural-language transcripts of psychological experiments: choices and reaction times.",
            "psychological experiment",
        ),
        (
            "lab/personality",
            "Big Five personality test answers of 10k people (psychometric data).",
            "psychometric",
        ),
        (
            "lab/cogsci",
            "Cognitive psychology stimuli and responses from a cognitive science study.",
            "cognitive psychology",
        ),
    ] {
        let research = score_text(id, text);
        assert!(negative(&research, term), "{id}: {research:?}");
        assert!(research.score < DEFAULT_THRESHOLD, "{id}: {research:?}");
        assert!(research.score < counseling.score, "{id}");
    }
    assert!(counseling.score >= DEFAULT_THRESHOLD, "{counseling:?}");
}
