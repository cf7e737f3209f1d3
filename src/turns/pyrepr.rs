//! Python literal cells: CSV uploads often hold `str(list_of_dicts)` —
//! `[{'from': 'human', 'value': "I can't sleep"}]` — which is not JSON. This converts such a
//! literal to JSON text (quotes, `True`/`False`/`None`, `\xNN` escapes) so the normal parsers can
//! read it. Anything it does not understand yields `None`: no guess.

/// Converts a Python literal (lists, dicts, strings, numbers, booleans, None) to JSON text.
pub(crate) fn python_literal_to_json(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push('"');
                copy_string(&mut chars, c, &mut out)?;
                out.push('"');
            }
            c if c.is_ascii_alphabetic() => {
                let mut word = String::from(c);
                while let Some(&n) = chars.peek() {
                    if !n.is_ascii_alphanumeric() && n != '_' {
                        break;
                    }
                    word.push(n);
                    chars.next();
                }
                out.push_str(match word.as_str() {
                    "True" => "true",
                    "False" => "false",
                    "None" => "null",
                    _ => return None,
                });
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// Copies the body of a Python string closed by `quote`, re-escaped for JSON.
fn copy_string(
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    quote: char,
    out: &mut String,
) -> Option<()> {
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                '\'' => out.push('\''),
                '"' => out.push_str("\\\""),
                'x' => {
                    let hex: String = [chars.next()?, chars.next()?].iter().collect();
                    let code = u32::from_str_radix(&hex, 16).ok()?;
                    out.push_str(&format!("\\u{code:04x}"));
                }
                e @ ('\\' | 'n' | 't' | 'r' | 'b' | 'f' | 'u') => {
                    out.push('\\');
                    out.push(e);
                }
                _ => return None,
            },
            c if c == quote => return Some(()),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::python_literal_to_json;

    #[test]
    fn converts_python_reprs_of_message_lists() {
        let py = r#"[{'from': 'human', 'value': "I can't sleep"}, {'from': 'gpt', 'value': 'Say \'more\'\n', 'ok': True, 'n': None}]"#;
        let json = python_literal_to_json(py).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v[0]["value"], "I can't sleep");
        assert_eq!(v[1]["value"], "Say 'more'\n");
        assert_eq!(v[1]["ok"], true);
        assert!(v[1]["n"].is_null());
    }

    #[test]
    fn refuses_what_it_does_not_understand() {
        assert_eq!(python_literal_to_json("[{'a': datetime(2020)}]"), None);
        assert_eq!(python_literal_to_json("['unterminated"), None);
    }
}
