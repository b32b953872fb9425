//! Stage 2 — normalize: any loaded definition → one OpenAPI 3.0 document.
//!
//! CONTRACT: [`normalize`] returns the 3.0 JSON value (what `connectorkit convert` prints)
//! and the typed `openapiv3::OpenAPI` the model is built from. Pieces that fail to
//! deserialize are dropped with a located diagnostic; the rest goes on.
//!
//! Steps: `openapi32` (3.2 → 3.1), `openapi31` (3.1 → 3.0), `fixups` (pre-fixes for
//! `openapiv3`'s strictness, every version), `deserialize` (piecewise into `openapiv3`).
//! `swagger2` converts Swagger 2.0 first.

mod deserialize;
mod fixups;
mod openapi31;
mod openapi32;
mod postman;
mod schemas;
mod swagger2;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::load::{Loaded, SourceSet, SpecVersion};

/// A normalized OpenAPI 3.0 document.
#[derive(Clone, Debug)]
pub struct Normalized {
    /// The OpenAPI 3.0 document as JSON (extensions kept).
    pub value: serde_json::Value,
    /// The same, typed.
    pub openapi: openapiv3::OpenAPI,
}

/// Diagnostics found while normalizing, located at the end (pointers into the document).
#[derive(Default)]
pub(crate) struct Ctx3 {
    pending: Vec<(Severity, &'static str, String, String)>,
    /// Hints, by index in `pending`.
    hints: std::collections::BTreeMap<usize, String>,
    /// True when the document was converted from 3.1/3.2.
    downgraded: bool,
}

impl Ctx3 {
    fn warn(&mut self, code: &'static str, message: impl Into<String>, ptr: &str) {
        self.pending
            .push((Severity::Warning, code, message.into(), ptr.to_string()));
    }
    fn error(&mut self, code: &'static str, message: impl Into<String>, ptr: &str) {
        self.pending
            .push((Severity::Error, code, message.into(), ptr.to_string()));
    }
    fn error_hint(
        &mut self,
        code: &'static str,
        message: impl Into<String>,
        ptr: &str,
        hint: impl Into<String>,
    ) {
        self.hints.insert(self.pending.len(), hint.into());
        self.error(code, message, ptr);
    }
    fn flush(&mut self, sources: &SourceSet, diags: &mut Diagnostics) {
        for (i, (severity, code, message, ptr)) in self.pending.drain(..).enumerate() {
            diags.push(Diagnostic {
                severity,
                code,
                message,
                location: sources.locate(&ptr),
                hint: self.hints.remove(&i),
            });
        }
        self.hints.clear();
    }
}

/// Normalizes a loaded document to OpenAPI 3.0.
pub fn normalize(loaded: &Loaded, diags: &mut Diagnostics) -> Option<Normalized> {
    let mut cx = Ctx3::default();
    let mut value = loaded.document.clone();
    match loaded.version {
        SpecVersion::OpenApi30 => {}
        SpecVersion::OpenApi31 => openapi31::downgrade(&mut value, &mut cx),
        SpecVersion::OpenApi32 => {
            cx.warn(
                "normalize/openapi-3.2",
                "OpenAPI 3.2 is read as 3.1: 3.2-only fields are dropped or kept as extensions",
                "/openapi",
            );
            openapi32::downgrade(&mut value, &mut cx);
            openapi31::downgrade(&mut value, &mut cx);
        }
        SpecVersion::Swagger20 => swagger2::upgrade(&mut value, &mut cx),
        SpecVersion::Postman => postman::convert(&mut value, &mut cx),
        SpecVersion::Unknown => {
            diags.push(Diagnostic::error(
                "normalize/unknown-format",
                "the document is not a recognised API definition",
                loaded.sources.locate(""),
            ));
            return None;
        }
    }
    cx.downgraded = !matches!(
        loaded.version,
        SpecVersion::OpenApi30 | SpecVersion::Postman
    );
    fixups::apply(&mut value, &mut cx);
    let openapi = deserialize::piecewise(&mut value, &mut cx);
    cx.flush(&loaded.sources, diags);
    Some(Normalized {
        value,
        openapi: openapi?,
    })
}
