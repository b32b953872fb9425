//! Modules: the groups a client's actions fall into, and which of them need each type.
//!
//! An action belongs to the module of its first tag (Postman folders are tags too: a nested
//! folder's requests are in its top folder's module), or, when
//! it has none, of its path's first segment that says something (`/v1/charges/{id}` →
//! `charges`). In a generated crate each module is a source file (`src/client/<module>.rs`)
//! and a cargo feature of the same name, so that a user compiles only the parts of a large
//! API they call; `full` (the default) turns every module on. A named type is compiled when a
//! module that needs it is on: the types each module needs are the closure of the types its
//! actions mention. The schemas no action mentions (GitHub's webhook payloads) have a
//! feature of their own, `all-schemas`, off by default.
//!
//! With fewer than two modules there is nothing to choose between, and a crate has no
//! module features.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use super::names::{snake_ident, Namer};
use super::{Action, BodyKind, Connector, Outcome, ResponseBody, RustType, TypeDef};

/// Names a module cannot have: the crate's own files and features, and what its code uses.
const RESERVED: &[&str] = &[
    "client",
    "types",
    "lib",
    "full",
    "default",
    "connectorkit",
    "serde",
    "serde_json",
    "std",
    "core",
    "alloc",
];

/// Path segments that say nothing about what an action does.
fn is_filler(segment: &str) -> bool {
    let s = segment.to_ascii_lowercase();
    let version = s.strip_prefix('v').is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit() || c == '.')
    });
    // A date or number (`/2015-03-31/functions`): a version too.
    let dated = s
        .chars()
        .all(|c| c.is_ascii_digit() || c == '-' || c == '.');
    version
        || dated
        || s.is_empty()
        || s.starts_with('{')
        || s.starts_with(':')
        || matches!(s.as_str(), "api" | "apis" | "rest" | "services" | "odata")
}

/// One module of a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    /// Its name: a snake_case identifier, the file `src/client/<name>.rs` and the cargo
    /// feature.
    pub name: String,
    /// What it groups, for docs: the tag as written, or the path segment (`/charges`).
    pub label: String,
    /// The tag's description, if the definition gives one.
    pub doc: Option<String>,
    /// How many actions it has.
    pub actions: usize,
    /// Other modules (indexes) its helpers call into (a `…_choices` helper listing through
    /// another module's action): its feature turns theirs on.
    pub requires: Vec<usize>,
}

/// Which modules need a named type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Need {
    /// Every build of the crate: an item outside the modules (a webhook trigger) uses it,
    /// or every module does.
    Always,
    /// These modules (indexes, ascending), not all of them.
    Modules(Vec<usize>),
    /// No action: a schema of the definition no action refers to (a crate compiles it with
    /// its `all-schemas` feature).
    Unused,
}

/// The modules of a client and what each type needs.
#[derive(Clone, Debug, Default)]
pub struct Modules {
    /// In order of their first action.
    pub list: Vec<Module>,
    /// For each named type that not every build needs, the modules that need it.
    needs: HashMap<String, Need>,
    /// The types a request sends (a parameter's or a body's, and what they hold): the ones
    /// that need `Serialize`.
    sent: HashSet<String>,
}

impl Modules {
    /// True when the crate has module features (two modules or more).
    pub fn gated(&self) -> bool {
        self.list.len() > 1
    }

    /// True when a request sends values of the type (see [`Modules::sent`]); types that are
    /// only received need no `Serialize`.
    pub fn is_sent(&self, type_name: &str) -> bool {
        self.sent.contains(type_name)
    }

    /// True when some type is needed by no action.
    pub fn has_unused(&self) -> bool {
        self.needs.values().any(|n| *n == Need::Unused)
    }

    /// What a named type needs (`Always` for a name it does not know).
    pub fn need(&self, type_name: &str) -> &Need {
        self.needs.get(type_name).unwrap_or(&Need::Always)
    }
}

/// The modules of `c`'s actions (each [`Action::module`] set) and each type's need. Tag
/// descriptions are read from the document's `tags`.
pub fn assign(c: &mut Connector, doc: &serde_json::Value) {
    let tag_docs: HashMap<&str, &str> = doc
        .get("tags")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
        .filter_map(|t| {
            Some((
                t.get("name")?.as_str()?,
                t.get("description").and_then(|d| d.as_str()).unwrap_or(""),
            ))
        })
        .collect();
    // A Postman request in a nested folder (tag `A / B`) belongs to its top folder (`A`):
    // the normalizer lists each tag's folders.
    let top_folder: HashMap<&str, &str> = doc
        .get("tags")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
        .filter_map(|t| {
            Some((
                t.get("name")?.as_str()?,
                t.get("x-connectorkit-folders")?.get(0)?.as_str()?,
            ))
        })
        .collect();
    // Grouped by the snake_case form of the label: `Repos` and `repos` are one module.
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut namer = Namer::with_reserved(RESERVED);
    let mut list: Vec<Module> = Vec::new();
    for a in c.actions.iter_mut() {
        if is_webhook(a) {
            a.module = None;
            continue;
        }
        let (label, tag) = match a.tags.first() {
            Some(t) => (
                top_folder
                    .get(t.as_str())
                    .map_or(t.as_str(), |f| *f)
                    .to_string(),
                true,
            ),
            None => {
                // A path's fragment or query (`/#X-Amz-Target=…`, `/?action=…`) is not a
                // segment: it names the operation, not a group.
                let path = a.path.split(['#', '?']).next().unwrap_or_default();
                let segment = path.split('/').find(|s| !is_filler(s)).unwrap_or_default();
                (format!("/{segment}"), false)
            }
        };
        let wanted = module_ident(&label);
        let index = *by_key.entry(wanted.clone()).or_insert_with(|| {
            let (name, _) = namer.claim(&wanted);
            let doc = tag
                .then(|| tag_docs.get(label.as_str()).copied())
                .flatten()
                .filter(|d| !d.trim().is_empty())
                .map(str::to_string);
            list.push(Module {
                name,
                label: label.clone(),
                doc,
                actions: 0,
                requires: Vec::new(),
            });
            list.len() - 1
        });
        list[index].actions += 1;
        a.module = Some(index);
    }
    c.modules = Modules {
        list,
        ..Modules::default()
    };
    recompute(c);
}

/// Recomputes what the modules require of each other and what each type needs, after the
/// types or helpers changed (a connector's `apiProperties.json` adds both).
pub fn recompute(c: &mut Connector) {
    let mut list = std::mem::take(&mut c.modules.list);
    for m in &mut list {
        m.requires.clear();
    }
    let mut requires: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for h in &c.choices {
        let module_of = |i: usize| c.actions.get(i).and_then(|a| a.module);
        if let (Some(m), Some(s)) = (module_of(h.action), module_of(h.source)) {
            if m != s {
                requires.entry(m).or_default().insert(s);
            }
        }
    }
    for (m, set) in requires {
        list[m].requires = set.into_iter().collect();
    }
    // The connection's choice types (a Power Platform connector) are outside every module.
    let connection: Vec<&str> = c
        .platform
        .iter()
        .flat_map(|p| &p.connection)
        .flat_map(|conn| &conn.sets)
        .flat_map(|set| &set.params)
        .filter_map(|p| p.choice.as_deref())
        .collect();
    let needs = type_needs(&c.types, &c.actions, &connection, list.len());
    let sent = sent_types(&c.types, &c.actions);
    c.modules = Modules { list, needs, sent };
}

/// A module name for a label: snake_case, a plain identifier (no `r#`: it is a file and a
/// feature name too).
fn module_ident(label: &str) -> String {
    let s = snake_ident(label, "other");
    match s.strip_prefix("r#") {
        Some(keyword) => format!("{keyword}_"),
        None => s,
    }
}

fn is_webhook(a: &Action) -> bool {
    a.trigger
        .as_ref()
        .is_some_and(|t| t.kind == super::TriggerKind::Webhook)
}

/// Every named type an action mentions directly.
fn action_roots(a: &Action) -> Vec<&str> {
    let mut out: Vec<&RustType> = Vec::new();
    out.extend(a.params.iter().map(|p| &p.ty));
    if let Some(b) = &a.body {
        if let BodyKind::Json(t) | BodyKind::Form(t) = &b.kind {
            out.push(t);
        }
    }
    for case in a.success.iter().chain(&a.errors) {
        if let ResponseBody::Json(t) = &case.body {
            out.push(t);
        }
    }
    for o in [&a.success_type, &a.error_type] {
        if let Outcome::Single(ResponseBody::Json(t)) = o {
            out.push(t);
        }
    }
    if let Some(t) = a.trigger.as_ref().and_then(|t| t.notification.as_ref()) {
        out.push(t);
    }
    out.into_iter().flat_map(RustType::all_named).collect()
}

/// Each type's need: the closure of the types each module's actions mention, one graph
/// walk per module (linear in the types' size per module).
fn type_needs(
    types: &[TypeDef],
    actions: &[Action],
    outside: &[&str],
    modules: usize,
) -> HashMap<String, Need> {
    let (index, edges) = super::types::type_graph(types);
    // Roots per group: `modules` = outside every module (webhooks).
    let mut roots: Vec<Vec<usize>> = vec![Vec::new(); modules + 1];
    roots[modules].extend(outside.iter().filter_map(|n| index.get(n).copied()));
    for a in actions {
        let group = a.module.unwrap_or(modules);
        roots[group].extend(
            action_roots(a)
                .into_iter()
                .filter_map(|n| index.get(n).copied()),
        );
    }
    let mut by_type: Vec<Vec<usize>> = vec![Vec::new(); types.len()];
    let mut always = vec![false; types.len()];
    for (group, starts) in roots.into_iter().enumerate() {
        let mut seen = vec![false; types.len()];
        let mut stack = starts;
        while let Some(t) = stack.pop() {
            if std::mem::replace(&mut seen[t], true) {
                continue;
            }
            if group == modules {
                always[t] = true;
            } else {
                by_type[t].push(group);
            }
            stack.extend(edges[t].iter().copied().filter(|&e| !seen[e]));
        }
    }
    let mut needs = HashMap::new();
    for (i, t) in types.iter().enumerate() {
        let need = if always[i] || (modules > 0 && by_type[i].len() == modules) {
            continue;
        } else if by_type[i].is_empty() {
            Need::Unused
        } else {
            Need::Modules(std::mem::take(&mut by_type[i]))
        };
        needs.insert(t.name.clone(), need);
    }
    needs
}

/// The named types requests send: those of parameters and bodies, and their closure.
fn sent_types(types: &[TypeDef], actions: &[Action]) -> HashSet<String> {
    let by_name: HashMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut stack: Vec<&str> = Vec::new();
    for a in actions {
        for p in &a.params {
            stack.extend(p.ty.all_named());
        }
        if let Some(BodyKind::Json(t) | BodyKind::Form(t)) = a.body.as_ref().map(|b| &b.kind) {
            stack.extend(t.all_named());
        }
    }
    let mut sent = HashSet::new();
    while let Some(name) = stack.pop() {
        if !sent.insert(name.to_string()) {
            continue;
        }
        if let Some(t) = by_name.get(name) {
            stack.extend(t.named_refs());
        }
    }
    sent
}

/// Keeps only the types some action needs (the closure of the kept actions' types), for a
/// client generated with a tag or action filter.
pub fn drop_unused_types(c: &mut Connector) {
    let modules = &c.modules;
    c.types
        .retain(|t| !matches!(modules.need(&t.name), Need::Unused));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filler_segments_are_skipped() {
        assert!(is_filler("v1"));
        assert!(is_filler("v2.0"));
        assert!(is_filler("{id}"));
        assert!(is_filler("api"));
        assert!(is_filler("2015-03-31"));
        assert!(!is_filler("charges"));
        assert!(!is_filler("vendors"));
    }

    #[test]
    fn module_names_are_plain_identifiers() {
        assert_eq!(module_ident("Repos"), "repos");
        assert_eq!(module_ident("Code Scanning"), "code_scanning");
        assert_eq!(module_ident("/charges"), "charges");
        assert_eq!(module_ident("type"), "type_");
        assert_eq!(module_ident("2fa"), "_2fa");
        assert_eq!(module_ident("/"), "other");
    }
}
