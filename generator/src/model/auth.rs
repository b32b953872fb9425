//! Security schemes → the client's credential setters.

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme};

use super::names::{snake_ident, Namer};
use super::{AuthKind, AuthScheme};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceSet;

/// Every usable security scheme, in name order (deterministic).
pub fn schemes(
    openapi: &openapiv3::OpenAPI,
    sources: &SourceSet,
    diags: &mut Diagnostics,
) -> Vec<AuthScheme> {
    let Some(components) = &openapi.components else {
        return Vec::new();
    };
    let mut entries: Vec<_> = components.security_schemes.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    let mut namer = Namer::with_reserved(&["with_base_url"]);
    let mut out = Vec::new();
    for (name, scheme) in entries {
        let pointer = format!(
            "/components/securitySchemes/{}",
            crate::pointer::escape(name)
        );
        let scheme = match scheme {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                match crate::model::types::resolve_security(openapi, reference) {
                    Some(s) => s,
                    None => {
                        diags.push(Diagnostic::error(
                            "ref/dangling",
                            format!("security scheme reference `{reference}` does not resolve"),
                            sources.locate(&pointer),
                        ));
                        continue;
                    }
                }
            }
        };
        let (kind, origin, description) = match scheme {
            SecurityScheme::APIKey {
                location,
                name: key,
                description,
                ..
            } => {
                let kind = match location {
                    APIKeyLocation::Header => AuthKind::ApiKeyHeader(key.clone()),
                    APIKeyLocation::Query => AuthKind::ApiKeyQuery(key.clone()),
                    APIKeyLocation::Cookie => AuthKind::ApiKeyCookie(key.clone()),
                };
                (kind, "apiKey".to_string(), description.clone())
            }
            SecurityScheme::HTTP {
                scheme: http_scheme,
                description,
                ..
            } => match http_scheme.to_ascii_lowercase().as_str() {
                "basic" => (AuthKind::Basic, "http basic".into(), description.clone()),
                "bearer" => (AuthKind::Bearer, "http bearer".into(), description.clone()),
                other => {
                    diags.push(
                        Diagnostic::warning(
                            "auth/unsupported-http-scheme",
                            format!(
                                "HTTP auth scheme `{other}` of `{name}` is not supported; it is treated as a token sent as `Authorization: Bearer`"
                            ),
                            sources.locate(&pointer),
                        )
                        .with_hint("set the Authorization header through a custom reqwest client if the server needs another scheme"),
                    );
                    (
                        AuthKind::Bearer,
                        format!("http {other}"),
                        description.clone(),
                    )
                }
            },
            SecurityScheme::OAuth2 { description, .. } => {
                (AuthKind::Bearer, "oauth2".into(), description.clone())
            }
            SecurityScheme::OpenIDConnect { description, .. } => (
                AuthKind::Bearer,
                "openIdConnect".into(),
                description.clone(),
            ),
        };
        let (method, _) = namer.claim(&format!(
            "with_{}",
            super::names::bare(&snake_ident(name, "auth")).trim_end_matches('_')
        ));
        out.push(AuthScheme {
            name: name.clone(),
            method: super::names::bare(&method).to_string(),
            kind,
            description,
            origin,
        });
    }
    out
}
