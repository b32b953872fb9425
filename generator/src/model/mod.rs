//! Stage 3 — model: one OpenAPI 3.0 document → a [`Connector`] with every Rust name decided.
//!
//! The emitter only prints what is here; it makes no naming or typing decisions.

mod actions;
mod auth;
pub mod checks;
mod extensions;
mod helpers;
pub mod modules;
pub mod names;
pub mod powerplatform;
mod resolve;
pub mod samples;
mod servers;
mod types;
pub mod typing;
pub mod values;

pub use types::{ExtraProperties, Field, Guard, GuardValue, RustType, TypeDef, TypeKind, Variant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceSet;

/// Everything needed to emit a client.
#[derive(Clone, Debug)]
pub struct Connector {
    /// The API's title.
    pub title: String,
    /// The API's description (markdown).
    pub description: Option<String>,
    /// `info.version` as written.
    pub api_version: String,
    /// Servers in definition order; the first is the default.
    pub servers: Vec<Server>,
    /// Security schemes, in name order.
    pub auth: Vec<AuthScheme>,
    /// One per operation.
    pub actions: Vec<Action>,
    /// Every named type.
    pub types: Vec<TypeDef>,
    /// What a Power Platform connector folder adds: the connection and client-side policies.
    pub platform: Option<powerplatform::Platform>,
    /// The `…_choices` helpers (dynamic values), in action order.
    pub choices: Vec<ChoicesHelper>,
    /// The `recursion_limit` the types need when they nest deeper than rustc's default
    /// allows (a chain of hundreds of schemas each holding the next).
    pub recursion_limit: Option<usize>,
    /// How many fields and parameters are typed, free-form or `Value` fallbacks.
    pub typing: typing::Typing,
    /// The modules the actions fall into (see [`modules`]), and which of them need each type.
    pub modules: modules::Modules,
}

/// A `…_choices` helper: lists the values of one parameter (or top-level body property) of
/// an action by calling the listing action its dynamic values name.
#[derive(Clone, Debug)]
pub struct ChoicesHelper {
    /// Index of the action whose parameter it serves, in [`Connector::actions`].
    pub action: usize,
    /// The parameter's or property's name on the wire.
    pub wire: String,
    /// The helper's method name.
    pub name: String,
    /// Index of the listing action (which has a [`Action::json_twin`]).
    pub source: usize,
}

/// A server URL with variables.
#[derive(Clone, Debug)]
pub struct Server {
    /// The URL template (`https://{region}.example.com/v1`).
    pub url: String,
    /// The URL with every variable at its default.
    pub default_url: String,
    /// Description.
    pub description: Option<String>,
    /// Variables: (name, default, allowed values, description).
    pub variables: Vec<ServerVariable>,
    /// True when a variable of the URL has no value: the base URL is a required input of
    /// the client (nothing is assumed).
    pub required: bool,
}

/// One server variable.
#[derive(Clone, Debug)]
pub struct ServerVariable {
    /// Name in the template.
    pub name: String,
    /// Default value.
    pub default: String,
    /// Allowed values, when restricted.
    pub allowed: Vec<String>,
    /// Description.
    pub description: Option<String>,
}

/// How a security scheme authenticates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthKind {
    /// API key in a header.
    ApiKeyHeader(String),
    /// API key in the query.
    ApiKeyQuery(String),
    /// API key in a cookie.
    ApiKeyCookie(String),
    /// HTTP basic.
    Basic,
    /// HTTP bearer, OAuth2 or OpenID Connect access token.
    Bearer,
}

/// A security scheme.
#[derive(Clone, Debug)]
pub struct AuthScheme {
    /// The scheme's name in the definition (the key used in security requirements).
    pub name: String,
    /// The `with_…` method name on the client.
    pub method: String,
    /// How it authenticates.
    pub kind: AuthKind,
    /// Docs.
    pub description: Option<String>,
    /// A note on what kind of scheme this came from (`oauth2`, `openIdConnect`, `http bearer`…).
    pub origin: String,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In a cookie.
    Cookie,
}

impl ParamLocation {
    /// The location as OpenAPI's `in` writes it: `path`, `query`, `header`, `cookie`.
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

/// Query serialization style (runtime `ParamStyle`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryStyle {
    /// form, explode=true (default).
    Form,
    /// form, explode=false.
    FormNoExplode,
    /// spaceDelimited.
    SpaceDelimited,
    /// pipeDelimited.
    PipeDelimited,
    /// deepObject.
    DeepObject,
}

/// One parameter of an action.
#[derive(Clone, Debug)]
pub struct Param {
    /// Name on the wire.
    pub wire_name: String,
    /// Rust identifier (argument or field name).
    pub ident: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type (without the `Option` of optional parameters).
    pub ty: RustType,
    /// Required parameters are positional arguments; the others live in the params struct.
    pub required: bool,
    /// Query style.
    pub style: QueryStyle,
    /// Docs.
    pub description: Option<String>,
    /// Deprecated.
    pub deprecated: bool,
    /// A wire constant (`x-ms-visibility: internal` with a default): sent, never exposed.
    pub constant: Option<serde_json::Value>,
    /// Percent-encode the value twice (`x-ms-url-encoding: double`).
    pub encode_twice: bool,
    /// `x-ms-dynamic-values` / `x-ms-dynamic-list`: where the choices come from.
    pub dynamic: Option<DynamicValues>,
    /// The JSON pointer of the parameter (or of the operation, for a template placeholder
    /// that has no parameter).
    /// What the schema says about values, one sentence each, for the docs: the default,
    /// the allowed values, bounds, lengths, the pattern, the format.
    pub facts: Vec<String>,
    pub pointer: String,
}

/// Where a parameter's choices come from (`x-ms-dynamic-values`, `x-ms-dynamic-list`).
#[derive(Clone, Debug)]
pub struct DynamicValues {
    /// The listing operation's `operationId` (empty when a capability supplies the choices).
    pub operation_id: String,
    /// The listing operation's parameters (by wire name) and their values.
    pub parameters: Vec<(String, DynamicArg)>,
    /// Slash-separated path to the array of choices in the response (the body when unset).
    pub collection: Option<String>,
    /// Path to each choice's value inside an item (the item when unset).
    pub value_path: Option<String>,
    /// Path to each choice's display title inside an item.
    pub title_path: Option<String>,
    /// A platform capability that supplies the choices instead (`file-picker`).
    pub capability: Option<String>,
    /// JSON pointer to the parameter that has them (for diagnostics).
    pub pointer: String,
}

/// A value for one of the listing operation's parameters.
#[derive(Clone, Debug, PartialEq)]
pub enum DynamicArg {
    /// A fixed value.
    Constant(serde_json::Value),
    /// The value of another parameter of the same action (by wire name).
    Parameter(String),
    /// Given in a form this generator does not read; the helper takes it as an argument.
    Unknown,
}

/// How a request body is sent.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyKind {
    /// JSON (`application/json`, `*+json`).
    Json(RustType),
    /// `application/x-www-form-urlencoded`.
    Form(RustType),
    /// `multipart/form-data`; the field names are listed for the docs.
    Multipart(Vec<String>),
    /// Raw bytes with this content type.
    Bytes(String),
    /// Text (text/*, XML) with this content type.
    Text(String),
}

/// A request body.
#[derive(Clone, Debug)]
pub struct Body {
    /// How it is sent.
    pub kind: BodyKind,
    /// Whether it must be given.
    pub required: bool,
    /// Docs.
    pub description: Option<String>,
    /// Top-level JSON fields the client fills in itself (wire constants, the callback URL).
    pub injected: Vec<Injected>,
    /// Every field is injected: the method takes no body argument.
    pub no_argument: bool,
    /// Top-level JSON body properties with dynamic values: (property name, where from).
    pub dynamic: Vec<(String, DynamicValues)>,
}

/// A JSON body field the client sets rather than the caller.
#[derive(Clone, Debug)]
pub struct Injected {
    /// The property name.
    pub wire_name: String,
    /// What goes there.
    pub value: InjectedValue,
}

/// The value of an injected body field.
#[derive(Clone, Debug, PartialEq)]
pub enum InjectedValue {
    /// A constant (`x-ms-visibility: internal` with a default).
    Constant(serde_json::Value),
    /// The webhook callback URL (`x-ms-notification-url: true`).
    CallbackUrl,
}

/// What kind of trigger an operation is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TriggerKind {
    /// A webhook: subscribe with a callback URL, notifications arrive there.
    Webhook,
    /// A polling trigger: called repeatedly, 202 when nothing is new.
    Polling,
}

/// An `x-ms-trigger` operation.
#[derive(Clone, Debug)]
pub struct Trigger {
    /// Webhook or polling.
    pub kind: TriggerKind,
    /// `batch` (an array of items per run) rather than `single`.
    pub batch: bool,
    /// The notification payload type (`x-ms-notification-content` on the path item).
    pub notification: Option<RustType>,
    /// The notification payload docs.
    pub notification_doc: Option<String>,
    /// The `…Notification` parse function name.
    pub parse_fn: String,
    /// The polling stream method (`poll_…`), for polling triggers.
    pub poll_fn: Option<String>,
    /// A query parameter that carries the callback URL (`x-ms-notification-url` on a parameter).
    pub callback_param: Option<String>,
}

/// `x-ms-pageable`.
#[derive(Clone, Debug)]
pub struct Pageable {
    /// The property holding the next page's URL (`@odata.nextLink`).
    pub next_link_name: String,
    /// The Rust field that holds it, when the page is a generated struct.
    pub next_link_field: Option<String>,
    /// The `…_pages` method name.
    pub method: String,
}

/// How a response body is read.
#[derive(Clone, Debug, PartialEq)]
pub enum ResponseBody {
    /// JSON into this type.
    Json(RustType),
    /// Text.
    Text,
    /// Raw bytes.
    Bytes,
    /// No body.
    Empty,
}

/// Which statuses a response covers.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    /// One code.
    Code(u16),
    /// A class like `4XX` (the digit).
    Range(u16),
    /// `default`.
    Default,
}

/// One response of an action.
#[derive(Clone, Debug)]
pub struct ResponseCase {
    /// Which statuses.
    pub status: StatusMatch,
    /// The body.
    pub body: ResponseBody,
    /// The variant name when the action's success or error type is an enum.
    pub variant: String,
    /// Docs.
    pub description: String,
}

/// The Rust type an action returns on success, or carries in its error.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// One type for every case.
    Single(ResponseBody),
    /// An enum named here, one variant per case.
    Enum(String),
}

/// One operation.
#[derive(Clone, Debug)]
pub struct Action {
    /// Method name.
    pub ident: String,
    /// `operationId` as written, if any.
    pub operation_id: Option<String>,
    /// HTTP method, upper case.
    pub method: String,
    /// Path template as in the definition.
    pub path: String,
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Deprecated.
    pub deprecated: bool,
    /// Parameters: required ones in definition order (path first), then optional ones.
    pub params: Vec<Param>,
    /// Name of the optional-parameters struct, when there are optional parameters.
    pub params_struct: Option<String>,
    /// Request body.
    pub body: Option<Body>,
    /// Security alternatives (each a list of scheme names); `None` = none declared.
    pub security: Vec<Vec<String>>,
    /// Credentials sent whenever the client has them (policy headers and query values).
    pub always: Vec<String>,
    /// Success cases.
    pub success: Vec<ResponseCase>,
    /// What success returns.
    pub success_type: Outcome,
    /// Error cases.
    pub errors: Vec<ResponseCase>,
    /// What the typed error carries.
    pub error_type: Outcome,
    /// The path sent on the wire when a policy reroutes it (`routerequesttoendpoint`).
    pub wire_path: Option<String>,
    /// The HTTP method sent when a policy changes it.
    pub wire_method: Option<String>,
    /// Connection parameters filled into the wire path: (placeholder, connection parameter).
    pub path_from_connection: Vec<(String, String)>,
    /// Query parameters also filled into the wire path: (placeholder, argument ident, required).
    pub path_from_query: Vec<(String, String, bool)>,
    /// Which host policy's base URL it uses (index into `Platform::hosts`); `None` = the definition's.
    pub host: Option<usize>,
    /// Extra doc paragraphs (policies that cannot be reproduced, scripts, dynamic schemas…).
    pub notes: Vec<String>,
    /// `x-ms-visibility: internal` operation: generated, but `#[doc(hidden)]`.
    pub hidden: bool,
    /// The note of `#[deprecated]` (names the replacement).
    pub deprecated_note: Option<String>,
    /// `x-ms-trigger`.
    pub trigger: Option<Trigger>,
    /// `x-ms-pageable`.
    pub pageable: Option<Pageable>,
    /// The `Location` a response-side policy synthesises (webhook unsubscribe URL).
    pub location_template: Option<powerplatform::Template>,
    /// The path parameter (wire name) that holds the whole request URL (a Postman request
    /// whose URL is one variable: `x-connectorkit-url-param`).
    pub url_param: Option<String>,
    /// The base URL of an operation-level server that differs from the document's first.
    pub base_url: Option<String>,
    /// That server's name (`x-connectorkit-base-name`, the Postman variable), for the
    /// client's `with_…_base_url` setter.
    pub base_name: Option<String>,
    /// The private decoder shared by the action and its pager or poller.
    pub decode_fn: Option<String>,
    /// The client method that sets [`Action::base_url`] (`with_…_base_url`).
    pub base_setter: Option<String>,
    /// The hidden twin returning the body as JSON, when a `…_choices` helper lists through it.
    pub json_twin: Option<String>,
    /// Its module (index into [`modules::Modules::list`]); `None` for a webhook trigger,
    /// which every build of the client has.
    pub module: Option<usize>,
}

/// Builds the model. Problems are recorded in `diags`; what can be built is built.
pub fn build(
    openapi: &openapiv3::OpenAPI,
    value: &serde_json::Value,
    sources: &SourceSet,
    diags: &mut Diagnostics,
) -> Connector {
    let resolver = resolve::Resolver { openapi, value };
    let mut space = types::TypeSpace::new(resolver, sources);
    space.add_components();
    let auth = auth::schemes(openapi, sources, diags);
    let (actions, choices) = actions::build(resolver, &mut space, &auth, sources, diags);
    let servers = servers::servers(openapi, sources, diags);
    let types = space.finish(diags);
    let recursion_limit = recursion_limit(&types, sources, diags);
    let known: std::collections::BTreeSet<String> = types.iter().map(|t| t.name.clone()).collect();
    let mut actions = actions;
    for a in &mut actions {
        for p in &mut a.params {
            p.ty.retain_known(&known);
        }
        if let Some(b) = &mut a.body {
            if let BodyKind::Json(t) | BodyKind::Form(t) = &mut b.kind {
                t.retain_known(&known);
            }
        }
        for c in a.success.iter_mut().chain(a.errors.iter_mut()) {
            if let ResponseBody::Json(t) = &mut c.body {
                t.retain_known(&known);
            }
        }
        for o in [&mut a.success_type, &mut a.error_type] {
            if let Outcome::Single(ResponseBody::Json(t)) = o {
                t.retain_known(&known);
            }
        }
    }
    let mut connector = Connector {
        title: openapi.info.title.clone(),
        description: openapi.info.description.clone(),
        api_version: openapi.info.version.clone(),
        servers,
        auth,
        platform: None,
        typing: typing::account(&types, &actions, value, sources),
        actions,
        types,
        choices,
        recursion_limit,
        modules: modules::Modules::default(),
    };
    modules::assign(&mut connector, value);
    connector
}

/// Types nested deeper than rustc follows by default get a `recursion_limit`: the crate
/// form sets it; a crate that includes the module (`connector!`, build.rs) must set it too,
/// which a warning says.
fn recursion_limit(
    types: &[TypeDef],
    sources: &SourceSet,
    diags: &mut Diagnostics,
) -> Option<usize> {
    const SAFE: usize = 96;
    let (depth, top) = types::nesting_depth(types);
    if depth <= SAFE {
        return None;
    }
    let limit = (depth * 2).next_power_of_two().max(256);
    let (name, location) = match top {
        Some(t) => (t.name.as_str(), sources.locate(&t.pointer)),
        None => ("?", sources.locate("")),
    };
    diags.push(
        Diagnostic::warning(
            "model/deep-types",
            format!("types nest {depth} deep (from `{name}`), deeper than rustc checks by default; the generated crate sets `#![recursion_limit = \"{limit}\"]`"),
            location,
        )
        .with_hint(format!("a crate that includes the client with `connector!` or build.rs needs `#![recursion_limit = \"{limit}\"]` at its root")),
    );
    Some(limit)
}
