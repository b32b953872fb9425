//! Rust identifiers from definition names: case conversion, keywords, collisions.
//!
//! Every name in a generated client is decided here, once, deterministically.

use std::collections::{BTreeSet, HashMap};

use heck::{ToPascalCase, ToSnakeCase};

/// Words that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "extern"];

/// Rust keywords (2015–2024 editions, reserved ones included).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof",
    "unsized", "virtual", "yield",
];

/// Keeps only ASCII letters, digits and separators so heck produces a valid identifier.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c == '+' {
            out.push_str(" plus ");
        } else {
            out.push(' ');
        }
    }
    out
}

/// A snake_case identifier for `raw`, or `fallback` when nothing usable remains.
/// Keywords become raw identifiers (`r#type`); `self`/`Self`/`crate`/`super` get a trailing `_`.
pub fn snake_ident(raw: &str, fallback: &str) -> String {
    let mut s = ascii_words(raw).to_snake_case();
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("_{s}");
    }
    fix_keyword(s)
}

/// A snake_case name for a binding (a method argument): like [`snake_ident`], but a name
/// of only digits becomes `{fallback}_2` rather than `_2`, which says nothing (clippy's
/// `just_underscores_and_digits`).
pub fn snake_binding(raw: &str, fallback: &str) -> String {
    let s = snake_ident(raw, fallback);
    if s.bytes().all(|b| b.is_ascii_digit() || b == b'_') {
        format!("{fallback}{s}")
    } else {
        s
    }
}

/// A PascalCase type or variant name for `raw`, or `fallback` when nothing usable remains.
pub fn pascal_ident(raw: &str, fallback: &str) -> String {
    let mut s = ascii_words(raw).to_pascal_case();
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s = format!("V{s}");
    }
    fix_keyword(s)
}

/// Applies the keyword rules to an already cased identifier.
pub fn fix_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// The identifier without a leading `r#`, for building derived names.
pub fn bare(ident: &str) -> &str {
    ident.strip_prefix("r#").unwrap_or(ident)
}

/// Hands out unique names inside one scope (a module, a struct's fields, an enum's variants).
#[derive(Debug, Default, Clone)]
pub struct Namer {
    taken: BTreeSet<String>,
    /// `base + sep` → the next number to try. Names are never released, so every number
    /// below it is still taken: claiming the same name many times stays linear.
    next: HashMap<String, usize>,
}

impl Namer {
    /// A namer with some names reserved.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Self {
            taken: reserved.iter().map(|s| s.to_string()).collect(),
            next: HashMap::new(),
        }
    }

    /// Returns `wanted` if free, else `wanted_2`, `wanted_3`… (PascalCase names get `2`, `3`…).
    /// The second value is true when the name had to change.
    pub fn claim(&mut self, wanted: &str) -> (String, bool) {
        if self.taken.insert(wanted.to_string()) {
            return (wanted.to_string(), false);
        }
        let base = bare(wanted).trim_end_matches('_');
        let sep = if base.starts_with(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let stem = format!("{base}{sep}");
        let n = self.next.entry(stem.clone()).or_insert(2);
        loop {
            let candidate = format!("{stem}{n}");
            *n += 1;
            if self.taken.insert(candidate.clone()) {
                return (candidate, true);
            }
        }
    }

    /// True when the name is taken.
    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_and_fallbacks() {
        assert_eq!(snake_ident("type", "f"), "r#type");
        assert_eq!(snake_ident("self", "f"), "self_");
        assert_eq!(pascal_ident("self", "F"), "Self_");
        assert_eq!(snake_ident("crate", "f"), "crate_");
        assert_eq!(snake_ident("", "field"), "field");
        assert_eq!(snake_ident("名前", "field"), "field");
        assert_eq!(snake_ident("2fa-code", "f"), "_2fa_code");
        assert_eq!(pascal_ident("+1", "V"), "Plus1");
        assert_eq!(snake_ident("repos/get-content", "f"), "repos_get_content");
        assert_eq!(pascal_ident("$ref", "V"), "Ref");
    }

    #[test]
    fn collisions() {
        let mut n = Namer::default();
        assert_eq!(n.claim("get_pet"), ("get_pet".into(), false));
        assert_eq!(n.claim("get_pet"), ("get_pet_2".into(), true));
        assert_eq!(n.claim("Pet"), ("Pet".into(), false));
        assert_eq!(n.claim("Pet"), ("Pet2".into(), true));
        assert_eq!(n.claim("r#type"), ("r#type".into(), false));
        assert_eq!(n.claim("r#type"), ("type_2".into(), true));
    }
}
