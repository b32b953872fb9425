//! Postman v2.0 / v2.1 (and the SDK's `toJSON` shape) → the intermediate form.
//!
//! Both versions share one tree; the only semantic difference (auth attributes as an object
//! in 2.0, a `[{key, value}]` list in 2.1) is accepted in either form on every node.

use std::collections::BTreeMap;

use serde_json::Value;

use super::ir::{
    description, script, text, truthy, variables, Auth, AuthSlot, Body, Collection, Entry, Folder,
    FormPart, Node, Request, SavedResponse, Url,
};
use super::Cx;
use crate::pointer::push;

/// Lowers a v2.x collection found at `ptr` (`""`, or `/collection` for the envelope).
pub(crate) fn lower(doc: &Value, ptr: &str, cx: &mut Cx) -> Collection {
    let info = doc.get("info");
    let schema = info
        .and_then(|i| i.get("schema").or_else(|| i.get("_postman_schema")))
        .and_then(Value::as_str)
        .unwrap_or("");
    let version = if schema.contains("v2.1") {
        "v2.1"
    } else if schema.contains("v2.0") || schema.contains("/v2/") || schema.contains("#2.0") {
        "v2.0"
    } else {
        cx.warn(
            "postman/version-guessed",
            if info.is_none() {
                "the collection has `item` but no `info` (the SDK's toJSON shape); it is read as v2.x".to_string()
            } else {
                "`info.schema` names no Postman collection version; the file is read as v2.x".to_string()
            },
            &push(ptr, "info"),
        );
        "2.x"
    };
    let name = info
        .and_then(|i| text(i.get("name")))
        .or_else(|| text(doc.get("name")))
        .unwrap_or_else(|| "Postman collection".to_string());
    let mut c = Collection {
        name,
        description: description(info.and_then(|i| i.get("description")))
            .or_else(|| description(doc.get("description"))),
        version,
        variables: variables(doc.get("variable")),
        auth: auth_slot(doc.get("auth"), &push(ptr, "auth")),
        items: Vec::new(),
        prerequest: script(doc.get("event"), "prerequest"),
        pointer: ptr.to_string(),
    };
    c.items = items(doc.get("item"), &push(ptr, "item"), cx);
    if version == "v2.1" || version == "v2.0" {
        auth_forms(doc, ptr, version, cx);
    }
    c
}

/// Warns about auth attributes written in the other version's form (an object in a v2.1
/// file, a list in a v2.0 file); both are read.
fn auth_forms(v: &Value, ptr: &str, version: &str, cx: &mut Cx) {
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                let p = push(ptr, k);
                if k == "auth" {
                    if let Some(kind) = child.get("type").and_then(Value::as_str) {
                        let attrs = child.get(kind);
                        let wrong = match version {
                            "v2.1" => attrs.is_some_and(Value::is_object),
                            _ => attrs.is_some_and(Value::is_array),
                        };
                        if wrong {
                            cx.warn(
                                "postman/schema",
                                format!(
                                    "`{kind}` auth attributes are written in the {} form in a {version} collection; they are read anyway",
                                    if version == "v2.1" { "v2.0 object" } else { "v2.1 list" }
                                ),
                                &push(&p, kind),
                            );
                        }
                    }
                    continue;
                }
                if k == "item" || k.parse::<usize>().is_ok() || child.is_array() || k == "request" {
                    auth_forms(child, &p, version, cx);
                }
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                auth_forms(child, &push(ptr, &i.to_string()), version, cx);
            }
        }
        _ => {}
    }
}

fn items(v: Option<&Value>, ptr: &str, cx: &mut Cx) -> Vec<Node> {
    let mut out = Vec::new();
    let list = match v {
        Some(Value::Array(a)) => a,
        Some(Value::Null) | None => return out,
        Some(_) => {
            cx.warn("postman/schema", "`item` is not a list; it is ignored", ptr);
            return out;
        }
    };
    for (i, it) in list.iter().enumerate() {
        let p = push(ptr, &i.to_string());
        if !it.is_object() {
            cx.warn(
                "postman/schema",
                "an item that is not an object is ignored",
                &p,
            );
            continue;
        }
        if it.get("item").is_some() && it.get("request").is_none() {
            out.push(Node::Folder(Box::new(Folder {
                name: text(it.get("name")).unwrap_or_default(),
                description: description(it.get("description")),
                auth: auth_slot(it.get("auth"), &push(&p, "auth")),
                variables: variables(it.get("variable")),
                prerequest: script(it.get("event"), "prerequest"),
                items: items(it.get("item"), &push(&p, "item"), cx),
                pointer: p,
            })));
        } else if it.get("request").is_some() {
            out.push(Node::Request(Box::new(request(it, &p))));
        } else {
            cx.warn(
                "postman/schema",
                "an item with neither `request` nor `item` is ignored",
                &p,
            );
        }
    }
    out
}

fn request(it: &Value, p: &str) -> Request {
    let rp = push(p, "request");
    let req = it.get("request");
    let (url, method, headers, body, auth, desc) = match req {
        Some(Value::String(s)) => (
            Url {
                raw: Some(s.clone()),
                pointer: rp.clone(),
                ..Url::default()
            },
            None,
            Vec::new(),
            None,
            AuthSlot::Inherit,
            None,
        ),
        Some(r) => (
            url(r.get("url"), &push(&rp, "url")),
            text(r.get("method")).map(|m| m.trim().to_string()),
            headers(r.get("header"), &push(&rp, "header")),
            r.get("body")
                .filter(|b| b.is_object())
                .map(|b| body(b, &push(&rp, "body"))),
            auth_slot(r.get("auth"), &push(&rp, "auth")),
            description(r.get("description")),
        ),
        None => (
            Url::default(),
            None,
            Vec::new(),
            None,
            AuthSlot::Inherit,
            None,
        ),
    };
    let mut responses = Vec::new();
    if let Some(Value::Array(list)) = it.get("response") {
        for (i, r) in list.iter().enumerate() {
            responses.push(response(r, &push(&push(p, "response"), &i.to_string())));
        }
    }
    Request {
        name: text(it.get("name")).unwrap_or_default(),
        description: desc.or_else(|| description(it.get("description"))),
        method,
        url,
        headers,
        body,
        auth,
        responses,
        prerequest: script(it.get("event"), "prerequest"),
        variables: variables(it.get("variable")),
        pointer: p.to_string(),
    }
}

/// A saved response.
pub(crate) fn response(r: &Value, p: &str) -> SavedResponse {
    let code = match r.get("code") {
        Some(Value::Number(n)) => n.as_u64().and_then(|c| u16::try_from(c).ok()),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    let original_body = r
        .get("originalRequest")
        .and_then(|o| o.get("body"))
        .filter(|b| b.is_object())
        .map(|b| body(b, &push(&push(p, "originalRequest"), "body")));
    SavedResponse {
        name: text(r.get("name")).unwrap_or_default(),
        code,
        headers: headers(r.get("header"), &push(p, "header")),
        body: text(r.get("body")).or_else(|| text(r.get("text"))),
        preview_language: text(r.get("_postman_previewlanguage")),
        original_body,
        pointer: p.to_string(),
    }
}

/// Auth on a node: missing → inherit; `null` → inherit (noted); `noauth` → none.
pub(crate) fn auth_slot(v: Option<&Value>, ptr: &str) -> AuthSlot {
    match v {
        None => AuthSlot::Inherit,
        Some(Value::Null) => AuthSlot::Null,
        Some(Value::Object(o)) => {
            let kind = text(o.get("type"))
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            if kind.is_empty() || kind == "noauth" {
                return if kind.is_empty() {
                    AuthSlot::Null
                } else {
                    AuthSlot::NoAuth
                };
            }
            let attrs = attributes(o.get(kind.as_str()).or_else(|| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&kind))
                    .map(|(_, v)| v)
            }));
            AuthSlot::Auth(Auth {
                kind,
                attrs,
                pointer: ptr.to_string(),
            })
        }
        Some(_) => AuthSlot::Null,
    }
}

/// Auth attributes: a v2.0 object or a v2.1 `[{key, value}]` list, both as a map.
pub(crate) fn attributes(v: Option<&Value>) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    match v {
        Some(Value::Object(o)) => {
            for (k, v) in o {
                out.insert(k.clone(), v.clone());
            }
        }
        Some(Value::Array(list)) => {
            for e in list {
                if let Some(k) = text(e.get("key")) {
                    out.insert(k, e.get("value").cloned().unwrap_or(Value::Null));
                }
            }
        }
        _ => {}
    }
    out
}

/// Headers: a list of `{key, value, disabled}` or one `Key: value\n` string.
pub(crate) fn headers(v: Option<&Value>, ptr: &str) -> Vec<Entry> {
    match v {
        Some(Value::Array(_)) => entries(v, ptr),
        Some(Value::String(s)) => header_string(s, ptr),
        _ => Vec::new(),
    }
}

/// `Key: value` lines; a `//` prefix disables a line.
pub(crate) fn header_string(s: &str, ptr: &str) -> Vec<Entry> {
    let mut out = Vec::new();
    for line in s.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (disabled, line) = match line.strip_prefix("//") {
            Some(rest) => (true, rest.trim_start()),
            None => (false, line),
        };
        let Some((k, v)) = line.split_once(':') else {
            continue;
        };
        out.push(Entry {
            key: Some(k.trim().to_string()),
            value: Some(v.trim().to_string()),
            disabled,
            description: None,
            pointer: ptr.to_string(),
        });
    }
    out
}

/// A list of key/value entries.
pub(crate) fn entries(v: Option<&Value>, ptr: &str) -> Vec<Entry> {
    let Some(Value::Array(list)) = v else {
        return Vec::new();
    };
    list.iter()
        .enumerate()
        .filter(|(_, e)| e.is_object())
        .map(|(i, e)| Entry {
            key: text(e.get("key")),
            value: text(e.get("value")),
            disabled: truthy(e.get("disabled")) || e.get("enabled") == Some(&Value::Bool(false)),
            description: description(e.get("description")),
            pointer: push(ptr, &i.to_string()),
        })
        .collect()
}

/// Strings from a string (split on `sep`) or a list (strings and `{value}` objects).
fn parts(v: Option<&Value>, sep: char) -> Option<Vec<String>> {
    match v? {
        Value::String(s) => Some(
            s.trim_start_matches(sep)
                .split(sep)
                .map(str::to_string)
                .collect(),
        ),
        Value::Array(a) => Some(
            a.iter()
                .filter_map(|p| match p {
                    Value::Object(o) => text(o.get("value")),
                    other => text(Some(other)),
                })
                .collect(),
        ),
        _ => None,
    }
}

/// A URL: a string, or an object (structured fields win over `raw`).
pub(crate) fn url(v: Option<&Value>, ptr: &str) -> Url {
    match v {
        Some(Value::String(s)) => Url {
            raw: Some(s.clone()),
            pointer: ptr.to_string(),
            ..Url::default()
        },
        Some(Value::Object(o)) => {
            let host = match o.get("host") {
                Some(Value::String(s)) => Some(split_host(s)),
                other => parts(other, '.'),
            };
            Url {
                raw: text(o.get("raw")),
                protocol: text(o.get("protocol")),
                host,
                port: text(o.get("port")),
                path: parts(o.get("path"), '/'),
                query: entries(o.get("query"), &push(ptr, "query")),
                variables: entries(o.get("variable"), &push(ptr, "variable")),
                pointer: ptr.to_string(),
            }
        }
        _ => Url {
            pointer: ptr.to_string(),
            ..Url::default()
        },
    }
}

/// Splits a host on `.` outside `{{…}}`.
pub(crate) fn split_host(s: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut depth = 0usize;
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if s[i..].starts_with("{{") {
            depth += 1;
            if let Some(last) = out.last_mut() {
                last.push_str("{{");
            }
            i += 2;
            continue;
        }
        if s[i..].starts_with("}}") && depth > 0 {
            depth -= 1;
            if let Some(last) = out.last_mut() {
                last.push_str("}}");
            }
            i += 2;
            continue;
        }
        let Some(ch) = s[i..].chars().next() else {
            break;
        };
        if ch == '.' && depth == 0 {
            out.push(String::new());
        } else if let Some(last) = out.last_mut() {
            last.push(ch);
        }
        i += ch.len_utf8();
    }
    out
}

/// A request body.
pub(crate) fn body(b: &Value, ptr: &str) -> Body {
    let mode = text(b.get("mode")).unwrap_or_default();
    let raw = match b.get("raw") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    };
    let language = b
        .get("options")
        .and_then(|o| o.get("raw"))
        .and_then(|r| text(r.get("language")));
    let formdata = match b.get("formdata") {
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .filter(|(_, e)| e.is_object())
            .map(|(i, e)| FormPart {
                key: text(e.get("key")),
                value: text(e.get("value")),
                file: e.get("type").and_then(Value::as_str) == Some("file"),
                content_type: text(e.get("contentType")),
                disabled: truthy(e.get("disabled")),
                description: description(e.get("description")),
                pointer: push(&push(ptr, "formdata"), &i.to_string()),
            })
            .collect(),
        _ => Vec::new(),
    };
    let (graphql_query, graphql_variables) = match b.get("graphql") {
        Some(g) => (
            text(g.get("query")).unwrap_or_default(),
            match g.get("variables") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            },
        ),
        None => (String::new(), String::new()),
    };
    Body {
        mode,
        raw,
        language,
        urlencoded: entries(b.get("urlencoded"), &push(ptr, "urlencoded")),
        formdata,
        graphql_query,
        graphql_variables,
        disabled: truthy(b.get("disabled")),
        pointer: ptr.to_string(),
    }
}
