//! The conformance program (`examples/conformance.rs`, opt-in): calls every action through
//! the compiled `Client` methods with the model's sample arguments
//! ([`crate::model::samples`]) against a mock server given as the first argument, and prints
//! one JSON line per action: its name, the HTTP status, the outcome (`ok`, `decode-error`,
//! `http-error`, `error`, `skipped`) and the request violations the server reported in
//! `sl-violations` headers (Prism's).

use std::collections::HashMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::connection::connection_type;
use super::rust::ident;
use crate::model::names::bare;
use crate::model::powerplatform::ConnKind;
use crate::model::samples::ActionSample;
use crate::model::{
    Action, BodyKind, Connector, InjectedValue, RustType, TriggerKind, TypeDef, TypeKind,
};

/// Nesting followed before a value is given up on (a type that requires itself).
const MAX_DEPTH: usize = 24;

struct Ctx<'c> {
    types: HashMap<&'c str, &'c TypeDef>,
}

/// The program's source, formatted.
pub fn program(c: &Connector, samples: &[ActionSample], lib: &str) -> Result<String, String> {
    let cx = Ctx {
        types: c.types.iter().map(|t| (t.name.as_str(), t)).collect(),
    };
    let lib = ident(lib);
    let builder_args = builder_args(c);
    let client = client_expr(c);
    // One function per action: a `main` holding every call makes one stack frame of them
    // all, which overflows in a debug build of a large client (GitHub's 1,223 actions).
    let (fns, calls): (Vec<TokenStream>, Vec<TokenStream>) = c
        .actions
        .iter()
        .zip(samples)
        .enumerate()
        .map(|(i, (a, s))| {
            let f = quote::format_ident!("call_{}", i);
            let body = call(c, &cx, a, s);
            (
                quote! {
                    async fn #f(client: &Client, seen: &Mutex<Seen>) {
                        #body
                    }
                },
                quote!(Box::pin(#f(&client, &seen)).await;),
            )
        })
        .unzip();
    let tokens = quote! {
        //! Calls every action of the client once with schema-valid sample arguments against the
        //! base URL given as the first argument (a mock server such as Prism), and prints one
        //! JSON line per action: `action`, `status`, `outcome` (`ok`, `decode-error`,
        //! `http-error`, `error` or `skipped`), `message` and the request `violations` the
        //! server reported in `sl-violations` headers.
        #![allow(deprecated, unused_imports, unused_variables, clippy::all)]

        use std::sync::{Arc, Mutex};

        use #lib::*;

        /// What the hook saw of the last call's responses.
        #[derive(Default)]
        struct Seen {
            status: Option<u16>,
            violations: Vec<serde_json::Value>,
        }

        /// Records every response's status and `sl-violations` header.
        struct Recorder(Arc<Mutex<Seen>>);

        impl connectorkit::Hook for Recorder {
            fn on_response(&self, response: &mut connectorkit::ResponseParts) {
                let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
                seen.status = Some(response.status);
                for v in response.headers.get_all("sl-violations") {
                    let text = String::from_utf8_lossy(v.as_bytes()).into_owned();
                    match serde_json::from_str::<serde_json::Value>(&text) {
                        Ok(serde_json::Value::Array(items)) => seen.violations.extend(items),
                        Ok(other) => seen.violations.push(other),
                        Err(_) => seen.violations.push(serde_json::Value::String(text)),
                    }
                }
            }
        }

        /// Prints the line of one call and forgets what the hook saw.
        fn report<T, E: std::fmt::Debug>(
            action: &str,
            seen: &Mutex<Seen>,
            result: &Result<T, connectorkit::Error<E>>,
        ) {
            let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
            let (outcome, message) = match result {
                Ok(_) => ("ok", String::new()),
                Err(connectorkit::Error::Decode { message, .. }) => ("decode-error", message.clone()),
                Err(e @ connectorkit::Error::Api(_)) => ("http-error", e.to_string()),
                Err(e) => ("error", e.to_string()),
            };
            let line = serde_json::json!({
                "action": action,
                "status": seen.status,
                "outcome": outcome,
                "message": message,
                "violations": std::mem::take(&mut seen.violations),
            });
            seen.status = None;
            println!("{line}");
        }

        /// Prints the line of an action that was not called.
        fn skipped(action: &str, reason: &str) {
            let line = serde_json::json!({
                "action": action,
                "status": null,
                "outcome": "skipped",
                "message": reason,
                "violations": [],
            });
            println!("{line}");
        }

        /// The calls run on a thread with a large stack: a debug build of a large client
        /// (GitHub's) decodes its biggest responses in frames the main thread's 8 MiB do not
        /// hold, and each call's future is boxed so that none sits inside another.
        fn main() -> Result<(), Box<dyn std::error::Error>> {
            let base_url = std::env::args()
                .nth(1)
                .ok_or("usage: conformance <BASE_URL> (the mock server's URL)")?;
            let worker = std::thread::Builder::new()
                .stack_size(512 << 20)
                .spawn(move || -> Result<(), String> {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| e.to_string())?
                        .block_on(run(base_url))
                        .map_err(|e| e.to_string())
                })?;
            worker.join().map_err(|_| "the calls panicked")??;
            Ok(())
        }

        async fn run(base_url: String) -> Result<(), Box<dyn std::error::Error>> {
            let seen = Arc::new(Mutex::new(Seen::default()));
            let builder = Client::builder(#builder_args)
                .base_url(base_url.as_str())
                .hook(Recorder(seen.clone()))
                .timeout(std::time::Duration::from_secs(60));
            let client = #client;
            #(#calls)*
            Ok(())
        }

        #(#fns)*
    };
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("internal error: the conformance program does not parse: {e}"))?;
    Ok(format!("{}{}", super::HEADER, prettyplease::unparse(&file)))
}

/// The arguments of `Client::builder` (the base URL when it is required).
fn builder_args(c: &Connector) -> TokenStream {
    if c.servers.first().is_some_and(|s| s.required) {
        quote!(&base_url)
    } else {
        quote!()
    }
}

/// The client: built from `builder`, pointed at `base_url` (every host and operation-level
/// server too), with a dummy credential for every scheme.
fn client_expr(c: &Connector) -> TokenStream {
    let connection = c.platform.as_ref().and_then(|p| p.connection.as_ref());
    let start = match connection {
        Some(conn) => {
            let ty = ident(&connection_type(c));
            let value = if conn.alternatives {
                let set = &conn.sets[0];
                let v = ident(&set.variant);
                let fields = set.params.iter().map(|p| conn_field(c, p));
                quote!(#ty::#v { #(#fields)* })
            } else {
                let fields = conn.sets[0].params.iter().map(|p| conn_field(c, p));
                quote!(#ty { #(#fields)* })
            };
            quote!(Client::connect(builder, #value)?)
        }
        None => quote!(Client::from_runtime(builder.build()?)),
    };
    let auth = c.auth.iter().map(|a| {
        let m = ident(&a.method);
        match a.kind {
            crate::model::AuthKind::Basic => quote!(.#m("conformance", "conformance-password")),
            crate::model::AuthKind::Bearer => quote!(.#m("conformance-token")),
            _ => quote!(.#m("conformance-key")),
        }
    });
    let mut setters: Vec<&str> = c
        .actions
        .iter()
        .filter_map(|a| a.base_setter.as_deref())
        .collect();
    setters.sort_unstable();
    setters.dedup();
    let setters = setters.iter().map(|s| {
        let m = ident(s);
        quote!(.#m(&base_url))
    });
    quote!(#start.with_base_url(&base_url)? #(#auth)* #(#setters)*)
}

/// A connection parameter's dummy value: every parameter given, secrets and tokens fake,
/// text at its default.
fn conn_field(c: &Connector, p: &crate::model::powerplatform::ConnParam) -> TokenStream {
    // A parameter that is a whole base URL (`dynamichosturl` with the template
    // `@connectionParameters('backendUrl')…`) must parse as one for the client to be built;
    // the mock server's URL replaces it (`with_base_url`).
    let is_host = c.platform.as_ref().is_some_and(|pl| {
        pl.hosts
            .iter()
            .any(|h| h.template.starts_with_connection(&p.wire))
    });
    if is_host && p.default.as_deref().is_none_or(str::is_empty) {
        let f = ident(&p.ident);
        let url = "https://conformance.example";
        return if p.required {
            quote!(#f: #url.to_string(),)
        } else {
            quote!(#f: Some(#url.to_string()),)
        };
    }
    conn_field_with(p, &Dummies::CONFORMANCE)
}

/// The placeholder values of credentials and text: the conformance program's, or the crate
/// example's (which a reader copies).
struct Dummies {
    text: &'static str,
    secret: &'static str,
    token: &'static str,
    key: &'static str,
    user: &'static str,
    password: &'static str,
}

impl Dummies {
    const CONFORMANCE: Dummies = Dummies {
        text: "conformance",
        secret: "conformance-secret",
        token: "conformance-token",
        key: "conformance-key",
        user: "conformance",
        password: "conformance-password",
    };
    const EXAMPLE: Dummies = Dummies {
        text: "value",
        secret: "YOUR_SECRET",
        token: "YOUR_ACCESS_TOKEN",
        key: "YOUR_API_KEY",
        user: "YOUR_USER",
        password: "YOUR_PASSWORD",
    };
}

fn conn_field_with(p: &crate::model::powerplatform::ConnParam, d: &Dummies) -> TokenStream {
    let f = ident(&p.ident);
    let text = p
        .default
        .clone()
        .filter(|d| !d.is_empty())
        .unwrap_or_else(|| d.text.to_string());
    let (secret, token) = (d.secret, d.token);
    let value = match (&p.kind, &p.choice) {
        (ConnKind::Secret, _) => quote!(connectorkit::Secret::from(#secret)),
        (ConnKind::OAuth(_), _) => quote!(std::sync::Arc::new(connectorkit::StaticToken::new(
            #token
        ))),
        (_, Some(choice)) => {
            let c = ident(choice);
            quote!(#c::from(#text))
        }
        _ => quote!(#text.to_string()),
    };
    // OAuth token providers are never optional (`emit::connection::opt`).
    if p.required || matches!(p.kind, ConnKind::OAuth(_)) {
        quote!(#f: #value,)
    } else {
        quote!(#f: Some(#value),)
    }
}

/// The crate docs' example (formatted Rust, a doctest): a client built with its connection
/// or its first auth scheme, one action called with sample arguments, and its typed error
/// handled. The action is the simplest that can be called: a visible, current, non-trigger
/// action first, then the shortest call. `krate` is the crate's Rust name.
pub fn crate_example(
    c: &Connector,
    samples: &[ActionSample],
    krate: &str,
) -> Result<String, String> {
    let cx = Ctx {
        types: c.types.iter().map(|t| (t.name.as_str(), t)).collect(),
    };
    let lib = ident(krate);
    let d = &Dummies::EXAMPLE;
    let required_base = c.servers.first().is_some_and(|s| s.required);
    let base_let = required_base.then(|| {
        let url = "https://api.example.com";
        quote!(let base_url = #url.to_string();)
    });
    let builder_args = builder_args(c);
    let connection = c.platform.as_ref().and_then(|p| p.connection.as_ref());
    let start = match connection {
        Some(conn) => {
            let ty = ident(&connection_type(c));
            let set = &conn.sets[0];
            let fields = set.params.iter().map(|p| conn_field_with(p, d));
            let value = if conn.alternatives {
                let v = ident(&set.variant);
                quote!(#ty::#v { #(#fields)* })
            } else {
                quote!(#ty { #(#fields)* })
            };
            if required_base {
                quote!(Client::connect(Client::builder(#builder_args), #value)?)
            } else {
                quote!(Client::new(#value)?)
            }
        }
        None => quote!(Client::new(#builder_args)?),
    };
    let auth = c.auth.first().filter(|_| connection.is_none()).map(|a| {
        let m = ident(&a.method);
        let (user, password, token, key) = (d.user, d.password, d.token, d.key);
        match a.kind {
            crate::model::AuthKind::Basic => quote!(.#m(#user, #password)),
            crate::model::AuthKind::Bearer => quote!(.#m(#token)),
            _ => quote!(.#m(#key)),
        }
    });
    let rank = |a: &Action| {
        (
            a.hidden,
            a.deprecated || a.deprecated_note.is_some(),
            a.trigger.is_some(),
            a.method != "GET",
        )
    };
    let call = c
        .actions
        .iter()
        .zip(samples)
        .filter_map(|(a, s)| {
            let e = call_expr(c, &cx, a, s).ok()?;
            let len = e.to_string().len();
            Some(((rank(a), len), e))
        })
        .min_by(|x, y| x.0.cmp(&y.0))
        .map(|(_, e)| e);
    let call = call.map(|e| {
        quote! {
            match #e.await {
                Ok(response) => println!("{response:?}"),
                // The API answered with an error status: its typed body, when it parsed.
                Err(connectorkit::Error::Api(error)) => {
                    eprintln!("HTTP {}: {:?}", error.status, error.body);
                }
                Err(other) => return Err(other.into()),
            }
        }
    });
    let tokens = quote! {
        #[allow(deprecated, unused_imports)]
        use #lib::*;
        use #lib::connectorkit;

        async fn example() -> Result<(), Box<dyn std::error::Error>> {
            #base_let
            let client = #start #auth;
            #call
            Ok(())
        }
    };
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("internal error: the crate example does not parse: {e}"))?;
    Ok(prettyplease::unparse(&file))
}

/// One call and its report line, or a `skipped` line.
fn call(c: &Connector, cx: &Ctx, a: &Action, s: &ActionSample) -> TokenStream {
    let name = bare(&a.ident).to_string();
    match call_expr(c, cx, a, s) {
        Ok(expr) => quote! {
            {
                let result = #expr.await;
                report(#name, &seen, &result);
            }
        },
        Err(reason) => quote!(skipped(#name, #reason);),
    }
}

fn call_expr(c: &Connector, cx: &Ctx, a: &Action, s: &ActionSample) -> Result<TokenStream, String> {
    if a.url_param.is_some() {
        return Err("the request URL is an argument (a Postman request)".into());
    }
    if a.base_url.is_some() && a.base_setter.is_none() {
        return Err(format!(
            "the action's server is fixed: `{}`",
            a.base_url.as_deref().unwrap_or_default()
        ));
    }
    let webhook = a
        .trigger
        .as_ref()
        .is_some_and(|t| t.kind == TriggerKind::Webhook);
    let mut args = Vec::new();
    if webhook
        && a.body.as_ref().is_some_and(|b| {
            b.injected
                .iter()
                .any(|i| i.value == InjectedValue::CallbackUrl)
        })
    {
        args.push(quote!("https://example.com/conformance-callback"));
    }
    for (p, v) in a.params.iter().zip(&s.params) {
        if !p.required || p.constant.is_some() {
            continue;
        }
        let v = v.clone().unwrap_or(Value::Null);
        args.push(arg(cx, &v, &p.ty).map_err(|t| {
            format!(
                "no value can be built for parameter `{}` (type `{t}`)",
                p.wire_name
            )
        })?);
    }
    if let Some(ps) = &a.params_struct {
        let ps = ident(ps);
        args.push(quote!(&#ps::default()));
    }
    if let Some(b) = &a.body {
        let v = s.body.clone().unwrap_or(Value::Null);
        match &b.kind {
            BodyKind::Json(_) if b.no_argument => {}
            BodyKind::Json(t) | BodyKind::Form(t) => args.push(
                arg(cx, &v, t)
                    .map_err(|t| format!("no value can be built for the body (type `{t}`)"))?,
            ),
            BodyKind::Multipart(fields) => {
                let parts = fields.iter().map(|f| {
                    let text = v
                        .get(f)
                        .map(|x| match x {
                            Value::String(s) => s.clone(),
                            other => other.to_string(),
                        })
                        .unwrap_or_else(|| "x".to_string());
                    quote!(.text(#f, #text))
                });
                args.push(quote!(connectorkit::Multipart::new() #(#parts)*));
            }
            BodyKind::Bytes(_) => args.push(quote!(connectorkit::Bytes::from_static(b"x"))),
            BodyKind::Text(_) => {
                let text = match &v {
                    Value::String(s) => s.clone(),
                    _ => "x".to_string(),
                };
                args.push(quote!(#text));
            }
        }
    }
    let _ = c;
    Ok(if webhook {
        let m = ident(&format!("subscribe_{}", bare(&a.ident)));
        quote!(client.triggers().#m(#(#args),*))
    } else {
        let m = ident(&a.ident);
        quote!(client.#m(#(#args),*))
    })
}

/// A value in argument position (see `emit::rust::arg_ty`): `&str`, `&[T]`, a Copy scalar,
/// or `&T`. `Err` names the type no value could be built for.
fn arg(cx: &Ctx, v: &Value, t: &RustType) -> Result<TokenStream, String> {
    match t {
        RustType::Option(inner) => arg(cx, v, inner),
        RustType::String => {
            let s = text(v);
            Ok(quote!(#s))
        }
        RustType::Vec(inner) => {
            let items = items(cx, v, inner, 0)?;
            Ok(quote!(&[#(#items),*]))
        }
        t if t.is_copy() => value(cx, v, t, 0),
        t => {
            let e = value(cx, v, t, 0)?;
            Ok(quote!(&#e))
        }
    }
}

/// A JSON value as text (a string's content, anything else as JSON; `x` for null).
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "x".to_string(),
        other => other.to_string(),
    }
}

fn items(cx: &Ctx, v: &Value, inner: &RustType, depth: usize) -> Result<Vec<TokenStream>, String> {
    match v {
        Value::Array(vs) => vs.iter().map(|x| value(cx, x, inner, depth + 1)).collect(),
        Value::Null => Ok(Vec::new()),
        other => Ok(vec![value(cx, other, inner, depth + 1)?]),
    }
}

fn number_literal(v: &Value, t: &RustType) -> TokenStream {
    let f = v
        .as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap_or(1.0);
    let f = if f.is_finite() { f } else { 1.0 };
    let (lo, hi): (f64, f64) = match t {
        RustType::I8 => (i8::MIN as f64, i8::MAX as f64),
        RustType::I16 => (i16::MIN as f64, i16::MAX as f64),
        RustType::I32 => (i32::MIN as f64, i32::MAX as f64),
        RustType::U8 => (0.0, u8::MAX as f64),
        RustType::U16 => (0.0, u16::MAX as f64),
        RustType::U32 => (0.0, u32::MAX as f64),
        RustType::U64 => (0.0, 9.0e15),
        RustType::F32 => (f32::MIN as f64, f32::MAX as f64),
        RustType::F64 => (f64::MIN, f64::MAX),
        _ => (-9.0e15, 9.0e15),
    };
    let f = f.clamp(lo, hi);
    let negative = f < 0.0;
    let m = f.abs();
    let lit = match t {
        RustType::F32 => Literal::f32_suffixed(m as f32),
        RustType::F64 => Literal::f64_suffixed(m),
        RustType::I8 => Literal::i8_suffixed(m as i8),
        RustType::I16 => Literal::i16_suffixed(m as i16),
        RustType::I32 => Literal::i32_suffixed(m as i32),
        RustType::U8 => Literal::u8_suffixed(m as u8),
        RustType::U16 => Literal::u16_suffixed(m as u16),
        RustType::U32 => Literal::u32_suffixed(m as u32),
        RustType::U64 => Literal::u64_suffixed(m as u64),
        _ => Literal::i64_suffixed(m as i64),
    };
    if negative {
        quote!(-#lit)
    } else {
        quote!(#lit)
    }
}

/// A value of type `t` from the sample `v`. `Err` names a type no value could be built for.
fn value(cx: &Ctx, v: &Value, t: &RustType, depth: usize) -> Result<TokenStream, String> {
    if depth > MAX_DEPTH {
        return Err(format!("{t:?}"));
    }
    Ok(match t {
        RustType::Option(inner) if v.is_null() => {
            let _ = inner;
            quote!(None)
        }
        RustType::Option(inner) => {
            let e = value(cx, v, inner, depth + 1)?;
            quote!(Some(#e))
        }
        RustType::Boxed(inner) => {
            let e = value(cx, v, inner, depth + 1)?;
            quote!(Box::new(#e))
        }
        RustType::String => {
            let s = text(v);
            quote!(#s.to_string())
        }
        RustType::Bool => {
            let b = v.as_bool().unwrap_or(true);
            quote!(#b)
        }
        RustType::I8
        | RustType::I16
        | RustType::I32
        | RustType::I64
        | RustType::U8
        | RustType::U16
        | RustType::U32
        | RustType::U64
        | RustType::F32
        | RustType::F64 => number_literal(v, t),
        RustType::Value => {
            let json = v.to_string();
            quote!(connectorkit::serde_json::from_str::<connectorkit::serde_json::Value>(#json).unwrap_or_default())
        }
        RustType::JsonObject => {
            let json = if v.is_object() {
                v.to_string()
            } else {
                "{}".to_string()
            };
            quote!(connectorkit::serde_json::from_str::<connectorkit::serde_json::Map<String, connectorkit::serde_json::Value>>(#json).unwrap_or_default())
        }
        RustType::DateTime => {
            let s = v.as_str().unwrap_or("2024-01-02T03:04:05Z");
            quote!(connectorkit::DateTime::parse_from_rfc3339(#s).unwrap_or_default())
        }
        RustType::Date => {
            let s = v.as_str().unwrap_or("2024-01-02");
            quote!(#s.parse::<connectorkit::Date>().unwrap_or_default())
        }
        RustType::Uuid => {
            let s = v.as_str().unwrap_or("00000000-0000-4000-8000-000000000000");
            quote!(#s.parse::<connectorkit::Uuid>().unwrap_or_default())
        }
        RustType::Base64 => {
            let bytes = Literal::byte_string(b"conformance");
            quote!(connectorkit::Base64(#bytes.to_vec()))
        }
        RustType::Vec(inner) => {
            let items = items(cx, v, inner, depth)?;
            quote!(vec![#(#items),*])
        }
        RustType::Map(inner) => {
            let entries = match v {
                Value::Object(m) => m
                    .iter()
                    .map(|(k, x)| {
                        let e = value(cx, x, inner, depth + 1)?;
                        Ok(quote!((#k.to_string(), #e)))
                    })
                    .collect::<Result<Vec<_>, String>>()?,
                _ => Vec::new(),
            };
            quote!([#(#entries),*].into_iter().collect::<std::collections::BTreeMap<String, _>>())
        }
        RustType::Named(n) => named(cx, v, n, depth)?,
    })
}

fn named(cx: &Ctx, v: &Value, n: &str, depth: usize) -> Result<TokenStream, String> {
    let Some(def) = cx.types.get(n) else {
        return Err(n.to_string());
    };
    let name = ident(n);
    Ok(match &def.kind {
        TypeKind::Struct { fields, additional } => {
            let mut inits = Vec::new();
            for f in fields {
                let fv = v.get(&f.wire_name).cloned().unwrap_or(Value::Null);
                let fi = ident(&f.ident);
                let e = value(cx, &fv, &f.ty, depth + 1)?;
                inits.push(quote!(#fi: #e,));
            }
            if let Some(a) = additional {
                let fi = ident(&a.ident);
                inits.push(quote!(#fi: Default::default(),));
            }
            quote!(#name { #(#inits)* })
        }
        TypeKind::StringEnum { variants } => {
            let wanted = v.as_str();
            let chosen = variants
                .iter()
                .find(|x| wanted.is_some() && x.wire.as_deref() == wanted)
                .or_else(|| variants.first());
            match chosen {
                Some(x) => {
                    let vi = ident(&x.ident);
                    quote!(#name::#vi)
                }
                None => {
                    let s = text(v);
                    quote!(#name::Unknown(#s.to_string()))
                }
            }
        }
        TypeKind::Union {
            variants,
            tag,
            content,
        } => {
            let chosen = match tag {
                Some(tag) => {
                    let wanted = v.get(tag).and_then(Value::as_str);
                    variants
                        .iter()
                        .find(|x| wanted.is_some() && x.wire.as_deref() == wanted)
                        .or_else(|| variants.first())
                }
                None => variants
                    .iter()
                    .find(|x| fits(cx, v, x.ty.as_ref().unwrap_or(&RustType::Value), 0))
                    .or_else(|| variants.first()),
            };
            let Some(x) = chosen else {
                return Err(n.to_string());
            };
            let vi = ident(&x.ident);
            match &x.ty {
                // A unit variant: the tag alone.
                None => quote!(#name::#vi),
                Some(t) => {
                    // Adjacently tagged: the payload is the content property's value.
                    let payload = match (tag, content) {
                        (Some(_), Some(c)) => v.get(c).cloned().unwrap_or(Value::Null),
                        _ => v.clone(),
                    };
                    let e = value(cx, &payload, t, depth + 1)?;
                    quote!(#name::#vi(#e))
                }
            }
        }
        TypeKind::Alias(t) => value(cx, v, t, depth + 1)?,
        TypeKind::Newtype(t) => {
            let e = value(cx, v, t, depth + 1)?;
            quote!(#name(#e))
        }
    })
}

/// Whether the sample's JSON kind suits the type (to pick an untagged union's variant).
fn fits(cx: &Ctx, v: &Value, t: &RustType, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    match t {
        RustType::Option(inner) | RustType::Boxed(inner) => fits(cx, v, inner, depth + 1),
        RustType::Value => true,
        RustType::String
        | RustType::DateTime
        | RustType::Date
        | RustType::Uuid
        | RustType::Base64 => v.is_string(),
        RustType::Bool => v.is_boolean(),
        RustType::F32 | RustType::F64 => v.is_number(),
        RustType::I8
        | RustType::I16
        | RustType::I32
        | RustType::I64
        | RustType::U8
        | RustType::U16
        | RustType::U32
        | RustType::U64 => v.is_i64() || v.is_u64(),
        RustType::Vec(_) => v.is_array(),
        RustType::Map(_) | RustType::JsonObject => v.is_object(),
        RustType::Named(n) => match cx.types.get(n.as_str()).map(|d| &d.kind) {
            Some(TypeKind::Struct { fields, .. }) => {
                v.is_object()
                    && fields
                        .iter()
                        .all(|f| f.optional || f.ty.is_option() || v.get(&f.wire_name).is_some())
            }
            Some(TypeKind::StringEnum { .. }) => v.is_string(),
            Some(TypeKind::Alias(t)) | Some(TypeKind::Newtype(t)) => fits(cx, v, t, depth + 1),
            Some(TypeKind::Union { variants, .. }) => variants
                .iter()
                .any(|x| fits(cx, v, x.ty.as_ref().unwrap_or(&RustType::Value), depth + 1)),
            None => false,
        },
    }
}
