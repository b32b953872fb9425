//! Postman v1 (flat, linked by id) → the intermediate form, following
//! postman-collection-transformer's v1 → v2.1 rules; requests no order list reaches are
//! appended at the root with a warning, so nothing is lost.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::ir::{
    description, script, text, truthy, variables, Auth, AuthSlot, Body, Collection, Entry, Folder,
    FormPart, Node, Request, SavedResponse, Url,
};
use super::lower_v2::{attributes, auth_slot, header_string, headers, response};
use super::Cx;
use crate::pointer::push;

/// `currentHelper` → v2 auth type.
fn helper_kind(helper: &str) -> Option<&'static str> {
    Some(match helper {
        "basicAuth" => "basic",
        "digestAuth" => "digest",
        "bearerAuth" => "bearer",
        "apikeyAuth" => "apikey",
        "oAuth1" => "oauth1",
        "oAuth2" => "oauth2",
        "hawkAuth" => "hawk",
        "awsSigV4" => "awsv4",
        "ntlmAuth" => "ntlm",
        "edgegridAuth" => "edgegrid",
        "jwtAuth" => "jwt",
        "asapAuth" => "asap",
        _ => return None,
    })
}

struct Index<'a> {
    requests: BTreeMap<String, (usize, &'a Value)>,
    folders: BTreeMap<String, (usize, &'a Value)>,
    used: BTreeSet<String>,
    folders_used: BTreeSet<String>,
    ptr: String,
}

/// Lowers a v1 collection found at `ptr`.
pub(crate) fn lower(doc: &Value, ptr: &str, cx: &mut Cx) -> Collection {
    let mut ix = Index {
        requests: BTreeMap::new(),
        folders: BTreeMap::new(),
        used: BTreeSet::new(),
        folders_used: BTreeSet::new(),
        ptr: ptr.to_string(),
    };
    if let Some(Value::Array(list)) = doc.get("requests") {
        for (i, r) in list.iter().enumerate() {
            let Some(id) = text(r.get("id")) else {
                continue;
            };
            if let Some((first, prev)) = ix.requests.get(&id) {
                if *prev != r {
                    cx.warn(
                        "postman/v1-duplicate-id",
                        format!("request id `{id}` is used by two different requests (the first is /requests/{first}); the second is kept apart"),
                        &push(&push(ptr, "requests"), &i.to_string()),
                    );
                    ix.requests.insert(format!("{id}#{i}"), (i, r));
                }
                continue;
            }
            ix.requests.insert(id, (i, r));
        }
    }
    if let Some(Value::Array(list)) = doc.get("folders") {
        for (i, f) in list.iter().enumerate() {
            if let Some(id) = text(f.get("id")) {
                ix.folders.entry(id).or_insert((i, f));
            }
        }
    }
    let mut c = Collection {
        name: text(doc.get("name")).unwrap_or_else(|| "Postman collection".into()),
        description: description(doc.get("description")),
        version: "v1",
        variables: variables(doc.get("variables")),
        auth: auth_slot(doc.get("auth"), &push(ptr, "auth")),
        items: Vec::new(),
        prerequest: script(doc.get("events"), "prerequest"),
        pointer: ptr.to_string(),
    };
    // Root folders: `folders_order`, else every folder no other folder nests.
    let nested: BTreeSet<String> = ix
        .folders
        .values()
        .flat_map(|(_, f)| ids(f.get("folders_order")))
        .collect();
    let root_folders: Vec<String> = match doc.get("folders_order") {
        Some(Value::Array(_)) => ids(doc.get("folders_order")),
        _ => ix
            .folders
            .values()
            .map(|(i, f)| (*i, text(f.get("id")).unwrap_or_default()))
            .collect::<BTreeMap<usize, String>>()
            .into_values()
            .filter(|id| !nested.contains(id))
            .collect(),
    };
    let mut items = Vec::new();
    for id in root_folders {
        if let Some(f) = folder(&mut ix, &id, 0) {
            items.push(f);
        }
    }
    for id in ids(doc.get("order")) {
        if let Some(r) = take_request(&mut ix, &id) {
            items.push(r);
        }
    }
    // Folders no list reached, then requests no order reached.
    let left: Vec<String> = ix
        .folders
        .keys()
        .filter(|k| !ix.folders_used.contains(*k) && !nested.contains(*k))
        .cloned()
        .collect();
    for id in left {
        if let Some(f) = folder(&mut ix, &id, 0) {
            items.push(f);
        }
    }
    let mut left: Vec<(usize, String)> = ix
        .requests
        .iter()
        .filter(|(k, _)| !ix.used.contains(*k))
        .map(|(k, (i, _))| (*i, k.clone()))
        .collect();
    left.sort();
    for (i, id) in left {
        cx.warn(
            "postman/v1-unreached-request",
            format!("request `{id}` is in no `order` list; it is added at the top level"),
            &push(&push(ptr, "requests"), &i.to_string()),
        );
        if let Some(r) = take_request(&mut ix, &id) {
            items.push(r);
        }
    }
    c.items = items;
    c
}

fn ids(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a.iter().filter_map(|x| text(Some(x))).collect(),
        _ => Vec::new(),
    }
}

fn folder(ix: &mut Index<'_>, id: &str, depth: usize) -> Option<Node> {
    if depth > 64 || !ix.folders_used.insert(id.to_string()) {
        return None;
    }
    let (i, f) = *ix.folders.get(id)?;
    let p = push(&push(&ix.ptr, "folders"), &i.to_string());
    let mut items = Vec::new();
    for sub in ids(f.get("folders_order")) {
        if let Some(n) = folder(ix, &sub, depth + 1) {
            items.push(n);
        }
    }
    for rid in ids(f.get("order")) {
        if let Some(r) = take_request(ix, &rid) {
            items.push(r);
        }
    }
    Some(Node::Folder(Box::new(Folder {
        name: text(f.get("name")).unwrap_or_default(),
        description: description(f.get("description")),
        auth: auth_slot(f.get("auth"), &push(&p, "auth")),
        variables: variables(f.get("variables")),
        prerequest: script(f.get("events"), "prerequest"),
        items,
        pointer: p,
    })))
}

fn take_request(ix: &mut Index<'_>, id: &str) -> Option<Node> {
    if ix.used.contains(id) {
        return None;
    }
    let (i, r) = *ix.requests.get(id)?;
    ix.used.insert(id.to_string());
    let p = push(&push(&ix.ptr, "requests"), &i.to_string());
    Some(Node::Request(Box::new(request(r, &p))))
}

fn request(r: &Value, p: &str) -> Request {
    let mut hs = match r.get("headerData") {
        Some(Value::Array(_)) => headers(r.get("headerData"), &push(p, "headerData")),
        _ => Vec::new(),
    };
    if hs.is_empty() {
        if let Some(Value::String(s)) = r.get("headers") {
            hs = header_string(s, &push(p, "headers"));
        }
    }
    let mut url = Url {
        raw: text(r.get("url")),
        pointer: push(p, "url"),
        ..Url::default()
    };
    // Path variable docs and values.
    if let Some(Value::Array(list)) = r.get("pathVariableData") {
        for (i, v) in list.iter().enumerate() {
            url.variables.push(Entry {
                key: text(v.get("key")),
                value: text(v.get("value")),
                disabled: false,
                description: description(v.get("description")),
                pointer: push(&push(p, "pathVariableData"), &i.to_string()),
            });
        }
    } else if let Some(Value::Object(o)) = r.get("pathVariables") {
        for (k, v) in o {
            url.variables.push(Entry {
                key: Some(k.clone()),
                value: text(Some(v)),
                pointer: push(&push(p, "pathVariables"), k),
                ..Entry::default()
            });
        }
    }
    let auth = match r.get("auth") {
        Some(a) if a.is_object() => auth_slot(Some(a), &push(p, "auth")),
        _ => helper_auth(r, p),
    };
    let mut responses = Vec::new();
    if let Some(Value::Array(list)) = r.get("responses") {
        for (i, resp) in list.iter().enumerate() {
            let rp = push(&push(p, "responses"), &i.to_string());
            let mut saved: SavedResponse = response(resp, &rp);
            if saved.code.is_none() {
                saved.code = resp
                    .get("responseCode")
                    .and_then(|c| c.get("code"))
                    .and_then(Value::as_u64)
                    .and_then(|c| u16::try_from(c).ok());
            }
            if let Some(Value::Object(req)) = resp.get("request") {
                saved.original_body = v1_body(req, &push(&rp, "request"));
            }
            responses.push(saved);
        }
    }
    let prerequest = script(r.get("events"), "prerequest")
        .or_else(|| text(r.get("preRequestScript")).filter(|s| !s.trim().is_empty()));
    Request {
        name: text(r.get("name")).unwrap_or_default(),
        description: description(r.get("description")),
        method: text(r.get("method")).map(|m| m.trim().to_string()),
        url,
        headers: hs,
        body: r.as_object().and_then(|o| v1_body(o, p)),
        auth,
        responses,
        prerequest,
        variables: BTreeMap::new(),
        pointer: p.to_string(),
    }
}

/// `currentHelper` + `helperAttributes` (an object or a JSON string).
fn helper_auth(r: &Value, p: &str) -> AuthSlot {
    let Some(helper) = r.get("currentHelper").and_then(Value::as_str) else {
        return AuthSlot::Inherit;
    };
    let Some(kind) = helper_kind(helper) else {
        return AuthSlot::Inherit;
    };
    let attrs = match r.get("helperAttributes") {
        Some(Value::String(s)) => match serde_json::from_str::<Value>(s) {
            Ok(v) => attributes(Some(&v)),
            Err(_) => return AuthSlot::Null,
        },
        other => attributes(other),
    };
    let mut attrs = attrs;
    attrs.remove("id");
    if let Some(v) = attrs.remove("hawk_id") {
        attrs.insert("authId".into(), v);
    }
    AuthSlot::Auth(Auth {
        kind: kind.to_string(),
        attrs,
        pointer: push(p, "currentHelper"),
    })
}

/// A v1 body: `dataMode` (or the first non-empty of raw → formdata → graphql).
fn v1_body(r: &Map<String, Value>, p: &str) -> Option<Body> {
    let raw = match r.get("rawModeData") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join("\n"),
        _ => String::new(),
    };
    let data = match r.get("data") {
        Some(Value::Array(a)) => a.as_slice(),
        _ => &[],
    };
    let graphql = r.get("graphqlModeData").filter(|g| g.is_object());
    let mode = match r.get("dataMode").and_then(Value::as_str) {
        Some("params") => "formdata".to_string(),
        Some("binary") => "file".to_string(),
        Some(m) => m.to_string(),
        None if !raw.is_empty() => "raw".into(),
        None if !data.is_empty() => "formdata".into(),
        None if graphql.is_some() => "graphql".into(),
        None => return None,
    };
    let dp = push(p, "data");
    let entries: Vec<(usize, &Value)> = data
        .iter()
        .enumerate()
        .filter(|(_, e)| e.is_object())
        .collect();
    let urlencoded = entries
        .iter()
        .map(|(i, e)| Entry {
            key: text(e.get("key")),
            value: text(e.get("value")),
            disabled: e.get("enabled") == Some(&Value::Bool(false)) || truthy(e.get("disabled")),
            description: description(e.get("description")),
            pointer: push(&dp, &i.to_string()),
        })
        .collect();
    let formdata = entries
        .iter()
        .map(|(i, e)| FormPart {
            key: text(e.get("key")),
            value: text(e.get("value")),
            file: e.get("type").and_then(Value::as_str) == Some("file"),
            content_type: text(e.get("contentType")),
            disabled: e.get("enabled") == Some(&Value::Bool(false)) || truthy(e.get("disabled")),
            description: description(e.get("description")),
            pointer: push(&dp, &i.to_string()),
        })
        .collect();
    Some(Body {
        mode,
        raw,
        language: None,
        urlencoded,
        formdata,
        graphql_query: graphql
            .and_then(|g| text(g.get("query")))
            .unwrap_or_default(),
        graphql_variables: graphql
            .and_then(|g| text(g.get("variables")))
            .unwrap_or_default(),
        disabled: truthy(r.get("dataDisabled")),
        pointer: p.to_string(),
    })
}
