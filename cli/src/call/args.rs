//! The arguments of `call`: `--param NAME=VALUE` and `--body`, read as the action's
//! parameter and body types say and checked with the model's [`Checker`] (types, required,
//! enums), each problem named after the option that gave it.

use std::collections::BTreeMap;

use connectorkit_generator::model::checks::did_you_mean;
use connectorkit_generator::model::samples::ActionSample;
use connectorkit_generator::model::values::{Checker, Strictness};
use connectorkit_generator::model::{Action, BodyKind, Connector, Param, RustType, TypeKind};
use serde_json::Value;

/// The request's values, ready to send.
pub struct Values {
    /// Per parameter (by wire name): its value.
    pub params: BTreeMap<String, Value>,
    /// The body, when there is one.
    pub body: Option<Body>,
}

/// A body as `call` sends it.
pub enum Body {
    /// JSON (the action's JSON body type), or a form's fields (`Form`).
    Json(Value),
    /// A form's fields, as a JSON object.
    Form(Value),
    /// Bytes with their content type.
    Bytes(String, Vec<u8>),
    /// Text with its content type.
    Text(String, String),
}

/// Reads and checks the arguments; every problem is one line of the error.
pub fn read(
    c: &Connector,
    a: &Action,
    params: &[String],
    body: Option<&str>,
    sample: Option<&ActionSample>,
) -> Result<Values, Vec<String>> {
    let checker = Checker::new(c, Strictness::Exact);
    let mut errors = Vec::new();
    let mut values: BTreeMap<String, Value> = BTreeMap::new();
    let open: Vec<&Param> = a.params.iter().filter(|p| p.constant.is_none()).collect();
    for given in params {
        let Some((name, text)) = given.split_once('=') else {
            errors.push(format!("--param `{given}`: expected NAME=VALUE"));
            continue;
        };
        let Some(p) = open
            .iter()
            .find(|p| p.wire_name == name || p.ident == name)
            .or_else(|| open.iter().find(|p| p.wire_name.eq_ignore_ascii_case(name)))
        else {
            let names = open.iter().map(|p| p.wire_name.as_str());
            let hint = did_you_mean(name, names)
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            let known = open
                .iter()
                .map(|p| format!("`{}`", p.wire_name))
                .collect::<Vec<_>>();
            let known = if known.is_empty() {
                "it takes none".to_string()
            } else {
                format!("it takes {}", known.join(", "))
            };
            errors.push(format!(
                "--param {name}: `{}` has no parameter `{name}`{hint}; {known}",
                a.ident
            ));
            continue;
        };
        let value = match parse(c, &p.ty, text) {
            Ok(v) => v,
            Err(e) => {
                errors.push(format!("--param {name}: {e}"));
                continue;
            }
        };
        match values.get_mut(&p.wire_name) {
            // A repeated array parameter adds to it.
            Some(Value::Array(items)) if is_array(c, &p.ty) => match value {
                Value::Array(more) => items.extend(more),
                one => items.push(one),
            },
            Some(_) => errors.push(format!("--param {name}: given twice")),
            None => {
                values.insert(p.wire_name.clone(), value);
            }
        }
    }
    // `--sample`: what was not given, from the schemas (as the conformance program does).
    if let Some(sample) = sample {
        for (p, v) in a.params.iter().zip(&sample.params) {
            if p.constant.is_some() || values.contains_key(&p.wire_name) {
                continue;
            }
            if let Some(v) = v {
                values.insert(p.wire_name.clone(), v.clone());
            }
        }
    }
    for p in &open {
        match values.get(&p.wire_name) {
            Some(v) => {
                for problem in checker.check(&p.ty, v) {
                    if problem.fatal {
                        errors.push(format!("--param {}: {problem}", p.wire_name));
                    }
                }
            }
            None if p.required => errors.push(format!(
                "--param {}: required ({} parameter, {})",
                p.wire_name,
                p.location.as_str(),
                describe(c, &p.ty)
            )),
            None => {}
        }
    }
    let raw = matches!(
        a.body.as_ref().map(|b| &b.kind),
        Some(BodyKind::Bytes(_) | BodyKind::Text(_))
    );
    let sampled = match (body, sample.and_then(|s| s.body.as_ref())) {
        (None, Some(Value::String(s))) if raw => Some(s.clone()),
        (None, Some(v)) => Some(v.to_string()),
        _ => None,
    };
    let body = match read_body(c, a, body.or(sampled.as_deref()), &checker) {
        Ok(b) => b,
        Err(mut e) => {
            errors.append(&mut e);
            None
        }
    };
    if errors.is_empty() {
        Ok(Values {
            params: values,
            body,
        })
    } else {
        Err(errors)
    }
}

fn read_body(
    c: &Connector,
    a: &Action,
    given: Option<&str>,
    checker: &Checker,
) -> Result<Option<Body>, Vec<String>> {
    let Some(body) = a.body.as_ref().filter(|b| !b.no_argument) else {
        if given.is_some() {
            return Err(vec![format!("--body: `{}` takes no body", a.ident)]);
        }
        return Ok(None);
    };
    let Some(given) = given else {
        if body.required {
            return Err(vec![format!(
                "--body: required ({})",
                match &body.kind {
                    BodyKind::Json(t) | BodyKind::Form(t) => describe(c, t),
                    BodyKind::Multipart(_) => "multipart".into(),
                    BodyKind::Bytes(ct) | BodyKind::Text(ct) => ct.clone(),
                }
            )]);
        }
        return Ok(None);
    };
    let bytes = match given.strip_prefix('@') {
        Some(path) => {
            std::fs::read(path).map_err(|e| vec![format!("--body: cannot read {path}: {e}")])?
        }
        None => given.as_bytes().to_vec(),
    };
    let json = |bytes: &[u8], t: &RustType| -> Result<Value, Vec<String>> {
        let v: Value =
            serde_json::from_slice(bytes).map_err(|e| vec![format!("--body: not JSON: {e}")])?;
        let (fatal, notes): (Vec<_>, Vec<_>) =
            checker.check(t, &v).into_iter().partition(|p| p.fatal);
        for n in notes {
            eprintln!("warning: --body: {n}");
        }
        let problems: Vec<String> = fatal.iter().map(|p| format!("--body: {p}")).collect();
        if problems.is_empty() {
            Ok(v)
        } else {
            Err(problems)
        }
    };
    Ok(Some(match &body.kind {
        BodyKind::Json(t) => Body::Json(json(&bytes, t)?),
        BodyKind::Form(t) => Body::Form(json(&bytes, t)?),
        BodyKind::Bytes(ct) => Body::Bytes(ct.clone(), bytes),
        BodyKind::Text(ct) => Body::Text(
            ct.clone(),
            String::from_utf8(bytes).map_err(|_| vec!["--body: not UTF-8 text".to_string()])?,
        ),
        BodyKind::Multipart(_) => {
            return Err(vec![format!(
                "--body: `{}` takes a multipart body, which `call` does not send yet",
                a.ident
            )])
        }
    }))
}

/// The type behind aliases and newtypes.
fn resolve<'t>(c: &'t Connector, ty: &'t RustType) -> &'t RustType {
    let mut ty = ty;
    for _ in 0..16 {
        let inner = match ty {
            RustType::Option(t) | RustType::Boxed(t) => &**t,
            RustType::Named(n) => match c.types.iter().find(|d| &d.name == n).map(|d| &d.kind) {
                Some(TypeKind::Alias(t) | TypeKind::Newtype(t)) => t,
                _ => return ty,
            },
            _ => return ty,
        };
        ty = inner;
    }
    ty
}

fn is_array(c: &Connector, ty: &RustType) -> bool {
    matches!(resolve(c, ty), RustType::Vec(_))
}

/// A command-line text as a value of `ty`: scalars as written, an array as JSON or
/// comma-separated items, objects and free-form values as JSON.
fn parse(c: &Connector, ty: &RustType, text: &str) -> Result<Value, String> {
    let ty = resolve(c, ty);
    let number = |what: &str| -> Result<Value, String> {
        serde_json::from_str::<serde_json::Number>(text.trim())
            .map(Value::Number)
            .map_err(|_| format!("`{text}` is not {what}"))
    };
    match ty {
        RustType::I8
        | RustType::I16
        | RustType::I32
        | RustType::I64
        | RustType::U8
        | RustType::U16
        | RustType::U32
        | RustType::U64 => {
            let v = number("an integer")?;
            if v.is_f64() {
                return Err(format!("`{text}` is not an integer"));
            }
            Ok(v)
        }
        RustType::F32 | RustType::F64 => number("a number"),
        RustType::Bool => match text.trim() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("`{text}` is not true or false")),
        },
        RustType::Vec(item) => {
            if text.trim_start().starts_with('[') {
                return serde_json::from_str(text).map_err(|e| format!("not a JSON array: {e}"));
            }
            text.split(',')
                .map(|t| parse(c, item, t))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::Array)
        }
        RustType::Map(_) | RustType::JsonObject => {
            serde_json::from_str(text).map_err(|e| format!("not a JSON object: {e}"))
        }
        RustType::Value => {
            Ok(serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.into())))
        }
        RustType::Named(n) => match c.types.iter().find(|d| &d.name == n).map(|d| &d.kind) {
            Some(TypeKind::StringEnum { .. }) => Ok(Value::String(text.into())),
            _ => serde_json::from_str(text).map_err(|e| format!("not JSON ({n}): {e}")),
        },
        _ => Ok(Value::String(text.into())),
    }
}

/// A type in words, for messages: `an integer`, `one of `a`, `b``, `an array of strings`.
fn describe(c: &Connector, ty: &RustType) -> String {
    match resolve(c, ty) {
        RustType::String => "a string".into(),
        RustType::DateTime => "a date-time (RFC 3339)".into(),
        RustType::Date => "a date (YYYY-MM-DD)".into(),
        RustType::Uuid => "a UUID".into(),
        RustType::Base64 => "base64 text".into(),
        RustType::Bool => "true or false".into(),
        RustType::F32 | RustType::F64 => "a number".into(),
        RustType::Vec(t) => format!("an array of {}", describe(c, t)),
        RustType::Map(_) | RustType::JsonObject => "a JSON object".into(),
        RustType::Value => "any JSON value".into(),
        RustType::Named(n) => match c.types.iter().find(|d| &d.name == n).map(|d| &d.kind) {
            Some(TypeKind::StringEnum { variants }) => {
                let v: Vec<String> = variants
                    .iter()
                    .filter_map(|v| v.wire.as_ref())
                    .take(12)
                    .map(|w| format!("`{w}`"))
                    .collect();
                format!("one of {}", v.join(", "))
            }
            _ => format!("JSON ({n})"),
        },
        RustType::Option(_) | RustType::Boxed(_) => "a value".into(),
        _ => "an integer".into(),
    }
}
