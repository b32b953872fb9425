//! `oneOf`/`anyOf` → Rust enums the way a person would write them.
//!
//! The shape is chosen in this order:
//!
//! 1. an explicit `discriminator` whose members are named object schemas → an internally
//!    tagged enum (`#[serde(tag = "…")]`), variants named from the mapping keys (or the
//!    member's one-value tag, or the schema name); the member structs keep their tag field,
//!    made optional, because the enum reads and writes the tag itself;
//! 2. a *fixed-value tag*: every member (through `$ref` and simple `allOf`) is an object with
//!    the same required property whose schema is a one-value string `enum` (`const` is
//!    normalized to that), each member a different value →
//!    - adjacently tagged (`#[serde(tag = "…", content = "…")]`) when each member has at most
//!      one other property, the same one everywhere and required;
//!    - else internally tagged: an inline member becomes a variant struct without the tag
//!      (`{Union}{Variant}`), a member without other properties a unit variant, a named member
//!      keeps its struct (tag field made optional, as in 1.);
//! 3. `anyOf` of objects: one struct of every member's properties (see
//!    [`TypeSpace::any_of_objects`]);
//! 4. untagged, as the last resort: variants ordered by [`TypeSpace::order_untagged`] and a
//!    final `Other(serde_json::Value)` holding the raw value when no variant matches, so a
//!    response always decodes.

use super::*;

/// One union member seen as an object: its properties, merged through `allOf`.
struct MemberObject {
    properties: IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: Vec<String>,
    additional: Option<AdditionalProperties>,
    /// Where each property was written (through `$ref`s and `allOf` members), so that
    /// the types made from them point at their schemas.
    origins: HashMap<String, String>,
    /// The generated name of the component it refers to, if a `$ref`.
    component: Option<String>,
    doc: Option<String>,
}

/// Where [`TypeSpace::gather_object`] collects a member object's parts.
struct Gathered<'g> {
    properties: &'g mut IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'g mut Vec<String>,
    additional: &'g mut Option<AdditionalProperties>,
    origins: &'g mut HashMap<String, String>,
    ok: &'g mut bool,
}

/// Sort rank of an untagged variant: ascending = tried first.
type Rank = (u8, i64, i64);

/// Doc of the fallback variant of an untagged union.
const OTHER_DOC: &str = "Any other value: none of the variants above matched. The raw JSON is \
                         kept, so nothing is lost and it re-encodes as it came.";

impl TypeSpace<'_> {
    pub(super) fn union_kind(
        &mut self,
        name: &str,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        ptr: &str,
        keyword: &str,
    ) -> TypeKind {
        // `oneOf: []` constrains nothing a client can type: any JSON value.
        if members.is_empty() {
            return TypeKind::Alias(RustType::Value);
        }
        let list_ptr = pointer::push(ptr, keyword);
        let disc = schema.schema_data.discriminator.as_ref();
        if let Some(disc) = disc {
            if let Some(kind) = self.discriminated(disc, members) {
                return kind;
            }
        }
        if let Some(kind) = self.string_enum_union(name, schema, members, ptr) {
            return kind;
        }
        let objects: Option<Vec<MemberObject>> = members
            .iter()
            .enumerate()
            .map(|(i, m)| self.member_object(m, &pointer::push(&list_ptr, &i.to_string())))
            .collect();
        if let Some(objects) = objects {
            let preferred = disc.map(|d| d.property_name.as_str());
            if let Some((tag, values)) = self.fixed_tag(&objects, preferred) {
                return self.fixed_tagged(name, &objects, &tag, &values, &list_ptr);
            }
        }
        if keyword == "anyOf" {
            if let Some(kind) = self.any_of_objects(name, members, &list_ptr) {
                return kind;
            }
        }
        self.untagged(name, members, &list_ptr)
    }

    /// `anyOf` of objects: a value may match several members at once (DigitalOcean's
    /// `pages: anyOf [forward_links, backward_links, {}]` holds `first`, `prev`, `next` and
    /// `last` together, and an untagged enum kept only the first member's two), so the
    /// members are one struct of all their properties, each optional unless every member
    /// requires it (as typify models `anyOf`). A free member (`{}`) keeps a fallback: an
    /// untagged union of that struct and the raw value. Members may document one property
    /// differently and list different values for a string enum (Stripe's payment method
    /// options: `setup_future_usage` is `[none]` in one member, `[none, off_session,
    /// on_session]` in the other): see [`merge_property`]. `None` when a member is not an
    /// object or two members type one property differently.
    fn any_of_objects(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        list_ptr: &str,
    ) -> Option<TypeKind> {
        let mut objects = Vec::new();
        let mut free = false;
        for (i, m) in members.iter().enumerate() {
            if matches!(m, ReferenceOr::Item(s) if is_free(s)) {
                free = true;
                continue;
            }
            objects.push(self.member_object(m, &pointer::push(list_ptr, &i.to_string()))?);
        }
        if objects.len() < 2 {
            return None;
        }
        let mut properties: IndexMap<String, ReferenceOr<Box<Schema>>> = IndexMap::new();
        let mut origins = HashMap::new();
        for o in &objects {
            for (k, v) in &o.properties {
                match properties.get(k) {
                    Some(existing) => {
                        let merged = merge_property(existing, v)?;
                        properties.insert(k.clone(), merged);
                    }
                    None => {
                        properties.insert(k.clone(), v.clone());
                        if let Some(origin) = o.origins.get(k) {
                            origins.insert(k.clone(), origin.clone());
                        }
                    }
                }
            }
        }
        let required: Vec<String> = properties
            .keys()
            .filter(|k| objects.iter().all(|o| o.required.contains(k)))
            .cloned()
            .collect();
        if !free {
            return Some(self.struct_kind(name, &properties, &required, None, list_ptr, &origins));
        }
        let (sname, _) = self
            .namer
            .claim(&pascal_ident(&format!("{name}Object"), "Type"));
        let kind = self.struct_kind(&sname, &properties, &required, None, list_ptr, &origins);
        self.push_def(TypeDef {
            name: sname.clone(),
            doc: Some(
                "The properties of every object member, each as optional as its members make it."
                    .into(),
            ),
            kind,
            eq: true,
            default: false,
            recursive: false,
            pointer: list_ptr.to_string(),
        });
        Some(TypeKind::Union {
            variants: vec![
                Variant {
                    ident: "Object".into(),
                    wire: None,
                    ty: Some(RustType::Named(sname)),
                    doc: Some("An object: the properties of the members it matches.".into()),
                    guard: None,
                },
                Variant {
                    ident: "Other".into(),
                    wire: None,
                    ty: Some(RustType::Value),
                    doc: Some(OTHER_DOC.to_string()),
                    guard: None,
                },
            ],
            tag: None,
            content: None,
        })
    }

    /// Members that are all string enums (Nexus documents each value as its own
    /// `{type: string, enum: [v], description}` member) → one string enum of every value,
    /// each documented by its member.
    fn string_enum_union(
        &mut self,
        name: &str,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        ptr: &str,
    ) -> Option<TypeKind> {
        // `oneOf: []` is no string enum (every member of none is one, vacuously).
        if members.is_empty() {
            return None;
        }
        let mut values: Vec<String> = Vec::new();
        let mut docs: Vec<(String, String)> = Vec::new();
        for m in members {
            let s: &Schema = match m {
                ReferenceOr::Item(s) => s,
                ReferenceOr::Reference { reference } => self.component_schema(reference)?.0,
            };
            let mine: Vec<String> = match &s.schema_kind {
                SchemaKind::Type(Type::String(st)) => {
                    st.enumeration.iter().cloned().collect::<Option<Vec<_>>>()?
                }
                SchemaKind::Any(a) if a.typ.as_deref() == Some("string") => a
                    .enumeration
                    .iter()
                    .map(|v| v.as_str().map(str::to_string))
                    .collect::<Option<Vec<_>>>()?,
                _ => return None,
            };
            if mine.is_empty() {
                return None;
            }
            if let Some(d) = schema_doc(s) {
                docs.extend(mine.iter().map(|v| (v.clone(), d.clone())));
            }
            values.extend(mine);
        }
        let mut kind = self.string_enum_def(name, &values, schema, ptr)?.kind;
        if let TypeKind::StringEnum { variants } = &mut kind {
            for v in variants.iter_mut().filter(|v| v.doc.is_none()) {
                let wire = v.wire.as_deref().unwrap_or_default();
                v.doc = docs
                    .iter()
                    .find(|(w, _)| w == wire)
                    .map(|(_, d)| format!("`{wire}`: {d}"));
            }
        }
        Some(kind)
    }

    /// An explicit discriminator over named object schemas.
    fn discriminated(
        &mut self,
        disc: &openapiv3::Discriminator,
        members: &[ReferenceOr<Schema>],
    ) -> Option<TypeKind> {
        let mut tagged = Vec::new();
        for m in members {
            let ReferenceOr::Reference { reference } = m else {
                return None;
            };
            let (target, key) = self.component_schema(reference)?;
            if !is_plain_object(target) {
                return None;
            }
            // The mapping value is a `#/components/schemas/X` reference or a bare name. Several
            // tags may map to one member (DigitalOcean's droplet actions: `power_on`,
            // `shutdown`… all to `droplet_action`): a variant for each, in mapping order.
            let mapped: Vec<String> = disc
                .mapping
                .iter()
                .filter(|(_, r)| {
                    r.as_str() == reference.as_str()
                        || r.as_str() == key
                        || pointer::unescape(r.rsplit('/').next().unwrap_or_default()) == key
                })
                .map(|(v, _)| v.clone())
                .collect();
            let ty_name = self.components.get(&key).cloned().unwrap_or_default();
            if !mapped.is_empty() {
                tagged.extend(mapped.into_iter().map(|tag| (tag, ty_name.clone())));
                continue;
            }
            let fixed = || {
                // Only the tag is read: no type is made, the pointer is not used.
                let obj = self.member_object(m, "")?;
                let prop = obj.properties.get(&disc.property_name)?;
                self.one_value(prop)
            };
            // Without a mapping the tag is the member's one fixed value, else its name.
            let tag = fixed().unwrap_or_else(|| key.clone());
            tagged.push((tag, ty_name));
        }
        if tagged.is_empty() {
            return None;
        }
        let mut namer = Namer::default();
        let mut seen = BTreeSet::new();
        let mut variants = Vec::new();
        for (tag, ty_name) in tagged {
            if !seen.insert(tag.clone()) {
                continue;
            }
            self.tag_fields
                .insert((ty_name.clone(), disc.property_name.clone()));
            let (ident, _) = namer.claim(bare(&pascal_ident(&tag, "Variant")));
            variants.push(Variant {
                ident,
                wire: Some(tag),
                ty: Some(RustType::Named(ty_name)),
                doc: None,
                guard: None,
            });
        }
        Some(TypeKind::Union {
            variants,
            tag: Some(disc.property_name.clone()),
            content: None,
        })
    }

    /// The member as an object (through `$ref` and `allOf`), or `None` when it is not one.
    fn member_object(&self, member: &ReferenceOr<Schema>, ptr: &str) -> Option<MemberObject> {
        let (component, doc) = match member {
            ReferenceOr::Reference { reference } => {
                let (target, key) = self.component_schema(reference)?;
                (Some(self.components.get(&key)?.clone()), schema_doc(target))
            }
            ReferenceOr::Item(s) => (None, schema_doc(s)),
        };
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        let mut additional = None;
        let mut origins = HashMap::new();
        let mut ok = true;
        self.gather_object(
            member,
            ptr,
            &mut Gathered {
                properties: &mut properties,
                required: &mut required,
                additional: &mut additional,
                origins: &mut origins,
                ok: &mut ok,
            },
            0,
        );
        (ok && !properties.is_empty()).then_some(MemberObject {
            properties,
            required,
            additional,
            origins,
            component,
            doc,
        })
    }

    /// Gathers the properties, required names and extra-properties schema of an object
    /// member (through `$ref`s and nested `allOf`s), without diagnostics: the union only
    /// looks; whatever is generated for the member reports its own problems. `ok` turns
    /// false when a part is not an object.
    fn gather_object(
        &self,
        member: &ReferenceOr<Schema>,
        ptr: &str,
        into: &mut Gathered<'_>,
        depth: usize,
    ) {
        if depth > 16 {
            *into.ok = false;
            return;
        }
        let (schema, base): (&Schema, String) = match member {
            ReferenceOr::Item(s) => (s, ptr.to_string()),
            ReferenceOr::Reference { reference } => match self.component_schema(reference) {
                Some((s, key)) => (s, pointer::push("/components/schemas", &key)),
                None => {
                    *into.ok = false;
                    return;
                }
            },
        };
        let (props, req, add, nested) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (
                Some(&o.properties),
                o.required.as_slice(),
                o.additional_properties.as_ref(),
                &[][..],
            ),
            SchemaKind::AllOf { all_of } => (None, &[][..], None, all_of.as_slice()),
            SchemaKind::Any(a)
                if a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && (a.typ.is_none() || a.typ.as_deref() == Some("object")) =>
            {
                (
                    Some(&a.properties),
                    a.required.as_slice(),
                    a.additional_properties.as_ref(),
                    a.all_of.as_slice(),
                )
            }
            _ => {
                *into.ok = false;
                return;
            }
        };
        let nested_ptr = pointer::push(&base, "allOf");
        for (i, n) in nested.iter().enumerate() {
            let p = pointer::push(&nested_ptr, &i.to_string());
            self.gather_object(n, &p, into, depth + 1);
        }
        let props_ptr = pointer::push(&base, "properties");
        for (k, v) in props.into_iter().flatten() {
            into.properties.insert(k.clone(), v.clone());
            into.origins.insert(k.clone(), pointer::push(&props_ptr, k));
        }
        for r in req {
            if !into.required.contains(r) {
                into.required.push(r.clone());
            }
        }
        if let Some(a @ AdditionalProperties::Schema(_)) = add {
            *into.additional = Some(a.clone());
        }
    }

    /// The single string value a property schema allows (`enum: [v]` / `const: v`).
    fn one_value(&self, prop: &ReferenceOr<Box<Schema>>) -> Option<String> {
        let schema: &Schema = match prop {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => self.component_schema(reference)?.0,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
                [Some(v)] => Some(v.clone()),
                _ => None,
            },
            SchemaKind::Any(a) => match a.enumeration.as_slice() {
                [serde_json::Value::String(v)] => Some(v.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The one integer or boolean value a property's schema allows (an `enum` of one).
    fn one_guard_value(&self, prop: &ReferenceOr<Box<Schema>>) -> Option<GuardValue> {
        let schema: &Schema = match prop {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => self.component_schema(reference)?.0,
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Integer(i)) => match i.enumeration.as_slice() {
                [Some(v)] => Some(GuardValue::Int(*v)),
                _ => None,
            },
            SchemaKind::Type(Type::Boolean(b)) => match b.enumeration.as_slice() {
                [Some(v)] => Some(GuardValue::Bool(*v)),
                _ => None,
            },
            SchemaKind::Any(a) => match a.enumeration.as_slice() {
                [serde_json::Value::Number(n)] => n.as_i64().map(GuardValue::Int),
                [serde_json::Value::Bool(b)] => Some(GuardValue::Bool(*b)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The first property an untagged member requires with one fixed integer or boolean.
    fn guard(&self, member: &ReferenceOr<Schema>) -> Option<Guard> {
        let obj = self.member_object(member, "")?;
        obj.required.iter().find_map(|k| {
            Some(Guard {
                property: k.clone(),
                value: self.one_guard_value(obj.properties.get(k)?)?,
            })
        })
    }

    /// A property every member requires with one fixed value, a different one per member:
    /// its name and the values in member order. `preferred` (a discriminator name) wins.
    fn fixed_tag(
        &self,
        objects: &[MemberObject],
        preferred: Option<&str>,
    ) -> Option<(String, Vec<String>)> {
        let first = objects.first()?;
        let candidates = preferred
            .into_iter()
            .map(str::to_string)
            .chain(first.properties.keys().cloned());
        for prop in candidates {
            let values: Option<Vec<String>> = objects
                .iter()
                .map(|o| {
                    if !o.required.contains(&prop) {
                        return None;
                    }
                    self.one_value(o.properties.get(&prop)?)
                })
                .collect();
            let Some(values) = values else { continue };
            let distinct: BTreeSet<&String> = values.iter().collect();
            if distinct.len() == values.len() {
                return Some((prop, values));
            }
        }
        None
    }

    /// The adjacently or internally tagged enum over members sharing a fixed-value tag.
    fn fixed_tagged(
        &mut self,
        name: &str,
        objects: &[MemberObject],
        tag: &str,
        values: &[String],
        list_ptr: &str,
    ) -> TypeKind {
        let mut namer = Namer::default();
        let idents: Vec<String> = values
            .iter()
            .map(|v| namer.claim(bare(&pascal_ident(v, "Variant"))).0)
            .collect();
        let content = adjacent_content(objects, tag);
        let mut variants = Vec::with_capacity(objects.len());
        for (i, ((obj, value), ident)) in objects.iter().zip(values).zip(&idents).enumerate() {
            let member_ptr = pointer::push(list_ptr, &i.to_string());
            let mut rest = obj.properties.clone();
            rest.shift_remove(tag);
            let has_extra = matches!(obj.additional, Some(AdditionalProperties::Schema(_)));
            let ty = match &content {
                Some(c) => rest.get(c).map(|prop| {
                    let ctx = format!("{name}{}", bare(ident));
                    let prop_ptr = obj.origins.get(c).cloned().unwrap_or_else(|| {
                        pointer::push(&pointer::push(&member_ptr, "properties"), c)
                    });
                    self.type_for_boxed(prop, &ctx, &prop_ptr)
                }),
                None if rest.is_empty() && !has_extra => None,
                None => match &obj.component {
                    Some(component) => {
                        self.tag_fields.insert((component.clone(), tag.to_string()));
                        Some(RustType::Named(component.clone()))
                    }
                    None => {
                        let (sname, _) = self
                            .namer
                            .claim(&pascal_ident(&format!("{name}{}", bare(ident)), "Type"));
                        let required: Vec<String> = obj
                            .required
                            .iter()
                            .filter(|r| r.as_str() != tag)
                            .cloned()
                            .collect();
                        let kind = self.struct_kind(
                            &sname,
                            &rest,
                            &required,
                            obj.additional.as_ref(),
                            &member_ptr,
                            &obj.origins,
                        );
                        self.push_def(TypeDef {
                            name: sname.clone(),
                            doc: obj.doc.clone(),
                            kind,
                            eq: true,
                            default: false,
                            recursive: false,
                            pointer: member_ptr.clone(),
                        });
                        Some(RustType::Named(sname))
                    }
                },
            };
            variants.push(Variant {
                ident: ident.clone(),
                wire: Some(value.clone()),
                ty,
                doc: obj.doc.clone(),
                guard: None,
            });
        }
        TypeKind::Union {
            variants,
            tag: Some(tag.to_string()),
            content,
        }
    }

    /// The last resort: an untagged enum with a final raw-value fallback.
    fn untagged(
        &mut self,
        name: &str,
        members: &[ReferenceOr<Schema>],
        list_ptr: &str,
    ) -> TypeKind {
        let mut namer = Namer::default();
        let mut variants = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, m) in members.iter().enumerate() {
            let member_ptr = pointer::push(list_ptr, &i.to_string());
            let hint_ctx = match m {
                ReferenceOr::Item(s) => match &s.schema_data.title {
                    Some(t) => format!("{name}{}", pascal_ident(t, "")),
                    // Stripe's "or empty" member (`enum: [""]`), shared by hundreds of unions:
                    // named from what it is, not from the first union that meets it.
                    None if is_empty_string_enum(s) => "EmptyString".to_string(),
                    None => format!("{name}Variant{i}"),
                },
                ReferenceOr::Reference { .. } => format!("{name}Variant{i}"),
            };
            let ty = self.type_for(m, &hint_ctx, &member_ptr);
            let ty = match ty {
                RustType::Option(inner) => *inner,
                t => t,
            };
            if !seen.insert(ty.clone()) {
                continue;
            }
            let hint = ty.variant_hint();
            let short = hint
                .strip_prefix(name)
                .filter(|s| !s.is_empty())
                .unwrap_or(&hint);
            let (ident, _) = namer.claim(bare(&pascal_ident(short, "Variant")));
            let doc = match m {
                ReferenceOr::Item(s) => schema_doc(s),
                ReferenceOr::Reference { .. } => None,
            };
            variants.push(Variant {
                ident,
                wire: None,
                ty: Some(ty),
                doc,
                guard: self.guard(m),
            });
        }
        if !variants.iter().any(|v| v.ty == Some(RustType::Value)) {
            let (ident, _) = namer.claim("Other");
            variants.push(Variant {
                ident,
                wire: None,
                ty: Some(RustType::Value),
                doc: Some(OTHER_DOC.to_string()),
                guard: None,
            });
        }
        TypeKind::Union {
            variants,
            tag: None,
            content: None,
        }
    }

    /// Tagged unions carry the tag: the member structs must not require it again (a struct
    /// reached through aliases counts as the member).
    pub(super) fn release_tag_fields(&mut self) {
        let aliases: HashMap<String, String> = self
            .defs
            .iter()
            .filter_map(|d| match &d.kind {
                TypeKind::Alias(RustType::Named(t)) => Some((d.name.clone(), t.clone())),
                _ => None,
            })
            .collect();
        let mut released = BTreeSet::new();
        for (ty, wire) in &self.tag_fields {
            let mut ty = ty;
            for _ in 0..16 {
                match aliases.get(ty) {
                    Some(next) => ty = next,
                    None => break,
                }
            }
            released.insert((ty.clone(), wire.clone()));
        }
        for def in &mut self.defs {
            if let TypeKind::Struct { fields, .. } = &mut def.kind {
                for f in fields.iter_mut() {
                    if released.contains(&(def.name.clone(), f.wire_name.clone())) {
                        f.ty = f.ty.clone().optional();
                        f.optional = true;
                    }
                }
            }
        }
    }

    /// Orders the variants of every untagged union, once all types are known. serde takes the
    /// first variant that decodes, and a struct decodes from any object that has its required
    /// fields (unknown fields are ignored), so the rule is: precise scalars first (booleans and
    /// integers before numbers, dates and UUIDs before strings), then arrays, then structs with
    /// required fields — more fields first, so a superset is tried before its subset, then more
    /// required fields —, then strings, then structs without required fields (they accept any
    /// object), then maps, then other untagged unions, and the raw `serde_json::Value` last.
    pub(super) fn order_untagged(&mut self) {
        self.mark_presence_in_untagged();
        let by_name: HashMap<&str, &TypeDef> =
            self.defs.iter().map(|d| (d.name.as_str(), d)).collect();
        let orders: Vec<(usize, Vec<Rank>)> = self
            .defs
            .iter()
            .enumerate()
            .filter_map(|(i, d)| match &d.kind {
                TypeKind::Union {
                    variants,
                    tag: None,
                    ..
                } => Some((
                    i,
                    variants
                        .iter()
                        .map(|v| v.ty.as_ref().map_or((9, 0, 0), |t| rank(t, &by_name, 0)))
                        .collect(),
                )),
                _ => None,
            })
            .collect();
        for (i, ranks) in orders {
            if let TypeKind::Union { variants, .. } = &mut self.defs[i].kind {
                let mut ranked: Vec<(Rank, Variant)> =
                    ranks.into_iter().zip(variants.drain(..)).collect();
                ranked.sort_by_key(|(r, _)| *r);
                variants.extend(ranked.into_iter().map(|(_, v)| v));
            }
        }
    }
}

impl TypeSpace<'_> {
    /// Marks the required nullable fields of the structs that are variants of an untagged
    /// union as [`Field::must_be_present`]: without it a missing property decodes as `None`,
    /// so an object without the property would decode into the variant that requires it (and
    /// re-encode with an added `null`) instead of the variant it belongs to.
    fn mark_presence_in_untagged(&mut self) {
        let mut members: std::collections::HashSet<String> = Default::default();
        for d in &self.defs {
            if let TypeKind::Union {
                variants,
                tag: None,
                ..
            } = &d.kind
            {
                for v in variants {
                    let named = match &v.ty {
                        Some(RustType::Named(n)) => Some(n),
                        Some(RustType::Boxed(b)) => match b.as_ref() {
                            RustType::Named(n) => Some(n),
                            _ => None,
                        },
                        _ => None,
                    };
                    members.extend(named.cloned());
                }
            }
        }
        for d in &mut self.defs {
            if !members.contains(&d.name) {
                continue;
            }
            if let TypeKind::Struct { fields, .. } = &mut d.kind {
                for f in fields.iter_mut() {
                    f.must_be_present = !f.optional && matches!(f.ty, RustType::Option(_));
                }
            }
        }
    }
}

/// `{type: string, enum: [""]}`.
/// A member that constrains nothing (`{}`).
fn is_free(s: &Schema) -> bool {
    matches!(&s.schema_kind, SchemaKind::Any(a) if *a == AnySchema::default())
        && !s.schema_data.nullable
}

fn is_empty_string_enum(s: &Schema) -> bool {
    match &s.schema_kind {
        SchemaKind::Type(Type::String(st)) => {
            matches!(st.enumeration.as_slice(), [Some(v)] if v.is_empty())
        }
        _ => false,
    }
}

/// The one content property of an adjacently tagged union: every member has the tag and at
/// most this one other property, required, and no additional-properties schema.
fn adjacent_content(objects: &[MemberObject], tag: &str) -> Option<String> {
    let mut content: Option<&String> = None;
    for o in objects {
        if matches!(o.additional, Some(AdditionalProperties::Schema(_))) {
            return None;
        }
        let mut rest = o.properties.keys().filter(|k| k.as_str() != tag);
        match (rest.next(), rest.next()) {
            (None, _) => {}
            (Some(c), None) => {
                if content.is_some_and(|seen| seen != c) || !o.required.contains(c) {
                    return None;
                }
                content = Some(c);
            }
            _ => return None,
        }
    }
    content.cloned()
}

/// Where an untagged variant of this type goes (see [`TypeSpace::order_untagged`]).
fn rank(ty: &RustType, defs: &HashMap<&str, &TypeDef>, depth: usize) -> Rank {
    if depth > 16 {
        return (9, 0, 0);
    }
    match ty {
        RustType::Bool
        | RustType::I8
        | RustType::I16
        | RustType::I32
        | RustType::I64
        | RustType::U8
        | RustType::U16
        | RustType::U32
        | RustType::U64 => (0, 0, 0),
        RustType::F32 | RustType::F64 => (1, 0, 0),
        RustType::DateTime | RustType::Date | RustType::Uuid | RustType::Base64 => (2, 0, 0),
        RustType::Vec(inner) => (3, i64::from(rank(inner, defs, depth + 1).0), 0),
        RustType::Option(t) | RustType::Boxed(t) => rank(t, defs, depth + 1),
        RustType::String => (5, 0, 0),
        RustType::Map(_) | RustType::JsonObject => (7, 0, 0),
        RustType::Value => (9, 0, 0),
        RustType::Named(n) => match defs.get(n.as_str()).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, .. }) => {
                let total = fields.len() as i64;
                let required = fields.iter().filter(|f| !f.optional).count() as i64;
                if required > 0 {
                    (4, -total, -required)
                } else {
                    (6, -total, 0)
                }
            }
            Some(TypeKind::Union { tag: Some(_), .. }) => (4, 0, 0),
            Some(TypeKind::Union { tag: None, .. }) => (8, 0, 0),
            Some(TypeKind::StringEnum { .. }) => (5, 0, 0),
            Some(TypeKind::Alias(t)) | Some(TypeKind::Newtype(t)) => rank(t, defs, depth + 1),
            None => (9, 0, 0),
        },
    }
}

/// Keywords that document a schema without changing which values it accepts.
const ANNOTATIONS: [&str; 9] = [
    "description",
    "title",
    "example",
    "examples",
    "externalDocs",
    "deprecated",
    "readOnly",
    "writeOnly",
    "xml",
];

/// `v` without its annotations (nor `x-` extensions), at every depth; the names in a
/// `properties` map are property names, not keywords, and stay.
fn without_annotations(v: &serde_json::Value, names: bool) -> serde_json::Value {
    use serde_json::Value;
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| {
                    names || !(ANNOTATIONS.contains(&k.as_str()) || k.starts_with("x-"))
                })
                .map(|(k, v)| {
                    (
                        k.clone(),
                        without_annotations(v, !names && k == "properties"),
                    )
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| without_annotations(v, false)).collect()),
        other => other.clone(),
    }
}

/// One property two `anyOf` members both declare, as the merged struct types it: the same
/// schema up to annotations (the first member's documentation is kept), `nullable` if either
/// is, and two string enums as one enum of both members' values (a plain string where one
/// member lists none). `None` when they accept different kinds of value.
fn merge_property(
    a: &ReferenceOr<Box<Schema>>,
    b: &ReferenceOr<Box<Schema>>,
) -> Option<ReferenceOr<Box<Schema>>> {
    use serde_json::Value;
    let full = serde_json::to_value(a).ok()?;
    let mut x = without_annotations(&full, false);
    let mut y = without_annotations(&serde_json::to_value(b).ok()?, false);
    if x == y {
        return Some(a.clone());
    }
    let (xo, yo) = (x.as_object_mut()?, y.as_object_mut()?);
    let nullable = [&mut *xo, &mut *yo]
        .into_iter()
        .any(|o| o.remove("nullable") == Some(Value::Bool(true)));
    let (xe, ye) = (xo.remove("enum"), yo.remove("enum"));
    if xo != yo {
        return None;
    }
    let strings = xo.get("type").and_then(Value::as_str) == Some("string");
    let values = match (xe, ye) {
        (None, None) => None,
        (Some(Value::Array(p)), Some(Value::Array(q))) if strings => {
            let mut all = p;
            all.extend(
                q.into_iter()
                    .filter(|v| !all.contains(v))
                    .collect::<Vec<_>>(),
            );
            Some(all)
        }
        // One member lists values and the other takes any string: any string.
        (Some(_), None) | (None, Some(_)) if strings => None,
        _ => return None,
    };
    let mut out = full;
    let o = out.as_object_mut()?;
    match values {
        Some(all) => o.insert("enum".into(), Value::Array(all)),
        None => o.remove("enum"),
    };
    if nullable {
        o.insert("nullable".into(), Value::Bool(true));
    }
    serde_json::from_value(out).ok()
}
