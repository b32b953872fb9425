//! Operations → actions: names, parameters, bodies, responses, security.

use std::collections::BTreeSet;

use openapiv3::{
    Operation, Parameter, ParameterSchemaOrContent, PathStyle, ReferenceOr, RequestBody, Response,
    StatusCode,
};

use super::extensions as ext;
use super::names::{bare, pascal_ident, snake_binding, snake_ident, Namer};
use super::resolve::Resolver;
use super::types::{RustType, TypeSpace};
use super::{
    Action, AuthScheme, Body, BodyKind, DynamicValues, Injected, InjectedValue, Outcome, Pageable,
    Param, ParamLocation, QueryStyle, ResponseBody, ResponseCase, StatusMatch, Trigger,
    TriggerKind,
};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceSet;
use crate::pointer;

/// Method names the generated client already uses.
const RESERVED_METHODS: &[&str] = &[
    "new",
    "connect",
    "builder",
    "from_runtime",
    "runtime",
    "with_base_url",
    "triggers",
    "connection_value",
    "with_runtime_credential",
    "clone",
    "fmt",
];

/// Builds every action, in path then method order.
pub fn build(
    resolver: Resolver<'_>,
    space: &mut TypeSpace<'_>,
    auth: &[AuthScheme],
    sources: &SourceSet,
    diags: &mut Diagnostics,
) -> (Vec<Action>, Vec<super::ChoicesHelper>) {
    let openapi = resolver.openapi;
    let mut reserved: Vec<&str> = RESERVED_METHODS.to_vec();
    reserved.extend(auth.iter().map(|a| a.method.as_str()));
    let mut namer = Namer::with_reserved(&reserved);
    let mut seen_ids: BTreeSet<String> = BTreeSet::new();
    let known: BTreeSet<&str> = auth.iter().map(|a| a.name.as_str()).collect();
    let unknown_schemes = std::cell::RefCell::new(std::collections::BTreeMap::new());
    let mut actions = Vec::new();
    for (path, item) in openapi.paths.paths.iter() {
        let path_ptr = pointer::push("/paths", path);
        let item = match item {
            ReferenceOr::Item(i) => i,
            ReferenceOr::Reference { reference } => {
                diags.push(Diagnostic::error(
                    "ref/unresolved-path-item",
                    format!(
                        "path item reference `{reference}` was not bundled; the path is skipped"
                    ),
                    sources.locate(&path_ptr),
                ));
                continue;
            }
        };
        if let Some(problem) = super::checks::template_problem(path) {
            diags.push(
                Diagnostic::error(
                    "model/path-template",
                    format!("path template `{path}` is malformed: {problem}; its operations are skipped"),
                    sources.locate(&path_ptr),
                )
                .with_hint("write each path parameter as `{name}`, braces balanced"),
            );
            continue;
        }
        for (method, op) in item.iter() {
            let op_ptr = pointer::push(&path_ptr, method);
            if let Some(id) = &op.operation_id {
                if !seen_ids.insert(id.clone()) {
                    diags.push(
                        Diagnostic::warning(
                            "model/duplicate-operation-id",
                            format!("operationId `{id}` is used more than once"),
                            sources.locate(&pointer::push(&op_ptr, "operationId")),
                        )
                        .with_hint("operationIds must be unique; the later one gets a numbered method name"),
                    );
                }
            }
            let wanted = match &op.operation_id {
                Some(id) => snake_ident(id, &fallback_name(method, path)),
                None => snake_ident(&fallback_name(method, path), "action"),
            };
            let (ident, renamed) = namer.claim(&wanted);
            if renamed {
                diags.push(Diagnostic::warning(
                    "model/name-collision",
                    format!(
                        "{} {path} would be `{wanted}`, which is taken; it is generated as `{ident}`",
                        method.to_uppercase()
                    ),
                    sources.locate(&op_ptr),
                ));
            }
            let ctx = ActionCtx {
                resolver,
                sources,
                type_prefix: pascal_ident(bare(&ident), "Action"),
                ptr: op_ptr,
                unknown_schemes: &unknown_schemes,
            };
            let mut action = ctx.action(
                space,
                diags,
                ident,
                method,
                path,
                op,
                &item.parameters,
                &known,
            );
            ctx.extensions(space, diags, &mut action, op, &item.extensions, &mut namer);
            actions.push(action);
        }
    }
    for (name, (ptr, count)) in unknown_schemes.into_inner() {
        let more = match count {
            1 => String::new(),
            n => format!(" (here and in {} more operations)", n - 1),
        };
        diags.push(
            Diagnostic::warning(
                "auth/unknown-scheme",
                format!("security requirement names `{name}`, which is not a usable security scheme{more}; those requirements are ignored"),
                sources.locate(&ptr),
            )
            .with_hint("declare it under securityDefinitions / components.securitySchemes"),
        );
    }
    mark_replaced_revisions(&mut actions, openapi);
    check_dynamic_sources(&actions, sources, diags);
    let choices = super::helpers::name_helpers(&mut actions, &mut namer);
    (actions, choices)
}

/// Dynamic values whose listing operation cannot be called: no `…_choices` helper is made.
fn check_dynamic_sources(actions: &[Action], sources: &SourceSet, diags: &mut Diagnostics) {
    for a in actions {
        let params = a
            .params
            .iter()
            .filter(|p| p.constant.is_none())
            .filter_map(|p| Some((p.wire_name.as_str(), p.dynamic.as_ref()?)));
        let body = a.body.iter().flat_map(|b| {
            b.dynamic
                .iter()
                .filter(|(name, _)| !b.injected.iter().any(|i| &i.wire_name == name))
                .map(|(name, d)| (name.as_str(), d))
        });
        for (wire, d) in params.chain(body) {
            let source = actions
                .iter()
                .find(|r| r.operation_id.as_deref() == Some(d.operation_id.as_str()));
            let problem = match (source, &d.capability) {
                (None, Some(cap)) if d.operation_id.is_empty() => format!(
                    "they come from the platform's `{cap}` capability (a browsing UI), which a client cannot reproduce"
                ),
                (None, _) => format!(
                    "its listing operation `{}` is not in the definition",
                    d.operation_id
                ),
                (Some(r), _) if r.body.as_ref().is_some_and(|b| !b.no_argument) => format!(
                    "its listing operation `{}` takes a request body the definition does not fill",
                    d.operation_id
                ),
                (Some(_), _) => continue,
            };
            diags.push(
                Diagnostic::warning(
                    "model/dynamic-values-unusable",
                    format!(
                        "`{wire}` of `{}` has dynamic values, but {problem}; no `…_choices` helper is generated",
                        bare(&a.ident)
                    ),
                    sources.locate(&d.pointer),
                )
                .with_hint("the parameter still takes any value; the helper needs an `operationId` that names a listing operation callable without a body"),
            );
        }
    }
}

/// `x-ms-api-annotation` families: older revisions are deprecated in favour of the newest.
fn mark_replaced_revisions(actions: &mut [Action], openapi: &openapiv3::OpenAPI) {
    let mut by_id: std::collections::BTreeMap<String, (String, i64)> = Default::default();
    for (_, _, op) in openapi.operations() {
        if let (Some(id), Some(a)) = (&op.operation_id, ext::annotation(&op.extensions)) {
            by_id.insert(id.clone(), a);
        }
    }
    let mut newest: std::collections::BTreeMap<String, (i64, String)> = Default::default();
    for a in actions.iter() {
        let Some((family, rev)) = a.operation_id.as_ref().and_then(|id| by_id.get(id)) else {
            continue;
        };
        let e = newest
            .entry(family.clone())
            .or_insert((*rev, a.ident.clone()));
        if *rev > e.0 {
            *e = (*rev, a.ident.clone());
        }
    }
    for a in actions.iter_mut() {
        let Some((family, rev)) = a.operation_id.as_ref().and_then(|id| by_id.get(id)) else {
            continue;
        };
        if let Some((best, ident)) = newest.get(family) {
            if rev < best && (a.deprecated || a.deprecated_note.is_none()) {
                a.deprecated = true;
                a.deprecated_note = Some(format!(
                    "revision {rev} of `{family}`; use `{}` (revision {best}) instead",
                    bare(ident)
                ));
            }
        }
    }
}

/// `get /pets/{petId}` → `get_pets_pet_id`.
fn fallback_name(method: &str, path: &str) -> String {
    let mut s = method.to_string();
    for seg in path.split('/') {
        let seg = seg.trim_matches(|c| c == '{' || c == '}');
        if !seg.is_empty() {
            s.push('_');
            s.push_str(seg);
        }
    }
    s
}

struct ActionCtx<'a> {
    resolver: Resolver<'a>,
    sources: &'a SourceSet,
    type_prefix: String,
    ptr: String,
    /// Security requirements naming no known scheme: name → (first pointer, operations).
    unknown_schemes: &'a std::cell::RefCell<std::collections::BTreeMap<String, (String, usize)>>,
}

impl<'a> ActionCtx<'a> {
    #[allow(clippy::too_many_arguments)]
    fn action(
        &self,
        space: &mut TypeSpace<'_>,
        diags: &mut Diagnostics,
        ident: String,
        method: &str,
        path: &str,
        op: &'a Operation,
        path_params: &'a [ReferenceOr<Parameter>],
        known_schemes: &BTreeSet<&str>,
    ) -> Action {
        // `foo`, `baz` and `quux` are clippy's disallowed names: such arguments get a suffix.
        let mut arg_namer = Namer::with_reserved(&["body", "params", "foo", "baz", "quux"]);
        let params = self.params(space, diags, &mut arg_namer, path, op, path_params);
        let params_struct = if params.iter().any(|p| !p.required) {
            Some(space.claim_name(&format!("{}Params", self.type_prefix)))
        } else {
            None
        };
        let body = op
            .request_body
            .as_ref()
            .and_then(|b| self.body(space, diags, b));
        let (success, errors) = self.responses(space, diags, op, method);
        let success_type = self.success_outcome(space, &success);
        let error_type = self.error_outcome(space, &errors);
        let security = self.security(op, known_schemes);
        Action {
            ident,
            operation_id: op.operation_id.clone(),
            method: method.to_uppercase(),
            path: path.to_string(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            params,
            params_struct,
            body,
            security,
            always: Vec::new(),
            success,
            success_type,
            errors,
            error_type,
            wire_path: None,
            wire_method: None,
            path_from_connection: Vec::new(),
            path_from_query: Vec::new(),
            host: None,
            notes: Vec::new(),
            hidden: false,
            deprecated_note: None,
            trigger: None,
            pageable: None,
            location_template: None,
            url_param: None,
            base_url: None,
            base_name: None,
            decode_fn: None,
            base_setter: None,
            json_twin: None,
            module: None,
        }
    }

    /// Operation-level `x-ms-*`: internal operations, triggers, paging, dynamic schemas.
    fn extensions(
        &self,
        space: &mut TypeSpace<'_>,
        diags: &mut Diagnostics,
        action: &mut Action,
        op: &'a Operation,
        item_ext: &indexmap::IndexMap<String, serde_json::Value>,
        namer: &mut Namer,
    ) {
        let e = &op.extensions;
        action.hidden = ext::is_internal(e);
        // Set by the Postman front end: requests sharing a method and path get a
        // `#name` path key; custom methods (PURGE) ride in another slot.
        if let Some(p) = e.get("x-connectorkit-wire-path").and_then(|v| v.as_str()) {
            action.wire_path = Some(p.to_string());
        }
        if let Some(m) = e.get("x-connectorkit-method").and_then(|v| v.as_str()) {
            action.wire_method = Some(m.to_ascii_uppercase());
        }
        if let Some(p) = e.get("x-connectorkit-url-param").and_then(|v| v.as_str()) {
            if action
                .params
                .iter()
                .any(|x| x.wire_name == p && x.location == super::ParamLocation::Path && x.required)
            {
                action.url_param = Some(p.to_string());
            }
        }
        if let Some(server) = op.servers.first() {
            let default_servers = &self.resolver.openapi.servers;
            let mut url = server.url.clone();
            // A variable without a value stays `{name}`: the request fails until the
            // server's base URL is set, rather than going to the client's base URL.
            let mut unset = false;
            for name in crate::routing::placeholders(&server.url) {
                match server.variables.as_ref().and_then(|m| m.get(&name)) {
                    Some(v) if !v.default.trim().is_empty() => {
                        url = url.replace(&format!("{{{name}}}"), &v.default);
                    }
                    _ => unset = true,
                }
            }
            // Only an absolute URL can be a base URL of its own (a relative server URL is
            // relative to where the document was served from).
            if default_servers.first().map(|s| &s.url) != Some(&server.url)
                && (url.contains("://") || unset)
            {
                action.base_name = server
                    .extensions
                    .get("x-connectorkit-base-name")
                    .and_then(|v| v.as_str())
                    .map(str::to_string);
                action.notes.push(match &action.base_name {
                    Some(n) => format!(
                        "This request goes to the `{n}` server (default `{url}`), not to the client's base URL."
                    ),
                    None => format!(
                        "This request goes to `{url}` (an operation-level server), not to the client's base URL."
                    ),
                });
                action.base_url = Some(url);
            }
        }
        if let Some(source) = ext::dynamic_schema(e) {
            action.notes.push(format!(
                "Part of the schema is dynamic (`x-ms-dynamic-schema`: it comes from `{source}` at design time), so it is typed as `serde_json::Value`."
            ));
        }
        if let Some(batch) = ext::trigger(e) {
            let has_notification = item_ext.contains_key("x-ms-notification-content");
            let callback_in_body = action.body.as_ref().is_some_and(|b| {
                b.injected
                    .iter()
                    .any(|i| i.value == InjectedValue::CallbackUrl)
            });
            let callback_param = op.parameters.iter().find_map(|p| match p {
                ReferenceOr::Item(p)
                    if ext::notification_url(&p.parameter_data_ref().extensions) =>
                {
                    Some(p.parameter_data_ref().name.clone())
                }
                _ => None,
            });
            let kind = if action.method != "GET"
                || has_notification
                || callback_in_body
                || callback_param.is_some()
            {
                TriggerKind::Webhook
            } else {
                TriggerKind::Polling
            };
            let _ = ext::polling_metadata(e);
            let (notification, notification_doc) = match item_ext
                .get("x-ms-notification-content")
                .and_then(|n| n.get("schema"))
                .and_then(|s| {
                    serde_json::from_value::<ReferenceOr<openapiv3::Schema>>(s.clone()).ok()
                }) {
                Some(schema) => {
                    let ptr = pointer::push(
                        &pointer::push(&self.ptr_parent(), "x-ms-notification-content"),
                        "schema",
                    );
                    let ty =
                        space.type_for(&schema, &format!("{}Notification", self.type_prefix), &ptr);
                    let ty = if batch {
                        RustType::Vec(Box::new(ty))
                    } else {
                        ty
                    };
                    let doc = item_ext
                        .get("x-ms-notification-content")
                        .and_then(|n| n.get("description"))
                        .and_then(|d| d.as_str())
                        .map(str::to_string);
                    (Some(ty), doc)
                }
                None => {
                    if kind == TriggerKind::Webhook {
                        diags.push(Diagnostic::warning(
                            "extension/no-notification-schema",
                            format!("webhook trigger `{}` has no `x-ms-notification-content` on its path item; notifications parse as `serde_json::Value`", bare(&action.ident)),
                            self.sources.locate(&self.ptr),
                        ));
                    }
                    (None, None)
                }
            };
            let (parse_fn, _) = namer.claim(&format!("parse_{}_notification", bare(&action.ident)));
            action.trigger = Some(Trigger {
                kind,
                batch,
                notification,
                notification_doc,
                parse_fn,
                poll_fn: None,
                callback_param,
            });
        }
        if let Some(next) = ext::pageable(e) {
            let (method, _) = namer.claim(&format!("{}_pages", bare(&action.ident)));
            action.pageable = Some(Pageable {
                next_link_name: next,
                next_link_field: None,
                method,
            });
        }
    }

    fn params(
        &self,
        space: &mut TypeSpace<'_>,
        diags: &mut Diagnostics,
        namer: &mut Namer,
        path: &str,
        op: &'a Operation,
        path_params: &'a [ReferenceOr<Parameter>],
    ) -> Vec<Param> {
        let resolve = |p: &'a ReferenceOr<Parameter>| {
            self.resolver.resolve(p, "parameters", |c| &c.parameters)
        };
        // Operation parameters override path-item parameters with the same name and location.
        let mut merged: Vec<(std::borrow::Cow<'a, Parameter>, String)> = Vec::new();
        for (i, p) in path_params.iter().enumerate() {
            let ptr = pointer::push(
                &pointer::push(&self.ptr_parent(), "parameters"),
                &i.to_string(),
            );
            match resolve(p) {
                Some(p) => merged.push((p, ptr)),
                None => diags.push(self.unresolved(p, &ptr)),
            }
        }
        for (i, p) in op.parameters.iter().enumerate() {
            let ptr = pointer::push(&pointer::push(&self.ptr, "parameters"), &i.to_string());
            match resolve(p) {
                Some(p) => {
                    let key = (p.parameter_data_ref().name.clone(), location(&p));
                    merged
                        .retain(|(q, _)| (q.parameter_data_ref().name.clone(), location(q)) != key);
                    merged.push((p, ptr));
                }
                None => diags.push(self.unresolved(p, &ptr)),
            }
        }
        let placeholders = placeholders(path);
        let mut out: Vec<Param> = Vec::new();
        for (p, ptr) in &merged {
            let data = p.parameter_data_ref();
            let loc = location(p);
            if loc == ParamLocation::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&data.name.to_ascii_lowercase().as_str())
            {
                continue;
            }
            if loc == ParamLocation::Path && !placeholders.contains(&data.name) {
                let mut d = Diagnostic::warning(
                    "model/path-param-unused",
                    format!(
                        "path parameter `{}` does not appear in `{path}`; it is ignored",
                        data.name
                    ),
                    self.sources.locate(ptr),
                );
                if let Some(h) =
                    super::checks::hint_for(&data.name, placeholders.iter().map(String::as_str))
                {
                    d = d.with_hint(h);
                }
                diags.push(d);
                continue;
            }
            if out
                .iter()
                .any(|q| q.wire_name == data.name && q.location == loc)
            {
                continue;
            }
            let ctx = format!("{}{}", self.type_prefix, pascal_ident(&data.name, "Param"));
            // What the schema says, a referenced one included (its description stands in
            // for a parameter that has none).
            let (facts, schema_description) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => serde_json::to_value(s)
                    .map(|v| {
                        let (node, referenced) = self.followed_schema(v);
                        let described = referenced
                            .then(|| {
                                node.get("description")
                                    .or_else(|| node.get("title"))
                                    .and_then(serde_json::Value::as_str)
                                    .map(str::to_string)
                            })
                            .flatten()
                            .filter(|d| !d.trim().is_empty());
                        (schema_facts(&node), described)
                    })
                    .unwrap_or_default(),
                ParameterSchemaOrContent::Content(_) => (Vec::new(), None),
            };
            // A referenced parameter's types point at the component it came from.
            let at = self.resolver.follow(ptr);
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    space.type_for(s, &ctx, &pointer::push(&at, "schema"))
                }
                ParameterSchemaOrContent::Content(c) => {
                    match c
                        .iter()
                        .next()
                        .and_then(|(k, m)| Some((k, m.schema.as_ref()?)))
                    {
                        Some((media, s)) => {
                            let content = pointer::push(&pointer::push(&at, "content"), media);
                            space.type_for(s, &ctx, &pointer::push(&content, "schema"))
                        }
                        None => RustType::String,
                    }
                }
            };
            let required = data.required || loc == ParamLocation::Path;
            // Optional parameters get their `Option` from the params struct.
            let ty = match ty {
                RustType::Option(inner) => *inner,
                t => t,
            };
            let style = match &**p {
                Parameter::Query { style, .. } => {
                    let explode = data
                        .explode
                        .unwrap_or(matches!(style, openapiv3::QueryStyle::Form));
                    match style {
                        openapiv3::QueryStyle::Form if explode => QueryStyle::Form,
                        openapiv3::QueryStyle::Form => QueryStyle::FormNoExplode,
                        openapiv3::QueryStyle::SpaceDelimited => QueryStyle::SpaceDelimited,
                        openapiv3::QueryStyle::PipeDelimited => QueryStyle::PipeDelimited,
                        openapiv3::QueryStyle::DeepObject => QueryStyle::DeepObject,
                    }
                }
                Parameter::Path { style, .. } => {
                    if !matches!(style, PathStyle::Simple) {
                        diags.push(Diagnostic::warning(
                            "model/path-style",
                            format!("path parameter `{}` uses a label/matrix style; it is sent in simple style", data.name),
                            self.sources.locate(ptr),
                        ));
                    }
                    QueryStyle::Form
                }
                _ => QueryStyle::Form,
            };
            let constant = self.constant(diags, p, ptr);
            let summary = ext::summary(&data.extensions);
            let own = data
                .description
                .clone()
                .filter(|d| !d.trim().is_empty())
                .or(schema_description);
            let mut description = match (summary, own) {
                (Some(s), Some(d)) if s.trim() != d.trim() => Some(format!("{s}: {d}")),
                (Some(s), None) => Some(s),
                (_, d) => d,
            };
            if let Some(source) = ext::dynamic_source(&data.extensions) {
                let note = format!("The choices come from the `{source}` operation.");
                description = Some(match description {
                    Some(d) => format!("{d}\n\n{note}"),
                    None => note,
                });
            }
            let (ident, _) = if constant.is_some() {
                (format!("__constant_{}", out.len()), false)
            } else {
                namer.claim(&snake_binding(&data.name, "param"))
            };
            out.push(Param {
                wire_name: data.name.clone(),
                ident,
                location: loc,
                ty,
                required: required || constant.is_some(),
                style,
                description,
                deprecated: data.deprecated.unwrap_or(false),
                constant,
                encode_twice: loc == ParamLocation::Path && ext::double_encoded(&data.extensions),
                dynamic: ext::dynamic_values(&data.extensions).map(|mut d| {
                    d.pointer = ptr.clone();
                    d
                }),
                facts,
                pointer: ptr.clone(),
            });
        }
        // Every placeholder needs a value.
        for name in placeholders.clone() {
            if !out
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                let declared = merged
                    .iter()
                    .map(|(p, _)| p.parameter_data_ref())
                    .filter(|d| !placeholders.contains(&d.name))
                    .map(|d| d.name.as_str());
                let hint = match super::checks::did_you_mean(&name, declared) {
                    Some(close) => format!(
                        "did you mean `{close}`? Path parameter names must match the template"
                    ),
                    None => "declare it under `parameters` with `in: path`".to_string(),
                };
                diags.push(
                    Diagnostic::warning(
                        "model/path-param-missing",
                        format!("`{{{name}}}` in `{path}` has no parameter; it is generated as a string argument"),
                        self.sources.locate(&self.ptr),
                    )
                    .with_hint(hint),
                );
                let (ident, _) = namer.claim(&snake_binding(&name, "param"));
                out.push(Param {
                    wire_name: name.clone(),
                    ident,
                    location: ParamLocation::Path,
                    ty: RustType::String,
                    required: true,
                    style: QueryStyle::Form,
                    description: None,
                    deprecated: false,
                    constant: None,
                    encode_twice: false,
                    dynamic: None,
                    facts: Vec::new(),
                    pointer: self.ptr.clone(),
                });
            }
        }
        // Required first (path ones in template order), then optional, stable otherwise.
        let order = placeholders_order(path);
        out.sort_by_key(|p| {
            let path_pos = order
                .iter()
                .position(|n| *n == p.wire_name && p.location == ParamLocation::Path);
            (
                !p.required,
                p.location != ParamLocation::Path,
                path_pos.unwrap_or(usize::MAX),
            )
        });
        out
    }

    /// A parameter's schema with its chain of local `$ref`s followed (at most 32 links), and
    /// whether a reference was followed. A reference that leads nowhere stays as it is.
    fn followed_schema(&self, node: serde_json::Value) -> (serde_json::Value, bool) {
        let target = node
            .get("$ref")
            .and_then(serde_json::Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| self.resolver.value.pointer(&self.resolver.follow(p)));
        match target {
            Some(t) => (t.clone(), true),
            None => (node, false),
        }
    }

    /// `x-ms-visibility: internal` with a scalar default: a wire constant.
    fn constant(
        &self,
        diags: &mut Diagnostics,
        p: &Parameter,
        ptr: &str,
    ) -> Option<serde_json::Value> {
        let data = p.parameter_data_ref();
        if !ext::is_internal(&data.extensions) {
            return None;
        }
        let default = match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(s)) => s.schema_data.default.clone(),
            _ => None,
        };
        match default {
            Some(
                v @ (serde_json::Value::String(_)
                | serde_json::Value::Bool(_)
                | serde_json::Value::Number(_)),
            ) => Some(v),
            _ => {
                if data.required {
                    diags.push(
                        Diagnostic::warning(
                            "extension/internal-required",
                            format!(
                                "parameter `{}` is internal and required but has no scalar default; it stays an argument",
                                data.name
                            ),
                            self.sources.locate(ptr),
                        )
                        .with_hint("the platform fills it in at design time; pass the value the backend expects"),
                    );
                }
                None
            }
        }
    }

    fn ptr_parent(&self) -> String {
        match self.ptr.rfind('/') {
            Some(i) => self.ptr[..i].to_string(),
            None => String::new(),
        }
    }

    fn unresolved<T>(&self, r: &ReferenceOr<T>, ptr: &str) -> Diagnostic {
        let what = match r {
            ReferenceOr::Reference { reference } => format!("`{reference}`"),
            ReferenceOr::Item(_) => "an inline definition".to_string(),
        };
        Diagnostic::error(
            "ref/dangling",
            format!("{what} does not resolve; it is skipped"),
            self.sources.locate(ptr),
        )
    }

    fn body(
        &self,
        space: &mut TypeSpace<'_>,
        diags: &mut Diagnostics,
        body: &'a ReferenceOr<RequestBody>,
    ) -> Option<Body> {
        let ptr = pointer::push(&self.ptr, "requestBody");
        let Some(b) = self
            .resolver
            .resolve(body, "requestBodies", |c| &c.request_bodies)
        else {
            diags.push(self.unresolved(body, &ptr));
            return None;
        };
        let ctx = format!("{}Body", self.type_prefix);
        // A referenced body's types point at the component it came from.
        let at = self.resolver.follow(&ptr);
        let mut best: Option<(u8, BodyKind)> = None;
        let mut injected = Vec::new();
        let mut no_argument = false;
        let mut dynamic = Vec::new();
        for (media, mt) in &b.content {
            let m = media.to_ascii_lowercase();
            let mptr = pointer::push(&pointer::push(&at, "content"), media);
            let (rank, kind) = if is_json(&m) {
                let ty = match &mt.schema {
                    Some(s) => {
                        let sptr = pointer::push(&mptr, "schema");
                        dynamic = self.body_dynamic(s, &sptr);
                        match self.strip_injected(s) {
                            Some((stripped, inj, empty)) => {
                                injected = inj;
                                no_argument = empty;
                                space.type_for(&ReferenceOr::Item(stripped), &ctx, &sptr)
                            }
                            None => space.type_for(s, &ctx, &sptr),
                        }
                    }
                    None => RustType::Value,
                };
                (0, BodyKind::Json(ty))
            } else if m.starts_with("application/x-www-form-urlencoded") {
                let ty = match &mt.schema {
                    Some(s) => space.type_for(s, &ctx, &pointer::push(&mptr, "schema")),
                    None => RustType::JsonObject,
                };
                (1, BodyKind::Form(ty))
            } else if m.starts_with("multipart/") {
                let fields = mt
                    .schema
                    .as_ref()
                    .and_then(|s| match s {
                        ReferenceOr::Item(s) => Some(s.clone()),
                        ReferenceOr::Reference { reference } => self
                            .resolver
                            .by_pointer::<openapiv3::Schema>(reference)
                            .map(|c| c.into_owned()),
                    })
                    .map(|s| match &s.schema_kind {
                        openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) => {
                            o.properties.keys().cloned().collect()
                        }
                        _ => Vec::new(),
                    })
                    .unwrap_or_default();
                (2, BodyKind::Multipart(fields))
            } else if m.starts_with("text/") || m.contains("xml") {
                (3, BodyKind::Text(media.clone()))
            } else {
                (4, BodyKind::Bytes(media.clone()))
            };
            if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                best = Some((rank, kind));
            }
        }
        let (_, kind) = best?;
        if !matches!(kind, BodyKind::Json(_)) {
            injected.clear();
            no_argument = false;
            dynamic.clear();
        }
        Some(Body {
            kind,
            required: b.required,
            description: b.description.clone(),
            injected,
            no_argument,
            dynamic,
        })
    }

    /// Top-level properties of a JSON body schema that have `x-ms-dynamic-values` /
    /// `x-ms-dynamic-list`.
    fn body_dynamic(
        &self,
        schema: &ReferenceOr<openapiv3::Schema>,
        sptr: &str,
    ) -> Vec<(String, DynamicValues)> {
        let root = match schema {
            ReferenceOr::Item(s) => Some(s.clone()),
            ReferenceOr::Reference { reference } => self
                .resolver
                .by_pointer::<openapiv3::Schema>(reference)
                .map(|c| c.into_owned()),
        };
        let Some(root) = root else {
            return Vec::new();
        };
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(o)) = &root.schema_kind else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, prop) in &o.properties {
            let prop = match prop {
                ReferenceOr::Item(b) => Some((**b).clone()),
                ReferenceOr::Reference { reference } => self
                    .resolver
                    .by_pointer::<openapiv3::Schema>(reference)
                    .map(|c| c.into_owned()),
            };
            let Some(prop) = prop else { continue };
            if let Some(mut d) = ext::dynamic_values(&prop.schema_data.extensions) {
                d.pointer = pointer::push(&pointer::push(sptr, "properties"), name);
                out.push((name.clone(), d));
            }
        }
        out
    }

    /// A JSON object body without its internal constants and callback-URL field, which the
    /// client fills in; `None` when nothing is injected. The flag is true when nothing is left.
    fn strip_injected(
        &self,
        schema: &ReferenceOr<openapiv3::Schema>,
    ) -> Option<(openapiv3::Schema, Vec<Injected>, bool)> {
        let resolved: openapiv3::Schema = match schema {
            ReferenceOr::Item(s) => s.clone(),
            ReferenceOr::Reference { reference } => self
                .resolver
                .by_pointer::<openapiv3::Schema>(reference)?
                .into_owned(),
        };
        let mut out = resolved.clone();
        let openapiv3::SchemaKind::Type(openapiv3::Type::Object(obj)) = &mut out.schema_kind else {
            return None;
        };
        let mut injected = Vec::new();
        for (name, prop) in &obj.properties {
            let ReferenceOr::Item(p) = prop else { continue };
            let e = &p.schema_data.extensions;
            if ext::notification_url(e) {
                injected.push(Injected {
                    wire_name: name.clone(),
                    value: InjectedValue::CallbackUrl,
                });
            } else if ext::is_internal(e) {
                if let Some(
                    v @ (serde_json::Value::String(_)
                    | serde_json::Value::Bool(_)
                    | serde_json::Value::Number(_)),
                ) = &p.schema_data.default
                {
                    injected.push(Injected {
                        wire_name: name.clone(),
                        value: InjectedValue::Constant(v.clone()),
                    });
                }
            }
        }
        if injected.is_empty() {
            return None;
        }
        for i in &injected {
            obj.properties.shift_remove(&i.wire_name);
            obj.required.retain(|r| *r != i.wire_name);
        }
        let empty = obj.properties.is_empty() && obj.additional_properties.is_none();
        Some((out, injected, empty))
    }

    fn responses(
        &self,
        space: &mut TypeSpace<'_>,
        diags: &mut Diagnostics,
        op: &'a Operation,
        method: &str,
    ) -> (Vec<ResponseCase>, Vec<ResponseCase>) {
        let rptr = pointer::push(&self.ptr, "responses");
        let mut success = Vec::new();
        let mut errors = Vec::new();
        let mut all: Vec<(StatusMatch, &'a ReferenceOr<Response>, String)> = op
            .responses
            .responses
            .iter()
            .map(|(code, r)| {
                let (m, key) = match code {
                    StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string()),
                    StatusCode::Range(d) => (StatusMatch::Range(*d), format!("{d}XX")),
                };
                (m, r, key)
            })
            .collect();
        if let Some(d) = &op.responses.default {
            all.push((StatusMatch::Default, d, "default".to_string()));
        }
        for (status, r, key) in all {
            let ptr = pointer::push(&rptr, &key);
            let Some(resp) = self.resolver.resolve(r, "responses", |c| &c.responses) else {
                diags.push(self.unresolved(r, &ptr));
                continue;
            };
            let is_success = match status {
                StatusMatch::Code(c) => (200..300).contains(&c),
                StatusMatch::Range(d) => d == 2,
                StatusMatch::Default => false,
            };
            let name_suffix = status_variant(&status);
            let ctx = if is_success {
                format!("{}Response", self.type_prefix)
            } else {
                format!("{}{}", self.type_prefix, name_suffix)
            };
            // A referenced response's types point at the component it came from. A 204 or
            // 205 has no body whatever the definition says (RFC 9110 §15.3.5, §15.3.6): the
            // server sends none, so decoding one would fail on every success. Nor has any
            // response to HEAD (§9.3.2; Kubernetes documents its proxy HEADs with a string body).
            let head = method.eq_ignore_ascii_case("head");
            let body = if head || matches!(status, StatusMatch::Code(204 | 205)) {
                ResponseBody::Empty
            } else {
                self.response_body(space, &resp, &ctx, &self.resolver.follow(&ptr))
            };
            let case = ResponseCase {
                status,
                body,
                variant: name_suffix,
                description: resp.description.clone(),
            };
            if is_success {
                success.push(case);
            } else {
                errors.push(case);
            }
        }
        if success.is_empty() {
            // Nothing says what a success carries: its raw bytes, never a JSON decode.
            let head = method.eq_ignore_ascii_case("head");
            success.push(ResponseCase {
                status: StatusMatch::Range(2),
                body: if head {
                    ResponseBody::Empty
                } else {
                    ResponseBody::Bytes
                },
                variant: "Success".into(),
                description: UNDOCUMENTED_SUCCESS.into(),
            });
        }
        success.sort_by(|a, b| a.status.cmp(&b.status));
        errors.sort_by(|a, b| a.status.cmp(&b.status));
        (success, errors)
    }

    fn response_body(
        &self,
        space: &mut TypeSpace<'_>,
        resp: &Response,
        ctx: &str,
        ptr: &str,
    ) -> ResponseBody {
        let mut best: Option<(u8, ResponseBody)> = None;
        for (media, mt) in &resp.content {
            let m = media.to_ascii_lowercase();
            let mptr = pointer::push(&pointer::push(ptr, "content"), media);
            let (rank, body) = if is_json(&m) || (m == "*/*" && mt.schema.is_some()) {
                let ty = match &mt.schema {
                    Some(s) => space.type_for(s, ctx, &pointer::push(&mptr, "schema")),
                    None => RustType::Value,
                };
                (0, ResponseBody::Json(ty))
            } else if m.starts_with("text/") || m.contains("xml") {
                (1, ResponseBody::Text)
            } else {
                (2, ResponseBody::Bytes)
            };
            if best.as_ref().is_none_or(|(r, _)| rank < *r) {
                best = Some((rank, body));
            }
        }
        best.map(|(_, b)| b).unwrap_or(ResponseBody::Empty)
    }

    fn success_outcome(&self, space: &mut TypeSpace<'_>, cases: &[ResponseCase]) -> Outcome {
        let first = &cases[0].body;
        if cases.iter().all(|c| &c.body == first) {
            Outcome::Single(first.clone())
        } else {
            Outcome::Enum(space.claim_name(&format!("{}Success", self.type_prefix)))
        }
    }

    fn error_outcome(&self, space: &mut TypeSpace<'_>, cases: &[ResponseCase]) -> Outcome {
        let typed: Vec<&RustType> = cases
            .iter()
            .filter_map(|c| match &c.body {
                ResponseBody::Json(t) => Some(t),
                _ => None,
            })
            .collect();
        match typed.first() {
            None => Outcome::Single(ResponseBody::Json(RustType::Value)),
            Some(first) if typed.iter().all(|t| t == first) => {
                Outcome::Single(ResponseBody::Json((*first).clone()))
            }
            Some(_) => Outcome::Enum(space.claim_name(&format!("{}Error", self.type_prefix))),
        }
    }

    fn security(&self, op: &Operation, known: &BTreeSet<&str>) -> Vec<Vec<String>> {
        let reqs = op
            .security
            .as_ref()
            .or(self.resolver.openapi.security.as_ref());
        let Some(reqs) = reqs else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for req in reqs {
            let names: Vec<String> = req.keys().cloned().collect();
            if let Some(bad) = names.iter().find(|n| !known.contains(n.as_str())) {
                let ptr = if op.security.is_some() {
                    pointer::push(&self.ptr, "security")
                } else {
                    "/security".to_string()
                };
                self.unknown_schemes
                    .borrow_mut()
                    .entry(bad.clone())
                    .or_insert((ptr, 0))
                    .1 += 1;
                continue;
            }
            out.push(names);
        }
        out
    }
}

fn location(p: &Parameter) -> ParamLocation {
    match p {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

/// The description of the success case made up for an operation that documents none.
pub const UNDOCUMENTED_SUCCESS: &str = "Any successful response (its body as sent).";

fn placeholders(path: &str) -> BTreeSet<String> {
    placeholders_order(path).into_iter().collect()
}

fn placeholders_order(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        out.push(after[..end].to_string());
        rest = &after[end + 1..];
    }
    out
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim();
    essence == "application/json" || essence.ends_with("+json") || essence.ends_with("/json")
}

/// The variant name of a status: `NotFound`, `ClientError`, `Default`, `Status418`.
fn status_variant(status: &StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => match c {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            205 => "ResetContent",
            206 => "PartialContent",
            207 => "MultiStatus",
            300 => "MultipleChoices",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            411 => "LengthRequired",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            415 => "UnsupportedMediaType",
            416 => "RangeNotSatisfiable",
            422 => "UnprocessableEntity",
            423 => "Locked",
            424 => "FailedDependency",
            428 => "PreconditionRequired",
            429 => "TooManyRequests",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => return format!("Status{c}"),
        }
        .to_string(),
        StatusMatch::Range(2) => "Success".into(),
        StatusMatch::Range(3) => "Redirection".into(),
        StatusMatch::Range(4) => "ClientError".into(),
        StatusMatch::Range(5) => "ServerError".into(),
        StatusMatch::Range(d) => format!("Status{d}xx"),
        StatusMatch::Default => "Default".into(),
    }
}

/// What an inline schema says about its values, one sentence each (for docs): `Default:`,
/// `One of:`, bounds, lengths, item counts, the pattern and the format. Values are shown as
/// JSON in code spans; a `$ref` says nothing here (its type's docs say it).
pub fn schema_facts(schema: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let code = |v: &serde_json::Value| {
        let text = v.to_string().replace('`', "'");
        format!("`{text}`")
    };
    let get = |k: &str| schema.get(k).filter(|v| !v.is_null());
    if let Some(d) = get("default") {
        out.push(format!("Default: {}.", code(d)));
    }
    let allowed = get("enum")
        .or_else(|| get("items").and_then(|i| i.get("enum")))
        .and_then(|e| e.as_array());
    if let Some(values) = allowed.filter(|v| !v.is_empty()) {
        let shown: Vec<String> = values.iter().take(20).map(code).collect();
        let more = if values.len() > 20 {
            format!(" (and {} more)", values.len() - 20)
        } else {
            String::new()
        };
        out.push(format!("One of: {}{more}.", shown.join(", ")));
    }
    let exclusive = |k: &str| get(k).and_then(|v| v.as_bool()).unwrap_or(false);
    let bound = |k: &str, strict: &str, loose: &str, ex: &str| {
        get(k).filter(|v| v.is_number()).map(|v| {
            format!(
                "{} {}.",
                if exclusive(ex) { strict } else { loose },
                code(v)
            )
        })
    };
    out.extend(bound(
        "minimum",
        "Greater than",
        "At least",
        "exclusiveMinimum",
    ));
    out.extend(bound("maximum", "Less than", "At most", "exclusiveMaximum"));
    for (k, text) in [
        ("minLength", "At least {} characters."),
        ("maxLength", "At most {} characters."),
        ("minItems", "At least {} items."),
        ("maxItems", "At most {} items."),
    ] {
        if let Some(n) = get(k).and_then(|v| v.as_u64()) {
            out.push(text.replace("{}", &n.to_string()));
        }
    }
    if let Some(p) = get("pattern").and_then(|v| v.as_str()) {
        out.push(format!("Matches `{}`.", p.replace('`', "'")));
    }
    if let Some(f) = get("format").and_then(|v| v.as_str()) {
        out.push(format!("Format: `{}`.", f.replace('`', "'")));
    }
    out
}
