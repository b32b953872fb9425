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
    /// Leave out actions with one of these tags.
    pub exclude_tags: Vec<String>,
    /// Keep operations marked `x-ms-visibility: internal` (default: true).
    pub internal: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            tags: Vec::new(),
            actions: Vec::new(),
            exclude_tags: Vec::new(),
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
            .chain(&self.exclude_tags)
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
        let keep: Vec<bool> = connector
            .actions
            .iter()
            .map(|a| {
                (self.tags.is_empty() || a.tags.iter().any(|t| self.tags.contains(t)))
                    && !a.tags.iter().any(|t| self.exclude_tags.contains(t))
                    && (self.actions.is_empty()
                        || self.actions.iter().any(|n| {
                            a.ident == *n || a.operation_id.as_deref() == Some(n.as_str())
                        }))
                    && (self.internal || !is_internal(normalized, &a.method, &a.path))
            })
            .collect();
        if keep.iter().all(|k| *k) {
            return Ok(());
        }
        // Old action index → new one; a `…_choices` helper stays when both its action and
        // the listing action it calls stay.
        let mut new_index = Vec::with_capacity(keep.len());
        let mut next = 0;
        for k in &keep {
            new_index.push(k.then_some(next));
            next += usize::from(*k);
        }
        let mut i = 0;
        connector.actions.retain(|_| {
            i += 1;
            keep[i - 1]
        });
        connector
            .choices
            .retain_mut(|h| match (new_index[h.action], new_index[h.source]) {
                (Some(a), Some(s)) => {
                    h.action = a;
                    h.source = s;
                    true
                }
                _ => false,
            });
        // A listing action no helper calls any more needs no JSON twin.
        let listing: BTreeSet<usize> = connector.choices.iter().map(|h| h.source).collect();
        for (i, a) in connector.actions.iter_mut().enumerate() {
            if !listing.contains(&i) {
                a.json_twin = None;
            }
        }
        // The modules and each type's need are computed again; types that only left-out
        // actions used go.
        crate::model::modules::assign(connector, &normalized.value);
        crate::model::modules::drop_unused_types(connector);
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
