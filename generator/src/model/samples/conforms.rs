//! Whether a JSON value is valid against its schema, as far as the sampler reads schemas:
//! `type`, `enum`, `nullable`, the formats email, uuid, date, date-time and uri, `pattern`,
//! lengths, bounds, `required`, `additionalProperties: false`, `allOf`/`oneOf`/`anyOf`, and
//! the same recursively for properties and array items. A definition's `example` or
//! `default` is used as a sample only when it passes (definitions' examples can break their
//! own schema: "string" where an email or an enum value is asked for).
//!
//! What is not read here (`multipleOf`, `uniqueItems`, other formats…) is accepted. One walk
//! of the value against the schema; nothing is built.

use std::sync::OnceLock;

use serde_json::{Map, Number, Value};

use super::{resolve, Pattern};

/// Schema nesting followed before a value is taken as not valid (an `allOf` cycle ends).
const MAX_DEPTH: usize = 64;

/// Whether `v` is valid against `schema` (`$ref`s followed in `doc`).
pub(super) fn conforms(doc: &Value, v: &Value, schema: &Value) -> bool {
    check(doc, v, schema, 0)
}

fn check(doc: &Value, v: &Value, schema: &Value, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    let s = resolve(doc, schema);
    let Value::Object(_) = s else {
        // `true`/`false` schemas; anything else says nothing.
        return s.as_bool() != Some(false);
    };
    let types: Vec<&str> = match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if v.is_null()
        && (s.get("nullable").and_then(Value::as_bool) == Some(true)
            || s.get("x-nullable").and_then(Value::as_bool) == Some(true)
            || types.contains(&"null"))
    {
        return true;
    }
    if let Some(Value::Array(allowed)) = s.get("enum") {
        if !allowed.iter().any(|a| same(a, v)) {
            return false;
        }
    }
    if !types.is_empty() && !types.iter().any(|t| has_type(v, t)) {
        return false;
    }
    if let Some(Value::Array(parts)) = s.get("allOf") {
        if !parts.iter().all(|p| check(doc, v, p, depth + 1)) {
            return false;
        }
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(alts)) = s.get(key) {
            if !alts.is_empty() && !alts.iter().any(|a| check(doc, v, a, depth + 1)) {
                return false;
            }
        }
    }
    match v {
        Value::String(x) => string_ok(s, x),
        Value::Number(n) => number_ok(s, n),
        Value::Array(items) => array_ok(doc, s, items, depth),
        Value::Object(m) => object_ok(doc, s, m, depth),
        Value::Null | Value::Bool(_) => true,
    }
}

/// JSON equality, with numbers compared by value (`1` and `1.0` are the same).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn has_type(v: &Value, t: &str) -> bool {
    match t {
        "string" => v.is_string(),
        "integer" => v.as_number().is_some_and(|n| {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "array" => v.is_array(),
        "object" => v.is_object(),
        "null" => v.is_null(),
        // Swagger 2.0's `file` and unknown types say nothing about the value.
        _ => true,
    }
}

fn string_ok(s: &Value, x: &str) -> bool {
    let len = x.chars().count() as u64;
    if s.get("minLength")
        .and_then(Value::as_u64)
        .is_some_and(|m| len < m)
        || s.get("maxLength")
            .and_then(Value::as_u64)
            .is_some_and(|m| len > m)
    {
        return false;
    }
    if let Some(format) = s.get("format").and_then(Value::as_str) {
        if !format_accepts(format, x) {
            return false;
        }
    }
    match s.get("pattern").and_then(Value::as_str) {
        // A pattern the regex crate cannot read is not held against the value.
        Some(p) => {
            let pattern = Pattern::new(p);
            !pattern.readable() || pattern.accepts(x)
        }
        None => true,
    }
}

/// The formats checked, as Prism's validator (ajv-formats, "fast") reads them.
const FORMATS: [(&str, &str); 5] = [
    (
        "email",
        r"(?i)^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
    ),
    (
        "uuid",
        r"(?i)^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$",
    ),
    ("date", r"^\d\d\d\d-[0-1]\d-[0-3]\d$"),
    (
        "date-time",
        r"(?i)^\d\d\d\d-[0-1]\d-[0-3]\d[t\s](?:[0-2]\d:[0-5]\d:[0-5]\d|23:59:60)(?:\.\d+)?(?:z|[+-]\d\d(?::?\d\d)?)$",
    ),
    ("uri", r"(?i)^[a-z][a-z0-9+\-.]*:(?:/?/)?[^\s]*$"),
];

/// Whether `x` is a value of `format`; formats not in [`FORMATS`] accept anything.
fn format_accepts(format: &str, x: &str) -> bool {
    static COMPILED: OnceLock<Vec<(&'static str, regex::Regex)>> = OnceLock::new();
    let compiled = COMPILED.get_or_init(|| {
        FORMATS
            .iter()
            .filter_map(|(f, re)| regex::Regex::new(re).ok().map(|re| (*f, re)))
            .collect()
    });
    compiled
        .iter()
        .find(|(f, _)| *f == format)
        .is_none_or(|(_, re)| re.is_match(x))
}

fn number_ok(s: &Value, n: &Number) -> bool {
    let Some(x) = n.as_f64() else {
        return true;
    };
    let bound = |key: &str, exclusive: &str, below: bool| {
        let limit = s.get(key).and_then(Value::as_f64);
        // OpenAPI 3.0 says `exclusiveMinimum: true`; 3.1 gives the bound itself.
        let (limit, strict) = match s.get(exclusive) {
            Some(Value::Bool(b)) => (limit, *b),
            Some(Value::Number(e)) => (e.as_f64(), true),
            _ => (limit, false),
        };
        limit.is_none_or(|l| match (below, strict) {
            (true, false) => x >= l,
            (true, true) => x > l,
            (false, false) => x <= l,
            (false, true) => x < l,
        })
    };
    bound("minimum", "exclusiveMinimum", true) && bound("maximum", "exclusiveMaximum", false)
}

fn array_ok(doc: &Value, s: &Value, items: &[Value], depth: usize) -> bool {
    let len = items.len() as u64;
    if s.get("minItems")
        .and_then(Value::as_u64)
        .is_some_and(|m| len < m)
        || s.get("maxItems")
            .and_then(Value::as_u64)
            .is_some_and(|m| len > m)
    {
        return false;
    }
    match s.get("items") {
        Some(item) if !item.is_array() => items.iter().all(|i| check(doc, i, item, depth + 1)),
        _ => true,
    }
}

fn object_ok(doc: &Value, s: &Value, m: &Map<String, Value>, depth: usize) -> bool {
    let required = s.get("required").and_then(Value::as_array);
    if required.is_some_and(|r| {
        r.iter()
            .filter_map(Value::as_str)
            .any(|n| !m.contains_key(n))
    }) {
        return false;
    }
    let props = s.get("properties").and_then(Value::as_object);
    let extra = s.get("additionalProperties");
    m.iter().all(|(k, v)| match props.and_then(|p| p.get(k)) {
        Some(ps) => check(doc, v, ps, depth + 1),
        None => match extra {
            Some(Value::Bool(allowed)) => *allowed,
            Some(e @ Value::Object(_)) => check(doc, v, e, depth + 1),
            _ => true,
        },
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn each_kind_of_mistake_is_found() {
        let doc = json!({"definitions": {"Caption": {
            "type": "object",
            "required": ["context"],
            "properties": {
                "context": {"type": "integer", "enum": [1, 2, 3]},
                "email": {"type": "string", "format": "email"},
                "id": {"type": "string", "format": "uuid"},
                "at": {"type": "string", "format": "date-time"},
                "code": {"type": "string", "pattern": "^[A-Z]{2}$", "maxLength": 2},
                "n": {"type": "number", "minimum": 0, "exclusiveMaximum": true, "maximum": 10},
                "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 2}
            },
            "additionalProperties": false
        }}});
        let schema = json!({"$ref": "#/definitions/Caption"});
        let good = json!({
            "context": 2, "email": "a@b.co", "id": "00000000-0000-4000-8000-000000000000",
            "at": "2024-01-02T03:04:05Z", "code": "AB", "n": 9.5, "tags": ["x"]
        });
        assert!(conforms(&doc, &good, &schema));
        for (key, bad) in [
            ("context", json!("string")),
            ("context", json!(4)),
            ("email", json!("string")),
            ("id", json!("string")),
            ("at", json!("2024-01-02")),
            ("code", json!("ab")),
            ("n", json!(10)),
            ("n", json!(-1)),
            ("tags", json!(["x", "y", "z"])),
            ("tags", json!([1])),
            ("unknown", json!(1)),
        ] {
            let mut v = good.clone();
            v[key] = bad.clone();
            assert!(!conforms(&doc, &v, &schema), "{key}: {bad} was accepted");
        }
        let mut v = good.clone();
        v.as_object_mut().map(|m| m.remove("context"));
        assert!(!conforms(&doc, &v, &schema), "a missing required property");
    }

    #[test]
    fn unions_nulls_and_unreadable_patterns() {
        let doc = json!({});
        let union = json!({"oneOf": [{"type": "integer"}, {"type": "string", "format": "date"}]});
        assert!(conforms(&doc, &json!(3), &union));
        assert!(conforms(&doc, &json!("2024-01-02"), &union));
        assert!(!conforms(&doc, &json!("soon"), &union));
        assert!(conforms(
            &doc,
            &Value::Null,
            &json!({"type": "string", "nullable": true})
        ));
        assert!(!conforms(&doc, &Value::Null, &json!({"type": "string"})));
        assert!(conforms(
            &doc,
            &json!("x"),
            &json!({"type": "string", "pattern": "(?<n>\\1"})
        ));
        // An `allOf` cycle ends.
        let doc = json!({"definitions": {"A": {"allOf": [{"$ref": "#/definitions/A"}]}}});
        assert!(!conforms(
            &doc,
            &json!(1),
            &json!({"$ref": "#/definitions/A"})
        ));
    }
}
