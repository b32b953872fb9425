//! `apiProperties.json` → the typed [`Connection`]: what a user supplies to connect.
//!
//! `connectionParameters` become the fields of one struct; `connectionParameterSets` become an
//! enum with one variant per set (connector definitions §4.2–4.4).

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceSet;
use crate::model::names::{pascal_ident, snake_ident, Namer};
use crate::pointer;

/// The connection a client is built from.
#[derive(Clone, Debug)]
pub struct Connection {
    /// One set for `connectionParameters`; one per alternative for `connectionParameterSets`.
    pub sets: Vec<ConnectionSet>,
    /// True when the sets are alternatives (the type is an enum).
    pub alternatives: bool,
    /// Closed choices (`allowedValues`) that became enums.
    pub enums: Vec<ChoiceEnum>,
}

/// One set of connection parameters.
#[derive(Clone, Debug)]
pub struct ConnectionSet {
    /// The set's name in the definition (empty for plain `connectionParameters`).
    pub name: String,
    /// The enum variant (alternatives only).
    pub variant: String,
    /// Docs.
    pub doc: Option<String>,
    /// The parameters.
    pub params: Vec<ConnParam>,
}

/// What kind of value a connection parameter holds.
#[derive(Clone, Debug)]
pub enum ConnKind {
    /// `securestring`: a secret (redacted in Debug).
    Secret,
    /// `string` (or anything else plain).
    Text,
    /// `oauthSetting`: a bearer token source, with the definition's OAuth settings as defaults.
    OAuth(Box<OAuthSpec>),
    /// `gatewaySetting`: an on-premises gateway name, kept as text.
    Gateway,
}

/// One connection parameter.
#[derive(Clone, Debug)]
pub struct ConnParam {
    /// Name in the definition (`api_key`, `token:TenantId`).
    pub wire: String,
    /// Field identifier.
    pub ident: String,
    /// Its kind.
    pub kind: ConnKind,
    /// Must be given (an `Option` otherwise).
    pub required: bool,
    /// A default (used when the caller leaves it empty).
    pub default: Option<String>,
    /// Docs (display name, description, tooltip).
    pub doc: Option<String>,
    /// The enum type for a closed choice.
    pub choice: Option<String>,
}

/// A closed choice (`allowedValues`) as a string enum with an escape hatch.
#[derive(Clone, Debug)]
pub struct ChoiceEnum {
    /// Type name.
    pub name: String,
    /// Docs.
    pub doc: String,
    /// (variant, value, text).
    pub values: Vec<(String, String, String)>,
}

/// The OAuth settings of an `oauthSetting` parameter.
#[derive(Clone, Debug, Default)]
pub struct OAuthSpec {
    /// `identityProvider` (`oauth2`, `aad`, `oauth2generic`, `aadcertificate`…), lower case.
    pub provider: String,
    /// The definition's client id, when it is a real value (placeholders dropped).
    pub client_id: Option<String>,
    /// Scopes.
    pub scopes: Vec<String>,
    /// Authorization URL (oauth2, or the oauth2generic template).
    pub authorization_url: Option<String>,
    /// Token URL.
    pub token_url: Option<String>,
    /// Refresh URL.
    pub refresh_url: Option<String>,
    /// Entra ID login URI (aad).
    pub login_uri: Option<String>,
    /// Entra ID tenant (aad).
    pub tenant_id: Option<String>,
    /// Entra ID resource (aad).
    pub resource_uri: Option<String>,
    /// Other custom parameters (oauth2generic body templates…), for the docs.
    pub other: Vec<(String, String)>,
}

/// A value like `<<Enter your client ID>>`, `[[DUMMY]]` or `{{ client id }}`.
pub fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    t.is_empty()
        || (t.starts_with("<<") && t.ends_with(">>"))
        || (t.starts_with("[[") && t.ends_with("]]"))
        || (t.starts_with("{{") && t.ends_with("}}"))
}

fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("true"),
        _ => false,
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Case-insensitive key lookup (`displayname` / `displayName`).
fn get<'v>(v: &'v Value, key: &str) -> Option<&'v Value> {
    let o = v.as_object()?;
    o.get(key).or_else(|| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// Reads the connection from `apiProperties.json` (`props` is the whole document).
pub fn read(props: &Value, sources: &SourceSet, diags: &mut Diagnostics) -> Option<Connection> {
    let root = get(props, "properties")?;
    let mut enums = Vec::new();
    let mut enum_names = Namer::with_reserved(&["Connection"]);
    if let Some(sets) = get(root, "connectionParameterSets") {
        let values = get(sets, "values").and_then(Value::as_array);
        let mut out = Vec::new();
        let mut variants = Namer::default();
        for (i, set) in values.into_iter().flatten().enumerate() {
            let ptr = format!("/properties/connectionParameterSets/values/{i}");
            let name = text(get(set, "name")).unwrap_or_else(|| format!("set{}", i + 1));
            let (variant, _) = variants.claim(&pascal_ident(&name, "Set"));
            let doc = get(set, "uiDefinition")
                .and_then(|u| text(get(u, "displayName")).or_else(|| text(get(u, "description"))));
            let params = get(set, "parameters")
                .map(|p| {
                    params(
                        p,
                        &pointer::push(&ptr, "parameters"),
                        &variant,
                        &mut enums,
                        &mut enum_names,
                        sources,
                        diags,
                    )
                })
                .unwrap_or_default();
            out.push(ConnectionSet {
                name,
                variant,
                doc,
                params,
            });
        }
        if !out.is_empty() {
            return Some(Connection {
                sets: out,
                alternatives: true,
                enums,
            });
        }
    }
    let cp = get(root, "connectionParameters")?;
    let params = params(
        cp,
        "/properties/connectionParameters",
        "",
        &mut enums,
        &mut enum_names,
        sources,
        diags,
    );
    if params.is_empty() {
        return None;
    }
    Some(Connection {
        sets: vec![ConnectionSet {
            name: String::new(),
            variant: String::new(),
            doc: None,
            params,
        }],
        alternatives: false,
        enums,
    })
}

fn params(
    map: &Value,
    ptr: &str,
    prefix: &str,
    enums: &mut Vec<ChoiceEnum>,
    enum_names: &mut Namer,
    sources: &SourceSet,
    diags: &mut Diagnostics,
) -> Vec<ConnParam> {
    let Some(obj) = map.as_object() else {
        return Vec::new();
    };
    let mut names = Namer::with_reserved(&[]);
    let mut out = Vec::new();
    for (wire, p) in obj {
        let pptr = pointer::push(ptr, wire);
        let ty = text(get(p, "type"))
            .unwrap_or_default()
            .to_ascii_lowercase();
        let ui = get(p, "uiDefinition");
        let constraints = ui.and_then(|u| get(u, "constraints"));
        let required = constraints
            .map(|c| truthy(get(c, "required")))
            .unwrap_or(false);
        let hidden = constraints
            .map(|c| truthy(get(c, "hidden")))
            .unwrap_or(false);
        let default = text(get(p, "defaultValue"));
        let display = ui.and_then(|u| text(get(u, "displayName")));
        let description = ui.and_then(|u| text(get(u, "description")));
        let tooltip = ui.and_then(|u| text(get(u, "tooltip")));
        let mut doc_parts: Vec<String> = Vec::new();
        if let Some(d) = &display {
            doc_parts.push(d.clone());
        }
        for extra in [&description, &tooltip].into_iter().flatten() {
            if !doc_parts.iter().any(|d| d.eq_ignore_ascii_case(extra)) {
                doc_parts.push(extra.clone());
            }
        }
        let kind = match ty.as_str() {
            "securestring" => ConnKind::Secret,
            "oauthsetting" => ConnKind::OAuth(Box::new(oauth(p, &pptr, sources, diags))),
            "gatewaysetting" => ConnKind::Gateway,
            "string" | "bool" | "int" | "" => ConnKind::Text,
            other => {
                diags.push(Diagnostic::warning(
                    "connection/unknown-type",
                    format!(
                        "connection parameter `{wire}` has type `{other}`; it is taken as a string"
                    ),
                    sources.locate(&pptr),
                ));
                ConnKind::Text
            }
        };
        let allowed = constraints
            .and_then(|c| get(c, "allowedValues"))
            .or_else(|| get(p, "allowedValues"))
            .and_then(Value::as_array);
        let choice = match (&kind, allowed) {
            (ConnKind::Text, Some(values)) if !values.is_empty() => {
                let mut vnamer = Namer::with_reserved(&["Unknown"]);
                let mut vals = Vec::new();
                for v in values {
                    let Some(value) = text(get(v, "value")) else {
                        continue;
                    };
                    let label = text(get(v, "text")).unwrap_or_else(|| value.clone());
                    if vals
                        .iter()
                        .any(|(_, x, _): &(String, String, String)| *x == value)
                    {
                        continue;
                    }
                    let (variant, _) = vnamer.claim(&pascal_ident(&label, "Value"));
                    vals.push((variant, value, label));
                }
                if vals.is_empty() {
                    None
                } else {
                    let (name, _) = enum_names.claim(&pascal_ident(
                        &format!("{prefix} {}", wire.trim_start_matches("token:")),
                        "Choice",
                    ));
                    enums.push(ChoiceEnum {
                        name: name.clone(),
                        doc: format!(
                            "The choices of the `{wire}` connection parameter{}.",
                            display
                                .as_ref()
                                .map(|d| format!(" ({d})"))
                                .unwrap_or_default()
                        ),
                        values: vals,
                    });
                    Some(name)
                }
            }
            _ => None,
        };
        let (ident, _) = names.claim(&snake_ident(wire, "param"));
        out.push(ConnParam {
            wire: wire.clone(),
            ident,
            required: required && !hidden && default.is_none(),
            kind,
            default,
            doc: (!doc_parts.is_empty()).then(|| doc_parts.join("\n\n")),
            choice,
        });
    }
    out
}

fn oauth(p: &Value, ptr: &str, sources: &SourceSet, diags: &mut Diagnostics) -> OAuthSpec {
    let Some(s) = get(p, "oAuthSettings") else {
        diags.push(Diagnostic::warning(
            "connection/oauth-missing-settings",
            "an oauthSetting parameter has no `oAuthSettings`; the client takes a bearer token",
            sources.locate(ptr),
        ));
        return OAuthSpec::default();
    };
    let provider = text(get(s, "identityProvider"))
        .unwrap_or_default()
        .to_ascii_lowercase();
    if provider.is_empty() {
        diags.push(Diagnostic::warning(
            "connection/oauth-no-provider",
            "`oAuthSettings` has no `identityProvider`; the client takes a bearer token",
            sources.locate(&pointer::push(ptr, "oAuthSettings")),
        ));
    }
    let client_id = text(get(s, "clientId"));
    if client_id.as_deref().is_some_and(is_placeholder) {
        diags.push(
            Diagnostic::warning(
                "connection/placeholder",
                format!(
                    "the OAuth client id `{}` is a placeholder; the caller must supply one",
                    client_id.as_deref().unwrap_or_default()
                ),
                sources.locate(&pointer::push(
                    &pointer::push(ptr, "oAuthSettings"),
                    "clientId",
                )),
            )
            .with_hint("set it with `OAuthSettings::client_id` when building the token provider"),
        );
    }
    let scopes = get(s, "scopes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(|v| text(Some(v))).collect())
        .unwrap_or_default();
    let custom = get(s, "customParameters");
    let cp = |key: &str| {
        custom
            .and_then(|c| get(c, key))
            .and_then(|v| text(get(v, "value")).or_else(|| text(Some(v))))
            .filter(|v| !is_placeholder(v))
    };
    let mut spec = OAuthSpec {
        client_id: client_id.filter(|c| !is_placeholder(c)),
        scopes,
        authorization_url: cp("authorizationUrl").or_else(|| cp("authorizationUrlTemplate")),
        token_url: cp("tokenUrl").or_else(|| cp("tokenUrlTemplate")),
        refresh_url: cp("refreshUrl").or_else(|| cp("refreshUrlTemplate")),
        login_uri: cp("loginUri").or_else(|| cp("loginUriAAD")),
        tenant_id: cp("tenantId"),
        resource_uri: cp("resourceUri"),
        other: Vec::new(),
        provider,
    };
    if let Some(obj) = custom.and_then(Value::as_object) {
        for (k, v) in obj {
            let known = [
                "authorizationurl",
                "authorizationurltemplate",
                "tokenurl",
                "tokenurltemplate",
                "refreshurl",
                "refreshurltemplate",
                "loginuri",
                "loginuriaad",
                "tenantid",
                "resourceuri",
            ];
            if known.contains(&k.to_ascii_lowercase().as_str()) {
                continue;
            }
            if let Some(t) = text(get(v, "value")).or_else(|| text(Some(v))) {
                spec.other.push((k.clone(), t));
            }
        }
    }
    spec
}
