//! TEMPORARY scaffold.
use super::record::ExportRecord;
pub struct ReportInput<'a> {
    pub records: &'a [ExportRecord],
    pub query: &'a str,
    pub filters_description: &'a str,
    pub generated_at: chrono::DateTime<chrono::Utc>,
    pub catalog_size: i64,
}
pub struct ReportSummary;
pub fn summarize(_i: &ReportInput) -> ReportSummary {
    ReportSummary
}
pub fn render_text(_i: &ReportInput, _s: &ReportSummary) -> String {
    String::new()
}
