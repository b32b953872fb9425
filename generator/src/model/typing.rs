//! How much of a definition is typed: per struct field and per parameter, whether its type
//! is a real Rust type, a `serde_json::Value` because the schema is free-form (`{}`, an
//! object without properties), or a `Value` fallback for a schema the model could not type
//! (an unknown `type`, conflicting `allOf` members, an untyped union…), each fallback with a
//! located `model/value-fallback` warning.

use std::collections::HashMap;

use serde_json::Value;

use super::types::{RustType, TypeDef, TypeKind};
use super::Action;
use crate::diagnostics::Diagnostic;
use crate::load::SourceSet;
use crate::pointer;

/// Counts of one kind of slot (struct fields, or parameters).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// A Rust type other than `serde_json::Value` at its core.
    pub typed: usize,
    /// `Value` for a schema that allows any JSON (`{}`, an object with no properties).
    pub free_form: usize,
    /// `Value` for a schema that says more than that: what the model could not type.
    pub fallback: usize,
}

impl Counts {
    /// Every slot counted.
    pub fn total(&self) -> usize {
        self.typed + self.free_form + self.fallback
    }
}

/// The typing report of one definition.
#[derive(Clone, Debug, Default)]
pub struct Typing {
    /// Struct fields of the generated types.
    pub fields: Counts,
    /// Operation parameters.
    pub params: Counts,
    /// One `model/value-fallback` warning per fallback, in definition order.
    pub fallbacks: Vec<Diagnostic>,
}

/// What a slot's type comes to.
enum Verdict {
    Typed,
    FreeForm,
    Fallback(String),
}

/// Counts the fields of `types` and the parameters of `actions`.
pub fn account(types: &[TypeDef], actions: &[Action], doc: &Value, sources: &SourceSet) -> Typing {
    let by_name: HashMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let judge = Judge { by_name, doc };
    let mut typing = Typing::default();
    for def in types {
        let TypeKind::Struct { fields, .. } = &def.kind else {
            continue;
        };
        for f in fields {
            let what = format!("field `{}` of `{}`", f.wire_name, def.name);
            record(
                &mut typing.fields,
                &mut typing.fallbacks,
                judge.verdict(&f.ty, &f.pointer, 0),
                &what,
                &f.pointer,
                sources,
            );
        }
    }
    for a in actions {
        for p in &a.params {
            if p.constant.is_some() {
                continue;
            }
            let what = format!("parameter `{}` of `{}`", p.wire_name, a.ident);
            let schema_ptr = pointer::push(&p.pointer, "schema");
            record(
                &mut typing.params,
                &mut typing.fallbacks,
                judge.verdict(&p.ty, &schema_ptr, 0),
                &what,
                &p.pointer,
                sources,
            );
        }
    }
    typing
}

fn record(
    counts: &mut Counts,
    fallbacks: &mut Vec<Diagnostic>,
    verdict: Verdict,
    what: &str,
    ptr: &str,
    sources: &SourceSet,
) {
    match verdict {
        Verdict::Typed => counts.typed += 1,
        Verdict::FreeForm => counts.free_form += 1,
        Verdict::Fallback(why) => {
            counts.fallback += 1;
            fallbacks.push(Diagnostic::warning(
                "model/value-fallback",
                format!("{what} is serde_json::Value: {why}"),
                sources.locate(ptr),
            ));
        }
    }
}

struct Judge<'a> {
    by_name: HashMap<&'a str, &'a TypeDef>,
    doc: &'a Value,
}

/// Keywords that make a schema say more than "any JSON".
const SHAPING: [&str; 10] = [
    "properties",
    "items",
    "enum",
    "const",
    "oneOf",
    "anyOf",
    "not",
    "format",
    "discriminator",
    "patternProperties",
];

impl Judge<'_> {
    fn verdict(&self, ty: &RustType, ptr: &str, depth: usize) -> Verdict {
        if depth > 32 {
            return Verdict::Typed;
        }
        match ty {
            RustType::Option(t) | RustType::Boxed(t) => self.verdict(t, ptr, depth + 1),
            RustType::Vec(t) => self.verdict(t, &pointer::push(ptr, "items"), depth + 1),
            RustType::Map(t) => {
                self.verdict(t, &pointer::push(ptr, "additionalProperties"), depth + 1)
            }
            RustType::Named(n) => match self.by_name.get(n.as_str()).map(|d| &d.kind) {
                Some(TypeKind::Alias(t) | TypeKind::Newtype(t)) => {
                    let def_ptr = &self.by_name[n.as_str()].pointer;
                    self.verdict(t, def_ptr, depth + 1)
                }
                _ => Verdict::Typed,
            },
            RustType::Value | RustType::JsonObject => self.schema_verdict(ptr),
            _ => Verdict::Typed,
        }
    }

    /// Whether the schema at `ptr` (references followed) allows any JSON value.
    fn schema_verdict(&self, ptr: &str) -> Verdict {
        let mut node = walk(self.doc, ptr);
        let mut seen = 0;
        while let Some(r) = node.and_then(|n| n.get("$ref")).and_then(Value::as_str) {
            seen += 1;
            if seen > 32 {
                return Verdict::Fallback("its `$ref` chain does not end".into());
            }
            node = r.strip_prefix('#').and_then(|p| self.doc.pointer(p));
            if node.is_none() {
                return Verdict::Fallback(format!("`$ref: {r}` does not resolve to a schema"));
            }
        }
        match node {
            // A pointer the model made up (a synthetic schema) or a schema `true`: any JSON.
            None | Some(Value::Bool(true)) => Verdict::FreeForm,
            Some(Value::Object(o)) => free_form(o, self.doc, 0),
            Some(_) => Verdict::Fallback("its schema is not an object".into()),
        }
    }
}

fn free_form(o: &serde_json::Map<String, Value>, doc: &Value, depth: usize) -> Verdict {
    // Dynamic schemas (Power Platform) are `Value` by design: the shape is known at run time.
    if o.keys().any(|k| k.starts_with("x-ms-dynamic")) {
        return Verdict::FreeForm;
    }
    if let Some(t) = o.get("type") {
        match t.as_str() {
            Some("object") | None => {}
            Some(other) => {
                return Verdict::Fallback(format!(
                    "its `type: {other}` was not used (see the warnings at this place)"
                ))
            }
        }
    }
    if let Some(k) = SHAPING.iter().find(|k| match o.get(**k) {
        Some(Value::Object(m)) => !m.is_empty(),
        Some(Value::Array(a)) => !a.is_empty(),
        Some(_) => true,
        None => false,
    }) {
        let why = match *k {
            "oneOf" | "anyOf" => format!("its `{k}` could not be typed"),
            "not" => "`not` cannot be expressed as a Rust type".to_string(),
            other => format!("its `{other}` was not used"),
        };
        return Verdict::Fallback(why);
    }
    match o.get("additionalProperties") {
        // `false`: an object that has no properties at all, typed as an empty JSON object.
        None | Some(Value::Bool(_)) => {}
        Some(Value::Object(m)) if m.is_empty() => {}
        Some(_) => {
            return Verdict::Fallback("its `additionalProperties` could not be typed".into())
        }
    }
    if let Some(Value::Array(members)) = o.get("allOf") {
        for m in members {
            let m = match m.get("$ref").and_then(Value::as_str) {
                Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                    Some(t) => t,
                    None => return Verdict::Fallback(format!("`$ref: {r}` does not resolve")),
                },
                None => m,
            };
            match m {
                Value::Object(inner) if depth < 8 => {
                    if let Verdict::Fallback(_) = free_form(inner, doc, depth + 1) {
                        return Verdict::Fallback(
                            "its `allOf` members could not be combined".into(),
                        );
                    }
                }
                Value::Bool(true) => {}
                _ => return Verdict::Fallback("its `allOf` could not be typed".into()),
            }
        }
    }
    Verdict::FreeForm
}

/// The node at `ptr`, following `$ref`s met on the way (a parameter that is a reference,
/// a property of a referenced schema).
fn walk<'d>(doc: &'d Value, ptr: &str) -> Option<&'d Value> {
    let mut node = doc;
    for token in ptr.split('/').skip(1) {
        node = follow(doc, node)?;
        let token = pointer::unescape(token);
        node = match node {
            Value::Object(o) => o.get(&token)?,
            Value::Array(a) => a.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(node)
}

/// `node`, or what its `$ref` chain leads to.
fn follow<'d>(doc: &'d Value, mut node: &'d Value) -> Option<&'d Value> {
    for _ in 0..32 {
        match node.get("$ref").and_then(Value::as_str) {
            Some(r) => node = doc.pointer(r.strip_prefix('#')?)?,
            None => return Some(node),
        }
    }
    None
}
