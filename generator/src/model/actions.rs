//! Operations → actions: names, parameters, bodies, responses, security.

use std::collections::BTreeSet;

use openapiv3::{
    Operation, Parameter, ParameterSchemaOrContent, PathStyle, ReferenceOr, RequestBody, Response,
    StatusCode,
};

use super::names::{bare, pascal_ident, snake_ident, Namer};
use super::resolve::Resolver;
use super::types::{RustType, TypeSpace};
use super::{
    Action, AuthScheme, Body, BodyKind, Outcome, Param, ParamLocation, QueryStyle, ResponseBody,
    ResponseCase, StatusMatch,
};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceSet;
use crate::pointer;

/// Method names the generated client already uses.
const RESERVED_METHODS: &[&str] = &[
    "new",
    "builder",
    "from_runtime",
    "runtime",
    "with_base_url",
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
) -> Vec<Action> {
    let openapi = resolver.openapi;
    let mut reserved: Vec<&str> = RESERVED_METHODS.to_vec();
    reserved.extend(auth.iter().map(|a| a.method.as_str()));
    let mut namer = Namer::with_reserved(&reserved);
    let mut seen_ids: BTreeSet<String> = BTreeSet::new();
    let known: BTreeSet<&str> = auth.iter().map(|a| a.name.as_str()).collect();
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
            };
            let action = ctx.action(
                space,
                diags,
                ident,
                method,
                path,
                op,
                &item.parameters,
                &known,
            );
            actions.push(action);
        }
    }
    actions
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
        let mut arg_namer = Namer::with_reserved(&["body", "params"]);
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
        let (success, errors) = self.responses(space, diags, op);
        let success_type = self.success_outcome(space, &success);
        let error_type = self.error_outcome(space, &errors);
        let security = self.security(diags, op, known_schemes);
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
            success,
            success_type,
            errors,
            error_type,
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
                diags.push(Diagnostic::warning(
                    "model/path-param-unused",
                    format!(
                        "path parameter `{}` does not appear in `{path}`; it is ignored",
                        data.name
                    ),
                    self.sources.locate(ptr),
                ));
                continue;
            }
            if out
                .iter()
                .any(|q| q.wire_name == data.name && q.location == loc)
            {
                continue;
            }
            let ctx = format!("{}{}", self.type_prefix, pascal_ident(&data.name, "Param"));
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(s) => {
                    space.type_for(s, &ctx, &pointer::push(ptr, "schema"))
                }
                ParameterSchemaOrContent::Content(c) => {
                    match c.values().next().and_then(|m| m.schema.as_ref()) {
                        Some(s) => space.type_for(s, &ctx, &pointer::push(ptr, "content")),
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
            let (ident, _) = namer.claim(&snake_ident(&data.name, "param"));
            out.push(Param {
                wire_name: data.name.clone(),
                ident,
                location: loc,
                ty,
                required,
                style,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
            });
        }
        // Every placeholder needs a value.
        for name in placeholders {
            if !out
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire_name == name)
            {
                diags.push(
                    Diagnostic::warning(
                        "model/path-param-missing",
                        format!("`{{{name}}}` in `{path}` has no parameter; it is generated as a string argument"),
                        self.sources.locate(&self.ptr),
                    )
                    .with_hint("declare it under `parameters` with `in: path`"),
                );
                let (ident, _) = namer.claim(&snake_ident(&name, "param"));
                out.push(Param {
                    wire_name: name.clone(),
                    ident,
                    location: ParamLocation::Path,
                    ty: RustType::String,
                    required: true,
                    style: QueryStyle::Form,
                    description: None,
                    deprecated: false,
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
        let mut best: Option<(u8, BodyKind)> = None;
        for (media, mt) in &b.content {
            let m = media.to_ascii_lowercase();
            let mptr = pointer::push(&pointer::push(&ptr, "content"), media);
            let (rank, kind) = if is_json(&m) {
                let ty = match &mt.schema {
                    Some(s) => space.type_for(s, &ctx, &pointer::push(&mptr, "schema")),
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
        Some(Body {
            kind,
            required: b.required,
            description: b.description.clone(),
        })
    }

    fn responses(
        &self,
        space: &mut TypeSpace<'_>,
        diags: &mut Diagnostics,
        op: &'a Operation,
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
            let body = self.response_body(space, &resp, &ctx, &ptr);
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
            success.push(ResponseCase {
                status: StatusMatch::Range(2),
                body: ResponseBody::Json(RustType::Value),
                variant: "Success".into(),
                description: "Any successful response.".into(),
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

    fn security(
        &self,
        diags: &mut Diagnostics,
        op: &Operation,
        known: &BTreeSet<&str>,
    ) -> Vec<Vec<String>> {
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
                diags.push(Diagnostic::warning(
                    "auth/unknown-scheme",
                    format!(
                        "security requirement names `{bad}`, which is not a usable security scheme"
                    ),
                    self.sources.locate(&pointer::push(&self.ptr, "security")),
                ));
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
