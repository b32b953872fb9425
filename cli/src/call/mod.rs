//! `call`: one action of a definition, live, without generating or compiling anything.
//!
//! The arguments are read and checked against the action's types ([`args`]), the request is
//! built from the model as the generated method builds it (path, query styles, headers,
//! cookies, constants, double encoding, injected body fields, the security alternatives)
//! and sent through the `connectorkit` runtime, with its credentials, origin policy,
//! timeouts and size limits. The response's status and headers go to stderr, its body to
//! stdout (pretty JSON unless `--raw`), and the body is checked against the documented
//! schema of its status.
//!
//! Exit status: 0 for a 2xx response whose body matches its schema; 1 for another status or
//! when the request could not be sent; 2 for bad arguments; 3 for a 2xx response whose body
//! does not match the documented schema.

mod args;
pub mod auth;
pub mod connection;
mod show;
mod token_cache;

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connectorkit::{Answer, Client, Hook, Method, RequestParts};
use connectorkit_generator::model::checks::did_you_mean;
use connectorkit_generator::model::samples;
use connectorkit_generator::model::values::{Checker, Strictness};
use connectorkit_generator::model::{
    Action, Connector, ParamLocation, QueryStyle, ResponseBody, StatusMatch,
};
use connectorkit_generator::LoadOptions;
use serde_json::Value;

use crate::{fetch, report};

/// What `call` was asked.
pub struct Request<'a> {
    pub input: &'a str,
    pub action: &'a str,
    pub params: &'a [String],
    pub body: Option<&'a str>,
    pub base_url: Option<&'a str>,
    pub auth: &'a auth::AuthArgs,
    pub connection: &'a connection::ConnectionArgs,
    pub dry_run: bool,
    pub raw: bool,
    /// Fill what was not given from the schemas.
    pub sample: bool,
    /// One JSON line on stdout instead of the response.
    pub report: bool,
    pub timeout: Duration,
    pub load: LoadOptions,
    pub verbose: bool,
}

const BAD_ARGUMENTS: u8 = 2;
const SCHEMA_MISMATCH: u8 = 3;

pub fn run(r: &Request) -> ExitCode {
    let prepared = match fetch::prepare(r.input, &r.load) {
        Ok(p) => p,
        Err(f) => {
            report::print(r.input, &f.diagnostics, true);
            return ExitCode::FAILURE;
        }
    };
    report::print(r.input, &prepared.diagnostics, r.verbose);
    let c = &prepared.connector;
    let Some(a) = find(c, r.action) else {
        let names = c.actions.iter().map(|a| a.ident.as_str());
        let hint = did_you_mean(r.action, names)
            .map(|n| format!("; did you mean `{n}`?"))
            .unwrap_or_default();
        eprintln!(
            "error: `{}` has no action `{}`{hint} (`connectorkit actions {}` lists them)",
            c.title, r.action, r.input
        );
        return ExitCode::from(BAD_ARGUMENTS);
    };
    // Every problem with the arguments at once.
    let (values, creds, conn) = match (
        args::read(
            c,
            a,
            r.params,
            r.body,
            r.sample
                .then(|| samples::action_sample(a, &prepared.normalized.value))
                .as_ref(),
        ),
        auth::credentials(c, &prepared.normalized.value, r.auth),
        connection::Connection::read(c, r.connection),
    ) {
        (Ok(v), Ok(cr), Ok(cn)) => (v, cr, cn),
        (v, cr, cn) => {
            let mut errors = Vec::new();
            errors.extend(v.err().unwrap_or_default());
            errors.extend(cr.err().unwrap_or_default());
            errors.extend(cn.err().unwrap_or_default());
            if r.report {
                report_line(a, None, "skipped", &errors.join("; "), Vec::new());
            }
            return bad(a, &errors);
        }
    };
    let base = match base_url(c, a, r.base_url, &conn) {
        Ok(b) => b,
        Err(e) => return bad(a, &[e]),
    };
    let recorded: Arc<Mutex<Option<show::Sent>>> = Arc::default();
    let mut builder = Client::builder(base.clone()).timeout(r.timeout);
    let (b, shown) = conn.apply(c, builder);
    builder = b;
    let bearer = creds
        .list
        .iter()
        .find_map(|(_, cr)| matches!(cr, connectorkit::Credential::Bearer(_)).then(|| cr.clone()));
    for (scheme, cred) in creds.list {
        builder = builder.credential(scheme, cred);
    }
    // A connector authenticated by its OAuth connection parameter: the token given.
    let uses_token = c.platform.as_ref().is_some_and(|p| p.token.is_some());
    if let (true, Some(token)) = (uses_token, bearer) {
        builder = builder.credential(
            connectorkit_generator::model::powerplatform::TOKEN_KEY,
            token,
        );
    }
    let path_values = conn.path_values(a);
    let missing = conn.missing();
    if !missing.is_empty() {
        let errors: Vec<String> = missing
            .iter()
            .map(|m| format!("--connection {m}: needed by this action (give --connection {m}=…)"))
            .collect();
        return bad(a, &errors);
    }
    let mut secret_query = shown.secret_query;
    secret_query.extend(creds.secret_query);
    let mut secret_headers = shown.secret_headers;
    secret_headers.extend(creds.secret_headers);
    // A header also set by a scheme stays secret.
    let public_headers: Vec<String> = shown
        .public_headers
        .into_iter()
        .filter(|h| !secret_headers.contains(h))
        .collect();
    builder = builder.hook(Record {
        sent: recorded.clone(),
        dry_run: r.dry_run,
    });
    let client = match builder.build() {
        Ok(cl) => cl,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = rt.block_on(request(&client, a, &values, &path_values).send::<Value>());
    let secrets = show::Secrets {
        query: secret_query,
        headers: secret_headers,
        public: public_headers,
    };
    if r.dry_run {
        return match recorded.lock().ok().and_then(|mut s| s.take()) {
            Some(sent) => {
                show::request(&sent, &secrets);
                ExitCode::SUCCESS
            }
            None => {
                if let Err(e) = result {
                    eprintln!("error: {e}");
                }
                ExitCode::FAILURE
            }
        };
    }
    if r.verbose {
        if let Some(sent) = recorded.lock().ok().and_then(|mut s| s.take()) {
            show::request_to_stderr(&sent, &secrets);
        }
    }
    let resp = match result {
        Ok(resp) => resp,
        Err(e) => {
            eprintln!("error: {e}");
            if r.report {
                report_line(a, None, "error", &e.to_string(), Vec::new());
            }
            return ExitCode::FAILURE;
        }
    };
    if !r.report {
        show::response(&resp, r.raw);
    }
    let ok = (200..300).contains(&resp.status());
    let matches = check_response(c, a, &resp);
    if r.report {
        let outcome = match (ok, matches) {
            (true, true) => "ok",
            (true, false) => "decode-error",
            (false, _) => "http-error",
        };
        let message = if ok {
            String::new()
        } else {
            let body = String::from_utf8_lossy(resp.body());
            let body: String = body.chars().take(300).collect();
            format!("the server answered {}: {body}", resp.status())
        };
        report_line(a, Some(resp.status()), outcome, &message, violations(&resp));
    }
    match (ok, matches) {
        (true, true) => ExitCode::SUCCESS,
        (true, false) => ExitCode::from(SCHEMA_MISMATCH),
        (false, _) => ExitCode::FAILURE,
    }
}

/// `--report`: one JSON line, in the conformance program's format (`action`, `status`,
/// `outcome`, `message`, `violations`), so that one report reads both.
fn report_line(
    a: &Action,
    status: Option<u16>,
    outcome: &str,
    message: &str,
    violations: Vec<Value>,
) {
    let line = serde_json::json!({
        "action": a.ident,
        "status": status,
        "outcome": outcome,
        "message": message,
        "violations": violations,
    });
    println!("{line}");
}

/// The request violations a validating mock server (Prism) reported in `sl-violations`.
fn violations(resp: &connectorkit::Response) -> Vec<Value> {
    let mut out = Vec::new();
    for v in resp.headers().get_all("sl-violations") {
        let text = String::from_utf8_lossy(v.as_bytes()).into_owned();
        match serde_json::from_str::<Value>(&text) {
            Ok(Value::Array(items)) => out.extend(items),
            Ok(other) => out.push(other),
            Err(_) => out.push(Value::String(text)),
        }
    }
    out
}

fn bad(a: &Action, errors: &[String]) -> ExitCode {
    eprintln!("error: the arguments of `{}`:", a.ident);
    for e in errors {
        eprintln!("  {e}");
    }
    ExitCode::from(BAD_ARGUMENTS)
}

/// The action named `name`: its method name, its `operationId`, or either without regard
/// to case.
fn find<'c>(c: &'c Connector, name: &str) -> Option<&'c Action> {
    c.actions
        .iter()
        .find(|a| a.ident == name || a.operation_id.as_deref() == Some(name))
        .or_else(|| {
            c.actions.iter().find(|a| {
                a.ident.eq_ignore_ascii_case(name)
                    || a.operation_id
                        .as_deref()
                        .is_some_and(|o| o.eq_ignore_ascii_case(name))
            })
        })
}

/// The base URL: `--base-url`, else the one a connector's policy builds from the connection,
/// else the action's own server, else the definition's first.
fn base_url(
    c: &Connector,
    a: &Action,
    given: Option<&str>,
    conn: &connection::Connection,
) -> Result<String, String> {
    if let Some(b) = given {
        return Ok(b.to_string());
    }
    if let Some(h) = conn.host(a) {
        return Ok(h);
    }
    if let Some(b) = &a.base_url {
        return Ok(b.clone());
    }
    match c.servers.first() {
        Some(s) if s.default_url.starts_with("http") => Ok(s.default_url.clone()),
        _ => Err("--base-url: the definition names no absolute server URL; give --base-url".into()),
    }
}

/// A string the runtime keeps for the life of the process (`call` makes one request).
fn keep(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// The request, built as the generated method builds it.
fn request<'c>(
    client: &'c Client,
    a: &Action,
    v: &args::Values,
    from_connection: &[(String, String)],
) -> connectorkit::Request<'c> {
    let method = a.wire_method.as_deref().unwrap_or(&a.method).to_uppercase();
    let method = Method::from_bytes(method.as_bytes()).unwrap_or(Method::GET);
    let path = a.wire_path.as_deref().unwrap_or(&a.path);
    let url_value = a
        .url_param
        .as_ref()
        .and_then(|w| v.params.get(w))
        .and_then(Value::as_str);
    let mut req = match url_value {
        Some(url) => client.request_url(method, url),
        None => client.request(method, keep(path)),
    };
    for p in &a.params {
        let value = match (&p.constant, v.params.get(&p.wire_name)) {
            (Some(k), _) => k,
            (None, Some(x)) => x,
            (None, None) => continue,
        };
        let wire = p.wire_name.as_str();
        req = match p.location {
            ParamLocation::Path if a.url_param.as_deref() == Some(wire) => req,
            ParamLocation::Path if !path.contains(&format!("{{{wire}}}")) => req,
            ParamLocation::Path if p.encode_twice => req.path_encoded_twice(wire, value),
            ParamLocation::Path => req.path(wire, value),
            ParamLocation::Header => req.header(wire, value),
            ParamLocation::Cookie => req.cookie(wire, value),
            ParamLocation::Query => match p.style {
                QueryStyle::Form => req.query(wire, value),
                QueryStyle::FormNoExplode => {
                    req.query_with(wire, value, connectorkit::ParamStyle::FormNoExplode)
                }
                QueryStyle::SpaceDelimited => {
                    req.query_with(wire, value, connectorkit::ParamStyle::SpaceDelimited)
                }
                QueryStyle::PipeDelimited => {
                    req.query_with(wire, value, connectorkit::ParamStyle::PipeDelimited)
                }
                QueryStyle::DeepObject => {
                    req.query_with(wire, value, connectorkit::ParamStyle::DeepObject)
                }
            },
        };
    }
    for (placeholder, value) in from_connection {
        req = req.path(placeholder, value);
    }
    for (placeholder, pident, _) in &a.path_from_query {
        let from = a
            .params
            .iter()
            .find(|p| &p.ident == pident)
            .and_then(|p| v.params.get(&p.wire_name));
        if let Some(x) = from {
            req = req.path(placeholder, x);
        }
    }
    let injected = a.body.as_ref().map(|b| &b.injected[..]).unwrap_or_default();
    let inject = |body: &mut Value| {
        if let Some(fields) = body.as_object_mut() {
            for i in injected {
                let value = match &i.value {
                    connectorkit_generator::model::InjectedValue::Constant(k) => k.clone(),
                    connectorkit_generator::model::InjectedValue::CallbackUrl => Value::from(""),
                };
                fields.insert(i.wire_name.clone(), value);
            }
        }
    };
    match &v.body {
        Some(args::Body::Json(b)) => {
            let mut b = b.clone();
            inject(&mut b);
            req = req.json(&b);
        }
        Some(args::Body::Form(b)) => req = req.form(b),
        Some(args::Body::Bytes(ct, b)) => req = req.body_bytes(ct, b.clone()),
        Some(args::Body::Text(ct, t)) => req = req.body_text(ct, t.clone()),
        None => {
            if a.body.as_ref().is_some_and(|b| b.no_argument) {
                let mut b = Value::Object(Default::default());
                inject(&mut b);
                req = req.json(&b);
            }
        }
    }
    if !a.security.is_empty() {
        let alts: Vec<&'static [&'static str]> = a
            .security
            .iter()
            .map(|alt| {
                &*Box::leak(
                    alt.iter()
                        .map(|s| keep(s))
                        .collect::<Vec<_>>()
                        .into_boxed_slice(),
                )
            })
            .collect();
        req = req.security(Box::leak(alts.into_boxed_slice()));
    }
    if !a.always.is_empty() {
        let always: Vec<&'static str> = a.always.iter().map(|s| keep(s)).collect();
        req = req.always(Box::leak(always.into_boxed_slice()));
    }
    req
}

/// Whether the response's body is what the definition documents for its status (true when
/// it documents nothing to check); prints what does not match.
fn check_response(c: &Connector, a: &Action, resp: &connectorkit::Response) -> bool {
    let status = resp.status();
    let cases = a.success.iter().chain(&a.errors);
    let case = cases
        .clone()
        .find(|k| k.status == StatusMatch::Code(status))
        .or_else(|| {
            cases
                .clone()
                .find(|k| k.status == StatusMatch::Range(status / 100))
        })
        .or_else(|| cases.clone().find(|k| k.status == StatusMatch::Default));
    let Some(case) = case else {
        eprintln!(
            "schema: status {status} is not documented for `{}`",
            a.ident
        );
        return false;
    };
    let ResponseBody::Json(ty) = &case.body else {
        return true;
    };
    let body = resp.body();
    if body.is_empty() {
        eprintln!("schema: the documented JSON body is missing");
        return false;
    }
    let v: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("schema: the body is not JSON: {e}");
            return false;
        }
    };
    let problems = Checker::new(c, Strictness::Open).check(ty, &v);
    let fatal = problems.iter().filter(|p| p.fatal).count();
    for p in problems.iter().take(20) {
        let what = if p.fatal { "mismatch" } else { "note" };
        eprintln!("schema: {what}: {p}");
    }
    if problems.len() > 20 {
        eprintln!("schema: … {} more", problems.len() - 20);
    }
    if fatal == 0 {
        eprintln!("schema: the body matches the documented schema of status {status}");
        true
    } else {
        false
    }
}

/// Records the request as sent (after credentials) and, for a dry run, answers it instead
/// of the network.
struct Record {
    sent: Arc<Mutex<Option<show::Sent>>>,
    dry_run: bool,
}

impl Hook for Record {
    fn on_request(&self, r: &mut RequestParts) {
        if let Ok(mut s) = self.sent.lock() {
            *s = Some(show::Sent {
                method: r.method.to_string(),
                url: r.url.clone(),
                headers: r.headers.clone(),
                body: r.body.clone(),
            });
        }
    }

    fn answer(&self, _: &RequestParts) -> Option<Answer> {
        self.dry_run.then(|| Answer {
            status: 204,
            ..Answer::default()
        })
    }
}
