//! The connection (apiProperties.json) → the `Connection` type and the code that turns it into
//! a configured runtime client: base URLs, credentials and policy headers.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust::ident;
use crate::model::powerplatform::{
    BindingValue, ConnKind, ConnParam, Connection, OAuthSpec, Part, PlacementLocation, Platform,
    Template, TOKEN_KEY,
};
use crate::model::{AuthKind, Connector};

/// The Rust type of a connection parameter's field (without the `Option`).
fn field_ty(p: &ConnParam) -> TokenStream {
    match (&p.kind, &p.choice) {
        (ConnKind::Secret, _) => quote!(connectorkit::Secret),
        (ConnKind::OAuth(_), _) => quote!(std::sync::Arc<dyn connectorkit::TokenProvider>),
        (_, Some(choice)) => {
            let c = ident(choice);
            quote!(#c)
        }
        _ => quote!(String),
    }
}

fn field_doc(p: &ConnParam) -> TokenStream {
    let kind = match &p.kind {
        ConnKind::Secret => "A secret (`securestring`): printed as `[redacted]`.".to_string(),
        ConnKind::OAuth(o) => oauth_doc(o),
        ConnKind::Gateway => "The on-premises data gateway to use.".to_string(),
        ConnKind::Text => String::new(),
    };
    let wire = format!("Connection parameter `{}`.", p.wire);
    let default = p
        .default
        .as_ref()
        .map(|d| format!("Default when empty: `{d}`."));
    docs::attrs(&[
        p.doc.as_deref().or(Some(wire.as_str())),
        (!kind.is_empty()).then_some(kind.as_str()),
        p.doc.as_ref().map(|_| wire.as_str()),
        default.as_deref(),
    ])
}

fn oauth_doc(o: &OAuthSpec) -> String {
    let provider = if o.provider.is_empty() {
        "an unnamed identity provider".to_string()
    } else {
        format!("identity provider `{}`", o.provider)
    };
    format!(
        "The OAuth connection ({provider}): a token provider that hands out access tokens (`connectorkit::StaticToken` for a token you already have, `connectorkit::RefreshTokenProvider` for a refresh token, `connectorkit::ClientCredentialsProvider`, or `connectorkit::AuthorizationCodeFlow` to authorize with PKCE). `oauth_settings_…` gives the definition's client id, scopes and URLs as their defaults."
    )
}

/// The `Connection` type (a struct, or an enum of parameter sets) and its accessors.
pub fn items(c: &Connector, conn: &Connection) -> TokenStream {
    let name = ident(&connection_type(c));
    let title = docs::attrs(&[Some(&format!(
        "How to connect to {}: the connection parameters of the connector's `apiProperties.json`.",
        c.title.trim()
    ))]);
    let body = if conn.alternatives {
        let variants = conn.sets.iter().map(|s| {
            let v = ident(&s.variant);
            let set_doc = format!("Connection parameter set `{}`.", s.name);
            let doc = docs::attrs(&[
                s.doc.as_deref().or(Some(&set_doc)),
                s.doc.as_ref().map(|_| set_doc.as_str()),
            ]);
            let fields = s.params.iter().map(|p| {
                let f = ident(&p.ident);
                let t = opt(p, field_ty(p));
                let d = field_doc(p);
                quote!(#d #f: #t,)
            });
            quote!(#doc #v { #(#fields)* },)
        });
        quote! {
            #title
            ///
            /// The connector offers alternative sets of parameters; choose one.
            #[derive(Clone, Debug)]
            pub enum #name { #(#variants)* }
        }
    } else {
        let fields = conn.sets[0].params.iter().map(|p| {
            let f = ident(&p.ident);
            let t = opt(p, field_ty(p));
            let d = field_doc(p);
            quote!(#d pub #f: #t,)
        });
        quote! {
            #title
            #[derive(Clone, Debug)]
            pub struct #name { #(#fields)* }
        }
    };
    let token_fn = token_fn(conn);
    let mut namer = crate::model::names::Namer::default();
    let mut oauth_fns = Vec::new();
    for set in &conn.sets {
        for p in &set.params {
            if let ConnKind::OAuth(o) = &p.kind {
                let field = crate::model::names::bare(&p.ident)
                    .trim_end_matches('_')
                    .to_string();
                let wanted = if conn.alternatives {
                    format!(
                        "oauth_settings_{}_{field}",
                        crate::model::names::snake_ident(&set.variant, "set")
                    )
                } else {
                    format!("oauth_settings_{field}")
                };
                let (fn_name, _) = namer.claim(&wanted);
                oauth_fns.push(oauth_settings_fn(&fn_name, p, o));
            }
        }
    }
    quote! {
        #body

        impl #name {
            #token_fn
            #(#oauth_fns)*
        }
    }
}

/// The type name of the connection (`Connection`, unless a definition type has that name).
pub fn connection_type(c: &Connector) -> String {
    if c.types.iter().any(|t| t.name == "Connection") {
        "ConnectionParameters".to_string()
    } else {
        "Connection".to_string()
    }
}

fn opt(p: &ConnParam, t: TokenStream) -> TokenStream {
    if p.required || matches!(p.kind, ConnKind::OAuth(_)) {
        t
    } else {
        quote!(Option<#t>)
    }
}

/// The `&str` view of a field binding named `f`.
fn as_str(p: &ConnParam, f: &TokenStream) -> Option<TokenStream> {
    let required = p.required;
    Some(match (&p.kind, &p.choice, required) {
        (ConnKind::OAuth(_), _, _) => return None,
        (ConnKind::Secret, _, true) => quote!(Some(#f.expose())),
        (ConnKind::Secret, _, false) => quote!(#f.as_ref().map(|v| v.expose())),
        (_, Some(_), true) => quote!(Some(#f.as_str())),
        (_, Some(_), false) => quote!(#f.as_ref().map(|v| v.as_str())),
        (_, None, true) => quote!(Some(#f.as_str())),
        (_, None, false) => quote!(#f.as_deref()),
    })
}

fn token_fn(conn: &Connection) -> TokenStream {
    let body = if conn.alternatives {
        let arms = conn.sets.iter().map(|s| {
            let v = ident(&s.variant);
            match s
                .params
                .iter()
                .find(|p| matches!(p.kind, ConnKind::OAuth(_)))
            {
                Some(p) => {
                    let f = ident(&p.ident);
                    quote!(Self::#v { #f, .. } => Some(#f),)
                }
                None => quote!(Self::#v { .. } => None,),
            }
        });
        quote!(match self { #(#arms)* })
    } else {
        match conn.sets[0]
            .params
            .iter()
            .find(|p| matches!(p.kind, ConnKind::OAuth(_)))
        {
            Some(p) => {
                let f = ident(&p.ident);
                quote!(Some(&self.#f))
            }
            None => quote!(None),
        }
    };
    quote! {
        /// The OAuth token source, when the connection has one.
        #[allow(dead_code)]
        fn token(&self) -> Option<&std::sync::Arc<dyn connectorkit::TokenProvider>> {
            #body
        }
    }
}

fn oauth_settings_fn(fn_name: &str, p: &ConnParam, o: &OAuthSpec) -> TokenStream {
    let name = ident(fn_name);
    let client_id = o.client_id.clone().unwrap_or_default();
    let mut chain = Vec::new();
    let is_aad = o.provider.starts_with("aad");
    let base = if is_aad {
        let login = o
            .login_uri
            .clone()
            .unwrap_or_else(|| "https://login.microsoftonline.com".into());
        let tenant = o.tenant_id.clone().unwrap_or_else(|| "common".into());
        if let Some(r) = &o.resource_uri {
            chain.push(quote!(.resource(#r)));
        }
        quote!(connectorkit::OAuthSettings::entra(#login, #tenant, #client_id))
    } else if o.provider == "oauth2generic" {
        // The runtime renders the templates (`{ClientId}`, `{Scopes}`, `{Code}`…).
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in [
            ("authorizationUrlTemplate", &o.authorization_url),
            ("tokenUrlTemplate", &o.token_url),
            ("refreshUrlTemplate", &o.refresh_url),
        ] {
            if let Some(v) = v {
                pairs.push((k.to_string(), v.clone()));
            }
        }
        pairs.extend(o.other.iter().cloned());
        let templates = if pairs.is_empty() {
            quote!(connectorkit::OAuthTemplates::new())
        } else {
            let (ks, vs): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
            quote!(connectorkit::OAuthTemplates::from_parameters([#((#ks, #vs)),*]))
        };
        quote!(connectorkit::OAuthSettings::generic(#client_id, #templates))
    } else {
        let token = o.token_url.clone().unwrap_or_default();
        if let Some(a) = &o.authorization_url {
            chain.push(quote!(.authorization_url(#a)));
        }
        if let Some(r) = &o.refresh_url {
            chain.push(quote!(.refresh_url(#r)));
        }
        quote!(connectorkit::OAuthSettings::new(#client_id, #token))
    };
    let scopes: Vec<String> = o
        .scopes
        .iter()
        .flat_map(|s| s.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .collect();
    if !scopes.is_empty() {
        chain.push(quote!(.scopes([#(#scopes),*])));
    }
    let mut lines = vec![format!(
        "The OAuth settings the definition gives for `{}` ({}): the defaults for the runtime's OAuth providers.",
        p.wire,
        if o.provider.is_empty() { "no identity provider named" } else { o.provider.as_str() }
    )];
    if o.client_id.is_none() {
        lines.push("The definition has no usable client id (it is missing or a placeholder): set yours with `.client_id(…)`.".into());
    }
    if o.provider == "oauth2generic" {
        lines.push("This connector uses the platform's templated `oauth2generic` provider; the settings carry its URL and body templates (`connectorkit::OAuthTemplates`), which the runtime's providers and `connectorkit::AuthorizationCodeFlow` render:".into());
        for (k, v) in &o.other {
            lines.push(format!("- `{k}`: `{v}`"));
        }
    }
    let doc_text = lines.join("\n\n");
    let doc = docs::attrs(&[Some(&doc_text)]);
    quote! {
        #doc
        pub fn #name() -> connectorkit::OAuthSettings {
            #base #(#chain)*
        }
    }
}

/// A connection in scope for generated code: `expr` (a `Connection` place or reference),
/// its model and its type name.
pub struct ConnCtx<'a> {
    /// The expression (`connection`, `c`).
    pub expr: TokenStream,
    /// The connection's model.
    pub conn: &'a Connection,
    /// The type name (`Connection`).
    pub ty: TokenStream,
}

/// A `String` expression for connection parameter `wire` (the name the model resolved it
/// to), read by field access: the value, else the parameter's default, else `default`.
pub fn conn_value(cx: &ConnCtx<'_>, wire: &str, default: &str) -> TokenStream {
    let fallback = |p: Option<&ConnParam>| {
        p.and_then(|p| p.default.clone())
            .unwrap_or_else(|| default.to_string())
    };
    let c = &cx.expr;
    let (found, fallback): (TokenStream, String) = if cx.conn.alternatives {
        let ty = &cx.ty;
        let mut fb = default.to_string();
        let arms: Vec<TokenStream> =
            cx.conn
                .sets
                .iter()
                .map(|s| {
                    let v = ident(&s.variant);
                    // The model resolves names case-insensitively; a set may spell it its way.
                    let found =
                        s.params.iter().find(|p| p.wire == wire).or_else(|| {
                            s.params.iter().find(|p| p.wire.eq_ignore_ascii_case(wire))
                        });
                    match found {
                        Some(p) => {
                            let f = ident(&p.ident);
                            match as_str(p, &quote!(#f)) {
                                Some(e) => {
                                    fb = fallback(Some(p));
                                    quote!(#ty::#v { #f, .. } => #e,)
                                }
                                None => quote!(#ty::#v { .. } => None,),
                            }
                        }
                        None => quote!(#ty::#v { .. } => None,),
                    }
                })
                .collect();
        (quote!(match &#c { #(#arms)* }), fb)
    } else {
        let p = cx.conn.sets[0].params.iter().find(|p| p.wire == wire);
        match p.and_then(|p| {
            let f = ident(&p.ident);
            as_str(p, &quote!(#c.#f))
        }) {
            Some(e) => (e, fallback(p)),
            None => (quote!(None), fallback(p)),
        }
    };
    quote!({
        let found: Option<&str> = #found;
        match found {
            Some(v) if !v.is_empty() => v.to_string(),
            _ => String::from(#fallback),
        }
    })
}

/// A `String` expression for a template; `conn` is the connection in scope, or `None`.
pub fn template_expr(t: &Template, conn: Option<&ConnCtx<'_>>) -> TokenStream {
    if let ([Part::Conn { name, default }], Some(cx)) = (t.0.as_slice(), conn) {
        return conn_value(cx, name, default.as_deref().unwrap_or(""));
    }
    let pieces: Vec<TokenStream> =
        t.0.iter()
            .map(|p| match p {
                Part::Lit(s) => quote!(#s),
                Part::Conn { name, default } => {
                    let d = default.clone().unwrap_or_default();
                    match conn {
                        Some(cx) => {
                            let v = conn_value(cx, name, &d);
                            quote!(#v.as_str())
                        }
                        None => quote!(#d),
                    }
                }
                _ => quote!(""),
            })
            .collect();
    match pieces.as_slice() {
        [] => quote!(String::new()),
        [one] => quote!(String::from(#one)),
        _ => quote!([#(#pieces),*].concat()),
    }
}

/// The statements that register policy placements on `inner` (a `connectorkit::Client`).
pub fn placements(
    p: &Platform,
    conn: Option<&ConnCtx<'_>>,
    only_constant: bool,
) -> Vec<TokenStream> {
    p.placements
        .iter()
        .filter(|x| !only_constant || x.value.connection_names().next().is_none())
        .map(|x| {
            let key = &x.key;
            let name = &x.name;
            let v = template_expr(&x.value, conn);
            let cred = match x.location {
                PlacementLocation::Header => {
                    quote!(connectorkit::Credential::api_key_header(#name, #v))
                }
                PlacementLocation::Query => {
                    quote!(connectorkit::Credential::api_key_query(#name, #v))
                }
            };
            quote!(let inner = inner.with_credential(#key, #cred);)
        })
        .collect()
}

/// The statements that fill the definition's schemes from the connection `c`.
pub fn bindings(conn_ty: &Connector, p: &Platform, cx: &ConnCtx<'_>) -> Vec<TokenStream> {
    let c = &cx.expr;
    let mut out = Vec::new();
    for b in &p.bindings {
        let Some(scheme) = conn_ty.auth.iter().find(|s| s.name == b.scheme) else {
            continue;
        };
        let key = &b.scheme;
        let (needs, cred): (Vec<&str>, TokenStream) = match (&b.value, &scheme.kind) {
            (BindingValue::ApiKey(t), kind) => {
                let v = template_expr(t, Some(cx));
                let cred = match kind {
                    AuthKind::ApiKeyQuery(n) => {
                        quote!(connectorkit::Credential::api_key_query(#n, #v))
                    }
                    AuthKind::ApiKeyCookie(n) => {
                        quote!(connectorkit::Credential::api_key_cookie(#n, #v))
                    }
                    AuthKind::ApiKeyHeader(n) => {
                        quote!(connectorkit::Credential::api_key_header(#n, #v))
                    }
                    _ => continue,
                };
                (t.connection_names().collect(), cred)
            }
            (BindingValue::Basic(u, pw), _) => {
                let u_e = template_expr(u, Some(cx));
                let p_e = template_expr(pw, Some(cx));
                (
                    u.connection_names().chain(pw.connection_names()).collect(),
                    quote!(connectorkit::Credential::basic(#u_e, #p_e)),
                )
            }
            (BindingValue::Token(_), _) => {
                out.push(quote! {
                    if let Some(token) = #c.token() {
                        inner = inner.with_credential(#key, connectorkit::Credential::shared_token_provider(token.clone()));
                    }
                });
                continue;
            }
        };
        // A scheme is filled only when the chosen parameters give it a value.
        let values: Vec<TokenStream> = needs.iter().map(|n| conn_value(cx, n, "")).collect();
        if values.is_empty() {
            out.push(quote!(inner = inner.with_credential(#key, #cred);));
        } else {
            out.push(quote! {
                let filled = [#(#values),*].iter().all(|v| !v.is_empty());
                if filled {
                    inner = inner.with_credential(#key, #cred);
                }
            });
        }
    }
    if p.token.is_some() {
        out.push(quote! {
            if let Some(token) = #c.token() {
                inner = inner.with_credential(#TOKEN_KEY, connectorkit::Credential::shared_token_provider(token.clone()));
            }
        });
    }
    out
}
