//! `policyTemplateInstances` → the policy list, template ids compared case-insensitively.

use serde_json::Value;

use super::template::Template;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceSet;

/// One policy instance.
#[derive(Clone, Debug)]
pub struct Policy {
    /// `templateId`, lower case.
    pub template: String,
    /// `Request` or `Response` (lower case; `request` when absent).
    pub section: String,
    /// The operations it applies to (`None` = all).
    pub operations: Option<Vec<String>>,
    /// Parameters by short name (`name`, `value`, `urlTemplate`, `newPath`…).
    pub params: Vec<(String, Value)>,
    /// JSON pointer in apiProperties.json.
    pub pointer: String,
}

impl Policy {
    /// A parameter's text.
    pub fn text(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .and_then(|(_, v)| v.as_str())
    }

    /// A parameter parsed as a template.
    pub fn template(&self, key: &str) -> Option<Template> {
        self.text(key).map(Template::parse)
    }

    /// True when it applies to the operation.
    pub fn applies_to(&self, operation_id: Option<&str>) -> bool {
        match &self.operations {
            None => true,
            Some(ops) => operation_id.is_some_and(|id| ops.iter().any(|o| o == id)),
        }
    }
}

/// Reads every policy instance.
pub fn read(props: &Value, sources: &SourceSet, diags: &mut Diagnostics) -> Vec<Policy> {
    let Some(list) = props
        .pointer("/properties/policyTemplateInstances")
        .and_then(Value::as_array)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, p) in list.iter().enumerate() {
        let pointer = format!("/properties/policyTemplateInstances/{i}");
        let Some(template) = p.get("templateId").and_then(Value::as_str) else {
            diags.push(Diagnostic::warning(
                "policy/no-template-id",
                "a policy instance has no `templateId`; it is ignored",
                sources.locate(&pointer),
            ));
            continue;
        };
        let mut params = Vec::new();
        let mut section = "request".to_string();
        let mut operations = None;
        if let Some(obj) = p.get("parameters").and_then(Value::as_object) {
            for (k, v) in obj {
                let lower = k.to_ascii_lowercase();
                if lower == "x-ms-apimtemplate-policysection" {
                    if let Some(s) = v.as_str() {
                        section = s.to_ascii_lowercase();
                    }
                } else if lower == "x-ms-apimtemplate-operationname" {
                    operations = Some(match v {
                        Value::Array(a) => a
                            .iter()
                            .filter_map(|x| x.as_str().map(str::to_string))
                            .collect(),
                        Value::String(s) => vec![s.clone()],
                        _ => Vec::new(),
                    });
                } else {
                    let short = k.rsplit('.').next().unwrap_or(k).to_string();
                    params.push((short, v.clone()));
                }
            }
        }
        out.push(Policy {
            template: template.to_ascii_lowercase(),
            section,
            operations,
            params,
            pointer,
        });
    }
    out
}
