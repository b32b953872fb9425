//! Actions and auth → `client.rs` of the generated crate: one thin async method per action.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::connection;
use super::docs;
use super::gates::Gating;
use super::rust::{allow_complex, arg_ty, ident};
use super::types::outcome_ty;
use crate::model::names::bare;
use crate::model::powerplatform::Platform;
use crate::model::{
    Action, AuthKind, AuthScheme, BodyKind, Connector, InjectedValue, Outcome, ParamLocation,
    QueryStyle, ResponseBody, ResponseCase, RustType, StatusMatch, TriggerKind, TypeKind,
};

/// `client.rs` of a crate: the items, and with module features one file per module.
pub struct ClientItems {
    /// The `Client` struct and its impl (and the connection and triggers, for connectors);
    /// with module features, their `mod` declarations.
    pub shared: TokenStream,
    /// With module features: each module's name and the body of `src/client/<name>.rs`,
    /// an `impl Client` with its actions.
    pub modules: Vec<(String, TokenStream)>,
}

/// The client's items. With [`Gating::Features`] each module's actions go to a file of its
/// own, compiled with its feature; otherwise every action is in the one `impl Client`.
pub fn items(c: &Connector, gating: Gating) -> ClientItems {
    let plain_client = c.platform.is_none();
    let bases = other_bases(c);
    let keep_bases =
        (plain_client && !bases.is_empty()).then(|| quote!(bases: self.bases.clone(),));
    let auth = c
        .auth
        .iter()
        .map(|a| auth_method(a, plain_client, keep_bases.as_ref()));
    let (webhooks, plain): (Vec<&Action>, Vec<&Action>) = c.actions.iter().partition(|a| {
        a.trigger
            .as_ref()
            .is_some_and(|t| t.kind == TriggerKind::Webhook)
    });
    // Each group's methods, in the order actions, helpers, twins; `None` keys the methods
    // of the one impl when there are no module files.
    let split = gating == Gating::Features;
    let key = |m: Option<usize>| if split { m } else { None };
    let mut groups: BTreeMap<Option<usize>, Vec<TokenStream>> = BTreeMap::new();
    for a in &plain {
        groups
            .entry(key(a.module))
            .or_default()
            .push(action(c, a, Receiver::Client));
    }
    let (choices, twins) = super::dynamic::items(c);
    for (m, helper) in choices {
        groups.entry(key(m)).or_default().push(helper);
    }
    for a in &twins {
        groups
            .entry(key(a.module))
            .or_default()
            .push(action(c, a, Receiver::Client));
    }
    let methods = groups.remove(&None).unwrap_or_default();
    let module_files: Vec<(String, TokenStream)> = groups
        .into_iter()
        .filter_map(|(m, methods)| {
            let module = c.modules.list.get(m?)?;
            Some((module.name.clone(), module_file(module, &methods)))
        })
        .collect();
    let module_decls = module_files.iter().map(|(name, _)| {
        let m = ident(name);
        quote! {
            #[cfg(feature = #name)]
            mod #m;
        }
    });
    let platform = c.platform.as_ref();
    let hosts = platform.map(|p| p.hosts.len()).unwrap_or(0);
    let connection = platform.and_then(|p| p.connection.as_ref());
    let conn_ty = ident(&connection::connection_type(c));
    let connection_items = connection.map(|conn| connection::items(c, conn));
    let empty = Platform::default();
    let p = platform.unwrap_or(&empty);
    let constant_placements = connection::placements(p, None, true);
    let conn_field = connection.map(|_| quote!(connection: Option<std::sync::Arc<#conn_ty>>,));
    let conn_none = connection.map(|_| quote!(connection: None,));
    let hosts_field = (hosts > 0).then(|| quote!(hosts: Vec<connectorkit::Client>,));
    let hosts_default = (hosts > 0).then(|| quote!(hosts: vec![inner.clone(); #hosts],));
    let hosts_rebase = (hosts > 0).then(|| {
        quote! {
            let hosts = self
                .hosts
                .iter()
                .map(|h| h.with_base_url(base_url))
                .collect::<Result<Vec<_>, _>>()?;
        }
    });
    let hosts_keep = (hosts > 0).then(|| quote!(hosts,));
    let hosts_cred = (hosts > 0).then(|| {
        quote! {
            for h in &mut next.hosts {
                *h = h.with_credential(scheme, credential.clone());
            }
        }
    });
    let conn_keep = connection.map(|_| quote!(connection: self.connection.clone(),));
    // A base URL with an unset variable is a required input (see `model::servers`).
    let required_base = c.servers.first().is_some_and(|s| s.required);
    let (base_arg, base_pass, base_value) = if required_base {
        (
            Some(quote!(base_url: &str)),
            Some(quote!(base_url)),
            quote!(base_url),
        )
    } else {
        (None, None, quote!(super::DEFAULT_BASE_URL))
    };
    let base_doc = required_base.then(|| {
        let text = format!(
            "`base_url` is required: the definition's base URL (`{}`) has a variable with no value.",
            c.servers.first().map(|s| s.url.as_str()).unwrap_or_default()
        );
        quote! {
            #[doc = ""]
            #[doc = #text]
        }
    });
    let base_extra = base_arg.as_ref().map(|a| quote!(, #a));
    let new_doc = if required_base {
        " A client with default settings and no credentials."
    } else {
        " A client for [`DEFAULT_BASE_URL`](super::DEFAULT_BASE_URL) with default settings and no credentials."
    };
    let constructors = match connection {
        Some(conn) => {
            let cx = connection::ConnCtx {
                expr: quote!(connection),
                conn,
                ty: quote!(#conn_ty),
            };
            let all_placements = connection::placements(p, Some(&cx), false);
            let bindings = connection::bindings(c, p, &cx);
            let host_lets: Vec<TokenStream> = p
                .hosts
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    let e = connection::template_expr(&h.template, Some(&cx));
                    let v = quote::format_ident!("host_{}", i);
                    let bp = &h.base_path;
                    if bp.is_empty() {
                        quote!(let #v = inner.with_base_url(&#e)?;)
                    } else {
                        quote!(let #v = inner.with_base_url(&format!("{}{}", #e.trim_end_matches('/'), #bp))?;)
                    }
                })
                .collect();
            let host_names: Vec<proc_macro2::Ident> = (0..p.hosts.len())
                .map(|i| quote::format_ident!("host_{}", i))
                .collect();
            let hosts_init = (hosts > 0).then(|| quote!(hosts: vec![#(#host_names),*],));
            quote! {
                /// A client for `connection`: base URLs, credentials and the connector's policy
                /// headers and query values set up as the platform would.
                #base_doc
                pub fn new(connection: #conn_ty #base_extra) -> Result<Self, connectorkit::BuildError> {
                    Self::connect(Self::builder(#base_pass), connection)
                }

                /// Like [`Client::new`], from a runtime builder (timeouts, a custom
                /// `reqwest::Client`…).
                pub fn connect(
                    builder: connectorkit::ClientBuilder,
                    connection: #conn_ty,
                ) -> Result<Self, connectorkit::BuildError> {
                    let inner = builder.build()?;
                    #(#all_placements)*
                    #[allow(unused_mut)]
                    let mut inner = inner;
                    #(#bindings)*
                    #(#host_lets)*
                    Ok(Self {
                        #hosts_init
                        inner,
                        connection: Some(std::sync::Arc::new(connection)),
                    })
                }
            }
        }
        None => quote! {
            #[doc = #new_doc]
            #base_doc
            pub fn new(#base_arg) -> Result<Self, connectorkit::BuildError> {
                Ok(Self::from_runtime(Self::builder(#base_pass).build()?))
            }
        },
    };
    let (bases_field, bases_default, base_setters) = if plain_client && !bases.is_empty() {
        let urls = bases.iter().map(|(_, u, _)| u);
        let setters = bases.iter().enumerate().map(|(i, (name, url, method))| {
            let m = ident(method);
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            let doc = format!(
                "The same client with the `{name}` base URL (default `{url}`) pointed elsewhere: the requests of the definition that use that server go there."
            );
            let doc = docs::attrs(&[Some(&doc)]);
            quote! {
                #doc
                pub fn #m(&self, base_url: &str) -> Self {
                    let mut next = self.clone();
                    next.bases[#i] = base_url.to_string();
                    next
                }
            }
        });
        (
            Some(quote!(bases: Vec<String>,)),
            Some(quote!(bases: vec![#(#urls.to_string()),*],)),
            quote!(#(#setters)*),
        )
    } else {
        (None, None, quote!())
    };
    let with_base_url = if let (true, Some(keep)) = (plain_client, &keep_bases) {
        quote! {
            /// The same client pointed at another base URL (the other servers' base URLs
            /// are kept).
            pub fn with_base_url(&self, base_url: &str) -> Result<Self, connectorkit::BuildError> {
                Ok(Self {
                    inner: self.inner.with_base_url(base_url)?,
                    #keep
                })
            }

            #base_setters
        }
    } else if plain_client {
        quote! {
            /// The same client pointed at another base URL.
            pub fn with_base_url(&self, base_url: &str) -> Result<Self, connectorkit::BuildError> {
                Ok(Self::from_runtime(self.inner.with_base_url(base_url)?))
            }
        }
    } else {
        quote! {
            /// The same client pointed at another base URL (every host of the connector).
            pub fn with_base_url(&self, base_url: &str) -> Result<Self, connectorkit::BuildError> {
                #hosts_rebase
                Ok(Self {
                    inner: self.inner.with_base_url(base_url)?,
                    #hosts_keep
                    #conn_keep
                })
            }
        }
    };
    let with_credential = (!plain_client).then(|| {
        quote! {
            /// A clone with a credential added for `scheme` (on every host).
            #[allow(dead_code)]
            fn with_runtime_credential(&self, scheme: &str, credential: connectorkit::Credential) -> Self {
                #[allow(unused_mut)]
                let mut next = self.clone();
                #hosts_cred
                next.inner = next.inner.with_credential(scheme, credential);
                next
            }
        }
    });
    let triggers = (!webhooks.is_empty()).then(|| triggers(c, &webhooks));
    let triggers_fn = (!webhooks.is_empty()).then(|| {
        quote! {
            /// The connector's webhook triggers: subscribe, unsubscribe, parse notifications.
            pub fn triggers(&self) -> Triggers<'_> {
                Triggers { client: self }
            }
        }
    });
    let trusted = trusted_origins(c);
    let shared = quote! {
        #connection_items

        /// The API client: one async method per action. Cheap to clone.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: connectorkit::Client,
            #bases_field
            #hosts_field
            #conn_field
        }

        impl Client {
            #constructors

            /// A runtime builder preset with the default base URL, for timeouts, a custom
            /// `reqwest::Client` and more; finish with [`Client::from_runtime`].
            pub fn builder(#base_arg) -> connectorkit::ClientBuilder {
                connectorkit::Client::builder(#base_value)
                    #(.trusted_origin(#trusted))*
            }

            /// Wraps a configured runtime client.
            pub fn from_runtime(inner: connectorkit::Client) -> Self {
                #(#constant_placements)*
                Self {
                    #hosts_default
                    #bases_default
                    inner,
                    #conn_none
                }
            }

            /// The runtime client underneath.
            pub fn runtime(&self) -> &connectorkit::Client {
                &self.inner
            }

            #with_base_url

            #with_credential

            #triggers_fn

            #(#auth)*

            #(#methods)*
        }

        #triggers

        #(#module_decls)*
    };
    ClientItems {
        shared,
        modules: module_files,
    }
}

/// The body of `src/client/<module>.rs`: the module's methods on `Client`.
fn module_file(m: &crate::model::modules::Module, methods: &[TokenStream]) -> TokenStream {
    let first = format!(
        "The `{}` actions (cargo feature `{}`, on by default through `full`).",
        m.label, m.name
    );
    let doc = docs::inner_attrs(&[Some(&first), m.doc.as_deref()]);
    quote! {
        #doc

        #[allow(unused_imports)]
        use super::*;

        impl Client {
            #(#methods)*
        }
    }
}

/// The webhook triggers' own type.
fn triggers(c: &Connector, webhooks: &[&Action]) -> TokenStream {
    let methods = webhooks.iter().map(|a| action(c, a, Receiver::Triggers));
    let parsers = webhooks.iter().filter_map(|a| {
        let t = a.trigger.as_ref()?;
        let f = ident(&t.parse_fn);
        let ty = t
            .notification
            .as_ref()
            .map(super::rust::ty)
            .unwrap_or_else(|| quote!(connectorkit::serde_json::Value));
        let first = format!(
            "Parses a notification of the `{}` trigger, as the backend POSTs it to the callback URL.",
            bare(&a.ident)
        );
        let doc = docs::attrs(&[Some(&first), t.notification_doc.as_deref()]);
        Some(quote! {
            #doc
            pub fn #f(headers: &connectorkit::http::HeaderMap, body: &[u8]) -> Result<#ty, connectorkit::triggers::NotificationError> {
                connectorkit::triggers::parse_notification(headers, body)
            }
        })
    });
    let security = webhooks.first().map(|a| {
        let alts = a.security.iter().map(|alt| quote!(&[#(#alt),*]));
        let always = &a.always;
        let sec = (!a.security.is_empty()).then(|| quote!(.security(&[#(#alts),*])));
        let alw = (!always.is_empty()).then(|| quote!(.always(&[#(#always),*])));
        quote!(#sec #alw)
    });
    quote! {
        /// The connector's webhook triggers (from [`Client::triggers`]): subscribing sends the
        /// callback URL the backend will POST notifications to.
        #[derive(Clone, Copy, Debug)]
        pub struct Triggers<'a> {
            client: &'a Client,
        }

        impl Triggers<'_> {
            #(#methods)*

            #(#parsers)*

            /// Ends a subscription: `DELETE` at its `Location`.
            pub async fn unsubscribe(
                &self,
                subscription: &connectorkit::triggers::Subscription,
            ) -> Result<(), connectorkit::Error<connectorkit::serde_json::Value>> {
                let Some(location) = subscription.location() else {
                    return Err(connectorkit::Error::InvalidRequest(
                        "the subscription has no Location to unsubscribe at".to_string(),
                    ));
                };
                let resp = self
                    .client
                    .inner
                    .request_url(connectorkit::Method::DELETE, location)
                    #security
                    .send()
                    .await?;
                match resp.status() {
                    200..=299 => Ok(()),
                    _ => Err(resp.error()),
                }
            }
        }
    }
}

/// Where an action's method lives.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Receiver {
    Client,
    Triggers,
}

/// The other absolute http(s) URLs the definition names (further servers, operation-level
/// servers) that have a host: the runtime may send credentials there, and follow links
/// between them.
fn trusted_origins(c: &Connector) -> Vec<String> {
    let default = super::default_base_url(c);
    let mut out: Vec<String> = Vec::new();
    let named = c
        .servers
        .iter()
        .skip(1)
        .map(|s| s.default_url.clone())
        .chain(c.actions.iter().filter_map(|a| a.base_url.clone()));
    for url in named {
        let absolute = url.starts_with("https://") || url.starts_with("http://");
        // A URL with no host (`https://`: DigitalOcean's presigned upload, set per call) is
        // no origin; the model warned that its requests need a base URL first.
        let usable = crate::routing::check_base_url(&url).is_ok();
        if absolute && usable && !url.contains('{') && url != default && !out.contains(&url) {
            out.push(url);
        }
    }
    out
}

/// The operation-level base URLs of a connector: (name, default URL, setter name), in
/// the order actions first use them. The setter names are the model's.
fn other_bases(c: &Connector) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = Vec::new();
    for a in &c.actions {
        let (Some(url), Some(setter)) = (&a.base_url, &a.base_setter) else {
            continue;
        };
        if out.iter().any(|(_, u, _)| u == url) {
            continue;
        }
        let name = a.base_name.clone().unwrap_or_else(|| url.clone());
        out.push((name, url.clone(), setter.clone()));
    }
    out
}

fn auth_method(
    a: &AuthScheme,
    plain_client: bool,
    keep_bases: Option<&TokenStream>,
) -> TokenStream {
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
    let set = if let (true, Some(keep)) = (plain_client, keep_bases) {
        quote!(Self { inner: self.inner.with_credential(#scheme, #cred), #keep })
    } else if plain_client {
        quote!(Self::from_runtime(self.inner.with_credential(#scheme, #cred)))
    } else {
        quote!(self.with_runtime_credential(#scheme, #cred))
    };
    quote! {
        #doc
        pub fn #m(&self, #args) -> Self {
            #set
        }
    }
}

/// A typed literal for a wire constant.
fn literal(v: &serde_json::Value) -> TokenStream {
    match v {
        serde_json::Value::Bool(b) => quote!(#b),
        // An unsuffixed integer literal is an `i32` where nothing else fixes its type, so
        // wider values carry a suffix.
        serde_json::Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) if i32::try_from(i).is_ok() => {
                let l = proc_macro2::Literal::i64_unsuffixed(i);
                quote!(#l)
            }
            (Some(i), _, _) => {
                let l = proc_macro2::Literal::i64_suffixed(i);
                quote!(#l)
            }
            (None, Some(u), _) => {
                let l = proc_macro2::Literal::u64_suffixed(u);
                quote!(#l)
            }
            (None, None, Some(f)) if f.is_finite() => {
                let l = proc_macro2::Literal::f64_unsuffixed(f);
                quote!(#l)
            }
            _ => {
                let t = n.to_string();
                quote!(#t)
            }
        },
        serde_json::Value::String(s) => quote!(#s),
        other => {
            let t = other.to_string();
            quote!(#t)
        }
    }
}

fn json_value(v: &serde_json::Value) -> TokenStream {
    let l = literal(v);
    quote!(connectorkit::serde_json::Value::from(#l))
}

/// The accessor of the next link in a page type.
fn next_link_accessor(c: &Connector, a: &Action, name: &str) -> Option<TokenStream> {
    let Outcome::Single(ResponseBody::Json(t)) = &a.success_type else {
        return None;
    };
    match t {
        RustType::Value => Some(quote!(|page: &connectorkit::serde_json::Value| {
            page.get(#name).and_then(|v| v.as_str()).map(str::to_string)
        })),
        RustType::Named(n) => {
            let def = c.types.iter().find(|d| &d.name == n)?;
            let TypeKind::Struct { fields, .. } = &def.kind else {
                return None;
            };
            let f = fields.iter().find(|f| f.wire_name == name)?;
            let fi = ident(&f.ident);
            let tn = ident(n);
            match &f.ty {
                RustType::Option(inner) if **inner == RustType::String => {
                    Some(quote!(|page: &#tn| page.#fi.clone()))
                }
                RustType::String => Some(quote!(|page: &#tn| Some(page.#fi.clone()))),
                _ => None,
            }
        }
        _ => None,
    }
}

/// One line of definition prose for a list item.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `# Arguments` and `# Responses` sections of an action's docs: every argument with
/// where it goes, its description and what its schema says (default, allowed values,
/// bounds); the optional parameters; the body; each documented response.
fn call_docs(a: &Action, webhook: bool) -> Option<String> {
    let mut args: Vec<String> = Vec::new();
    if webhook {
        args.push("- `callback_url`: where the backend POSTs notifications.".to_string());
    }
    let describe = |p: &crate::model::Param| {
        let mut parts: Vec<String> = Vec::new();
        if let Some(d) = p
            .description
            .as_deref()
            .map(one_line)
            .filter(|d| !d.is_empty())
        {
            parts.push(if d.ends_with(['.', '!', '?']) {
                d
            } else {
                format!("{d}.")
            });
        }
        parts.extend(p.facts.iter().cloned());
        parts.join(" ")
    };
    for p in a
        .params
        .iter()
        .filter(|p| p.required && p.constant.is_none())
    {
        if a.url_param.as_deref() == Some(p.wire_name.as_str()) && p.location == ParamLocation::Path
        {
            continue;
        }
        let what = describe(p);
        args.push(format!(
            "- `{}` — {} `{}`{}{}",
            bare(&p.ident),
            location_words(p.location),
            p.wire_name.replace('`', "'"),
            if what.is_empty() { "." } else { ": " },
            what
        ));
    }
    if let Some(ps) = &a.params_struct {
        let mut lines = vec![format!(
            "- `params` — the optional parameters (`{ps}`, `Default` for none):"
        )];
        for p in a.params.iter().filter(|p| !p.required) {
            let what = describe(p);
            lines.push(format!(
                "  - `{}` — {} `{}`{}{}",
                bare(&p.ident),
                location_words(p.location),
                p.wire_name.replace('`', "'"),
                if what.is_empty() { "." } else { ": " },
                what
            ));
        }
        args.push(lines.join("\n"));
    }
    if let Some(b) = a.body.as_ref().filter(|b| !b.no_argument) {
        let kind = match &b.kind {
            BodyKind::Json(_) => "the JSON body",
            BodyKind::Form(_) => "the form body (`application/x-www-form-urlencoded`)",
            BodyKind::Multipart(_) => "the multipart body",
            BodyKind::Bytes(_) => "the raw body",
            BodyKind::Text(_) => "the text body",
        };
        let d = b.description.as_deref().map(one_line).unwrap_or_default();
        let required = if b.required { "" } else { " (optional)" };
        args.push(format!(
            "- `body` — {kind}{required}{}{d}",
            if d.is_empty() { "." } else { ": " }
        ));
    }
    let mut responses: Vec<String> = Vec::new();
    for (cases, kind) in [(&a.success, "success"), (&a.errors, "error")] {
        for r in cases.iter() {
            let status = match r.status {
                crate::model::StatusMatch::Code(n) => n.to_string(),
                crate::model::StatusMatch::Range(d) => format!("{d}XX"),
                crate::model::StatusMatch::Default => "default".to_string(),
            };
            let body = match &r.body {
                crate::model::ResponseBody::Json(_) => "JSON",
                crate::model::ResponseBody::Text => "text",
                crate::model::ResponseBody::Bytes => "bytes",
                crate::model::ResponseBody::Empty => "no body",
            };
            let d = one_line(&r.description);
            responses.push(format!(
                "- `{status}` ({kind}, {body}){}{d}",
                if d.is_empty() { "" } else { ": " }
            ));
        }
    }
    let mut out: Vec<String> = Vec::new();
    if !args.is_empty() {
        out.push(format!("# Arguments\n\n{}", args.join("\n")));
    }
    if !responses.is_empty() {
        out.push(format!("# Responses\n\n{}", responses.join("\n")));
    }
    (!out.is_empty()).then(|| out.join("\n\n"))
}

/// Where a parameter goes, in words.
fn location_words(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path parameter",
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

fn action(c: &Connector, a: &Action, receiver: Receiver) -> TokenStream {
    let webhook = receiver == Receiver::Triggers;
    let name = if webhook {
        ident(&format!("subscribe_{}", bare(&a.ident)))
    } else {
        ident(&a.ident)
    };
    let path = a.wire_path.clone().unwrap_or_else(|| a.path.clone());
    let method_name = a
        .wire_method
        .clone()
        .unwrap_or_else(|| a.method.to_uppercase());
    let route = if a.wire_path.is_some() || a.wire_method.is_some() {
        format!(
            "`{} {}` (definition: `{} {}`)",
            method_name, path, a.method, a.path
        )
    } else {
        format!("`{} {}`", a.method, a.path)
    };
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
    let trigger_doc = a.trigger.as_ref().map(|t| match t.kind {
        TriggerKind::Webhook => format!(
            "A webhook trigger{}: subscribing registers `callback_url`, and the backend POSTs notifications there; parse them with [`Triggers::{}`].",
            if t.batch { " (each notification carries a batch of items)" } else { "" },
            bare(&t.parse_fn)
        ),
        TriggerKind::Polling => "A polling trigger: call it repeatedly; `202 Accepted` means nothing new yet.".to_string(),
    });
    let notes: Vec<&str> = a.notes.iter().map(String::as_str).collect();
    let mut paragraphs: Vec<Option<&str>> = vec![
        first,
        rest,
        multipart_doc.as_deref(),
        trigger_doc.as_deref(),
    ];
    paragraphs.extend(notes.iter().map(|n| Some(*n)));
    paragraphs.push(Some(&route));
    let call_doc = call_docs(a, webhook);
    paragraphs.push(call_doc.as_deref());
    let doc = docs::attrs(&paragraphs);
    let deprecated = match (&a.deprecated_note, a.deprecated) {
        (Some(n), _) => quote!(#[deprecated(note = #n)]),
        (None, true) => quote!(#[deprecated]),
        _ => quote!(),
    };
    let hidden = a.hidden.then(|| quote!(#[doc(hidden)]));

    let mut args = Vec::new();
    let mut calls = Vec::new();
    let mut unused = Vec::new();
    if webhook
        && a.body.as_ref().is_some_and(|b| {
            b.injected
                .iter()
                .any(|i| i.value == InjectedValue::CallbackUrl)
        })
    {
        args.push(quote!(callback_url: &str));
    }
    for p in &a.params {
        let wire = &p.wire_name;
        if let Some(v) = &p.constant {
            let lit = literal(v);
            calls.push(match p.location {
                ParamLocation::Path => quote!(.path(#wire, &#lit)),
                ParamLocation::Header => quote!(.header(#wire, &#lit)),
                ParamLocation::Cookie => quote!(.cookie(#wire, &#lit)),
                ParamLocation::Query => quote!(.query(#wire, &#lit)),
            });
            continue;
        }
        let pi = ident(&p.ident);
        let value = if p.required {
            let t = arg_ty(&p.ty);
            args.push(quote!(#pi: #t));
            quote!(&#pi)
        } else {
            quote!(&params.#pi)
        };
        calls.push(match p.location {
            ParamLocation::Path if a.url_param.as_deref() == Some(wire.as_str()) => continue,
            ParamLocation::Path if !path.contains(&format!("{{{wire}}}")) => {
                if p.required {
                    unused.push(quote!(let _ = &#pi;));
                }
                continue;
            }
            ParamLocation::Path if p.encode_twice => quote!(.path_encoded_twice(#wire, #value)),
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
    for (ph, wire) in &a.path_from_connection {
        let holder = if webhook {
            quote!(self.client)
        } else {
            quote!(self)
        };
        let value = match c.platform.as_ref().and_then(|p| p.connection.as_ref()) {
            Some(conn) => {
                let cx = connection::ConnCtx {
                    expr: quote!(c),
                    conn,
                    ty: {
                        let t = ident(&connection::connection_type(c));
                        quote!(#t)
                    },
                };
                let v = connection::conn_value(&cx, wire, "");
                quote!(#holder.connection.as_deref().map(|c| #v).unwrap_or_default())
            }
            None => quote!(String::new()),
        };
        calls.push(quote!(.path(#ph, &#value)));
    }
    for (ph, pident, required) in &a.path_from_query {
        let pi = ident(pident);
        if *required {
            calls.push(quote!(.path(#ph, &#pi)));
        } else {
            calls.push(quote!(.path(#ph, &params.#pi)));
        }
    }
    if let Some(ps) = &a.params_struct {
        let ps = ident(ps);
        args.push(quote!(params: &#ps));
    }
    let mut prelude = Vec::new();
    if let Some(body) = &a.body {
        let injections: Vec<TokenStream> = body
            .injected
            .iter()
            .map(|i| {
                let k = &i.wire_name;
                let v = match &i.value {
                    InjectedValue::Constant(v) => json_value(v),
                    InjectedValue::CallbackUrl if webhook => {
                        quote!(connectorkit::serde_json::Value::from(callback_url))
                    }
                    InjectedValue::CallbackUrl => {
                        quote!(connectorkit::serde_json::Value::from(""))
                    }
                };
                quote!(fields.insert(#k.to_string(), #v);)
            })
            .collect();
        match &body.kind {
            BodyKind::Json(t) if body.no_argument => {
                let _ = t;
                prelude.push(quote! {
                    let mut fields = connectorkit::serde_json::Map::new();
                    #(#injections)*
                });
                calls.push(quote!(.json(&fields)));
            }
            BodyKind::Json(t) if !injections.is_empty() => {
                let t = arg_ty(t);
                args.push(quote!(body: #t));
                prelude.push(quote! {
                    let mut body = connectorkit::serde_json::to_value(body)
                        .map_err(|e| connectorkit::Error::InvalidRequest(e.to_string()))?;
                    if let Some(fields) = body.as_object_mut() {
                        #(#injections)*
                    }
                });
                calls.push(quote!(.json(&body)));
            }
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
    if !a.always.is_empty() {
        let always = &a.always;
        calls.push(quote!(.always(&[#(#always),*])));
    }
    let complex = allow_complex(action_types(a));
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let too_many = quote!(#too_many #complex);
    let ok_ty = outcome_ty(&a.success_type);
    let err_ty = outcome_ty(&a.error_type);
    const STANDARD: &[&str] = &[
        "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE", "CONNECT",
    ];
    let method = if STANDARD.contains(&method_name.as_str()) {
        let m = ident(&method_name);
        quote!(connectorkit::Method::#m)
    } else {
        // A custom token (PURGE), checked by the front end; `from_bytes` accepts any token.
        let bytes = proc_macro2::Literal::byte_string(method_name.as_bytes());
        quote!(connectorkit::Method::from_bytes(#bytes).unwrap_or(connectorkit::Method::POST))
    };
    let client = if webhook {
        quote!(self.client)
    } else {
        quote!(self)
    };
    let recv = match a.host {
        Some(i) => {
            let i = proc_macro2::Literal::usize_unsuffixed(i);
            quote!(#client.hosts[#i])
        }
        None => quote!(#client.inner),
    };
    let mut prelude = prelude;
    let recv = match &a.base_url {
        Some(u) => {
            let slot = other_bases(c).iter().position(|(_, url, _)| url == u);
            let base = match (c.platform.is_none(), slot) {
                (true, Some(i)) => {
                    let i = proc_macro2::Literal::usize_unsuffixed(i);
                    quote!(&#client.bases[#i])
                }
                _ => quote!(#u),
            };
            prelude.push(quote! {
                let host = #recv
                    .with_base_url(#base)
                    .map_err(|e| connectorkit::Error::InvalidRequest(e.to_string()))?;
            });
            quote!(host)
        }
        None => recv,
    };
    let start = match &a.url_param {
        Some(wire) => {
            let pi = a
                .params
                .iter()
                .find(|p| &p.wire_name == wire)
                .map(|p| ident(&p.ident))
                .unwrap_or_else(|| ident("url"));
            quote!(#recv.request_url(#method, #pi))
        }
        None => quote!(#recv.request(#method, #path)),
    };
    let arms = arms(a);
    let request = quote! {
        #(#unused)*
        #(#prelude)*
        let resp = #start
            #(#calls)*
            .send()
            .await?;
    };
    if webhook {
        let location = a.location_template.as_ref().map(|t| {
            let holder = quote!(self.client.connection.as_deref());
            let _ = &holder;
            let e = connection_template(c, t);
            quote! {
                // The connector's gateway adds this `Location` (a response-side policy).
                let subscription = subscription.or_location(#e);
            }
        });
        let err_read = match &a.error_type {
            Outcome::Single(_) => quote!(resp.error()),
            Outcome::Enum(_) => quote!(resp.error_untyped()),
        };
        return quote! {
            #doc
            #deprecated
            #hidden
            #too_many
            pub async fn #name(&self, #(#args),*) -> Result<connectorkit::triggers::Subscription, connectorkit::Error<#err_ty>> {
                #request
                if !(200..300).contains(&resp.status()) {
                    return Err(#err_read);
                }
                let subscription = connectorkit::triggers::Subscription::from_response(resp)?;
                #location
                Ok(subscription)
            }
        };
    }
    let decode = ident(a.decode_fn.as_deref().unwrap_or("decode"));
    let first_request = quote! {
        #(#unused)*
        #(#prelude)*
        let first = #start
            #(#calls)*;
    };
    let pager = a.pageable.as_ref().and_then(|pg| {
        let accessor = next_link_accessor(c, a, &pg.next_link_name)?;
        let pages = ident(&pg.method);
        let pdoc = format!(
            "Every page of [`Client::{}`], following `{}` (`x-ms-pageable`) until there is none.",
            bare(&a.ident),
            pg.next_link_name
        );
        let pdoc = docs::attrs(&[Some(&pdoc)]);
        Some(quote! {
            #pdoc
            #deprecated
            #hidden
            #too_many
            pub fn #pages(&self, #(#args),*) -> Result<impl connectorkit::Stream<Item = Result<#ok_ty, connectorkit::Error<#err_ty>>> + '_, connectorkit::Error<#err_ty>> {
                #first_request
                Ok(connectorkit::pagination::next_link_pages(first, Self::#decode, #accessor))
            }
        })
    });
    let poller = a
        .trigger
        .as_ref()
        .filter(|t| t.kind == TriggerKind::Polling)
        .and_then(|t| t.poll_fn.as_deref())
        .map(|poll| {
            let poll = ident(poll);
            let pdoc = format!(
                "Polls [`Client::{}`] as the platform does for a polling trigger: each new result is yielded; `202`/`204` mean nothing new. The next poll goes to the `Location` the server returns (it carries the trigger state) after its `Retry-After`, or after `interval`.",
                bare(&a.ident)
            );
            let pdoc = docs::attrs(&[Some(&pdoc)]);
            let mut poll_args = args.clone();
            poll_args.push(quote!(interval: std::time::Duration));
            let too_many = (poll_args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
            let too_many = quote!(#too_many #complex);
            quote! {
                #pdoc
                #deprecated
                #hidden
                #too_many
                pub fn #poll(&self, #(#poll_args),*) -> Result<impl connectorkit::Stream<Item = Result<#ok_ty, connectorkit::Error<#err_ty>>> + '_, connectorkit::Error<#err_ty>> {
                    #first_request
                    Ok(connectorkit::triggers::poll(first, Self::#decode, interval))
                }
            }
        });
    let read = quote!(match resp.status() { #(#arms)* });
    // Pagers and pollers decode every response the same way: one shared `decode_…`.
    let (read, decode_fn) = if pager.is_none() && poller.is_none() {
        (read, None)
    } else {
        (
            quote!(Self::#decode(resp)),
            Some(quote! {
                fn #decode(resp: connectorkit::Response) -> Result<#ok_ty, connectorkit::Error<#err_ty>> {
                    #read
                }
            }),
        )
    };
    quote! {
        #doc
        #deprecated
        #hidden
        #too_many
        pub async fn #name(&self, #(#args),*) -> Result<#ok_ty, connectorkit::Error<#err_ty>> {
            #request
            #read
        }

        #pager

        #poller

        #decode_fn
    }
}

/// Every type an action's method names: parameters, body, responses.
fn action_types(a: &Action) -> impl Iterator<Item = &RustType> {
    let body = a.body.as_ref().and_then(|b| match &b.kind {
        BodyKind::Json(t) | BodyKind::Form(t) => Some(t),
        _ => None,
    });
    let responses = a
        .success
        .iter()
        .chain(a.errors.iter())
        .filter_map(|c| match &c.body {
            ResponseBody::Json(t) => Some(t),
            _ => None,
        });
    a.params.iter().map(|p| &p.ty).chain(body).chain(responses)
}

/// A template over the client's connection, evaluated in a `Triggers` method.
fn connection_template(c: &Connector, t: &crate::model::powerplatform::Template) -> TokenStream {
    let conn = c.platform.as_ref().and_then(|p| p.connection.as_ref());
    let conn_ty = ident(&connection::connection_type(c));
    let pieces = t.0.iter().map(|p| match (p, conn) {
        (crate::model::powerplatform::Part::Lit(s), _) => quote!(#s.to_string()),
        (crate::model::powerplatform::Part::Conn { name, default }, Some(conn)) => {
            let d = default.clone().unwrap_or_default();
            let cx = connection::ConnCtx {
                expr: quote!(c),
                conn,
                ty: quote!(#conn_ty),
            };
            let v = connection::conn_value(&cx, name, &d);
            if d.is_empty() {
                quote!(self.client.connection.as_deref().map(|c| #v).unwrap_or_default())
            } else {
                quote!(self.client.connection.as_deref().map(|c| #v).unwrap_or_else(|| #d.to_string()))
            }
        }
        (crate::model::powerplatform::Part::Conn { default, .. }, None) => {
            let d = default.clone().unwrap_or_default();
            quote!(#d.to_string())
        }
        _ => quote!(String::new()),
    });
    quote!([#(#pieces),*].concat())
}

/// The match pattern of `cases`. Codes already matched by an earlier arm (`taken`) are cut
/// out of ranges, so `200` then `2XX` gives `200` and `201..=299` (no overlapping arms);
/// the codes matched here are added to `taken`. `None` when nothing is left to match.
fn pattern(cases: &[&ResponseCase], taken: &mut BTreeSet<u16>) -> Option<TokenStream> {
    let mut codes: Vec<u16> = cases
        .iter()
        .filter_map(|c| match c.status {
            StatusMatch::Code(n) => Some(n),
            _ => None,
        })
        .filter(|n| !taken.contains(n))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut pats: Vec<TokenStream> = runs(&codes);
    taken.extend(codes);
    for c in cases {
        if let StatusMatch::Range(d) = c.status {
            let range: Vec<u16> = (d * 100..=d * 100 + 99)
                .filter(|n| !taken.contains(n))
                .collect();
            pats.extend(runs(&range));
            taken.extend(range);
        }
    }
    (!pats.is_empty()).then(|| quote!(#(#pats)|*))
}

/// Runs of consecutive codes become ranges (`200..=202`), as clippy prefers.
fn runs(codes: &[u16]) -> Vec<TokenStream> {
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
    pats
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
    let mut taken: BTreeSet<u16> = BTreeSet::new();
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
            if let Some(pat) = pattern(&cases, &mut taken) {
                let r = read(b);
                arms.push(quote!(#pat => #r,));
            }
        }
        Outcome::Enum(n) => {
            let n = ident(n);
            for c in ordered(&a.success) {
                let Some(pat) = pattern(&[&c], &mut taken) else {
                    continue;
                };
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
                } else if let Some(pat) = pattern(&[&c], &mut taken) {
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
