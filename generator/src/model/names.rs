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

    /// Returns `wanted`, or `wanted` with `_` appended until it is free (`additional_properties_`
    /// beside a property of that name), and claims it.
    pub fn claim_padded(&mut self, wanted: &str) -> String {
        let mut name = wanted.to_string();
        while !self.taken.insert(name.clone()) {
            name.push('_');
        }
        name
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

/// The longest crate name we derive (crates.io's limit; also keeps folder names short).
pub const MAX_CRATE_NAME: usize = 64;

/// Words that say nothing about which API a crate is for: dropped from derived crate names
/// (`GitHub's official OpenAPI spec` → `github`, `Swagger Petstore` → `petstore`).
const NOISE_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "for",
    "and",
    "to",
    "s",
    "api",
    "apis",
    "rest",
    "restful",
    "http",
    "openapi",
    "swagger",
    "spec",
    "specification",
    "definition",
    "definitions",
    "official",
    "public",
    "extension",
    "extensions",
    "service",
    "services",
    "web",
    "client",
    "sdk",
    "v1",
    "v2",
    "v3",
    "v4",
    "v5",
];

/// A short crate name from an API's title: the words before a subtitle separator (`+`,
/// ` - `, `:`, `(`, `|`, `—`), each lowercased whole (`GitHub` → `github`, never
/// `git-hub`), a possessive `'s` and words that name no API ([`NOISE_WORDS`]) dropped, at
/// most four words, joined with `-`. `fallback` (the file or folder stem) is used the same
/// way when the title leaves nothing; `api-client` when neither does. A name starting with
/// a digit gets an `api-` prefix; at most [`MAX_CRATE_NAME`] characters.
pub fn crate_name(title: &str, fallback: &str) -> String {
    let derived = crate_words(title)
        .or_else(|| crate_words(fallback))
        .unwrap_or_else(|| "api-client".to_string());
    let derived = if derived.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{derived}")
    } else {
        derived
    };
    cap_crate_name(derived)
}

/// The kebab-case words of `text` that name the API, or `None` when none remain.
fn crate_words(text: &str) -> Option<String> {
    let head = text
        .split(['+', ':', '(', '|', '—', '–'])
        .next()
        .unwrap_or("")
        .split(" - ")
        .next()
        .unwrap_or("");
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
            .map(|w| {
                w.trim_matches('\'')
                    .trim_end_matches("'s")
                    .trim_end_matches("'S")
                    .to_ascii_lowercase()
            })
            .flat_map(|w| {
                w.split('\'')
                    .map(str::to_string)
                    .filter(|p| !p.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|w| !NOISE_WORDS.contains(&w.as_str()))
            .collect()
    };
    let mut kept = words(head);
    if kept.is_empty() {
        kept = words(text);
    }
    if kept.is_empty() {
        // Only noise words: keep them rather than say nothing (`Swagger API` → `swagger-api`).
        kept = text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
    }
    kept.truncate(4);
    (!kept.is_empty()).then(|| kept.join("-"))
}

/// Cuts a derived kebab-case name to [`MAX_CRATE_NAME`] at a word boundary where one is
/// near, never leaving a trailing `-`.
fn cap_crate_name(name: String) -> String {
    if name.len() <= MAX_CRATE_NAME {
        return name;
    }
    let cut = &name[..MAX_CRATE_NAME];
    let cut = match cut.rfind('-') {
        Some(i) if i >= MAX_CRATE_NAME / 2 => &cut[..i],
        _ => cut,
    };
    cut.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod crate_name_tests {
    use super::crate_name;

    #[test]
    fn crate_names_are_short_and_say_which_api() {
        assert_eq!(
            crate_name(
                "GitHub's official OpenAPI spec + Octokit extension",
                "api.github.com"
            ),
            "github"
        );
        assert_eq!(crate_name("Swagger Petstore", "petstore"), "petstore");
        assert_eq!(
            crate_name("Connectorkit Petstore", "petstore"),
            "connectorkit-petstore"
        );
        assert_eq!(crate_name("Azure Blob Storage", "x"), "azure-blob-storage");
        assert_eq!(crate_name("Stripe API", "spec3"), "stripe");
        assert_eq!(crate_name("Swagger API", "x"), "swagger-api");
        assert_eq!(crate_name("", "my_bank"), "my-bank");
        assert_eq!(crate_name("", ""), "api-client");
        assert_eq!(crate_name("3D Printing", ""), "api-3d-printing");
        assert_eq!(crate_name("Über Café", "cafe"), "ber-caf");
        assert!(crate_name(&"word ".repeat(40), "").len() <= super::MAX_CRATE_NAME);
    }
}
