//! `x-ms-*` extensions read from operations, parameters and schemas (connector definitions §6).
//!
//! The keys are matched exactly (the platform ignores misspellings, so a faithful client does
//! too); values like `internal` are compared case-insensitively.

use indexmap::IndexMap;
use serde_json::Value;

use super::{DynamicArg, DynamicValues};

type Ext = IndexMap<String, Value>;

fn text<'e>(ext: &'e Ext, key: &str) -> Option<&'e str> {
    ext.get(key).and_then(Value::as_str).map(str::trim)
}

/// `x-ms-visibility: internal`.
pub fn is_internal(ext: &Ext) -> bool {
    text(ext, "x-ms-visibility").is_some_and(|v| v.eq_ignore_ascii_case("internal"))
}

/// `x-ms-summary`, the display title.
pub fn summary(ext: &Ext) -> Option<String> {
    text(ext, "x-ms-summary")
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `x-ms-url-encoding: double`.
pub fn double_encoded(ext: &Ext) -> bool {
    text(ext, "x-ms-url-encoding").is_some_and(|v| v.eq_ignore_ascii_case("double"))
}

/// `x-ms-trigger`: `Some(batch)`.
pub fn trigger(ext: &Ext) -> Option<bool> {
    let v = ext.get("x-ms-trigger")?;
    Some(
        v.as_str()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("batch")),
    )
}

/// `x-ms-trigger-metadata: {mode: polling}`.
pub fn polling_metadata(ext: &Ext) -> bool {
    ext.get("x-ms-trigger-metadata")
        .and_then(|m| m.get("mode"))
        .and_then(Value::as_str)
        .is_some_and(|m| m.eq_ignore_ascii_case("polling"))
}

/// `x-ms-pageable`: the next-link property (`nextLink` when unset, as AutoRest does).
pub fn pageable(ext: &Ext) -> Option<String> {
    let v = ext.get("x-ms-pageable")?;
    match v.get("nextLinkName") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(Value::Null) => None,
        _ => Some("nextLink".to_string()),
    }
}

/// `x-ms-api-annotation`: (family, revision).
pub fn annotation(ext: &Ext) -> Option<(String, i64)> {
    let a = ext.get("x-ms-api-annotation")?;
    let family = a.get("family")?.as_str()?.to_string();
    let revision = a
        .get("revision")
        .and_then(|r| {
            r.as_i64()
                .or_else(|| r.as_str().and_then(|s| s.parse().ok()))
        })
        .unwrap_or(1);
    Some((family, revision))
}

/// `x-ms-dynamic-values` / `x-ms-dynamic-list`: the operation that lists the choices.
pub fn dynamic_source(ext: &Ext) -> Option<String> {
    dynamic_values(ext)
        .map(|d| d.operation_id)
        .filter(|id| !id.is_empty())
}

/// `x-ms-dynamic-values` (`value-collection`, `value-path`, `value-title`) or
/// `x-ms-dynamic-list` (`itemsPath`, `itemValuePath`, `itemTitlePath`), with the values the
/// listing operation's parameters take: `{"value": …}` or a bare value is a constant,
/// `{"parameter": …}` / `{"parameterReference": …}` another parameter of the action.
pub fn dynamic_values(ext: &Ext) -> Option<DynamicValues> {
    let (d, collection, value, title) = if let Some(d) = ext.get("x-ms-dynamic-values") {
        (d, "value-collection", "value-path", "value-title")
    } else {
        let d = ext.get("x-ms-dynamic-list")?;
        (d, "itemsPath", "itemValuePath", "itemTitlePath")
    };
    let operation_id = d
        .get("operationId")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let capability = d
        .get("capability")
        .and_then(Value::as_str)
        .map(|s| s.trim().to_string());
    if operation_id.is_empty() && capability.is_none() {
        return None;
    }
    let path = |key: &str| {
        d.get(key)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let parameters = d
        .get("parameters")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(name, v)| {
                    let reference = ["parameter", "parameterReference"]
                        .iter()
                        .find_map(|k| v.get(k).and_then(Value::as_str));
                    let arg = match (reference, v.get("value")) {
                        (Some(r), _) => DynamicArg::Parameter(r.to_string()),
                        (None, Some(c)) => DynamicArg::Constant(c.clone()),
                        (None, None) if v.is_object() => DynamicArg::Unknown,
                        (None, None) => DynamicArg::Constant(v.clone()),
                    };
                    (name.clone(), arg)
                })
                .collect()
        })
        .unwrap_or_default();
    Some(DynamicValues {
        operation_id,
        parameters,
        collection: path(collection),
        value_path: path(value),
        title_path: path(title),
        capability,
        pointer: String::new(),
    })
}

/// `x-ms-dynamic-schema` / `x-ms-dynamic-properties`: the operation that gives the schema.
pub fn dynamic_schema(ext: &Ext) -> Option<String> {
    for key in ["x-ms-dynamic-schema", "x-ms-dynamic-properties"] {
        if let Some(d) = ext.get(key) {
            return Some(
                d.get("operationId")
                    .and_then(Value::as_str)
                    .unwrap_or("another operation")
                    .to_string(),
            );
        }
    }
    None
}

/// `x-ms-notification-url: true`.
pub fn notification_url(ext: &Ext) -> bool {
    match ext.get("x-ms-notification-url") {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
        _ => false,
    }
}

/// `x-ms-enum-values`: value → display name.
pub fn enum_values(ext: &Ext) -> Vec<(String, String)> {
    ext.get("x-ms-enum-values")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|e| {
                    let v = match e.get("value")? {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    let d = e.get("displayName")?.as_str()?.to_string();
                    Some((v, d))
                })
                .collect()
        })
        .unwrap_or_default()
}
