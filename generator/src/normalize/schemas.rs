//! Visiting every schema of a document (position-based, see `load::walk`).

use serde_json::{Map, Value};

use crate::load::walk::Ctx;
use crate::pointer;

/// Calls `f(schema, pointer)` on every schema object, parents before children (so `f` may
/// rewrite a schema's children before they are visited). Boolean schemas (`true`/`false`)
/// are first turned into `{}` / `{"not": {}}`.
pub(crate) fn for_each_schema(root: &mut Value, f: &mut dyn FnMut(&mut Map<String, Value>, &str)) {
    let mut ptr = String::new();
    visit(root, &mut ptr, Ctx::Root, f);
}

fn visit(
    node: &mut Value,
    ptr: &mut String,
    ctx: Ctx,
    f: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    if matches!(ctx, Ctx::Data | Ctx::Extension) {
        return;
    }
    if ctx.is_schema() {
        if let Value::Bool(b) = node {
            let mut m = Map::new();
            if !*b {
                m.insert("not".into(), Value::Object(Map::new()));
            }
            *node = Value::Object(m);
        }
        if let Value::Object(m) = node {
            f(m, ptr);
        }
    }
    match node {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                let c = ctx.child(Some(k), v);
                if matches!(c, Ctx::Data | Ctx::Extension) {
                    continue;
                }
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&pointer::escape(k));
                visit(v, ptr, c, f);
                ptr.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                let c = ctx.child(None, v);
                let len = ptr.len();
                ptr.push('/');
                ptr.push_str(&i.to_string());
                visit(v, ptr, c, f);
                ptr.truncate(len);
            }
        }
        _ => {}
    }
}
