//! What kind of definition a parsed document is.

use serde_json::Value;

use super::SpecVersion;

/// Why a document is not a supported definition: (code, message, hint, pointer).
pub(crate) type Rejection = (&'static str, String, Option<String>, String);

fn version_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Detects the spec version of a top-level object.
pub(crate) fn detect(doc: &Value) -> Result<SpecVersion, Rejection> {
    let supported = "supported: OpenAPI 3.0, 3.1 and 3.2 (`openapi: 3.x.y`) and Swagger 2.0 (`swagger: \"2.0\"`)";
    let Some(obj) = doc.as_object() else {
        let kind = match doc {
            Value::Null => "empty",
            Value::Array(_) => "a list",
            _ => "a single value",
        };
        return Err((
            "load/not-a-definition",
            format!("the document is {kind}, not an object; it is not an API definition"),
            Some(supported.to_string()),
            String::new(),
        ));
    };
    if let Some(v) = obj.get("openapi") {
        let text = version_text(v).unwrap_or_default();
        let mut parts = text.split('.');
        let major = parts.next().unwrap_or("");
        let minor = parts.next().unwrap_or("0");
        return match (major, minor) {
            ("3", "0") => Ok(SpecVersion::OpenApi30),
            ("3", "1") => Ok(SpecVersion::OpenApi31),
            ("3", "2") => Ok(SpecVersion::OpenApi32),
            ("3", _) => Ok(SpecVersion::OpenApi32),
            _ => Err((
                "load/unknown-version",
                format!("unsupported OpenAPI version `{text}`"),
                Some(supported.to_string()),
                "/openapi".to_string(),
            )),
        };
    }
    if let Some(v) = obj.get("swagger") {
        let text = version_text(v).unwrap_or_default();
        return if text == "2.0" || text == "2" {
            Ok(SpecVersion::Swagger20)
        } else {
            Err((
                "load/unknown-version",
                format!("unsupported Swagger version `{text}`"),
                Some(supported.to_string()),
                "/swagger".to_string(),
            ))
        };
    }
    let info = obj.get("info");
    let postman = info.and_then(|i| i.get("_postman_id")).is_some()
        || info
            .and_then(|i| i.get("schema"))
            .and_then(Value::as_str)
            .is_some_and(|s| s.contains("getpostman"));
    if postman {
        return Err((
            "load/unsupported-format",
            "Postman collections are not supported yet".to_string(),
            Some(supported.to_string()),
            String::new(),
        ));
    }
    Err((
        "load/unknown-format",
        "not an API definition: there is no `openapi` or `swagger` field at the top level"
            .to_string(),
        Some(supported.to_string()),
        String::new(),
    ))
}
