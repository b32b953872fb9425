//! Whether a JSON value is what a model type takes: the arguments `connectorkit call` sends
//! and the responses it reads are checked with the same types a generated client decodes
//! them into. Each problem names where it is (`items[2].name`).
//!
//! String enums are checked strictly ([`Strictness::Exact`], for arguments: the definition
//! lists the values a server takes) or openly ([`Strictness::Open`], for responses: a
//! generated enum decodes an unknown value into `Unknown`, which is reported, not refused).

use std::collections::HashMap;

use serde_json::Value;

use super::checks::did_you_mean;
use super::{Connector, RustType, TypeDef, TypeKind};

/// How string enums are checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// A value the enum does not list is a problem.
    Exact,
    /// A value the enum does not list is a note (it decodes as `Unknown`).
    Open,
}

/// One problem found in a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Where: `` (the value itself), `name`, `items[2].name`.
    pub at: String,
    /// What is wrong, with a hint when one is close.
    pub message: String,
    /// False for a value a generated client still decodes (an unknown enum value under
    /// [`Strictness::Open`]).
    pub fatal: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at `{}`: {}", self.at, self.message)
        }
    }
}

/// Checks values against a connector's types.
pub struct Checker<'c> {
    types: HashMap<&'c str, &'c TypeDef>,
    strictness: Strictness,
}

/// Nesting deeper than this is not followed (recursive types, hostile values).
const MAX_DEPTH: usize = 64;
/// Problems reported per value at most.
const MAX_PROBLEMS: usize = 50;

impl<'c> Checker<'c> {
    /// A checker for `c`'s types.
    pub fn new(c: &'c Connector, strictness: Strictness) -> Self {
        Checker {
            types: c.types.iter().map(|t| (t.name.as_str(), t)).collect(),
            strictness,
        }
    }

    /// The problems of `v` as a `ty` (empty when it is one).
    pub fn check(&self, ty: &RustType, v: &Value) -> Vec<Problem> {
        let mut out = Vec::new();
        self.walk(ty, v, &mut String::new(), 0, &mut out);
        out
    }

    /// True when `v` is a `ty` without a fatal problem.
    fn fits(&self, ty: &RustType, v: &Value, depth: usize) -> bool {
        let mut out = Vec::new();
        self.walk(ty, v, &mut String::new(), depth, &mut out);
        out.iter().all(|p| !p.fatal)
    }

    fn walk(
        &self,
        ty: &RustType,
        v: &Value,
        at: &mut String,
        depth: usize,
        out: &mut Vec<Problem>,
    ) {
        if depth > MAX_DEPTH || out.len() >= MAX_PROBLEMS {
            return;
        }
        let mut problem = |message: String| {
            out.push(Problem {
                at: at.clone(),
                message,
                fatal: true,
            })
        };
        match ty {
            RustType::Option(t) => {
                if !v.is_null() {
                    self.walk(t, v, at, depth + 1, out);
                }
            }
            RustType::Boxed(t) => self.walk(t, v, at, depth + 1, out),
            RustType::Value => {}
            RustType::JsonObject => {
                if !v.is_object() {
                    problem(format!("expected an object, got {}", kind(v)));
                }
            }
            RustType::String
            | RustType::DateTime
            | RustType::Date
            | RustType::Uuid
            | RustType::Base64 => {
                if !v.is_string() {
                    problem(format!("expected a string, got {}", kind(v)));
                }
            }
            RustType::Bool => {
                if !v.is_boolean() {
                    problem(format!("expected true or false, got {}", kind(v)));
                }
            }
            RustType::F32 | RustType::F64 => {
                if !v.is_number() {
                    problem(format!("expected a number, got {}", kind(v)));
                }
            }
            RustType::I8
            | RustType::I16
            | RustType::I32
            | RustType::I64
            | RustType::U8
            | RustType::U16
            | RustType::U32
            | RustType::U64 => {
                let (lo, hi) = int_range(ty);
                let n = v.as_i64().map(i128::from).or(v.as_u64().map(i128::from));
                match n {
                    Some(n) if n < lo || n > hi => {
                        problem(format!("{n} is out of range ({lo} to {hi})"))
                    }
                    Some(_) => {}
                    None => problem(format!("expected an integer, got {}", kind(v))),
                }
            }
            RustType::Vec(t) => match v.as_array() {
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let len = at.len();
                        at.push_str(&format!("[{i}]"));
                        self.walk(t, item, at, depth + 1, out);
                        at.truncate(len);
                    }
                }
                None => problem(format!("expected an array, got {}", kind(v))),
            },
            RustType::Map(t) => match v.as_object() {
                Some(m) => {
                    for (k, item) in m {
                        let len = at.len();
                        push_key(at, k);
                        self.walk(t, item, at, depth + 1, out);
                        at.truncate(len);
                    }
                }
                None => problem(format!("expected an object, got {}", kind(v))),
            },
            RustType::Named(name) => {
                if let Some(def) = self.types.get(name.as_str()) {
                    self.named(def, v, at, depth, out);
                }
            }
        }
    }

    fn named(
        &self,
        def: &TypeDef,
        v: &Value,
        at: &mut String,
        depth: usize,
        out: &mut Vec<Problem>,
    ) {
        match &def.kind {
            TypeKind::Alias(t) | TypeKind::Newtype(t) => self.walk(t, v, at, depth + 1, out),
            TypeKind::StringEnum { variants } => {
                let Some(s) = v.as_str() else {
                    out.push(Problem {
                        at: at.clone(),
                        message: format!("expected a string ({}), got {}", def.name, kind(v)),
                        fatal: true,
                    });
                    return;
                };
                let known: Vec<&str> = variants.iter().filter_map(|x| x.wire.as_deref()).collect();
                if known.is_empty() || known.contains(&s) {
                    return;
                }
                let hint = did_you_mean(s, known.iter().copied())
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                out.push(Problem {
                    at: at.clone(),
                    message: format!("`{s}` is not one of {}{hint}", list(&known)),
                    fatal: self.strictness == Strictness::Exact,
                });
            }
            TypeKind::Struct { fields, additional } => {
                let Some(m) = v.as_object() else {
                    out.push(Problem {
                        at: at.clone(),
                        message: format!("expected an object ({}), got {}", def.name, kind(v)),
                        fatal: true,
                    });
                    return;
                };
                for f in fields {
                    let len = at.len();
                    push_key(at, &f.wire_name);
                    match m.get(&f.wire_name) {
                        Some(x) => self.walk(&f.ty, x, at, depth + 1, out),
                        None if !f.optional && !f.ty.is_option() || f.must_be_present => {
                            out.push(Problem {
                                at: at.clone(),
                                message: "is required and missing".into(),
                                fatal: true,
                            })
                        }
                        None => {}
                    }
                    at.truncate(len);
                }
                if additional.is_none() {
                    // A key the type does not have, close to one it has: a typo.
                    for k in m.keys() {
                        if fields.iter().any(|f| &f.wire_name == k) {
                            continue;
                        }
                        let names = fields.iter().map(|f| f.wire_name.as_str());
                        if let Some(close) = did_you_mean(k, names) {
                            let len = at.len();
                            push_key(at, k);
                            out.push(Problem {
                                at: at.clone(),
                                message: format!(
                                    "{} has no such property (did you mean `{close}`?)",
                                    def.name
                                ),
                                fatal: false,
                            });
                            at.truncate(len);
                        }
                    }
                }
                if let Some(extra) = additional {
                    for (k, x) in m {
                        if fields.iter().any(|f| &f.wire_name == k) {
                            continue;
                        }
                        let len = at.len();
                        push_key(at, k);
                        self.walk(&extra.ty, x, at, depth + 1, out);
                        at.truncate(len);
                    }
                }
            }
            TypeKind::Union { variants, tag, .. } => {
                if let Some(tag) = tag {
                    let Some(t) = v.get(tag).and_then(Value::as_str) else {
                        out.push(Problem {
                            at: at.clone(),
                            message: format!("expected an object with a `{tag}` ({})", def.name),
                            fatal: true,
                        });
                        return;
                    };
                    let wires: Vec<&str> =
                        variants.iter().filter_map(|x| x.wire.as_deref()).collect();
                    match variants.iter().find(|x| x.wire.as_deref() == Some(t)) {
                        Some(x) => {
                            if let Some(ty) = &x.ty {
                                self.walk(ty, v, at, depth + 1, out);
                            }
                        }
                        None => out.push(Problem {
                            at: at.clone(),
                            message: format!("`{tag}` is `{t}`, not one of {}", list(&wires)),
                            fatal: true,
                        }),
                    }
                    return;
                }
                let fits = variants.iter().any(|x| match &x.ty {
                    None => true,
                    Some(ty) => self.fits(ty, v, depth + 1),
                });
                if !fits {
                    out.push(Problem {
                        at: at.clone(),
                        message: format!("matches none of the variants of {}", def.name),
                        fatal: true,
                    });
                }
            }
        }
    }
}

fn push_key(at: &mut String, key: &str) {
    if !at.is_empty() {
        at.push('.');
    }
    at.push_str(key);
}

fn list(values: &[&str]) -> String {
    const SHOWN: usize = 12;
    let mut s: Vec<String> = values
        .iter()
        .take(SHOWN)
        .map(|v| format!("`{v}`"))
        .collect();
    if values.len() > SHOWN {
        s.push(format!("… ({} in all)", values.len()));
    }
    s.join(", ")
}

/// What a JSON value is, for messages.
pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn int_range(ty: &RustType) -> (i128, i128) {
    match ty {
        RustType::I8 => (i8::MIN.into(), i8::MAX.into()),
        RustType::I16 => (i16::MIN.into(), i16::MAX.into()),
        RustType::I32 => (i32::MIN.into(), i32::MAX.into()),
        RustType::U8 => (0, u8::MAX.into()),
        RustType::U16 => (0, u16::MAX.into()),
        RustType::U32 => (0, u32::MAX.into()),
        RustType::U64 => (0, u64::MAX.into()),
        _ => (i64::MIN.into(), i64::MAX.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn petstore() -> Connector {
        let doc = json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {},
            "components": {"schemas": {
                "Pet": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"},
                    "age": {"type": "integer", "format": "int32"},
                    "status": {"type": "string", "enum": ["available", "sold"]},
                    "tags": {"type": "array", "items": {"type": "string"}}
                }}
            }}
        });
        crate::prepare_bytes(std::path::Path::new("t.json"), doc.to_string().as_bytes())
            .unwrap()
            .connector
    }

    #[test]
    fn problems_are_located_and_enums_checked_as_asked() {
        let c = petstore();
        let pet = RustType::Named("Pet".into());
        let exact = Checker::new(&c, Strictness::Exact);
        assert!(exact.check(&pet, &json!({"name": "rex"})).is_empty());
        let p = exact.check(
            &pet,
            &json!({"age": 3000000000u64, "status": "sould", "tags": ["a", 1]}),
        );
        let shown: Vec<String> = p.iter().map(|p| p.to_string()).collect();
        assert_eq!(
            shown,
            [
                "at `name`: is required and missing",
                "at `age`: 3000000000 is out of range (-2147483648 to 2147483647)",
                "at `status`: `sould` is not one of `available`, `sold` (did you mean `sold`?)",
                "at `tags[1]`: expected a string, got an integer",
            ]
        );
        let open = Checker::new(&c, Strictness::Open);
        let p = open.check(&pet, &json!({"name": "x", "status": "pending"}));
        assert_eq!(p.len(), 1);
        assert!(!p[0].fatal);
        let p = open.check(&pet, &json!([1]));
        assert_eq!(p[0].to_string(), "expected an object (Pet), got an array");
    }
}
