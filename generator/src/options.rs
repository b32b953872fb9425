//! Generation options shared by the build.rs API and the `connector!` macro: which actions
//! to keep (by tag, by name, internal or not).

use std::collections::BTreeSet;

use crate::model::Connector;
use crate::normalize::Normalized;

/// What to generate from a definition. The default keeps every action, like the CLI.
#[derive(Clone, Debug)]
pub struct Options {
    /// Keep only actions with one of these tags (empty: every tag).
    pub tags: Vec<String>,
    /// Keep only these actions, by `operationId` or Rust method name (empty: every action).
    pub actions: Vec<String>,
    /// Keep operations marked `x-ms-visibility: internal` (default: true).
    pub internal: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tags: Vec::new(),
            actions: Vec::new(),
            internal: true,
        }
    }
}

/// An option names something the definition does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OptionError {
    /// A tag no operation carries.
    UnknownTag {
        /// The tag asked for.
        tag: String,
        /// The tags the definition has.
        known: Vec<String>,
    },
    /// An action that is not in the definition.
    UnknownAction {
        /// The action asked for.
        action: String,
    },
}

impl std::fmt::Display for OptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OptionError::UnknownTag { tag, known } if known.is_empty() => {
                write!(
                    f,
                    "unknown tag `{tag}`: no operation of the definition has a tag"
                )
            }
            OptionError::UnknownTag { tag, known } => write!(
                f,
                "unknown tag `{tag}`; the definition's tags are: {}",
                known.join(", ")
            ),
            OptionError::UnknownAction { action } => write!(
                f,
                "unknown action `{action}`: no operation has this operationId or method name"
            ),
        }
    }
}

impl Options {
    /// Removes the actions these options leave out. Every tag and action named must exist.
    pub fn apply(
        &self,
        connector: &mut Connector,
        normalized: &Normalized,
    ) -> Result<(), Vec<OptionError>> {
        let known_tags: BTreeSet<&str> = connector
            .actions
            .iter()
            .flat_map(|a| a.tags.iter().map(String::as_str))
            .collect();
        let mut errors: Vec<OptionError> = self
            .tags
            .iter()
            .filter(|t| !known_tags.contains(t.as_str()))
            .map(|t| OptionError::UnknownTag {
                tag: t.clone(),
                known: known_tags.iter().map(|s| s.to_string()).collect(),
            })
            .collect();
        errors.extend(
            self.actions
                .iter()
                .filter(|n| {
                    !connector
                        .actions
                        .iter()
                        .any(|a| a.ident == **n || a.operation_id.as_deref() == Some(n.as_str()))
                })
                .map(|n| OptionError::UnknownAction { action: n.clone() }),
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        connector.actions.retain(|a| {
            (self.tags.is_empty() || a.tags.iter().any(|t| self.tags.contains(t)))
                && (self.actions.is_empty()
                    || self
                        .actions
                        .iter()
                        .any(|n| a.ident == *n || a.operation_id.as_deref() == Some(n.as_str())))
                && (self.internal || !is_internal(normalized, &a.method, &a.path))
        });
        Ok(())
    }
}

/// True when the operation carries `x-ms-visibility: internal` (Power Platform).
fn is_internal(normalized: &Normalized, method: &str, path: &str) -> bool {
    normalized
        .value
        .get("paths")
        .and_then(|p| p.get(path))
        .and_then(|item| item.get(method.to_ascii_lowercase()))
        .and_then(|op| op.get("x-ms-visibility"))
        .and_then(|v| v.as_str())
        == Some("internal")
}
