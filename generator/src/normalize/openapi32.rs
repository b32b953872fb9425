//! OpenAPI 3.2 → 3.1 (then 3.1 → 3.0 runs): 3.2-only fields are dropped or moved to
//! extensions.
//!
//! - tags' `parent`, `kind` (and `summary`) dropped (`parent` kept as `x-parent`);
//! - `query` operations → `x-query` extension of the path item;
//! - `additionalOperations` dropped with a warning;
//! - `$self` dropped; media types' `itemSchema` → `x-itemSchema`; components' `mediaTypes`
//!   dropped.

use serde_json::Value;

use super::Ctx3;
use crate::pointer;

/// Rewrites a 3.2 document as 3.1.
pub(crate) fn downgrade(doc: &mut Value, cx: &mut Ctx3) {
    let Some(obj) = doc.as_object_mut() else {
        return;
    };
    obj.remove("$self");
    if let Some(Value::Array(tags)) = obj.get_mut("tags") {
        for t in tags.iter_mut().filter_map(Value::as_object_mut) {
            if let Some(p) = t.remove("parent") {
                t.insert("x-parent".into(), p);
            }
            if let Some(k) = t.remove("kind") {
                t.insert("x-kind".into(), k);
            }
            t.remove("summary");
        }
    }
    if let Some(c) = obj.get_mut("components").and_then(Value::as_object_mut) {
        c.remove("mediaTypes");
    }
    let mut sections: Vec<&mut serde_json::Map<String, Value>> = Vec::new();
    let (paths, webhooks) = {
        let mut paths = None;
        let mut webhooks = None;
        for (k, v) in obj.iter_mut() {
            match k.as_str() {
                "paths" => paths = v.as_object_mut(),
                "webhooks" => webhooks = v.as_object_mut(),
                _ => {}
            }
        }
        (paths, webhooks)
    };
    let mut names = Vec::new();
    if let Some(p) = paths {
        sections.push(p);
        names.push("paths");
    }
    if let Some(w) = webhooks {
        sections.push(w);
        names.push("webhooks");
    }
    for (section, name) in sections.into_iter().zip(names) {
        for (path, item) in section.iter_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            let base = format!("/{name}/{}", pointer::escape(path));
            if let Some(q) = item.remove("query") {
                item.insert("x-query".into(), q);
            }
            if item.remove("additionalOperations").is_some() {
                cx.warn(
                    "normalize/openapi-3.2",
                    "`additionalOperations` (OpenAPI 3.2) cannot be expressed in OpenAPI 3.0 and was dropped",
                    &format!("{base}/additionalOperations"),
                );
            }
            for op in item.values_mut().filter_map(Value::as_object_mut) {
                media_types(op);
            }
        }
    }
}

fn media_types(node: &mut serde_json::Map<String, Value>) {
    for (k, v) in node.iter_mut() {
        if k.starts_with("x-") {
            continue;
        }
        if let Some(m) = v.as_object_mut() {
            if k == "content" {
                for mt in m.values_mut().filter_map(Value::as_object_mut) {
                    if let Some(s) = mt.remove("itemSchema") {
                        mt.insert("x-itemSchema".into(), s);
                    }
                }
            } else if k != "schema" && k != "example" && k != "examples" {
                media_types(m);
            }
        }
    }
}
