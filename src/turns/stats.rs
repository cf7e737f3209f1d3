//! Summary statistics over the counted conversations, and the conversation-format buckets.

use super::{ConversationCount, TurnAnalysis};

/// Turn statistics over the distinct conversations of a sample.
#[derive(Debug, Clone, PartialEq)]
pub struct TurnStats {
    /// Conversations the figures are computed from.
    pub conversations: u32,
    /// Mean turns per conversation.
    pub avg: f64,
    /// Median turns per conversation (mean of the two middle values for an even count).
    pub median: f64,
    /// Fewest turns.
    pub min: u32,
    /// Most turns.
    pub max: u32,
    /// False when any figure rests on a lower bound (a cut cell, or only cut-off groups).
    pub exact: bool,
}

impl TurnAnalysis {
    /// Statistics over [`TurnAnalysis::conversations`].
    ///
    /// Incomplete conversations (utterance groups that may continue outside the sample) are left
    /// out when complete ones exist; if all are incomplete they are used and `exact` is false.
    /// Conversations whose count is a lower bound (cut cells) are kept, making `exact` false and
    /// the figures lower bounds. `None` when there is no conversation.
    pub fn stats(&self) -> Option<TurnStats> {
        let complete: Vec<&ConversationCount> =
            self.conversations.iter().filter(|c| c.complete).collect();
        let used: Vec<&ConversationCount> = if complete.is_empty() {
            self.conversations.iter().collect()
        } else {
            complete
        };
        let mut turns: Vec<u32> = used.iter().map(|c| c.turns).collect();
        turns.sort_unstable();
        let (&min, &max) = (turns.first()?, turns.last()?);
        let n = turns.len();
        let avg = turns.iter().map(|&t| f64::from(t)).sum::<f64>() / n as f64;
        // The middle value (odd count) or the two middle values (even count), averaged.
        let middle = turns.get((n - 1) / 2..=n / 2)?;
        let median = middle.iter().map(|&t| f64::from(t)).sum::<f64>() / middle.len() as f64;
        Some(TurnStats {
            conversations: u32::try_from(n).unwrap_or(u32::MAX),
            avg,
            median,
            min,
            max,
            exact: used.iter().all(|c| c.complete && !c.lower_bound),
        })
    }
}

/// Conversation-length bucket of a dataset, from its average turns per conversation.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
    strum::AsRefStr,
    strum::EnumIter,
)]
#[strum(serialize_all = "snake_case", parse_err_ty = UnknownFormat, parse_err_fn = UnknownFormat::of)]
pub enum ConversationFormat {
    /// 20 or more turns on average.
    MultiTurn,
    /// 10 to under 20 turns.
    MediumTurn,
    /// 5 to under 10 turns.
    ShortTurn,
    /// 1 to under 5 turns.
    SingleTurn,
}

impl ConversationFormat {
    /// Stable name: `multi_turn`, `medium_turn`, `short_turn` or `single_turn` (also its
    /// `Display`; [`str::parse`] reads it back).
    pub fn as_str(&self) -> &'static str {
        self.into()
    }
}

/// Error for an unknown conversation-format name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown conversation format `{0}` (known: multi_turn, medium_turn, short_turn, single_turn)"
)]
pub struct UnknownFormat(pub String);

impl UnknownFormat {
    /// The error for `name` (the `FromStr` error of [`ConversationFormat`]).
    fn of(name: &str) -> UnknownFormat {
        UnknownFormat(name.to_string())
    }
}

/// The bucket of an average turn count: multi ≥ 20, medium ≥ 10, short ≥ 5, single ≥ 1;
/// `None` below 1 (or NaN).
///
/// The average is compared as is, never rounded: the buckets' integer ranges (10-19, 5-9, 1-4)
/// are read as half-open intervals, so 19.6 is `medium_turn` (it has not reached 20) and 4.5 is
/// `single_turn`. This matches "multi_turn >= 20 average" and keeps averages below 1 unbucketed.
pub fn conversation_format(avg_turns: f64) -> Option<ConversationFormat> {
    if avg_turns >= 20.0 {
        Some(ConversationFormat::MultiTurn)
    } else if avg_turns >= 10.0 {
        Some(ConversationFormat::MediumTurn)
    } else if avg_turns >= 5.0 {
        Some(ConversationFormat::ShortTurn)
    } else if avg_turns >= 1.0 {
        Some(ConversationFormat::SingleTurn)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets() {
        assert_eq!(
            conversation_format(20.0),
            Some(ConversationFormat::MultiTurn)
        );
        assert_eq!(
            conversation_format(19.6),
            Some(ConversationFormat::MediumTurn)
        );
        assert_eq!(
            conversation_format(10.0),
            Some(ConversationFormat::MediumTurn)
        );
        assert_eq!(
            conversation_format(9.99),
            Some(ConversationFormat::ShortTurn)
        );
        assert_eq!(
            conversation_format(4.5),
            Some(ConversationFormat::SingleTurn)
        );
        assert_eq!(
            conversation_format(1.0),
            Some(ConversationFormat::SingleTurn)
        );
        assert_eq!(conversation_format(0.9), None);
        assert_eq!(conversation_format(f64::NAN), None);
    }

    #[test]
    fn names_round_trip() {
        for format in [
            ConversationFormat::MultiTurn,
            ConversationFormat::MediumTurn,
            ConversationFormat::ShortTurn,
            ConversationFormat::SingleTurn,
        ] {
            assert_eq!(format.as_str().parse::<ConversationFormat>(), Ok(format));
        }
        assert!("long".parse::<ConversationFormat>().is_err());
    }
}

#[cfg(test)]
mod enum_names {
    use super::{ConversationFormat, UnknownFormat};
    use strum::IntoEnumIterator;

    #[test]
    fn conversation_format_names_are_stable() {
        let names = ["multi_turn", "medium_turn", "short_turn", "single_turn"];
        crate::test_support::assert_enum_names::<ConversationFormat>(&names);
        for (format, name) in ConversationFormat::iter().zip(names) {
            assert_eq!(format.as_str(), name);
        }
        let err = "long".parse::<ConversationFormat>().unwrap_err();
        assert_eq!(err, UnknownFormat("long".to_string()));
        assert_eq!(
            err.to_string(),
            "unknown conversation format `long` (known: multi_turn, medium_turn, short_turn, single_turn)"
        );
    }
}
