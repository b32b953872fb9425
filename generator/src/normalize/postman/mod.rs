//! Postman collections (v1, v2.0, v2.1, the `{"collection": …}` envelope) → OpenAPI 3.0.
//!
//! `lower_v1` / `lower_v2` read the JSON leniently into one intermediate form (`ir`);
//! `to_openapi` builds the document: one operation per request (never merged by method +
//! path), names from request names (`names`), folders as tags, base URLs from variables
//! (`url`, `vars`), bodies and typed responses from saved examples (`body`, `infer`,
//! `jsonc`, `intern`), and auth with inheritance (`auth`). Every problem is a warning or
//! error located at the collection node, its message naming the folder path.

mod auth;
mod body;
mod infer;
mod intern;
mod ir;
mod jsonc;
mod lower_v1;
mod lower_v2;
mod names;
mod to_openapi;
mod url;
mod vars;

use serde_json::Value;

pub(crate) use super::Ctx3 as Cx;

/// Replaces a collection with the equivalent OpenAPI 3.0 document.
pub(super) fn convert(doc: &mut Value, cx: &mut Cx) {
    let (inner, ptr) = match doc.get("collection") {
        Some(c) if c.is_object() => (c, "/collection"),
        _ => (&*doc, ""),
    };
    let v1 = inner.get("requests").is_some_and(Value::is_array) && inner.get("item").is_none();
    let collection = if v1 {
        lower_v1::lower(inner, ptr, cx)
    } else {
        lower_v2::lower(inner, ptr, cx)
    };
    *doc = to_openapi::document(&collection, cx);
}
