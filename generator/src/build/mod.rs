//! The build.rs API, in the style of prost-build: [`compile`] for the simple case, [`Config`]
//! for the rest.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), connectorkit_generator::build::Error> {
//!     connectorkit_generator::compile("api/petstore.yaml")?;
//!     connectorkit_generator::Config::new()
//!         .input("connectors/Contoso")
//!         .module("contoso")
//!         .tags(["Orders"])
//!         .generate()?;
//!     Ok(())
//! }
//! ```
//!
//! Each input becomes `OUT_DIR/<module>.rs` (the module name defaults to the file or folder
//! name in snake case), starting with an `@generated` line and rewritten only when its
//! content changes. Pull it in with `include!`, or `connectorkit::include_connector!`:
//!
//! ```ignore
//! pub mod petstore {
//!     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
//! }
//! pub mod contoso {
//!     connectorkit::include_connector!("contoso");
//! }
//! ```
//!
//! Under Cargo (when `OUT_DIR` is set) it prints `cargo:rerun-if-changed` for every file
//! read: the definition, each file it `$ref`s, and a connector folder's `apiProperties.json`.

mod write;

use std::io::Write;
use std::path::{Path, PathBuf};

pub use write::write_if_changed;

use crate::options::{OptionError, Options};
use crate::{Diagnostic, Failure};

/// Why a build.rs generation failed. `Debug` prints the same text as `Display`, so that
/// `fn main() -> Result<(), Error>` shows a readable message.
pub enum Error {
    /// No input was given to [`Config`].
    NoInput,
    /// `OUT_DIR` is not set and no [`Config::out_dir`] was given.
    NoOutDir,
    /// The definition could not be used.
    Definition {
        /// The input as given.
        input: PathBuf,
        /// What was wrong, located.
        diagnostics: Vec<Diagnostic>,
    },
    /// An option names a tag or action the definition does not have.
    Option {
        /// The input as given.
        input: PathBuf,
        /// Each problem.
        errors: Vec<OptionError>,
    },
    /// The output could not be written.
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        error: std::io::Error,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::NoInput => write!(
                f,
                "connectorkit: no input (hint: `Config::new().input(\"api/x.json\")`)"
            ),
            Error::NoOutDir => write!(
                f,
                "connectorkit: OUT_DIR is not set (hint: run from a build.rs, or set `Config::out_dir`)"
            ),
            Error::Definition { input, diagnostics } => {
                write!(f, "connectorkit: cannot generate {}", input.display())?;
                for d in diagnostics.iter().filter(|d| d.is_error()) {
                    write!(f, "\n{d}")?;
                }
                Ok(())
            }
            Error::Option { input, errors } => {
                write!(f, "connectorkit: bad options for {}", input.display())?;
                for e in errors {
                    write!(f, "\n{e}")?;
                }
                Ok(())
            }
            Error::Io { path, error } => {
                write!(f, "connectorkit: cannot write {}: {error}", path.display())
            }
        }
    }
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {}

/// What one [`Config::generate`] produced.
#[derive(Clone, Debug)]
pub struct Generated {
    /// The file written (or left as it was).
    pub path: PathBuf,
    /// Whether its content changed.
    pub written: bool,
    /// Every file read.
    pub inputs: Vec<PathBuf>,
    /// Warnings about the definition.
    pub diagnostics: Vec<Diagnostic>,
}

/// Generates `OUT_DIR/<stem>.rs` from one definition file or connector folder, with the
/// default options. Relative paths are relative to `CARGO_MANIFEST_DIR`.
pub fn compile(input: impl AsRef<Path>) -> Result<Generated, Error> {
    Config::new().input(input.as_ref()).generate()
}

/// Builder for build.rs generation.
#[derive(Clone, Debug, Default)]
pub struct Config {
    input: Option<PathBuf>,
    module: Option<String>,
    out_dir: Option<PathBuf>,
    options: Options,
    ref_root: Option<PathBuf>,
    rerun_if_changed: Option<bool>,
}

impl Config {
    /// A configuration with the defaults: every action, output in `OUT_DIR`.
    pub fn new() -> Self {
        Self::default()
    }

    /// The definition file or Power Platform connector folder (relative to
    /// `CARGO_MANIFEST_DIR`).
    pub fn input(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.input = Some(path.as_ref().to_path_buf());
        self
    }

    /// The output file's name without `.rs` (default: the input's name in snake case).
    pub fn module(&mut self, name: impl Into<String>) -> &mut Self {
        self.module = Some(name.into());
        self
    }

    /// Where to write (default: `OUT_DIR`); use a folder in `src/` to commit the output.
    pub fn out_dir(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Keeps only actions with one of these tags.
    pub fn tags<S: Into<String>>(&mut self, tags: impl IntoIterator<Item = S>) -> &mut Self {
        self.options.tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Leaves out actions with one of these tags.
    pub fn exclude_tags<S: Into<String>>(
        &mut self,
        tags: impl IntoIterator<Item = S>,
    ) -> &mut Self {
        self.options.exclude_tags = tags.into_iter().map(Into::into).collect();
        self
    }

    /// Keeps only these actions (by `operationId` or method name).
    pub fn actions<S: Into<String>>(&mut self, names: impl IntoIterator<Item = S>) -> &mut Self {
        self.options.actions = names.into_iter().map(Into::into).collect();
        self
    }

    /// The folder the definition's external `$ref`s may read from (relative to
    /// `CARGO_MANIFEST_DIR`); default: the folder of the input. A multi-file tree whose entry
    /// refers to `../common/…` needs the tree's top here.
    pub fn ref_root(&mut self, dir: impl AsRef<Path>) -> &mut Self {
        self.ref_root = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Whether operations marked `x-ms-visibility: internal` are generated (default: yes).
    pub fn internal(&mut self, keep: bool) -> &mut Self {
        self.options.internal = keep;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` lines (default: when `OUT_DIR` is set).
    pub fn emit_rerun_if_changed(&mut self, on: bool) -> &mut Self {
        self.rerun_if_changed = Some(on);
        self
    }

    /// Generates, printing the cargo directives to stdout.
    pub fn generate(&self) -> Result<Generated, Error> {
        self.generate_to(&mut std::io::stdout())
    }

    /// Generates, writing the cargo directives to `directives`.
    pub fn generate_to(&self, directives: &mut dyn Write) -> Result<Generated, Error> {
        let input = self.input.clone().ok_or(Error::NoInput)?;
        let manifest = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        let path = match &manifest {
            Some(m) => m.join(&input),
            None => input.clone(),
        };
        let out_dir = match (&self.out_dir, std::env::var_os("OUT_DIR")) {
            (Some(d), _) => match &manifest {
                Some(m) => m.join(d),
                None => d.clone(),
            },
            (None, Some(d)) => PathBuf::from(d),
            (None, None) => return Err(Error::NoOutDir),
        };
        let rerun = self
            .rerun_if_changed
            .unwrap_or_else(|| std::env::var_os("OUT_DIR").is_some());
        let mut say = |line: String| {
            let _ = writeln!(directives, "{line}");
        };
        if rerun {
            say(format!("cargo:rerun-if-changed={}", path.display()));
        }
        let load_options = crate::LoadOptions {
            ref_root: self.ref_root.as_ref().map(|r| match &manifest {
                Some(m) => m.join(r),
                None => r.clone(),
            }),
        };
        let (code, prepared) =
            crate::generate_module_with_load(&path, &load_options, &self.options).map_err(
                |failure| match failure {
                    ModuleFailure::Definition(Failure { diagnostics }) => Error::Definition {
                        input: input.clone(),
                        diagnostics,
                    },
                    ModuleFailure::Options(errors) => Error::Option {
                        input: input.clone(),
                        errors,
                    },
                },
            )?;
        // An error anywhere (a refused `$ref`, a dangling one) fails the build, as it fails
        // the CLI: a client with parts silently missing is not generated.
        if prepared.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Error::Definition {
                input,
                diagnostics: prepared.diagnostics,
            });
        }
        if rerun {
            for file in &prepared.inputs {
                if file != &path {
                    say(format!("cargo:rerun-if-changed={}", file.display()));
                }
            }
        }
        let module = self
            .module
            .clone()
            .unwrap_or_else(|| module_name_for(&path));
        let target = out_dir.join(format!("{module}.rs"));
        let written = write_if_changed(&target, code.as_bytes()).map_err(|error| Error::Io {
            path: target.clone(),
            error,
        })?;
        let warnings = prepared
            .diagnostics
            .iter()
            .filter(|d| !d.is_error())
            .count();
        if rerun && warnings > 0 {
            say(format!(
                "cargo:warning=connectorkit: {warnings} warning(s) for {} (run `connectorkit validate` to see them)",
                input.display()
            ));
        }
        Ok(Generated {
            path: target,
            written,
            inputs: prepared.inputs,
            diagnostics: prepared.diagnostics,
        })
    }
}

/// Why [`crate::generate_module_with`] failed.
#[derive(Clone, Debug)]
pub enum ModuleFailure {
    /// The definition could not be used.
    Definition(Failure),
    /// The options name tags or actions the definition lacks.
    Options(Vec<OptionError>),
}

impl From<Failure> for ModuleFailure {
    fn from(f: Failure) -> Self {
        ModuleFailure::Definition(f)
    }
}

/// `Power Platform/Impexium` → `impexium`, `api/pet-store.v2.yaml` → `pet_store_v2`.
pub fn module_name_for(path: &Path) -> String {
    let stem = if path.is_dir() {
        path.file_name()
    } else {
        path.file_stem()
    };
    let stem = stem.map(|s| s.to_string_lossy()).unwrap_or_default();
    let cleaned: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let snake = heck::ToSnakeCase::to_snake_case(cleaned.as_str());
    if snake.is_empty() {
        "api".to_string()
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api_{snake}")
    } else {
        snake
    }
}

#[cfg(test)]
mod tests;
