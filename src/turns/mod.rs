//! TEMPORARY scaffold (replaced by the real module before commit).
#[derive(Debug, Clone, Default)]
pub struct SampleRow {
    pub row_idx: i64,
    pub row: serde_json::Map<String, serde_json::Value>,
    pub truncated_cells: Vec<String>,
}
impl SampleRow {
    pub fn from_viewer_json(_v: &serde_json::Value) -> Result<Vec<SampleRow>, std::fmt::Error> {
        Ok(vec![])
    }
}
pub enum Layout {
    X,
}
impl Layout {
    pub fn as_str(&self) -> &'static str {
        "x"
    }
}
pub struct TurnAnalysis {
    pub layout: Layout,
    pub columns: Vec<String>,
    pub group_by: Option<String>,
    pub truncated_rows: Vec<i64>,
}
pub struct TurnStats {
    pub conversations: u32,
    pub avg: f64,
    pub median: f64,
    pub min: u32,
    pub max: u32,
    pub exact: bool,
}
impl TurnAnalysis {
    pub fn stats(&self) -> Option<TurnStats> {
        None
    }
}
pub fn analyze(_r: &[SampleRow]) -> Option<TurnAnalysis> {
    None
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationFormat {
    MultiTurn,
    MediumTurn,
    ShortTurn,
    SingleTurn,
}
impl ConversationFormat {
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::MultiTurn => "multi_turn",
            Self::MediumTurn => "medium_turn",
            Self::ShortTurn => "short_turn",
            Self::SingleTurn => "single_turn",
        }
    }
}
pub fn conversation_format(avg: f64) -> Option<ConversationFormat> {
    if avg >= 20.0 {
        Some(ConversationFormat::MultiTurn)
    } else if avg >= 10.0 {
        Some(ConversationFormat::MediumTurn)
    } else if avg >= 5.0 {
        Some(ConversationFormat::ShortTurn)
    } else if avg >= 1.0 {
        Some(ConversationFormat::SingleTurn)
    } else {
        None
    }
}
