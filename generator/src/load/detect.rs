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
    let supported = "supported: OpenAPI 3.0, 3.1 and 3.2 (`openapi: 3.x.y`), Swagger 2.0 (`swagger: \"2.0\"`) and Postman collections v1, v2.0 and v2.1";
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
    if let Some(rejection) = not_a_collection(obj) {
        return Err(rejection);
    }
    if is_postman(obj) {
        return Ok(SpecVersion::Postman);
    }
    Err((
        "load/unknown-format",
        "not an API definition: there is no `openapi` or `swagger` field at the top level"
            .to_string(),
        Some(supported.to_string()),
        String::new(),
    ))
}

/// True for a Postman collection: v2.x (`info` + `item`, a Postman schema URL, the SDK's
/// `toJSON` shape), v1 (`requests` + `order`/`folders`), or the API's `{"collection": …}`.
fn is_postman(obj: &serde_json::Map<String, Value>) -> bool {
    if let Some(Value::Object(inner)) = obj.get("collection") {
        return inner.contains_key("info") || inner.contains_key("item");
    }
    let info = obj.get("info");
    let schema_says = info.is_some_and(|i| {
        i.get("_postman_id").is_some()
            || i.get("_postman_schema").is_some()
            || i.get("schema")
                .and_then(Value::as_str)
                .is_some_and(|s| s.contains("getpostman") || s.contains("postman"))
    });
    let v2_shape = obj.get("item").is_some_and(Value::is_array)
        && (info.is_some() || obj.contains_key("name"));
    let v1_shape = obj.get("requests").is_some_and(Value::is_array)
        && (obj.contains_key("order") || obj.contains_key("folders") || obj.contains_key("id"));
    schema_says || v2_shape || v1_shape
}

/// Files that are often mistaken for collections: each rejected with what it is and a hint.
fn not_a_collection(obj: &serde_json::Map<String, Value>) -> Option<Rejection> {
    let export = "export the collection from Postman as Collection v2.1 (JSON)";
    if obj.contains_key("values")
        && (obj.contains_key("_postman_variable_scope")
            || obj.contains_key("_postman_exported_using"))
    {
        let scope = obj
            .get("_postman_variable_scope")
            .and_then(Value::as_str)
            .unwrap_or("environment");
        let what = if scope == "globals" {
            "a Postman globals file"
        } else {
            "a Postman environment file"
        };
        return Some((
            "load/postman-environment",
            format!("this is {what} (`values` + `_postman_variable_scope: {scope}`), not a collection"),
            Some(format!("give the collection file instead; {export}. Environment values are not read from the collection")),
            "/values".to_string(),
        ));
    }
    if obj
        .get("log")
        .and_then(|l| l.get("entries"))
        .is_some_and(Value::is_array)
    {
        return Some((
            "load/har",
            "this is a HAR capture (`log.entries`), not an API definition".to_string(),
            Some(format!(
                "import the HAR into Postman and {export}, or write an OpenAPI definition"
            )),
            "/log/entries".to_string(),
        ));
    }
    if obj.get("_type").and_then(Value::as_str) == Some("export")
        || obj.contains_key("__export_format")
    {
        return Some((
            "load/insomnia",
            "this is an Insomnia export (`_type: export`), not a Postman collection or OpenAPI definition".to_string(),
            Some("export the workspace from Insomnia as OpenAPI, or import it into Postman and export Collection v2.1".to_string()),
            "/_type".to_string(),
        ));
    }
    if obj.contains_key("$kind") {
        let kind = obj.get("$kind").and_then(Value::as_str).unwrap_or("?");
        return Some((
            "load/postman-yaml-collection",
            format!("this is one file of a multi-file YAML Postman collection (`$kind: {kind}`, collections schema 3.0.0); that format is not supported yet"),
            Some(export.to_string()),
            "/$kind".to_string(),
        ));
    }
    if obj.contains_key("items") && !obj.contains_key("item") {
        return Some((
            "load/postman-items",
            "top-level `items` is not part of any Postman collection schema (collections hold their requests in `item`)".to_string(),
            Some(format!("rename `items` to `item` (and add `info` with a name), or {export}")),
            "/items".to_string(),
        ));
    }
    None
}
