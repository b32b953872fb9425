//! Request bodies (raw JSON/XML/text, urlencoded, formdata, file, graphql) and saved
//! responses → OpenAPI request bodies and typed responses.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::infer::{self, merge, of_value, scalar_kind, to_schema, Kind, Ty};
use super::intern::Components;
use super::ir::{Body, Entry, SavedResponse};
use super::jsonc;

/// A problem found in a body or an example: (code, message, pointer).
pub(crate) type Note = (&'static str, String, String);

fn header<'a>(headers: &'a [Entry], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .filter(|h| !h.disabled)
        .find(|h| {
            h.key
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case(name))
        })
        .and_then(|h| h.value.as_deref())
}

/// The media type of a raw body.
fn raw_media(body: &Body, headers: &[Entry]) -> String {
    if let Some(ct) = header(headers, "content-type") {
        let ct = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if !ct.is_empty() && !ct.contains("{{") && ct.contains('/') {
            return ct;
        }
    }
    match body
        .language
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("json") => "application/json".into(),
        Some("xml") => "application/xml".into(),
        Some("html") => "text/html".into(),
        Some("javascript") => "application/javascript".into(),
        Some("graphql") => "application/graphql".into(),
        Some("text") => "text/plain".into(),
        _ => {
            let t = body.raw.trim_start();
            if t.starts_with('{') || t.starts_with('[') {
                "application/json".into()
            } else if t.starts_with('<') {
                "application/xml".into()
            } else {
                "text/plain".into()
            }
        }
    }
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json") || media.ends_with("/json")
}

/// A form value's schema (urlencoded and text form parts).
fn field_schema(value: Option<&str>) -> Value {
    let kind = match value {
        Some(v) if !v.contains("{{") || v.starts_with("{{$") => scalar_kind(v),
        _ => Kind::Str(None),
    };
    let mut s = to_schema(
        &Ty {
            kind,
            nullable: false,
        },
        "",
        &mut NoIntern,
    );
    if let (Some(v), Value::Object(m)) = (value, &mut s) {
        if !v.is_empty() && !v.contains("{{") {
            let example = super::to_openapi::typed_example(v, m.get("type"));
            m.insert("example".into(), example);
        }
    }
    s
}

struct NoIntern;
impl infer::Interner for NoIntern {
    fn intern(&mut self, _: &str, schema: Value) -> Value {
        schema
    }
}

/// The OpenAPI `requestBody` for a request's body and the `originalRequest` samples.
pub(crate) fn request_body(
    body: &Body,
    samples: &[&Body],
    headers: &[Entry],
    vars: &BTreeMap<String, String>,
    type_name: &str,
    comps: &mut Components,
    notes: &mut Vec<Note>,
) -> Option<Value> {
    if body.disabled {
        notes.push((
            "postman/body-disabled",
            "the body is disabled; none is sent".into(),
            body.pointer.clone(),
        ));
        return None;
    }
    let (media, schema, example) = match body.mode.as_str() {
        "raw" => {
            if body.raw.trim().is_empty() {
                return None;
            }
            let media = raw_media(body, headers);
            if is_json(&media) {
                let mut ty = Ty::never();
                let mut example = None;
                let mut parsed_any = false;
                for (i, b) in std::iter::once(body)
                    .chain(samples.iter().copied())
                    .enumerate()
                {
                    if b.raw.trim().is_empty() {
                        continue;
                    }
                    match jsonc::parse(&b.raw) {
                        Ok(p) => {
                            if p.repaired && i == 0 {
                                notes.push(("postman/json-comments", "the JSON body has comments or trailing commas; they are dropped".into(), b.pointer.clone() + "/raw"));
                            }
                            ty = merge(ty, of_value(&p.value, vars));
                            if i == 0 && !b.raw.contains("{{") && !has_ref(&p.value) {
                                example = Some(p.value);
                            }
                            parsed_any = true;
                        }
                        Err((line, col, msg)) => {
                            if i == 0 {
                                notes.push((
                                    "postman/body-not-json",
                                    format!("the JSON body does not parse (line {line}, column {col} of the body: {msg}); it is typed as any JSON value"),
                                    b.pointer.clone() + "/raw",
                                ));
                            }
                        }
                    }
                }
                let schema = if parsed_any {
                    to_schema(&ty, type_name, comps)
                } else {
                    json!({})
                };
                (media, schema, example)
            } else {
                (media, json!({"type": "string"}), Some(json!(body.raw)))
            }
        }
        "urlencoded" | "formdata" if body.urlencoded.is_empty() && body.formdata.is_empty() => {
            return None;
        }
        "urlencoded" => {
            let (props, required) = fields(
                body.urlencoded.iter().map(|e| {
                    (
                        e.key.as_deref(),
                        e.value.as_deref(),
                        e.disabled,
                        e.description.as_deref(),
                        false,
                        e.pointer.as_str(),
                    )
                }),
                notes,
            );
            let mut s = json!({"type": "object", "properties": props});
            if !required.is_empty() {
                s["required"] = json!(required);
            }
            ("application/x-www-form-urlencoded".into(), s, None)
        }
        "formdata" => {
            let (props, required) = fields(
                body.formdata.iter().map(|p| {
                    (
                        p.key.as_deref(),
                        p.value.as_deref(),
                        p.disabled,
                        p.description.as_deref(),
                        p.file,
                        p.pointer.as_str(),
                    )
                }),
                notes,
            );
            let mut s = json!({"type": "object", "properties": props});
            if !required.is_empty() {
                s["required"] = json!(required);
            }
            let mut encoding = Map::new();
            for p in &body.formdata {
                if let (Some(k), Some(ct)) = (&p.key, &p.content_type) {
                    if !ct.trim().is_empty() && !ct.contains("{{") {
                        encoding.insert(k.clone(), json!({"contentType": ct.trim()}));
                    }
                }
            }
            let mut content = json!({"schema": s});
            if !encoding.is_empty() {
                content["encoding"] = Value::Object(encoding);
            }
            return Some(json!({"required": true, "content": {"multipart/form-data": content}}));
        }
        "file" => (
            "application/octet-stream".into(),
            json!({"type": "string", "format": "binary"}),
            None,
        ),
        "graphql" => {
            let variables = if body.graphql_variables.trim().is_empty() {
                None
            } else {
                match jsonc::parse(&body.graphql_variables) {
                    Ok(p) => Some(p.value),
                    Err((line, col, msg)) => {
                        notes.push(("postman/body-not-json", format!("the GraphQL variables do not parse (line {line}, column {col}: {msg})"), body.pointer.clone() + "/graphql/variables"));
                        None
                    }
                }
            };
            let example = json!({"query": body.graphql_query, "variables": variables.clone().unwrap_or(json!({}))});
            (
                "application/json".into(),
                json!({"type": "object", "required": ["query"], "properties": {"query": {"type": "string", "description": "The GraphQL document"}, "variables": {"type": "object", "additionalProperties": true}}}),
                Some(example),
            )
        }
        "" => return None,
        other => {
            notes.push((
                "postman/unknown-body-mode",
                format!("body mode `{other}` is not known; the body is ignored"),
                body.pointer.clone() + "/mode",
            ));
            return None;
        }
    };
    let mut content = json!({"schema": schema});
    if let Some(e) = example {
        content["example"] = e;
    }
    Some(json!({"required": true, "content": {media: content}}))
}

/// True when a sample holds a `$ref` key, which tools would resolve as a reference.
fn has_ref(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key("$ref") || m.values().any(has_ref),
        Value::Array(a) => a.iter().any(has_ref),
        _ => false,
    }
}

type Field<'a> = (
    Option<&'a str>,
    Option<&'a str>,
    bool,
    Option<&'a str>,
    bool,
    &'a str,
);

fn fields<'a>(
    list: impl Iterator<Item = Field<'a>>,
    notes: &mut Vec<Note>,
) -> (Map<String, Value>, Vec<String>) {
    let mut props = Map::new();
    let mut required = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let list: Vec<Field<'a>> = list.collect();
    for (k, ..) in &list {
        if let Some(k) = k {
            *counts.entry(k.to_string()).or_default() += 1;
        }
    }
    for (key, value, disabled, description, file, ptr) in list {
        let Some(key) = key.filter(|k| !k.trim().is_empty()) else {
            notes.push((
                "postman/field-without-key",
                "a form field has no key; it is skipped".into(),
                ptr.to_string(),
            ));
            continue;
        };
        if props.contains_key(key) {
            continue;
        }
        let mut s = if file {
            json!({"type": "string", "format": "binary"})
        } else {
            field_schema(value)
        };
        if counts.get(key).copied().unwrap_or(0) > 1 {
            s = json!({"type": "array", "items": s});
        }
        if let (Some(d), Value::Object(m)) = (description, &mut s) {
            m.insert("description".into(), json!(d));
        }
        if !disabled {
            required.push(key.to_string());
        }
        props.insert(key.to_string(), s);
    }
    (props, required)
}

/// The OpenAPI `responses` from saved examples, grouped by status code.
pub(crate) fn responses(
    saved: &[SavedResponse],
    vars: &BTreeMap<String, String>,
    type_prefix: &str,
    comps: &mut Components,
    notes: &mut Vec<Note>,
) -> Value {
    let mut by_code: BTreeMap<u16, Vec<&SavedResponse>> = BTreeMap::new();
    for r in saved {
        match r.code {
            Some(c) if (100..600).contains(&c) => by_code.entry(c).or_default().push(r),
            _ => notes.push((
                "postman/example-without-code",
                format!(
                    "saved response `{}` has no status code; it is not used",
                    r.name
                ),
                r.pointer.clone(),
            )),
        }
    }
    let mut out = Map::new();
    if by_code.is_empty() {
        out.insert(
            "200".into(),
            json!({"description": "Success. The collection saves no example response, so the body is returned as bytes.",
                   "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}),
        );
        return Value::Object(out);
    }
    for (code, list) in by_code {
        let mut ty = Ty::never();
        let mut json_seen = false;
        let mut text_media: Option<String> = None;
        let mut example = None;
        for r in &list {
            let body = r.body.as_deref().unwrap_or("");
            if body.trim().is_empty() {
                continue;
            }
            let ct = header(&r.headers, "content-type").map(|c| {
                c.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
            let says_json =
                r.preview_language.as_deref() == Some("json") || ct.as_deref().is_some_and(is_json);
            let looks_json = matches!(body.trim_start().chars().next(), Some('{' | '['));
            match jsonc::parse(body) {
                Ok(p) if says_json || looks_json || ct.is_none() => {
                    ty = merge(ty, of_value(&p.value, vars));
                    if example.is_none() && !has_ref(&p.value) {
                        example = Some(p.value);
                    }
                    json_seen = true;
                }
                Err((line, col, msg)) if says_json || looks_json => {
                    notes.push((
                        "postman/example-not-json",
                        format!("saved response `{}` ({code}) is not valid JSON (line {line}, column {col} of the body: {msg}); it is read as text", r.name),
                        r.pointer.clone() + "/body",
                    ));
                    text_media.get_or_insert_with(|| "text/plain".into());
                }
                _ => {
                    let media = ct
                        .filter(|c| c.contains('/') && !c.contains("{{"))
                        .unwrap_or_else(|| match r.preview_language.as_deref() {
                            Some("xml") => "application/xml".into(),
                            Some("html") => "text/html".into(),
                            _ => "text/plain".into(),
                        });
                    text_media.get_or_insert(media);
                }
            }
        }
        let names: Vec<&str> = list
            .iter()
            .map(|r| r.name.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        let description = if names.is_empty() {
            format!("Status {code}")
        } else {
            names.join("; ")
        };
        let mut resp = json!({"description": description});
        if json_seen {
            let name = format!("{type_prefix}{code}Response");
            let schema = to_schema(&ty, &name, comps);
            let mut media = json!({"schema": schema});
            if let Some(e) = example {
                media["example"] = e;
            }
            resp["content"] = json!({"application/json": media});
        } else if let Some(m) = text_media {
            let schema = if m.starts_with("text/") || m.contains("xml") {
                json!({"type": "string"})
            } else {
                json!({"type": "string", "format": "binary"})
            };
            resp["content"] = json!({m: {"schema": schema}});
        }
        out.insert(code.to_string(), resp);
    }
    Value::Object(out)
}
