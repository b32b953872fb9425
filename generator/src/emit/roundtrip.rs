//! The round-trip harness of a generated crate (issue 15): a program that decodes JSON
//! instances as each named type and re-encodes them, and the list of those types with the
//! JSON pointer of the schema each came from, for an independent sampler to make instances.
//!
//! Only `connectorkit generate --roundtrip-harness` (CI's `.ci/roundtrip.sh`) writes these
//! files: the program in `examples/`, the type list and the normalized document in
//! `roundtrip/`. A normal generated crate does not carry them.

use std::collections::BTreeMap;

use quote::quote;
use serde_json::json;

use super::rust::ident;
use crate::model::{BodyKind, Connector, RustType, TypeKind};

/// Where the program goes in the crate: `examples/roundtrip_<crate>.rs`, a name of its own
/// so that the programs of a whole workspace build side by side.
pub fn program_path(crate_name: &str) -> String {
    format!("examples/roundtrip_{}.rs", crate_name.replace('-', "_"))
}
/// Where the type list goes in the crate.
pub const TYPES: &str = "roundtrip/types.json";

/// The round-trip program: reads `{"Type": [instance, …], …}` on stdin and prints
/// `{"Type": [{"ok": re-encoded} | {"decode": error} | {"encode": error}, …], …}`, decoding
/// from and encoding to JSON text as a response body and a request body would be. A type
/// name it does not know is left out of the output.
pub fn program(c: &Connector, crate_name: &str) -> Result<String, String> {
    let krate = ident(&crate_name.replace('-', "_"));
    let arms = c.types.iter().map(|d| {
        let key = d.name.as_str();
        let ty = ident(&d.name);
        quote!(#key => round::<#krate::types::#ty>(text),)
    });
    let tokens = quote! {
        //! Round trip of every named type: each instance on stdin is decoded as its type and
        //! re-encoded; the results go to stdout (see `.ci/roundtrip.sh`).

        use std::collections::BTreeMap;
        use std::io::Read;

        use serde_json::{json, Value};

        /// Decodes `text` as `T` and encodes it again (unused when there is no named type).
        #[allow(dead_code)]
        fn round<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str) -> Value {
            match serde_json::from_str::<T>(text) {
                Ok(decoded) => match serde_json::to_string(&decoded) {
                    Ok(encoded) => json!({ "ok": encoded }),
                    Err(e) => json!({ "encode": e.to_string() }),
                },
                Err(e) => json!({ "decode": e.to_string() }),
            }
        }

        /// The round trip of `text` as the type called `name`, if there is one.
        fn dispatch(name: &str, text: &str) -> Option<Value> {
            Some(match name {
                #(#arms)*
                _ => return None,
            })
        }

        fn main() -> Result<(), Box<dyn std::error::Error>> {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input)?;
            let instances: BTreeMap<String, Vec<Value>> = serde_json::from_str(&input)?;
            let mut out = serde_json::Map::new();
            for (name, list) in instances {
                let results: Option<Vec<Value>> = list
                    .iter()
                    .map(|instance| dispatch(&name, &instance.to_string()))
                    .collect();
                if let Some(results) = results {
                    out.insert(name, Value::Array(results));
                }
            }
            println!("{}", Value::Object(out));
            Ok(())
        }
    };
    super::format(tokens)
}

/// `roundtrip/types.json`: every named type with its kind, the JSON pointer (into the
/// normalized document, `connectorkit convert`) of the schema it was made from and, for a
/// JSON request body type, the top-level properties of that schema that the client fills in
/// itself (`runtime`: the webhook callback URL, `x-ms-notification-url`, and internal
/// constants, `x-ms-visibility: internal` with a default). Those are left out of the type
/// on purpose (a caller's value would be overwritten), so the round trip does not expect
/// them back; for the struct of an internally tagged enum's variant, the tag property the
/// enum carries (`enum_tag`: the struct has no field for it).
pub fn type_list(c: &Connector) -> Result<String, String> {
    let mut runtime: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut enum_tags: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for body in c.actions.iter().filter_map(|a| a.body.as_ref()) {
        if let BodyKind::Json(RustType::Named(name)) = &body.kind {
            let fields = runtime.entry(name.as_str()).or_default();
            for i in &body.injected {
                if !fields.contains(&i.wire_name.as_str()) {
                    fields.push(i.wire_name.as_str());
                }
            }
        }
    }
    // The struct of an internally tagged enum's variant: the enum carries the tag (the
    // struct has no field for it), so the struct decoded alone drops it.
    for d in &c.types {
        if let TypeKind::Union {
            variants,
            tag: Some(tag),
            content: None,
        } = &d.kind
        {
            for v in variants {
                if let Some(RustType::Named(name)) = &v.ty {
                    let tags = enum_tags.entry(name.as_str()).or_default();
                    if !tags.contains(&tag.as_str()) {
                        tags.push(tag.as_str());
                    }
                }
            }
        }
    }
    let list: Vec<_> = c
        .types
        .iter()
        .map(|d| {
            let kind = match &d.kind {
                TypeKind::Struct { .. } => "struct",
                TypeKind::StringEnum { .. } => "string-enum",
                TypeKind::Union { tag: Some(_), .. } => "tagged-union",
                TypeKind::Union { tag: None, .. } => "untagged-union",
                TypeKind::Alias(_) => "alias",
                TypeKind::Newtype(_) => "newtype",
            };
            let mut entry = json!({ "name": d.name, "kind": kind, "pointer": d.pointer });
            if let Some(fields) = runtime.get(d.name.as_str()).filter(|f| !f.is_empty()) {
                entry["runtime"] = json!(fields);
            }
            if let Some(tags) = enum_tags.get(d.name.as_str()) {
                entry["enum_tag"] = json!(tags);
            }
            entry
        })
        .collect();
    serde_json::to_string_pretty(&list).map_err(|e| format!("internal error: type list: {e}"))
}
