//! Turn figures as evidence from sources, and the one rule that combines them.
//!
//! Every source the sync asks — viewer `/statistics`, viewer rows, repository files, the card's
//! `dataset_info` schema, the card's prose — yields a [`TurnEvidence`]: what it found (or why it
//! found nothing), how far the figure can be trusted ([`FigureKind`]) and where it came from.
//! [`best`] picks the figure a dataset is shown with:
//!
//! 1. an exact count over a whole split (statistics) or over every row read (whole files);
//! 2. a count over a sample of whole conversations (more conversations first);
//! 3. the schema's paired columns (2 turns a row) — below measured rows, because a paired
//!    column can pack a whole history (an `instruction` holding a transcript);
//! 4. a figure the card states, unless a measured lower bound already exceeds it;
//! 5. a lower bound (conversations the viewer or a file prefix cut).
//!
//! A lower bound decides a format only when the bound already does (≥ 20 ⇒ `multi_turn`);
//! otherwise the format is unknown and the bound is shown as `≥N`.

use super::stats::{conversation_format, ConversationFormat};
use super::TurnAnalysis;
use serde::{Deserialize, Serialize};

/// Where a turn figure came from.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
    strum::AsRefStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// Viewer `/statistics`: list lengths of the conversation column over a whole split.
    ViewerStatistics,
    /// Viewer `/first-rows` (and `/rows` for cut cells).
    ViewerRows,
    /// Data files of the repository, read with `Range` requests.
    RepoFiles,
    /// `cardData.dataset_info.features`: the columns, no rows.
    Schema,
    /// A figure the README states.
    Card,
}

impl EvidenceSource {
    /// Stable name (`viewer_statistics`, `viewer_rows`, `repo_files`, `schema`, `card`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// How far a figure can be trusted.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
    strum::AsRefStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum FigureKind {
    /// Counted over all the data the figure describes (a whole split, whole files).
    Exact,
    /// Counted exactly on a sample of whole conversations: an estimate of the dataset.
    Sample,
    /// Some counted conversations were cut: the true average is at least this.
    LowerBound,
    /// Stated by the card or implied by the schema, not counted.
    Stated,
}

impl FigureKind {
    /// Stable name (`exact`, `sample`, `lower_bound`, `stated`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A turn figure: average, median, range, and how many conversations it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Trust level.
    pub kind: FigureKind,
    /// Mean turns per conversation (a lower bound for [`FigureKind::LowerBound`]).
    pub avg: f64,
    /// Median turns, when known.
    pub median: Option<f64>,
    /// Fewest turns, when known.
    pub min: Option<u32>,
    /// Most turns, when known.
    pub max: Option<u32>,
    /// Conversations counted (for statistics: rows of the split).
    pub conversations: Option<u64>,
}

/// What one source said about a dataset's conversation length.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TurnEvidence {
    /// The source.
    pub source: EvidenceSource,
    /// The figure, or `None` when the source gave none (see `note`).
    pub figure: Option<Figure>,
    /// Where exactly: `default/train`, a file path, the quoted card sentence.
    pub detail: String,
    /// Detected layout, when rows were read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub layout: Option<String>,
    /// Conversation column(s), when rows were read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    /// Why there is no figure, or how it was derived (e.g. a system-message correction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl TurnEvidence {
    /// Evidence with no figure, and why.
    pub fn nothing(source: EvidenceSource, detail: &str, note: &str) -> TurnEvidence {
        TurnEvidence {
            source,
            figure: None,
            detail: detail.to_string(),
            layout: None,
            columns: Vec::new(),
            note: Some(note.to_string()),
        }
    }

    /// Evidence from counted rows. `whole` says the rows are all of the data the figure
    /// describes (whole files read), so complete counts are exact rather than a sample.
    pub fn from_analysis(
        source: EvidenceSource,
        detail: &str,
        analysis: &TurnAnalysis,
        whole: bool,
    ) -> TurnEvidence {
        let figure = analysis.stats().map(|stats| Figure {
            kind: match (stats.exact, whole) {
                (false, _) => FigureKind::LowerBound,
                (true, true) => FigureKind::Exact,
                (true, false) => FigureKind::Sample,
            },
            avg: stats.avg,
            median: Some(stats.median),
            min: Some(stats.min),
            max: Some(stats.max),
            conversations: Some(u64::from(stats.conversations)),
        });
        TurnEvidence {
            source,
            note: figure
                .is_none()
                .then(|| "layout recognised but no conversation counted".to_string()),
            figure,
            detail: detail.to_string(),
            layout: Some(analysis.layout.as_str().to_string()),
            columns: analysis.columns.clone(),
        }
    }

    /// True when this evidence holds an exact figure (no further source is needed).
    pub fn is_exact(&self) -> bool {
        self.figure
            .as_ref()
            .is_some_and(|f| f.kind == FigureKind::Exact && self.source != EvidenceSource::Schema)
    }

    /// True when this evidence is a count over whole conversations (exact or a sample).
    pub fn is_measured(&self) -> bool {
        self.figure.as_ref().is_some_and(|f| {
            matches!(f.kind, FigureKind::Exact | FigureKind::Sample)
                && self.source != EvidenceSource::Schema
        })
    }
}

/// The figure a dataset is shown with, from all its evidence (see the module doc).
pub fn best(evidence: &[TurnEvidence]) -> Option<&TurnEvidence> {
    let highest_bound = evidence
        .iter()
        .filter_map(|e| e.figure.as_ref())
        .filter(|f| f.kind == FigureKind::LowerBound)
        .map(|f| f.avg)
        .fold(None, |acc: Option<f64>, v| {
            Some(acc.map_or(v, |a| a.max(v)))
        });
    let rank = |e: &TurnEvidence| -> Option<(u8, u64)> {
        let f = e.figure.as_ref()?;
        let n = f.conversations.unwrap_or(0);
        let tier = match (f.kind, e.source) {
            (FigureKind::Exact, EvidenceSource::Schema)
            | (FigureKind::Stated, EvidenceSource::Schema) => 4,
            (FigureKind::Exact, _) => 6,
            (FigureKind::Sample, _) => 5,
            (FigureKind::Stated, _) if highest_bound.is_none_or(|b| f.avg >= b) => 3,
            (FigureKind::LowerBound, _) => 2,
            (FigureKind::Stated, _) => 1,
        };
        Some((tier, n))
    };
    let mut chosen: Option<(&TurnEvidence, (u8, u64))> = None;
    for e in evidence {
        if let Some(r) = rank(e) {
            if chosen.is_none_or(|(_, best)| r > best) {
                chosen = Some((e, r));
            }
        }
    }
    chosen.map(|(e, _)| e)
}

/// The conversation format a figure supports: from the average, except that a lower bound
/// decides a format only when it already reaches `multi_turn`.
pub fn figure_format(figure: &Figure) -> Option<ConversationFormat> {
    match figure.kind {
        FigureKind::LowerBound => (figure.avg >= 20.0).then_some(ConversationFormat::MultiTurn),
        _ => conversation_format(figure.avg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(source: EvidenceSource, kind: FigureKind, avg: f64, n: u64) -> TurnEvidence {
        TurnEvidence {
            source,
            figure: Some(Figure {
                kind,
                avg,
                median: None,
                min: None,
                max: None,
                conversations: Some(n),
            }),
            detail: String::new(),
            layout: None,
            columns: Vec::new(),
            note: None,
        }
    }

    #[test]
    fn exact_beats_sample_beats_schema_beats_card_beats_bound() {
        use EvidenceSource::*;
        use FigureKind::*;
        let all = vec![
            ev(Card, Stated, 29.8, 0),
            ev(ViewerRows, LowerBound, 5.0, 100),
            ev(Schema, Exact, 2.0, 3000),
            ev(ViewerRows, Sample, 28.0, 100),
            ev(RepoFiles, Sample, 27.0, 400),
            ev(ViewerStatistics, Exact, 29.1, 1300),
        ];
        assert_eq!(best(&all).map(|e| e.source), Some(ViewerStatistics));
        assert_eq!(best(&all[..5]).map(|e| e.source), Some(RepoFiles));
        assert_eq!(best(&all[..3]).map(|e| e.source), Some(Schema));
        assert_eq!(best(&all[..2]).map(|e| e.source), Some(Card));
        // A card figure below a measured bound loses to the bound.
        let contradicted = vec![ev(Card, Stated, 4.0, 0), ev(RepoFiles, LowerBound, 15.0, 3)];
        assert_eq!(best(&contradicted).map(|e| e.source), Some(RepoFiles));
        assert!(best(&[TurnEvidence::nothing(ViewerRows, "", "x")]).is_none());
    }

    #[test]
    fn lower_bounds_decide_only_multi_turn() {
        let bound = |avg| ev(EvidenceSource::ViewerRows, FigureKind::LowerBound, avg, 5);
        assert_eq!(figure_format(bound(15.0).figure.as_ref().unwrap()), None);
        assert_eq!(figure_format(bound(5.0).figure.as_ref().unwrap()), None);
        assert_eq!(
            figure_format(bound(21.0).figure.as_ref().unwrap()),
            Some(ConversationFormat::MultiTurn)
        );
        let sample = ev(EvidenceSource::ViewerRows, FigureKind::Sample, 15.0, 5);
        assert_eq!(
            figure_format(sample.figure.as_ref().unwrap()),
            Some(ConversationFormat::MediumTurn)
        );
    }
}

#[cfg(test)]
mod enum_names {
    use super::{EvidenceSource, FigureKind};
    use strum::IntoEnumIterator;

    #[test]
    fn evidence_source_names_are_stable() {
        let names = [
            "viewer_statistics",
            "viewer_rows",
            "repo_files",
            "schema",
            "card",
        ];
        crate::test_support::assert_enum_names::<EvidenceSource>(&names);
        for (source, name) in EvidenceSource::iter().zip(names) {
            assert_eq!(source.as_str(), name);
            assert_eq!(serde_json::to_value(source).unwrap(), name);
        }
    }

    #[test]
    fn figure_kind_names_are_stable() {
        let names = ["exact", "sample", "lower_bound", "stated"];
        crate::test_support::assert_enum_names::<FigureKind>(&names);
        for (kind, name) in FigureKind::iter().zip(names) {
            assert_eq!(kind.as_str(), name);
            assert_eq!(serde_json::to_value(kind).unwrap(), name);
        }
    }
}
