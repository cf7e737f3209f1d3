//! Number formatting shared by the text and HTML reports.

/// `1234567` → `1,234,567` (negative numbers keep their sign).
pub fn group_thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `count` as a share of `total` with one decimal (`33.3%`); `0.0%` when `total` is 0.
pub fn percent(count: usize, total: usize) -> String {
    if total == 0 {
        return "0.0%".to_string();
    }
    format!("{:.1}%", count as f64 * 100.0 / total as f64)
}

/// Average turns with the conversation format: `23.4 (multi_turn)`, `23.4`, or `?` when unknown.
pub fn format_turns(avg_turns: Option<f64>, format: Option<String>) -> String {
    match (avg_turns, format) {
        (Some(avg), Some(format)) => format!("{avg:.1} ({format})"),
        (Some(avg), None) => format!("{avg:.1}"),
        (None, _) => "?".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(1234567), "1,234,567");
        assert_eq!(group_thousands(-12345), "-12,345");
        assert_eq!(group_thousands(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn percentages_and_turns() {
        assert_eq!(percent(1, 3), "33.3%");
        assert_eq!(percent(0, 0), "0.0%");
        assert_eq!(
            format_turns(Some(23.44), Some("multi_turn".into())),
            "23.4 (multi_turn)"
        );
        assert_eq!(format_turns(Some(3.0), None), "3.0");
        assert_eq!(format_turns(None, Some("x".into())), "?");
    }
}
