//! Dynamic values (`x-ms-dynamic-values`, `x-ms-dynamic-list`): the choices a parameter may
//! take, read out of another operation's JSON response.
//!
//! Generated `…_choices` helpers call the listing operation and hand its body here with the
//! definition's paths: `value-collection` (where the array is), `value-path` (each choice's
//! value inside an item) and `value-title` (its display title). Paths are `/`-separated
//! property names, as the platform writes them; an empty or missing path is the item itself.

use serde_json::Value;

/// One choice: the value to pass, and what a person would see.
#[derive(Clone, Debug, PartialEq)]
pub struct Choice {
    /// The value to send as the parameter (a string, a number…).
    pub value: Value,
    /// The display title (the value as text when the definition names no title).
    pub title: String,
}

/// The value at a `/`-separated path (`""` or `None`: `v` itself).
pub fn at<'v>(v: &'v Value, path: Option<&str>) -> Option<&'v Value> {
    let path = path.map(str::trim).unwrap_or("");
    path.split('/')
        .filter(|s| !s.is_empty())
        .try_fold(v, |v, key| match v {
            Value::Object(m) => m.get(key),
            Value::Array(a) => key.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        })
}

fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The choices in `body`: each item of the array at `collection` (the body itself when it is
/// the array), its value at `value_path` and its title at `title_path`. Items without a value
/// are skipped; a body without the array gives no choices.
pub fn choices(
    body: &Value,
    collection: Option<&str>,
    value_path: Option<&str>,
    title_path: Option<&str>,
) -> Vec<Choice> {
    let Some(Value::Array(items)) = at(body, collection) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            let value = at(item, value_path).filter(|v| !v.is_null())?.clone();
            let title = match title_path.and_then(|p| at(item, Some(p))) {
                Some(t) if !t.is_null() => as_text(t),
                _ => as_text(&value),
            };
            Some(Choice { value, title })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_and_titles_from_a_nested_collection() {
        let body = json!({"data": {"items": [
            {"id": 1, "props": {"name": "One"}},
            {"id": "b", "props": {}},
            {"props": {"name": "no id"}},
        ]}});
        let c = choices(&body, Some("data/items"), Some("id"), Some("props/name"));
        assert_eq!(
            c,
            vec![
                Choice {
                    value: json!(1),
                    title: "One".into()
                },
                Choice {
                    value: json!("b"),
                    title: "b".into()
                },
            ]
        );
    }

    #[test]
    fn the_body_can_be_the_array_and_items_the_values() {
        let c = choices(&json!(["x", "y"]), None, None, None);
        assert_eq!(c.len(), 2);
        assert_eq!(c[1].title, "y");
        assert!(choices(&json!({"value": 3}), Some("value"), None, None).is_empty());
        assert!(choices(&json!({}), Some("missing/deeper"), Some("id"), None).is_empty());
    }
}
