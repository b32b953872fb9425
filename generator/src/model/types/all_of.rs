//! `allOf`: members that only annotate (a description, a title, `nullable`, an example…)
//! collapse onto the one member that gives the type; object members merge into one struct;
//! members that cannot be combined (`type: string` with `type: object`, one property typed
//! twice in incompatible ways) are reported and fall back to the safe type.

use std::collections::HashMap;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaKind, Type};

use super::{schema_doc, RustType, TypeDef, TypeKind, TypeSpace};
use crate::diagnostics::Diagnostic;
use crate::model::names::pascal_ident;
use crate::pointer;

/// What an `allOf` amounts to.
enum Plan {
    /// Only annotations: any JSON value.
    Free,
    /// One member gives the type (its index in the member list).
    One(usize),
    /// Object members: one struct.
    Merge,
    /// Members that cannot be combined; the message says why.
    Conflict(String),
}

/// The broad JSON kind a member stands for, to tell mergeable members from conflicting ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Object,
    Array,
    String,
    Number,
    Boolean,
    /// A union, `not`, or a reference that does not resolve: not merged.
    Other,
}

impl Shape {
    fn name(self) -> &'static str {
        match self {
            Shape::Object => "object",
            Shape::Array => "array",
            Shape::String => "string",
            Shape::Number => "number",
            Shape::Boolean => "boolean",
            Shape::Other => "union or unresolved schema",
        }
    }
}

/// Properties gathered from object members, each with the pointer it was written at.
#[derive(Default)]
struct Merged {
    properties: IndexMap<String, ReferenceOr<Box<Schema>>>,
    origins: HashMap<String, String>,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
    ok: bool,
}

/// True for a member that changes no type: no `type`, properties, items, enum, format or
/// composition of its own, only annotations and validation keywords (`description`, `title`,
/// `nullable`, `example`, `xml`, `readOnly`, `maxLength`…).
pub(super) fn is_annotation(member: &ReferenceOr<Schema>) -> bool {
    let ReferenceOr::Item(s) = member else {
        return false;
    };
    match &s.schema_kind {
        SchemaKind::Any(a) => {
            let shapeless = a.typ.is_none()
                && a.properties.is_empty()
                && a.additional_properties.is_none()
                && a.items.is_none()
                && a.enumeration.is_empty()
                && a.format.is_none()
                && a.all_of.is_empty()
                && a.not.is_none();
            let plain = a.required.is_empty() && a.one_of.is_empty() && a.any_of.is_empty();
            // `anyOf: [{required: [a]}, {required: [b]}]`: a constraint on which properties
            // are present, not a type.
            let choice_of_required = a.required.is_empty()
                && (!a.one_of.is_empty() || !a.any_of.is_empty())
                && a.one_of.iter().chain(&a.any_of).all(only_required);
            shapeless && (plain || choice_of_required)
        }
        _ => false,
    }
}

/// A schema that only requires properties (and annotates): `{title, required: [a]}`.
fn only_required(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Any(a),
            ..
        }) => {
            a.typ.is_none()
                && a.properties.is_empty()
                && a.additional_properties.is_none()
                && a.items.is_none()
                && a.enumeration.is_empty()
                && a.format.is_none()
                && a.one_of.is_empty()
                && a.all_of.is_empty()
                && a.any_of.is_empty()
                && a.not.is_none()
        }
        _ => false,
    }
}

/// The doc an `allOf` schema's annotation members give (`allOf: [$ref, {description}]`).
pub fn annotation_doc(schema: &Schema) -> Option<String> {
    let members = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(a) => &a.all_of,
        _ => return None,
    };
    members.iter().find_map(|m| match m {
        ReferenceOr::Item(s) if is_annotation(m) => schema_doc(s),
        _ => None,
    })
}

impl TypeSpace<'_> {
    /// The type of an `allOf` schema (inline, or the body of a component alias).
    pub(super) fn all_of(
        &mut self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        ctx: &str,
        ptr: &str,
    ) -> RustType {
        let (members, ptrs) = with_siblings(schema, members, ptr);
        match self.plan(&members) {
            Plan::Free => return RustType::Value,
            Plan::One(i) => {
                // `{type: integer, allOf: [$ref]}` whose reference is a union (of `const`s,
                // say): the schema's own type.
                let t = match own_primitive(schema) {
                    Some(own) if self.shape(&members[i], 0) == Shape::Other => {
                        self.inline_inner(&own, ctx, ptr)
                    }
                    _ => self.type_for(&members[i], ctx, &ptrs[i]),
                };
                return if annotations_nullable(&members) {
                    t.optional()
                } else {
                    t
                };
            }
            Plan::Conflict(why) => {
                self.diags.push(
                    Diagnostic::warning(
                        "model/allof-conflict",
                        format!("`allOf` members cannot be combined ({why}); it is generated as serde_json::Value"),
                        self.sources.locate(ptr),
                    )
                    .with_hint("make every member an object, or give the type in one member and only annotations in the others"),
                );
                return RustType::Value;
            }
            Plan::Merge => {}
        }
        let mut plain = schema.clone();
        plain.schema_data.nullable = false;
        let canon = serde_json::to_string(&plain).unwrap_or_default();
        if let Some(existing) = self.dedup.get(&canon) {
            return existing.clone();
        }
        let (name, _) = self.namer.claim(&pascal_ident(ctx, "Type"));
        self.dedup
            .insert(canon.clone(), RustType::Named(name.clone()));
        let kind = self.merge_kind(&name, &members, &ptrs, ptr);
        self.push_def(TypeDef {
            name: name.clone(),
            doc: schema_doc(schema).or_else(|| annotation_doc(schema)),
            kind,
            eq: true,
            default: false,
            recursive: false,
            pointer: ptr.to_string(),
        });
        let t = RustType::Named(name);
        if annotations_nullable(&members) {
            t.optional()
        } else {
            t
        }
    }

    /// The struct a component `allOf` of object members is, or `None` when it is anything
    /// else (then the component is an alias to what [`Self::all_of`] makes of it).
    pub(super) fn all_of_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        ptr: &str,
    ) -> Option<TypeKind> {
        let (members, ptrs) = with_siblings(schema, members, ptr);
        match self.plan(&members) {
            Plan::Merge => Some(self.merge_kind(name, &members, &ptrs, ptr)),
            _ => None,
        }
    }

    /// True when a component `allOf` is one merged struct (see [`Self::all_of_kind`]),
    /// decided without building anything.
    pub(super) fn all_of_merges(
        &self,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        ptr: &str,
    ) -> bool {
        let (members, _) = with_siblings(schema, members, ptr);
        matches!(self.plan(&members), Plan::Merge)
    }

    /// Decides what the members amount to, without building anything.
    fn plan(&self, members: &[ReferenceOr<Schema>]) -> Plan {
        let typed: Vec<(usize, Shape)> = members
            .iter()
            .enumerate()
            .filter(|(_, m)| !is_annotation(m))
            .map(|(i, m)| (i, self.shape(m, 0)))
            .collect();
        match typed.as_slice() {
            [] => Plan::Free,
            [(i, _)] => Plan::One(*i),
            [(first, s), rest @ ..] => {
                if let Some((_, other)) = rest.iter().find(|(_, t)| t != s) {
                    return Plan::Conflict(format!("{} and {}", s.name(), other.name()));
                }
                match s {
                    Shape::Object => Plan::Merge,
                    // Two string members (a reference to a string alias and a pattern, say)
                    // are still that string.
                    Shape::String | Shape::Number | Shape::Boolean | Shape::Array => {
                        Plan::One(*first)
                    }
                    Shape::Other => Plan::Conflict("several unions".into()),
                }
            }
        }
    }

    fn shape(&self, member: &ReferenceOr<Schema>, depth: usize) -> Shape {
        let schema: &Schema = match member {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => match self.component_schema(reference) {
                Some((s, _)) => s,
                None => return Shape::Other,
            },
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(_)) => Shape::Object,
            SchemaKind::Type(Type::Array(_)) => Shape::Array,
            SchemaKind::Type(Type::String(_)) => Shape::String,
            SchemaKind::Type(Type::Number(_) | Type::Integer(_)) => Shape::Number,
            SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
            SchemaKind::AllOf { all_of } if depth < 16 => {
                let inner: Vec<Shape> = all_of
                    .iter()
                    .filter(|m| !is_annotation(m))
                    .map(|m| self.shape(m, depth + 1))
                    .collect();
                match inner.first() {
                    Some(s) if inner.iter().all(|t| t == s) => *s,
                    _ => Shape::Other,
                }
            }
            SchemaKind::Any(a) if a.one_of.is_empty() && a.any_of.is_empty() => {
                match a.typ.as_deref() {
                    Some("object") => Shape::Object,
                    Some("array") => Shape::Array,
                    Some("string") => Shape::String,
                    Some("number" | "integer") => Shape::Number,
                    Some("boolean") => Shape::Boolean,
                    Some(_) => Shape::Other,
                    None if !a.properties.is_empty()
                        || a.additional_properties.is_some()
                        || !a.all_of.is_empty() =>
                    {
                        Shape::Object
                    }
                    None if a.items.is_some() => Shape::Array,
                    None => Shape::Object,
                }
            }
            _ => Shape::Other,
        }
    }

    /// Merges object members into one struct.
    fn merge_kind(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        ptrs: &[String],
        ptr: &str,
    ) -> TypeKind {
        let mut merged = Merged {
            ok: true,
            ..Merged::default()
        };
        for (m, p) in members.iter().zip(ptrs) {
            self.collect(name, m, p, &mut merged, 0);
        }
        self.struct_kind(
            name,
            &merged.properties,
            &merged.required,
            merged.additional.as_ref(),
            ptr,
            &merged.origins,
        )
    }

    fn collect(
        &mut self,
        name: &str,
        member: &ReferenceOr<Schema>,
        ptr: &str,
        merged: &mut Merged,
        depth: usize,
    ) {
        if depth > 16 {
            merged.ok = false;
            return;
        }
        let (schema, base): (&Schema, String) = match member {
            ReferenceOr::Item(s) => (s, ptr.to_string()),
            ReferenceOr::Reference { reference } => match self.component_schema(reference) {
                Some((s, key)) => (s, pointer::push("/components/schemas", &key)),
                None => {
                    merged.ok = false;
                    return;
                }
            },
        };
        let schema = schema.clone();
        let (props, req, add, nested) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (
                Some(&o.properties),
                o.required.as_slice(),
                o.additional_properties.as_ref(),
                &[][..],
            ),
            SchemaKind::AllOf { all_of } => (None, &[][..], None, all_of.as_slice()),
            SchemaKind::Any(a) => (
                Some(&a.properties),
                a.required.as_slice(),
                a.additional_properties.as_ref(),
                a.all_of.as_slice(),
            ),
            _ => {
                merged.ok = false;
                return;
            }
        };
        let nested_ptr = pointer::push(&base, "allOf");
        for (i, n) in nested.iter().enumerate() {
            if !is_annotation(n) {
                let p = pointer::push(&nested_ptr, &i.to_string());
                self.collect(name, n, &p, merged, depth + 1);
            }
        }
        let props_ptr = pointer::push(&base, "properties");
        for (k, v) in props.into_iter().flatten() {
            let here = pointer::push(&props_ptr, k);
            if let Some(before) = merged.properties.get(k) {
                let (a, b) = (self.prop_shape(before), self.prop_shape(v));
                if a != b && a != Shape::Other && b != Shape::Other {
                    self.diags.push(
                        Diagnostic::warning(
                            "model/allof-conflict",
                            format!(
                                "property `{k}` of `{name}` is a {} in one `allOf` member and a {} in another; it is generated as serde_json::Value",
                                a.name(),
                                b.name()
                            ),
                            self.sources.locate(&here),
                        )
                        .with_hint("give the property one type in every member"),
                    );
                    let free = ReferenceOr::Item(Box::new(Schema {
                        schema_data: Default::default(),
                        schema_kind: SchemaKind::Any(Default::default()),
                    }));
                    merged.properties.insert(k.clone(), free);
                    merged.origins.insert(k.clone(), here);
                    continue;
                }
                // Two members that both describe an object property (DigitalOcean's service
                // autoscaling: `metrics` with `cpu` in the base, with the request metrics in
                // the extension) mean both at once: the property is their `allOf`, one struct
                // of every property (the first member's place names it).
                if a == Shape::Object
                    && b == Shape::Object
                    && serde_json::to_value(before).ok() != serde_json::to_value(v).ok()
                {
                    let unbox = |r: &ReferenceOr<Box<Schema>>| match r {
                        ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
                        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                            reference: reference.clone(),
                        },
                    };
                    // `null` is allowed where both allow it (GitHub's webhook issues: a
                    // nullable `milestone` in both members).
                    let nullable = |r: &ReferenceOr<Box<Schema>>| match r {
                        ReferenceOr::Item(s) => s.schema_data.nullable,
                        ReferenceOr::Reference { reference } => self
                            .component_schema(reference)
                            .is_some_and(|(s, _)| s.schema_data.nullable),
                    };
                    let both = ReferenceOr::Item(Box::new(Schema {
                        schema_data: openapiv3::SchemaData {
                            nullable: nullable(before) && nullable(v),
                            ..Default::default()
                        },
                        schema_kind: SchemaKind::AllOf {
                            all_of: vec![unbox(before), unbox(v)],
                        },
                    }));
                    merged.properties.insert(k.clone(), both);
                    continue;
                }
            }
            merged.properties.insert(k.clone(), v.clone());
            merged.origins.insert(k.clone(), here);
        }
        for r in req {
            if !merged.required.contains(r) {
                merged.required.push(r.clone());
            }
        }
        if let Some(a @ AdditionalProperties::Schema(_)) = add {
            merged.additional = Some(a.clone());
        }
    }

    fn prop_shape(&self, prop: &ReferenceOr<Box<Schema>>) -> Shape {
        let member = match prop {
            ReferenceOr::Item(s) if is_annotation(&ReferenceOr::Item((**s).clone())) => {
                return Shape::Other
            }
            ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
            ReferenceOr::Reference { reference } => ReferenceOr::Reference {
                reference: reference.clone(),
            },
        };
        self.shape(&member, 0)
    }
}

/// The members of an `allOf`, plus the schema's own properties when it has them beside the
/// `allOf` (`{allOf: […], properties: {…}}`), with their pointers.
fn with_siblings(
    schema: &Schema,
    members: &[ReferenceOr<Schema>],
    ptr: &str,
) -> (Vec<ReferenceOr<Schema>>, Vec<String>) {
    let all_ptr = pointer::push(ptr, "allOf");
    let mut out: Vec<ReferenceOr<Schema>> = members.to_vec();
    let mut ptrs: Vec<String> = (0..members.len())
        .map(|i| pointer::push(&all_ptr, &i.to_string()))
        .collect();
    if let SchemaKind::Any(a) = &schema.schema_kind {
        if !a.properties.is_empty() || a.additional_properties.is_some() || !a.required.is_empty() {
            let mut own = a.clone();
            own.all_of.clear();
            own.one_of.clear();
            own.any_of.clear();
            out.push(ReferenceOr::Item(Schema {
                schema_data: Default::default(),
                schema_kind: SchemaKind::Any(own),
            }));
            ptrs.push(ptr.to_string());
        }
    }
    (out, ptrs)
}

/// True when an annotation member says `nullable: true`.
fn annotations_nullable(members: &[ReferenceOr<Schema>]) -> bool {
    members.iter().any(|m| match m {
        ReferenceOr::Item(s) => is_annotation(m) && s.schema_data.nullable,
        ReferenceOr::Reference { .. } => false,
    })
}

/// The schema without its `allOf` when it names a primitive `type` of its own.
fn own_primitive(schema: &Schema) -> Option<Schema> {
    let SchemaKind::Any(a) = &schema.schema_kind else {
        return None;
    };
    if !matches!(
        a.typ.as_deref(),
        Some("string" | "integer" | "number" | "boolean")
    ) {
        return None;
    }
    let mut own = a.clone();
    own.all_of.clear();
    Some(Schema {
        schema_data: schema.schema_data.clone(),
        schema_kind: SchemaKind::Any(own),
    })
}
