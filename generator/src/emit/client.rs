//! Actions and auth → `client.rs` of the generated crate: one thin async method per action.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust::{arg_ty, ident};
use super::types::body_ty;
use crate::model::{
    Action, AuthKind, AuthScheme, BodyKind, Connector, Outcome, ParamLocation, QueryStyle,
    ResponseBody, ResponseCase, StatusMatch,
};

/// The `Client` struct and its impl.
pub fn items(c: &Connector) -> TokenStream {
    let auth = c.auth.iter().map(auth_method);
    let actions = c.actions.iter().map(action);
    quote! {
        /// The API client: one async method per action. Cheap to clone.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: connectorkit::Client,
        }

        impl Client {
            /// A client for [`DEFAULT_BASE_URL`](super::DEFAULT_BASE_URL) with default settings and no credentials.
            pub fn new() -> Result<Self, connectorkit::BuildError> {
                Ok(Self::from_runtime(Self::builder().build()?))
            }

            /// A runtime builder preset with the default base URL, for timeouts, a custom
            /// `reqwest::Client` and more; finish with [`Client::from_runtime`].
            pub fn builder() -> connectorkit::ClientBuilder {
                connectorkit::Client::builder(super::DEFAULT_BASE_URL)
            }

            /// Wraps a configured runtime client.
            pub fn from_runtime(inner: connectorkit::Client) -> Self {
                Self { inner }
            }

            /// The runtime client underneath.
            pub fn runtime(&self) -> &connectorkit::Client {
                &self.inner
            }

            /// The same client pointed at another base URL.
            pub fn with_base_url(&self, base_url: &str) -> Result<Self, connectorkit::BuildError> {
                Ok(Self::from_runtime(self.inner.with_base_url(base_url)?))
            }

            #(#auth)*

            #(#actions)*
        }
    }
}

fn auth_method(a: &AuthScheme) -> TokenStream {
    let m = ident(&a.method);
    let scheme = &a.name;
    let summary = match &a.kind {
        AuthKind::ApiKeyHeader(h) => {
            format!("Authenticates with `{scheme}`: an API key sent in the `{h}` header.")
        }
        AuthKind::ApiKeyQuery(q) => {
            format!("Authenticates with `{scheme}`: an API key sent as the `{q}` query parameter.")
        }
        AuthKind::ApiKeyCookie(c) => {
            format!("Authenticates with `{scheme}`: an API key sent in the `{c}` cookie.")
        }
        AuthKind::Basic => format!("Authenticates with `{scheme}`: HTTP basic."),
        AuthKind::Bearer => format!(
            "Authenticates with `{scheme}` ({}): a bearer token.",
            a.origin
        ),
    };
    let doc = docs::attrs(&[Some(&summary), a.description.as_deref()]);
    let (args, cred) = match &a.kind {
        AuthKind::ApiKeyHeader(h) => (
            quote!(key: impl Into<connectorkit::Secret>),
            quote!(connectorkit::Credential::api_key_header(#h, key)),
        ),
        AuthKind::ApiKeyQuery(q) => (
            quote!(key: impl Into<connectorkit::Secret>),
            quote!(connectorkit::Credential::api_key_query(#q, key)),
        ),
        AuthKind::ApiKeyCookie(c) => (
            quote!(key: impl Into<connectorkit::Secret>),
            quote!(connectorkit::Credential::api_key_cookie(#c, key)),
        ),
        AuthKind::Basic => (
            quote!(username: impl Into<String>, password: impl Into<connectorkit::Secret>),
            quote!(connectorkit::Credential::basic(username, password)),
        ),
        AuthKind::Bearer => (
            quote!(token: impl Into<connectorkit::Secret>),
            quote!(connectorkit::Credential::bearer(token)),
        ),
    };
    quote! {
        #doc
        pub fn #m(&self, #args) -> Self {
            Self::from_runtime(self.inner.with_credential(#scheme, #cred))
        }
    }
}

fn action(a: &Action) -> TokenStream {
    let name = ident(&a.ident);
    let route = format!("`{} {}`", a.method, a.path);
    let summary = a.summary.as_deref().filter(|s| !s.trim().is_empty());
    let description = a
        .description
        .as_deref()
        .filter(|d| Some(d.trim()) != summary.map(str::trim));
    let fallback = a
        .operation_id
        .as_ref()
        .map(|id| format!("The `{id}` action."));
    let first = summary.or(description).or(fallback.as_deref());
    let rest = if summary.is_some() { description } else { None };
    let multipart_doc = match a.body.as_ref().map(|b| &b.kind) {
        Some(BodyKind::Multipart(fields)) if !fields.is_empty() => Some(format!(
            "The multipart body's parts: {}.",
            fields
                .iter()
                .map(|f| format!("`{f}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        _ => None,
    };
    let doc = docs::attrs(&[first, rest, multipart_doc.as_deref(), Some(&route)]);
    let deprecated = a.deprecated.then(|| quote!(#[deprecated]));

    let mut args = Vec::new();
    let mut calls = Vec::new();
    for p in &a.params {
        let pi = ident(&p.ident);
        let wire = &p.wire_name;
        let value = if p.required {
            let t = arg_ty(&p.ty);
            args.push(quote!(#pi: #t));
            quote!(&#pi)
        } else {
            quote!(&params.#pi)
        };
        calls.push(match p.location {
            ParamLocation::Path => quote!(.path(#wire, #value)),
            ParamLocation::Header => quote!(.header(#wire, #value)),
            ParamLocation::Cookie => quote!(.cookie(#wire, #value)),
            ParamLocation::Query => match p.style {
                QueryStyle::Form => quote!(.query(#wire, #value)),
                s => {
                    let style = match s {
                        QueryStyle::FormNoExplode => quote!(FormNoExplode),
                        QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
                        QueryStyle::PipeDelimited => quote!(PipeDelimited),
                        _ => quote!(DeepObject),
                    };
                    quote!(.query_with(#wire, #value, connectorkit::ParamStyle::#style))
                }
            },
        });
    }
    if let Some(ps) = &a.params_struct {
        let ps = ident(ps);
        args.push(quote!(params: &#ps));
    }
    if let Some(body) = &a.body {
        match &body.kind {
            BodyKind::Json(t) => {
                let t = arg_ty(t);
                args.push(quote!(body: #t));
                calls.push(quote!(.json(&body)));
            }
            BodyKind::Form(t) => {
                let t = arg_ty(t);
                args.push(quote!(body: #t));
                calls.push(quote!(.form(&body)));
            }
            BodyKind::Multipart(_) => {
                args.push(quote!(body: connectorkit::Multipart));
                calls.push(quote!(.multipart(body)));
            }
            BodyKind::Bytes(ct) => {
                args.push(quote!(body: impl Into<connectorkit::Bytes>));
                calls.push(quote!(.body_bytes(#ct, body)));
            }
            BodyKind::Text(ct) => {
                args.push(quote!(body: impl Into<String>));
                calls.push(quote!(.body_text(#ct, body)));
            }
        }
    }
    if !a.security.is_empty() {
        let alts = a.security.iter().map(|alt| quote!(&[#(#alt),*]));
        calls.push(quote!(.security(&[#(#alts),*])));
    }
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let ok_ty = match &a.success_type {
        Outcome::Single(b) => body_ty(b),
        Outcome::Enum(n) => {
            let n = ident(n);
            quote!(#n)
        }
    };
    let err_ty = match &a.error_type {
        Outcome::Single(b) => body_ty(b),
        Outcome::Enum(n) => {
            let n = ident(n);
            quote!(#n)
        }
    };
    let method = ident(&a.method.to_uppercase());
    let path = &a.path;
    let arms = arms(a);
    quote! {
        #doc
        #deprecated
        #too_many
        pub async fn #name(&self, #(#args),*) -> Result<#ok_ty, connectorkit::Error<#err_ty>> {
            let resp = self
                .inner
                .request(connectorkit::Method::#method, #path)
                #(#calls)*
                .send()
                .await?;
            match resp.status() {
                #(#arms)*
            }
        }
    }
}

fn pattern(cases: &[&ResponseCase]) -> TokenStream {
    // Runs of consecutive codes become ranges (`200..=202`), as clippy prefers.
    let mut codes: Vec<u16> = cases
        .iter()
        .filter_map(|c| match c.status {
            StatusMatch::Code(n) => Some(n),
            _ => None,
        })
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut pats: Vec<TokenStream> = Vec::new();
    let mut i = 0;
    while i < codes.len() {
        let mut j = i;
        while j + 1 < codes.len() && codes[j + 1] == codes[j] + 1 {
            j += 1;
        }
        let lo = proc_macro2::Literal::u16_unsuffixed(codes[i]);
        if j > i {
            let hi = proc_macro2::Literal::u16_unsuffixed(codes[j]);
            pats.push(quote!(#lo..=#hi));
        } else {
            pats.push(quote!(#lo));
        }
        i = j + 1;
    }
    for c in cases {
        if let StatusMatch::Range(d) = c.status {
            let lo = proc_macro2::Literal::u16_unsuffixed(d * 100);
            let hi = proc_macro2::Literal::u16_unsuffixed(d * 100 + 99);
            pats.push(quote!(#lo..=#hi));
        }
    }
    quote!(#(#pats)|*)
}

fn read(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Json(_) => quote!(resp.json()),
        ResponseBody::Text => quote!(resp.text()),
        ResponseBody::Bytes => quote!(resp.bytes()),
        ResponseBody::Empty => quote!(resp.empty()),
    }
}

fn arms(a: &Action) -> Vec<TokenStream> {
    let mut arms = Vec::new();
    let ordered = |cases: &[ResponseCase]| -> Vec<ResponseCase> {
        // Exact codes before ranges so `404` wins over `4XX`.
        let mut v: Vec<ResponseCase> = cases.to_vec();
        v.sort_by_key(|c| match c.status {
            StatusMatch::Code(n) => (0, n),
            StatusMatch::Range(d) => (1, d),
            StatusMatch::Default => (2, 0),
        });
        v
    };
    match &a.success_type {
        Outcome::Single(b) => {
            let sorted = ordered(&a.success);
            let cases: Vec<&ResponseCase> = sorted.iter().collect();
            let pat = pattern(&cases);
            let r = read(b);
            arms.push(quote!(#pat => #r,));
        }
        Outcome::Enum(n) => {
            let n = ident(n);
            for c in ordered(&a.success) {
                let pat = pattern(&[&c]);
                let v = ident(&c.variant);
                let r = read(&c.body);
                arms.push(match c.body {
                    ResponseBody::Empty => quote!(#pat => Ok(#n::#v),),
                    _ => quote!(#pat => #r.map(#n::#v),),
                });
            }
        }
    }
    match &a.error_type {
        Outcome::Single(_) => arms.push(quote!(_ => Err(resp.error()),)),
        Outcome::Enum(n) => {
            let n = ident(n);
            let mut has_default = false;
            for c in ordered(&a.errors) {
                if !matches!(c.body, ResponseBody::Json(_)) {
                    continue;
                }
                let v = ident(&c.variant);
                if c.status == StatusMatch::Default {
                    has_default = true;
                    arms.push(quote!(_ => Err(resp.error_map(#n::#v)),));
                } else {
                    let pat = pattern(&[&c]);
                    arms.push(quote!(#pat => Err(resp.error_map(#n::#v)),));
                }
            }
            if !has_default {
                arms.push(quote!(_ => Err(resp.error_untyped()),));
            }
        }
    }
    arms
}
