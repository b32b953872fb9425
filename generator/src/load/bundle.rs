//! External `$ref` resolution: every file a document refers to is read and bundled into the
//! root document. Schemas are hoisted into `#/components/schemas/<Name>` (Swagger 2.0:
//! `#/definitions/<Name>`), anything else is inlined; the places content came from are
//! recorded as mounts (bundled-pointer prefix → file and pointer inside it).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::confine::{self, Refusal, Root};
use super::source::{self, Format};
use super::walk::Ctx;
use super::SpecVersion;
use crate::diagnostics::{Diagnostics, Severity};
use crate::pointer;

/// A file read while loading (index 0 is the root).
pub(crate) struct FileRec {
    pub path: PathBuf,
    pub text: String,
    pub format: Format,
    /// Parsed content; `None` for the root (being bundled) and for files that failed to parse.
    pub value: Option<Value>,
}

/// A diagnostic whose line/column is computed once all files are known.
pub(crate) struct PendingDiag {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub hint: Option<String>,
    pub file: usize,
    pub pointer: String,
}

/// Bundling output.
pub(crate) struct Bundled {
    pub files: Vec<FileRec>,
    pub mounts: HashMap<String, (usize, String)>,
    pub diags: Vec<PendingDiag>,
}

enum Target {
    /// Keep the ref as it is (internal to the root).
    Internal,
    /// Internal to the root, rewritten (a file's ref back into the root file).
    Rewrite(String),
    /// (file, fragment pointer)
    External(usize, String),
}

struct Bundler<'d> {
    files: Vec<FileRec>,
    by_path: HashMap<PathBuf, usize>,
    mounts: HashMap<String, (usize, String)>,
    hoisted: HashMap<(usize, String), String>,
    names: HashSet<String>,
    pending: Vec<(String, Value)>,
    inlining: Vec<(usize, String)>,
    /// name base → the next number to try (names only grow, so no number below is free).
    next_suffix: HashMap<String, usize>,
    /// Nodes that may still be copied by inlining non-schema references.
    budget: usize,
    /// The budget ran out (reported once).
    exhausted: bool,
    root: Root,
    diags: Vec<PendingDiag>,
    top_base: &'static str,
    syntax_diags: &'d mut Diagnostics,
}

/// Bundles every external `$ref` of `root` (the content of `root_file`).
pub(crate) fn bundle(
    root_file: FileRec,
    root: &mut Value,
    version: SpecVersion,
    ref_root: Root,
    diags: &mut Diagnostics,
) -> Bundled {
    let top_base = if version == SpecVersion::Swagger20 {
        "/definitions"
    } else {
        "/components/schemas"
    };
    let mut by_path = HashMap::new();
    if !confine::is_url(&root_file.path) {
        if let Ok(canon) = std::fs::canonicalize(&root_file.path) {
            by_path.insert(canon, 0);
        }
    }
    let mut b = Bundler {
        files: vec![root_file],
        by_path,
        mounts: HashMap::new(),
        hoisted: HashMap::new(),
        names: HashSet::new(),
        pending: Vec::new(),
        inlining: Vec::new(),
        next_suffix: HashMap::new(),
        budget: INLINE_BUDGET,
        exhausted: false,
        root: ref_root,
        diags: Vec::new(),
        top_base,
        syntax_diags: diags,
    };
    // Names already taken, and component entries that are just an external ref: the
    // referenced schema takes that entry's name.
    let entries: Vec<(String, String)> = root
        .pointer(top_base)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| {
                    let r = v.get("$ref").and_then(Value::as_str).unwrap_or("");
                    (k.clone(), r.to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    for (name, r) in &entries {
        b.names.insert(name.clone());
        if !r.is_empty() && !r.starts_with('#') && !is_remote(r) {
            if let Ok(Target::External(f, frag)) = b.target(0, r) {
                b.hoisted.entry((f, frag)).or_insert_with(|| name.clone());
            }
        }
    }
    let mut ptr = String::new();
    b.walk(root, &mut ptr, Ctx::Root, 0);
    if !b.pending.is_empty() {
        if let Some(obj) = root.as_object_mut() {
            let schemas = if top_base == "/definitions" {
                obj.entry("definitions")
            } else {
                let c = obj
                    .entry("components")
                    .or_insert_with(|| Value::Object(Map::new()));
                if !c.is_object() {
                    *c = Value::Object(Map::new());
                }
                match c.as_object_mut() {
                    Some(c) => c.entry("schemas"),
                    None => return b.finish(),
                }
            }
            .or_insert_with(|| Value::Object(Map::new()));
            if !schemas.is_object() {
                *schemas = Value::Object(Map::new());
            }
            if let Some(schemas) = schemas.as_object_mut() {
                for (name, v) in std::mem::take(&mut b.pending) {
                    schemas.insert(name, v);
                }
            }
        }
    }
    b.finish()
}

/// The most nodes that inlining external non-schema references may copy into the document
/// (schemas are hoisted once and shared; anything else is copied per use, so references
/// that fan out could otherwise grow without bound).
const INLINE_BUDGET: usize = 200_000;

/// The number of nodes in `v`, counting no further than `limit + 1`.
fn count_nodes(v: &Value, limit: usize) -> usize {
    let mut n = 0usize;
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        n += 1;
        if n > limit {
            break;
        }
        match v {
            Value::Object(m) => stack.extend(m.values()),
            Value::Array(a) => stack.extend(a.iter()),
            _ => {}
        }
    }
    n
}

fn is_remote(r: &str) -> bool {
    r.contains("://") || r.starts_with("//")
}

fn empty() -> Value {
    Value::Object(Map::new())
}

impl Bundler<'_> {
    fn finish(self) -> Bundled {
        Bundled {
            files: self.files,
            mounts: self.mounts,
            diags: self.diags,
        }
    }

    /// (file, pointer inside it) of a bundled pointer, with the mounts known so far.
    fn resolve(&self, ptr: &str) -> (usize, String) {
        super::resolve_mount(&self.mounts, ptr)
    }

    fn diag(
        &mut self,
        severity: Severity,
        code: &'static str,
        message: String,
        hint: Option<&str>,
        at: &str,
    ) {
        let (file, pointer) = self.resolve(at);
        self.diags.push(PendingDiag {
            severity,
            code,
            message,
            hint: hint.map(str::to_string),
            file,
            pointer,
        });
    }

    fn walk(&mut self, node: &mut Value, ptr: &mut String, ctx: Ctx, file: usize) {
        if ctx == Ctx::Data {
            return;
        }
        if ctx.takes_ref() {
            if let Some(r) = node.get("$ref").and_then(Value::as_str) {
                let r = r.to_string();
                self.handle_ref(node, ptr, ctx, file, &r);
                return;
            }
        }
        if ctx.is_schema() {
            self.rebase_mapping(node, ptr, file);
        }
        match node {
            Value::Object(map) => {
                for (k, v) in map.iter_mut() {
                    let c = ctx.child(Some(k), v);
                    if c == Ctx::Data {
                        continue;
                    }
                    let len = ptr.len();
                    ptr.push('/');
                    ptr.push_str(&pointer::escape(k));
                    self.walk(v, ptr, c, file);
                    ptr.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter_mut().enumerate() {
                    let c = ctx.child(None, v);
                    if c == Ctx::Data {
                        continue;
                    }
                    let len = ptr.len();
                    ptr.push('/');
                    ptr.push_str(&i.to_string());
                    self.walk(v, ptr, c, file);
                    ptr.truncate(len);
                }
            }
            _ => {}
        }
    }

    /// A `discriminator.mapping` value is a reference too (or a bare schema name): one into
    /// another file (DigitalOcean: `models/domain_record_types.yml#/domain_record_a`) is
    /// bundled like a `$ref` and rewritten to the hoisted component, so that the mapping still
    /// names the member it maps to in the one bundled document.
    fn rebase_mapping(&mut self, node: &mut Value, ptr: &str, file: usize) {
        let Some(mapping) = node
            .get("discriminator")
            .and_then(|d| d.get("mapping"))
            .and_then(Value::as_object)
        else {
            return;
        };
        let refs: Vec<(String, String)> = mapping
            .iter()
            .filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            // A bare name (`Dog`) names a component; a root-internal `#/…` stays as it is.
            .filter(|(_, r)| r.contains(['#', '/', '.']) && !(file == 0 && r.starts_with('#')))
            .filter(|(_, r)| !is_remote(r))
            .collect();
        for (key, r) in refs {
            // Only a mapping that resolves is rewritten; the model reports one that does not.
            let resolves = match self.target(file, &r) {
                Ok(Target::Rewrite(_)) => true,
                Ok(Target::External(i, frag)) => self.files[i]
                    .value
                    .as_ref()
                    .and_then(|v| v.pointer(&frag))
                    .is_some_and(Value::is_object),
                _ => false,
            };
            if !resolves {
                continue;
            }
            let mut at = pointer::push(&pointer::push(ptr, "discriminator"), "mapping");
            at = pointer::push(&at, &key);
            let mut tmp = serde_json::json!({ "$ref": r });
            self.handle_ref(&mut tmp, &mut at, Ctx::Schema { top: false }, file, &r);
            let Some(new) = tmp.get("$ref").and_then(Value::as_str) else {
                continue;
            };
            if let Some(slot) = node
                .get_mut("discriminator")
                .and_then(|d| d.get_mut("mapping"))
                .and_then(|m| m.get_mut(&key))
            {
                *slot = Value::String(new.to_string());
            }
        }
    }

    /// Loads a file (once), if the `$ref` `r` may read it; `Err` carries why it cannot be used.
    fn load(&mut self, r: &str, path: &Path) -> Result<usize, Refusal> {
        let canon = self.root.check_ref(r, path)?;
        let unparsed = || {
            (
                "ref/missing-file",
                format!(
                    "`$ref: {r}`: {} could not be parsed (see the error above)",
                    path.display()
                ),
                "fix that file's syntax".to_string(),
            )
        };
        let not_a_document = || {
            (
                "ref/not-a-definition-file",
                format!(
                    "`$ref: {r}`: {} holds a single value, not a JSON or YAML document",
                    path.display()
                ),
                "refer to a JSON or YAML file that holds the definition's content".to_string(),
            )
        };
        if let Some(&i) = self.by_path.get(&canon) {
            return match &self.files[i].value {
                _ if i == 0 => Ok(i),
                Some(v) if v.is_object() || v.is_array() => Ok(i),
                Some(_) => Err(not_a_document()),
                None => Err(unparsed()),
            };
        }
        let bytes = confine::read_ref(r, path, &canon)?;
        let text = source::decode(path, &bytes, self.syntax_diags);
        let parsed = source::parse(path, text, self.syntax_diags);
        // A file whose whole content is one scalar (a text file that is valid YAML) is not
        // a definition: its content must never reach a diagnostic or the output.
        let scalar = parsed
            .value
            .as_ref()
            .is_some_and(|v| !(v.is_object() || v.is_array()));
        let ok = parsed.value.is_some();
        let i = self.files.len();
        self.files.push(FileRec {
            path: path.to_path_buf(),
            text: if scalar { String::new() } else { parsed.text },
            format: parsed.format,
            value: if scalar {
                Some(Value::Null)
            } else {
                parsed.value
            },
        });
        self.by_path.insert(canon, i);
        if scalar {
            Err(not_a_document())
        } else if ok {
            Ok(i)
        } else {
            Err(unparsed())
        }
    }

    /// Where a `$ref` written in `file` points.
    fn target(&mut self, file: usize, r: &str) -> Result<Target, Refusal> {
        let (path_part, frag) = match r.split_once('#') {
            Some((p, f)) => (p, f),
            None => (r, ""),
        };
        let frag = percent_decode_str(frag).decode_utf8_lossy().into_owned();
        if path_part.is_empty() {
            return Ok(if file == 0 {
                Target::Internal
            } else {
                Target::External(file, frag)
            });
        }
        let rel = percent_decode_str(path_part)
            .decode_utf8_lossy()
            .into_owned();
        let base = self.files[file]
            .path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let full = confine::clean(&base.join(&rel));
        match self.load(r, &full)? {
            0 => Ok(Target::Rewrite(format!("#{frag}"))),
            i => Ok(Target::External(i, frag)),
        }
    }

    fn set_ref(node: &mut Value, r: String) {
        if let Some(m) = node.as_object_mut() {
            m.insert("$ref".to_string(), Value::String(r));
        }
    }

    fn handle_ref(&mut self, node: &mut Value, ptr: &mut String, ctx: Ctx, file: usize, r: &str) {
        let at = pointer::push(ptr, "$ref");
        // Problems inside `x-` extensions do not affect the API: warnings only.
        let error = if ctx == Ctx::Extension {
            Severity::Warning
        } else {
            Severity::Error
        };
        if is_remote(r) {
            self.diag(
                Severity::Warning,
                "ref/remote-unsupported",
                format!("`$ref: {r}` points at a URL; remote references are not fetched"),
                Some("download the file and refer to it by a relative path"),
                &at,
            );
            *node = empty();
            return;
        }
        let (idx, frag) = match self.target(file, r) {
            Ok(Target::Internal) => return,
            Ok(Target::Rewrite(new)) => {
                Self::set_ref(node, new);
                return;
            }
            Ok(Target::External(i, f)) => (i, f),
            Err((code, msg, hint)) => {
                // Reading outside what is allowed is an error wherever the reference is.
                let severity = if code == "ref/missing-file" {
                    error
                } else {
                    Severity::Error
                };
                self.diag(severity, code, msg, Some(&hint), &at);
                *node = empty();
                return;
            }
        };
        if !(frag.is_empty() || frag.starts_with('/')) {
            self.diag(
                error,
                "ref/dangling",
                format!("`$ref: {r}`: only JSON-pointer fragments (`#/...`) are supported"),
                None,
                &at,
            );
            *node = empty();
            return;
        }
        // Copied only where it is used: a schema already hoisted is shared.
        let content = |files: &[FileRec]| {
            files[idx]
                .value
                .as_ref()
                .and_then(|v| v.pointer(&frag))
                .cloned()
                .unwrap_or_else(empty)
        };
        if self.files[idx]
            .value
            .as_ref()
            .and_then(|v| v.pointer(&frag))
            .is_none()
        {
            let file_name = self.files[idx].path.display().to_string();
            self.diag(
                error,
                "ref/dangling",
                format!("`$ref: {r}`: `#{frag}` does not exist in {file_name}"),
                Some("check the fragment after `#`"),
                &at,
            );
            *node = empty();
            return;
        }
        // A reference names an object (a schema, a parameter, …; `true`/`false` schemas
        // too), or text for a `description` / `summary` / `title` (DigitalOcean keeps its
        // `info.description` in a file of its own). A string or number anywhere else is data
        // from a file that may not be a definition at all: refused without copying it (later
        // diagnostics would echo it).
        let text_field = matches!(
            ptr.rsplit('/').next(),
            Some("description" | "summary" | "title")
        );
        if !text_field
            && self.files[idx]
                .value
                .as_ref()
                .and_then(|v| v.pointer(&frag))
                .is_some_and(|v| matches!(v, Value::String(_) | Value::Number(_) | Value::Null))
        {
            let file_name = self.files[idx].path.display().to_string();
            self.diag(
                error,
                "ref/not-an-object",
                format!("`$ref: {r}`: `#{frag}` in {file_name} is a single value, not an object"),
                Some("refer to a schema, parameter, response or other object"),
                &at,
            );
            *node = empty();
            return;
        }
        let key = (idx, frag.clone());
        if ctx.is_schema() {
            let entry_name = (ctx == Ctx::Schema { top: true })
                .then(|| {
                    ptr.strip_prefix(self.top_base)
                        .and_then(|s| s.strip_prefix('/'))
                })
                .flatten()
                .filter(|s| !s.contains('/'))
                .map(pointer::unescape);
            match (self.hoisted.get(&key).cloned(), entry_name) {
                (Some(name), Some(entry)) if name == entry => {}
                (None, Some(entry)) => {
                    self.hoisted.insert(key.clone(), entry);
                }
                (Some(name), _) => {
                    Self::set_ref(
                        node,
                        format!("#{}/{}", self.top_base, pointer::escape(&name)),
                    );
                    return;
                }
                (None, None) => {
                    let name = self.unique_name(&frag, idx);
                    self.hoisted.insert(key.clone(), name.clone());
                    let mut hp = format!("{}/{}", self.top_base, pointer::escape(&name));
                    self.mounts.insert(hp.clone(), key.clone());
                    let mut content = content(&self.files);
                    self.inlining.push(key);
                    self.walk(&mut content, &mut hp, Ctx::Schema { top: true }, idx);
                    self.inlining.pop();
                    self.pending.push((name.clone(), content));
                    Self::set_ref(
                        node,
                        format!("#{}/{}", self.top_base, pointer::escape(&name)),
                    );
                    return;
                }
            }
        }
        // Inline in place.
        if self.inlining.contains(&key) {
            self.diag(
                Severity::Error,
                "ref/cycle",
                format!("`$ref: {r}` refers back to content that includes it (a cycle of external references)"),
                Some("break the cycle; only schemas may be recursive"),
                &at,
            );
            *node = empty();
            return;
        }
        let size = self.files[idx]
            .value
            .as_ref()
            .and_then(|v| v.pointer(&frag))
            .map_or(0, |c| count_nodes(c, self.budget));
        if size > self.budget {
            if !self.exhausted {
                self.exhausted = true;
                self.diag(
                    Severity::Error,
                    "ref/too-large",
                    format!("`$ref: {r}`: external references copied in place would make the document larger than {INLINE_BUDGET} nodes; stopped here"),
                    Some("references to schemas are shared; other content is copied at each use, so avoid references that fan out"),
                    &at,
                );
            }
            *node = empty();
            return;
        }
        self.budget -= size;
        let mut content = content(&self.files);
        if let (Some(c), Some(siblings)) = (content.as_object_mut(), node.as_object()) {
            for (k, v) in siblings {
                if k != "$ref" {
                    c.insert(k.clone(), v.clone());
                }
            }
        }
        self.mounts.insert(ptr.clone(), key.clone());
        *node = content;
        self.inlining.push(key);
        self.walk(node, ptr, ctx, idx);
        self.inlining.pop();
    }

    fn unique_name(&mut self, frag: &str, file: usize) -> String {
        let from_frag = frag
            .rsplit('/')
            .find(|s| !s.is_empty())
            .map(pointer::unescape);
        let base = from_frag.unwrap_or_else(|| {
            self.files[file]
                .path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Schema".to_string())
        });
        let mut name = base.clone();
        if self.names.contains(&name) {
            let n = self.next_suffix.entry(base.clone()).or_insert(2);
            loop {
                name = format!("{base}{n}");
                *n += 1;
                if !self.names.contains(&name) {
                    break;
                }
            }
        }
        self.names.insert(name.clone());
        name
    }
}
