//! Position-based classification of nodes in an OpenAPI / Swagger document: is a node a
//! schema, a map or list of schemas, plain data (examples, defaults), or another object?
//! Used to decide whether a `$ref` points at a schema (hoist) or at something else (inline),
//! and by normalize to find every schema.

use serde_json::Value;

/// What kind of node sits at a position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctx {
    /// The document root.
    Root,
    /// `components`.
    Components,
    /// `components/schemas` (or Swagger's top-level `definitions`): entries are schemas.
    TopSchemas,
    /// A map whose values are schemas (`properties`, `$defs`, …).
    SchemaMap,
    /// A list whose elements are schemas (`allOf`, `prefixItems`, …).
    SchemaList,
    /// A schema; `top` is true for entries of [`Ctx::TopSchemas`].
    Schema {
        /// An entry of `components/schemas` / `definitions`.
        top: bool,
    },
    /// Any other OpenAPI object (path item, operation, parameter, response, …).
    Other,
    /// Inside an `x-` extension: refs are followed, but problems are only warnings.
    Extension,
    /// Literal data: `example`, `default`, `enum`, `const`, example `value`s. Never walked.
    Data,
}

impl Ctx {
    /// True for schema nodes.
    pub(crate) fn is_schema(self) -> bool {
        matches!(self, Ctx::Schema { .. })
    }

    /// True where a `$ref` member is a reference (not data).
    pub(crate) fn takes_ref(self) -> bool {
        matches!(
            self,
            Ctx::Schema { .. } | Ctx::Other | Ctx::Extension | Ctx::SchemaMap
        )
    }

    /// The context of the child under `key` (object member) — `key` is `None` for array
    /// elements.
    pub(crate) fn child(self, key: Option<&str>, child: &Value) -> Ctx {
        if self != Ctx::Data && key.is_some_and(|k| k.starts_with("x-")) {
            return Ctx::Extension;
        }
        match self {
            Ctx::Root => match key {
                Some("components") => Ctx::Components,
                Some("definitions") => Ctx::TopSchemas,
                _ => Ctx::Other,
            },
            Ctx::Components => match key {
                Some("schemas") => Ctx::TopSchemas,
                _ => Ctx::Other,
            },
            Ctx::TopSchemas => Ctx::Schema { top: true },
            Ctx::SchemaMap | Ctx::SchemaList => Ctx::Schema { top: false },
            Ctx::Schema { .. } => match key {
                Some(
                    "properties" | "patternProperties" | "$defs" | "definitions"
                    | "dependentSchemas",
                ) => Ctx::SchemaMap,
                Some("allOf" | "anyOf" | "oneOf" | "prefixItems") => Ctx::SchemaList,
                Some("items") if child.is_array() => Ctx::SchemaList,
                Some(
                    "items"
                    | "additionalProperties"
                    | "not"
                    | "contains"
                    | "propertyNames"
                    | "if"
                    | "then"
                    | "else"
                    | "unevaluatedItems"
                    | "unevaluatedProperties"
                    | "additionalItems"
                    | "contentSchema",
                ) => Ctx::Schema { top: false },
                Some("example" | "examples" | "default" | "enum" | "const") => Ctx::Data,
                None => Ctx::Data,
                _ => Ctx::Other,
            },
            Ctx::Other => match key {
                Some("schema") => Ctx::Schema { top: false },
                Some("example" | "value" | "default" | "enum") if !child.is_object() => Ctx::Data,
                Some("example" | "value") => Ctx::Data,
                _ => Ctx::Other,
            },
            Ctx::Extension => Ctx::Extension,
            Ctx::Data => Ctx::Data,
        }
    }
}

/// The first (unescaped) token of a JSON pointer; `""` for the root.
pub(crate) fn first_token(ptr: &str) -> String {
    ptr.trim_start_matches('/')
        .split('/')
        .next()
        .map(crate::pointer::unescape)
        .unwrap_or_default()
}
