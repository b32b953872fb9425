//! Encoding of generated structs through one generic routine, the twin of [`crate::de`].
//!
//! A generated struct implements `Serialize` in one line per field, with no `#[serde(…)]`
//! attribute on the struct or its fields, so that a crate can leave the impl out of a build
//! (a type only ever received needs no `Serialize` unless its crate's `serialize-all` feature
//! asks for it):
//!
//! ```
//! use connectorkit::ser::Object;
//! use std::collections::BTreeMap;
//! struct Pet {
//!     id: i64,
//!     name: Option<String>,
//!     tag: Option<String>,
//!     rest: BTreeMap<String, serde_json::Value>,
//! }
//! impl serde::Serialize for Pet {
//!     fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
//!         let mut o = Object::new(s)?;
//!         o.field("id", &self.id)?;
//!         o.optional("name", &self.name)?;
//!         o.field("tag", &self.tag)?;
//!         o.rest(&self.rest)?;
//!         o.end()
//!     }
//! }
//! let pet = Pet {
//!     id: 1,
//!     name: None,
//!     tag: None,
//!     rest: BTreeMap::from([("x".to_string(), serde_json::json!(true))]),
//! };
//! assert_eq!(serde_json::to_string(&pet).unwrap(), r#"{"id":1,"tag":null,"x":true}"#);
//! ```
//!
//! The output is serde's derive's: properties in field order, an optional field left out
//! when `None` (`skip_serializing_if = "Option::is_none"`), a field that must be present
//! written even when `null`, and the extra properties (`#[serde(flatten)]` of a map) last.

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// A JSON object being written, one property at a time.
pub struct Object<M> {
    map: M,
}

impl<M: SerializeMap> Object<M> {
    /// Starts the object.
    pub fn new<S: Serializer<SerializeMap = M>>(s: S) -> Result<Self, S::Error> {
        Ok(Object {
            map: s.serialize_map(None)?,
        })
    }

    /// Writes a property.
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), M::Error> {
        self.map.serialize_entry(name, value)
    }

    /// Writes a property unless it is `None`.
    pub fn optional<T: Serialize>(
        &mut self,
        name: &str,
        value: &Option<T>,
    ) -> Result<(), M::Error> {
        match value {
            Some(v) => self.map.serialize_entry(name, v),
            None => Ok(()),
        }
    }

    /// Writes the properties of a map (the struct's extra properties).
    pub fn rest<T: Serialize>(&mut self, rest: &BTreeMap<String, T>) -> Result<(), M::Error> {
        for (k, v) in rest {
            self.map.serialize_entry(k, v)?;
        }
        Ok(())
    }

    /// Ends the object.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.map.end()
    }
}
