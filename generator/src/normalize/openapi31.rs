//! OpenAPI 3.1 (JSON Schema 2020-12) → OpenAPI 3.0, on the JSON value.
//!
//! Schema rewrites:
//! - `type: [X, "null"]` → `type: X, nullable: true`; `type: "null"` → `nullable: true`;
//!   several non-null types (`[string, integer]`) → `anyOf: [{type: string}, {type: integer}]`
//!   when the schema has no other type-specific keywords, otherwise `type` is dropped (the
//!   schema becomes free-form) with a `normalize/multi-type` warning;
//! - `anyOf`/`oneOf` containing `{type: "null"}` → that member removed and `nullable: true`;
//!   a single remaining member becomes `allOf: [member]`;
//! - `const: v` → `enum: [v]`; `examples: [..]` → `example: first`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` + `true` (in fixups,
//!   which run for every version);
//! - `$ref` with sibling keywords other than annotations (`description`, `title`, `summary`,
//!   `x-…`) → `allOf: [{$ref}]` + siblings;
//! - `contentEncoding: base64` → `format: byte`; `contentMediaType` alone → `format: binary`;
//! - `prefixItems` → free-form `items`; `$defs`, `$schema`, `$id`, `$comment`, `$anchor` dropped.
//!
//! Document rewrites: `webhooks` → `x-webhooks`, `info.license.identifier` and `info.summary`
//! dropped, `openapi: 3.0.3`, `paths: {}` when absent, `mutualTLS` security schemes dropped
//! (warning), path items that are refs to `#/components/pathItems/*` inlined.

use serde_json::{json, Map, Value};

use super::schemas::for_each_schema;
use super::Ctx3;

fn is_null_schema(v: &Value) -> bool {
    match v.get("type") {
        Some(Value::String(t)) => t == "null",
        Some(Value::Array(a)) => a.len() == 1 && a[0] == "null",
        _ => false,
    }
}

const TYPE_SPECIFIC: &[&str] = &[
    "properties",
    "additionalProperties",
    "items",
    "required",
    "minItems",
    "maxItems",
    "minLength",
    "maxLength",
    "pattern",
    "format",
    "minimum",
    "maximum",
    "enum",
    "minProperties",
    "maxProperties",
    "uniqueItems",
    "multipleOf",
];

/// Rewrites one schema object from 3.1 to 3.0.
pub(crate) fn schema(m: &mut Map<String, Value>, ptr: &str, cx: &mut Ctx3) {
    for k in [
        "$schema",
        "$id",
        "$comment",
        "$anchor",
        "$dynamicAnchor",
        "$dynamicRef",
    ] {
        m.remove(k);
    }
    if m.remove("$defs").is_some() {
        cx.warn(
            "normalize/defs-dropped",
            "`$defs` is not part of OpenAPI 3.0 and was dropped; move shared schemas to `components/schemas`",
            ptr,
        );
    }
    // type arrays / null type
    match m.get("type").cloned() {
        Some(Value::Array(types)) => {
            let nullable = types.iter().any(|t| t == "null");
            let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
            m.remove("type");
            if nullable {
                m.insert("nullable".into(), Value::Bool(true));
            }
            match rest.len() {
                0 => {}
                1 => {
                    m.insert("type".into(), rest[0].clone());
                }
                _ => {
                    if !TYPE_SPECIFIC.iter().any(|k| m.contains_key(*k)) && !m.contains_key("anyOf")
                    {
                        let alts = rest.into_iter().map(|t| json!({ "type": t })).collect();
                        m.insert("anyOf".into(), Value::Array(alts));
                    } else {
                        cx.warn(
                            "normalize/multi-type",
                            "a schema with several types cannot be expressed in OpenAPI 3.0; `type` was dropped (any value is accepted)",
                            &format!("{ptr}/type"),
                        );
                    }
                }
            }
        }
        Some(Value::String(t)) if t == "null" => {
            m.remove("type");
            m.insert("nullable".into(), Value::Bool(true));
        }
        _ => {}
    }
    // anyOf/oneOf with a null member
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(items)) = m.get_mut(key) else {
            continue;
        };
        let before = items.len();
        items.retain(|v| !is_null_schema(v));
        if items.len() != before {
            m.insert("nullable".into(), Value::Bool(true));
            let items = match m.get(key) {
                Some(Value::Array(items)) => items.clone(),
                _ => Vec::new(),
            };
            if items.is_empty() {
                m.remove(key);
            } else if items.len() == 1 && !m.contains_key("allOf") {
                m.remove(key);
                m.insert("allOf".into(), Value::Array(items));
            }
        }
    }
    if let Some(c) = m.remove("const") {
        m.entry("enum").or_insert_with(|| Value::Array(vec![c]));
    }
    if let Some(Value::Array(examples)) = m.get("examples") {
        let first = examples.first().cloned();
        m.remove("examples");
        if let Some(first) = first {
            m.entry("example").or_insert(first);
        }
    }
    // content encoding
    let encoding = m.remove("contentEncoding");
    let media = m.remove("contentMediaType");
    m.remove("contentSchema");
    if !m.contains_key("format") {
        if encoding
            .as_ref()
            .and_then(Value::as_str)
            .is_some_and(|e| e.eq_ignore_ascii_case("base64"))
        {
            m.insert("format".into(), "byte".into());
        } else if media.is_some() && encoding.is_none() {
            m.insert("format".into(), "binary".into());
        }
    }
    if m.remove("prefixItems").is_some() {
        m.entry("items")
            .or_insert_with(|| Value::Object(Map::new()));
        if m.get("items").is_some_and(Value::is_array) {
            m.insert("items".into(), Value::Object(Map::new()));
        }
    }
    // $ref with siblings
    if m.contains_key("$ref") && m.len() > 1 {
        let meaningful = m.keys().any(|k| {
            !matches!(k.as_str(), "$ref" | "description" | "title" | "summary")
                && !k.starts_with("x-")
        });
        if meaningful {
            let r = m.remove("$ref").unwrap_or(Value::Null);
            let all_of = match m.remove("allOf") {
                Some(Value::Array(mut a)) => {
                    a.insert(0, json!({ "$ref": r }));
                    a
                }
                _ => vec![json!({ "$ref": r })],
            };
            m.insert("allOf".into(), Value::Array(all_of));
        }
    }
}

/// Rewrites a 3.1 document to 3.0.
pub(crate) fn downgrade(doc: &mut Value, cx: &mut Ctx3) {
    // path items referring to components/pathItems: inline (3.0 has no such components)
    let path_items = doc.pointer("/components/pathItems").cloned();
    if let (Some(Value::Object(items)), Some(Value::Object(paths))) =
        (path_items, doc.get_mut("paths"))
    {
        for (_, item) in paths.iter_mut() {
            let target = item
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                .map(crate::pointer::unescape);
            if let Some(t) = target.and_then(|t| items.get(&t)) {
                *item = t.clone();
            }
        }
    }
    for_each_schema(doc, &mut |m, ptr| schema(m, ptr, cx));
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    obj.insert("openapi".into(), "3.0.3".into());
    if let Some(w) = obj.remove("webhooks") {
        obj.insert("x-webhooks".into(), w);
    }
    obj.entry("paths")
        .or_insert_with(|| Value::Object(Map::new()));
    if let Some(info) = obj.get_mut("info").and_then(Value::as_object_mut) {
        info.remove("summary");
        if let Some(l) = info.get_mut("license").and_then(Value::as_object_mut) {
            l.remove("identifier");
        }
    }
    if let Some(c) = obj.get_mut("components").and_then(Value::as_object_mut) {
        c.remove("pathItems");
        if let Some(s) = c.get_mut("securitySchemes").and_then(Value::as_object_mut) {
            let mtls: Vec<String> = s
                .iter()
                .filter(|(_, v)| v.get("type").and_then(Value::as_str) == Some("mutualTLS"))
                .map(|(k, _)| k.clone())
                .collect();
            for k in mtls {
                s.remove(&k);
                cx.warn(
                    "normalize/mutual-tls",
                    format!("security scheme `{k}` is mutualTLS, which OpenAPI 3.0 cannot express; it was dropped"),
                    &format!("/components/securitySchemes/{}", crate::pointer::escape(&k)),
                );
            }
        }
    }
}
