//! Reading JSON that the dataset viewer cut short.
//!
//! When a `/first-rows` response is too large, the viewer stringifies big cells and cuts them
//! (`"[{\"role\": \"user\", \"content\": \"Hi ...`). To count what is visible, the text is closed
//! at the last complete element: every point where an object, array or array-element string has
//! just ended is a candidate; the latest candidate that parses once its open brackets are closed
//! wins. The result only ever contains complete messages (a lower bound).
//!
//! No crate fits: JSON "repair" crates complete what is cut (inventing a closing value), while a
//! turn count may only count elements that were there whole.

use serde_json::Value;

/// How many cut points to try (latest first) before giving up.
const MAX_ATTEMPTS: usize = 64;

/// Parses `text` as JSON; when that fails, parses its longest prefix that can be closed.
pub(crate) fn parse_possibly_cut(text: &str) -> Option<Value> {
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return Some(value);
    }
    let mut cut_points: Vec<(usize, String)> = Vec::new();
    let mut stack: Vec<char> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    for (at, c) in text.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                if stack.last() == Some(&'[') {
                    cut_points.push((at + 1, closers(&stack)));
                }
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' | '{' => stack.push(c),
            ']' | '}' => {
                stack.pop();
                if !stack.is_empty() {
                    cut_points.push((at + 1, closers(&stack)));
                }
            }
            _ => {}
        }
    }
    cut_points
        .iter()
        .rev()
        .take(MAX_ATTEMPTS)
        .find_map(|(at, close)| {
            let head = text.get(..*at)?;
            serde_json::from_str(&format!("{head}{close}")).ok()
        })
}

/// The brackets that close `stack`, innermost first.
fn closers(stack: &[char]) -> String {
    stack
        .iter()
        .rev()
        .map(|&open| if open == '[' { ']' } else { '}' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn closes_cut_lists() {
        let cut = r#"[{"role": "user", "content": "a"}, {"role": "assistant", "content": "b [x]"}, {"role": "us"#;
        assert_eq!(
            parse_possibly_cut(cut),
            Some(
                json!([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b [x]"}])
            )
        );
        assert_eq!(
            parse_possibly_cut(r#"["M: hi", "W: he"#),
            Some(json!(["M: hi"]))
        );
        let wrapped = r#"{"messages": [{"role": "user", "content": "a"}, {"ro"#;
        assert_eq!(
            parse_possibly_cut(wrapped),
            Some(json!({"messages": [{"role": "user", "content": "a"}]}))
        );
        assert_eq!(parse_possibly_cut(r#"[{"role": "us"#), None);
    }
}
