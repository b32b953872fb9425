//! Strict JSON parsing that also finds duplicate object keys (serde_json keeps the last one
//! silently, as the platform does; we keep the last one too, but say so).

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::pointer;

/// The deepest nesting read (deeper JSON is refused before parsing, see
/// [`crate::load::source`]); at least 1,000 levels of valid JSON must read.
pub(crate) const MAX_DEPTH: usize = 2048;

/// Nesting up to this depth is parsed on the caller's stack; deeper, on a thread of its own
/// with a stack large enough for [`MAX_DEPTH`].
const SHALLOW: usize = 100;

/// Stack for deep documents: generous, only what is touched is used.
const DEEP_STACK: usize = 256 << 20;

/// The deepest nesting of brackets in `text` (outside strings), and the byte offset where
/// it first goes past `limit` (if it does).
pub(crate) fn depth(text: &str, limit: usize) -> (usize, Option<usize>) {
    let mut depth = 0usize;
    let mut max = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    max = depth;
                    if max > limit {
                        return (max, Some(i));
                    }
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    (max, None)
}

/// Parses `text`; returns the value and the JSON pointer of every repeated key. Nesting
/// deeper than serde_json's default of 128 is read (the caller bounds it by [`MAX_DEPTH`]).
pub fn parse(text: &str) -> Result<(Value, Vec<String>), serde_json::Error> {
    if depth(text, SHALLOW).1.is_none() {
        return parse_here(text);
    }
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .name("connectorkit-deep-json".into())
            .stack_size(DEEP_STACK)
            .spawn_scoped(s, || parse_here(text))
            .map_err(|e| {
                <serde_json::Error as de::Error>::custom(format!(
                    "cannot start a thread to read deeply nested JSON: {e}"
                ))
            })?
            .join()
            .unwrap_or_else(|_| {
                Err(<serde_json::Error as de::Error>::custom(
                    "reading deeply nested JSON failed",
                ))
            })
    })
}

fn parse_here(text: &str) -> Result<(Value, Vec<String>), serde_json::Error> {
    let found = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    de.disable_recursion_limit();
    let v = Node {
        ptr: String::new(),
        found: &found,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok((v, found.into_inner()))
}

struct Node<'a> {
    ptr: String,
    found: &'a RefCell<Vec<String>>,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Node {
            ptr: pointer::push(&self.ptr, &out.len().to_string()),
            found: self.found,
        })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let ptr = pointer::push(&self.ptr, &key);
            let v = map.next_value_seed(Node {
                ptr: ptr.clone(),
                found: self.found,
            })?;
            if out.contains_key(&key) {
                self.found.borrow_mut().push(ptr);
                // Last one wins, in the first one's place (as serde_json does).
            }
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}
