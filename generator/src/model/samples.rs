//! Sample arguments for the conformance program: for each action, a schema-valid JSON value
//! for every parameter and for the body, read from the normalized document's schemas
//! (`example`, `default`, the first `enum` value, `format`, `minimum`/`maximum`, lengths).
//!
//! The values are decided here; the emitter only prints them as Rust expressions of the
//! model's types (`emit::conformance`).

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use super::{Action, BodyKind, Connector, ParamLocation};

/// The sample arguments of one action.
#[derive(Clone, Debug, Default)]
pub struct ActionSample {
    /// One value per [`Action::params`], in the same order (`None`: no schema found).
    pub params: Vec<Option<Value>>,
    /// The body's value, when the action has a body.
    pub body: Option<Value>,
}

/// Nesting followed before a schema is sampled as its cheapest value.
const MAX_DEPTH: usize = 12;

/// Sample arguments for every action of `c`, in action order.
pub fn samples(c: &Connector, doc: &Value) -> Vec<ActionSample> {
    c.actions.iter().map(|a| action_sample(a, doc)).collect()
}

fn action_sample(a: &Action, doc: &Value) -> ActionSample {
    let item = doc.get("paths").and_then(|p| p.get(&a.path));
    let op = item.and_then(|i| i.get(a.method.to_ascii_lowercase()));
    let mut declared: Vec<&Value> = Vec::new();
    for list in [op, item].into_iter().flatten() {
        if let Some(Value::Array(ps)) = list.get("parameters") {
            declared.extend(ps.iter().map(|p| resolve(doc, p)));
        }
    }
    let params = a
        .params
        .iter()
        .map(|p| {
            let loc = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
                ParamLocation::Cookie => "cookie",
            };
            let decl = declared.iter().find(|d| {
                d.get("name").and_then(Value::as_str) == Some(p.wire_name.as_str())
                    && d.get("in").and_then(Value::as_str) == Some(loc)
            })?;
            if let Some(ex) = decl.get("example") {
                return Some(ex.clone());
            }
            let schema = decl.get("schema").or_else(|| {
                decl.get("content")
                    .and_then(Value::as_object)
                    .and_then(|c| c.values().next())
                    .and_then(|m| m.get("schema"))
            })?;
            Some(sample(doc, schema, 0, &mut BTreeSet::new()))
        })
        .collect();
    let body = a.body.as_ref().map(|b| {
        let content = op
            .and_then(|o| o.get("requestBody"))
            .map(|rb| resolve(doc, rb))
            .and_then(|rb| rb.get("content"))
            .and_then(Value::as_object);
        let media = content.and_then(|c| {
            let wanted = |k: &str| match &b.kind {
                BodyKind::Json(_) => k.contains("json"),
                BodyKind::Form(_) => k.starts_with("application/x-www-form-urlencoded"),
                BodyKind::Multipart(_) => k.starts_with("multipart/"),
                BodyKind::Bytes(ct) | BodyKind::Text(ct) => k == ct,
            };
            c.iter()
                .find(|(k, _)| wanted(&k.to_ascii_lowercase()))
                .or_else(|| c.iter().next())
                .map(|(_, m)| m)
        });
        match media {
            Some(m) => match (m.get("example"), m.get("schema")) {
                (Some(ex), _) => ex.clone(),
                (None, Some(s)) => sample(doc, s, 0, &mut BTreeSet::new()),
                (None, None) => Value::Null,
            },
            None => Value::Null,
        }
    });
    ActionSample { params, body }
}

/// Follows local `$ref`s (`#/…`), at most a few times.
fn resolve<'v>(doc: &'v Value, v: &'v Value) -> &'v Value {
    let mut cur = v;
    for _ in 0..16 {
        match cur.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(next) => cur = next,
                None => return cur,
            },
            None => return cur,
        }
    }
    cur
}

/// A schema-valid value of `schema`: its `example`, `default`, first `enum` value, or one
/// built from its type, format and bounds. Required properties only; one item per array.
pub fn sample(doc: &Value, schema: &Value, depth: usize, seen: &mut BTreeSet<String>) -> Value {
    let reference = schema
        .get("$ref")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let Some(r) = &reference {
        if !seen.insert(r.clone()) {
            return Value::Null;
        }
    }
    let s = resolve(doc, schema);
    let out = sample_resolved(doc, s, depth, seen);
    if let Some(r) = &reference {
        seen.remove(r);
    }
    out
}

fn sample_resolved(doc: &Value, s: &Value, depth: usize, seen: &mut BTreeSet<String>) -> Value {
    for key in ["example", "default"] {
        if let Some(v) = s.get(key) {
            if !v.is_null() {
                return v.clone();
            }
        }
    }
    if let Some(Value::Array(vs)) = s.get("enum") {
        if let Some(v) = vs.iter().find(|v| !v.is_null()) {
            return v.clone();
        }
    }
    if depth > MAX_DEPTH {
        return Value::Null;
    }
    if let Some(Value::Array(parts)) = s.get("allOf") {
        let mut merged = Map::new();
        let mut other = None;
        for p in parts {
            match sample(doc, p, depth + 1, seen) {
                Value::Object(m) => merged.extend(m),
                Value::Null => {}
                v => other = Some(v),
            }
        }
        if let Some(Value::Object(own)) = object_sample(doc, s, depth, seen) {
            merged.extend(own);
        }
        return match other {
            Some(v) if merged.is_empty() => v,
            _ => Value::Object(merged),
        };
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alts)) = s.get(key) {
            if let Some(first) = alts.first() {
                let mut v = sample(doc, first, depth + 1, seen);
                // A discriminator names the alternative by a property.
                if let (Some(prop), Value::Object(m)) = (
                    s.get("discriminator")
                        .and_then(|d| d.get("propertyName"))
                        .and_then(Value::as_str),
                    &mut v,
                ) {
                    if !m.contains_key(prop) {
                        if let Some(name) = first
                            .get("$ref")
                            .and_then(Value::as_str)
                            .and_then(|r| r.rsplit('/').next())
                        {
                            m.insert(prop.to_string(), Value::from(name));
                        }
                    }
                }
                return v;
            }
        }
    }
    let ty = s.get("type").and_then(Value::as_str).unwrap_or_else(|| {
        if s.get("properties").is_some() || s.get("additionalProperties").is_some() {
            "object"
        } else if s.get("items").is_some() {
            "array"
        } else {
            ""
        }
    });
    match ty {
        "object" => object_sample(doc, s, depth, seen).unwrap_or_else(|| json!({})),
        "array" => {
            let min = s
                .get("minItems")
                .and_then(Value::as_u64)
                .unwrap_or(1)
                .max(1);
            match s.get("items") {
                Some(items) => {
                    let v = sample(doc, items, depth + 1, seen);
                    if v.is_null() {
                        json!([])
                    } else {
                        Value::Array(vec![v; min.min(4) as usize])
                    }
                }
                None => json!([]),
            }
        }
        "string" => Value::from(string_sample(s)),
        "integer" => Value::from(integer_sample(s)),
        "number" => number_sample(s),
        "boolean" => Value::Bool(true),
        _ => Value::Null,
    }
}

fn object_sample(
    doc: &Value,
    s: &Value,
    depth: usize,
    seen: &mut BTreeSet<String>,
) -> Option<Value> {
    let props = s.get("properties").and_then(Value::as_object);
    let required: Vec<&str> = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if props.is_none() && required.is_empty() {
        return None;
    }
    let mut out = Map::new();
    for name in required {
        let v = match props.and_then(|p| p.get(name)) {
            Some(ps) => sample(doc, ps, depth + 1, seen),
            None => Value::from("x"),
        };
        out.insert(name.to_string(), v);
    }
    Some(Value::Object(out))
}

fn string_sample(s: &Value) -> String {
    let format = s.get("format").and_then(Value::as_str).unwrap_or("");
    let base = match format {
        "date-time" => "2024-01-02T03:04:05Z",
        "date" => "2024-01-02",
        "time" => "03:04:05",
        "uuid" => "00000000-0000-4000-8000-000000000000",
        "email" => "user@example.com",
        "uri" | "url" | "uri-reference" | "iri" => "https://example.com/x",
        "hostname" => "example.com",
        "ipv4" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "byte" => "AAAA",
        "binary" => "x",
        _ => "x",
    };
    let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    let max = s
        .get("maxLength")
        .and_then(Value::as_u64)
        .map(|m| m as usize);
    let mut out = base.to_string();
    if out.len() < min && matches!(format, "" | "binary") {
        out = "x".repeat(min.min(64));
    }
    if let Some(max) = max {
        if out.len() > max && matches!(format, "" | "binary") {
            out.truncate(max);
        }
    }
    out
}

fn integer_sample(s: &Value) -> i64 {
    let min = s.get("minimum").and_then(Value::as_f64);
    let max = s.get("maximum").and_then(Value::as_f64);
    let exclusive_min = s.get("exclusiveMinimum").and_then(Value::as_bool) == Some(true);
    let mut v: i64 = 1;
    if let Some(m) = min {
        let lo = if exclusive_min {
            m.floor() as i64 + 1
        } else {
            m.ceil() as i64
        };
        v = v.max(lo);
    }
    if let Some(m) = max {
        v = v.min(m.floor() as i64);
    }
    if let Some(step) = s.get("multipleOf").and_then(Value::as_i64) {
        if step > 0 && v % step != 0 {
            v = (v / step + 1) * step;
        }
    }
    v
}

fn number_sample(s: &Value) -> Value {
    let min = s.get("minimum").and_then(Value::as_f64);
    let max = s.get("maximum").and_then(Value::as_f64);
    let mut v = 1.5_f64;
    if let Some(m) = min {
        if v < m {
            v = m + 0.5;
        }
    }
    if let Some(m) = max {
        if v > m {
            v = m;
        }
    }
    Value::from(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sample_honours_example_enum_format_and_bounds() {
        let doc = json!({"components": {"schemas": {"Pet": {
            "type": "object",
            "required": ["name", "age", "kind", "born"],
            "properties": {
                "name": {"type": "string", "minLength": 3},
                "age": {"type": "integer", "minimum": 5},
                "kind": {"type": "string", "enum": ["cat", "dog"]},
                "born": {"type": "string", "format": "date"},
                "tag": {"type": "string"}
            }
        }}}});
        let v = sample(
            &doc,
            &json!({"$ref": "#/components/schemas/Pet"}),
            0,
            &mut BTreeSet::new(),
        );
        assert_eq!(
            v,
            json!({"name": "xxx", "age": 5, "kind": "cat", "born": "2024-01-02"})
        );
    }

    #[test]
    fn a_recursive_schema_ends() {
        let doc = json!({"components": {"schemas": {"Node": {
            "type": "object", "required": ["next"],
            "properties": {"next": {"$ref": "#/components/schemas/Node"}}
        }}}});
        let v = sample(
            &doc,
            &json!({"$ref": "#/components/schemas/Node"}),
            0,
            &mut BTreeSet::new(),
        );
        assert_eq!(v, json!({"next": null}));
    }
}
