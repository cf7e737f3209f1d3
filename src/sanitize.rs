//! Untrusted text (dataset ids, descriptions, cards, server messages) is data: before it reaches a
//! terminal every control character and escape sequence (CSI, OSC such as OSC 8 links, DCS...) is
//! removed; before it reaches a spreadsheet, formula triggers are neutralised.

#![cfg_attr(not(test), deny(clippy::string_slice, clippy::indexing_slicing))]

/// Removes ANSI/VT escape sequences and control characters. Newlines and tabs become spaces when
/// `keep_newlines` is false.
pub fn strip_controls(input: &str, keep_newlines: bool) -> String {
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 CSI / OSC / DCS introducers (8-bit forms).
            '\u{9b}' => skip_until_final(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\n' if keep_newlines => out.push('\n'),
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            // Bidirectional overrides can reorder what a reader sees.
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {}
            c => out.push(c),
        }
    }
    out
}

fn skip_escape(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    match chars.next() {
        Some('[') => skip_until_final(chars),
        Some(']') | Some('P') | Some('X') | Some('^') | Some('_') => skip_string(chars),
        // Two-character sequences (ESC c, ESC 7, ...) and charset selections (ESC ( B).
        Some('(') | Some(')') | Some('#') | Some('%') => {
            chars.next();
        }
        _ => {}
    }
}

/// CSI: parameters and intermediates until a final byte in 0x40..=0x7e.
fn skip_until_final(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// OSC/DCS/APC/PM strings: until BEL or ST (ESC \).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// One terminal-safe line of at most `max_chars` characters (an ellipsis marks a cut).
pub fn clean_line(input: &str, max_chars: usize) -> String {
    let clean = strip_controls(input, false);
    let collapsed = clean.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate(&collapsed, max_chars)
}

/// Cuts to `max_chars` characters, ending with `…` when cut.
pub fn truncate(input: &str, max_chars: usize) -> String {
    if input.chars().count() <= max_chars {
        return input.to_string();
    }
    let mut out: String = input.chars().take(max_chars.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Cuts to `max_columns` terminal columns (CJK and most emoji take two, combining marks none),
/// ending with `…` when cut.
pub fn truncate_to_width(input: &str, max_columns: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if input.width() <= max_columns {
        return input.to_string();
    }
    let budget = max_columns.saturating_sub(1);
    let mut used = 0;
    let mut out = String::new();
    for c in input.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    // Sequences (emoji with a variation selector or ZWJ) can be wider than their characters.
    while out.width() > budget {
        out.pop();
    }
    out.push('…');
    out
}

/// A CSV cell safe to open in a spreadsheet: a leading `=`, `+`, `-`, `@`, tab or CR (even after
/// leading spaces) gets a `'` prefix so it is shown as text, never evaluated. Controls are removed.
pub fn csv_safe(input: &str) -> String {
    let clean = strip_controls(input, true);
    let trimmed = clean.trim_start();
    match trimmed.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{clean}"),
        _ => clean,
    }
}

/// Serialised JSON made safe to print: C1 controls (U+0080–U+009F, which some terminals obey as
/// escape introducers) and bidirectional overrides become `\uXXXX` escapes. Only valid inside
/// JSON strings, where serde_json leaves those characters raw; the JSON value is unchanged.
pub fn json_terminal_safe(json: String) -> String {
    let risky = |c: char| matches!(c, '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !json.chars().any(risky) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if risky(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_csi_osc8_and_controls() {
        let evil = "a\u{1b}[2Jb\u{1b}]8;;http://evil.example\u{1b}\\link\u{1b}]8;;\u{1b}\\c\u{7}d\u{9b}31me";
        assert_eq!(strip_controls(evil, false), "ablinkcde");
        assert_eq!(strip_controls("x\u{1b}]0;title\u{7}y", false), "xy");
        assert_eq!(strip_controls("l1\nl2\r\tz", false), "l1 l2  z");
        assert_eq!(strip_controls("l1\nl2", true), "l1\nl2");
        assert_eq!(strip_controls("safe\u{202e}txt", false), "safetxt");
    }

    #[test]
    fn json_escapes_c1_and_bidi_but_keeps_the_value() {
        let raw = serde_json::to_string(&serde_json::json!({"d": "a\u{9b}2Jb\u{202e}c"})).unwrap();
        let safe = json_terminal_safe(raw);
        assert!(!safe.contains('\u{9b}') && !safe.contains('\u{202e}'));
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back["d"], "a\u{9b}2Jb\u{202e}c");
    }

    #[test]
    fn csv_formulas_are_neutralised() {
        assert_eq!(csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_safe("  +1"), "'  +1");
        assert_eq!(csv_safe("-2"), "'-2");
        assert_eq!(csv_safe("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_safe("plain"), "plain");
    }

    #[test]
    fn width_truncation_counts_terminal_columns() {
        use unicode_width::UnicodeWidthStr;
        let cut = truncate_to_width("心理咨询对话数据集", 9);
        assert_eq!(cut, "心理咨询…");
        assert!(cut.width() <= 9);
        assert_eq!(truncate_to_width("abc", 3), "abc");
    }

    #[test]
    fn clean_line_collapses_and_truncates() {
        assert_eq!(clean_line("a \n\n b", 10), "a b");
        assert_eq!(clean_line("abcdefghijk", 5), "abcd…");
    }
}
