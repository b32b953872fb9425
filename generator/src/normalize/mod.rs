//! Stage 2 — normalize: any loaded definition → one OpenAPI 3.0 document.
//!
//! CONTRACT: [`normalize`] returns the 3.0 JSON value (what `connectorkit convert` prints)
//! and the typed `openapiv3::OpenAPI` the model is built from. Pieces that fail to
//! deserialize are dropped with a located diagnostic; the rest goes on.

use crate::diagnostics::Diagnostics;
use crate::load::Loaded;

/// A normalized OpenAPI 3.0 document.
#[derive(Clone, Debug)]
pub struct Normalized {
    /// The OpenAPI 3.0 document as JSON (extensions kept).
    pub value: serde_json::Value,
    /// The same, typed.
    pub openapi: openapiv3::OpenAPI,
}

/// Normalizes a loaded document to OpenAPI 3.0.
pub fn normalize(loaded: &Loaded, diags: &mut Diagnostics) -> Option<Normalized> {
    let value = loaded.document.clone();
    match serde_json::from_value::<openapiv3::OpenAPI>(value.clone()) {
        Ok(openapi) => Some(Normalized { value, openapi }),
        Err(e) => {
            diags.push(crate::diagnostics::Diagnostic::error(
                "normalize/openapi",
                e.to_string(),
                loaded.sources.locate(""),
            ));
            None
        }
    }
}
