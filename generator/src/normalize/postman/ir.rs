//! The lenient intermediate form every Postman version is lowered into (v2.1-shaped).
//!
//! Every node keeps the JSON pointer it came from, so diagnostics point into the file.

use std::collections::BTreeMap;

use serde_json::Value;

/// A whole collection.
#[derive(Debug, Default)]
pub(crate) struct Collection {
    pub name: String,
    pub description: Option<String>,
    /// `v1`, `v2.0`, `v2.1` or `2.x` (guessed), for diagnostics only.
    pub version: &'static str,
    /// Collection variables: key → value (as text).
    pub variables: BTreeMap<String, String>,
    pub auth: AuthSlot,
    pub items: Vec<Node>,
    /// The pre-request script, when there is one.
    pub prerequest: Option<String>,
    pub pointer: String,
}

/// A folder or a request.
#[derive(Debug)]
pub(crate) enum Node {
    Folder(Box<Folder>),
    Request(Box<Request>),
}

/// A folder (item group).
#[derive(Debug, Default)]
pub(crate) struct Folder {
    pub name: String,
    pub description: Option<String>,
    pub auth: AuthSlot,
    pub items: Vec<Node>,
    pub variables: BTreeMap<String, String>,
    pub prerequest: Option<String>,
    pub pointer: String,
}

/// Auth as written on one node.
#[derive(Debug, Default, Clone)]
pub(crate) enum AuthSlot {
    /// No `auth`: inherit from the parent.
    #[default]
    Inherit,
    /// `auth: null` (or an auth without a type): inherit.
    Null,
    /// `noauth`.
    NoAuth,
    /// A typed auth block.
    Auth(Auth),
}

/// One auth block, attributes as a map whatever the version wrote (object or list).
#[derive(Debug, Clone)]
pub(crate) struct Auth {
    /// The type as written, lower-cased (`apikey`, `bearer`, `oauth2`…).
    pub kind: String,
    pub attrs: BTreeMap<String, Value>,
    pub pointer: String,
}

impl Auth {
    /// An attribute as text (`""` when missing).
    pub fn attr(&self, key: &str) -> String {
        match self.attrs.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(v) => v.to_string(),
        }
    }
}

/// A key/value entry (header, query item, urlencoded field, path variable).
#[derive(Debug, Clone, Default)]
pub(crate) struct Entry {
    /// `None` when the key is missing or null.
    pub key: Option<String>,
    pub value: Option<String>,
    pub disabled: bool,
    pub description: Option<String>,
    pub pointer: String,
}

/// A URL as written.
#[derive(Debug, Clone, Default)]
pub(crate) struct Url {
    /// The raw text (`raw`, or the string URL).
    pub raw: Option<String>,
    /// Structured parts, when the URL is an object with `host` or `path`.
    pub protocol: Option<String>,
    pub host: Option<Vec<String>>,
    pub port: Option<String>,
    pub path: Option<Vec<String>>,
    pub query: Vec<Entry>,
    /// `url.variable[]` (path variable docs and values).
    pub variables: Vec<Entry>,
    pub pointer: String,
}

/// A form-data part.
#[derive(Debug, Clone, Default)]
pub(crate) struct FormPart {
    pub key: Option<String>,
    pub value: Option<String>,
    pub file: bool,
    pub content_type: Option<String>,
    pub disabled: bool,
    pub description: Option<String>,
    pub pointer: String,
}

/// A request body.
#[derive(Debug, Clone, Default)]
pub(crate) struct Body {
    /// `raw`, `urlencoded`, `formdata`, `file`, `graphql` (or anything else, as written).
    pub mode: String,
    pub raw: String,
    /// `options.raw.language`.
    pub language: Option<String>,
    pub urlencoded: Vec<Entry>,
    pub formdata: Vec<FormPart>,
    pub graphql_query: String,
    pub graphql_variables: String,
    pub disabled: bool,
    pub pointer: String,
}

/// A saved example response.
#[derive(Debug, Clone, Default)]
pub(crate) struct SavedResponse {
    pub name: String,
    pub code: Option<u16>,
    pub headers: Vec<Entry>,
    pub body: Option<String>,
    pub preview_language: Option<String>,
    /// `originalRequest.body`: another sample of the request body.
    pub original_body: Option<Body>,
    pub pointer: String,
}

/// One request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Request {
    pub name: String,
    pub description: Option<String>,
    /// As written (upper-cased); `None` when missing.
    pub method: Option<String>,
    pub url: Url,
    pub headers: Vec<Entry>,
    pub body: Option<Body>,
    pub auth: AuthSlot,
    pub responses: Vec<SavedResponse>,
    pub prerequest: Option<String>,
    pub variables: BTreeMap<String, String>,
    pub pointer: String,
}

/// Text of a description: a string, or `{content, type}`.
pub(crate) fn description(v: Option<&Value>) -> Option<String> {
    let text = match v? {
        Value::String(s) => s.clone(),
        Value::Object(o) => o.get("content").and_then(Value::as_str)?.to_string(),
        _ => return None,
    };
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Any scalar as text; `None` for null, arrays and objects.
pub(crate) fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `true`/`"true"` → true.
pub(crate) fn truthy(v: Option<&Value>) -> bool {
    matches!(v, Some(Value::Bool(true))) || matches!(v, Some(Value::String(s)) if s == "true")
}

/// Script text from `event[]` (array or single object) for one `listen` value.
pub(crate) fn script(events: Option<&Value>, listen: &str) -> Option<String> {
    let list: Vec<&Value> = match events? {
        Value::Array(a) => a.iter().collect(),
        o @ Value::Object(_) => vec![o],
        _ => return None,
    };
    let mut out = String::new();
    for e in list {
        if e.get("listen").and_then(Value::as_str) != Some(listen) || truthy(e.get("disabled")) {
            continue;
        }
        match e.get("script").and_then(|s| s.get("exec")) {
            Some(Value::String(s)) => out.push_str(s),
            Some(Value::Array(lines)) => {
                for l in lines.iter().filter_map(Value::as_str) {
                    out.push_str(l);
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
    (!out.trim().is_empty()).then_some(out)
}

/// Variables from `variable[]` / `variables[]` (enabled ones), keyed by `key` or `id`.
pub(crate) fn variables(v: Option<&Value>) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    if let Some(Value::Array(list)) = v {
        for var in list {
            if truthy(var.get("disabled")) {
                continue;
            }
            let key = text(var.get("key")).or_else(|| text(var.get("id")));
            if let Some(key) = key {
                let value = match var.get("value") {
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Null) | None => String::new(),
                    Some(other) => other.to_string(),
                };
                out.insert(key, value);
            }
        }
    }
    out
}
