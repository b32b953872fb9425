//! The credentials of `call`, per security scheme of the definition: from options, or from
//! environment variables (which, unlike options, do not show in the process list). Never
//! printed: the runtime marks them sensitive and `call` redacts them.

use std::sync::Arc;

use connectorkit::{ClientCredentialsProvider, Credential, OAuthSettings, RefreshTokenProvider};

use super::token_cache::FileTokenStore;
use connectorkit_generator::model::checks::did_you_mean;
use connectorkit_generator::model::{AuthKind, AuthScheme, Connector};
use serde_json::Value;

/// What the user gave for auth.
#[derive(clap::Args, Debug, Default)]
pub struct AuthArgs {
    /// The API key of the definition's API key schemes (env CONNECTORKIT_API_KEY).
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
    /// The token of its bearer and OAuth 2.0 schemes (env CONNECTORKIT_BEARER_TOKEN).
    #[arg(long, value_name = "TOKEN")]
    pub bearer: Option<String>,
    /// USER:PASSWORD for its HTTP basic schemes (env CONNECTORKIT_BASIC).
    #[arg(long, value_name = "USER:PASSWORD")]
    pub basic: Option<String>,
    /// The credential of one scheme, by its name in the definition (repeatable; basic
    /// schemes take USER:PASSWORD).
    #[arg(long = "auth", value_name = "SCHEME=VALUE")]
    pub schemes: Vec<String>,
    /// OAuth 2.0 client credentials: the client id (env CONNECTORKIT_CLIENT_ID); the token
    /// is fetched from --token-url (default: the definition's clientCredentials flow).
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// The OAuth 2.0 client secret (env CONNECTORKIT_CLIENT_SECRET).
    #[arg(long, value_name = "SECRET")]
    pub client_secret: Option<String>,
    /// The OAuth 2.0 token endpoint.
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
    /// OAuth 2.0 scopes to ask for (repeatable or comma-separated).
    #[arg(long = "scope", value_name = "SCOPE", value_delimiter = ',')]
    pub scopes: Vec<String>,
    /// With --client-id: a refresh token to get access tokens with (the refresh token
    /// grant; env CONNECTORKIT_REFRESH_TOKEN). A rotated one is kept in the token cache.
    #[arg(long, value_name = "TOKEN")]
    pub refresh_token: Option<String>,
    /// Where OAuth tokens are cached between calls (default: one file per token URL, client
    /// and scopes under $XDG_CACHE_HOME/connectorkit/tokens, mode 0600).
    #[arg(long, value_name = "FILE", conflicts_with = "no_token_cache")]
    pub token_cache: Option<std::path::PathBuf>,
    /// Do not read or write the token cache.
    #[arg(long)]
    pub no_token_cache: bool,
}

fn or_env(v: &Option<String>, var: &str) -> Option<String> {
    v.clone()
        .or_else(|| std::env::var(var).ok())
        .filter(|s| !s.is_empty())
}

/// The credentials, one per scheme that has one, and the query parameter names that carry
/// a secret (to redact in printed URLs).
pub struct Credentials {
    /// (scheme, credential).
    pub list: Vec<(String, Credential)>,
    /// Query parameters whose values are secrets.
    pub secret_query: Vec<String>,
    /// Header names whose values are secrets (API key headers).
    pub secret_headers: Vec<String>,
}

/// Reads the credentials for `c`'s schemes; errors name the option at fault.
pub fn credentials(
    c: &Connector,
    doc: &Value,
    args: &AuthArgs,
) -> Result<Credentials, Vec<String>> {
    let mut errors = Vec::new();
    let mut by_scheme: Vec<(String, String)> = Vec::new();
    for given in &args.schemes {
        let Some((name, value)) = given.split_once('=') else {
            errors.push(format!("--auth `{}`: expected SCHEME=VALUE", redact(given)));
            continue;
        };
        if !c.auth.iter().any(|s| s.name == name) {
            let hint = did_you_mean(name, c.auth.iter().map(|s| s.name.as_str()))
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            let known: Vec<String> = c.auth.iter().map(|s| format!("`{}`", s.name)).collect();
            errors.push(format!(
                "--auth {name}: the definition has no scheme `{name}`{hint}; its schemes: {}",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ));
            continue;
        }
        by_scheme.push((name.to_string(), value.to_string()));
    }
    let api_key = or_env(&args.api_key, "CONNECTORKIT_API_KEY");
    let bearer = or_env(&args.bearer, "CONNECTORKIT_BEARER_TOKEN");
    let basic = or_env(&args.basic, "CONNECTORKIT_BASIC");
    let client_id = or_env(&args.client_id, "CONNECTORKIT_CLIENT_ID");
    let client_secret = or_env(&args.client_secret, "CONNECTORKIT_CLIENT_SECRET");
    let mut out = Credentials {
        list: Vec::new(),
        secret_query: Vec::new(),
        secret_headers: Vec::new(),
    };
    for s in &c.auth {
        let own = by_scheme
            .iter()
            .find(|(n, _)| n == &s.name)
            .map(|(_, v)| v.clone());
        let cred = match &s.kind {
            AuthKind::ApiKeyHeader(name) => {
                out.secret_headers.push(name.to_ascii_lowercase());
                own.or(api_key.clone())
                    .map(|v| Credential::api_key_header(name, v))
            }
            AuthKind::ApiKeyQuery(name) => {
                out.secret_query.push(name.clone());
                own.or(api_key.clone())
                    .map(|v| Credential::api_key_query(name, v))
            }
            AuthKind::ApiKeyCookie(name) => own
                .or(api_key.clone())
                .map(|v| Credential::api_key_cookie(name, v)),
            AuthKind::Basic => match own.or(basic.clone()) {
                Some(v) => match v.split_once(':') {
                    Some((user, pass)) => Some(Credential::basic(user, pass)),
                    None => {
                        errors.push(format!(
                            "the credential of `{}` (basic): expected USER:PASSWORD",
                            s.name
                        ));
                        None
                    }
                },
                None => None,
            },
            AuthKind::Bearer => match (own.or(bearer.clone()), &client_id) {
                (Some(token), _) => Some(Credential::bearer(token)),
                (None, Some(id)) if s.origin == "oauth2" => {
                    match oauth(s, doc, id, client_secret.as_deref(), args) {
                        Ok(p) => Some(p),
                        Err(e) => {
                            errors.push(e);
                            None
                        }
                    }
                }
                (None, _) => None,
            },
        };
        if let Some(cred) = cred {
            out.list.push((s.name.clone(), cred));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// An OAuth 2.0 client credentials provider for scheme `s` (tokens cached for the call and
/// refreshed on a 401, as in a generated client).
fn oauth(
    s: &AuthScheme,
    doc: &Value,
    client_id: &str,
    secret: Option<&str>,
    args: &AuthArgs,
) -> Result<Credential, String> {
    let flow = doc
        .pointer(&format!(
            "/components/securitySchemes/{}/flows/clientCredentials",
            s.name.replace('~', "~0").replace('/', "~1")
        ))
        .cloned()
        .unwrap_or(Value::Null);
    let token_url = args
        .token_url
        .clone()
        .or_else(|| flow.get("tokenUrl").and_then(Value::as_str).map(str::to_string))
        .ok_or_else(|| {
            format!(
                "--client-id for `{}`: the definition names no clientCredentials token URL; give --token-url",
                s.name
            )
        })?;
    let cache = if args.no_token_cache {
        None
    } else {
        args.token_cache
            .clone()
            .or_else(|| FileTokenStore::default_path(&token_url, client_id, &args.scopes))
    };
    let mut settings = OAuthSettings::new(client_id, token_url);
    if let Some(secret) = secret {
        settings = settings.client_secret(secret);
    }
    if !args.scopes.is_empty() {
        settings = settings.scopes(args.scopes.clone());
    }
    let store =
        cache.map(|p| Arc::new(FileTokenStore::new(p)) as Arc<dyn connectorkit::TokenStore>);
    let provider: Arc<dyn connectorkit::TokenProvider> =
        match or_env(&args.refresh_token, "CONNECTORKIT_REFRESH_TOKEN") {
            Some(rt) => {
                let p = RefreshTokenProvider::new(settings, rt);
                Arc::new(match store {
                    Some(s) => p.with_store(s),
                    None => p,
                })
            }
            None => {
                let p = ClientCredentialsProvider::new(settings);
                Arc::new(match store {
                    Some(s) => p.with_store(s),
                    None => p,
                })
            }
        };
    Ok(Credential::shared_token_provider(provider))
}

/// `NAME=…` with the value hidden, for messages about a malformed option.
fn redact(given: &str) -> String {
    match given.split_once('=') {
        Some((n, _)) => format!("{n}=…"),
        None => "…".into(),
    }
}
