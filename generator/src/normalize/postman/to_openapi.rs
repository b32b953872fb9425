//! The intermediate form → one OpenAPI 3.0 document.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};

use super::auth::{Resolved, Schemes};
use super::body::{self, Note};
use super::infer::{scalar_kind, to_schema, Kind, Ty};
use super::intern::Components;
use super::ir::{Auth, AuthSlot, Collection, Entry, Node, Request};
use super::names::{self, Wanted};
use super::url::{self, Base, Target};
use super::{vars, Cx};
use crate::pointer::push;

const SLOTS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The effective auth of a request.
#[derive(Clone, Copy)]
enum Eff<'a> {
    Nothing,
    NoAuth,
    Auth(&'a Auth),
}

/// A request with what it inherits.
struct Flat<'a> {
    req: &'a Request,
    folders: Vec<&'a str>,
    auth: Eff<'a>,
    vars: BTreeMap<String, String>,
    /// Pointers of the collection/folder/request whose pre-request script changes the request.
    signing_scripts: Vec<String>,
}

impl Flat<'_> {
    fn item_path(&self) -> String {
        let mut parts: Vec<&str> = self.folders.clone();
        parts.push(if self.req.name.is_empty() {
            "(unnamed)"
        } else {
            &self.req.name
        });
        parts.join(" / ")
    }
}

fn changes_request(script: &str) -> bool {
    [
        "pm.request.headers.add",
        "pm.request.headers.upsert",
        "pm.request.addHeader",
        "pm.request.url",
        "pm.request.body",
        "CryptoJS.Hmac",
        "request.headers[",
    ]
    .iter()
    .any(|m| script.contains(m))
}

fn flatten<'a>(
    items: &'a [Node],
    folders: &[&'a str],
    auth: Eff<'a>,
    vars: &BTreeMap<String, String>,
    scripts: &[String],
    out: &mut Vec<Flat<'a>>,
) {
    for node in items {
        match node {
            Node::Folder(f) => {
                let mut fs = folders.to_vec();
                fs.push(f.name.as_str());
                let a = inherit(&f.auth, auth);
                let mut v = vars.clone();
                v.extend(f.variables.clone());
                let mut s = scripts.to_vec();
                if f.prerequest.as_deref().is_some_and(changes_request) {
                    s.push(f.pointer.clone());
                }
                flatten(&f.items, &fs, a, &v, &s, out);
            }
            Node::Request(r) => {
                let mut v = vars.clone();
                v.extend(r.variables.clone());
                let mut s = scripts.to_vec();
                if r.prerequest.as_deref().is_some_and(changes_request) {
                    s.push(r.pointer.clone());
                }
                out.push(Flat {
                    req: r,
                    folders: folders.to_vec(),
                    auth: inherit(&r.auth, auth),
                    vars: v,
                    signing_scripts: s,
                });
            }
        }
    }
}

fn inherit<'a>(slot: &'a AuthSlot, parent: Eff<'a>) -> Eff<'a> {
    match slot {
        AuthSlot::Inherit | AuthSlot::Null => parent,
        AuthSlot::NoAuth => Eff::NoAuth,
        AuthSlot::Auth(a) => Eff::Auth(a),
    }
}

/// An RFC 7230 token.
fn valid_method(m: &str) -> bool {
    !m.is_empty()
        && m.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// One request that made it through URL and method checks.
struct Prepared<'a> {
    flat: Flat<'a>,
    method: String,
    target: Target,
}

/// Builds the document.
pub(crate) fn document(c: &Collection, cx: &mut Cx) -> Value {
    let mut flats = Vec::new();
    let root_auth = inherit(&c.auth, Eff::Nothing);
    let mut root_scripts = Vec::new();
    if c.prerequest.as_deref().is_some_and(changes_request) {
        root_scripts.push(c.pointer.clone());
    }
    flatten(
        &c.items,
        &[],
        root_auth,
        &c.variables,
        &root_scripts,
        &mut flats,
    );
    if flats.is_empty() {
        cx.warn(
            "postman/no-requests",
            format!("the collection `{}` holds no requests (only auth or variables?); the client has no methods", c.name),
            &c.pointer,
        );
    }

    // URLs and methods; unusable requests are dropped with an error.
    let mut prepared: Vec<Prepared<'_>> = Vec::new();
    for flat in flats {
        let r = flat.req;
        let method = match r.method.as_deref().map(str::trim) {
            None | Some("") => {
                cx.warn(
                    "postman/missing-method",
                    format!(
                        "in `{}`: the request has no method; GET is used",
                        flat.item_path()
                    ),
                    &r.pointer,
                );
                "GET".to_string()
            }
            Some(m) if valid_method(m) => m.to_ascii_uppercase(),
            Some(m) => {
                cx.error(
                    "postman/invalid-method",
                    format!(
                        "request `{}` is dropped: `{m}` is not a valid HTTP method token",
                        flat.item_path()
                    ),
                    &push(&push(&r.pointer, "request"), "method"),
                );
                continue;
            }
        };
        match url::analyse(&r.url, &flat.vars) {
            Ok(target) => {
                for (code, msg) in &target.notes {
                    cx.warn(
                        code,
                        format!("in `{}`: {msg}", flat.item_path()),
                        &r.url.pointer,
                    );
                }
                prepared.push(Prepared {
                    flat,
                    method,
                    target,
                });
            }
            Err((code, msg)) => {
                cx.error(
                    code,
                    format!("request `{}` is dropped: {msg}", flat.item_path()),
                    &r.url.pointer,
                );
            }
        }
    }

    // Base URLs: a variable used as a base elsewhere is a base, not a dynamic URL.
    let base_vars: BTreeSet<String> = prepared
        .iter()
        .filter_map(|p| match &p.target.base {
            Base::Variable(v) => Some(v.clone()),
            _ => None,
        })
        .collect();
    for p in &mut prepared {
        if let Base::Dynamic(v) = &p.target.base {
            if base_vars.contains(v) || p.flat.vars.get(v).is_some_and(|x| x.contains("://")) {
                p.target.base = Base::Variable(v.clone());
            }
        }
    }
    let mut usage: BTreeMap<Base, (usize, usize)> = BTreeMap::new();
    for (i, p) in prepared.iter().enumerate() {
        if matches!(p.target.base, Base::Dynamic(_)) {
            continue;
        }
        let e = usage.entry(p.target.base.clone()).or_insert((0, i));
        e.0 += 1;
    }
    let mut bases: Vec<(Base, usize, usize)> =
        usage.into_iter().map(|(b, (n, i))| (b, n, i)).collect();
    bases.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.cmp(&b.2)));
    let servers: Vec<(Base, Value)> = bases
        .iter()
        .map(|(b, _, first)| {
            let ptr = prepared
                .get(*first)
                .map(|p| p.flat.req.url.pointer.clone())
                .unwrap_or_default();
            let mut s = server(b, &c.variables, &ptr, cx);
            s["x-connectorkit-base-name"] = json!(base_name(b));
            s["x-connectorkit-pointer"] = json!(ptr);
            (b.clone(), s)
        })
        .collect();

    // Names.
    let wanted: Vec<Wanted> = prepared
        .iter()
        .map(|p| Wanted {
            base: names::pinned(&p.flat.req.name, p.flat.req.description.as_deref())
                .map(|(id, _)| id)
                .unwrap_or_else(|| names::base_name(&p.flat.req.name, &p.method, &p.target.path)),
            folders: p.flat.folders.iter().map(|s| s.to_string()).collect(),
            method: p.method.to_ascii_lowercase(),
        })
        .collect();
    let (op_names, renames) = names::dedupe(&wanted);
    if !renames.is_empty() {
        let list: Vec<String> = renames
            .iter()
            .take(20)
            .map(|(i, from, to)| {
                let path = prepared
                    .get(*i)
                    .map(|p| p.flat.item_path())
                    .unwrap_or_default();
                format!("`{path}`: `{from}` → `{to}`")
            })
            .collect();
        let more = if renames.len() > 20 {
            format!(" and {} more", renames.len() - 20)
        } else {
            String::new()
        };
        cx.warn(
            "postman/name-collision",
            format!(
                "{} request names collide in snake_case and were qualified: {}{more}",
                renames.len(),
                list.join(", ")
            ),
            &c.pointer,
        );
    }

    let mut schemes = Schemes::default();
    let mut comps = Components::default();
    let mut paths: Map<String, Value> = Map::new();
    // Each tag with its folders (a nested folder's tag is `A / B`).
    let mut tags: Vec<(String, Vec<String>)> = Vec::new();
    let mut unsupported: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    let mut scripts_seen: BTreeSet<String> = BTreeSet::new();
    let default_base = servers.first().map(|(b, _)| b.clone());
    for (p, name) in prepared.iter().zip(op_names) {
        let flat = &p.flat;
        let r = flat.req;
        let item = flat.item_path();
        let mut notes: Vec<Note> = Vec::new();
        let mut op = Map::new();
        if !flat.folders.is_empty() {
            let tag = flat.folders.join(" / ");
            if !tags.iter().any(|(t, _)| t == &tag) {
                tags.push((
                    tag.clone(),
                    flat.folders.iter().map(|f| f.to_string()).collect(),
                ));
            }
            op.insert("tags".into(), json!([tag]));
        }
        let summary = names::pinned(&r.name, None)
            .map(|(_, rest)| rest)
            .unwrap_or_else(|| r.name.trim().to_string());
        if !summary.is_empty() {
            op.insert("summary".into(), json!(summary));
        }
        op.insert("operationId".into(), json!(name));
        let mut description = r.description.clone().unwrap_or_default();

        // Auth.
        // Entries auth was inferred from: (pointer, lower-case key). Entries parsed from one
        // string share a pointer, so the key decides too.
        let mut drop_entries: Vec<(String, String)> = Vec::new();
        let mut auth_header = false;
        let security = match flat.auth {
            Eff::Auth(a) => match schemes.resolve(a, &flat.vars) {
                Resolved::Scheme(s) => {
                    auth_header = true;
                    Some(s)
                }
                Resolved::Unsupported(kind) => {
                    let e = unsupported
                        .entry(kind.clone())
                        .or_insert_with(|| (a.pointer.clone(), Vec::new()));
                    e.1.push(item.clone());
                    op.insert("x-postman-auth".into(), json!(kind));
                    description.push_str(&format!("\n\nThe collection authenticates this request with Postman's `{kind}` auth, which the generated client does not compute: the request is sent without it unless a `connectorkit::Hook` (`ClientBuilder::hook`) signs it."));
                    None
                }
            },
            Eff::Nothing | Eff::NoAuth => match schemes.infer(&r.headers, &p.target.query) {
                Some((s, drops, note)) => {
                    notes.push(("postman/auth-inferred", note, r.pointer.clone()));
                    drop_entries = drops;
                    auth_header = true;
                    Some(s)
                }
                None => None,
            },
        };
        op.insert(
            "security".into(),
            match &security {
                Some(s) => json!([{ s: [] }]),
                None => json!([]),
            },
        );
        for s in &flat.signing_scripts {
            if scripts_seen.insert(s.clone()) {
                cx.warn(
                    "postman/script-signs-request",
                    format!("in `{item}`: a pre-request script changes the request (headers, URL or an HMAC signature); scripts are not run, so the generated client sends the request unsigned"),
                    s,
                );
            }
        }
        if !flat.signing_scripts.is_empty() {
            description.push_str("\n\nIn the collection a pre-request script changes this request (a signature or computed headers); the generated client does not run scripts.");
        }

        // Parameters.
        let mut params: Vec<Value> = Vec::new();
        for pp in &p.target.path_params {
            let example = pp.example.clone().or_else(|| {
                pp.from_variable
                    .then(|| flat.vars.get(&pp.name).cloned())
                    .flatten()
                    .filter(|v| !v.is_empty() && !v.contains("{{"))
            });
            let kind = example
                .as_deref()
                .map(scalar_kind)
                .unwrap_or(Kind::Str(None));
            let mut schema = to_schema(
                &Ty {
                    kind,
                    nullable: false,
                },
                "",
                &mut comps,
            );
            if let (Some(e), Value::Object(m)) = (&example, &mut schema) {
                m.insert("example".into(), typed_example(e, m.get("type")));
            }
            let mut param =
                json!({"name": pp.name, "in": "path", "required": true, "schema": schema});
            if let Some(d) = &pp.description {
                param["description"] = json!(d);
            }
            params.push(param);
        }
        let mut dynamic_url = None;
        let mut path = p.target.path.clone();
        if let Base::Dynamic(v) = &p.target.base {
            let pname = v.replace(['{', '}', '/'], "");
            path = format!("/{{{pname}}}");
            params.push(json!({"name": pname, "in": "path", "required": true,
                "description": format!("The whole request URL (`{{{{{v}}}}}` in the collection)."),
                "schema": {"type": "string", "format": "uri"}}));
            dynamic_url = Some(pname);
            notes.push(("postman/dynamic-url", format!("the URL is the single variable `{{{{{v}}}}}`; the method takes the URL as an argument"), r.url.pointer.clone()));
        }
        // Query.
        let mut seen_query: BTreeMap<String, usize> = BTreeMap::new();
        for q in &p.target.query {
            if q.key.as_deref().is_some_and(|k| {
                drop_entries.contains(&(q.pointer.clone(), k.to_ascii_lowercase()))
            }) {
                continue;
            }
            let Some(key) = q.key.as_deref().filter(|k| !k.is_empty()) else {
                notes.push((
                    "postman/query-without-key",
                    "a query item has no key; it is skipped".into(),
                    q.pointer.clone(),
                ));
                continue;
            };
            if let Some(&i) = seen_query.get(key) {
                if let Some(prev) = params.get_mut(i) {
                    let items = prev["schema"].clone();
                    if items.get("type") != Some(&json!("array")) {
                        prev["schema"] = json!({"type": "array", "items": items});
                        prev["explode"] = json!(true);
                    }
                }
                continue;
            }
            seen_query.insert(key.to_string(), params.len());
            params.push(scalar_param(q, key, "query", &flat.vars));
        }
        // Headers.
        let mut seen_headers: BTreeSet<String> = BTreeSet::new();
        for h in &r.headers {
            let Some(key) = h.key.as_deref().map(str::trim).filter(|k| !k.is_empty()) else {
                if h.value.as_deref().is_some_and(|v| !v.is_empty()) {
                    notes.push((
                        "postman/header-without-key",
                        "a header has a value but no key; it is skipped".into(),
                        h.pointer.clone(),
                    ));
                }
                continue;
            };
            let lower = key.to_ascii_lowercase();
            if matches!(
                lower.as_str(),
                "content-type" | "content-length" | "host" | "accept"
            ) {
                continue;
            }
            if lower == "authorization" && auth_header {
                continue;
            }
            if drop_entries.contains(&(h.pointer.clone(), lower.clone())) {
                continue;
            }
            if !seen_headers.insert(lower.clone()) {
                notes.push((
                    "postman/duplicate-header",
                    format!("header `{key}` is given twice; the first is used"),
                    h.pointer.clone(),
                ));
                continue;
            }
            let value = h.value.as_deref().unwrap_or("");
            if lower == "authorization" && !value.contains("{{") {
                notes.push((
                    "postman/literal-credential",
                    "a literal `Authorization` header is not emitted; it becomes a parameter"
                        .into(),
                    h.pointer.clone(),
                ));
                params.push(json!({"name": key, "in": "header", "required": !h.disabled, "schema": {"type": "string"}}));
                continue;
            }
            if !h.disabled && !value.is_empty() && !value.contains("{{") && !secret_like(&lower) {
                // A constant header: sent, never exposed.
                params.push(json!({"name": key, "in": "header", "required": true,
                    "schema": {"type": "string", "default": value}, "x-ms-visibility": "internal"}));
                continue;
            }
            params.push(scalar_param(h, key, "header", &flat.vars));
        }
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }

        // Body.
        let pascal = heck::ToPascalCase::to_pascal_case(name.as_str());
        if let Some(b) = &r.body {
            let samples: Vec<&super::ir::Body> = r
                .responses
                .iter()
                .filter_map(|s| s.original_body.as_ref())
                .filter(|o| o.mode == b.mode)
                .collect();
            if let Some(rb) = body::request_body(
                b,
                &samples,
                &r.headers,
                &flat.vars,
                &format!("{pascal}Request"),
                &mut comps,
                &mut notes,
            ) {
                if matches!(p.method.as_str(), "GET" | "HEAD") {
                    notes.push(("postman/body-on-get", format!("a {} request has a body; Postman sends it only with `disableBodyPruning`", p.method), b.pointer.clone()));
                }
                op.insert("requestBody".into(), rb);
            }
        }
        op.insert(
            "responses".into(),
            body::responses(&r.responses, &flat.vars, &pascal, &mut comps, &mut notes),
        );
        let description = description.trim().to_string();
        if !description.is_empty() {
            op.insert("description".into(), json!(description));
        }
        op.insert("x-postman-item".into(), json!({"path": flat.folders.iter().chain(std::iter::once(&r.name.as_str())).collect::<Vec<_>>(), "pointer": r.pointer}));
        if let Some(base) = (!matches!(p.target.base, Base::Dynamic(_))).then_some(&p.target.base) {
            if Some(base) != default_base.as_ref() {
                if let Some((_, s)) = servers.iter().find(|(b, _)| b == base) {
                    op.insert("servers".into(), json!([s]));
                }
            }
        }
        if let Some(u) = dynamic_url {
            op.insert("x-connectorkit-url-param".into(), json!(u));
        }
        for (code, msg, ptr) in notes {
            cx.warn(code, format!("in `{item}`: {msg}"), &ptr);
        }
        // Placement: one operation per request, never merged.
        let upper = p.method.as_str();
        let standard = SLOTS
            .iter()
            .find(|s| s.eq_ignore_ascii_case(upper))
            .copied();
        if standard.is_none() {
            op.insert("x-connectorkit-method".into(), json!(upper));
        }
        let slot = standard.unwrap_or("post");
        let mut key = path.clone();
        let taken = |paths: &Map<String, Value>, k: &str| {
            paths.get(k).is_some_and(|item| item.get(slot).is_some())
        };
        if taken(&paths, &key) {
            key = format!("{path}#{name}");
            op.insert("x-connectorkit-wire-path".into(), json!(path));
        }
        let entry = paths.entry(key).or_insert_with(|| json!({}));
        if let Value::Object(m) = entry {
            m.insert(slot.to_string(), Value::Object(op));
        }
    }
    for (kind, (ptr, ops)) in &unsupported {
        let shown: Vec<&str> = ops.iter().take(8).map(String::as_str).collect();
        let more = if ops.len() > 8 {
            format!(" and {} more", ops.len() - 8)
        } else {
            String::new()
        };
        cx.warn(
            "postman/unsupported-auth",
            format!("Postman `{kind}` auth has no OpenAPI security scheme and is not computed by the generated client; {} request(s) use it: {}{more}. Sign them with a `connectorkit::Hook` (`ClientBuilder::hook`): it sees each request's method, URL, headers and body before it is sent", ops.len(), shown.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")),
            ptr,
        );
    }

    let mut doc = Map::new();
    doc.insert("openapi".into(), json!("3.0.3"));
    let mut info = json!({"title": c.name, "version": "1.0.0"});
    if let Some(d) = &c.description {
        info["description"] = json!(d);
    }
    doc.insert("info".into(), info);
    if !servers.is_empty() {
        doc.insert(
            "servers".into(),
            Value::Array(servers.iter().map(|(_, s)| s.clone()).collect()),
        );
    }
    if !tags.is_empty() {
        let folder_docs = folder_descriptions(&c.items, &[]);
        doc.insert(
            "tags".into(),
            Value::Array(
                tags.into_iter()
                    .map(|(t, folders)| {
                        let mut v = json!({"name": t});
                        if let Some(d) = folder_docs.get(&t) {
                            v["description"] = json!(d);
                        }
                        // A nested folder's actions belong to its top folder's module.
                        if folders.len() > 1 {
                            v["x-connectorkit-folders"] = json!(folders);
                        }
                        v
                    })
                    .collect(),
            ),
        );
    }
    doc.insert("paths".into(), Value::Object(paths));
    let mut components = Map::new();
    if !comps.schemas.is_empty() {
        components.insert(
            "schemas".into(),
            Value::Object(std::mem::take(&mut comps.schemas)),
        );
    }
    if !schemes.schemes.is_empty() {
        components.insert(
            "securitySchemes".into(),
            Value::Object(
                schemes
                    .schemes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ),
        );
    }
    if !components.is_empty() {
        doc.insert("components".into(), Value::Object(components));
    }
    doc.insert("x-postman".into(), json!({"version": c.version}));
    Value::Object(doc)
}

fn secret_like(lower: &str) -> bool {
    let n = lower.replace(['-', '_'], "");
    n.contains("key")
        || n.contains("token")
        || n.contains("secret")
        || n.contains("password")
        || n.contains("signature")
}

/// A query or header parameter from an entry.
fn scalar_param(e: &Entry, key: &str, location: &str, vars: &BTreeMap<String, String>) -> Value {
    let value = e.value.as_deref().unwrap_or("");
    let desc = e.description.as_deref().unwrap_or("");
    let lower = desc.to_ascii_lowercase();
    let required = if lower.contains("(required)")
        || lower.contains("[required]")
        || lower.starts_with("required")
    {
        true
    } else if lower.contains("optional") {
        false
    } else {
        !e.disabled
    };
    let typed_from = match vars::whole(value) {
        Some(v) if v.starts_with('$') => Some(value.to_string()),
        Some(v) => vars
            .get(&v)
            .filter(|x| !x.is_empty() && !x.contains("{{"))
            .cloned(),
        None if value.contains("{{") || value.is_empty() => None,
        None => Some(value.to_string()),
    };
    let kind = typed_from
        .as_deref()
        .map(scalar_kind)
        .unwrap_or(Kind::Str(None));
    let mut schema = match kind {
        Kind::Int => json!({"type": "integer", "format": "int64"}),
        Kind::Float => json!({"type": "number", "format": "double"}),
        Kind::Bool => json!({"type": "boolean"}),
        Kind::Str(Some(f)) => json!({"type": "string", "format": f}),
        _ => json!({"type": "string"}),
    };
    if !value.is_empty() && !value.contains("{{") && !secret_like(&key.to_ascii_lowercase()) {
        schema["example"] = json!(value);
        if let Some(n) = value
            .parse::<i64>()
            .ok()
            .filter(|_| schema["type"] == "integer")
        {
            schema["example"] = json!(n);
        } else if let Some(b) = value
            .parse::<bool>()
            .ok()
            .filter(|_| schema["type"] == "boolean")
        {
            schema["example"] = json!(b);
        } else if let Some(f) = value
            .parse::<f64>()
            .ok()
            .filter(|_| schema["type"] == "number")
        {
            schema["example"] = json!(f);
        }
    }
    let mut p = json!({"name": key, "in": location, "required": required, "schema": schema});
    if !desc.is_empty() {
        p["description"] = json!(desc);
    }
    p
}

/// A server for a base. A variable without a value stays a variable without a default:
/// the base URL becomes a required input of the client (the model says so); it is never
/// guessed.
fn server(b: &Base, vars_map: &BTreeMap<String, String>, ptr: &str, cx: &mut Cx) -> Value {
    match b {
        Base::Variable(v) => {
            let value = vars::resolve(vars_map.get(v).map(String::as_str).unwrap_or(""), vars_map);
            let mut value = value.trim().trim_end_matches('/').to_string();
            if value.is_empty() || vars::whole(&value).is_some() {
                let name = server_var_name(v);
                return json!({"url": format!("{{{name}}}"), "description": format!("`{{{{{v}}}}}` in the collection (no value there: set the base URL)"),
                       "variables": {name: {"default": ""}}});
            }
            if !value.contains("://") && !value.starts_with('/') {
                if let Some(rest) = value.strip_prefix("//") {
                    value = format!("https://{rest}");
                } else {
                    value = format!("https://{value}");
                }
                cx.warn(
                    "postman/url-no-scheme",
                    format!("variable `{v}` (`{value}`) has no scheme; `https://` is assumed"),
                    ptr,
                );
            }
            let mut s = json!({"url": vars::to_braces(&value), "description": format!("`{{{{{v}}}}}` in the collection")});
            add_server_vars(&mut s, &value, vars_map);
            s
        }
        Base::Origin(o) | Base::Dynamic(o) => {
            let mut s = json!({"url": o});
            add_server_vars(&mut s, o, vars_map);
            s
        }
    }
}

fn server_var_name(v: &str) -> String {
    let s: String = v
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        "base".into()
    } else {
        s
    }
}

/// Declares every `{name}` of a server URL as a variable with a default.
fn add_server_vars(s: &mut Value, url_text: &str, vars_map: &BTreeMap<String, String>) {
    let braces = vars::to_braces(url_text);
    let mut names = Vec::new();
    let mut rest = braces.as_str();
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let Some(j) = after.find('}') else { break };
        names.push(after[..j].to_string());
        rest = &after[j + 1..];
    }
    if names.is_empty() {
        return;
    }
    let mut m = Map::new();
    for n in names {
        let default = vars_map
            .get(&n)
            .map(|v| vars::resolve(v, vars_map))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty() && !v.contains("{{"))
            .unwrap_or_default();
        m.insert(n, json!({"default": default}));
    }
    s["variables"] = Value::Object(m);
}

fn folder_descriptions(items: &[Node], prefix: &[&str]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for n in items {
        if let Node::Folder(f) = n {
            let mut p = prefix.to_vec();
            p.push(&f.name);
            if let Some(d) = &f.description {
                out.insert(p.join(" / "), d.clone());
            }
            out.extend(folder_descriptions(&f.items, &p));
        }
    }
    out
}

/// An example value of the schema's type (`"42"` → `42` for an integer).
pub(crate) fn typed_example(text: &str, ty: Option<&Value>) -> Value {
    let t = text.trim();
    match ty.and_then(Value::as_str) {
        Some("integer") => t.parse::<i64>().map(|n| json!(n)).unwrap_or(json!(text)),
        Some("number") => t
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .unwrap_or(json!(text)),
        Some("boolean") => t.parse::<bool>().map(|b| json!(b)).unwrap_or(json!(text)),
        _ => json!(text),
    }
}

/// A name for a base URL: the variable, or the host of a literal origin.
fn base_name(b: &Base) -> String {
    match b {
        Base::Variable(v) | Base::Dynamic(v) => v.clone(),
        Base::Origin(o) => {
            let rest = o.split_once("://").map_or(o.as_str(), |(_, r)| r);
            rest.split(['/', ':']).next().unwrap_or(rest).to_string()
        }
    }
}
