//! connectorkit-generator: API definitions in, typed async Rust clients out.
//!
//! The pipeline is `load → normalize → model → emit`; each stage has its own folder:
//!
//! - [`load`]: bytes → JSON value with a line index; multi-file `$ref`s bundled.
//! - [`normalize`]: every input → one OpenAPI 3.0 document (`openapiv3`).
//! - [`model`]: the document → a [`model::Connector`] with every Rust name decided.
//! - [`emit`]: the connector → Rust source (quote + prettyplease) and crate files (askama).
//!
//! This crate is pure: no network, no printing. The CLI, the macro and build.rs are shells
//! around [`generate_crate`] and [`generate_module`].

pub mod build;
pub mod diagnostics;
pub mod emit;
pub mod import;
pub mod load;
pub mod model;
pub mod normalize;
mod options;
mod pointer;
pub mod routing;

use std::path::{Path, PathBuf};

pub use build::{compile, Config, ModuleFailure};
pub use diagnostics::{Diagnostic, Diagnostics, Location, Severity};
pub use load::LoadOptions;
pub use options::{OptionError, Options};

/// Where the generated crate gets the `connectorkit` runtime from.
#[derive(Clone, Debug)]
pub enum RuntimeDependency {
    /// A crates.io (or registry) version requirement.
    Version(String),
    /// A path, as written into Cargo.toml (relative to the generated crate).
    Path(String),
}

impl Default for RuntimeDependency {
    fn default() -> Self {
        RuntimeDependency::Version(env!("CARGO_PKG_VERSION").to_string())
    }
}

/// Options for generating a crate.
#[derive(Clone, Debug, Default)]
pub struct CrateOptions {
    /// The crate name; derived from the definition's title when `None`.
    pub name: Option<String>,
    /// The runtime dependency.
    pub runtime: RuntimeDependency,
    /// Also write `examples/conformance.rs`: a program that calls every action with
    /// schema-valid sample arguments against a mock server (Prism) and prints one JSON line
    /// per action (`generate --conformance`).
    pub conformance: bool,
    /// The Cargo registry the crate is published to: `publish = ["<registry>"]`, and the
    /// runtime (a [`RuntimeDependency::Version`]) taken from the same registry.
    pub registry: Option<String>,
    /// The crate's version (semver); the API's version made semver when `None`.
    pub version: Option<String>,
    /// `license` (an SPDX expression such as `MIT OR Apache-2.0`).
    pub license: Option<String>,
    /// `repository` (a URL).
    pub repository: Option<String>,
    /// `description`; "Typed async client for <title>" when `None`.
    pub description: Option<String>,
    /// `authors`.
    pub authors: Vec<String>,
}

impl CrateOptions {
    /// The options that make no sense: a version that is not semver, a registry name Cargo
    /// would refuse. Each message names the option.
    pub fn check(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(v) = &self.version {
            if !emit::crate_files::is_semver(v) {
                out.push(format!(
                    "--crate-version `{v}` is not a semver version (such as `1.2.0` or `0.3.0-beta.1`)"
                ));
            }
        }
        if let Some(r) = &self.registry {
            let ok = !r.is_empty()
                && r.starts_with(|c: char| c.is_ascii_alphabetic())
                && r.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                out.push(format!(
                    "--registry `{r}` is not a registry name (letters, digits, `-` and `_`, starting with a letter)"
                ));
            }
        }
        if let Some(n) = &self.name {
            let ok = !n.is_empty()
                && n.len() <= MAX_CRATE_NAME
                && n.starts_with(|c: char| c.is_ascii_alphabetic())
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                out.push(format!(
                    "--name `{n}` is not a crate name (letters, digits, `-` and `_`, starting with a letter, at most {MAX_CRATE_NAME} characters)"
                ));
            }
        }
        out
    }
}

/// One file of a generated crate.
#[derive(Clone, Debug)]
pub struct GeneratedFile {
    /// Path relative to the crate root.
    pub path: PathBuf,
    /// Content.
    pub contents: String,
}

/// A generated crate, ready to be written.
#[derive(Clone, Debug)]
pub struct GeneratedCrate {
    /// The crate name.
    pub name: String,
    /// Its files.
    pub files: Vec<GeneratedFile>,
    /// Warnings (and errors in parts that were skipped).
    pub diagnostics: Vec<Diagnostic>,
    /// Every file read (for rerun-if-changed).
    pub inputs: Vec<PathBuf>,
    /// Number of actions.
    pub actions: usize,
    /// Number of named types.
    pub types: usize,
}

/// Generation failed: nothing usable could be produced.
#[derive(Clone, Debug)]
pub struct Failure {
    /// Why (at least one error).
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Failure {}

/// A definition taken through load, normalize and model.
#[derive(Clone, Debug)]
pub struct Prepared {
    /// The model.
    pub connector: model::Connector,
    /// The normalized OpenAPI 3.0 document.
    pub normalized: normalize::Normalized,
    /// Every file read.
    pub inputs: Vec<PathBuf>,
    /// Diagnostics so far.
    pub diagnostics: Vec<Diagnostic>,
    /// How the input is named in generated docs.
    pub source_name: String,
}

/// Loads, normalizes and models a definition file, or a Power Platform connector folder
/// (the folder's `*.swagger.json`, found case-insensitively).
/// External `$ref`s are confined to the input's folder; see [`prepare_file_with`].
pub fn prepare_file(path: &Path) -> Result<Prepared, Failure> {
    prepare_file_with(path, &LoadOptions::default())
}

/// [`prepare_file`] with load options (`ref_root`: the folder `$ref`s may read from).
pub fn prepare_file_with(path: &Path, load_options: &LoadOptions) -> Result<Prepared, Failure> {
    on_big_stack(|| prepare_file_here(path, load_options))
}

/// The stack every stage may use: definitions nest up to 2,048 levels (the loader's limit)
/// and the stages walk them recursively. Only the pages touched are ever committed.
const STACK: usize = 256 << 20;

/// Runs `f` on a thread with a [`STACK`]-sized stack, so deep definitions read the same
/// from a test thread (2 MiB), a build script or a proc macro as from the CLI.
fn on_big_stack<T: Send, E: Send + From<Failure>>(
    f: impl FnOnce() -> Result<T, E> + Send,
) -> Result<T, E> {
    std::thread::scope(|s| {
        let handle = std::thread::Builder::new()
            .name("connectorkit-generator".into())
            .stack_size(STACK)
            .spawn_scoped(s, f)
            .map_err(|e| {
                E::from(Failure {
                    diagnostics: vec![Diagnostic::error(
                        "internal/thread",
                        format!("cannot start the generator's thread: {e}"),
                        Location::default(),
                    )],
                })
            })?;
        match handle.join() {
            Ok(v) => v,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

fn prepare_file_here(path: &Path, load_options: &LoadOptions) -> Result<Prepared, Failure> {
    let mut diags = Diagnostics::default();
    if path.is_dir() {
        if is_postman_yaml_collection(path) {
            diags.push(
                Diagnostic::error(
                    "load/postman-yaml-collection",
                    format!(
                        "{} is a multi-file YAML Postman collection (collections schema 3.0.0: `.resources/definition.yaml`, `*.request.yaml`); that format is not supported yet",
                        path.display()
                    ),
                    Location {
                        file: path.to_path_buf(),
                        ..Location::default()
                    },
                )
                .with_hint("export the collection from Postman as Collection v2.1 (JSON) and give that file"),
            );
            return Err(Failure {
                diagnostics: diags.into_vec(),
            });
        }
        let definition = connector_definition(path);
        let Some(definition) = definition else {
            diags.push(
                Diagnostic::error(
                    "load/no-definition-in-folder",
                    format!("{} holds no `*.swagger.json` file", path.display()),
                    Location {
                        file: path.to_path_buf(),
                        ..Location::default()
                    },
                )
                .with_hint(
                    "a connector folder holds apiDefinition.swagger.json and apiProperties.json",
                ),
            );
            return Err(Failure {
                diagnostics: diags.into_vec(),
            });
        };
        // The folder's files must be in the folder (or the ref root): not symlinks elsewhere.
        let folder_root = load_options.ref_root.as_deref().unwrap_or(path);
        if let Some(outside) = [
            Some(definition.clone()),
            find_case_insensitive(path, |n| n == "apiproperties.json"),
        ]
        .into_iter()
        .flatten()
        .find(|f| !is_inside(folder_root, f))
        {
            diags.push(
                Diagnostic::error(
                    "load/outside-folder",
                    format!(
                        "{} leads outside {} (a symbolic link?); it is not read",
                        outside.display(),
                        folder_root.display()
                    ),
                    Location {
                        file: outside.clone(),
                        ..Location::default()
                    },
                )
                .with_hint("put the file itself in the connector folder"),
            );
            return Err(Failure {
                diagnostics: diags.into_vec(),
            });
        }
        let loaded = load::load_file_with(&definition, load_options, &mut diags);
        let mut prepared = prepare_loaded(loaded, &definition, diags)?;
        if let Some(props) = find_case_insensitive(path, |n| n == "apiproperties.json") {
            let mut pdiags = Diagnostics::default();
            if let Some((value, sources)) = load::load_plain_file(&props, &mut pdiags) {
                model::powerplatform::apply(&mut prepared.connector, &value, &sources, &mut pdiags);
            }
            prepared.diagnostics.extend(pdiags.into_vec());
            if prepared.diagnostics.iter().any(routing::refuses) {
                return Err(Failure {
                    diagnostics: prepared.diagnostics,
                });
            }
            prepared.inputs.push(props);
        }
        prepared.source_name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_else(|| prepared.source_name.clone());
        return Ok(prepared);
    }
    let loaded = load::load_file_with(path, load_options, &mut diags);
    prepare_loaded(loaded, path, diags)
}

/// True when `file` (symbolic links resolved) is inside `dir`.
fn is_inside(dir: &Path, file: &Path) -> bool {
    match (std::fs::canonicalize(dir), std::fs::canonicalize(file)) {
        (Ok(d), Ok(f)) => f.starts_with(d),
        _ => false,
    }
}

fn find_case_insensitive(dir: &Path, pred: impl Fn(&str) -> bool) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| {
            p.file_name()
                .map(|n| pred(&n.to_string_lossy().to_ascii_lowercase()))
                .unwrap_or(false)
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// A folder written by `postman collection migrate`: `.resources/definition.yaml`, or
/// `*.request.yaml` files (at the top or one level down).
fn is_postman_yaml_collection(dir: &Path) -> bool {
    if dir.join(".resources").join("definition.yaml").is_file() {
        return true;
    }
    let request_yaml = |d: &Path| {
        std::fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .to_ascii_lowercase()
                    .ends_with(".request.yaml")
            })
    };
    request_yaml(dir)
        || std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .any(|e| e.path().is_dir() && request_yaml(&e.path()))
}

/// The definition file of a connector folder.
fn connector_definition(dir: &Path) -> Option<PathBuf> {
    find_case_insensitive(dir, |n| n == "apidefinition.swagger.json")
        .or_else(|| find_case_insensitive(dir, |n| n.ends_with(".swagger.json")))
}

/// Loads, normalizes and models a definition held in memory; `name` locates diagnostics and
/// is the base for relative `$ref`s.
pub fn prepare_bytes(name: &Path, bytes: &[u8]) -> Result<Prepared, Failure> {
    prepare_bytes_with(name, bytes, &LoadOptions::default())
}

/// [`prepare_bytes`] with load options. A `name` that is an `http(s)://` URL reads no local
/// file: its external `$ref`s are refused with a located error.
pub fn prepare_bytes_with(
    name: &Path,
    bytes: &[u8],
    load_options: &LoadOptions,
) -> Result<Prepared, Failure> {
    on_big_stack(|| {
        let mut diags = Diagnostics::default();
        let loaded = load::load_bytes_with(name, bytes, load_options, &mut diags);
        prepare_loaded(loaded, name, diags)
    })
}

fn prepare_loaded(
    loaded: Option<load::Loaded>,
    path: &Path,
    mut diags: Diagnostics,
) -> Result<Prepared, Failure> {
    let fail = |diags: Diagnostics| Failure {
        diagnostics: diags.into_vec(),
    };
    let Some(loaded) = loaded else {
        return Err(fail(diags));
    };
    let Some(normalized) = normalize::normalize(&loaded, &mut diags) else {
        return Err(fail(diags));
    };
    let connector = model::build(
        &normalized.openapi,
        &normalized.value,
        &loaded.sources,
        &mut diags,
    );
    // A request that would go somewhere other than where the definition appears to send
    // it refuses the definition.
    if diags.items().iter().any(routing::refuses) {
        return Err(fail(diags));
    }
    let source_name = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    Ok(Prepared {
        connector,
        normalized,
        inputs: loaded.sources.paths_read(),
        diagnostics: diags.into_vec(),
        source_name,
    })
}

/// A short crate name from a definition's title (`fallback`, the file or folder stem, when
/// the title says nothing): decided in the model, see [`model::names::crate_name`].
pub fn crate_name_for(title: &str, fallback: &str) -> String {
    model::names::crate_name(title, fallback)
}

pub use model::names::MAX_CRATE_NAME;

impl Prepared {
    /// Keeps the actions `options` select (tags, actions, internal ones) and the types they
    /// need. A tag or action the definition does not have is an `options/…` error.
    pub fn select(&mut self, options: &Options) -> Result<(), Failure> {
        options
            .apply(&mut self.connector, &self.normalized)
            .map_err(|errors| {
                let location = Location {
                    file: self.inputs.first().cloned().unwrap_or_default(),
                    ..Location::default()
                };
                Failure {
                    diagnostics: errors
                        .into_iter()
                        .map(|e| {
                            let code = match e {
                                OptionError::UnknownTag { .. } => "options/unknown-tag",
                                OptionError::UnknownAction { .. } => "options/unknown-action",
                            };
                            Diagnostic::error(code, e.to_string(), location.clone())
                        })
                        .collect(),
                }
            })
    }

    /// The round-trip harness of the crate called `crate_name` (see [`emit::roundtrip`]):
    /// `examples/roundtrip_<crate>.rs`, `roundtrip/types.json` and the normalized document the
    /// type pointers point into, `roundtrip/openapi.json`.
    pub fn roundtrip_files(&self, crate_name: &str) -> Result<Vec<GeneratedFile>, Failure> {
        let internal = |msg: String| internal_failure(&self.inputs, msg);
        let document = serde_json::to_string(&self.normalized.value)
            .map_err(|e| internal(format!("internal error: normalized document: {e}")))?;
        Ok(vec![
            GeneratedFile {
                path: emit::roundtrip::program_path(crate_name).into(),
                contents: emit::roundtrip::program(&self.connector, crate_name)
                    .map_err(internal)?,
            },
            GeneratedFile {
                path: emit::roundtrip::TYPES.into(),
                contents: emit::roundtrip::type_list(&self.connector).map_err(internal)?,
            },
            GeneratedFile {
                path: "roundtrip/openapi.json".into(),
                contents: document,
            },
        ])
    }

    /// Emits the crate files.
    pub fn into_crate(self, options: &CrateOptions) -> Result<GeneratedCrate, Failure> {
        on_big_stack(|| self.into_crate_here(options))
    }

    fn into_crate_here(self, options: &CrateOptions) -> Result<GeneratedCrate, Failure> {
        let c = &self.connector;
        let stem = Path::new(&self.source_name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = options
            .name
            .clone()
            .unwrap_or_else(|| crate_name_for(&c.title, &stem));
        let inputs = self.inputs.clone();
        let internal = |msg: String| internal_failure(&inputs, msg);
        let problems = options.check();
        if !problems.is_empty() {
            let location = Location {
                file: inputs.first().cloned().unwrap_or_default(),
                ..Location::default()
            };
            return Err(Failure {
                diagnostics: problems
                    .into_iter()
                    .map(|p| Diagnostic::error("options/crate", p, location.clone()))
                    .collect(),
            });
        }
        let runtime = match (&options.runtime, &options.registry) {
            // The runtime's `macros` feature (the generator inside `connector!`) is not
            // needed by a generated crate.
            (RuntimeDependency::Version(v), Some(r)) => format!(
                "{{ version = {}, registry = {}, default-features = false }}",
                emit::crate_files::toml_string(v),
                emit::crate_files::toml_string(r)
            ),
            (RuntimeDependency::Version(v), None) => format!(
                "{{ version = {}, default-features = false }}",
                emit::crate_files::toml_string(v)
            ),
            (RuntimeDependency::Path(p), _) => format!(
                "{{ path = {}, default-features = false }}",
                emit::crate_files::toml_string(p)
            ),
        };
        let sources = emit::sources(c, &self.source_name).map_err(internal)?;
        let meta = emit::crate_files::Metadata {
            version: options.version.as_deref(),
            description: options.description.as_deref(),
            license: options.license.as_deref(),
            repository: options.repository.as_deref(),
            authors: &options.authors,
            registry: options.registry.as_deref(),
        };
        let cargo = emit::crate_files::cargo_toml(c, &name, &self.source_name, &runtime, &meta)
            .map_err(internal)?;
        let samples = model::samples::samples(c, &self.normalized.value);
        let example = emit::conformance::crate_example(c, &samples, &name.replace('-', "_"))
            .map_err(internal)?;
        let readme = emit::crate_files::readme(
            c,
            &name,
            &meta,
            &self.source_name,
            &emit::default_base_url(c),
            &example,
        )
        .map_err(internal)?;
        let mut cargo = cargo;
        let mut extra = Vec::new();
        if options.conformance {
            let program = emit::conformance::program(c, &samples, &name.replace('-', "_"))
                .map_err(internal)?;
            cargo.push_str(&emit::crate_files::conformance_manifest(&name));
            extra.push(GeneratedFile {
                path: "examples/conformance.rs".into(),
                contents: program,
            });
        }
        let mut files = vec![
            GeneratedFile {
                path: "Cargo.toml".into(),
                contents: cargo,
            },
            GeneratedFile {
                path: "README.md".into(),
                contents: readme,
            },
            GeneratedFile {
                path: "src/lib.rs".into(),
                contents: sources.lib,
            },
            GeneratedFile {
                path: "src/client.rs".into(),
                contents: sources.client,
            },
            GeneratedFile {
                path: "src/types.rs".into(),
                contents: sources.types,
            },
        ];
        files.extend(
            sources
                .modules
                .into_iter()
                .map(|(name, contents)| GeneratedFile {
                    path: format!("src/client/{name}.rs").into(),
                    contents,
                }),
        );
        files.extend(extra);
        Ok(GeneratedCrate {
            name,
            files,
            actions: c.actions.len(),
            types: c.types.len(),
            diagnostics: self.diagnostics,
            inputs: self.inputs,
        })
    }
}

/// A generator bug met while emitting: located at the definition it was working on, with a
/// hint to report it (the input is fine; the code generated from it was not).
fn internal_failure(inputs: &[PathBuf], msg: String) -> Failure {
    let location = Location {
        file: inputs.first().cloned().unwrap_or_default(),
        ..Location::default()
    };
    Failure {
        diagnostics: vec![Diagnostic::error("emit/internal", msg, location).with_hint(
            "this is a connectorkit bug, not a fault of the definition: please report it with the definition attached",
        )],
    }
}

/// Generates a crate from a definition file.
pub fn generate_crate(path: &Path, options: &CrateOptions) -> Result<GeneratedCrate, Failure> {
    on_big_stack(|| prepare_file_here(path, &LoadOptions::default())?.into_crate_here(options))
}

/// Generates one self-contained module body (for build.rs output and the macro).
pub fn generate_module(path: &Path) -> Result<(String, Prepared), Failure> {
    on_big_stack(|| {
        let prepared = prepare_file_here(path, &LoadOptions::default())?;
        let module = emit::module(&prepared.connector, &prepared.source_name)
            .map_err(|msg| internal_failure(&prepared.inputs, msg))?;
        Ok((module, prepared))
    })
}

/// Generates one module body with [`Options`] applied (tag and action filters).
pub fn generate_module_with(
    path: &Path,
    options: &Options,
) -> Result<(String, Prepared), ModuleFailure> {
    generate_module_with_load(path, &LoadOptions::default(), options)
}

/// [`generate_module_with`] with load options (`ref_root`).
pub fn generate_module_with_load(
    path: &Path,
    load_options: &LoadOptions,
    options: &Options,
) -> Result<(String, Prepared), ModuleFailure> {
    on_big_stack(|| {
        let mut prepared =
            prepare_file_here(path, load_options).map_err(ModuleFailure::Definition)?;
        options
            .apply(&mut prepared.connector, &prepared.normalized)
            .map_err(ModuleFailure::Options)?;
        let module = emit::module(&prepared.connector, &prepared.source_name)
            .map_err(|msg| ModuleFailure::Definition(internal_failure(&prepared.inputs, msg)))?;
        Ok((module, prepared))
    })
}
