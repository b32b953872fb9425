//! Swagger 2.0 → OpenAPI 3.0, on the JSON value.
//!
//! body and formData parameters → requestBody; consumes/produces → media types;
//! host/basePath/schemes → servers; securityDefinitions → securitySchemes; collectionFormat
//! → style/explode; `x-nullable` → nullable; `type: file` → binary; definitions, parameters
//! and responses → components with every `$ref` rewritten. `x-` extensions ride along.

use serde_json::{json, Map, Value};

use super::Ctx3;

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn strings(v: Option<&Value>) -> Vec<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Rewrites `#/definitions/X` → `#/components/schemas/X` (and parameters/responses) everywhere;
/// converts schema keywords that differ.
fn rewrite(v: &mut Value, body_params: &Map<String, Value>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref") {
                if let Some(rest) = r.strip_prefix("#/definitions/") {
                    *r = format!("#/components/schemas/{rest}");
                } else if let Some(rest) = r.strip_prefix("#/parameters/") {
                    *r = if body_params.contains_key(rest) {
                        format!("#/components/requestBodies/{rest}")
                    } else {
                        format!("#/components/parameters/{rest}")
                    };
                } else if let Some(rest) = r.strip_prefix("#/responses/") {
                    *r = format!("#/components/responses/{rest}");
                }
            }
            if m.get("x-nullable") == Some(&Value::Bool(true)) {
                m.insert("nullable".into(), Value::Bool(true));
                // Beside a `$ref`, `nullable` would be ignored (3.0: a reference's siblings
                // are): Azure's `additionalProperties: {$ref: JobService, x-nullable: true}`
                // is a nullable reference, `allOf: [{$ref}]` with `nullable`.
                if let Some(r) = m.remove("$ref") {
                    m.insert("allOf".into(), json!([{ "$ref": r }]));
                }
            }
            if m.get("type").and_then(Value::as_str) == Some("file") {
                m.insert("type".into(), json!("string"));
                m.insert("format".into(), json!("binary"));
            }
            if let Some(Value::String(d)) = m.get("discriminator").cloned() {
                m.insert("discriminator".into(), json!({ "propertyName": d }));
            }
            for (k, child) in m.iter_mut() {
                // Extensions are kept as written, except those that hold schemas the model
                // reads (the webhook payload of `x-ms-notification-content`).
                if k.starts_with("x-") && k != "x-nullable" && k != "x-ms-notification-content" {
                    continue;
                }
                // Property names are names, not keywords: `x-ms-capabilities` there is a
                // property whose schema is rewritten like any other.
                if k == "properties" {
                    if let Value::Object(props) = child {
                        for schema in props.values_mut() {
                            rewrite(schema, body_params);
                        }
                    }
                    continue;
                }
                rewrite(child, body_params);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite(i, body_params)),
        _ => {}
    }
}

/// The schema part of a non-body parameter (or header): type, format, items, enum, bounds…
fn param_schema(p: &Map<String, Value>) -> Value {
    let mut s = Map::new();
    for k in [
        "type",
        "format",
        "items",
        "enum",
        "default",
        "maximum",
        "minimum",
        "exclusiveMaximum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "multipleOf",
        "x-nullable",
    ] {
        if let Some(v) = p.get(k) {
            s.insert(k.to_string(), v.clone());
        }
    }
    if let Some(Value::Object(items)) = s.get_mut("items") {
        items.remove("collectionFormat");
    }
    if s.get("type").and_then(Value::as_str) == Some("file") {
        s.insert("type".into(), json!("string"));
        s.insert("format".into(), json!("binary"));
    }
    Value::Object(s)
}

fn convert_param(p: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    for k in [
        "name",
        "in",
        "description",
        "required",
        "deprecated",
        "allowEmptyValue",
    ] {
        if let Some(v) = p.get(k) {
            out.insert(k.to_string(), v.clone());
        }
    }
    for (k, v) in p {
        if k.starts_with("x-") {
            out.insert(k.clone(), v.clone());
        }
    }
    let location = p.get("in").and_then(Value::as_str).unwrap_or("");
    if location == "path" {
        out.insert("required".into(), Value::Bool(true));
    }
    let is_array = p.get("type").and_then(Value::as_str) == Some("array");
    if is_array {
        let (style, explode) = match p
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv")
        {
            "multi" => ("form", true),
            "ssv" => ("spaceDelimited", false),
            "pipes" => ("pipeDelimited", false),
            _ if location == "query" || location == "cookie" => ("form", false),
            _ => ("simple", false),
        };
        out.insert("style".into(), json!(style));
        out.insert("explode".into(), json!(explode));
    }
    out.insert("schema".into(), param_schema(p));
    Value::Object(out)
}

fn content_for(types: &[String], schema: Option<&Value>) -> Value {
    let mut content = Map::new();
    for t in types {
        let mut mt = Map::new();
        if let Some(s) = schema {
            mt.insert("schema".into(), s.clone());
        }
        content.insert(t.clone(), Value::Object(mt));
    }
    Value::Object(content)
}

fn convert_response(r: &Map<String, Value>, produces: &[String]) -> Value {
    if r.contains_key("$ref") {
        return Value::Object(r.clone());
    }
    let mut out = Map::new();
    out.insert(
        "description".into(),
        r.get("description").cloned().unwrap_or_else(|| json!("")),
    );
    if let Some(schema) = r.get("schema") {
        out.insert("content".into(), content_for(produces, Some(schema)));
    }
    if let Some(Value::Object(headers)) = r.get("headers") {
        let mut hs = Map::new();
        for (name, h) in headers {
            if let Value::Object(h) = h {
                let mut ho = Map::new();
                if let Some(d) = h.get("description") {
                    ho.insert("description".into(), d.clone());
                }
                ho.insert("schema".into(), param_schema(h));
                hs.insert(name.clone(), Value::Object(ho));
            }
        }
        out.insert("headers".into(), Value::Object(hs));
    }
    for (k, v) in r {
        if k.starts_with("x-") {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}

/// Body/formData parameters of one operation → a requestBody.
fn request_body(params: &[Map<String, Value>], consumes: &[String]) -> Option<Value> {
    if let Some(body) = params
        .iter()
        .find(|p| p.get("in").and_then(Value::as_str) == Some("body"))
    {
        let types: Vec<String> = if consumes.is_empty() {
            vec!["application/json".into()]
        } else {
            consumes.to_vec()
        };
        let mut rb = Map::new();
        rb.insert("content".into(), content_for(&types, body.get("schema")));
        if let Some(d) = body.get("description") {
            rb.insert("description".into(), d.clone());
        }
        rb.insert(
            "required".into(),
            body.get("required").cloned().unwrap_or(Value::Bool(false)),
        );
        if let Some(n) = body.get("name") {
            rb.insert("x-body-name".into(), n.clone());
        }
        for (k, v) in body {
            if k.starts_with("x-") {
                rb.insert(k.clone(), v.clone());
            }
        }
        return Some(Value::Object(rb));
    }
    let form: Vec<&Map<String, Value>> = params
        .iter()
        .filter(|p| p.get("in").and_then(Value::as_str) == Some("formData"))
        .collect();
    if form.is_empty() {
        return None;
    }
    let has_file = form
        .iter()
        .any(|p| p.get("type").and_then(Value::as_str) == Some("file"));
    let media = if has_file || consumes.iter().any(|c| c.starts_with("multipart/")) {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    let mut props = Map::new();
    let mut required = Vec::new();
    for p in &form {
        let Some(name) = p.get("name").and_then(Value::as_str) else {
            continue;
        };
        let mut s = param_schema(p);
        if let (Value::Object(s), Some(d)) = (&mut s, p.get("description")) {
            s.insert("description".into(), d.clone());
        }
        props.insert(name.to_string(), s);
        if p.get("required") == Some(&Value::Bool(true)) {
            required.push(json!(name));
        }
    }
    let mut schema = json!({ "type": "object", "properties": props });
    if !required.is_empty() {
        schema["required"] = Value::Array(required);
    }
    Some(json!({ "content": { media: { "schema": schema } }, "required": true }))
}

/// Converts the document in place.
pub(crate) fn upgrade(doc: &mut Value, cx: &mut Ctx3) {
    let Value::Object(root) = doc else { return };
    let consumes = strings(root.get("consumes"));
    let produces = {
        let p = strings(root.get("produces"));
        if p.is_empty() {
            vec!["application/json".to_string()]
        } else {
            p
        }
    };
    // Global parameters: body ones become requestBodies.
    let globals: Map<String, Value> = root
        .get("parameters")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let body_params: Map<String, Value> = globals
        .iter()
        .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("body"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let form_params: Map<String, Value> = globals
        .iter()
        .filter(|(_, p)| p.get("in").and_then(Value::as_str) == Some("formData"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    // Servers, checked (see `crate::routing`): a host that is not `host[:port]`, a base path
    // with a query, a fragment or dot segments, and schemes other than http(s) are never
    // turned into a server.
    let mut host = root.get("host").and_then(Value::as_str).map(str::to_string);
    let mut base = root
        .get("basePath")
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim_end_matches('/')
        .to_string();
    if let Err(p) = crate::routing::check_base_url(&base) {
        cx.error_hint(
            p.code,
            format!("`basePath`: {}", p.message),
            "/basePath",
            p.hint,
        );
        base = String::new();
    }
    // `{{your_domain}}`: a placeholder, not a host; the base URL becomes a client input.
    let mut host_var = None;
    if let Some(h) = host.clone() {
        let name = h
            .trim()
            .strip_prefix("{{")
            .and_then(|r| r.strip_suffix("}}"))
            .or_else(|| h.trim().strip_prefix('{').and_then(|r| r.strip_suffix('}')))
            .filter(|n| !n.is_empty() && !n.contains(['{', '}']));
        if let Some(n) = name {
            let n: String = n
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .collect();
            host = Some(format!("{{{n}}}"));
            host_var = Some(n);
        } else if let Err(p) = crate::routing::check_host(&h) {
            cx.error_hint(p.code, format!("`host`: {}", p.message), "/host", p.hint);
            host = None;
        }
    }
    let schemes = {
        let s = strings(root.get("schemes"));
        let (ok, bad): (Vec<String>, Vec<String>) = s
            .into_iter()
            .partition(|s| s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"));
        if !bad.is_empty() && ok.is_empty() {
            cx.error_hint(
                "route/scheme",
                format!(
                    "`schemes` lists only {}; a client calls `http` or `https` URLs",
                    bad.join(", ")
                ),
                "/schemes",
                "list `https` (or `http`) in `schemes`",
            );
            host = None;
        } else if !bad.is_empty() {
            cx.warn(
                "route/scheme",
                format!(
                    "`schemes` lists {}, which a client cannot call; they are left out",
                    bad.join(", ")
                ),
                "/schemes",
            );
        }
        let ok: Vec<String> = ok.into_iter().map(|s| s.to_ascii_lowercase()).collect();
        if ok.is_empty() {
            vec!["https".to_string()]
        } else {
            ok
        }
    };
    let servers: Vec<Value> = match &host {
        Some(h) => {
            let mut ordered = schemes.clone();
            ordered.sort_by_key(|s| if s == "https" { 0 } else { 1 });
            ordered
                .iter()
                .map(|s| {
                    let mut server = json!({ "url": format!("{s}://{h}{base}"), "x-connectorkit-pointer": "/host" });
                    if let Some(n) = &host_var {
                        server["variables"] = json!({ n.as_str(): { "default": "", "description": "the API's host (the definition's `host` is a placeholder)" } });
                    }
                    server
                })
                .collect()
        }
        None => {
            vec![json!({ "url": if base.is_empty() { "/".to_string() } else { base.clone() } })]
        }
    };

    let mut components = Map::new();
    if let Some(defs) = root.remove("definitions") {
        components.insert("schemas".into(), defs);
    }
    let mut params_out = Map::new();
    let mut bodies_out = Map::new();
    for (name, p) in &globals {
        let Value::Object(pm) = p else { continue };
        match pm.get("in").and_then(Value::as_str) {
            Some("body") => {
                if let Some(rb) = request_body(std::slice::from_ref(pm), &consumes) {
                    bodies_out.insert(name.clone(), rb);
                }
            }
            Some("formData") => {}
            _ => {
                params_out.insert(name.clone(), convert_param(pm));
            }
        }
    }
    if !params_out.is_empty() {
        components.insert("parameters".into(), Value::Object(params_out));
    }
    if !bodies_out.is_empty() {
        components.insert("requestBodies".into(), Value::Object(bodies_out));
    }
    if let Some(Value::Object(resps)) = root.remove("responses") {
        let converted: Map<String, Value> = resps
            .iter()
            .filter_map(|(k, v)| {
                v.as_object()
                    .map(|r| (k.clone(), convert_response(r, &produces)))
            })
            .collect();
        components.insert("responses".into(), Value::Object(converted));
    }
    if let Some(Value::Object(sec)) = root.remove("securityDefinitions") {
        let mut out = Map::new();
        for (name, s) in sec {
            let Value::Object(s) = s else { continue };
            let mut o = Map::new();
            match s.get("type").and_then(Value::as_str) {
                Some("basic") => {
                    o.insert("type".into(), json!("http"));
                    o.insert("scheme".into(), json!("basic"));
                }
                Some("apiKey") => {
                    o.insert("type".into(), json!("apiKey"));
                    o.insert("in".into(), s.get("in").cloned().unwrap_or(json!("header")));
                    o.insert("name".into(), s.get("name").cloned().unwrap_or(json!("")));
                }
                Some("oauth2") => {
                    let scopes = s.get("scopes").cloned().unwrap_or(json!({}));
                    let mut flow = Map::new();
                    if let Some(u) = s.get("authorizationUrl") {
                        flow.insert("authorizationUrl".into(), u.clone());
                    }
                    if let Some(u) = s.get("tokenUrl") {
                        flow.insert("tokenUrl".into(), u.clone());
                    }
                    flow.insert("scopes".into(), scopes);
                    let kind = match s.get("flow").and_then(Value::as_str) {
                        Some("implicit") => "implicit",
                        Some("password") => "password",
                        Some("application") => "clientCredentials",
                        _ => "authorizationCode",
                    };
                    if kind == "implicit" {
                        flow.remove("tokenUrl");
                    } else if !flow.contains_key("tokenUrl") {
                        flow.insert(
                            "tokenUrl".into(),
                            flow.get("authorizationUrl").cloned().unwrap_or(json!("")),
                        );
                    }
                    if matches!(kind, "implicit" | "authorizationCode")
                        && !flow.contains_key("authorizationUrl")
                    {
                        flow.insert(
                            "authorizationUrl".into(),
                            flow.get("tokenUrl").cloned().unwrap_or(json!("")),
                        );
                    }
                    if matches!(kind, "password" | "clientCredentials") {
                        flow.remove("authorizationUrl");
                    }
                    o.insert("type".into(), json!("oauth2"));
                    o.insert("flows".into(), json!({ kind: flow }));
                }
                other => {
                    cx.warn(
                        "normalize/swagger2-security",
                        format!("security definition `{name}` has unknown type {other:?}; it is skipped"),
                        &format!("/securityDefinitions/{}", crate::pointer::escape(&name)),
                    );
                    continue;
                }
            }
            if let Some(d) = s.get("description") {
                o.insert("description".into(), d.clone());
            }
            for (k, v) in &s {
                if k.starts_with("x-") {
                    o.insert(k.clone(), v.clone());
                }
            }
            out.insert(name, Value::Object(o));
        }
        components.insert("securitySchemes".into(), Value::Object(out));
    }

    // Paths.
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (_, item) in paths.iter_mut() {
            let Value::Object(item) = item else { continue };
            let shared: Vec<Value> = item
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            if !shared.is_empty() {
                let kept: Vec<Value> = shared
                    .iter()
                    .filter(|p| !is_body_like(p, &body_params, &form_params))
                    .map(|p| match p.as_object() {
                        Some(pm) if !pm.contains_key("$ref") => convert_param(pm),
                        _ => p.clone(),
                    })
                    .collect();
                item.insert("parameters".into(), Value::Array(kept));
            }
            for m in METHODS {
                let Some(Value::Object(op)) = item.get_mut(*m) else {
                    continue;
                };
                let op_consumes = {
                    let c = strings(op.remove("consumes").as_ref());
                    if c.is_empty() {
                        consumes.clone()
                    } else {
                        c
                    }
                };
                let op_produces = {
                    let p = strings(op.remove("produces").as_ref());
                    if p.is_empty() {
                        produces.clone()
                    } else {
                        p
                    }
                };
                op.remove("schemes");
                let mut all: Vec<Map<String, Value>> = Vec::new();
                let mut kept = Vec::new();
                // Path-level body/form parameters apply to every operation.
                for p in shared.iter().chain(
                    op.get("parameters")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten(),
                ) {
                    let resolved = resolve_param(p, &globals);
                    match resolved {
                        Some(pm)
                            if matches!(
                                pm.get("in").and_then(Value::as_str),
                                Some("body" | "formData")
                            ) =>
                        {
                            all.push(pm);
                        }
                        _ => {
                            if op
                                .get("parameters")
                                .and_then(Value::as_array)
                                .is_some_and(|a| a.contains(p))
                            {
                                kept.push(match p.as_object() {
                                    Some(pm) if !pm.contains_key("$ref") => convert_param(pm),
                                    _ => p.clone(),
                                });
                            }
                        }
                    }
                }
                op.insert("parameters".into(), Value::Array(kept));
                if let Some(rb) = request_body(&all, &op_consumes) {
                    op.insert("requestBody".into(), rb);
                }
                if let Some(Value::Object(resps)) = op.get_mut("responses") {
                    for (_, r) in resps.iter_mut() {
                        if let Value::Object(rm) = r {
                            *r = convert_response(rm, &op_produces);
                        }
                    }
                }
            }
        }
    }
    for k in [
        "host",
        "basePath",
        "schemes",
        "consumes",
        "produces",
        "parameters",
        "swagger",
    ] {
        root.remove(k);
    }
    root.insert("openapi".into(), json!("3.0.3"));
    root.insert("servers".into(), Value::Array(servers));
    if !components.is_empty() {
        root.insert("components".into(), Value::Object(components));
    }
    rewrite(doc, &body_params);
}

fn resolve_param(p: &Value, globals: &Map<String, Value>) -> Option<Map<String, Value>> {
    let m = p.as_object()?;
    match m.get("$ref").and_then(Value::as_str) {
        Some(r) => globals
            .get(r.strip_prefix("#/parameters/")?)
            .and_then(Value::as_object)
            .cloned(),
        None => Some(m.clone()),
    }
}

fn is_body_like(p: &Value, body: &Map<String, Value>, form: &Map<String, Value>) -> bool {
    if let Some(r) = p
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/parameters/"))
    {
        return body.contains_key(r) || form.contains_key(r);
    }
    matches!(
        p.get("in").and_then(Value::as_str),
        Some("body" | "formData")
    )
}
