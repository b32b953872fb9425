//! Model types and names → Rust tokens.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::RustType;

/// An identifier token; `r#`-prefixed names become raw identifiers.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The tokens of a type in field position.
pub fn ty(t: &RustType) -> TokenStream {
    match t {
        RustType::Named(n) => {
            let i = ident(n);
            quote!(#i)
        }
        RustType::Vec(inner) => {
            let i = ty(inner);
            quote!(Vec<#i>)
        }
        RustType::Map(inner) => {
            let i = ty(inner);
            quote!(std::collections::BTreeMap<String, #i>)
        }
        RustType::Option(inner) => {
            let i = ty(inner);
            quote!(Option<#i>)
        }
        RustType::Boxed(inner) => {
            let i = ty(inner);
            quote!(Box<#i>)
        }
        RustType::String => quote!(String),
        RustType::Bool => quote!(bool),
        RustType::I8 => quote!(i8),
        RustType::I16 => quote!(i16),
        RustType::I32 => quote!(i32),
        RustType::I64 => quote!(i64),
        RustType::U8 => quote!(u8),
        RustType::U16 => quote!(u16),
        RustType::U32 => quote!(u32),
        RustType::U64 => quote!(u64),
        RustType::F32 => quote!(f32),
        RustType::F64 => quote!(f64),
        RustType::Value => quote!(serde_json::Value),
        RustType::JsonObject => quote!(serde_json::Map<String, serde_json::Value>),
        RustType::DateTime => quote!(connectorkit::DateTime),
        RustType::Date => quote!(connectorkit::Date),
        RustType::Uuid => quote!(connectorkit::Uuid),
        RustType::Base64 => quote!(connectorkit::Base64),
    }
}

/// The tokens of a type in argument position: `&str`, `&[T]`, `T` for Copy scalars, else `&T`.
pub fn arg_ty(t: &RustType) -> TokenStream {
    match t {
        RustType::String => quote!(&str),
        RustType::Vec(inner) => {
            let i = ty(inner);
            quote!(&[#i])
        }
        RustType::Option(inner) => arg_ty(inner),
        t if t.is_copy() => ty(t),
        t => {
            let i = ty(t);
            quote!(&#i)
        }
    }
}

/// How many generic containers deep a type is (`Vec<Vec<i64>>` is 2).
pub fn depth(t: &RustType) -> usize {
    match t {
        RustType::Vec(inner)
        | RustType::Map(inner)
        | RustType::Option(inner)
        | RustType::Boxed(inner) => 1 + depth(inner),
        _ => 0,
    }
}

/// `#[allow(clippy::type_complexity)]` when one of `types` nests containers so deeply
/// that clippy would call it complex (the definition's shape, not ours to factor).
pub fn allow_complex<'a>(types: impl IntoIterator<Item = &'a RustType>) -> Option<TokenStream> {
    types
        .into_iter()
        .any(|t| depth(t) >= 4)
        .then(|| quote!(#[allow(clippy::type_complexity)]))
}
