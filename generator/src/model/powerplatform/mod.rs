//! Power Platform connector folders: `apiProperties.json` (the connection, policies, scripts)
//! applied to the model built from `apiDefinition.swagger.json`.
//!
//! The platform's gateway runs the policies; a client that calls the backend directly does
//! their request-side work itself (connector definitions §4.5 and §5): base URLs from
//! `dynamichosturl`, headers and query values from `setheader`/`setqueryparameter`, wire paths
//! from `routerequesttoendpoint`, and credentials placed where the backend expects them.

pub mod connection;
mod policies;
mod template;

use std::collections::BTreeMap;

use serde_json::Value;

pub use connection::{ChoiceEnum, ConnKind, ConnParam, Connection, ConnectionSet, OAuthSpec};
pub use template::{Part, Template};

use super::{Action, AuthKind, Connector, ParamLocation};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceSet;
use policies::Policy;

/// What apiProperties.json adds to a connector.
#[derive(Clone, Debug, Default)]
pub struct Platform {
    /// The typed connection, when the connector has connection parameters.
    pub connection: Option<Connection>,
    /// Base URLs built by `dynamichosturl` policies.
    pub hosts: Vec<Host>,
    /// Headers and query values the policies add (registered as credentials at connect time).
    pub placements: Vec<Placement>,
    /// Values for the definition's security schemes, from the connection.
    pub bindings: Vec<Binding>,
    /// The OAuth connection parameter that authenticates every call when no oauth2 scheme
    /// does (the runtime credential [`TOKEN_KEY`]).
    pub token: Option<String>,
}

/// The runtime credential name of the connection-wide bearer token.
pub const TOKEN_KEY: &str = "connection:token";

/// A base URL template.
#[derive(Clone, Debug)]
pub struct Host {
    /// The URL template (`https://@connectionParameters('team').example.com`).
    pub template: Template,
    /// The definition's base path, appended when the template has no path of its own.
    pub base_path: String,
    /// The template as written, for docs.
    pub source: String,
}

/// Where a placement goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlacementLocation {
    /// A header.
    Header,
    /// A query parameter.
    Query,
}

/// A header or query value a policy adds.
#[derive(Clone, Debug)]
pub struct Placement {
    /// The runtime credential name.
    pub key: String,
    /// Header or query.
    pub location: PlacementLocation,
    /// Header or query parameter name.
    pub name: String,
    /// The value.
    pub value: Template,
}

/// The value of a security scheme.
#[derive(Clone, Debug)]
pub enum BindingValue {
    /// An API key (header or query as the scheme says), possibly with a prefix.
    ApiKey(Template),
    /// HTTP basic.
    Basic(Template, Template),
    /// A bearer token from the OAuth connection parameter with this name.
    Token(String),
}

/// A scheme filled from the connection.
#[derive(Clone, Debug)]
pub struct Binding {
    /// The security scheme's name.
    pub scheme: String,
    /// Its value.
    pub value: BindingValue,
}

const RESPONSE_SHAPING: &[&str] = &[
    "setproperty",
    "convertobjecttoarray",
    "convertarraytoobject",
    "stringtoarray",
    "encodepropertyvalue",
    "stringreplace",
    "moveproperties",
    "setvaluefromurl",
    "pollingtrigger",
];

struct Ctx<'a> {
    sources: &'a SourceSet,
    params: BTreeMap<String, (String, ConnKind)>,
}

impl Ctx<'_> {
    /// A connection parameter by name, case-insensitively: its definition name.
    fn param(&self, name: &str) -> Option<&str> {
        self.params
            .get(&name.to_ascii_lowercase())
            .map(|(w, _)| w.as_str())
    }

    /// The template with every connection parameter name resolved to its declared spelling
    /// (a warning when it differs); the names that resolve to nothing are returned.
    fn resolve(
        &self,
        t: Template,
        pointer: &str,
        what: &str,
        diags: &mut Diagnostics,
    ) -> (Template, Vec<String>) {
        let mut unknown = Vec::new();
        let parts = t
            .0
            .into_iter()
            .map(|part| match part {
                Part::Conn { name, default } => match self.param(&name) {
                    Some(w) => {
                        if w != name {
                            diags.push(
                                Diagnostic::warning(
                                    "policy/connection-parameter-case",
                                    format!("{what} reads connection parameter `{name}`, declared as `{w}`; it reads `{w}`"),
                                    self.sources.locate(pointer),
                                )
                                .with_hint(format!("write `@connectionParameters('{w}')`")),
                            );
                        }
                        Part::Conn {
                            name: w.to_string(),
                            default,
                        }
                    }
                    None => {
                        if !unknown.contains(&name) {
                            unknown.push(name.clone());
                        }
                        Part::Conn { name, default }
                    }
                },
                other => other,
            })
            .collect();
        (Template(parts), unknown)
    }

    /// The template with known connection parameter names in their declared spelling (the
    /// policy's own pass reports the differences).
    fn canon(&self, t: Template) -> Template {
        Template(
            t.0.into_iter()
                .map(|part| match part {
                    Part::Conn { name, default } => Part::Conn {
                        name: self.param(&name).map(str::to_string).unwrap_or(name),
                        default,
                    },
                    other => other,
                })
                .collect(),
        )
    }

    fn conn(&self, name: &str) -> Option<Template> {
        self.param(name).map(|w| {
            Template(vec![Part::Conn {
                name: w.to_string(),
                default: None,
            }])
        })
    }
}

/// Reads apiProperties.json and applies it to the connector.
pub fn apply(c: &mut Connector, props: &Value, sources: &SourceSet, diags: &mut Diagnostics) {
    let mut connection = connection::read(props, sources, diags);
    if let Some(conn) = &mut connection {
        add_choice_types(c, conn);
    }
    let policies = policies::read(props, sources, diags);
    let mut ctx = Ctx {
        sources,
        params: BTreeMap::new(),
    };
    for set in connection.iter().flat_map(|c| &c.sets) {
        for p in &set.params {
            ctx.params
                .entry(p.wire.to_ascii_lowercase())
                .or_insert((p.wire.clone(), p.kind.clone()));
        }
    }
    let mut platform = Platform {
        connection,
        ..Platform::default()
    };
    let ids: BTreeMap<String, usize> = c
        .actions
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.operation_id.clone().map(|id| (id, i)))
        .collect();
    let mut policies = policies;
    for p in &mut policies {
        for op in p.operations.iter_mut().flatten() {
            if ids.contains_key(op.as_str()) {
                continue;
            }
            let same: Vec<&String> = ids
                .keys()
                .filter(|id| id.eq_ignore_ascii_case(op))
                .collect();
            if let [id] = same.as_slice() {
                diags.push(
                    Diagnostic::warning(
                        "policy/operation-case",
                        format!("the `{}` policy names operation `{op}`, which the definition spells `{id}`; it applies to `{id}`", p.template),
                        sources.locate(&p.pointer),
                    )
                    .with_hint(format!("write `{id}`")),
                );
                *op = (*id).clone();
            } else {
                diags.push(Diagnostic::warning(
                    "policy/unknown-operation",
                    format!("the `{}` policy names operation `{op}`, which the definition does not have; it is ignored there", p.template),
                    sources.locate(&p.pointer),
                ));
            }
        }
    }
    let policies = policies;
    bind_schemes(c, &ctx, &mut platform, &policies);
    for p in &policies {
        match (p.template.as_str(), p.section.as_str()) {
            ("dynamichosturl" | "dynamicsubdomain", _) => host(c, &ctx, &mut platform, p, diags),
            ("setheader", "request") => {
                place(c, &ctx, &mut platform, p, PlacementLocation::Header, diags)
            }
            ("setqueryparameter", "request") => {
                place(c, &ctx, &mut platform, p, PlacementLocation::Query, diags)
            }
            ("setheader", _) => {
                let is_location = p
                    .text("name")
                    .is_some_and(|n| n.eq_ignore_ascii_case("location"));
                for a in scoped(c, p) {
                    if is_location {
                        a.location_template = p.template("value").map(|t| ctx.canon(t));
                    } else {
                        a.notes.push(format!(
                            "The connector's gateway adds the `{}` header to this action's response; a direct call does not get it.",
                            p.text("name").unwrap_or("?")
                        ));
                    }
                }
            }
            ("routerequesttoendpoint", _) => route(c, &ctx, p, diags),
            ("updatenextlink", _) => {}
            ("setconnectionstatustounauthenticated", _) => {
                let status = p.text("statusCode").unwrap_or("401").to_string();
                for a in scoped(c, p) {
                    a.notes.push(format!("A `{status}` response means the connection's credentials are no longer valid."));
                }
            }
            (t, section) if RESPONSE_SHAPING.contains(&t) => {
                let what = if section == "response" {
                    "response"
                } else {
                    "request"
                };
                for a in scoped(c, p) {
                    a.notes.push(format!(
                        "The connector's `{t}` policy reshapes the {what} in the platform's gateway. A direct client cannot reproduce it faithfully, so this action {} the backend's own shape.",
                        if what == "response" { "returns" } else { "sends" }
                    ));
                }
            }
            (t, _) => {
                diags.push(Diagnostic::warning(
                    "policy/unknown-template",
                    format!("policy template `{t}` is not known; it is ignored"),
                    sources.locate(&p.pointer),
                ));
            }
        }
    }
    script_notes(c, props);
    // The platform authenticates every call with the connection's auth, whether or not the
    // operation names a security requirement.
    let bound: Vec<String> = platform.bindings.iter().map(|b| b.scheme.clone()).collect();
    for a in &mut c.actions {
        if a.security.is_empty() {
            a.security = bound.iter().map(|s| vec![s.clone()]).collect();
        }
        if platform.token.is_some() {
            a.security.push(vec![TOKEN_KEY.to_string()]);
        }
    }
    c.platform = Some(platform);
    super::modules::recompute(c);
}

/// Closed choices become string enums among the connector's types (renamed on a clash).
fn add_choice_types(c: &mut Connector, conn: &mut Connection) {
    let mut namer = super::names::Namer::with_reserved(
        &c.types.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
    );
    namer.claim("Connection");
    namer.claim("ConnectionParameters");
    namer.claim("Client");
    namer.claim("Triggers");
    for e in &mut conn.enums {
        let (name, _) = namer.claim(&e.name);
        for p in conn.sets.iter_mut().flat_map(|s| s.params.iter_mut()) {
            if p.choice.as_deref() == Some(e.name.as_str()) {
                p.choice = Some(name.clone());
            }
        }
        e.name = name.clone();
        c.types.push(super::TypeDef {
            name,
            doc: Some(format!(
                "{} A value outside the list is kept as `Unknown`.",
                e.doc
            )),
            kind: super::TypeKind::StringEnum {
                variants: e
                    .values
                    .iter()
                    .map(|(v, value, text)| super::Variant {
                        ident: v.clone(),
                        wire: Some(value.clone()),
                        ty: None,
                        doc: Some(format!("{text} (`{value}`).")),
                        guard: None,
                    })
                    .collect(),
            },
            eq: true,
            default: false,
            recursive: false,
            pointer: String::new(),
        });
    }
}

fn scoped<'c>(c: &'c mut Connector, p: &Policy) -> impl Iterator<Item = &'c mut Action> {
    let p = p.clone();
    c.actions
        .iter_mut()
        .filter(move |a| p.applies_to(a.operation_id.as_deref()))
}

/// Fills each security scheme from the conventional connection parameters, applying
/// `setheader` rewrites of the scheme's own header (`Bearer @headers('Authorization')`).
fn bind_schemes(c: &Connector, ctx: &Ctx<'_>, platform: &mut Platform, policies: &[Policy]) {
    let oauth_param = ctx
        .params
        .values()
        .find(|(_, k)| matches!(k, ConnKind::OAuth(_)))
        .map(|(w, _)| w.clone());
    let secrets: Vec<&str> = ctx
        .params
        .values()
        .filter(|(_, k)| matches!(k, ConnKind::Secret))
        .map(|(w, _)| w.as_str())
        .collect();
    let mut token_bound = false;
    for scheme in &c.auth {
        let value = match &scheme.kind {
            AuthKind::ApiKeyHeader(h) | AuthKind::ApiKeyQuery(h) | AuthKind::ApiKeyCookie(h) => {
                let base = ctx
                    .conn("api_key")
                    .or_else(|| ctx.conn("apikey"))
                    .or_else(|| ctx.conn("api-key"))
                    .or_else(|| ctx.conn(h))
                    .or_else(|| match secrets.as_slice() {
                        [only] => ctx.conn(only),
                        _ => None,
                    });
                let rewrite = policies.iter().find(|p| {
                    p.template == "setheader"
                        && p.section == "request"
                        && p.operations.is_none()
                        && p.text("name").is_some_and(|n| n.eq_ignore_ascii_case(h))
                });
                match (rewrite.and_then(|p| p.template("value")), base) {
                    (Some(t), base)
                        if t.0
                            .iter()
                            .any(|x| matches!(x, Part::Header(n) if n.eq_ignore_ascii_case(h))) =>
                    {
                        base.map(|b| {
                            BindingValue::ApiKey(Template(
                                t.0.into_iter()
                                    .flat_map(|x| match x {
                                        Part::Header(n) if n.eq_ignore_ascii_case(h) => b.0.clone(),
                                        other => vec![other],
                                    })
                                    .collect(),
                            ))
                        })
                    }
                    (Some(t), _)
                        if t.unsupported().is_none()
                            && !t
                                .0
                                .iter()
                                .any(|x| matches!(x, Part::Header(_) | Part::Query(_))) =>
                    {
                        Some(BindingValue::ApiKey(t))
                    }
                    (_, Some(b)) => Some(BindingValue::ApiKey(b)),
                    _ => None,
                }
            }
            AuthKind::Basic => match (ctx.conn("username"), ctx.conn("password")) {
                (Some(u), Some(p)) => Some(BindingValue::Basic(u, p)),
                _ => None,
            },
            AuthKind::Bearer => match &oauth_param {
                Some(w) => {
                    token_bound = true;
                    Some(BindingValue::Token(w.clone()))
                }
                None => None,
            },
        };
        let value = value.map(|v| match v {
            BindingValue::ApiKey(t) => BindingValue::ApiKey(ctx.canon(t)),
            BindingValue::Basic(u, p) => BindingValue::Basic(ctx.canon(u), ctx.canon(p)),
            other => other,
        });
        if let Some(value) = value {
            platform.bindings.push(Binding {
                scheme: scheme.name.clone(),
                value,
            });
        }
    }
    if !token_bound {
        platform.token = oauth_param;
    }
}

fn host(
    c: &mut Connector,
    ctx: &Ctx<'_>,
    platform: &mut Platform,
    p: &Policy,
    diags: &mut Diagnostics,
) {
    let Some(source) = p.text("urlTemplate").map(str::to_string) else {
        return;
    };
    let t = Template::parse(&source);
    if t.unsupported().is_some()
        || t.0
            .iter()
            .any(|x| matches!(x, Part::Header(_) | Part::Query(_)))
    {
        diags.push(
            Diagnostic::warning(
                "policy/host-from-request",
                format!("the host template `{source}` reads a request value; the client keeps the definition's host"),
                ctx.sources.locate(&p.pointer),
            )
            .with_hint("point the client at the right host with `with_base_url`"),
        );
        return;
    }
    let (t, unknown) = ctx.resolve(t, &p.pointer, "the host template", diags);
    for name in &unknown {
        let has_default =
            t.0.iter()
                .any(|x| matches!(x, Part::Conn { name: n, default: Some(_) } if n == name));
        if has_default {
            diags.push(Diagnostic::warning(
                "policy/unknown-connection-parameter",
                format!("the host template reads connection parameter `{name}`, which the connector does not declare; its default is used"),
                ctx.sources.locate(&p.pointer),
            ));
        } else {
            diags.push(
                Diagnostic::error(
                    "route/unknown-connection-parameter",
                    format!("the host template `{source}` reads connection parameter `{name}`, which the connector does not declare: the client could not know the host"),
                    ctx.sources.locate(&p.pointer),
                )
                .with_hint("declare the parameter in `connectionParameters`, or fix the name"),
            );
            return;
        }
    }
    // The literal text around the parameters must make a base URL (no userinfo, query,
    // fragment or other scheme).
    let shape: String =
        t.0.iter()
            .map(|x| match x {
                Part::Lit(s) => s.as_str(),
                _ => "x",
            })
            .collect();
    if let Err(problem) = crate::routing::check_base_url(&shape) {
        diags.push(problem.error(
            &format!("the `dynamichosturl` template `{source}`"),
            ctx.sources.locate(&p.pointer),
        ));
        return;
    }
    // The template replaces scheme and host, and the base path too when it has a path.
    let has_path = t.0.iter().rev().find_map(|x| match x {
        Part::Lit(s) => Some(
            s.trim_start_matches("https://")
                .trim_start_matches("http://")
                .contains('/'),
        ),
        _ => None,
    }) == Some(true)
        && !source.trim_end_matches('/').ends_with(')');
    let definition_path = c
        .servers
        .first()
        .map(|s| url_path(&s.default_url))
        .unwrap_or_default();
    let index = platform.hosts.len();
    platform.hosts.push(Host {
        template: t,
        base_path: if has_path {
            String::new()
        } else {
            definition_path
        },
        source,
    });
    // Policies run in order: a later `dynamichosturl` that applies to an operation replaces
    // an earlier one (`Cradl AI`: "change host to auth", then "change host back").
    for a in scoped(c, p) {
        a.host = Some(index);
    }
}

/// The path of an absolute URL, without a trailing slash.
fn url_path(url: &str) -> String {
    let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(url);
    match rest.find('/') {
        Some(i) => rest[i..].trim_end_matches('/').to_string(),
        None => String::new(),
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

fn place(
    c: &mut Connector,
    ctx: &Ctx<'_>,
    platform: &mut Platform,
    p: &Policy,
    location: PlacementLocation,
    diags: &mut Diagnostics,
) {
    let (Some(name), Some(value)) = (p.text("name"), p.template("value")) else {
        return;
    };
    let name = percent_decode(name).trim().to_string();
    let (value, unknown) = ctx.resolve(
        value,
        &p.pointer,
        &format!("the `{}` policy for `{name}`", p.template),
        diags,
    );
    if let Some(u) = unknown.first() {
        diags.push(
            Diagnostic::warning(
                "policy/unknown-connection-parameter",
                format!("the `{}` policy for `{name}` reads connection parameter `{u}`, which the connector does not declare; it is not applied", p.template),
                ctx.sources.locate(&p.pointer),
            )
            .with_hint("declare the parameter in `connectionParameters`, or fix the name"),
        );
        return;
    }
    let crlf = value
        .0
        .iter()
        .any(|x| matches!(x, Part::Lit(s) if s.contains(['\r', '\n', '\0'])));
    if (location == PlacementLocation::Header && !crate::routing::header_name(&name)) || crlf {
        diags.push(
            Diagnostic::error(
                "route/invalid-header",
                format!(
                    "the `{}` policy sets `{}` to `{}`: {}",
                    p.template,
                    name.escape_debug(),
                    p.text("value").unwrap_or("").escape_debug(),
                    if crlf {
                        "a value cannot hold a line break"
                    } else {
                        "that is not a header name"
                    }
                ),
                ctx.sources.locate(&p.pointer),
            )
            .with_hint("a header name is a token (letters, digits, `-`); a value is one line"),
        );
        return;
    }
    if location == PlacementLocation::Header
        && c.auth
            .iter()
            .any(|s| matches!(&s.kind, AuthKind::ApiKeyHeader(h) if h.eq_ignore_ascii_case(&name)))
        && platform
            .bindings
            .iter()
            .any(|b| matches!(b.value, BindingValue::ApiKey(_)))
        && p.operations.is_none()
    {
        // Folded into the scheme's value by `bind_schemes`.
        return;
    }
    if location == PlacementLocation::Header && name.eq_ignore_ascii_case("content-type") {
        // The client sets the content type from the body it sends.
        return;
    }
    if let Some(bad) = value.unsupported() {
        diags.push(Diagnostic::warning(
            "policy/unsupported-expression",
            format!("the `{}` policy for `{name}` uses `{bad}`, which a client cannot evaluate; it is not applied", p.template),
            ctx.sources.locate(&p.pointer),
        ));
        return;
    }
    if value
        .0
        .iter()
        .any(|x| matches!(x, Part::Header(_) | Part::Query(_)))
    {
        diags.push(Diagnostic::warning(
            "policy/request-value",
            format!(
                "the `{}` policy for `{name}` copies a request value; pass that value yourself",
                p.template
            ),
            ctx.sources.locate(&p.pointer),
        ));
        return;
    }
    let exists = p
        .text("existsAction")
        .unwrap_or("override")
        .to_ascii_lowercase();
    let loc_name = match location {
        PlacementLocation::Header => "header",
        PlacementLocation::Query => "query",
    };
    // One placement per policy instance: two instances with the same name (on different
    // operations, or with different values) are both applied where they apply.
    let same = platform
        .placements
        .iter()
        .find(|x| x.location == location && x.name.eq_ignore_ascii_case(&name) && x.value == value);
    let key = match same {
        Some(x) => x.key.clone(),
        None => {
            let n = platform
                .placements
                .iter()
                .filter(|x| x.location == location && x.name.eq_ignore_ascii_case(&name))
                .count();
            let key = if n == 0 {
                format!("policy:{loc_name}:{}", name.to_ascii_lowercase())
            } else {
                format!("policy:{loc_name}:{}#{}", name.to_ascii_lowercase(), n + 1)
            };
            platform.placements.push(Placement {
                key: key.clone(),
                location,
                name: name.clone(),
                value,
            });
            key
        }
    };
    // Keys of earlier instances with this name: a later instance overrides them.
    let earlier: Vec<String> = platform
        .placements
        .iter()
        .filter(|x| x.location == location && x.name.eq_ignore_ascii_case(&name) && x.key != key)
        .map(|x| x.key.clone())
        .collect();
    let param_loc = match location {
        PlacementLocation::Header => ParamLocation::Header,
        PlacementLocation::Query => ParamLocation::Query,
    };
    for a in scoped(c, p) {
        let clashes = a
            .params
            .iter()
            .any(|q| q.location == param_loc && q.wire_name.eq_ignore_ascii_case(&name));
        if clashes {
            if exists == "skip" {
                continue;
            }
            a.params
                .retain(|q| !(q.location == param_loc && q.wire_name.eq_ignore_ascii_case(&name)));
            if !a.params.iter().any(|q| !q.required) {
                a.params_struct = None;
            }
        }
        if exists != "skip" || !a.always.iter().any(|k| earlier.contains(k)) {
            a.always.retain(|k| !earlier.contains(k));
            if !a.always.contains(&key) {
                a.always.push(key.clone());
            }
        }
    }
}

fn route(c: &mut Connector, ctx: &Ctx<'_>, p: &Policy, diags: &mut Diagnostics) {
    let Some(new_path) = p.text("newPath").map(str::to_string) else {
        return;
    };
    let method = p
        .text("httpMethod")
        .filter(|m| !m.trim_start().starts_with('@'))
        .map(|m| m.trim().to_ascii_uppercase());
    const METHODS: &[&str] = &[
        "GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE",
    ];
    if let Some(m) = method.as_deref().filter(|m| !METHODS.contains(m)) {
        diags.push(
            Diagnostic::error(
                "route/invalid-method",
                format!(
                    "`routerequesttoendpoint` sends to `{}` with method `{}`, which is not an HTTP method",
                    new_path.escape_debug(),
                    m.escape_debug()
                ),
                ctx.sources.locate(&p.pointer),
            )
            .with_hint("use GET, PUT, POST, DELETE, PATCH, HEAD, OPTIONS or TRACE, or `@Request.OriginalHTTPMethod`"),
        );
        return;
    }
    let t = Template::parse(&new_path);
    let (t, unknown) = ctx.resolve(t, &p.pointer, "`routerequesttoendpoint`", diags);
    if let Some(u) = unknown.first() {
        diags.push(
            Diagnostic::warning(
                "policy/unknown-connection-parameter",
                format!("`routerequesttoendpoint` path `{new_path}` reads connection parameter `{u}`, which the connector does not declare; the definition's path is kept"),
                ctx.sources.locate(&p.pointer),
            )
            .with_hint("declare the parameter in `connectionParameters`, or fix the name"),
        );
        return;
    }
    let shape: String =
        t.0.iter()
            .map(|x| match x {
                Part::Lit(s) => s.as_str(),
                _ => "x",
            })
            .collect();
    if let Err(problem) = crate::routing::check_path(&shape) {
        diags.push(problem.error(
            "`routerequesttoendpoint` path",
            ctx.sources.locate(&p.pointer),
        ));
        return;
    }
    if let Some(bad) = t.unsupported() {
        diags.push(Diagnostic::warning(
            "policy/unsupported-expression",
            format!("`routerequesttoendpoint` path `{new_path}` uses `{bad}`; the definition's path is kept"),
            ctx.sources.locate(&p.pointer),
        ));
        return;
    }
    for a in scoped(c, p) {
        let mut path = String::new();
        let mut from_conn = Vec::new();
        let mut from_query = Vec::new();
        let mut ok = true;
        for part in &t.0 {
            match part {
                Part::Lit(s) => path.push_str(s),
                Part::Conn { name, .. } => {
                    let wire = name.clone();
                    let ph = format!("connection.{wire}");
                    path.push_str(&format!("{{{ph}}}"));
                    from_conn.push((ph, wire));
                }
                Part::Query(name) | Part::Header(name) => {
                    match a
                        .params
                        .iter()
                        .find(|q| q.wire_name == *name && q.constant.is_none())
                    {
                        Some(q) => {
                            let ph = format!("request.{name}");
                            path.push_str(&format!("{{{ph}}}"));
                            from_query.push((ph, q.ident.clone(), q.required));
                        }
                        None => ok = false,
                    }
                }
                Part::Unsupported(_) => ok = false,
            }
        }
        if !ok {
            diags.push(Diagnostic::warning(
                "policy/route-unresolved",
                format!("`routerequesttoendpoint` path `{new_path}` reads a value `{}` does not have; the definition's path is kept", a.operation_id.as_deref().unwrap_or(&a.ident)),
                ctx.sources.locate(&p.pointer),
            ));
            continue;
        }
        a.notes.push(format!(
            "The connector routes this action to `{new_path}` on the wire (`routerequesttoendpoint`); the client sends it there."
        ));
        a.wire_path = Some(path);
        a.wire_method = method.clone();
        a.path_from_connection = from_conn;
        a.path_from_query = from_query;
    }
}

/// Operations a C# script rewrites upstream (`scriptOperations`, `script.operationIds`).
fn script_notes(c: &mut Connector, props: &Value) {
    let mut ops: Vec<String> = Vec::new();
    for ptr in [
        "/properties/scriptOperations",
        "/properties/script/operationIds",
    ] {
        if let Some(a) = props.pointer(ptr).and_then(Value::as_array) {
            ops.extend(a.iter().filter_map(|v| v.as_str().map(str::to_string)));
        }
    }
    for a in &mut c.actions {
        if a.operation_id.as_ref().is_some_and(|id| ops.contains(id)) {
            a.notes.push(
                "On the platform a C# script (`script.csx`, not part of the definition) rewrites this action's request or response; this client calls the backend directly.".to_string(),
            );
        }
    }
}
