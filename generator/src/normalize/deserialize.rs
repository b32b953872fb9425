//! Piecewise deserialization into `openapiv3::OpenAPI`: the document skeleton, then each path
//! item and each component on its own, so that a piece that fails is reported (located) and
//! dropped while everything else goes on. A failing piece is first repaired where possible:
//! its innermost failing schemas are replaced by `{}` (each reported), then it is retried.

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use openapiv3::{OpenAPI, ReferenceOr, Schema};

use super::Ctx3;
use crate::load::walk::Ctx;
use crate::pointer;

fn path_of(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in e.path().iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&pointer::escape(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

fn try_de<T: DeserializeOwned>(v: &Value) -> Result<T, (String, String)> {
    serde_path_to_error::deserialize::<_, T>(v).map_err(|e| {
        let p = path_of(&e);
        (p, e.into_inner().to_string())
    })
}

/// Replaces the innermost schemas of `node` that do not deserialize with `{}`; true when any
/// was replaced.
fn repair_schemas(node: &mut Value, ptr: &mut String, ctx: Ctx, cx: &mut Ctx3) -> bool {
    if matches!(ctx, Ctx::Data | Ctx::Extension) {
        return false;
    }
    let mut changed = false;
    match node {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let c = ctx.child(Some(k), v);
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&pointer::escape(k));
                changed |= repair_schemas(v, ptr, c, cx);
                ptr.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                let c = ctx.child(None, v);
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&i.to_string());
                changed |= repair_schemas(v, ptr, c, cx);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
    if ctx.is_schema() {
        if let Err((inner, msg)) = try_de::<ReferenceOr<Schema>>(node) {
            let detail = match try_de::<Schema>(node) {
                Err((inner2, msg2)) if node.get("$ref").is_none() => (inner2, msg2),
                _ => (inner, msg),
            };
            cx.error(
                "normalize/invalid",
                format!(
                    "invalid schema: {}; it was replaced by an empty schema",
                    detail.1
                ),
                &format!("{ptr}{}", detail.0),
            );
            *node = Value::Object(Map::new());
            changed = true;
        }
    }
    changed
}

/// Deserializes one piece at `ptr`; on failure repairs, retries, and finally reports and
/// returns `None` (the caller drops the piece).
fn piece<T: DeserializeOwned>(
    v: &mut Value,
    ptr: &str,
    ctx: Ctx,
    what: &str,
    cx: &mut Ctx3,
) -> Option<T> {
    let first = match try_de::<T>(v) {
        Ok(t) => return Some(t),
        Err(e) => e,
    };
    if repair_schemas(v, &mut ptr.to_string(), ctx, cx) {
        if let Ok(t) = try_de::<T>(v) {
            return Some(t);
        }
    }
    let (inner, msg) = match try_de::<T>(v) {
        Err(e) => e,
        Ok(t) => return Some(t),
    };
    let (inner, msg) = if inner.is_empty() {
        (first.0, first.1)
    } else {
        (inner, msg)
    };
    cx.error(
        "normalize/invalid",
        format!("invalid {what}: {msg}; it was left out"),
        &format!("{ptr}{inner}"),
    );
    None
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn path_item(v: &mut Value, ptr: &str, cx: &mut Ctx3) -> Option<ReferenceOr<openapiv3::PathItem>> {
    // Try whole; on failure drop only the operations (or parameters) that fail.
    if let Ok(p) = try_de::<ReferenceOr<openapiv3::PathItem>>(v) {
        return Some(p);
    }
    if let Some(obj) = v.as_object_mut() {
        let keys: Vec<String> = obj.keys().cloned().collect();
        for k in keys {
            let child_ptr = pointer::push(ptr, &k);
            let Some(child) = obj.get_mut(&k) else {
                continue;
            };
            let ok = if METHODS.contains(&k.as_str()) {
                piece::<openapiv3::Operation>(child, &child_ptr, Ctx::Other, "operation", cx)
                    .is_some()
            } else if k == "parameters" {
                piece::<Vec<ReferenceOr<openapiv3::Parameter>>>(
                    child,
                    &child_ptr,
                    Ctx::Other,
                    "parameter list",
                    cx,
                )
                .is_some()
            } else {
                true
            };
            if !ok {
                obj.remove(&k);
            }
        }
    }
    piece::<ReferenceOr<openapiv3::PathItem>>(v, ptr, Ctx::Other, "path item", cx)
}

fn section<T: DeserializeOwned>(
    comps: &mut Map<String, Value>,
    name: &str,
    what: &str,
    cx: &mut Ctx3,
) -> IndexMap<String, ReferenceOr<T>> {
    let mut out = IndexMap::new();
    let Some(Value::Object(entries)) = comps.get_mut(name) else {
        if comps.contains_key(name) {
            cx.error(
                "normalize/invalid",
                format!("`components/{name}` must be a map"),
                &format!("/components/{name}"),
            );
            comps.remove(name);
        }
        return out;
    };
    let ctx = if name == "schemas" {
        Ctx::Schema { top: true }
    } else {
        Ctx::Other
    };
    let mut dropped = Vec::new();
    for (k, v) in entries.iter_mut() {
        let ptr = format!("/components/{name}/{}", pointer::escape(k));
        match piece::<ReferenceOr<T>>(v, &ptr, ctx, what, cx) {
            Some(t) => {
                out.insert(k.clone(), t);
            }
            None => dropped.push(k.clone()),
        }
    }
    for k in dropped {
        entries.remove(&k);
    }
    out
}

/// Deserializes the document piece by piece; `doc` loses the pieces that were dropped.
pub(crate) fn piecewise(doc: &mut Value, cx: &mut Ctx3) -> Option<OpenAPI> {
    let Some(obj) = doc.as_object_mut() else {
        cx.error("normalize/invalid", "the document is not an object", "");
        return None;
    };
    // Skeleton.
    let mut skeleton = Map::new();
    for (k, v) in obj.iter() {
        if k != "paths" && k != "components" {
            skeleton.insert(k.clone(), v.clone());
        }
    }
    skeleton.insert("paths".into(), Value::Object(Map::new()));
    let mut skeleton = Value::Object(skeleton);
    let mut openapi: Option<OpenAPI> = None;
    for _ in 0..16 {
        match try_de::<OpenAPI>(&skeleton) {
            Ok(o) => {
                openapi = Some(o);
                break;
            }
            Err((inner, msg)) => {
                let top = crate::load::walk::first_token(&inner);
                if top.is_empty() || top == "openapi" || top == "info" {
                    cx.error(
                        "normalize/invalid",
                        format!("invalid document: {msg}"),
                        &inner,
                    );
                    return None;
                }
                cx.error(
                    "normalize/invalid",
                    format!("invalid `{top}`: {msg}; it was left out"),
                    &inner,
                );
                if let Some(s) = skeleton.as_object_mut() {
                    s.remove(&top);
                }
                obj.remove(&top);
            }
        }
    }
    let mut openapi = openapi?;
    // Paths.
    if let Some(paths) = obj.get_mut("paths") {
        if let Value::Object(paths) = paths {
            let mut dropped = Vec::new();
            for (k, v) in paths.iter_mut() {
                if k.starts_with("x-") {
                    openapi.paths.extensions.insert(k.clone(), v.clone());
                    continue;
                }
                let ptr = format!("/paths/{}", pointer::escape(k));
                match path_item(v, &ptr, cx) {
                    Some(p) => {
                        openapi.paths.paths.insert(k.clone(), p);
                    }
                    None => dropped.push(k.clone()),
                }
            }
            for k in dropped {
                paths.remove(&k);
            }
        } else {
            cx.error("normalize/invalid", "`paths` must be a map", "/paths");
            *paths = Value::Object(Map::new());
        }
    }
    // Components.
    if let Some(comps) = obj.get_mut("components") {
        if let Value::Object(c) = comps {
            let mut out = openapiv3::Components {
                schemas: section(c, "schemas", "schema", cx),
                responses: section(c, "responses", "response", cx),
                parameters: section(c, "parameters", "parameter", cx),
                examples: section(c, "examples", "example", cx),
                request_bodies: section(c, "requestBodies", "request body", cx),
                headers: section(c, "headers", "header", cx),
                security_schemes: section(c, "securitySchemes", "security scheme", cx),
                links: section(c, "links", "link", cx),
                callbacks: section(c, "callbacks", "callback", cx),
                ..Default::default()
            };
            for (k, v) in c.iter() {
                if k.starts_with("x-") {
                    out.extensions.insert(k.clone(), v.clone());
                }
            }
            openapi.components = Some(out);
        } else {
            cx.error(
                "normalize/invalid",
                "`components` must be a map",
                "/components",
            );
            obj.remove("components");
        }
    }
    Some(openapi)
}
