//! Pre-fixes for `openapiv3`'s strictness, for every version: legal or common-but-odd things
//! that would make a whole piece fail to deserialize. A warning is given where the meaning
//! changes.
//!
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` (JSON Schema 2019+ style) → `minimum`/
//!   `maximum` + `true` (same meaning);
//! - `required: true|false` inside a schema (Swagger-style) dropped (warning);
//! - string-typed booleans (`nullable: "true"`, `readOnly`, …) → booleans;
//! - non-string `format`, `pattern`, `title`, `description` → strings;
//! - negative or fractional `minLength` / `maxItems` / … dropped (warning);
//! - `info.version` / `info.title` that are numbers → strings; missing ones → `""`;
//! - an integer whose documented values go past `i64` (none negative) → `format: uint64`;
//! - object keywords (`properties`, …) beside a `type` that is not `object` dropped (warning).

use serde_json::{Map, Value};

use super::schemas::for_each_schema;
use super::Ctx3;

fn to_text(v: &Value) -> Option<String> {
    match v {
        Value::String(_) => None,
        Value::Null => Some(String::new()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => Some(other.to_string()),
    }
}

/// Fixes one schema object.
pub(crate) fn schema(m: &mut Map<String, Value>, ptr: &str, cx: &mut Ctx3) {
    for (key, base, flag) in [
        ("exclusiveMinimum", "minimum", true),
        ("exclusiveMaximum", "maximum", false),
    ] {
        if let Some(Value::Number(n)) = m.get(key).cloned() {
            let keep_existing = match (m.get(base).and_then(Value::as_f64), n.as_f64()) {
                (Some(old), Some(new)) => {
                    if flag {
                        old > new
                    } else {
                        old < new
                    }
                }
                _ => false,
            };
            if keep_existing {
                m.remove(key);
            } else {
                m.insert(base.into(), Value::Number(n));
                m.insert(key.into(), Value::Bool(true));
            }
        }
    }
    wide_integer(m);
    dead_object_keywords(m, ptr, cx);
    if matches!(m.get("required"), Some(Value::Bool(_))) {
        m.remove("required");
        cx.warn(
            "normalize/required-flag",
            "`required: true|false` is not valid inside a schema (list required properties in the parent's `required` array); it was ignored",
            &format!("{ptr}/required"),
        );
    }
    for key in [
        "nullable",
        "readOnly",
        "writeOnly",
        "deprecated",
        "uniqueItems",
    ] {
        if let Some(Value::String(s)) = m.get(key) {
            let b = s.eq_ignore_ascii_case("true");
            m.insert(key.into(), Value::Bool(b));
        }
    }
    for key in ["format", "pattern", "title", "description"] {
        if let Some(t) = m.get(key).and_then(to_text) {
            m.insert(key.into(), Value::String(t));
        }
    }
    for key in [
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    ] {
        if let Some(v) = m.get(key) {
            if v.as_u64().is_none() {
                let whole = v.as_f64().filter(|f| *f >= 0.0 && f.fract() == 0.0);
                match whole {
                    Some(f) => {
                        m.insert(key.into(), Value::from(f as u64));
                    }
                    None => {
                        m.remove(key);
                        cx.warn(
                            "normalize/invalid-bound",
                            format!("`{key}` must be a non-negative integer; it was ignored"),
                            &format!("{ptr}/{key}"),
                        );
                    }
                }
            }
        }
    }
    if let Some(Value::Array(req)) = m.get_mut("required") {
        req.retain(Value::is_string);
    }
}

/// An integer whose own bounds, enum, default or example go past `i64` while none is
/// negative (DigitalOcean: MySQL's `max_seeks_for_key` up to 18446744073709551615, Kafka's
/// `flush_messages` defaulting to 9223372036854776000) is `format: uint64`: the values the
/// definition itself documents decode. A bound past `u64` itself (or past `i64` once the
/// type is `uint64`, which `u64` caps anyway) is dropped so that the schema keeps its type.
fn wide_integer(m: &mut Map<String, Value>) {
    if m.get("type").and_then(Value::as_str) != Some("integer") {
        return;
    }
    if !matches!(
        m.get("format").and_then(Value::as_str),
        None | Some("int64" | "uint64")
    ) {
        return;
    }
    let mut values: Vec<&Value> = ["minimum", "maximum", "default", "example"]
        .iter()
        .filter_map(|k| m.get(*k))
        .collect();
    if let Some(Value::Array(e)) = m.get("enum") {
        values.extend(e.iter());
    }
    let numbers: Vec<f64> = values.iter().filter_map(|v| v.as_f64()).collect();
    let past_i64 = values
        .iter()
        .any(|v| v.is_number() && v.as_i64().is_none() && v.as_f64().is_some_and(|f| f > 0.0));
    if !past_i64 || numbers.iter().any(|f| *f < 0.0) {
        return;
    }
    m.insert("format".into(), Value::String("uint64".into()));
    for key in ["minimum", "maximum"] {
        if m.get(key)
            .is_some_and(|v| v.is_number() && v.as_i64().is_none())
        {
            m.remove(key);
        }
    }
}

/// Object keywords beside a `type` that is not `object` (Partner Center's referral tags:
/// `items: {type: string, properties: {tag: …}}`) apply to no value the schema allows:
/// they are dropped with a warning, and the schema is the `type` it says.
fn dead_object_keywords(m: &mut Map<String, Value>, ptr: &str, cx: &mut Ctx3) {
    let Some(ty @ ("string" | "integer" | "number" | "boolean" | "array")) =
        m.get("type").and_then(Value::as_str)
    else {
        return;
    };
    let ty = ty.to_string();
    let dead: Vec<&str> = [
        "properties",
        "additionalProperties",
        "minProperties",
        "maxProperties",
    ]
    .into_iter()
    .filter(|k| m.contains_key(*k))
    .collect();
    if dead.is_empty() {
        return;
    }
    for k in &dead {
        m.remove(*k);
    }
    if matches!(m.get("required"), Some(Value::Array(_))) {
        m.remove("required");
    }
    cx.warn(
        "normalize/dead-keywords",
        format!(
            "`{}` cannot apply to a `type: {ty}` value; ignored (write `type: object` if the value is an object)",
            dead.join("`, `")
        ),
        &format!("{ptr}/{}", dead[0]),
    );
}

/// Applies every fix.
pub(crate) fn apply(doc: &mut Value, cx: &mut Ctx3) {
    if let Some(info) = doc.get_mut("info").and_then(Value::as_object_mut) {
        for key in ["title", "version"] {
            match info.get(key) {
                None => {
                    info.insert(key.into(), Value::String(String::new()));
                    cx.warn(
                        "normalize/info",
                        format!("`info.{key}` is missing"),
                        "/info",
                    );
                }
                Some(v) => {
                    if let Some(t) = to_text(v) {
                        info.insert(key.into(), Value::String(t));
                    }
                }
            }
        }
    }
    // HTTP auth scheme names are case-insensitive (RFC 7235), but the 3.0 schema's
    // `bearerFormat` rule matches `bearer` only: write them in lower case.
    if let Some(schemes) = doc
        .pointer_mut("/components/securitySchemes")
        .and_then(Value::as_object_mut)
    {
        for scheme in schemes.values_mut() {
            if scheme.get("type").and_then(Value::as_str) == Some("http") {
                if let Some(Value::String(s)) = scheme.get_mut("scheme") {
                    *s = s.to_ascii_lowercase();
                }
            }
        }
    }
    let strict = doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.0"))
        && !cx.downgraded;
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            operations(
                item,
                &format!("/paths/{}", crate::pointer::escape(path)),
                strict,
                cx,
            );
        }
    }
    if let Some(cbs) = doc
        .pointer_mut("/components/callbacks")
        .and_then(Value::as_object_mut)
    {
        for (name, cb) in cbs.iter_mut() {
            if let Some(cb) = cb.as_object_mut() {
                for (expr, item) in cb.iter_mut() {
                    let ptr = format!(
                        "/components/callbacks/{}/{}",
                        crate::pointer::escape(name),
                        crate::pointer::escape(expr)
                    );
                    operations(item, &ptr, strict, cx);
                }
            }
        }
    }
    for_each_schema(doc, &mut |m, ptr| schema(m, ptr, cx));
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Operations without `responses` (optional since 3.1) get an empty one.
fn operations(item: &mut Value, ptr: &str, strict: bool, cx: &mut Ctx3) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    for m in METHODS {
        if let Some(op) = item.get_mut(*m).and_then(Value::as_object_mut) {
            if !op.contains_key("responses") {
                op.insert("responses".into(), Value::Object(Map::new()));
                if strict {
                    cx.warn(
                        "normalize/no-responses",
                        "the operation has no `responses` (required in OpenAPI 3.0); none are assumed",
                        &format!("{ptr}/{m}"),
                    );
                }
            }
        }
    }
}
