//! Lenient JSON for raw bodies and saved examples: `//` and `/* */` comments and trailing
//! commas are dropped, and a bare `{{var}}` (outside a string) becomes a marked string, a
//! typed hole that schema inference reads (see [`HOLE`]).

use serde_json::Value;

/// Prefix of the string a bare `{{var}}` becomes.
pub(crate) const HOLE: char = '\u{1}';

/// What lenient parsing found.
pub(crate) struct Parsed {
    pub value: Value,
    /// Comments or trailing commas were removed.
    pub repaired: bool,
}

/// Parses `text`; on failure returns the 1-based line and column and serde_json's message.
pub(crate) fn parse(text: &str) -> Result<Parsed, (usize, usize, String)> {
    if let Ok(value) = serde_json::from_str::<Value>(text) {
        return Ok(Parsed {
            value,
            repaired: false,
        });
    }
    let (clean, repaired) = clean(text);
    match serde_json::from_str::<Value>(&clean) {
        Ok(value) => Ok(Parsed { value, repaired }),
        Err(e) => Err((e.line(), e.column(), e.to_string())),
    }
}

/// Strips comments and trailing commas; quotes bare `{{…}}`.
fn clean(text: &str) -> (String, bool) {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut repaired = false;
    let mut i = 0;
    let mut in_str = false;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if in_str {
            out.push(c);
            if c == '\\' {
                if let Some(n) = next {
                    out.push(n);
                    i += 1;
                }
            } else if c == '"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match (c, next) {
            ('"', _) => {
                in_str = true;
                out.push(c);
                i += 1;
            }
            ('/', Some('/')) => {
                repaired = true;
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            ('/', Some('*')) => {
                repaired = true;
                i += 2;
                while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                    if chars[i] == '\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
                i += 2;
            }
            ('{', Some('{')) => {
                // A bare variable: copy to the matching `}}` as a marked string.
                let start = i;
                let mut depth = 0usize;
                let mut j = i;
                while j < chars.len() {
                    if chars[j] == '{' && chars.get(j + 1) == Some(&'{') {
                        depth += 1;
                        j += 2;
                    } else if chars[j] == '}' && chars.get(j + 1) == Some(&'}') {
                        depth = depth.saturating_sub(1);
                        j += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        j += 1;
                    }
                }
                let inner: String = chars[start..j.min(chars.len())].iter().collect();
                out.push_str(&serde_json::to_string(&format!("{HOLE}{inner}")).unwrap_or_default());
                i = j;
            }
            (',', _) => {
                let mut j = i + 1;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if matches!(chars.get(j), Some('}') | Some(']')) {
                    repaired = true;
                } else {
                    out.push(c);
                }
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    (out, repaired)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_trailing_commas_and_holes() {
        let p = parse("{\n // c\n \"a\": 1, /* x */ \"b\": {{id}},\n \"s\": \"{{v}} // no\",\n}")
            .map_err(|e| e.2)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(p.repaired);
        assert_eq!(p.value["a"], 1);
        assert_eq!(p.value["b"], format!("{HOLE}{{{{id}}}}"));
        assert_eq!(p.value["s"], "{{v}} // no");
    }

    #[test]
    fn garbage_is_located() {
        let e = parse("{\n \"a\": }").err().map(|e| (e.0, e.1));
        assert_eq!(e, Some((2, 7)));
    }
}
