//! YAML → JSON value: non-string keys stringified, `<<` merge keys applied, tags ignored.

use std::path::Path;

use serde::de::{
    self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};
use serde_json::{Map, Value};

use super::locate;
use super::source::Format;
use crate::diagnostics::{Diagnostic, Diagnostics, Location};
use crate::pointer;

/// Parses YAML text into a JSON value. Syntax errors are pushed with `code`.
pub(crate) fn parse(
    path: &Path,
    text: &str,
    diags: &mut Diagnostics,
    code: &'static str,
) -> Option<Value> {
    let yaml: Node = match serde_yaml::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            let message = e.to_string();
            // Aliases that expand without bound (a "billion laughs") have no position of
            // their own: point at the first alias.
            let aliases = message.contains("repetition limit");
            let (line, column) = match e.location() {
                Some(l) => (l.line(), l.column()),
                None if aliases => first_alias(text),
                None => (1, 1),
            };
            let hint = if aliases {
                "aliases (`*name`) here expand to too many nodes; write the content out, or share it with `$ref`"
            } else {
                "fix the YAML syntax at this position"
            };
            diags.push(
                Diagnostic::error(
                    code,
                    format!("invalid YAML: {message}"),
                    Location {
                        file: path.to_path_buf(),
                        line,
                        column,
                        json_pointer: String::new(),
                    },
                )
                .with_hint(hint),
            );
            return None;
        }
    };
    let mut conv = Converter {
        non_finite: Vec::new(),
    };
    let value = conv.convert(yaml, String::new());
    for ptr in conv.non_finite {
        let (line, column) = locate::locate_in_text(text, Format::Yaml, &ptr);
        diags.push(Diagnostic::warning(
            "load/yaml-non-finite",
            "a non-finite number (.inf or .nan) cannot be represented in JSON; it was replaced by null",
            Location {
                file: path.to_path_buf(),
                line,
                column,
                json_pointer: ptr,
            },
        ));
    }
    Some(value)
}

/// 1-based (line, column) of the first alias (`*name` after a space, `[`, `,` or `:`).
fn first_alias(text: &str) -> (usize, usize) {
    for (n, line) in text.lines().enumerate() {
        let mut prev = ' ';
        for (col, c) in line.chars().enumerate() {
            if c == '#' && prev == ' ' {
                break;
            }
            if c == '*' && matches!(prev, ' ' | '[' | ',' | ':' | '{') {
                return (n + 1, col + 1);
            }
            prev = c;
        }
    }
    (1, 1)
}

/// A YAML node as read: any number (incl. 128-bit), tags dropped, duplicate keys kept.
enum Node {
    Null,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::I64(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::U64(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Node, E> {
        Ok(Node::F64(v as f64))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Node, E> {
        Ok(Node::F64(v as f64))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::F64(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some(n) = a.next_element()? {
            out.push(n);
        }
        Ok(Node::Seq(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = a.next_entry()? {
            out.push((k, v));
        }
        Ok(Node::Map(out))
    }
    /// Tagged values (`!Tag value`): the tag is ignored.
    fn visit_enum<A: EnumAccess<'de>>(self, a: A) -> Result<Node, A::Error> {
        let (_tag, variant): (de::IgnoredAny, _) = a.variant()?;
        variant.newtype_variant::<Node>()
    }
}

struct Converter {
    non_finite: Vec<String>,
}

impl Converter {
    fn convert(&mut self, y: Node, ptr: String) -> Value {
        match y {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(b),
            Node::I64(i) => Value::from(i),
            Node::U64(u) => Value::from(u),
            Node::F64(f) => match serde_json::Number::from_f64(f) {
                Some(n) => Value::Number(n),
                None => {
                    self.non_finite.push(ptr);
                    Value::Null
                }
            },
            Node::Str(s) => Value::String(s),
            Node::Seq(seq) => Value::Array(
                seq.into_iter()
                    .enumerate()
                    .map(|(i, v)| self.convert(v, format!("{ptr}/{i}")))
                    .collect(),
            ),
            Node::Map(m) => {
                let mut out = Map::new();
                let mut merges = Vec::new();
                for (k, v) in m {
                    if matches!(&k, Node::Str(s) if s == "<<") {
                        merges.push(v);
                        continue;
                    }
                    let key = key_string(&k);
                    let child = self.convert(v, pointer::push(&ptr, &key));
                    out.insert(key, child);
                }
                // Merge keys: explicit keys win, then earlier merged mappings win.
                for m in merges {
                    let sources = match m {
                        Node::Seq(s) => s,
                        other => vec![other],
                    };
                    for src in sources {
                        if let Value::Object(src) = self.convert(src, ptr.clone()) {
                            for (k, v) in src {
                                out.entry(k).or_insert(v);
                            }
                        }
                    }
                }
                Value::Object(out)
            }
        }
    }
}

fn key_string(k: &Node) -> String {
    match k {
        Node::Str(s) => s.clone(),
        Node::Null => "null".to_string(),
        Node::Bool(b) => b.to_string(),
        Node::I64(i) => i.to_string(),
        Node::U64(u) => u.to_string(),
        Node::F64(f) => f.to_string(),
        other => {
            let mut c = Converter {
                non_finite: Vec::new(),
            };
            let v = c.convert(clone_node(other), String::new());
            v.to_string()
        }
    }
}

fn clone_node(n: &Node) -> Node {
    match n {
        Node::Null => Node::Null,
        Node::Bool(b) => Node::Bool(*b),
        Node::I64(i) => Node::I64(*i),
        Node::U64(u) => Node::U64(*u),
        Node::F64(f) => Node::F64(*f),
        Node::Str(s) => Node::Str(s.clone()),
        Node::Seq(s) => Node::Seq(s.iter().map(clone_node).collect()),
        Node::Map(m) => Node::Map(
            m.iter()
                .map(|(k, v)| (clone_node(k), clone_node(v)))
                .collect(),
        ),
    }
}
