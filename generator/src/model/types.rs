//! JSON Schema → Rust types: structs, string enums, unions, maps, aliases.
//!
//! Component schemas keep their names; inline schemas are named from their context
//! (`Pet` + `owner` → `PetOwner`). Structurally identical schemas become one type.
//! Recursion through direct containment is boxed once every type is known.

use std::collections::{BTreeSet, HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, OpenAPI, ReferenceOr, Schema, SchemaKind,
    StringFormat, Type, VariantOrUnknownOrEmpty,
};

use super::names::{bare, pascal_ident, snake_ident, Namer};
use super::resolve::Resolver;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceSet;
use crate::pointer;

mod all_of;
mod checks;
mod unions;

pub use all_of::annotation_doc;

/// A Rust type as used in a field, argument or return position.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RustType {
    /// A generated type.
    Named(String),
    /// `Vec<T>`.
    Vec(Box<RustType>),
    /// `BTreeMap<String, T>`.
    Map(Box<RustType>),
    /// `Option<T>`.
    Option(Box<RustType>),
    /// `Box<T>` (recursion).
    Boxed(Box<RustType>),
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// Integers.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `serde_json::Value`.
    Value,
    /// `serde_json::Map<String, Value>`.
    JsonObject,
    /// `connectorkit::DateTime`.
    DateTime,
    /// `connectorkit::Date`.
    Date,
    /// `connectorkit::Uuid`.
    Uuid,
    /// `connectorkit::Base64`.
    Base64,
}

impl RustType {
    /// Wraps in `Option` unless already optional.
    pub fn optional(self) -> RustType {
        match self {
            RustType::Option(_) => self,
            other => RustType::Option(Box::new(other)),
        }
    }

    /// Replaces references to types that were never defined by `serde_json::Value`.
    pub fn retain_known(&mut self, known: &BTreeSet<String>) {
        match self {
            RustType::Named(n) if !known.contains(n.as_str()) => *self = RustType::Value,
            RustType::Vec(t) | RustType::Map(t) | RustType::Option(t) | RustType::Boxed(t) => {
                t.retain_known(known)
            }
            _ => {}
        }
    }

    /// True for `Option<_>`.
    pub fn is_option(&self) -> bool {
        matches!(self, RustType::Option(_))
    }

    /// True for small `Copy` scalars.
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            RustType::Bool
                | RustType::I8
                | RustType::I16
                | RustType::I32
                | RustType::I64
                | RustType::U8
                | RustType::U16
                | RustType::U32
                | RustType::U64
                | RustType::F32
                | RustType::F64
                | RustType::Uuid
        )
    }

    /// The named type held directly (not behind a Vec/Map), if any.
    fn direct_named(&self) -> Option<&str> {
        match self {
            RustType::Named(n) => Some(n),
            RustType::Option(inner) => inner.direct_named(),
            _ => None,
        }
    }

    /// Every named type inside, behind containers too.
    pub(crate) fn all_named(&self) -> Vec<&str> {
        match self {
            RustType::Named(n) => vec![n.as_str()],
            RustType::Vec(t) | RustType::Map(t) | RustType::Option(t) | RustType::Boxed(t) => {
                t.all_named()
            }
            _ => Vec::new(),
        }
    }

    /// Boxes the directly held named type.
    fn box_direct(&mut self) {
        match self {
            RustType::Named(_) => {
                let inner = std::mem::replace(self, RustType::Value);
                *self = RustType::Boxed(Box::new(inner));
            }
            RustType::Option(inner) => inner.box_direct(),
            _ => {}
        }
    }

    /// True when the type contains a float (no `Eq`).
    fn has_float(&self, floats: &BTreeSet<String>) -> bool {
        match self {
            RustType::F32 | RustType::F64 | RustType::Value | RustType::JsonObject => true,
            RustType::Named(n) => floats.contains(n),
            RustType::Vec(t) | RustType::Map(t) | RustType::Option(t) | RustType::Boxed(t) => {
                t.has_float(floats)
            }
            _ => false,
        }
    }

    /// A short name for union variants.
    fn variant_hint(&self) -> String {
        match self {
            RustType::Named(n) => n.clone(),
            RustType::Vec(t) => format!("{}List", t.variant_hint()),
            RustType::Map(t) => format!("{}Map", t.variant_hint()),
            RustType::Option(t) | RustType::Boxed(t) => t.variant_hint(),
            RustType::String => "String".into(),
            RustType::Bool => "Boolean".into(),
            RustType::I8
            | RustType::I16
            | RustType::I32
            | RustType::I64
            | RustType::U8
            | RustType::U16
            | RustType::U32
            | RustType::U64 => "Integer".into(),
            RustType::F32 | RustType::F64 => "Number".into(),
            RustType::Value => "Value".into(),
            RustType::JsonObject => "Object".into(),
            RustType::DateTime => "DateTime".into(),
            RustType::Date => "Date".into(),
            RustType::Uuid => "Uuid".into(),
            RustType::Base64 => "Bytes".into(),
        }
    }
}

/// A struct field.
#[derive(Clone, Debug)]
pub struct Field {
    /// Rust identifier.
    pub ident: String,
    /// JSON name.
    pub wire_name: String,
    /// Type (including `Option` when optional or nullable).
    pub ty: RustType,
    /// Not required: skipped when `None`.
    pub optional: bool,
    /// Required and nullable, in a struct that is a variant of an untagged union: the property
    /// must be present on the wire (`null` allowed), since its presence is what tells the
    /// union's variants apart. Elsewhere a missing nullable property decodes as `None`.
    pub must_be_present: bool,
    /// Docs.
    pub doc: Option<String>,
    /// The JSON pointer of the property's schema.
    pub pointer: String,
}

/// An enum variant.
#[derive(Clone, Debug)]
pub struct Variant {
    /// Rust identifier.
    pub ident: String,
    /// The wire value (string enums) or tag value (tagged unions).
    pub wire: Option<String>,
    /// The payload (unions only).
    pub ty: Option<RustType>,
    /// Docs.
    pub doc: Option<String>,
    /// Untagged unions: a property the member requires with one fixed value that is not a
    /// string (Discord's `type: 3`), checked before the variant is tried.
    pub guard: Option<Guard>,
}

/// A property and the one value a member requires it to have.
#[derive(Clone, Debug, PartialEq)]
pub struct Guard {
    /// JSON name of the property.
    pub property: String,
    /// The value.
    pub value: GuardValue,
}

/// The fixed value of a [`Guard`].
#[derive(Clone, Debug, PartialEq)]
pub enum GuardValue {
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
}

/// A struct's flattened map of the properties its schema does not list.
#[derive(Clone, Debug)]
pub struct ExtraProperties {
    /// The field's Rust identifier, claimed after the struct's other fields.
    pub ident: String,
    /// The type of the map's values.
    pub ty: RustType,
}

/// What kind of type a definition is.
#[derive(Clone, Debug)]
pub enum TypeKind {
    /// A struct; `additional` is a flattened map of extra properties.
    Struct {
        /// Fields.
        fields: Vec<Field>,
        /// Extra properties.
        additional: Option<ExtraProperties>,
    },
    /// A string enum with an `Unknown(String)` fallback.
    StringEnum {
        /// Variants.
        variants: Vec<Variant>,
    },
    /// `oneOf`/`anyOf`: untagged, internally tagged by `tag`, or adjacently tagged by
    /// `tag` + `content`. A variant without a payload (`ty: None`) is a unit variant.
    Union {
        /// Variants.
        variants: Vec<Variant>,
        /// Discriminator property.
        tag: Option<String>,
        /// The property holding the payload of an adjacently tagged union.
        content: Option<String>,
    },
    /// `pub type Name = T;`
    Alias(RustType),
    /// `pub struct Name(pub T);`, serde-transparent: an alias that refers back to itself
    /// through containers (`Tree = Vec<Tree>`), which a type alias cannot do.
    Newtype(RustType),
}

/// A named generated type.
#[derive(Clone, Debug)]
pub struct TypeDef {
    /// Rust identifier.
    pub name: String,
    /// Docs.
    pub doc: Option<String>,
    /// What it is.
    pub kind: TypeKind,
    /// Whether `Eq` can be derived.
    pub eq: bool,
    /// Whether `Default` can be derived.
    pub default: bool,
    /// Whether the type contains a box (recursion) — informational.
    pub recursive: bool,
    /// The JSON pointer it came from.
    pub pointer: String,
}

/// A borrowed view of an object schema, whichever way openapiv3 parsed it.
struct ObjectView<'s> {
    properties: &'s IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
}

/// All types of one definition, built on demand.
pub struct TypeSpace<'a> {
    resolver: Resolver<'a>,
    sources: &'a SourceSet,
    namer: Namer,
    defs: Vec<TypeDef>,
    components: HashMap<String, String>,
    /// Components that are `nullable` and whose definition cannot hold the `null` (a struct,
    /// a string enum, a union, a merged `allOf`): every reference to them is an `Option`.
    null_outside: HashSet<String>,
    dedup: HashMap<String, RustType>,
    /// (struct name, wire field) pairs that a tagged union carries as its tag.
    tag_fields: BTreeSet<(String, String)>,
    diags: Vec<Diagnostic>,
    depth: usize,
    /// The `$ref`s that are `allOf` members somewhere: their `required` may name
    /// properties of the other members.
    all_of_targets: BTreeSet<String>,
}

/// Nesting deeper than this is treated as free-form (protects against pathological input).
const MAX_DEPTH: usize = 64;

impl<'a> TypeSpace<'a> {
    /// A new type space for a document.
    pub fn new(resolver: Resolver<'a>, sources: &'a SourceSet) -> Self {
        Self {
            resolver,
            sources,
            namer: Namer::with_reserved(&[
                "Client",
                "Result",
                "Option",
                "Box",
                "Vec",
                "String",
                "Some",
                "None",
                "Ok",
                "Err",
                "Default",
                "Clone",
                "Copy",
                "Send",
                "Sync",
                "Sized",
                "Drop",
                "Fn",
                "FnMut",
                "FnOnce",
                "From",
                "Into",
                "Iterator",
                "IntoIterator",
                "ToString",
                "ToOwned",
                "PartialEq",
                "Eq",
                "PartialOrd",
                "Ord",
                "Debug",
                "Serialize",
                "Deserialize",
                "Extend",
                "AsRef",
                "AsMut",
            ]),
            defs: Vec::new(),
            components: HashMap::new(),
            null_outside: HashSet::new(),
            dedup: HashMap::new(),
            tag_fields: BTreeSet::new(),
            diags: Vec::new(),
            depth: 0,
            all_of_targets: checks::all_of_targets(resolver.value),
        }
    }

    fn openapi(&self) -> &'a OpenAPI {
        self.resolver.openapi
    }

    /// Names and builds every component schema, in definition order.
    pub fn add_components(&mut self) {
        let Some(components) = &self.openapi().components else {
            return;
        };
        let schemas = &components.schemas;
        for key in schemas.keys() {
            let (name, renamed) = self.namer.claim(&pascal_ident(key, "Schema"));
            if renamed {
                self.diags.push(Diagnostic::warning(
                    "model/name-collision",
                    format!("schema `{key}` is generated as `{name}` because its name is taken"),
                    self.sources
                        .locate(&pointer::push("/components/schemas", key)),
                ));
            }
            self.components.insert(key.clone(), name);
        }
        for (key, schema) in schemas {
            if let ReferenceOr::Item(s) = schema {
                let ptr = pointer::push("/components/schemas", key);
                if s.schema_data.nullable && self.defines_kind(s, &ptr) {
                    self.null_outside.insert(key.clone());
                }
            }
        }
        for (key, schema) in schemas {
            let name = self.components.get(key).cloned().unwrap_or_default();
            let ptr = pointer::push("/components/schemas", key);
            match schema {
                ReferenceOr::Item(s) => {
                    if let Ok(canon) = serde_json::to_string(s) {
                        self.dedup
                            .entry(canon)
                            .or_insert_with(|| RustType::Named(name.clone()));
                    }
                    self.define_named(&name, s, &ptr);
                }
                ReferenceOr::Reference { .. } => {
                    let target = self.type_for(schema, &name, &ptr);
                    self.push_def(TypeDef {
                        name: name.clone(),
                        doc: None,
                        kind: TypeKind::Alias(target),
                        eq: true,
                        default: false,
                        recursive: false,
                        pointer: ptr,
                    });
                }
            }
        }
    }

    fn push_def(&mut self, def: TypeDef) {
        self.defs.push(def);
    }

    /// Claims a type name that is not a schema (action success/error enums, params structs).
    pub fn claim_name(&mut self, wanted: &str) -> String {
        self.namer.claim(&pascal_ident(wanted, "Type")).0
    }

    /// The type for a schema or reference; `ctx` names inline types.
    pub fn type_for(&mut self, schema: &ReferenceOr<Schema>, ctx: &str, ptr: &str) -> RustType {
        match schema {
            ReferenceOr::Item(s) => self.inline(s, ctx, ptr),
            ReferenceOr::Reference { reference } => self.reference(reference, ctx, ptr),
        }
    }

    /// The type for a boxed schema or reference.
    pub fn type_for_boxed(
        &mut self,
        schema: &ReferenceOr<Box<Schema>>,
        ctx: &str,
        ptr: &str,
    ) -> RustType {
        match schema {
            ReferenceOr::Item(s) => self.inline(s, ctx, ptr),
            ReferenceOr::Reference { reference } => self.reference(reference, ctx, ptr),
        }
    }

    fn reference(&mut self, reference: &str, ctx: &str, ptr: &str) -> RustType {
        if let Some(key) = reference.strip_prefix("#/components/schemas/") {
            let key = pointer::unescape(key);
            if let Some(name) = self.components.get(&key) {
                let t = RustType::Named(name.clone());
                return if self.null_outside.contains(&key) {
                    t.optional()
                } else {
                    t
                };
            }
        }
        match self.resolver.by_pointer::<Schema>(reference) {
            Some(s) => {
                let s = s.into_owned();
                self.inline(&s, ctx, ptr)
            }
            None => {
                self.diags.push(
                    Diagnostic::warning(
                        "model/unresolved-ref",
                        format!("`{reference}` does not name a schema; using serde_json::Value"),
                        self.sources.locate(ptr),
                    )
                    .with_hint("point $ref at #/components/schemas/<Name>"),
                );
                RustType::Value
            }
        }
    }

    /// Looks up a component schema by reference (for allOf merging and discriminators).
    fn component_schema(&self, reference: &str) -> Option<(&'a Schema, String)> {
        let key = pointer::unescape(reference.strip_prefix("#/components/schemas/")?);
        let mut item = self.openapi().components.as_ref()?.schemas.get(&key)?;
        let mut key = key;
        for _ in 0..16 {
            match item {
                ReferenceOr::Item(s) => return Some((s, key)),
                ReferenceOr::Reference { reference } => {
                    key = pointer::unescape(reference.strip_prefix("#/components/schemas/")?);
                    item = self.openapi().components.as_ref()?.schemas.get(&key)?;
                }
            }
        }
        None
    }

    fn inline(&mut self, schema: &Schema, ctx: &str, ptr: &str) -> RustType {
        if self.depth > MAX_DEPTH {
            return RustType::Value;
        }
        self.depth += 1;
        let ty = self.inline_inner(schema, ctx, ptr);
        self.depth -= 1;
        if schema.schema_data.nullable {
            ty.optional()
        } else {
            ty
        }
    }

    fn inline_inner(&mut self, schema: &Schema, ctx: &str, ptr: &str) -> RustType {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                if !values.is_empty() {
                    return self.dedup_or(schema, ctx, ptr, |space, name| {
                        space.string_enum_def(name, &values, schema, ptr)
                    });
                }
                string_format(&s.format)
            }
            SchemaKind::Type(Type::Number(n)) => match &n.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => RustType::F64,
                _ => RustType::F64,
            },
            SchemaKind::Type(Type::Integer(i)) => integer_format(&i.format),
            SchemaKind::Type(Type::Boolean(_)) => RustType::Bool,
            SchemaKind::Type(Type::Array(a)) => {
                let item_ctx = format!("{ctx}Item");
                let item_ptr = pointer::push(ptr, "items");
                match &a.items {
                    Some(items) => {
                        RustType::Vec(Box::new(self.type_for_boxed(items, &item_ctx, &item_ptr)))
                    }
                    None => RustType::Vec(Box::new(RustType::Value)),
                }
            }
            SchemaKind::Type(Type::Object(o)) => self.object(
                schema,
                ObjectView {
                    properties: &o.properties,
                    required: &o.required,
                    additional: o.additional_properties.as_ref(),
                },
                ctx,
                ptr,
            ),
            SchemaKind::OneOf { one_of } => self.union(schema, one_of, ctx, ptr, "oneOf"),
            SchemaKind::AnyOf { any_of } => self.union(schema, any_of, ctx, ptr, "anyOf"),
            SchemaKind::AllOf { all_of } => self.all_of(schema, all_of, ctx, ptr),
            SchemaKind::Not { .. } => RustType::Value,
            SchemaKind::Any(any) => self.any(schema, any, ctx, ptr),
        }
    }

    /// openapiv3 parses schemas without a single clear `type` as `Any`.
    fn any(&mut self, schema: &Schema, any: &AnySchema, ctx: &str, ptr: &str) -> RustType {
        if !any.all_of.is_empty() {
            return self.all_of(schema, &any.all_of, ctx, ptr);
        }
        if !any.one_of.is_empty() {
            return self.union(schema, &any.one_of, ctx, ptr, "oneOf");
        }
        if !any.any_of.is_empty() {
            return self.union(schema, &any.any_of, ctx, ptr, "anyOf");
        }
        let typ = any.typ.as_deref();
        if !any.properties.is_empty() || typ == Some("object") {
            return self.object(
                schema,
                ObjectView {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                },
                ctx,
                ptr,
            );
        }
        if let Some(items) = &any.items {
            let t = self.type_for_boxed(items, &format!("{ctx}Item"), &pointer::push(ptr, "items"));
            return RustType::Vec(Box::new(t));
        }
        // `enum` of strings without a `type`: a string enum all the same.
        if typ.is_none()
            && !any.enumeration.is_empty()
            && any.enumeration.iter().all(serde_json::Value::is_string)
        {
            let values: Vec<String> = any
                .enumeration
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect();
            return self.dedup_or(schema, ctx, ptr, |space, name| {
                space.string_enum_def(name, &values, schema, ptr)
            });
        }
        match typ {
            Some("array") => RustType::Vec(Box::new(RustType::Value)),
            Some("string") => {
                let values: Vec<String> = any
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect();
                if !values.is_empty() && values.len() == any.enumeration.len() {
                    return self.dedup_or(schema, ctx, ptr, |space, name| {
                        space.string_enum_def(name, &values, schema, ptr)
                    });
                }
                match any.format.as_deref() {
                    Some("date-time") => RustType::DateTime,
                    Some("date") => RustType::Date,
                    Some("uuid") => RustType::Uuid,
                    Some("byte") => RustType::Base64,
                    _ => RustType::String,
                }
            }
            Some("integer") => match any.format.as_deref() {
                Some("int32") => RustType::I32,
                _ => RustType::I64,
            },
            Some("number") => RustType::F64,
            Some("boolean") => RustType::Bool,
            Some(other) => {
                self.check_type(other, ptr);
                RustType::Value
            }
            None => RustType::Value,
        }
    }

    /// Returns the type already built for an identical schema, or builds one named from `ctx`.
    fn dedup_or(
        &mut self,
        schema: &Schema,
        ctx: &str,
        ptr: &str,
        build: impl FnOnce(&mut Self, &str) -> Option<TypeDef>,
    ) -> RustType {
        let mut plain = schema.clone();
        plain.schema_data.nullable = false;
        let canon = serde_json::to_string(&plain).unwrap_or_default();
        if let Some(existing) = self.dedup.get(&canon) {
            return existing.clone();
        }
        let wanted = match &schema.schema_data.title {
            Some(t) if ctx.is_empty() => pascal_ident(t, "Type"),
            _ => pascal_ident(ctx, "Type"),
        };
        let (name, _) = self.namer.claim(&wanted);
        self.dedup
            .insert(canon.clone(), RustType::Named(name.clone()));
        match build(self, &name) {
            Some(def) => {
                let def = TypeDef {
                    pointer: ptr.to_string(),
                    ..def
                };
                self.push_def(def);
                RustType::Named(name)
            }
            None => {
                self.dedup.insert(canon, RustType::Value);
                RustType::Value
            }
        }
    }

    /// Builds the definition of a component schema under its given name.
    /// True when [`Self::define_named`] makes the schema a type of its own (a struct, a
    /// string enum, a union, a merged `allOf`) rather than an alias, which carries a
    /// `nullable` as an `Option` itself. Decided without building anything.
    fn defines_kind(&self, schema: &Schema, ptr: &str) -> bool {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s.enumeration.iter().flatten().count() > 0,
            SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
            SchemaKind::Any(any)
                if !any.properties.is_empty()
                    && any.all_of.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty() =>
            {
                true
            }
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => true,
            SchemaKind::Any(any) if any_union(any).is_some() => true,
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                self.all_of_merges(schema, all_of, ptr)
            }
            SchemaKind::Any(any)
                if !any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() =>
            {
                self.all_of_merges(schema, &any.all_of, ptr)
            }
            _ => false,
        }
    }

    fn define_named(&mut self, name: &str, schema: &Schema, ptr: &str) {
        let doc = schema_doc(schema);
        let kind = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) if s.enumeration.iter().flatten().count() > 0 => {
                let values: Vec<String> = s.enumeration.iter().flatten().cloned().collect();
                self.string_enum_def(name, &values, schema, ptr)
                    .map(|d| d.kind)
            }
            SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => {
                Some(self.struct_kind(
                    name,
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    ptr,
                    &HashMap::new(),
                ))
            }
            SchemaKind::Any(any)
                if !any.properties.is_empty()
                    && any.all_of.is_empty()
                    && any.one_of.is_empty()
                    && any.any_of.is_empty() =>
            {
                Some(self.struct_kind(
                    name,
                    &any.properties,
                    &any.required,
                    any.additional_properties.as_ref(),
                    ptr,
                    &HashMap::new(),
                ))
            }
            SchemaKind::OneOf { one_of } => {
                Some(self.union_kind(name, schema, one_of, ptr, "oneOf"))
            }
            SchemaKind::AnyOf { any_of } => {
                Some(self.union_kind(name, schema, any_of, ptr, "anyOf"))
            }
            // `type: object` (or a title, a description) beside the `oneOf`: GitHub's
            // `repository-rule`, 23 members told apart by `type`.
            SchemaKind::Any(any) if any_union(any).is_some() => any_union(any)
                .map(|(members, keyword)| self.union_kind(name, schema, members, ptr, keyword)),
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                self.all_of_kind(name, schema, all_of, ptr)
            }
            // `allOf` beside `required`, `properties` or `type: object`.
            SchemaKind::Any(any)
                if !any.all_of.is_empty() && any.one_of.is_empty() && any.any_of.is_empty() =>
            {
                self.all_of_kind(name, schema, &any.all_of, ptr)
            }
            _ => None,
        };
        let kind = match kind {
            Some(k) => k,
            None => {
                // Anything else (a primitive, an array, a map, a lone allOf member…) is an alias
                // to what the schema would be inline, named after the component.
                let mut plain = schema.clone();
                plain.schema_data.nullable = false;
                let t = self.inline(&plain, &format!("{name}Value"), ptr);
                let t = if schema.schema_data.nullable {
                    t.optional()
                } else {
                    t
                };
                TypeKind::Alias(t)
            }
        };
        self.push_def(TypeDef {
            name: name.to_string(),
            doc,
            kind,
            eq: true,
            default: false,
            recursive: false,
            pointer: ptr.to_string(),
        });
    }

    fn string_enum_def(
        &mut self,
        name: &str,
        values: &[String],
        schema: &Schema,
        _ptr: &str,
    ) -> Option<TypeDef> {
        let mut namer = Namer::with_reserved(&["Unknown"]);
        let mut seen = BTreeSet::new();
        // `x-ms-enum-values`: display names document the variants and name the ones whose
        // value gives no identifier.
        let display = super::extensions::enum_values(&schema.schema_data.extensions);
        let variants = values
            .iter()
            .filter(|v| seen.insert(v.as_str()))
            .map(|v| {
                let shown = display.iter().find(|(w, _)| w == v).map(|(_, d)| d.clone());
                let mut wanted = pascal_ident(v, "Empty");
                if wanted == "Empty" {
                    if let Some(d) = &shown {
                        wanted = pascal_ident(d, "Empty");
                    }
                }
                let (ident, _) = namer.claim(bare(&wanted));
                Variant {
                    ident,
                    wire: Some(v.clone()),
                    ty: None,
                    doc: shown.map(|d| format!("{d} (`{v}`)")),
                    guard: None,
                }
            })
            .collect();
        Some(TypeDef {
            name: name.to_string(),
            doc: schema_doc(schema),
            kind: TypeKind::StringEnum { variants },
            eq: true,
            default: false,
            recursive: false,
            pointer: String::new(),
        })
    }

    fn object(&mut self, schema: &Schema, view: ObjectView<'_>, ctx: &str, ptr: &str) -> RustType {
        if view.properties.is_empty() {
            return match view.additional {
                Some(AdditionalProperties::Schema(s)) => {
                    let t = self.type_for(
                        s,
                        &format!("{ctx}Value"),
                        &pointer::push(ptr, "additionalProperties"),
                    );
                    RustType::Map(Box::new(t))
                }
                _ => RustType::JsonObject,
            };
        }
        self.dedup_or(schema, ctx, ptr, |space, name| {
            let kind = space.struct_kind(
                name,
                view.properties,
                view.required,
                view.additional,
                ptr,
                &HashMap::new(),
            );
            Some(TypeDef {
                name: name.to_string(),
                doc: schema_doc(schema),
                kind,
                eq: true,
                default: false,
                recursive: false,
                pointer: String::new(),
            })
        })
    }

    fn struct_kind(
        &mut self,
        name: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        ptr: &str,
        origins: &HashMap<String, String>,
    ) -> TypeKind {
        self.check_required(
            name,
            properties,
            required,
            additional,
            ptr,
            !origins.is_empty(),
        );
        let mut namer = Namer::default();
        let mut fields = Vec::with_capacity(properties.len());
        let props_ptr = pointer::push(ptr, "properties");
        for (wire, prop) in properties {
            let prop_ptr = origins
                .get(wire)
                .cloned()
                .unwrap_or_else(|| pointer::push(&props_ptr, wire));
            let (ident, renamed) = namer.claim(&snake_ident(wire, "field"));
            if renamed {
                self.diags.push(Diagnostic::warning(
                    "model/name-collision",
                    format!("property `{wire}` of `{name}` is generated as field `{ident}`"),
                    self.sources.locate(&prop_ptr),
                ));
            }
            let ctx = format!("{name}{}", pascal_ident(wire, "Field"));
            let ty = self.type_for_boxed(prop, &ctx, &prop_ptr);
            let is_required = required.iter().any(|r| r == wire);
            let ty = if is_required { ty } else { ty.optional() };
            let doc = match prop {
                ReferenceOr::Item(s) => schema_doc(s).or_else(|| annotation_doc(s)),
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                ident,
                wire_name: wire.clone(),
                ty,
                optional: !is_required,
                must_be_present: false,
                doc,
                pointer: prop_ptr,
            });
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(s)) if !allows_nothing(s) => Some(ExtraProperties {
                ty: self.type_for(
                    s,
                    &format!("{name}Extra"),
                    &pointer::push(ptr, "additionalProperties"),
                ),
                ident: namer.claim_padded("additional_properties"),
            }),
            _ => None,
        };
        TypeKind::Struct { fields, additional }
    }

    fn union(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        ctx: &str,
        ptr: &str,
        keyword: &str,
    ) -> RustType {
        // Drop `{}`/null-only members (normalize turns `null` members into `nullable`).
        let members: Vec<&ReferenceOr<Schema>> = members.iter().collect();
        if members.len() == 1 {
            let t = self.type_for(
                members[0],
                ctx,
                &pointer::push(&pointer::push(ptr, keyword), "0"),
            );
            return t;
        }
        if members.is_empty() {
            return RustType::Value;
        }
        self.dedup_or(schema, ctx, ptr, |space, name| {
            let kind = space.union_kind(
                name,
                schema,
                &members.iter().map(|m| (*m).clone()).collect::<Vec<_>>(),
                ptr,
                keyword,
            );
            Some(TypeDef {
                name: name.to_string(),
                doc: schema_doc(schema),
                kind,
                eq: true,
                default: false,
                recursive: false,
                pointer: String::new(),
            })
        })
    }

    /// Finishes the space: tag fields made optional, recursion boxed, derives decided.
    pub fn finish(mut self, diags: &mut Diagnostics) -> Vec<TypeDef> {
        self.release_tag_fields();
        let known: BTreeSet<String> = self.defs.iter().map(|d| d.name.clone()).collect();
        for def in &mut self.defs {
            match &mut def.kind {
                TypeKind::Struct { fields, additional } => {
                    fields.iter_mut().for_each(|f| f.ty.retain_known(&known));
                    if let Some(a) = additional {
                        a.ty.retain_known(&known);
                    }
                }
                TypeKind::Union { variants, .. } => variants
                    .iter_mut()
                    .filter_map(|v| v.ty.as_mut())
                    .for_each(|t| t.retain_known(&known)),
                TypeKind::Alias(t) | TypeKind::Newtype(t) => t.retain_known(&known),
                TypeKind::StringEnum { .. } => {}
            }
        }
        self.order_untagged();
        self.box_recursion();
        self.newtype_recursive_aliases();
        self.decide_derives();
        diags.extend(std::mem::take(&mut self.diags));
        self.defs
    }

    fn box_recursion(&mut self) {
        let index: HashMap<String, usize> = self
            .defs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name.clone(), i))
            .collect();
        let edges: Vec<Vec<usize>> = self
            .defs
            .iter()
            .map(|d| {
                direct_types(&d.kind)
                    .into_iter()
                    .filter_map(|n| index.get(n).copied())
                    .collect()
            })
            .collect();
        let scc = tarjan(&edges);
        for (i, def) in self.defs.iter_mut().enumerate() {
            let my = scc[i];
            let in_cycle = |t: &RustType| {
                t.direct_named()
                    .and_then(|n| index.get(n))
                    .is_some_and(|j| scc[*j] == my)
            };
            let mut boxed = false;
            match &mut def.kind {
                TypeKind::Struct { fields, .. } => {
                    for f in fields.iter_mut() {
                        if in_cycle(&f.ty) {
                            f.ty.box_direct();
                            boxed = true;
                        }
                    }
                }
                TypeKind::Union { variants, .. } => {
                    for v in variants.iter_mut() {
                        if let Some(t) = v.ty.as_mut() {
                            if in_cycle(t) {
                                t.box_direct();
                                boxed = true;
                            }
                        }
                    }
                }
                TypeKind::Alias(t) | TypeKind::Newtype(t) => {
                    if in_cycle(t) {
                        // `type A = B; type B = A;` can't be boxed into sense: break it.
                        *t = RustType::Value;
                    }
                }
                TypeKind::StringEnum { .. } => {}
            }
            def.recursive = boxed;
        }
    }

    /// Aliases that reach themselves through other aliases and containers (`Tree =
    /// Vec<Tree>`, `A = B; B = Map<A>`) become newtype structs: rustc expands aliases eagerly
    /// and refuses any cycle among them, while a struct behind a `Vec` or map is fine.
    fn newtype_recursive_aliases(&mut self) {
        let index: HashMap<String, usize> = self
            .defs
            .iter()
            .enumerate()
            .filter(|(_, d)| matches!(d.kind, TypeKind::Alias(_)))
            .map(|(i, d)| (d.name.clone(), i))
            .collect();
        let edges: Vec<Vec<usize>> = self
            .defs
            .iter()
            .map(|d| match &d.kind {
                TypeKind::Alias(t) => t
                    .all_named()
                    .into_iter()
                    .filter_map(|n| index.get(n).copied())
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let scc = tarjan(&edges);
        let mut size = vec![0usize; self.defs.len()];
        for c in &scc {
            size[*c] += 1;
        }
        for (i, def) in self.defs.iter_mut().enumerate() {
            let cyclic = size[scc[i]] > 1 || edges[i].contains(&i);
            if let (true, TypeKind::Alias(t)) = (cyclic, &def.kind) {
                def.kind = TypeKind::Newtype(t.clone());
            }
        }
    }

    /// `Eq` when no float/Value is inside (fixpoint over named types); `Default` when every
    /// field is optional.
    fn decide_derives(&mut self) {
        let mut floats: BTreeSet<String> = BTreeSet::new();
        loop {
            let before = floats.len();
            for def in &self.defs {
                if floats.contains(&def.name) {
                    continue;
                }
                let has = match &def.kind {
                    TypeKind::Struct { fields, additional } => {
                        fields.iter().any(|f| f.ty.has_float(&floats))
                            || additional.as_ref().is_some_and(|a| a.ty.has_float(&floats))
                    }
                    TypeKind::Union { variants, .. } => variants
                        .iter()
                        .any(|v| v.ty.as_ref().is_some_and(|t| t.has_float(&floats))),
                    TypeKind::Alias(t) | TypeKind::Newtype(t) => t.has_float(&floats),
                    TypeKind::StringEnum { .. } => false,
                };
                if has {
                    floats.insert(def.name.clone());
                }
            }
            if floats.len() == before {
                break;
            }
        }
        for def in &mut self.defs {
            def.eq = !floats.contains(&def.name);
            def.default = match &def.kind {
                TypeKind::Struct { fields, .. } => fields.iter().all(|f| f.ty.is_option()),
                _ => false,
            };
        }
    }
}

/// Named types held directly (not behind Vec/Map/Box) by a definition.
fn direct_types(kind: &TypeKind) -> Vec<&str> {
    match kind {
        TypeKind::Struct { fields, .. } => {
            fields.iter().filter_map(|f| f.ty.direct_named()).collect()
        }
        TypeKind::Union { variants, .. } => variants
            .iter()
            .filter_map(|v| v.ty.as_ref().and_then(RustType::direct_named))
            .collect(),
        TypeKind::Alias(t) | TypeKind::Newtype(t) => t.direct_named().into_iter().collect(),
        TypeKind::StringEnum { .. } => Vec::new(),
    }
}

/// Strongly connected components (iterative Tarjan); a node alone without a self-edge gets
/// its own component id, so self-recursion is caught by the edge check in `box_recursion`.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![usize::MAX; n];
    let mut stack = Vec::new();
    let mut next = 0usize;
    let mut comp_id = 0usize;
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(start, 0)];
        index[start] = next;
        low[start] = next;
        next += 1;
        stack.push(start);
        on_stack[start] = true;
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if *ei < edges[v].len() {
                let w = edges[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    index[w] = next;
                    low[w] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = comp_id;
                        if w == v {
                            break;
                        }
                    }
                    comp_id += 1;
                }
            }
        }
    }
    comp
}

impl TypeDef {
    /// Every named type this type mentions directly (fields, extra properties, variants,
    /// the aliased or wrapped type).
    pub(crate) fn named_refs(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        match &self.kind {
            TypeKind::Struct { fields, additional } => {
                fields.iter().for_each(|f| out.extend(f.ty.all_named()));
                additional.iter().for_each(|a| out.extend(a.ty.all_named()));
            }
            TypeKind::Union { variants, .. } => variants
                .iter()
                .filter_map(|v| v.ty.as_ref())
                .for_each(|t| out.extend(t.all_named())),
            TypeKind::Alias(t) | TypeKind::Newtype(t) => out.extend(t.all_named()),
            TypeKind::StringEnum { .. } => {}
        }
        out
    }
}

/// The graph of the types: each name's index, and for each type the indexes of the named
/// types it mentions directly (names not among `defs` left out).
pub(crate) fn type_graph(defs: &[TypeDef]) -> (HashMap<&str, usize>, Vec<Vec<usize>>) {
    let index: HashMap<&str, usize> = defs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.as_str(), i))
        .collect();
    let edges = defs
        .iter()
        .map(|d| {
            d.named_refs()
                .into_iter()
                .filter_map(|n| index.get(n).copied())
                .collect()
        })
        .collect();
    (index, edges)
}

/// How many named types deep the longest chain of containment goes (through any container:
/// rustc's drop check follows `Box`, `Vec` and `Option` alike), counting a cycle once; and
/// the type at its top. rustc gives up past its `recursion_limit` (128 by default).
pub fn nesting_depth(defs: &[TypeDef]) -> (usize, Option<&TypeDef>) {
    let (_, edges) = type_graph(defs);
    let comp = tarjan(&edges);
    let comps = comp.iter().max().map_or(0, |m| m + 1);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); comps];
    for (i, c) in comp.iter().enumerate() {
        members[*c].push(i);
    }
    // Tarjan completes a component after every component it reaches: ascending ids are a
    // reverse topological order.
    let mut depth = vec![0usize; comps];
    for c in 0..comps {
        let below = members[c]
            .iter()
            .flat_map(|&i| edges[i].iter())
            .filter(|&&j| comp[j] != c)
            .map(|&j| depth[comp[j]])
            .max()
            .unwrap_or(0);
        depth[c] = below + 1;
    }
    let top = (0..comps).max_by_key(|&c| depth[c]);
    (
        top.map_or(0, |c| depth[c]),
        top.and_then(|c| members[c].first()).map(|&i| &defs[i]),
    )
}

fn is_plain_object(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(a) => {
            !a.properties.is_empty() && a.one_of.is_empty() && a.any_of.is_empty()
        }
        _ => false,
    }
}

fn string_format(f: &VariantOrUnknownOrEmpty<StringFormat>) -> RustType {
    match f {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => RustType::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => RustType::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => RustType::Base64,
        VariantOrUnknownOrEmpty::Unknown(u) if u == "uuid" => RustType::Uuid,
        _ => RustType::String,
    }
}

/// The members of a union that sits beside nothing but `type: object` (openapiv3 reads it as
/// an `AnySchema`): no properties, no `allOf`, one of `oneOf`/`anyOf`.
fn any_union(any: &AnySchema) -> Option<(&[ReferenceOr<Schema>], &'static str)> {
    let plain = any.properties.is_empty()
        && any.all_of.is_empty()
        && any.additional_properties.is_none()
        && matches!(any.typ.as_deref(), None | Some("object"));
    match (plain, any.one_of.is_empty(), any.any_of.is_empty()) {
        (true, false, true) => Some((&any.one_of, "oneOf")),
        (true, true, false) => Some((&any.any_of, "anyOf")),
        _ => None,
    }
}

fn integer_format(f: &VariantOrUnknownOrEmpty<IntegerFormat>) -> RustType {
    match f {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => RustType::I32,
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => RustType::I64,
        VariantOrUnknownOrEmpty::Unknown(u) => match u.as_str() {
            "int8" => RustType::I8,
            "int16" => RustType::I16,
            "uint8" => RustType::U8,
            "uint16" => RustType::U16,
            "uint32" | "uint" => RustType::U32,
            "uint64" => RustType::U64,
            _ => RustType::I64,
        },
        VariantOrUnknownOrEmpty::Empty => RustType::I64,
    }
}

/// Title and description joined.
pub fn schema_doc(s: &Schema) -> Option<String> {
    let d = &s.schema_data;
    let mut parts = Vec::new();
    if let Some(t) = d.title.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(t.trim().to_string());
    }
    if let Some(desc) = d.description.as_deref().filter(|t| !t.trim().is_empty()) {
        if parts.first().map(String::as_str) != Some(desc.trim()) {
            parts.push(desc.trim().to_string());
        }
    }
    if d.deprecated {
        parts.push("**Deprecated.**".to_string());
    }
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("\n\n"))
    }
}

/// Resolves a security scheme reference.
pub fn resolve_security<'o>(
    openapi: &'o OpenAPI,
    reference: &str,
) -> Option<&'o openapiv3::SecurityScheme> {
    let key = pointer::unescape(reference.strip_prefix("#/components/securitySchemes/")?);
    match openapi.components.as_ref()?.security_schemes.get(&key)? {
        ReferenceOr::Item(s) => Some(s),
        ReferenceOr::Reference { .. } => None,
    }
}

/// `{"not": {}}`: the schema that `additionalProperties: false` becomes when normalized; a
/// struct with it has no map of extra properties.
fn allows_nothing(s: &ReferenceOr<Schema>) -> bool {
    match s {
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Not { not },
            ..
        }) => matches!(
            not.as_ref(),
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Any(any),
                ..
            }) if *any == Default::default()
        ),
        _ => false,
    }
}
