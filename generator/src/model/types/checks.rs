//! Schema mistakes that would otherwise pass silently: an unknown `type`, a `required` name
//! with no property. Each is a located warning with a "did you mean" when a name is close.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, ReferenceOr, Schema};

use super::TypeSpace;
use crate::diagnostics::Diagnostic;
use crate::model::checks::hint_for;
use crate::pointer;

/// The `type` values JSON Schema (and Swagger 2.0's `file`) know.
const TYPES: [&str; 8] = [
    "string", "integer", "number", "boolean", "array", "object", "null", "file",
];

impl TypeSpace<'_> {
    /// Reports a `type` that is not a JSON Schema type (`integr`); true when it was unknown.
    pub(super) fn check_type(&mut self, typ: &str, ptr: &str) -> bool {
        if TYPES.contains(&typ) {
            return false;
        }
        let mut d = Diagnostic::warning(
            "schema/unknown-type",
            format!(
                "`type: {typ}` is not a JSON Schema type; it is generated as serde_json::Value"
            ),
            self.sources.locate(&pointer::push(ptr, "type")),
        );
        d = d.with_hint(
            hint_for(typ, TYPES).unwrap_or_else(|| format!("use one of {}", TYPES[..7].join(", "))),
        );
        self.diags.push(d);
        true
    }

    /// Reports `required` names that no property has (`required: [name]` beside `nmae`).
    pub(super) fn check_required(
        &mut self,
        owner: &str,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        ptr: &str,
        merged: bool,
    ) {
        // Extra properties may carry the required name; a base schema that other schemas
        // extend with `allOf` may require what they define.
        let as_ref = format!("#{ptr}");
        if self.all_of_targets.contains(&as_ref)
            || matches!(
                additional,
                Some(AdditionalProperties::Schema(_) | AdditionalProperties::Any(true))
            )
        {
            return;
        }
        for (i, r) in required.iter().enumerate() {
            if properties.contains_key(r) {
                continue;
            }
            let at = if merged {
                ptr.to_string()
            } else {
                pointer::push(&pointer::push(ptr, "required"), &i.to_string())
            };
            let mut d = Diagnostic::warning(
                "schema/required-missing",
                format!(
                    "`required` names `{r}`, which is not a property of `{owner}`; it is ignored"
                ),
                self.sources.locate(&at),
            );
            if let Some(h) = hint_for(r, properties.keys().map(String::as_str)) {
                d = d.with_hint(h);
            }
            self.diags.push(d);
        }
    }
}

/// Every `$ref` that is a member of an `allOf` anywhere in the document.
pub(super) fn all_of_targets(doc: &serde_json::Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut stack = vec![doc];
    while let Some(node) = stack.pop() {
        match node {
            serde_json::Value::Object(o) => {
                if let Some(serde_json::Value::Array(members)) = o.get("allOf") {
                    out.extend(
                        members
                            .iter()
                            .filter_map(|m| m.get("$ref"))
                            .filter_map(serde_json::Value::as_str)
                            .map(str::to_string),
                    );
                }
                stack.extend(o.values());
            }
            serde_json::Value::Array(a) => stack.extend(a),
            _ => {}
        }
    }
    out
}
