//! A request's URL → base URL, OpenAPI path template, path parameters and query items.
//!
//! The structured URL object wins over `raw` (the Postman runtime ignores `raw` when the
//! object has `host`/`path`); string URLs (v1, v2.0) are parsed here.

use std::collections::BTreeMap;

use super::ir::{Entry, Url};
use super::vars;

/// Where a request's base URL comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Base {
    /// `{{X}}` at the start of the URL.
    Variable(String),
    /// A literal origin, `{{var}}`s in it written as `{var}` (`https://{apihost}`).
    Origin(String),
    /// The whole URL is one variable: the method takes the URL as an argument.
    Dynamic(String),
}

/// A path parameter.
#[derive(Clone, Debug)]
pub(crate) struct PathParam {
    pub name: String,
    pub description: Option<String>,
    pub example: Option<String>,
    /// `{{var}}` (a Postman variable) rather than `:name`.
    pub from_variable: bool,
}

/// A parsed URL.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    pub base: Base,
    /// The OpenAPI path template; starts with `/`.
    pub path: String,
    pub path_params: Vec<PathParam>,
    pub query: Vec<Entry>,
    /// Non-fatal problems: (code, message).
    pub notes: Vec<(&'static str, String)>,
}

/// Why a URL cannot be used: (code, message).
pub(crate) type Unusable = (&'static str, String);

fn has_scheme(s: &str) -> Option<usize> {
    let i = s.find("://")?;
    let scheme = &s[..i];
    (!scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(i)
}

/// Splits `s` at the first `sep` outside `{{…}}`.
fn split_outside(s: &str, seps: &[char]) -> (String, Option<(char, String)>) {
    let mut depth = 0usize;
    let mut i = 0;
    while i < s.len() {
        let rest = &s[i..];
        if rest.starts_with("{{") {
            depth += 1;
            i += 2;
            continue;
        }
        if rest.starts_with("}}") && depth > 0 {
            depth -= 1;
            i += 2;
            continue;
        }
        let Some(ch) = rest.chars().next() else { break };
        if depth == 0 && seps.contains(&ch) {
            return (
                s[..i].to_string(),
                Some((ch, s[i + ch.len_utf8()..].to_string())),
            );
        }
        i += ch.len_utf8();
    }
    (s.to_string(), None)
}

/// Parses `a=1&b&c=` into query entries.
fn parse_query(q: &str, pointer: &str) -> Vec<Entry> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = match p.split_once('=') {
                Some((k, v)) => (k, Some(v.to_string())),
                None => (p, None),
            };
            Entry {
                key: Some(percent_decode(k)),
                value: v.map(|v| percent_decode(&v)),
                pointer: pointer.to_string(),
                ..Entry::default()
            }
        })
        .collect()
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Analyses one URL; `known` holds the variables in scope.
pub(crate) fn analyse(url: &Url, known: &BTreeMap<String, String>) -> Result<Target, Unusable> {
    let mut notes = Vec::new();
    // Nested references (`{{a_{{b}}}}`) whose inner variables the collection defines are
    // resolved first, as Postman does; the rest are errors below.
    let unnest = |s: &String| {
        if vars::has_nested(s) {
            vars::resolve(s, known)
        } else {
            s.clone()
        }
    };
    let url = &Url {
        raw: url.raw.as_ref().map(unnest),
        host: url.host.as_ref().map(|h| h.iter().map(unnest).collect()),
        path: url.path.as_ref().map(|h| h.iter().map(unnest).collect()),
        ..url.clone()
    };
    let structured = url.host.is_some() || url.path.is_some();
    let (origin_text, path_pieces, mut query) = if structured {
        let host = url.host.clone().unwrap_or_default().join(".");
        let mut origin = String::new();
        if let Some(p) = url.protocol.as_deref().filter(|p| !p.is_empty()) {
            origin.push_str(p.trim_end_matches(':').trim_end_matches("//"));
            origin.push_str("://");
        }
        origin.push_str(&host);
        if let Some(port) = url.port.as_deref().filter(|p| !p.is_empty()) {
            origin.push(':');
            origin.push_str(port);
        }
        if let Some(raw) = &url.raw {
            let raw_path = raw_parts(raw).map(|(_, p, _)| p).unwrap_or_default();
            let joined = url.path.clone().unwrap_or_default().join("/");
            if !raw_path.trim_start_matches('/').is_empty()
                && raw_path.trim_start_matches('/') != joined.trim_start_matches('/')
            {
                notes.push((
                    "postman/url-raw-mismatch",
                    format!("`raw` (`{raw}`) disagrees with the structured URL; the structured fields are used, as Postman does"),
                ));
            }
        }
        (
            origin,
            url.path.clone().unwrap_or_default(),
            url.query.clone(),
        )
    } else {
        let mut raw = url.raw.as_deref().unwrap_or("").trim().to_string();
        if let Some(rest) = raw.strip_prefix("//").filter(|r| !r.starts_with('/')) {
            // Protocol-relative: Postman sends it over http(s); https is assumed.
            notes.push((
                "postman/url-no-scheme",
                format!("`{raw}` is protocol-relative; `https:` is assumed"),
            ));
            raw = format!("https://{rest}");
        }
        let raw = raw.as_str();
        let Some((origin, path, q)) = raw_parts(raw) else {
            return Err((
                "postman/unusable-url",
                if raw.is_empty() {
                    "the request has an empty URL".to_string()
                } else {
                    format!("`{raw}` is not a URL")
                },
            ));
        };
        let pieces = path
            .trim_start_matches('/')
            .split('/')
            .map(str::to_string)
            .collect::<Vec<_>>();
        let mut query = url.query.clone();
        if query.is_empty() {
            if let Some(q) = q {
                query = parse_query(&q, &url.pointer);
            }
        }
        (
            origin,
            if path.is_empty() { Vec::new() } else { pieces },
            query,
        )
    };
    let origin_text = origin_text.trim().to_string();
    if origin_text.is_empty() {
        return Err(("postman/unusable-url", "the URL has no host".to_string()));
    }
    if vars::has_nested(&origin_text) {
        return Err((
            "postman/nested-variable",
            format!("`{origin_text}`: a nested variable reference cannot be a typed parameter"),
        ));
    }
    let only_var = vars::whole(&origin_text);
    let path_empty = path_pieces.iter().all(|p| p.is_empty());
    let base = match only_var {
        Some(v) if has_scheme(&origin_text).is_none() => {
            if path_empty && query.is_empty() {
                Base::Dynamic(v)
            } else {
                Base::Variable(v)
            }
        }
        _ => {
            let mut o = origin_text.clone();
            if has_scheme(&o).is_none() {
                if o.starts_with("{{") {
                    // `{{host}}:8080`, `{{tenant}}.example.com`: a host template.
                    notes.push((
                        "postman/url-no-scheme",
                        format!("`{origin_text}` has no scheme; `https://` is assumed"),
                    ));
                    o = format!("https://{o}");
                } else {
                    notes.push((
                        "postman/url-no-scheme",
                        format!("`{origin_text}` has no scheme; `http://` is assumed"),
                    ));
                    o = format!("http://{o}");
                }
            }
            let outside: String = vars::pieces(&o)
                .into_iter()
                .filter_map(|p| match p {
                    vars::Piece::Text(t) => Some(t),
                    vars::Piece::Var(_) => None,
                })
                .collect();
            if outside.contains(['<', '>', ' ']) {
                return Err((
                    "postman/unusable-url",
                    format!("`{origin_text}` is not a URL (placeholder text?)"),
                ));
            }
            // The literal text must make a base URL (variables stand for a host label):
            // no userinfo, query, fragment or other scheme (see `crate::routing`).
            let shape: String = vars::pieces(&o)
                .into_iter()
                .map(|p| match p {
                    vars::Piece::Text(t) => t,
                    vars::Piece::Var(_) => "x".to_string(),
                })
                .collect();
            if let Err(p) = crate::routing::check_base_url(&shape) {
                return Err(("postman/unsafe-url", p.message));
            }
            Base::Origin(vars::to_braces(&o))
        }
    };
    // Path segments.
    let mut path = String::new();
    let mut params: Vec<PathParam> = Vec::new();
    let n = path_pieces.len();
    for (i, seg) in path_pieces.iter().enumerate() {
        if seg.is_empty() && i + 1 < n {
            continue;
        }
        path.push('/');
        if seg.is_empty() {
            continue; // trailing slash kept
        }
        if let Err(p) = crate::routing::check_path(seg) {
            return Err(("postman/unsafe-url", p.message));
        }
        if vars::has_nested(seg) {
            return Err((
                "postman/nested-variable",
                format!(
                    "path segment `{seg}`: a nested variable reference cannot be a typed parameter"
                ),
            ));
        }
        if let Some(rest) = seg.strip_prefix(':') {
            let (name, suffix) = match rest.find('.') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            };
            if name.is_empty() {
                path.push_str(seg);
                continue;
            }
            let name = claim(&mut params, name, false, &mut notes);
            path.push('{');
            path.push_str(&name);
            path.push('}');
            path.push_str(suffix);
            continue;
        }
        let mut out = String::new();
        for piece in vars::pieces(seg) {
            match piece {
                vars::Piece::Text(t) => {
                    if t.contains(['{', '}']) {
                        // A literal `{name}`: Postman would send it as written.
                        let name = t.trim_matches(|c| c == '{' || c == '}');
                        if t.starts_with('{')
                            && t.ends_with('}')
                            && !name.is_empty()
                            && !name.contains(['{', '}'])
                        {
                            notes.push((
                                "postman/literal-braces",
                                format!("path segment `{t}` is written with braces; it is read as path parameter `{name}` (Postman would send it literally)"),
                            ));
                            let name = claim(&mut params, name, false, &mut notes);
                            out.push('{');
                            out.push_str(&name);
                            out.push('}');
                        } else {
                            out.push_str(&t.replace(['{', '}'], ""));
                        }
                    } else {
                        out.push_str(&t);
                    }
                }
                vars::Piece::Var(v) => {
                    let name = claim(&mut params, &v, true, &mut notes);
                    out.push('{');
                    out.push_str(&name);
                    out.push('}');
                }
            }
        }
        path.push_str(&out);
    }
    if path.is_empty() {
        path.push('/');
    }
    // Docs and examples of path variables.
    for v in &url.variables {
        let Some(key) = &v.key else { continue };
        if let Some(p) = params.iter_mut().find(|p| &p.name == key) {
            p.description = v.description.clone();
            p.example = v.value.clone().filter(|s| !s.is_empty());
        }
    }
    // A value-less query item named like a path variable documents it.
    query.retain(|q| {
        let doc_only = q.value.as_deref().unwrap_or("").is_empty()
            && q.key
                .as_ref()
                .is_some_and(|k| params.iter().any(|p| &p.name == k));
        if doc_only {
            notes.push((
                "postman/query-documents-path-variable",
                format!(
                    "query item `{}` has no value and names a path variable; it is read as that variable's documentation",
                    q.key.as_deref().unwrap_or("")
                ),
            ));
        }
        !doc_only
    });
    Ok(Target {
        base,
        path,
        path_params: params,
        query,
        notes,
    })
}

/// A unique path parameter name (`id`, `id_2`…).
fn claim(
    params: &mut Vec<PathParam>,
    name: &str,
    from_variable: bool,
    notes: &mut Vec<(&'static str, String)>,
) -> String {
    let clean: String = name.replace(['{', '}', '/'], "");
    let mut candidate = clean.clone();
    let mut n = 2;
    while params.iter().any(|p| p.name == candidate) {
        candidate = format!("{clean}_{n}");
        n += 1;
    }
    if candidate != clean {
        notes.push((
            "postman/path-parameter-collision",
            format!(
                "path parameter `{clean}` appears twice in one path; the second is `{candidate}`"
            ),
        ));
    }
    params.push(PathParam {
        name: candidate.clone(),
        description: None,
        example: None,
        from_variable,
    });
    candidate
}

/// A raw URL → (origin text, path, query text), without the `#hash`.
fn raw_parts(raw: &str) -> Option<(String, String, Option<String>)> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let (no_hash, _) = split_outside(raw, &['#']);
    let (before_q, q) = split_outside(&no_hash, &['?']);
    let q = q.map(|(_, q)| q);
    let (scheme, rest) = match has_scheme(&before_q) {
        Some(i) => (before_q[..i + 3].to_string(), before_q[i + 3..].to_string()),
        None => (String::new(), before_q.clone()),
    };
    let (host, path) = split_outside(&rest, &['/']);
    let path = path.map(|(_, p)| format!("/{p}")).unwrap_or_default();
    Some((format!("{scheme}{host}"), path, q))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(s: &str) -> Target {
        let url = Url {
            raw: Some(s.to_string()),
            ..Url::default()
        };
        analyse(&url, &BTreeMap::new()).unwrap_or_else(|e| panic!("{s}: {e:?}"))
    }

    #[test]
    fn string_urls() {
        let t = raw("{{baseUrl}}/users/:id.json/{{v}}/items?limit=10&flag#frag");
        assert_eq!(t.base, Base::Variable("baseUrl".into()));
        assert_eq!(t.path, "/users/{id}.json/{v}/items");
        let names: Vec<&str> = t.path_params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["id", "v"]);
        let q: Vec<(Option<&str>, Option<&str>)> = t
            .query
            .iter()
            .map(|e| (e.key.as_deref(), e.value.as_deref()))
            .collect();
        assert_eq!(q, [(Some("limit"), Some("10")), (Some("flag"), None)]);

        let t = raw("https://{{apihost}}:8443/v{{version}}/a/");
        assert_eq!(t.base, Base::Origin("https://{apihost}:8443".into()));
        assert_eq!(t.path, "/v{version}/a/");

        let t = raw("localhost:3000/x");
        assert_eq!(t.base, Base::Origin("http://localhost:3000".into()));
        assert_eq!(t.notes[0].0, "postman/url-no-scheme");

        let t = raw("//api.example.com/v1/x");
        assert_eq!(t.base, Base::Origin("https://api.example.com".into()));
        assert_eq!(t.path, "/v1/x");

        assert_eq!(raw("{{signedUrl}}").base, Base::Dynamic("signedUrl".into()));
        assert_eq!(raw("{{url}}").path, "/");
    }

    #[test]
    fn structured_urls_win_over_raw() {
        let url = Url {
            raw: Some("https://wrong.example.com/other".into()),
            protocol: Some("https".into()),
            host: Some(vec!["api".into(), "example".into(), "com".into()]),
            path: Some(vec!["a".into(), ":b".into(), "{c}".into(), "a".into()]),
            ..Url::default()
        };
        let t = analyse(&url, &BTreeMap::new()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(t.base, Base::Origin("https://api.example.com".into()));
        assert_eq!(t.path, "/a/{b}/{c}/a");
        let codes: Vec<&str> = t.notes.iter().map(|n| n.0).collect();
        assert!(codes.contains(&"postman/url-raw-mismatch"), "{codes:?}");
        assert!(codes.contains(&"postman/literal-braces"), "{codes:?}");
    }

    #[test]
    fn unusable_urls_and_nesting() {
        for bad in ["", "   ", "<insert the URL here>"] {
            let url = Url {
                raw: Some(bad.into()),
                ..Url::default()
            };
            assert!(analyse(&url, &BTreeMap::new()).is_err(), "{bad:?}");
        }
        let url = Url {
            raw: Some("{{base}}/{{a_{{b}}}}".into()),
            ..Url::default()
        };
        assert_eq!(
            analyse(&url, &BTreeMap::new()).err().map(|e| e.0),
            Some("postman/nested-variable")
        );
        // Defined inner variables are resolved first, as Postman does.
        let vars = BTreeMap::from([("b".to_string(), "x".to_string())]);
        let t = analyse(&url, &vars).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(t.path, "/{a_x}");
    }
}
