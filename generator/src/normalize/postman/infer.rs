//! JSON samples → one schema: a small lattice merged over every sample.
//!
//! `Int ∪ Float = Float`; `X ∪ null` = nullable X; a field missing from some samples is
//! optional; conflicting kinds give an unconstrained schema; every array element is merged.
//! Placeholders (`"<string>"`, `"<integer>"`…) and dynamic variables (`{{$guid}}`…) are type
//! hints. Objects whose keys look like data become maps.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::{json, Map, Value};

use super::jsonc::HOLE;

/// The merged type of the samples seen.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Kind {
    /// Nothing but nulls (or nothing) seen.
    Never,
    Bool,
    Int,
    Float,
    /// A string with a format, when every sample agreed on one.
    Str(Option<&'static str>),
    Array(Box<Ty>),
    /// Fields with how many samples had them, and how many object samples there were.
    Object(IndexMap<String, (Ty, usize)>, usize),
    /// Conflicting kinds, or an unknown hole.
    Any,
}

/// A kind plus nullability.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ty {
    pub kind: Kind,
    pub nullable: bool,
}

impl Ty {
    fn of(kind: Kind) -> Self {
        Ty {
            kind,
            nullable: false,
        }
    }

    /// Nothing seen yet.
    pub fn never() -> Self {
        Ty::of(Kind::Never)
    }
}

/// The type a string sample stands for.
fn string_kind(s: &str, vars: &BTreeMap<String, String>) -> Kind {
    if let Some(hole) = s.strip_prefix(HOLE) {
        let name = hole.trim_start_matches("{{").trim_end_matches("}}").trim();
        return match dynamic(name) {
            Some(k) => k,
            None => match vars.get(name) {
                Some(v) => scalar_kind(v),
                None => Kind::Any,
            },
        };
    }
    let t = s.trim();
    if let Some(inner) = t.strip_prefix('<').and_then(|x| x.strip_suffix('>')) {
        match inner.to_ascii_lowercase().as_str() {
            "string" => return Kind::Str(None),
            "integer" | "long" | "int" | "int32" | "int64" => return Kind::Int,
            "number" | "double" | "float" => return Kind::Float,
            "boolean" | "bool" => return Kind::Bool,
            "datetime" | "date-time" => return Kind::Str(Some("date-time")),
            "date" => return Kind::Str(Some("date")),
            "uuid" => return Kind::Str(Some("uuid")),
            _ => {}
        }
    }
    if let Some(name) = t.strip_prefix("{{").and_then(|x| x.strip_suffix("}}")) {
        if let Some(k) = dynamic(name.trim()) {
            return k;
        }
    }
    Kind::Str(format_of(t))
}

/// Dynamic variables and their types.
fn dynamic(name: &str) -> Option<Kind> {
    let n = name.strip_prefix('$')?;
    Some(match n {
        "guid" | "randomUUID" => Kind::Str(Some("uuid")),
        "timestamp" | "randomInt" => Kind::Int,
        "isoTimestamp" | "randomDateFuture" | "randomDatePast" | "randomDateRecent" => {
            Kind::Str(Some("date-time"))
        }
        "randomBoolean" => Kind::Bool,
        "randomPrice" => Kind::Float,
        "randomEmail" | "randomExampleEmail" => Kind::Str(Some("email")),
        "randomUrl" => Kind::Str(Some("uri")),
        _ => Kind::Str(None),
    })
}

/// A scalar's kind from its text (query values, form fields, variable values).
pub(crate) fn scalar_kind(v: &str) -> Kind {
    let t = v.trim();
    if t.is_empty() {
        return Kind::Str(None);
    }
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.is_empty() && digits.len() < 16 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return if digits.len() > 1 && digits.starts_with('0') {
            Kind::Str(None) // a code with leading zeros
        } else {
            Kind::Int
        };
    }
    if t == "true" || t == "false" {
        return Kind::Bool;
    }
    if let Some((a, b)) = digits.split_once('.') {
        if !a.is_empty()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
        {
            return Kind::Float;
        }
    }
    if let Some(name) = t.strip_prefix("{{").and_then(|x| x.strip_suffix("}}")) {
        if let Some(k) = dynamic(name.trim()) {
            return k;
        }
    }
    Kind::Str(format_of(t))
}

fn format_of(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    let is_uuid = b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        });
    if is_uuid {
        return Some("uuid");
    }
    let date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    if date && b.len() == 10 {
        return Some("date");
    }
    if date
        && b.len() >= 19
        && (b[10] == b'T' || b[10] == b't')
        && b[13] == b':'
        && b[16] == b':'
        && (s.ends_with('Z')
            || s.ends_with('z')
            || s.get(19..).is_some_and(|t| t.contains(['+', '-'])))
    {
        return Some("date-time");
    }
    None
}

/// The type of one sample.
pub(crate) fn of_value(v: &Value, vars: &BTreeMap<String, String>) -> Ty {
    match v {
        Value::Null => Ty {
            kind: Kind::Never,
            nullable: true,
        },
        Value::Bool(_) => Ty::of(Kind::Bool),
        Value::Number(n) => Ty::of(if n.is_f64() { Kind::Float } else { Kind::Int }),
        Value::String(s) => Ty::of(string_kind(s, vars)),
        Value::Array(items) => {
            let mut t = Ty::never();
            for i in items {
                t = merge(t, of_value(i, vars));
            }
            Ty::of(Kind::Array(Box::new(t)))
        }
        Value::Object(m) => {
            let fields = m
                .iter()
                .map(|(k, v)| (k.clone(), (of_value(v, vars), 1)))
                .collect();
            Ty::of(Kind::Object(fields, 1))
        }
    }
}

/// Merges two types.
pub(crate) fn merge(a: Ty, b: Ty) -> Ty {
    let nullable = a.nullable || b.nullable;
    let kind = match (a.kind, b.kind) {
        (Kind::Never, k) | (k, Kind::Never) => k,
        (Kind::Any, _) | (_, Kind::Any) => Kind::Any,
        (Kind::Int, Kind::Float) | (Kind::Float, Kind::Int) => Kind::Float,
        (Kind::Str(x), Kind::Str(y)) => Kind::Str(if x == y { x } else { None }),
        (Kind::Array(x), Kind::Array(y)) => Kind::Array(Box::new(merge(*x, *y))),
        (Kind::Object(mut fx, nx), Kind::Object(fy, ny)) => {
            for (k, (ty, count)) in fy {
                match fx.get_mut(&k) {
                    Some((t, c)) => {
                        *t = merge(std::mem::replace(t, Ty::never()), ty);
                        *c += count;
                    }
                    None => {
                        fx.insert(k, (ty, count));
                    }
                }
            }
            Kind::Object(fx, nx + ny)
        }
        (x, y) if x == y => x,
        _ => Kind::Any,
    };
    Ty { kind, nullable }
}

/// True when an object's keys look like data: all numeric, dates or uuids.
fn map_like(fields: &IndexMap<String, (Ty, usize)>) -> bool {
    if fields.is_empty() {
        return false;
    }
    let data_key = |k: &str| {
        (!k.is_empty() && k.bytes().all(|b| b.is_ascii_digit())) || format_of(k).is_some()
    };
    if fields.keys().all(|k| data_key(k)) {
        return true;
    }
    // Many keys, every value the same object shape.
    if fields.len() >= 12 {
        let mut shapes = fields.values().map(|(t, _)| t);
        if let Some(first) = shapes.next() {
            return matches!(first.kind, Kind::Object(..)) && shapes.all(|t| t == first);
        }
    }
    false
}

/// Receives every object schema so identical shapes can be named and emitted once.
pub(crate) trait Interner {
    /// Returns the schema to use in place of `schema` (a `$ref`, usually).
    fn intern(&mut self, name_hint: &str, schema: Value) -> Value;
}

/// The OpenAPI 3.0 schema of a type; objects are handed to `interner` under `name`.
pub(crate) fn to_schema(t: &Ty, name: &str, interner: &mut dyn Interner) -> Value {
    let mut s = match &t.kind {
        Kind::Never | Kind::Any => Map::new(),
        Kind::Bool => obj(json!({"type": "boolean"})),
        Kind::Int => obj(json!({"type": "integer", "format": "int64"})),
        Kind::Float => obj(json!({"type": "number", "format": "double"})),
        Kind::Str(f) => {
            let mut m = obj(json!({"type": "string"}));
            if let Some(f) = f {
                m.insert("format".into(), json!(f));
            }
            m
        }
        Kind::Array(item) => {
            let item_name = format!("{name}Item");
            obj(json!({"type": "array", "items": to_schema(item, &item_name, interner)}))
        }
        Kind::Object(fields, _) if map_like(fields) => {
            let mut v = Ty::never();
            for (t, _) in fields.values() {
                v = merge(v, t.clone());
            }
            let value_name = format!("{name}Value");
            obj(
                json!({"type": "object", "additionalProperties": to_schema(&v, &value_name, interner)}),
            )
        }
        Kind::Object(fields, n) => {
            let mut props = Map::new();
            let mut required = Vec::new();
            for (k, (ft, count)) in fields {
                let field_name = format!(
                    "{name}{}",
                    heck::ToPascalCase::to_pascal_case(super::names::ascii(k).as_str())
                );
                props.insert(k.clone(), to_schema(ft, &field_name, interner));
                if count >= n && !ft.nullable {
                    required.push(json!(k));
                }
            }
            let mut m = Map::new();
            m.insert("type".into(), json!("object"));
            if props.is_empty() {
                return with_nullable(m, t.nullable);
            }
            m.insert("properties".into(), Value::Object(props));
            if !required.is_empty() {
                m.insert("required".into(), Value::Array(required));
            }
            let schema = interner.intern(name, Value::Object(m));
            if t.nullable {
                // `$ref` siblings are ignored in 3.0: wrap to keep `nullable`.
                return json!({"allOf": [schema], "nullable": true});
            }
            return schema;
        }
    };
    if matches!(t.kind, Kind::Never | Kind::Any) {
        return Value::Object(s);
    }
    if t.nullable {
        s.insert("nullable".into(), json!(true));
    }
    Value::Object(s)
}

fn with_nullable(mut m: Map<String, Value>, nullable: bool) -> Value {
    if nullable {
        m.insert("nullable".into(), json!(true));
    }
    Value::Object(m)
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Inline;
    impl Interner for Inline {
        fn intern(&mut self, _: &str, schema: Value) -> Value {
            schema
        }
    }

    fn infer(samples: &[Value]) -> Value {
        let vars = BTreeMap::new();
        let mut t = Ty::never();
        for s in samples {
            t = merge(t, of_value(s, &vars));
        }
        to_schema(&t, "T", &mut Inline)
    }

    #[test]
    fn optional_nullable_and_numbers() {
        let s = infer(&[
            json!({"id": 1, "price": 2, "note": null, "tag": "a"}),
            json!({"id": 2, "price": 2.5, "note": "x"}),
        ]);
        assert_eq!(s["properties"]["price"]["type"], "number");
        assert_eq!(s["properties"]["id"]["type"], "integer");
        assert_eq!(s["properties"]["note"]["nullable"], true);
        assert_eq!(s["required"], json!(["id", "price"]));
    }

    #[test]
    fn placeholders_are_hints_and_arrays_merge_all_items() {
        let s = infer(&[
            json!({"n": "<integer>", "when": "<dateTime>", "list": [{"a": 1}, {"b": "x"}]}),
        ]);
        assert_eq!(s["properties"]["n"]["type"], "integer");
        assert_eq!(s["properties"]["when"]["format"], "date-time");
        let item = &s["properties"]["list"]["items"];
        assert!(item["properties"]["a"].is_object() && item["properties"]["b"].is_object());
        assert_eq!(item.get("required"), None);
    }

    #[test]
    fn data_keys_make_maps() {
        let s = infer(&[json!({"2024-01-01": {"v": 1}, "2024-01-02": {"v": 2}})]);
        assert_eq!(
            s["additionalProperties"]["properties"]["v"]["type"],
            "integer"
        );
    }
}
