//! Type definitions → `types.rs` of the generated crate.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::gates::{self, Gating};
use super::rust::{allow_complex, ident, ty};
use crate::model::{
    names::bare, Action, Connector, Outcome, ResponseBody, RustType, TypeDef, TypeKind,
};

/// All type items: schema types, parameter structs and per-action response enums.
pub fn items(c: &Connector, gating: Gating) -> TokenStream {
    let defs = c.types.iter().map(|d| {
        def(
            d,
            &gates::for_type(c, gating, &d.name),
            gates::serialize_if(c, gating, &d.name).as_ref(),
        )
    });
    let params = c
        .actions
        .iter()
        .map(|a| params_struct(a, &gates::for_action(c, gating, a)));
    let outcomes = c
        .actions
        .iter()
        .map(|a| outcome_enums(a, &gates::for_action(c, gating, a)));
    quote! {
        #(#defs)*
        #(#params)*
        #(#outcomes)*
    }
}

/// The derives of a type whose serde impls are derived too (tagged unions, newtypes), with
/// `Serialize` under `serialize_if` when it has one.
fn derives(d: &TypeDef, serialize_if: Option<&TokenStream>) -> TokenStream {
    let eq = d.eq.then(|| quote!(Eq,));
    let default = d.default.then(|| quote!(Default,));
    match serialize_if {
        None => quote!(#[derive(Clone, Debug, #default PartialEq, #eq Serialize, Deserialize)]),
        Some(p) => quote! {
            #[derive(Clone, Debug, #default PartialEq, #eq Deserialize)]
            #[cfg_attr(#p, derive(Serialize))]
        },
    }
}

/// The derives of a type whose serde impls are written out (structs, untagged unions).
fn plain_derives(d: &TypeDef) -> TokenStream {
    let eq = d.eq.then(|| quote!(Eq,));
    let default = d.default.then(|| quote!(Default,));
    quote!(#[derive(Clone, Debug, #default PartialEq, #eq)])
}

/// `Serialize` for a struct through `connectorkit::ser::Object`, one line per field, in field
/// order: an optional field is left out when `None`, the extra properties come last.
fn struct_serialize(
    name: &proc_macro2::Ident,
    fields: &[crate::model::Field],
    extra: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let body = if fields.is_empty() && extra.is_none() {
        quote!(connectorkit::ser::Object::new(s)?.end())
    } else {
        let writes = fields.iter().map(|f| {
            let fname = ident(&f.ident);
            let wire = &f.wire_name;
            if f.optional {
                quote!(o.optional(#wire, &self.#fname)?;)
            } else {
                quote!(o.field(#wire, &self.#fname)?;)
            }
        });
        let rest = extra.map(|e| quote!(o.rest(&self.#e)?;));
        quote! {
            let mut o = connectorkit::ser::Object::new(s)?;
            #(#writes)*
            #rest
            o.end()
        }
    };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                #body
            }
        }
    }
}

/// `Deserialize` for an untagged union: the value is read once, then each variant is tried in
/// the model's order (the first that decodes wins, as with `#[serde(untagged)]`); a
/// `serde_json::Value` variant takes whatever is left. Where two or more variants are named
/// types (structs that could take one object), a first pass looks for one that decodes it
/// without leaving a property behind (`connectorkit::de::try_exact`).
fn untagged_deserialize(
    name: &proc_macro2::Ident,
    variants: &[crate::model::Variant],
) -> TokenStream {
    let mut arms = Vec::new();
    let mut exact = Vec::new();
    let mut last = None;
    for v in variants {
        let vi = ident(&v.ident);
        match &v.ty {
            None | Some(RustType::Value) => {
                last = Some(quote!(Ok(Self::#vi(v))));
                break;
            }
            Some(ty) => {
                // A member's fixed non-string property (Discord's `type: 3`) is checked first.
                let (exact_call, lenient_call) = match &v.guard {
                    None => (
                        quote!(connectorkit::de::try_exact(&v)),
                        quote!(connectorkit::de::try_as(&v)),
                    ),
                    Some(g) => {
                        let key = &g.property;
                        let value = match g.value {
                            crate::model::GuardValue::Int(n) => {
                                let n = proc_macro2::Literal::i64_suffixed(n);
                                quote!(#n)
                            }
                            crate::model::GuardValue::Bool(b) => quote!(#b),
                        };
                        (
                            quote!(connectorkit::de::try_exact_if(&v, #key, #value)),
                            quote!(connectorkit::de::try_as_if(&v, #key, #value)),
                        )
                    }
                };
                if may_drop_properties(ty) {
                    exact.push(quote! {
                        if let Some(x) = #exact_call {
                            return Ok(Self::#vi(x));
                        }
                    });
                }
                arms.push(quote! {
                    if let Some(x) = #lenient_call {
                        return Ok(Self::#vi(x));
                    }
                });
            }
        }
    }
    // A first pass only matters when two variants could both take one object.
    if exact.len() < 2 {
        exact.clear();
    }
    let binding = if arms.is_empty() && last.is_none() {
        quote!(_)
    } else {
        quote!(v)
    };
    let last = last.unwrap_or_else(|| {
        let msg = format!("data did not match any variant of untagged enum {name}");
        quote!(Err(serde::de::Error::custom(#msg)))
    });
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let #binding = <connectorkit::serde_json::Value as serde::Deserialize>::deserialize(d)?;
                #(#exact)*
                #(#arms)*
                #last
            }
        }
    }
}

/// `Deserialize` for a struct through `connectorkit::de::Object`, one line per field: a
/// derived implementation (a field visitor and a map visitor per struct) is most of the time
/// `cargo check` spends on a generated crate.
fn struct_deserialize(
    name: &proc_macro2::Ident,
    fields: &[crate::model::Field],
    extra: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let inits = fields.iter().map(|f| {
        let fname = ident(&f.ident);
        let wire = &f.wire_name;
        if f.must_be_present {
            quote!(#fname: o.present(#wire)?,)
        } else {
            quote!(#fname: o.field(#wire)?,)
        }
    });
    let rest = extra.map(|e| quote!(#e: o.rest()?,));
    let binding = if fields.is_empty() && extra.is_none() {
        quote!(let _ = connectorkit::de::Object::<D::Error>::deserialize(d)?;)
    } else {
        quote!(let mut o = connectorkit::de::Object::<D::Error>::deserialize(d)?;)
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                #binding
                Ok(Self { #(#inits)* #rest })
            }
        }
    }
}

/// A type's items, each with `cfg` (empty when ungated); `Serialize` only when
/// `serialize_if` holds (always when `None`).
fn def(d: &TypeDef, cfg: &TokenStream, serialize_if: Option<&TokenStream>) -> TokenStream {
    let name = ident(&d.name);
    let fallback = format!("The `{}` schema.", d.name);
    let doc = docs::attrs_or(d.doc.as_deref(), &fallback);
    match &d.kind {
        TypeKind::Struct { fields, additional } => {
            let fields_tokens = fields.iter().map(|f| {
                let fname = ident(&f.ident);
                let fty = ty(&f.ty);
                let fdoc_fallback = format!("`{}`", f.wire_name);
                let fdoc = docs::attrs_or(f.doc.as_deref(), &fdoc_fallback);
                quote! {
                    #fdoc
                    pub #fname: #fty,
                }
            });
            let extra_name = additional.as_ref().map(|a| ident(&a.ident));
            let extra = additional
                .as_ref()
                .zip(extra_name.as_ref())
                .map(|(a, fname)| {
                    let aty = ty(&a.ty);
                    quote! {
                        /// Properties not listed above.
                        pub #fname: std::collections::BTreeMap<String, #aty>,
                    }
                });
            let derive = plain_derives(d);
            let complex = allow_complex(
                fields
                    .iter()
                    .map(|f| &f.ty)
                    .chain(additional.as_ref().map(|a| &a.ty)),
            );
            let de = struct_deserialize(&name, fields, extra_name.as_ref());
            let ser = struct_serialize(&name, fields, extra_name.as_ref());
            let ser_cfg = serialize_if.map(|p| quote!(#[cfg(#p)]));
            quote! {
                #doc
                #cfg
                #derive
                #complex
                pub struct #name {
                    #(#fields_tokens)*
                    #extra
                }
                #cfg
                #de
                #cfg
                #ser_cfg
                #ser
            }
        }
        TypeKind::StringEnum { variants } => {
            let vs = variants.iter().map(|v| {
                let vi = ident(&v.ident);
                let wire = v.wire.clone().unwrap_or_default();
                let vdoc_fallback = format!("`{wire}`");
                let vdoc = docs::attrs_or(v.doc.as_deref(), &vdoc_fallback);
                quote!(#vdoc #vi,)
            });
            let to_wire = variants.iter().map(|v| {
                let vi = ident(&v.ident);
                let wire = v.wire.clone().unwrap_or_default();
                quote!(Self::#vi => #wire,)
            });
            let from_wire = variants.iter().map(|v| {
                let vi = ident(&v.ident);
                let wire = v.wire.clone().unwrap_or_default();
                quote!(#wire => Self::#vi,)
            });
            // With no known value, every string is `Unknown` (a `match` with only `_` would
            // be clippy's `match_single_binding`).
            let from_body = if variants.is_empty() {
                quote!(Self::Unknown(s.to_string()))
            } else {
                quote! {
                    match s {
                        #(#from_wire)*
                        _ => Self::Unknown(s.to_string()),
                    }
                }
            };
            let impls = match serialize_if {
                None => quote!(connectorkit::string_enum_impls!(#name);),
                Some(p) => quote! {
                    connectorkit::string_enum_impls!(#name, without_serialize);
                    #cfg
                    #[cfg(#p)]
                    connectorkit::string_enum_serialize!(#name);
                },
            };
            quote! {
                #doc
                #cfg
                #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#vs)*
                    /// A value this client did not know when it was generated.
                    Unknown(String),
                }

                #cfg
                impl #name {
                    /// The value as sent on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#to_wire)*
                            Self::Unknown(s) => s,
                        }
                    }
                }

                #cfg
                impl From<&str> for #name {
                    fn from(s: &str) -> Self {
                        #from_body
                    }
                }

                #cfg
                #impls
            }
        }
        TypeKind::Union {
            variants,
            tag,
            content,
        } => {
            let tag_attr = match (tag, content) {
                (Some(t), Some(c)) => quote!(#[serde(tag = #t, content = #c)]),
                (Some(t), None) => quote!(#[serde(tag = #t)]),
                // Only a derived `Serialize` reads it (`Deserialize` is written out).
                (None, _) => match serialize_if {
                    None => quote!(#[serde(untagged)]),
                    Some(p) => quote!(#[cfg_attr(#p, serde(untagged))]),
                },
            };
            let vs = variants.iter().map(|v| {
                let vi = ident(&v.ident);
                let vdoc_fallback = match (&v.wire, tag) {
                    (Some(w), Some(t)) => format!("`{t}`: `{w}`."),
                    _ => format!("A `{}`.", bare(&v.ident)),
                };
                let vdoc = docs::attrs_or(v.doc.as_deref(), &vdoc_fallback);
                let rename = match (tag, &v.wire) {
                    (Some(_), Some(w)) if w != bare(&v.ident) => quote!(#[serde(rename = #w)]),
                    _ => quote!(),
                };
                match (&v.ty, tag) {
                    (None, Some(_)) => quote!(#vdoc #rename #vi,),
                    (t, _) => {
                        let vty = t
                            .as_ref()
                            .map(ty)
                            .unwrap_or_else(|| quote!(serde_json::Value));
                        quote!(#vdoc #rename #vi(#vty),)
                    }
                }
            });
            let (derive, de) = if tag.is_none() {
                let de = untagged_deserialize(&name, variants);
                let plain = plain_derives(d);
                let derive = match serialize_if {
                    None => quote!(#plain #[derive(Serialize)]),
                    Some(p) => quote!(#plain #[cfg_attr(#p, derive(Serialize))]),
                };
                (derive, quote!(#cfg #de))
            } else {
                (derives(d, serialize_if), quote!())
            };
            quote! {
                #doc
                #cfg
                #derive
                #tag_attr
                #[allow(clippy::large_enum_variant)]
                pub enum #name {
                    #(#vs)*
                }
                #de
            }
        }
        TypeKind::Alias(t) => {
            let aty = ty(t);
            quote! {
                #doc
                #cfg
                pub type #name = #aty;
            }
        }
        TypeKind::Newtype(t) => {
            let aty = ty(t);
            let derive = derives(d, serialize_if);
            quote! {
                #doc
                #cfg
                #derive
                #[serde(transparent)]
                pub struct #name(pub #aty);
            }
        }
    }
}

fn params_struct(a: &Action, cfg: &TokenStream) -> TokenStream {
    let Some(name) = &a.params_struct else {
        return quote!();
    };
    let name = ident(name);
    let doc = format!(
        " Optional parameters of [`Client::{0}`](super::Client::{0}).",
        bare(&a.ident)
    );
    let fields = a.params.iter().filter(|p| !p.required).map(|p| {
        let fname = ident(&p.ident);
        let fty = ty(&p.ty);
        let fallback = format!("`{}` ({}).", p.wire_name, p.location.as_str());
        let facts = p.facts.join(" ");
        let fdoc = match p
            .description
            .as_deref()
            .filter(|d| !docs::clean(d).is_empty())
        {
            Some(d) => docs::attrs(&[Some(d), Some(&facts)]),
            None => docs::attrs(&[Some(&fallback), Some(&facts)]),
        };
        quote!(#fdoc pub #fname: Option<#fty>,)
    });
    let optional: Vec<RustType> = a
        .params
        .iter()
        .filter(|p| !p.required)
        .map(|p| RustType::Option(Box::new(p.ty.clone())))
        .collect();
    let complex = allow_complex(&optional);
    quote! {
        #[doc = #doc]
        #cfg
        #[derive(Clone, Debug, Default)]
        #complex
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The Rust type of an action's success or error outcome.
pub fn outcome_ty(o: &Outcome) -> TokenStream {
    match o {
        Outcome::Single(b) => body_ty(b),
        Outcome::Enum(n) => {
            let n = ident(n);
            quote!(#n)
        }
    }
}

/// The Rust type of a response body.
pub fn body_ty(b: &ResponseBody) -> TokenStream {
    match b {
        ResponseBody::Json(t) => ty(t),
        ResponseBody::Text => quote!(String),
        ResponseBody::Bytes => quote!(connectorkit::Bytes),
        ResponseBody::Empty => quote!(()),
    }
}

fn outcome_enums(a: &Action, cfg: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let complex = allow_complex(
        a.success
            .iter()
            .chain(&a.errors)
            .filter_map(|c| match &c.body {
                ResponseBody::Json(t) => Some(t),
                _ => None,
            }),
    );
    let method = bare(&a.ident);
    if let Outcome::Enum(name) = &a.success_type {
        let name = ident(name);
        let doc =
            format!(" Successful responses of [`Client::{method}`](super::Client::{method}).");
        let vs = a.success.iter().map(|c| {
            let vi = ident(&c.variant);
            let vdoc = docs::attrs(&[Some(&status_doc(c))]);
            match &c.body {
                ResponseBody::Empty => quote!(#vdoc #vi,),
                b => {
                    let t = body_ty(b);
                    quote!(#vdoc #vi(#t),)
                }
            }
        });
        out.extend(quote! {
            #[doc = #doc]
            #cfg
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            #complex
            pub enum #name {
                #(#vs)*
            }
        });
    }
    if let Outcome::Enum(name) = &a.error_type {
        let name = ident(name);
        let doc =
            format!(" Error bodies of [`Client::{method}`](super::Client::{method}), by status.");
        let vs = a.errors.iter().filter_map(|c| match &c.body {
            ResponseBody::Json(t) => {
                let vi = ident(&c.variant);
                let vdoc = docs::attrs(&[Some(&status_doc(c))]);
                let t = ty(t);
                Some(quote!(#vdoc #vi(#t),))
            }
            _ => None,
        });
        out.extend(quote! {
            #[doc = #doc]
            #cfg
            #[derive(Clone, Debug, PartialEq)]
            #[allow(clippy::large_enum_variant)]
            #complex
            pub enum #name {
                #(#vs)*
            }
        });
    }
    out
}

fn status_doc(c: &crate::model::ResponseCase) -> String {
    let status = match &c.status {
        crate::model::StatusMatch::Code(n) => n.to_string(),
        crate::model::StatusMatch::Range(d) => format!("{d}XX"),
        crate::model::StatusMatch::Default => "Any other status".to_string(),
    };
    let desc = c.description.trim();
    if desc.is_empty() {
        format!("{status}.")
    } else {
        format!("{status}: {desc}")
    }
}

/// Whether decoding a `ty` could leave an object's property behind: it holds a named type (a
/// struct, or a union of them) somewhere.
fn may_drop_properties(ty: &RustType) -> bool {
    match ty {
        RustType::Named(_) => true,
        RustType::Vec(t) | RustType::Map(t) | RustType::Option(t) | RustType::Boxed(t) => {
            may_drop_properties(t)
        }
        _ => false,
    }
}
