//! The `#[cfg(feature = …)]` attributes of a crate with module features (see
//! [`crate::model::modules`]): a module's actions compile with its feature, a type with any
//! feature whose module needs it.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::modules::Need;
use crate::model::{Action, Connector};

/// The feature of the schemas no action uses (GitHub's webhook payloads…): off by default,
/// as they are not part of any call. A hyphen keeps it apart from every module name.
pub const UNUSED_SCHEMAS: &str = "all-schemas";

/// The feature that adds `Serialize` to the types no request sends (to store or forward a
/// response as JSON), in a crate with module features.
pub const SERIALIZE_ALL: &str = "serialize-all";

/// Whether items are gated: a crate (not a module body for `include!`, whose features would
/// be the including crate's) whose actions fall into two modules or more.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gating {
    /// Every item compiles.
    Off,
    /// Items carry the features of the modules that need them.
    Features,
}

impl Gating {
    /// The gating of a crate generated from `c`.
    pub fn for_crate(c: &Connector) -> Self {
        if c.modules.gated() {
            Gating::Features
        } else {
            Gating::Off
        }
    }
}

/// `#[cfg(…)]` for a named type (nothing when every build needs it).
pub fn for_type(c: &Connector, gating: Gating, name: &str) -> TokenStream {
    if gating == Gating::Off {
        return quote!();
    }
    match c.modules.need(name) {
        Need::Always => quote!(),
        Need::Unused => {
            let f = UNUSED_SCHEMAS;
            quote!(#[cfg(feature = #f)])
        }
        Need::Modules(list) => {
            let features: Vec<&str> = list
                .iter()
                .filter_map(|&m| c.modules.list.get(m))
                .map(|m| m.name.as_str())
                .collect();
            match features.as_slice() {
                [one] => quote!(#[cfg(feature = #one)]),
                many => quote!(#[cfg(any(#(feature = #many),*))]),
            }
        }
    }
}

/// `#[cfg(feature = …)]` for an item of one action (its parameters struct, its response
/// enums).
pub fn for_action(c: &Connector, gating: Gating, a: &Action) -> TokenStream {
    match (gating, a.module.and_then(|m| c.modules.list.get(m))) {
        (Gating::Features, Some(m)) => {
            let f = &m.name;
            quote!(#[cfg(feature = #f)])
        }
        _ => quote!(),
    }
}

/// The condition on a type's `Serialize`: `None` when it always has one (a request sends it,
/// or the crate has no module features), else `feature = "serialize-all"`.
pub fn serialize_if(c: &Connector, gating: Gating, name: &str) -> Option<TokenStream> {
    (gating == Gating::Features && !c.modules.is_sent(name)).then(|| {
        let f = SERIALIZE_ALL;
        quote!(feature = #f)
    })
}
