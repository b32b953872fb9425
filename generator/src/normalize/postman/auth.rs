//! Auth: inheritance (collection → folder → request, `noauth`) and Postman auth types →
//! OpenAPI security schemes, de-duplicated by type + location + name; auth inferred from
//! literal `Authorization` and api-key-like headers and query items that use variables.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde_json::{json, Value};

use super::ir::{Auth, Entry};
use super::names::snake;
use super::vars;

/// The security schemes of the document, by name, and the keys that identify them.
#[derive(Default)]
pub(crate) struct Schemes {
    pub schemes: IndexMap<String, Value>,
    by_key: BTreeMap<String, String>,
}

/// Auth inferred from a request's entries: (scheme name, the entries it came from as
/// (pointer, lower-case key), a note for the diagnostic).
pub(crate) type Inferred = (String, Vec<(String, String)>, String);

/// What a request's auth comes to.
pub(crate) enum Resolved {
    /// A security scheme, by name.
    Scheme(String),
    /// A type with no OpenAPI scheme (digest, hawk, awsv4, ntlm, oauth1, edgegrid…).
    Unsupported(String),
}

impl Schemes {
    fn add(&mut self, key: String, preferred: &str, scheme: Value) -> String {
        if let Some(n) = self.by_key.get(&key) {
            return n.clone();
        }
        let mut name = preferred.to_string();
        let mut k = 2;
        while self.schemes.contains_key(&name) {
            name = format!("{preferred}{k}");
            k += 1;
        }
        self.schemes.insert(name.clone(), scheme);
        self.by_key.insert(key, name.clone());
        name
    }

    /// The scheme for an auth block, adding it when new.
    pub fn resolve(&mut self, auth: &Auth, vars: &BTreeMap<String, String>) -> Resolved {
        let desc = |what: &str| format!("{what} (from the collection's `{}` auth)", auth.kind);
        match auth.kind.as_str() {
            "apikey" => {
                let key_raw = auth.attr("key");
                let key = vars::resolve(&key_raw, vars);
                let key = if key.trim().is_empty() || key.contains("{{") {
                    match vars::whole(&key_raw) {
                        Some(v) if !v.is_empty() => v,
                        _ => "X-API-Key".to_string(),
                    }
                } else {
                    key.trim().to_string()
                };
                let location = match auth.attr("in").to_ascii_lowercase().as_str() {
                    "query" => "query",
                    _ => "header",
                };
                self.api_key(&key, location, &desc("API key"))
            }
            "basic" => Resolved::Scheme(self.add(
                "basic".into(),
                "basic",
                json!({"type": "http", "scheme": "basic", "description": desc("HTTP basic")}),
            )),
            "bearer" => Resolved::Scheme(self.bearer(&desc("Bearer token"))),
            "jwt" => Resolved::Scheme(self.add(
                "jwt".into(),
                "jwt",
                json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": desc("A signed JWT sent as a bearer token; the signing inputs in the collection are not used")}),
            )),
            "oauth2" => {
                let grant = auth.attr("grant_type");
                let auth_url = url_or(&vars::resolve(&auth.attr("authUrl"), vars), "https://example.invalid/oauth2/authorize");
                let token_url = url_or(&vars::resolve(&auth.attr("accessTokenUrl"), vars), "https://example.invalid/oauth2/token");
                let scopes: serde_json::Map<String, Value> = vars::resolve(&auth.attr("scope"), vars)
                    .split([' ', ','])
                    .filter(|s| !s.is_empty() && !s.contains("{{"))
                    .map(|s| (s.to_string(), json!("")))
                    .collect();
                let (flow, body) = match grant.as_str() {
                    "client_credentials" => ("clientCredentials", json!({"tokenUrl": token_url, "scopes": scopes})),
                    "password" | "password_credentials" => ("password", json!({"tokenUrl": token_url, "scopes": scopes})),
                    "implicit" => ("implicit", json!({"authorizationUrl": auth_url, "scopes": scopes})),
                    _ => ("authorizationCode", json!({"authorizationUrl": auth_url, "tokenUrl": token_url, "scopes": scopes})),
                };
                let key = format!("oauth2:{flow}:{body}");
                Resolved::Scheme(self.add(
                    key,
                    "oauth2",
                    json!({"type": "oauth2", "description": desc("OAuth 2.0; the client is given the access token"), "flows": {flow: body}}),
                ))
            }
            other => Resolved::Unsupported(other.to_string()),
        }
    }

    fn bearer(&mut self, description: &str) -> String {
        self.add(
            "bearer".into(),
            "bearer",
            json!({"type": "http", "scheme": "bearer", "description": description}),
        )
    }

    fn api_key(&mut self, key: &str, location: &str, description: &str) -> Resolved {
        let preferred = match snake(key) {
            s if s.is_empty() => "api_key".to_string(),
            s => s,
        };
        Resolved::Scheme(self.add(
            format!("apikey:{location}:{}", key.to_ascii_lowercase()),
            &preferred,
            json!({"type": "apiKey", "in": location, "name": key, "description": description}),
        ))
    }

    /// Auth implied by headers or query items of a request without auth: the scheme, the
    /// entries to drop (pointer, lower-case key) and a note for the diagnostic.
    pub fn infer(&mut self, headers: &[Entry], query: &[Entry]) -> Option<Inferred> {
        for h in headers.iter().filter(|h| !h.disabled) {
            let (Some(k), Some(v)) = (&h.key, &h.value) else {
                continue;
            };
            let v = v.trim();
            let literal = !v.contains("{{");
            if k.eq_ignore_ascii_case("authorization") {
                let lower = v.to_ascii_lowercase();
                let (scheme, what) = if lower.starts_with("bearer ") || lower == "bearer" {
                    (
                        self.bearer(
                            "Bearer token (inferred from an `Authorization: Bearer …` header)",
                        ),
                        "bearer",
                    )
                } else if lower.starts_with("basic ") {
                    (
                        self.add("basic".into(), "basic", json!({"type": "http", "scheme": "basic", "description": "HTTP basic (inferred from an `Authorization: Basic …` header)"})),
                        "basic",
                    )
                } else if literal && !v.is_empty() {
                    continue;
                } else {
                    match self.api_key("Authorization", "header", "The whole `Authorization` header value (inferred from the collection's header)") {
                        Resolved::Scheme(s) => (s, "api key"),
                        _ => continue,
                    }
                };
                let note = if v.is_empty() {
                    "an `Authorization` header without a value is read as a credential the caller sets on the client".to_string()
                } else if literal {
                    format!("a literal `Authorization` header is read as {what} auth; the credential in the file is not emitted")
                } else {
                    format!("the `Authorization: {v}` header is read as {what} auth")
                };
                return Some((
                    scheme,
                    vec![(h.pointer.clone(), k.to_ascii_lowercase())],
                    note,
                ));
            }
            if !literal && key_like(k) && vars::whole(v).is_some() {
                if let Resolved::Scheme(s) = self.api_key(
                    k,
                    "header",
                    "API key (inferred from a header that uses a variable)",
                ) {
                    return Some((
                        s,
                        vec![(h.pointer.clone(), k.to_ascii_lowercase())],
                        format!("header `{k}: {v}` is read as API key auth"),
                    ));
                }
            }
        }
        for q in query.iter().filter(|q| !q.disabled) {
            let (Some(k), Some(v)) = (&q.key, &q.value) else {
                continue;
            };
            if key_like(k) && vars::whole(v).is_some() {
                if let Resolved::Scheme(s) = self.api_key(
                    k,
                    "query",
                    "API key (inferred from a query item that uses a variable)",
                ) {
                    return Some((
                        s,
                        vec![(q.pointer.clone(), k.to_ascii_lowercase())],
                        format!("query item `{k}={v}` is read as API key auth"),
                    ));
                }
            }
        }
        None
    }
}

/// Header or query names that carry credentials.
fn key_like(name: &str) -> bool {
    let n = name.to_ascii_lowercase().replace(['-', '_'], "");
    n.contains("apikey")
        || n.contains("authtoken")
        || n.contains("accesstoken")
        || n.contains("subscriptionkey")
        || n == "token"
        || n == "xtoken"
        || n == "key"
        || n.ends_with("secret")
}

fn url_or(s: &str, fallback: &str) -> String {
    let t = s.trim();
    if (t.starts_with("https://") || t.starts_with("http://")) && !t.contains(['{', '}', ' ']) {
        t.to_string()
    } else {
        fallback.to_string()
    }
}
