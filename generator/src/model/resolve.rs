//! Following `$ref`s inside the normalized document.

use std::borrow::Cow;

use openapiv3::{Components, OpenAPI, ReferenceOr};
use serde::de::DeserializeOwned;

/// Looks up references in one document: `#/components/<kind>/<name>` directly, anything
/// else through the JSON value.
#[derive(Clone, Copy)]
pub struct Resolver<'a> {
    /// The typed document.
    pub openapi: &'a OpenAPI,
    /// The same document as JSON.
    pub value: &'a serde_json::Value,
}

/// How deep chains of references may go before we call it a cycle.
const MAX_DEPTH: usize = 32;

impl<'a> Resolver<'a> {
    /// Resolves `item` (following chains of references) in `kind` (`parameters`, `responses`…).
    pub fn resolve<T>(
        &self,
        item: &'a ReferenceOr<T>,
        kind: &str,
        get: fn(&'a Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
    ) -> Option<Cow<'a, T>>
    where
        T: DeserializeOwned + Clone,
    {
        let mut current = item;
        for _ in 0..MAX_DEPTH {
            match current {
                ReferenceOr::Item(t) => return Some(Cow::Borrowed(t)),
                ReferenceOr::Reference { reference } => {
                    let prefix = format!("#/components/{kind}/");
                    if let Some(name) = reference.strip_prefix(&prefix) {
                        let name = crate::pointer::unescape(name);
                        if !name.contains('/') {
                            current = get(self.openapi.components.as_ref()?).get(&name)?;
                            continue;
                        }
                    }
                    return self.by_pointer(reference);
                }
            }
        }
        None
    }

    /// The JSON pointer of what the node at `ptr` stands for: `ptr` itself, or where its
    /// chain of local `$ref`s ends (`/paths/~1a/get/parameters/0` holding
    /// `{"$ref": "#/components/parameters/Id"}` → `/components/parameters/Id`). Types made
    /// from a referenced parameter, response or body point at the schema they came from.
    pub fn follow(&self, ptr: &str) -> String {
        let mut here = ptr.to_string();
        for _ in 0..MAX_DEPTH {
            let next = self
                .value
                .pointer(&here)
                .and_then(|n| n.get("$ref"))
                .and_then(serde_json::Value::as_str)
                .and_then(|r| r.strip_prefix('#'));
            match next {
                Some(p) if self.value.pointer(p).is_some() => here = p.to_string(),
                _ => break,
            }
        }
        here
    }

    /// Resolves any `#/…` reference by deserializing the JSON node it points to.
    pub fn by_pointer<T: DeserializeOwned + Clone>(&self, reference: &str) -> Option<Cow<'a, T>> {
        let pointer = reference.strip_prefix('#')?;
        let node = self.value.pointer(pointer)?;
        if node.get("$ref").is_some() {
            return None;
        }
        serde_json::from_value(node.clone()).ok().map(Cow::Owned)
    }
}
