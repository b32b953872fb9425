//! Parameter values → wire strings, by OpenAPI style.

use serde::Serialize;
use serde_json::Value;

/// How a query parameter is serialized (OpenAPI `style` + `explode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamStyle {
    /// `form`, explode: `a=1&a=2`, objects as `k=v` pairs.
    Form,
    /// `form`, no explode: `a=1,2`.
    FormNoExplode,
    /// `spaceDelimited`: `a=1 2`.
    SpaceDelimited,
    /// `pipeDelimited`: `a=1|2`.
    PipeDelimited,
    /// `deepObject`: `a[k]=v`.
    DeepObject,
}

/// A value as JSON, or `None` when it is absent (`None`/null).
pub(crate) fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Option<Value>, String> {
    match serde_json::to_value(value) {
        Ok(Value::Null) => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(e) => Err(e.to_string()),
    }
}

/// A value in simple style as text, or `None` when absent: [`simple`] of [`to_value`], with
/// a fast path for strings without escapes, numbers and booleans (the usual path and header
/// values), which skips building a `Value`.
pub(crate) fn simple_text<T: Serialize + ?Sized>(value: &T) -> Result<Option<String>, String> {
    let mut json = serde_json::to_string(value).map_err(|e| e.to_string())?;
    if json == "null" {
        return Ok(None);
    }
    if json.len() >= 2 && json.starts_with('"') && json.ends_with('"') && !json.contains('\\') {
        json.pop();
        json.remove(0);
        return Ok(Some(json));
    }
    if !json.starts_with(['"', '[', '{']) {
        return Ok(Some(json));
    }
    let v: Value = serde_json::from_str(&json).map_err(|e| e.to_string())?;
    Ok(Some(simple(&v)))
}

/// A scalar as text (strings unquoted).
pub(crate) fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Simple style (path, header): arrays `a,b`, objects `k,v,k,v`.
pub(crate) fn simple(v: &Value) -> String {
    match v {
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join(","),
        Value::Object(map) => map
            .iter()
            .flat_map(|(k, v)| [k.clone(), scalar(v)])
            .collect::<Vec<_>>()
            .join(","),
        other => scalar(other),
    }
}

/// Query pairs for one parameter.
pub(crate) fn query_pairs(name: &str, v: &Value, style: ParamStyle) -> Vec<(String, String)> {
    let joined =
        |sep: &str, items: &[Value]| items.iter().map(scalar).collect::<Vec<_>>().join(sep);
    match (v, style) {
        (Value::Array(items), ParamStyle::Form) => items
            .iter()
            .map(|i| (name.to_string(), scalar(i)))
            .collect(),
        (Value::Array(items), ParamStyle::SpaceDelimited) => {
            vec![(name.to_string(), joined(" ", items))]
        }
        (Value::Array(items), ParamStyle::PipeDelimited) => {
            vec![(name.to_string(), joined("|", items))]
        }
        (Value::Array(items), _) => vec![(name.to_string(), joined(",", items))],
        (Value::Object(map), ParamStyle::Form) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), simple(v)))
            .collect(),
        (Value::Object(map), ParamStyle::DeepObject) => map
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (format!("{name}[{k}]"), simple(v)))
            .collect(),
        (Value::Object(_), _) => vec![(name.to_string(), simple(v))],
        (other, _) => vec![(name.to_string(), scalar(other))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(v: serde_json::Value, style: ParamStyle) -> Vec<(String, String)> {
        query_pairs("p", &v, style)
    }

    #[test]
    fn every_query_style() {
        let arr = json!(["a", "b", 3]);
        let p = |k: &str, v: &str| (k.to_string(), v.to_string());
        assert_eq!(
            pairs(arr.clone(), ParamStyle::Form),
            [p("p", "a"), p("p", "b"), p("p", "3")]
        );
        assert_eq!(
            pairs(arr.clone(), ParamStyle::FormNoExplode),
            [p("p", "a,b,3")]
        );
        assert_eq!(
            pairs(arr.clone(), ParamStyle::SpaceDelimited),
            [p("p", "a b 3")]
        );
        assert_eq!(pairs(arr, ParamStyle::PipeDelimited), [p("p", "a|b|3")]);
        let obj = json!({"x": 1, "y": "z", "n": null});
        assert_eq!(
            pairs(obj.clone(), ParamStyle::Form),
            [p("x", "1"), p("y", "z")]
        );
        assert_eq!(
            pairs(obj.clone(), ParamStyle::DeepObject),
            [p("p[x]", "1"), p("p[y]", "z")]
        );
        assert_eq!(
            pairs(obj, ParamStyle::FormNoExplode),
            [p("p", "x,1,y,z,n,")]
        );
        assert_eq!(pairs(json!(true), ParamStyle::Form), [p("p", "true")]);
        assert_eq!(to_value(&None::<i32>), Ok(None));
    }

    #[test]
    fn simple_text_matches_simple() {
        let cases: Vec<serde_json::Value> = vec![
            json!("a b/c"),
            json!("quote \" and \\ back"),
            json!(""),
            json!(7),
            json!(-1.5),
            json!(true),
            json!(["x", 1]),
            json!({"k": "v", "n": 2}),
        ];
        for v in cases {
            assert_eq!(
                simple_text(&v).unwrap(),
                to_value(&v).unwrap().map(|v| simple(&v)),
                "{v}"
            );
        }
        assert_eq!(simple_text(&None::<u8>).unwrap(), None);
        assert_eq!(simple_text("é\u{1}").unwrap().as_deref(), Some("é\u{1}"));
        assert_eq!(simple_text(&f64::NAN).unwrap(), None);
    }

    #[test]
    fn simple_style() {
        assert_eq!(simple(&json!(["a", 1])), "a,1");
        assert_eq!(simple(&json!("x/y")), "x/y");
    }
}
