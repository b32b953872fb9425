//! Located diagnostics: every problem found in an input definition.

use std::fmt;
use std::path::PathBuf;

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Something was not representable and was approximated or skipped.
    Warning,
    /// The input (or a part of it) could not be used.
    Error,
}

/// A place in an input file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    /// The file (or URL) the problem is in.
    pub file: PathBuf,
    /// 1-based line; 0 when unknown.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    /// RFC 6901 JSON pointer to the offending node, inside `file`.
    pub json_pointer: String,
}

/// One problem in an input definition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Warning or error.
    pub severity: Severity,
    /// A short stable code, e.g. `load/json-syntax`, `ref/dangling`, `model/name-collision`.
    pub code: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where it is.
    pub location: Location,
    /// How to fix it, when we know.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error diagnostic.
    pub fn error(code: &'static str, message: impl Into<String>, location: Location) -> Self {
        Self {
            severity: Severity::Error,
            code,
            message: message.into(),
            location,
            hint: None,
        }
    }

    /// A new warning diagnostic.
    pub fn warning(code: &'static str, message: impl Into<String>, location: Location) -> Self {
        Self {
            severity: Severity::Warning,
            code,
            message: message.into(),
            location,
            hint: None,
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{sev}[{}]: {}", self.code, self.message)?;
        let l = &self.location;
        write!(f, "\n  --> {}", l.file.display())?;
        if l.line > 0 {
            write!(f, ":{}:{}", l.line, l.column)?;
        }
        if !l.json_pointer.is_empty() {
            write!(f, " (at #{})", l.json_pointer)?;
        }
        if let Some(h) = &self.hint {
            write!(f, "\n  = hint: {h}")?;
        }
        Ok(())
    }
}

/// Diagnostics collected while working on one input.
#[derive(Clone, Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }
    /// All diagnostics so far.
    pub fn items(&self) -> &[Diagnostic] {
        &self.items
    }
    /// True when any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
    /// Takes the collected diagnostics.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
    /// Appends many.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }
}
