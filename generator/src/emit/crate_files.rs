//! The non-Rust files of a generated crate (Cargo.toml, README.md), from askama templates.

use askama::Template;

use crate::model::{names::bare, Connector};

#[derive(Template)]
#[template(path = "crate/manifest.toml", escape = "none")]
struct CargoToml<'a> {
    generator_version: &'a str,
    source: &'a str,
    name: &'a str,
    version: String,
    description: String,
    /// `key = value` lines of the optional `[package]` fields, values already TOML.
    package: Vec<(&'static str, String)>,
    runtime: &'a str,
    /// With module features: `(feature, its TOML list of other features)`, and `full`'s list.
    features: Vec<(String, String)>,
    full: String,
    /// The feature of the schemas no action uses, when there are some.
    unused: Option<&'static str>,
}

/// What a generated `Cargo.toml` says beyond the definition (see `CrateOptions`).
#[derive(Clone, Debug, Default)]
pub struct Metadata<'a> {
    /// `version`; the API's version made semver when `None`.
    pub version: Option<&'a str>,
    /// `description`; "Typed async client for <title>" when `None`.
    pub description: Option<&'a str>,
    /// `license` (an SPDX expression).
    pub license: Option<&'a str>,
    /// `repository`.
    pub repository: Option<&'a str>,
    /// `authors`.
    pub authors: &'a [String],
    /// `publish = [registry]`.
    pub registry: Option<&'a str>,
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
    /// How many actions.
    count: usize,
    /// The crate's name in Rust paths and `Cargo.toml` (for the features example).
    crate_name: &'a str,
    /// Its version.
    crate_version: String,
    /// The feature the example turns on: the largest module's.
    example_feature: String,
    /// With module features: each module's heading; otherwise one group with no heading.
    groups: Vec<Group>,
    /// The feature of the schemas no action uses, when the crate has one.
    unused: Option<&'static str>,
}

/// The actions of one module in the README.
struct Group {
    /// `` `repos` (12 actions) ``, empty without module features.
    heading: String,
    actions: Vec<ActionLine>,
}

/// `Cargo.toml` of a generated crate. `runtime` is the TOML value of the `connectorkit`
/// dependency (`"0.1"` or `{ path = "../runtime" }`). Ends with a newline.
pub fn cargo_toml(
    c: &Connector,
    name: &str,
    source: &str,
    runtime: &str,
    meta: &Metadata,
) -> Result<String, String> {
    let description = match meta.description.map(one_line).filter(|d| !d.is_empty()) {
        Some(d) => d,
        None => format!("Typed async client for {}", one_line(&c.title)),
    };
    let mut package: Vec<(&'static str, String)> = Vec::new();
    if let Some(l) = meta.license {
        package.push(("license", toml_string(l)));
    }
    if let Some(r) = meta.repository {
        package.push(("repository", toml_string(r)));
    }
    if !meta.authors.is_empty() {
        let list: Vec<String> = meta.authors.iter().map(|a| toml_string(a)).collect();
        package.push(("authors", format!("[{}]", list.join(", "))));
    }
    if let Some(r) = meta.registry {
        package.push(("publish", format!("[{}]", toml_string(r))));
    }
    let mut out = CargoToml {
        generator_version: env!("CARGO_PKG_VERSION"),
        source: &one_line(source),
        name,
        version: meta
            .version
            .map(str::to_string)
            .unwrap_or_else(|| semver(&c.api_version)),
        description: toml_string(&description),
        package,
        runtime,
        features: module_features(c),
        full: toml_list(c.modules.list.iter().map(|m| m.name.as_str())),
        unused: (c.modules.gated() && c.modules.has_unused())
            .then_some(super::gates::UNUSED_SCHEMAS),
    }
    .render()
    .map_err(|e| e.to_string())?;
    end_with_newline(&mut out);
    Ok(out)
}

/// Each module's feature and the features it turns on (those of the modules it calls into);
/// none when the crate has no module features.
fn module_features(c: &Connector) -> Vec<(String, String)> {
    if !c.modules.gated() {
        return Vec::new();
    }
    c.modules
        .list
        .iter()
        .map(|m| {
            let requires = m
                .requires
                .iter()
                .filter_map(|&r| c.modules.list.get(r))
                .map(|r| r.name.as_str());
            (m.name.clone(), toml_list(requires))
        })
        .collect()
}

/// `["a", "b"]`.
fn toml_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.map(toml_string).collect();
    format!("[{}]", items.join(", "))
}

fn end_with_newline(s: &mut String) {
    if !s.ends_with('\n') {
        s.push('\n');
    }
}

/// `README.md`, also the crate docs (`#![doc = include_str!("../README.md")]`): the
/// description, `example` (Rust source, a `no_run` doctest), auth and every action. Ends
/// with a newline.
pub fn readme(
    c: &Connector,
    crate_name: &str,
    meta: &Metadata,
    source: &str,
    base_url: &str,
    example: &str,
) -> Result<String, String> {
    // A fence longer than any run of backticks in the example (string literals may hold some).
    let mut longest = 0;
    let mut run = 0;
    for ch in example.chars() {
        run = if ch == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat((longest + 1).max(3));
    let usage = format!("{fence}rust,no_run\n{}{fence}", example);
    let line = |a: &crate::model::Action| ActionLine {
        name: bare(&a.ident).to_string(),
        route: format!("{} {}", a.method, a.path),
        summary: a
            .summary
            .as_deref()
            .map(|s| super::docs::link_bare_urls(&one_line(s)))
            .unwrap_or_default(),
    };
    let groups = if c.modules.gated() {
        let mut groups: Vec<Group> = c
            .modules
            .list
            .iter()
            .map(|m| Group {
                heading: format!(
                    "`{}` ({} action{}{})",
                    m.name,
                    m.actions,
                    if m.actions == 1 { "" } else { "s" },
                    if m.label.trim_start_matches('/') == m.name {
                        String::new()
                    } else {
                        format!(", `{}`", one_line(&m.label))
                    }
                ),
                actions: Vec::new(),
            })
            .collect();
        let mut outside = Vec::new();
        for a in &c.actions {
            match a.module.and_then(|m| groups.get_mut(m)) {
                Some(g) => g.actions.push(line(a)),
                None => outside.push(line(a)),
            }
        }
        if !outside.is_empty() {
            groups.push(Group {
                heading: "Webhook triggers (always compiled)".to_string(),
                actions: outside,
            });
        }
        groups
    } else {
        vec![Group {
            heading: String::new(),
            actions: c.actions.iter().map(line).collect(),
        }]
    };
    let auth_docs = c
        .auth
        .iter()
        .map(|a| format!("`{}` ({}): `Client::{}`", a.name, a.origin, a.method))
        .collect();
    let description = c
        .description
        .as_deref()
        .map(super::docs::clean)
        .unwrap_or_default();
    let mut out = Readme {
        title: &one_line(&c.title),
        api_version: &one_line(&c.api_version),
        source: &one_line(source),
        description,
        usage,
        base_url,
        auth_docs,
        count: c.actions.len(),
        crate_name,
        crate_version: meta
            .version
            .map(str::to_string)
            .unwrap_or_else(|| semver(&c.api_version)),
        example_feature: c
            .modules
            .list
            .iter()
            .max_by_key(|m| m.actions)
            .map(|m| m.name.clone())
            .unwrap_or_default(),
        groups,
        unused: (c.modules.gated() && c.modules.has_unused())
            .then_some(super::gates::UNUSED_SCHEMAS),
    }
    .render()
    .map_err(|e| e.to_string())?;
    end_with_newline(&mut out);
    Ok(out)
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

/// True for a semver version (`1.2.3`, `1.0.0-beta.1+build`).
pub fn is_semver(s: &str) -> bool {
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
