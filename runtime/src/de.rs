//! Decoding of generated structs through one generic routine.
//!
//! `#[derive(Deserialize)]` writes a field-name visitor and a map visitor for every struct, and
//! type-checking those is most of what compiling a generated crate costs. A generated struct
//! instead implements `Deserialize` in one line per field:
//!
//! ```
//! use connectorkit::de::Object;
//! # #[derive(Debug, PartialEq)]
//! struct Pet {
//!     id: i64,
//!     name: Option<String>,
//! }
//! impl<'de> serde::Deserialize<'de> for Pet {
//!     fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
//!         let mut o = Object::<D::Error>::deserialize(d)?;
//!         Ok(Self {
//!             id: o.field("id")?,
//!             name: o.field("name")?,
//!         })
//!     }
//! }
//! let pet: Pet = serde_json::from_str(r#"{"id": 1, "extra": true}"#).unwrap();
//! assert_eq!(pet, Pet { id: 1, name: None });
//! let err = serde_json::from_str::<Pet>(r#"{"name": "Rex"}"#).unwrap_err();
//! assert!(err.to_string().starts_with("missing field `id`"), "{err}");
//! let err = serde_json::from_str::<Pet>(r#"{"id": "one"}"#).unwrap_err();
//! assert!(err.to_string().starts_with("at `id`: invalid type: string"), "{err}");
//! ```
//!
//! The semantics are serde's derive's: unknown properties are ignored, a missing property is
//! `None` for an `Option` field and an error otherwise, `null` is `None` for an `Option`.
//! Only [`try_exact`] (an untagged union's first pass) minds properties left over.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt::Display;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The properties of a JSON object being decoded into a struct, taken out one field at a time;
/// `E` is the outer deserializer's error type.
pub struct Object<E> {
    map: Map<String, Value>,
    error: PhantomData<E>,
}

impl<E: de::Error> Object<E> {
    /// Reads a JSON object (anything else is an "invalid type … expected a map" error).
    pub fn deserialize<'de, D: Deserializer<'de, Error = E>>(d: D) -> Result<Self, E> {
        Ok(Self {
            map: Map::deserialize(d)?,
            error: PhantomData,
        })
    }

    /// The field of JSON name `key`: a missing property is `None` for an `Option` (and an
    /// error for anything else), as with a derived `Deserialize`.
    pub fn field<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<T, E> {
        match self.map.remove(key) {
            Some(v) => decode(key, v),
            None => T::deserialize(Missing(key)).map_err(|e| E::custom(e.0)),
        }
    }

    /// A field that must be present even though `null` is allowed (a required nullable
    /// property of an untagged union's struct, whose presence tells the variants apart).
    pub fn present<T: DeserializeOwned>(&mut self, key: &'static str) -> Result<T, E> {
        match self.map.remove(key) {
            Some(v) => decode(key, v),
            None => Err(E::missing_field(key)),
        }
    }

    /// The properties no field took (a struct's flattened map of extra properties). Call it
    /// after every field.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Result<BTreeMap<String, T>, E> {
        std::mem::take(&mut self.map)
            .into_iter()
            .map(|(k, v)| {
                let t = T::deserialize(v).map_err(|e| located(&k, e))?;
                Ok((k, t))
            })
            .collect()
    }
}

/// `v` as a `T`, if it decodes as one (an untagged union trying its variants in order).
pub fn try_as<T: DeserializeOwned>(v: &Value) -> Option<T> {
    let before = LOSSY.with(Cell::get);
    let t = T::deserialize(v).ok();
    if t.is_none() {
        // What a failed attempt left behind says nothing about the value that is kept.
        LOSSY.with(|l| l.set(before));
    }
    t
}

/// `v` as a `T` if it decodes as one *without losing anything*: no object on the way has a
/// property its struct does not take. An untagged union first looks for such a variant, then
/// takes the first that decodes at all ([`try_as`]): with overlapping members (Discord's
/// command options all have `type`, `name`, `description`; only the string option has
/// `min_length`), the first member would otherwise take values that belong to a later one
/// and drop what it does not know.
pub fn try_exact<T: DeserializeOwned>(v: &Value) -> Option<T> {
    let before = LOSSY.with(Cell::get);
    STRICT.with(|s| s.set(s.get() + 1));
    let t = T::deserialize(v).ok();
    STRICT.with(|s| s.set(s.get() - 1));
    let lossless = LOSSY.with(Cell::get) == before;
    LOSSY.with(|l| l.set(before));
    t.filter(|_| lossless)
}

/// [`try_as`], for a member that requires its property `key` to be `want` (one fixed
/// integer or boolean: Discord's command options are told apart by `type: 3`, `type: 4`…).
pub fn try_as_if<T: DeserializeOwned>(v: &Value, key: &str, want: impl Into<Value>) -> Option<T> {
    if v.get(key) == Some(&want.into()) {
        try_as(v)
    } else {
        None
    }
}

/// [`try_exact`], for a member that requires its property `key` to be `want`.
pub fn try_exact_if<T: DeserializeOwned>(
    v: &Value,
    key: &str,
    want: impl Into<Value>,
) -> Option<T> {
    if v.get(key) == Some(&want.into()) {
        try_exact(v)
    } else {
        None
    }
}

thread_local! {
    /// How many [`try_exact`] calls are under way on this thread.
    static STRICT: Cell<u32> = const { Cell::new(0) };
    /// How many objects were dropped with properties no field took, while [`STRICT`].
    static LOSSY: Cell<u64> = const { Cell::new(0) };
}

impl<E> Drop for Object<E> {
    fn drop(&mut self) {
        if !self.map.is_empty() && STRICT.with(Cell::get) > 0 {
            LOSSY.with(|l| l.set(l.get().wrapping_add(1)));
        }
    }
}

fn decode<T: DeserializeOwned, E: de::Error>(key: &str, v: Value) -> Result<T, E> {
    T::deserialize(v).map_err(|e| located(key, e))
}

/// `at `key`: …`, or `at `key.inner`: …` when the inner error was located already.
fn located<E: de::Error>(key: &str, inner: impl Display) -> E {
    let inner = inner.to_string();
    match inner.strip_prefix("at `") {
        Some(rest) => E::custom(format_args!("at `{key}.{rest}")),
        None => E::custom(format_args!("at `{key}`: {inner}")),
    }
}

/// The value of a missing property: `None` for an `Option`, "missing field" for anything else.
struct Missing(&'static str);

#[derive(Debug)]
struct MissingError(String);

impl Display for MissingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for MissingError {}

impl de::Error for MissingError {
    fn custom<T: Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

impl<'de> Deserializer<'de> for Missing {
    type Error = MissingError;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, MissingError> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, MissingError> {
        v.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct S {
        a: i64,
        b: Option<String>,
        c: Option<Option<u8>>,
        n: Option<u8>,
        v: Value,
        more: BTreeMap<String, bool>,
    }

    impl<'de> Deserialize<'de> for S {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let mut o = Object::<D::Error>::deserialize(d)?;
            Ok(Self {
                a: o.field("a")?,
                b: o.field("b")?,
                c: o.field("c")?,
                n: o.present("n")?,
                v: o.field("v")?,
                more: o.rest()?,
            })
        }
    }

    fn parse(s: &str) -> Result<S, String> {
        serde_json::from_str(s).map_err(|e| e.to_string())
    }

    #[test]
    fn fields_decode_like_a_derive() {
        let s = parse(r#"{"a": 1, "b": null, "n": null, "v": [1], "x": true}"#).unwrap();
        assert_eq!(
            s,
            S {
                a: 1,
                b: None,
                c: None,
                n: None,
                v: serde_json::json!([1]),
                more: BTreeMap::from([("x".into(), true)]),
            }
        );
        let s = parse(r#"{"a": 1, "c": 3, "n": 4, "v": null}"#).unwrap();
        assert_eq!((s.c, s.n, s.v), (Some(Some(3)), Some(4), Value::Null));
    }

    #[test]
    fn try_exact_refuses_what_leaves_a_property_behind() {
        #[derive(Debug)]
        struct Outer {
            inner: S,
        }
        impl<'de> Deserialize<'de> for Outer {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut o = Object::<D::Error>::deserialize(d)?;
                Ok(Self {
                    inner: o.field("inner")?,
                })
            }
        }
        let whole = serde_json::json!({"inner": {"a": 1, "n": null, "v": 0}});
        assert!(try_exact::<Outer>(&whole).is_some());
        // A property the outer struct does not take, then one an inner struct does not.
        let outer_extra = serde_json::json!({"inner": {"a": 1, "n": null, "v": 0}, "x": 1});
        assert!(try_exact::<Outer>(&outer_extra).is_none());
        assert!(try_as::<Outer>(&outer_extra).is_some());
        // `S` keeps its extra properties (`more`): nothing is left behind.
        let kept = serde_json::json!({"inner": {"a": 1, "n": null, "v": 0, "x": true}});
        assert_eq!(
            try_exact::<Outer>(&kept).map(|o| o.inner.more.len()),
            Some(1)
        );
        // A failed attempt inside does not count against the value kept.
        assert!(try_as::<S>(&serde_json::json!({"a": "no", "z": 1})).is_none());
        assert!(try_exact::<Outer>(&whole).is_some());
    }

    #[test]
    fn errors_name_the_field() {
        let e = parse(r#"{"n": 1, "v": 1}"#).unwrap_err();
        assert!(e.starts_with("missing field `a`"), "{e}");
        let e = parse(r#"{"a": 1, "v": 1}"#).unwrap_err();
        assert!(e.starts_with("missing field `n`"), "{e}");
        let e = parse(r#"{"a": 1, "n": 1}"#).unwrap_err();
        assert!(e.starts_with("missing field `v`"), "{e}");
        let e = parse(r#"{"a": 1, "n": 300, "v": 1}"#).unwrap_err();
        assert!(e.starts_with("at `n`: invalid value: integer `300`"), "{e}");
        let e = parse(r#"{"a": 1, "n": 1, "v": 1, "x": 2}"#).unwrap_err();
        assert!(e.starts_with("at `x`: invalid type: integer"), "{e}");
        let e = parse("[1]").unwrap_err();
        assert!(e.contains("expected a map"), "{e}");
    }

    #[test]
    fn nested_errors_join_their_paths() {
        #[derive(Debug)]
        struct Outer {
            #[allow(dead_code)]
            inner: S,
        }
        impl<'de> Deserialize<'de> for Outer {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let mut o = Object::<D::Error>::deserialize(d)?;
                Ok(Self {
                    inner: o.field("inner")?,
                })
            }
        }
        let e = serde_json::from_str::<Outer>(r#"{"inner": {"a": "x", "n": 1, "v": 1}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("at `inner.a`: invalid type: string"), "{e}");
    }
}
