//! Validation of internal `#/...` refs after bundling: dangling refs and pure ref cycles
//! (`A: {$ref: B}`, `B: {$ref: A}`) are reported and replaced by `{}` so later stages can
//! rely on every remaining ref resolving. Structural recursion (a property of type A inside
//! A) is fine and left alone.

use std::collections::HashMap;

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::walk::Ctx;
use super::SourceSet;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pointer;

struct RefNode {
    at: String,
    target: String,
    in_extension: bool,
}

fn collect(node: &Value, ptr: &mut String, ctx: Ctx, out: &mut Vec<RefNode>) {
    if ctx == Ctx::Data {
        return;
    }
    if ctx.takes_ref() {
        if let Some(r) = node.get("$ref").and_then(Value::as_str) {
            out.push(RefNode {
                at: ptr.clone(),
                target: r.to_string(),
                in_extension: ctx == Ctx::Extension,
            });
            return;
        }
    }
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                let c = ctx.child(Some(k), v);
                if c == Ctx::Data {
                    continue;
                }
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&pointer::escape(k));
                collect(v, ptr, c, out);
                ptr.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let c = ctx.child(None, v);
                if c == Ctx::Data {
                    continue;
                }
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&i.to_string());
                collect(v, ptr, c, out);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
}

/// Resolves `r` in `root`: the canonical pointer of the target, if it exists.
fn resolve(root: &Value, r: &str) -> Option<String> {
    let frag = r.strip_prefix('#')?;
    if root.pointer(frag).is_some() {
        return Some(frag.to_string());
    }
    let decoded = percent_decode_str(frag).decode_utf8_lossy();
    root.pointer(&decoded).map(|_| decoded.into_owned())
}

/// Checks every internal ref of the bundled document.
pub(crate) fn validate(root: &mut Value, sources: &SourceSet, diags: &mut Diagnostics) {
    let mut refs = Vec::new();
    collect(root, &mut String::new(), Ctx::Root, &mut refs);
    let mut broken: Vec<String> = Vec::new();
    let mut edges: Vec<(String, Option<String>)> = Vec::with_capacity(refs.len());
    for rn in &refs {
        match resolve(root, &rn.target) {
            Some(t) => edges.push((rn.at.clone(), Some(t))),
            None => {
                let (msg, hint) = if rn.target.starts_with('#') {
                    (
                        format!("`$ref: {}` does not resolve: nothing exists at that pointer", rn.target),
                        "check the spelling of the target; JSON pointers escape `/` as `~1` and `~` as `~0`",
                    )
                } else {
                    (
                        format!("`$ref: {}` could not be resolved", rn.target),
                        "use a `#/...` pointer or a relative file path",
                    )
                };
                let location = sources.locate(&pointer::push(&rn.at, "$ref"));
                let d = if rn.in_extension {
                    Diagnostic::warning("ref/dangling", msg, location)
                } else {
                    Diagnostic::error("ref/dangling", msg, location)
                };
                diags.push(d.with_hint(hint));
                broken.push(rn.at.clone());
                edges.push((rn.at.clone(), None));
            }
        }
    }
    // Pure ref cycles: follow ref → ref chains (each ref node has at most one successor).
    let index: HashMap<&str, usize> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| (e.0.as_str(), i))
        .collect();
    let next: Vec<Option<usize>> = edges
        .iter()
        .map(|(_, t)| t.as_deref().and_then(|t| index.get(t).copied()))
        .collect();
    // 0 = unvisited, 1 = on the current chain, 2 = done
    let mut state = vec![0u8; edges.len()];
    for start in 0..edges.len() {
        if state[start] != 0 {
            continue;
        }
        let mut chain = Vec::new();
        let mut cur = Some(start);
        while let Some(i) = cur {
            match state[i] {
                0 => {
                    state[i] = 1;
                    chain.push(i);
                    cur = next[i];
                }
                1 => {
                    // A cycle: from i to the end of the chain. Break it at the last node.
                    let from = chain.iter().position(|&c| c == i).unwrap_or(0);
                    let members: Vec<&str> =
                        chain[from..].iter().map(|&c| edges[c].0.as_str()).collect();
                    let Some(&last) = chain.last() else { break };
                    let at = &edges[last].0;
                    diags.push(
                        Diagnostic::error(
                            "ref/cycle",
                            format!(
                                "`$ref` cycle with nothing in between: #{}; the ref was replaced by an empty schema",
                                members.join(" → #")
                            ),
                            sources.locate(&pointer::push(at, "$ref")),
                        )
                        .with_hint("a schema cannot be only a reference to itself; give it structure or remove a link"),
                    );
                    broken.push(at.clone());
                    break;
                }
                _ => break,
            }
        }
        for c in chain {
            state[c] = 2;
        }
    }
    for at in broken {
        if let Some(v) = root.pointer_mut(&at) {
            *v = Value::Object(Map::new());
        }
    }
}
