//! Stage 1 — load: bytes → JSON value + line index, external `$ref`s bundled.
//!
//! CONTRACT (used by normalize/model/emit; keep these signatures):
//! - [`load_file`] / [`load_bytes`] return a [`Loaded`] document or `None` (with error diagnostics).
//! - [`Loaded::document`] is one JSON value with every external `$ref` resolved and bundled;
//!   only internal `#/...` refs remain, and every one of them resolves.
//! - [`SourceSet::locate`] maps a JSON pointer into the bundled document to file/line/column.
//!
//! The steps, one file each:
//! - [`source`]: decoding (BOM, UTF-16, Windows-1252), format detection by content, parsing
//!   (JSON via serde_json, YAML via serde_yaml in `yaml`);
//! - `detect`: OpenAPI 3.0 / 3.1 / 3.2 or Swagger 2.0;
//! - `bundle`: external `$ref`s (schemas hoisted into `components/schemas`, the rest inlined);
//! - `refs`: internal refs checked (dangling refs and pure ref cycles replaced by `{}`);
//! - `locate`: pointer → line/column on the kept source text, lazily;
//! - `walk`: which positions hold schemas.

mod bundle;
mod confine;
mod detect;
mod duplicates;
mod locate;
mod refs;
pub mod source;
pub(crate) mod walk;
mod yaml;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};

pub use confine::MAX_FILE_BYTES;
pub use source::{detect_format, Format};

/// How a definition is read.
#[derive(Clone, Debug, Default)]
pub struct LoadOptions {
    /// The folder external `$ref`s are confined to (`--ref-root`). `None`: the folder of the
    /// input. References outside it, to anything but a regular `.json` / `.yaml` / `.yml`
    /// file, or from a definition read from a URL, are refused with a located error.
    pub ref_root: Option<PathBuf>,
}

/// Reads a definition file given by the user: a regular file of at most
/// [`MAX_FILE_BYTES`] (never a device or a pipe).
fn read_input(path: &Path, diags: &mut Diagnostics) -> Option<Vec<u8>> {
    match confine::read_regular(path) {
        Ok(b) => Some(b),
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    "load/io",
                    format!("cannot read {}: {e}", path.display()),
                    Location {
                        file: path.to_path_buf(),
                        ..Location::default()
                    },
                )
                .with_hint(if std::fs::metadata(path).is_ok() {
                    "give a regular JSON or YAML file (or a connector folder)"
                } else {
                    "check that the path exists and is readable"
                }),
            );
            None
        }
    }
}

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
    /// A Postman collection (v1, v2.0, v2.1 or the `{"collection": …}` envelope).
    Postman,
    /// Not recognised.
    Unknown,
}

/// One file read while loading, with its text kept for locating.
struct SourceFile {
    path: PathBuf,
    text: String,
    format: Format,
    lines: OnceLock<locate::LineIndex>,
    json_cache: locate::JsonCache,
}

/// The files a document was read from, for locating diagnostics.
///
/// Cheap to clone (shared). Holds every file's text; line indexes and JSON container
/// indexes are built lazily, the first time something in that file is located.
#[derive(Clone, Default)]
pub struct SourceSet {
    files: Arc<Vec<SourceFile>>,
    /// bundled-pointer prefix → (file index, pointer inside that file)
    mounts: Arc<HashMap<String, (usize, String)>>,
}

impl fmt::Debug for SourceSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceSet")
            .field("files", &self.paths_read())
            .field("mounts", &self.mounts.len())
            .finish()
    }
}

/// The (file, pointer inside it) a bundled pointer came from: the longest mounted prefix wins.
pub(crate) fn resolve_mount(
    mounts: &HashMap<String, (usize, String)>,
    ptr: &str,
) -> (usize, String) {
    if mounts.is_empty() {
        return (0, ptr.to_string());
    }
    let mut end = ptr.len();
    loop {
        let prefix = &ptr[..end];
        if let Some((file, inner)) = mounts.get(prefix) {
            return (*file, format!("{inner}{}", &ptr[end..]));
        }
        match prefix.rfind('/') {
            Some(i) => end = i,
            None => return (0, ptr.to_string()),
        }
    }
}

impl SourceSet {
    fn new(files: Vec<SourceFile>, mounts: HashMap<String, (usize, String)>) -> Self {
        Self {
            files: Arc::new(files),
            mounts: Arc::new(mounts),
        }
    }

    /// The file and the pointer inside it that a bundled pointer came from.
    pub fn origin(&self, bundled_pointer: &str) -> (PathBuf, String) {
        let (file, inner) = resolve_mount(&self.mounts, bundled_pointer);
        let path = self
            .files
            .get(file)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        (path, inner)
    }

    fn locate_in(&self, file: usize, inner: String) -> Location {
        let Some(f) = self.files.get(file) else {
            return Location {
                json_pointer: inner,
                ..Location::default()
            };
        };
        let toks = locate::tokens(&inner);
        let offset = match f.format {
            Format::Json => locate::find_json(&f.text, &toks, Some(&f.json_cache)),
            Format::Yaml => locate::find_yaml(&f.text, &toks),
        };
        let lines = f.lines.get_or_init(|| locate::LineIndex::new(&f.text));
        let (line, column) = lines.line_col(&f.text, offset);
        Location {
            file: f.path.clone(),
            line,
            column,
            json_pointer: inner,
        }
    }

    /// Locates a JSON pointer into the bundled document: the file it came from, the pointer
    /// inside that file, and the 1-based line/column of the node (of its key, for object
    /// members). A pointer that does not exist in the text gets its nearest existing ancestor's
    /// line/column.
    pub fn locate(&self, bundled_pointer: &str) -> Location {
        let (file, inner) = resolve_mount(&self.mounts, bundled_pointer);
        self.locate_in(file, inner)
    }

    /// Every file read (root first), for `cargo:rerun-if-changed`.
    pub fn paths_read(&self) -> Vec<PathBuf> {
        self.files.iter().map(|f| f.path.clone()).collect()
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

/// Loads a definition from a file; its `$ref`s are confined to the file's folder.
pub fn load_file(path: &Path, diags: &mut Diagnostics) -> Option<Loaded> {
    load_file_with(path, &LoadOptions::default(), diags)
}

/// Loads a definition from a file, with options.
pub fn load_file_with(
    path: &Path,
    options: &LoadOptions,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let bytes = read_input(path, diags)?;
    load_bytes_with(path, &bytes, options, diags)
}

/// Reads a plain JSON or YAML file (a connector's `apiProperties.json`) with the same
/// leniency and located diagnostics as definitions, without detecting or bundling it.
pub fn load_plain_file(
    path: &Path,
    diags: &mut Diagnostics,
) -> Option<(serde_json::Value, SourceSet)> {
    let bytes = read_input(path, diags)?;
    let text = source::decode(path, &bytes, diags);
    let parsed = source::parse(path, text, diags);
    let value = parsed.value?;
    let file = SourceFile {
        path: path.to_path_buf(),
        text: parsed.text,
        format: parsed.format,
        lines: OnceLock::new(),
        json_cache: Mutex::new(HashMap::new()),
    };
    Some((value, SourceSet::new(vec![file], HashMap::new())))
}

/// Loads a definition from bytes; `name` names it in diagnostics and is the base for relative
/// `$ref`s (confined to its folder; an `http(s)://` name reads no local file).
pub fn load_bytes(name: &Path, bytes: &[u8], diags: &mut Diagnostics) -> Option<Loaded> {
    load_bytes_with(name, bytes, &LoadOptions::default(), diags)
}

/// Loads a definition from bytes, with options.
pub fn load_bytes_with(
    name: &Path,
    bytes: &[u8],
    options: &LoadOptions,
    diags: &mut Diagnostics,
) -> Option<Loaded> {
    let text = source::decode(name, bytes, diags);
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        diags.push(
            Diagnostic::error(
                "load/not-a-definition",
                "the file is empty",
                Location {
                    file: name.to_path_buf(),
                    line: 1,
                    column: 1,
                    json_pointer: String::new(),
                },
            )
            .with_hint("give an OpenAPI 3.x or Swagger 2.0 definition"),
        );
        return None;
    }
    let parsed = source::parse(name, text, diags);
    let mut document = parsed.value?;
    let version = match detect::detect(&document) {
        Ok(v) => v,
        Err((code, message, hint, ptr)) => {
            let (line, column) = locate::locate_in_text(&parsed.text, parsed.format, &ptr);
            let mut d = Diagnostic::error(
                code,
                message,
                Location {
                    file: name.to_path_buf(),
                    line,
                    column,
                    json_pointer: ptr,
                },
            );
            if let Some(h) = hint {
                d = d.with_hint(h);
            }
            diags.push(d);
            return None;
        }
    };
    if version == SpecVersion::Postman {
        // A collection has no `$ref`s to bundle; `$ref` keys inside saved bodies are data.
        let file = SourceFile {
            path: name.to_path_buf(),
            text: parsed.text,
            format: parsed.format,
            lines: OnceLock::new(),
            json_cache: Mutex::new(HashMap::new()),
        };
        return Some(Loaded {
            document,
            version,
            sources: SourceSet::new(vec![file], HashMap::new()),
        });
    }
    let root = bundle::FileRec {
        path: name.to_path_buf(),
        text: parsed.text,
        format: parsed.format,
        value: None,
    };
    let ref_root = confine::Root::new(name, options.ref_root.as_deref());
    let bundled = bundle::bundle(root, &mut document, version, ref_root, diags);
    let files = bundled
        .files
        .into_iter()
        .map(|f| SourceFile {
            path: f.path,
            text: f.text,
            format: f.format,
            lines: OnceLock::new(),
            json_cache: Mutex::new(HashMap::new()),
        })
        .collect();
    let sources = SourceSet::new(files, bundled.mounts);
    let mut seen = std::collections::HashSet::new();
    for p in bundled.diags {
        if !seen.insert((p.code, p.file, p.pointer.clone(), p.message.clone())) {
            continue;
        }
        let location = sources.locate_in(p.file, p.pointer);
        let mut d = Diagnostic {
            severity: p.severity,
            code: p.code,
            message: p.message,
            location,
            hint: None,
        };
        if let Some(h) = p.hint {
            d = d.with_hint(h);
        }
        diags.push(d);
    }
    refs::validate(&mut document, &sources, diags);
    Some(Loaded {
        document,
        version,
        sources,
    })
}
