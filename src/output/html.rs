//! TEMPORARY scaffold.
pub fn render_html(_i: &super::report::ReportInput, _s: &super::report::ReportSummary) -> String {
    String::new()
}
