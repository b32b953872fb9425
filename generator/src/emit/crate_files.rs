//! The non-Rust files of a generated crate (Cargo.toml, README.md), from askama templates.

use askama::Template;

use crate::model::{names::bare, Connector};

#[derive(Template)]
#[template(path = "crate/Cargo.toml", escape = "none")]
struct CargoToml<'a> {
    generator_version: &'a str,
    source: &'a str,
    name: &'a str,
    version: String,
    description: String,
    runtime: &'a str,
}

struct ActionLine {
    name: String,
    route: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "crate/README.md", escape = "none")]
struct Readme<'a> {
    title: &'a str,
    api_version: &'a str,
    source: &'a str,
    description: String,
    usage: String,
    base_url: &'a str,
    auth_docs: Vec<String>,
    actions: Vec<ActionLine>,
}

/// `Cargo.toml` of a generated crate. `runtime` is the TOML value of the `connectorkit`
/// dependency (`"0.1"` or `{ path = "../runtime" }`).
pub fn cargo_toml(
    c: &Connector,
    name: &str,
    source: &str,
    runtime: &str,
) -> Result<String, String> {
    let description = format!("Typed async client for {}", one_line(&c.title));
    CargoToml {
        generator_version: env!("CARGO_PKG_VERSION"),
        source: &one_line(source),
        name,
        version: semver(&c.api_version),
        description: toml_string(&description),
        runtime,
    }
    .render()
    .map_err(|e| e.to_string())
}

/// `README.md` listing every action.
pub fn readme(c: &Connector, name: &str, source: &str, base_url: &str) -> Result<String, String> {
    let crate_ident = name.replace('-', "_");
    let usage = match c.auth.first() {
        Some(a) => {
            let args = match a.kind {
                crate::model::AuthKind::Basic => "\"user\", \"password\"",
                _ => "\"secret\"",
            };
            format!(
                "let client = {crate_ident}::Client::new()?.{}({args});",
                a.method
            )
        }
        None => format!("let client = {crate_ident}::Client::new()?;"),
    };
    let actions = c
        .actions
        .iter()
        .map(|a| ActionLine {
            name: bare(&a.ident).to_string(),
            route: format!("{} {}", a.method, a.path),
            summary: a.summary.as_deref().map(one_line).unwrap_or_default(),
        })
        .collect();
    let auth_docs = c
        .auth
        .iter()
        .map(|a| format!("`{}` ({}): `Client::{}`", a.name, a.origin, a.method))
        .collect();
    let description = c
        .description
        .as_deref()
        .map(|d| d.split("\n\n").next().unwrap_or("").trim().to_string())
        .unwrap_or_default();
    Readme {
        title: &one_line(&c.title),
        api_version: &one_line(&c.api_version),
        source: &one_line(source),
        description: super::docs::sanitize(&description),
        usage,
        base_url,
        auth_docs,
        actions,
    }
    .render()
    .map_err(|e| e.to_string())
}

/// One line of plain text (safe in a TOML comment or a Markdown table cell): whitespace runs
/// become one space; control and bidirectional-text characters are dropped.
fn one_line(s: &str) -> String {
    super::docs::sanitize(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A valid semver version from whatever `info.version` says: `v2` → `2.0.0`,
/// `2022-11-28` → `2022.11.28`, `1.0.0-beta.1` kept, anything else → `0.1.0`.
pub fn semver(raw: &str) -> String {
    let raw = raw.trim().trim_start_matches(['v', 'V']);
    if is_semver(raw) {
        return raw.to_string();
    }
    let nums: Vec<u64> = raw
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .filter_map(|s| s.parse().ok())
        .collect();
    match nums.as_slice() {
        [] => "0.1.0".to_string(),
        [a] => format!("{a}.0.0"),
        [a, b] => format!("{a}.{b}.0"),
        [a, b, c, ..] => format!("{a}.{b}.{c}"),
    }
}

fn is_semver(s: &str) -> bool {
    let (core, rest) = match s.find(['-', '+']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    let numeric_ok = |p: &&str| {
        !p.is_empty()
            && p.bytes().all(|b| b.is_ascii_digit())
            && (p.len() == 1 || !p.starts_with('0'))
    };
    if parts.len() != 3 || !parts.iter().all(numeric_ok) {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let body = &rest[1..];
    !body.is_empty()
        && body
            .split(['.', '+'])
            .all(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// What `examples/conformance.rs` needs in `Cargo.toml` (appended when the conformance
/// program is generated): the example, named after the crate so that the programs of a
/// workspace of generated crates do not overwrite each other, and tokio to run it.
pub fn conformance_manifest(crate_name: &str) -> String {
    format!(
        "\n\n[[example]]\nname = {}\npath = \"examples/conformance.rs\"\n\n[dev-dependencies]\ntokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n",
        toml_string(&format!("{crate_name}-conformance"))
    )
}

#[cfg(test)]
mod tests {
    use super::semver;

    #[test]
    fn versions_become_semver() {
        assert_eq!(semver("1.0.0"), "1.0.0");
        assert_eq!(semver("v2"), "2.0.0");
        assert_eq!(semver("2022-11-28"), "2022.11.28");
        assert_eq!(semver("1.0.0-beta.1"), "1.0.0-beta.1");
        assert_eq!(semver("01.02"), "1.2.0");
        assert_eq!(semver("latest"), "0.1.0");
        assert_eq!(semver(""), "0.1.0");
        assert_eq!(semver("1.0.0-"), "1.0.0");
    }
}
