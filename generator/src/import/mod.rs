//! Import an action from a sample ("New action → Import from sample"): a request (a curl
//! command line or a `.http` file) and, optionally, a sample response become OpenAPI 3.0
//! operations, in a new document or merged into an existing one.
//!
//! One inference, not two: the requests are written as a Postman collection (one request
//! per item, the sample response as its saved example) and go through the Postman
//! normalizer, which infers parameters, the body schema and the response schema from
//! samples. [`merge`] then adds the operations to a document without touching anything
//! else (schema and scheme names that clash are renamed, references rewritten).

pub mod curl;
pub mod http_file;

use std::path::Path;

use serde_json::{json, Value};

use crate::{Diagnostic, Failure};

/// A request as a sample gives it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sample {
    /// Upper case.
    pub method: String,
    /// The whole URL; `{name}` or `:name` path segments are path parameters.
    pub url: String,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// A raw body (JSON or text).
    pub body: Option<String>,
    /// A URL-encoded form body, decoded.
    pub form: Vec<(String, String)>,
    /// Multipart fields.
    pub parts: Vec<Part>,
    /// HTTP basic credentials (`curl -u`).
    pub basic: Option<(String, String)>,
}

/// A multipart field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Part {
    /// Field name.
    pub name: String,
    /// Its value (a file name for a file).
    pub value: String,
    /// A file field.
    pub file: bool,
}

/// A sample response.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Content type (`application/json` when the body is JSON and none is given).
    pub content_type: String,
    /// The body.
    pub body: String,
}

/// One request to import.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Import {
    /// Its name (the summary; the operation name is made from it).
    pub name: Option<String>,
    /// The request.
    pub request: Sample,
    /// A sample response.
    pub response: Option<Response>,
}

fn decode_form(s: &str) -> String {
    let bytes = s.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&String::from_utf8_lossy(&bytes[i + 1..i + 3]), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The URL in Postman's terms: `{name}` path segments become `:name`.
fn postman_url(url: &str) -> String {
    let (before, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let path: Vec<String> = before
        .split('/')
        .map(
            |seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) if !name.is_empty() && !name.contains('{') => format!(":{name}"),
                _ => seg.to_string(),
            },
        )
        .collect();
    let mut out = path.join("/");
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

fn request_json(s: &Sample) -> Value {
    let mut headers = Vec::new();
    let mut auth = None;
    for (k, v) in &s.headers {
        if k.eq_ignore_ascii_case("authorization") {
            let (scheme, token) = v.split_once(' ').unwrap_or((v.as_str(), ""));
            if scheme.eq_ignore_ascii_case("bearer") {
                auth =
                    Some(json!({"type": "bearer", "bearer": [{"key": "token", "value": token}]}));
                continue;
            }
            if scheme.eq_ignore_ascii_case("basic") {
                auth = Some(json!({"type": "basic", "basic": []}));
                continue;
            }
        }
        headers.push(json!({"key": k, "value": v}));
    }
    if let Some((user, _)) = &s.basic {
        auth = Some(json!({"type": "basic", "basic": [{"key": "username", "value": user}]}));
    }
    let mut r = json!({
        "method": s.method,
        "header": headers,
        "url": postman_url(&s.url),
    });
    let body = if let Some(b) = &s.body {
        let json_body = serde_json::from_str::<Value>(b).is_ok();
        let mut body = json!({"mode": "raw", "raw": b});
        if json_body {
            body["options"] = json!({"raw": {"language": "json"}});
        }
        Some(body)
    } else if !s.form.is_empty() {
        let fields: Vec<Value> = s
            .form
            .iter()
            .map(|(k, v)| json!({"key": decode_form(k), "value": decode_form(v)}))
            .collect();
        Some(json!({"mode": "urlencoded", "urlencoded": fields}))
    } else if !s.parts.is_empty() {
        let fields: Vec<Value> = s
            .parts
            .iter()
            .map(|p| {
                if p.file {
                    json!({"key": p.name, "type": "file", "src": p.value})
                } else {
                    json!({"key": p.name, "type": "text", "value": p.value})
                }
            })
            .collect();
        Some(json!({"mode": "formdata", "formdata": fields}))
    } else {
        None
    };
    if let Some(b) = body {
        r["body"] = b;
    }
    if let Some(a) = auth {
        r["auth"] = a;
    }
    r
}

/// A name for a request that has none: `GET /users/{id}` → `Get users id`.
fn default_name(s: &Sample) -> String {
    let path = s
        .url
        .split("://")
        .nth(1)
        .unwrap_or(&s.url)
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    let path = path.split_once('/').map_or("", |(_, p)| p);
    let words: Vec<String> = path
        .split('/')
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.trim_matches(|c| c == '{' || c == '}' || c == ':')
                .to_string()
        })
        .collect();
    let mut m = s.method.to_lowercase();
    if let Some(first) = m.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    if words.is_empty() {
        m
    } else {
        format!("{m} {}", words.join(" "))
    }
}

/// The requests as a Postman v2.1 collection named `title`.
pub fn collection(title: &str, imports: &[Import]) -> Value {
    let items: Vec<Value> = imports
        .iter()
        .map(|i| {
            let request = request_json(&i.request);
            let mut item = json!({
                "name": i.name.clone().unwrap_or_else(|| default_name(&i.request)),
                "request": request,
            });
            if let Some(r) = &i.response {
                item["response"] = json!([{
                    "name": "The sample response",
                    "code": r.status,
                    "header": [{"key": "Content-Type", "value": r.content_type}],
                    "body": r.body,
                    "originalRequest": request,
                }]);
            }
            item
        })
        .collect();
    json!({
        "info": {
            "name": title,
            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json",
        },
        "item": items,
    })
}

/// The OpenAPI 3.0 document of the requests, through the Postman normalizer; its
/// diagnostics (warnings about the samples) come with it.
pub fn to_openapi(title: &str, imports: &[Import]) -> Result<(Value, Vec<Diagnostic>), Failure> {
    let c = collection(title, imports);
    let bytes = serde_json::to_vec(&c).unwrap_or_default();
    let p = crate::prepare_bytes(Path::new("import.postman_collection.json"), &bytes)?;
    let mut doc = p.normalized.value;
    strip_internal(&mut doc);
    Ok((doc, p.diagnostics))
}

/// Drops what only locates the synthetic collection (`x-postman*`, the pointers and base
/// names the normalizer records).
fn strip_internal(v: &mut Value) {
    match v {
        Value::Object(m) => {
            m.retain(|k, _| {
                !(k.starts_with("x-postman")
                    || k == "x-connectorkit-pointer"
                    || k == "x-connectorkit-base-name")
            });
            m.values_mut().for_each(strip_internal);
        }
        Value::Array(a) => a.iter_mut().for_each(strip_internal),
        _ => {}
    }
}

/// Adds `new`'s operations (and the schemas and security schemes they use) to `into`.
/// An operation already in `into` (same path and method) is an error unless `replace`; a
/// schema or scheme name already taken by something different is renamed and its
/// references rewritten; identical ones are shared. Returns notes on what was done.
pub fn merge(into: &mut Value, new: &Value, replace: bool) -> Result<Vec<String>, String> {
    let version = into.get("openapi").and_then(Value::as_str).unwrap_or("");
    if !version.starts_with('3') {
        return Err(if into.get("swagger").is_some() {
            "the target is Swagger 2.0: convert it first (`connectorkit convert`) and import into the result".into()
        } else {
            "the target is not an OpenAPI 3 document (no `openapi` field)".into()
        });
    }
    let mut notes = Vec::new();
    let mut new = new.clone();
    // Components first: renames rewrite the new operations' references.
    for kind in ["schemas", "securitySchemes"] {
        let Some(incoming) = new
            .pointer(&format!("/components/{kind}"))
            .and_then(Value::as_object)
            .cloned()
        else {
            continue;
        };
        let target = into
            .as_object_mut()
            .ok_or("the target is not a JSON object")?
            .entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .ok_or("`components` is not an object")?
            .entry(kind)
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .ok_or_else(|| format!("`components.{kind}` is not an object"))?;
        for (name, value) in incoming {
            // A scheme of the same kind already there is the one to use.
            let same = (kind == "securitySchemes")
                .then(|| target.iter().find(|(_, v)| same_scheme(v, &value)))
                .flatten()
                .map(|(k, _)| k.clone());
            let chosen = match same {
                Some(existing) => existing,
                None => {
                    let mut chosen = name.clone();
                    let mut n = 2;
                    while target.get(&chosen).is_some_and(|v| *v != value) {
                        chosen = format!("{name}{n}");
                        n += 1;
                    }
                    chosen
                }
            };
            if chosen != name {
                if kind == "schemas" {
                    notes.push(format!(
                        "schema `{name}` is `{chosen}` (the name was taken)"
                    ));
                    rename_refs(
                        &mut new,
                        &format!("#/components/schemas/{name}"),
                        &format!("#/components/schemas/{chosen}"),
                    );
                } else {
                    notes.push(format!(
                        "security scheme `{name}` is the definition's `{chosen}`"
                    ));
                    rename_security(&mut new, &name, &chosen);
                }
            }
            target.entry(chosen).or_insert(value);
        }
    }
    // The sample's own requirement goes on its operations (the target's root one is the
    // target's).
    if let Some(root) = new.get("security").cloned() {
        if let Some(paths) = new.get_mut("paths").and_then(Value::as_object_mut) {
            for item in paths.values_mut() {
                if let Some(ops) = item.as_object_mut() {
                    for op in ops.values_mut().filter(|o| o.is_object()) {
                        if op.get("security").is_none() {
                            op["security"] = root.clone();
                        }
                    }
                }
            }
        }
    }
    let taken_ids: Vec<String> = operations(into)
        .filter_map(|op| {
            op.get("operationId")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .collect();
    let base = server_path(into);
    let new_base = server_path(&new);
    let paths = into
        .as_object_mut()
        .ok_or("the target is not a JSON object")?
        .entry("paths")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .ok_or("`paths` is not an object")?;
    let incoming = new
        .get("paths")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    for (path, item) in incoming {
        // The sample's URL is absolute: the part of it the target's server already has is
        // not in the path.
        let full = format!("{}{}", new_base.trim_end_matches('/'), path);
        let path = match full.strip_prefix(base.trim_end_matches('/')) {
            Some(rest) if !base.trim_end_matches('/').is_empty() && rest.starts_with('/') => {
                rest.to_string()
            }
            _ => path,
        };
        let slot = paths
            .entry(path.clone())
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .ok_or_else(|| format!("paths.{path} is not an object"))?;
        let Some(ops) = item.as_object() else {
            continue;
        };
        for (method, op) in ops {
            let mut op = op.clone();
            if slot.contains_key(method) && !replace {
                return Err(format!(
                    "`{} {path}` is already in the definition (use --replace to replace it)",
                    method.to_uppercase()
                ));
            }
            if let Some(id) = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_string)
            {
                let mut chosen = id.clone();
                let mut n = 2;
                while taken_ids.contains(&chosen) {
                    chosen = format!("{id}_{n}");
                    n += 1;
                }
                if chosen != id {
                    notes.push(format!(
                        "operationId `{id}` is `{chosen}` (the name was taken)"
                    ));
                    op["operationId"] = json!(chosen);
                }
            }
            notes.push(format!("added `{} {path}`", method.to_uppercase()));
            slot.insert(method.clone(), op);
        }
    }
    if into.get("servers").is_none() {
        if let Some(s) = new.get("servers") {
            into["servers"] = s.clone();
        }
    }
    Ok(notes)
}

/// The path part of a document's first server URL (`https://h/v1` → `/v1`).
fn server_path(doc: &Value) -> String {
    let url = doc
        .pointer("/servers/0/url")
        .and_then(Value::as_str)
        .unwrap_or("");
    let rest = url.split("://").nth(1).unwrap_or("");
    rest.find('/')
        .map_or(String::new(), |i| rest[i..].to_string())
}

fn operations(doc: &Value) -> impl Iterator<Item = &Value> {
    doc.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|p| p.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter(|op| op.is_object())
}

fn same_scheme(a: &Value, b: &Value) -> bool {
    let key = |v: &Value| {
        (
            v.get("type").cloned(),
            v.get("scheme")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase),
            v.get("in").cloned(),
            v.get("name").cloned(),
        )
    };
    key(a) == key(b)
}

fn rename_refs(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if k == "$ref" && x.as_str() == Some(from) {
                    *x = json!(to);
                } else {
                    rename_refs(x, from, to);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename_refs(x, from, to)),
        _ => {}
    }
}

fn rename_security(doc: &mut Value, from: &str, to: &str) {
    let fix = |reqs: &mut Value| {
        if let Some(list) = reqs.as_array_mut() {
            for r in list {
                if let Some(m) = r.as_object_mut() {
                    if let Some(v) = m.remove(from) {
                        m.insert(to.to_string(), v);
                    }
                }
            }
        }
    };
    if let Some(s) = doc.get_mut("security") {
        fix(s);
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            if let Some(ops) = item.as_object_mut() {
                for op in ops.values_mut() {
                    if let Some(s) = op.get_mut("security") {
                        fix(s);
                    }
                }
            }
        }
    }
    if let Some(schemes) = doc
        .pointer_mut("/components/securitySchemes")
        .and_then(Value::as_object_mut)
    {
        if let Some(v) = schemes.remove(from) {
            schemes.insert(to.to_string(), v);
        }
    }
}
