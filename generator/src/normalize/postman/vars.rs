//! `{{variable}}` references: finding, splitting, resolving.

use std::collections::BTreeMap;

/// A piece of text: literal, or one `{{name}}` reference.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    Text(String),
    Var(String),
}

/// Splits text into literal pieces and `{{name}}` references (innermost `{{[^{}]*}}`).
pub(crate) fn pieces(s: &str) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = &after[..end];
        if name.contains('{') {
            // Not innermost: keep the first brace as text.
            out.push(Piece::Text(rest[..start + 1].to_string()));
            rest = &rest[start + 1..];
            continue;
        }
        if start > 0 {
            out.push(Piece::Text(rest[..start].to_string()));
        }
        out.push(Piece::Var(name.trim().to_string()));
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    // Merge adjacent text.
    let mut merged: Vec<Piece> = Vec::new();
    for p in out {
        match (merged.last_mut(), p) {
            (Some(Piece::Text(a)), Piece::Text(b)) => a.push_str(&b),
            (_, p) => merged.push(p),
        }
    }
    merged
}

/// The variable name when `s` is exactly one `{{name}}`.
pub(crate) fn whole(s: &str) -> Option<String> {
    match pieces(s.trim()).as_slice() {
        [Piece::Var(v)] => Some(v.clone()),
        _ => None,
    }
}

/// True for `{{a_{{b}}}}`.
pub(crate) fn has_nested(s: &str) -> bool {
    let mut depth = 0usize;
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with("{{") {
            depth += 1;
            if depth > 1 {
                return true;
            }
            i += 2;
        } else if s[i..].starts_with("}}") && depth > 0 {
            depth -= 1;
            i += 2;
        } else {
            i += s[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    false
}

/// `{{x}}` → `{x}` (OpenAPI templates).
pub(crate) fn to_braces(s: &str) -> String {
    pieces(s)
        .into_iter()
        .map(|p| match p {
            Piece::Text(t) => t,
            Piece::Var(v) => format!("{{{v}}}"),
        })
        .collect()
}

/// Resolves references from `vars`, repeatedly (nested references work); unknown ones stay.
pub(crate) fn resolve(s: &str, vars: &BTreeMap<String, String>) -> String {
    let mut cur = s.to_string();
    for _ in 0..10 {
        let next: String = pieces(&cur)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                Piece::Var(v) => match vars.get(&v) {
                    Some(val) => val.clone(),
                    None => format!("{{{{{v}}}}}"),
                },
            })
            .collect();
        if next == cur {
            break;
        }
        cur = next;
    }
    cur
}
