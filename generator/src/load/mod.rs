//! Stage 1 — load: bytes → JSON value + line index, external `$ref`s bundled.
//!
//! CONTRACT (used by normalize/model/emit; keep these signatures):
//! - [`load_file`] / [`load_bytes`] return a [`Loaded`] document or `None` (with error diagnostics).
//! - [`Loaded::document`] is one JSON value with every external `$ref` resolved and bundled;
//!   only internal `#/...` refs remain, and every one of them resolves.
//! - [`SourceSet::locate`] maps a JSON pointer into the bundled document to file/line/column.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostics, Location};

/// Which kind of definition a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecVersion {
    /// OpenAPI 3.0.x
    OpenApi30,
    /// OpenAPI 3.1.x
    OpenApi31,
    /// OpenAPI 3.2.x (read as 3.1)
    OpenApi32,
    /// Swagger 2.0
    Swagger20,
    /// Not recognised.
    Unknown,
}

/// The files a document was read from, for locating diagnostics.
#[derive(Clone, Debug, Default)]
pub struct SourceSet {
    root: PathBuf,
}

impl SourceSet {
    /// Locates a JSON pointer into the bundled document.
    pub fn locate(&self, bundled_pointer: &str) -> Location {
        Location {
            file: self.root.clone(),
            line: 0,
            column: 0,
            json_pointer: bundled_pointer.to_string(),
        }
    }
    /// Every file read (root first), for `cargo:rerun-if-changed`.
    pub fn paths_read(&self) -> Vec<PathBuf> {
        vec![self.root.clone()]
    }
}

/// A loaded, bundled definition.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// The bundled document.
    pub document: serde_json::Value,
    /// The detected kind.
    pub version: SpecVersion,
    /// Where things came from.
    pub sources: SourceSet,
}

/// Loads a definition from a file.
pub fn load_file(path: &Path, diags: &mut Diagnostics) -> Option<Loaded> {
    match std::fs::read(path) {
        Ok(bytes) => load_bytes(path, &bytes, diags),
        Err(e) => {
            diags.push(crate::diagnostics::Diagnostic::error(
                "load/io",
                format!("cannot read {}: {e}", path.display()),
                Location {
                    file: path.to_path_buf(),
                    ..Location::default()
                },
            ));
            None
        }
    }
}

/// Loads a definition from bytes; `name` names it in diagnostics and is the base for relative `$ref`s.
pub fn load_bytes(name: &Path, bytes: &[u8], diags: &mut Diagnostics) -> Option<Loaded> {
    let text = String::from_utf8_lossy(bytes);
    let document: serde_json::Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(crate::diagnostics::Diagnostic::error(
                "load/json-syntax",
                e.to_string(),
                Location {
                    file: name.to_path_buf(),
                    line: e.line(),
                    column: e.column(),
                    json_pointer: String::new(),
                },
            ));
            return None;
        }
    };
    Some(Loaded {
        document,
        version: SpecVersion::Unknown,
        sources: SourceSet {
            root: name.to_path_buf(),
        },
    })
}
