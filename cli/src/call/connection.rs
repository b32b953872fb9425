//! A Power Platform connector's connection for `call`: its parameters from `--connection
//! NAME=VALUE` or a JSON file, and what the platform builds from them, as a generated
//! client's `Client::new(connection)` does: base URLs (`dynamichosturl`), policy headers and
//! query values (`setheader`, `setqueryparameter`), the definition's schemes filled from the
//! connection, and path segments taken from it (`routerequesttoendpoint`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use connectorkit::{ClientBuilder, Credential};
use connectorkit_generator::model::checks::did_you_mean;
use connectorkit_generator::model::powerplatform::{
    BindingValue, ConnKind, ConnParam, Part, PlacementLocation, Platform, Template,
};
use connectorkit_generator::model::{Action, AuthKind, Connector};

/// What the user gave for the connection.
#[derive(clap::Args, Debug, Default)]
pub struct ConnectionArgs {
    /// A connection parameter of a Power Platform connector (repeatable).
    #[arg(long = "connection", value_name = "NAME=VALUE")]
    pub values: Vec<String>,
    /// Connection parameters as a JSON object (`{"apiKey": "…", "region": "…"}`): secrets
    /// kept out of the command line.
    #[arg(long, value_name = "FILE")]
    pub connection_file: Option<PathBuf>,
}

/// How the policy values are printed.
#[derive(Default)]
pub struct Shown {
    /// Query parameters holding a secret.
    pub secret_query: Vec<String>,
    /// Headers holding a secret (lower case).
    pub secret_headers: Vec<String>,
    /// Headers holding none (lower case).
    pub public_headers: Vec<String>,
}

/// The connection's values, by parameter name.
pub struct Connection<'c> {
    platform: Option<&'c Platform>,
    values: BTreeMap<String, String>,
    /// Names of missing parameters a template needed.
    missing: std::cell::RefCell<Vec<String>>,
}

fn params(p: &Platform) -> impl Iterator<Item = &ConnParam> {
    p.connection
        .iter()
        .flat_map(|c| c.sets.iter())
        .flat_map(|s| s.params.iter())
}

impl<'c> Connection<'c> {
    /// Reads the values; unknown names are errors (with "did you mean"), values outside a
    /// parameter's allowed values are warnings (a test server is not among them).
    pub fn read(c: &'c Connector, args: &ConnectionArgs) -> Result<Self, Vec<String>> {
        let mut errors = Vec::new();
        let mut given: Vec<(String, String)> = Vec::new();
        if let Some(f) = &args.connection_file {
            match std::fs::read(f).map(|b| serde_json::from_slice::<serde_json::Value>(&b)) {
                Ok(Ok(serde_json::Value::Object(m))) => {
                    for (k, v) in m {
                        let v = match v {
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        given.push((k, v));
                    }
                }
                Ok(Ok(_)) => errors.push(format!(
                    "--connection-file {}: expected a JSON object of parameter values",
                    f.display()
                )),
                Ok(Err(e)) => errors.push(format!("--connection-file {}: {e}", f.display())),
                Err(e) => errors.push(format!("--connection-file {}: {e}", f.display())),
            }
        }
        for v in &args.values {
            match v.split_once('=') {
                Some((k, v)) => given.push((k.to_string(), v.to_string())),
                None => errors.push("--connection: expected NAME=VALUE".to_string()),
            }
        }
        let platform = c.platform.as_ref();
        let mut values = BTreeMap::new();
        for (name, value) in given {
            let known: Vec<&ConnParam> = platform.into_iter().flat_map(params).collect();
            let Some(p) = known
                .iter()
                .find(|p| p.wire == name)
                .or_else(|| known.iter().find(|p| p.wire.eq_ignore_ascii_case(&name)))
            else {
                let hint = did_you_mean(&name, known.iter().map(|p| p.wire.as_str()))
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                let list: Vec<String> = known.iter().map(|p| format!("`{}`", p.wire)).collect();
                errors.push(format!(
                    "--connection {name}: the connector has no connection parameter `{name}`{hint}; {}",
                    if list.is_empty() {
                        "it has none".to_string()
                    } else {
                        format!("it has {}", list.join(", "))
                    }
                ));
                continue;
            };
            if let Some(choice) = &p.choice {
                let allowed: Vec<&str> = platform
                    .and_then(|pl| pl.connection.as_ref())
                    .and_then(|cn| cn.enums.iter().find(|e| &e.name == choice))
                    .map(|e| e.values.iter().map(|(_, v, _)| v.as_str()).collect())
                    .unwrap_or_default();
                if !allowed.is_empty() && !allowed.contains(&value.as_str()) {
                    eprintln!(
                        "warning: --connection {}: not one of the connector's values ({})",
                        p.wire,
                        allowed
                            .iter()
                            .map(|v| format!("`{v}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                }
            }
            values.insert(p.wire.clone(), value);
        }
        if errors.is_empty() {
            Ok(Connection {
                platform,
                values,
                missing: Default::default(),
            })
        } else {
            Err(errors)
        }
    }

    fn param(&self, name: &str) -> Option<&ConnParam> {
        let p = self.platform?;
        params(p)
            .find(|x| x.wire == name)
            .or_else(|| params(p).find(|x| x.wire.eq_ignore_ascii_case(name)))
    }

    /// A parameter's value: given, else its default, else `default`; a parameter with none
    /// is recorded as missing.
    fn value(&self, name: &str, default: &str) -> String {
        let given = self
            .values
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty());
        let v = given
            .or_else(|| self.param(name).and_then(|p| p.default.clone()))
            .unwrap_or_else(|| default.to_string());
        if v.is_empty() {
            self.missing.borrow_mut().push(name.to_string());
        }
        v
    }

    /// A template's text (`@headers`, `@queryParameters` and other expressions are empty,
    /// as in a generated client).
    fn eval(&self, t: &Template) -> String {
        t.0.iter()
            .map(|p| match p {
                Part::Lit(s) => s.clone(),
                Part::Conn { name, default } => self.value(name, default.as_deref().unwrap_or("")),
                _ => String::new(),
            })
            .collect()
    }

    /// True when the template holds a secret (`securestring`) parameter.
    fn secret(&self, t: &Template) -> bool {
        t.connection_names().any(|n| {
            self.param(n)
                .is_some_and(|p| matches!(p.kind, ConnKind::Secret))
        })
    }

    /// The connection parameters the request needed and nobody gave.
    pub fn missing(&self) -> Vec<String> {
        let mut m = self.missing.borrow().clone();
        m.sort();
        m.dedup();
        m
    }

    /// Registers the policy values and the schemes filled from the connection; returns the
    /// query names and header names (lower case) that hold a secret, and the policy headers
    /// that hold none (shown as they are, though the runtime treats them as credentials).
    pub fn apply(&self, c: &Connector, mut builder: ClientBuilder) -> (ClientBuilder, Shown) {
        let mut shown = Shown::default();
        let Some(p) = self.platform else {
            return (builder, shown);
        };
        let connected = !self.values.is_empty() || p.connection.is_none();
        for x in &p.placements {
            // Without a connection, only the values that need none (as `Client::new()`).
            if !connected && x.value.connection_names().next().is_some() {
                continue;
            }
            let v = self.eval(&x.value);
            let cred = match x.location {
                PlacementLocation::Header => {
                    if self.secret(&x.value) {
                        shown.secret_headers.push(x.name.to_ascii_lowercase());
                    } else {
                        shown.public_headers.push(x.name.to_ascii_lowercase());
                    }
                    Credential::api_key_header(&x.name, v)
                }
                PlacementLocation::Query => {
                    if self.secret(&x.value) {
                        shown.secret_query.push(x.name.clone());
                    }
                    Credential::api_key_query(&x.name, v)
                }
            };
            builder = builder.credential(x.key.clone(), cred);
        }
        for b in &p.bindings {
            let Some(scheme) = c.auth.iter().find(|s| s.name == b.scheme) else {
                continue;
            };
            let filled = |t: &Template| {
                t.connection_names().all(|n| {
                    self.values.keys().any(|k| k.eq_ignore_ascii_case(n))
                        || self.param(n).is_some_and(|p| p.default.is_some())
                })
            };
            let cred = match (&b.value, &scheme.kind) {
                (BindingValue::ApiKey(t), kind) if filled(t) => {
                    let v = self.eval(t);
                    match kind {
                        AuthKind::ApiKeyQuery(n) => Credential::api_key_query(n, v),
                        AuthKind::ApiKeyCookie(n) => Credential::api_key_cookie(n, v),
                        AuthKind::ApiKeyHeader(n) => Credential::api_key_header(n, v),
                        _ => continue,
                    }
                }
                (BindingValue::Basic(u, pw), _) if filled(u) && filled(pw) => {
                    Credential::basic(self.eval(u), self.eval(pw))
                }
                _ => continue,
            };
            builder = builder.credential(b.scheme.clone(), cred);
        }
        (builder, shown)
    }

    /// The base URL of an action whose host a `dynamichosturl` policy builds.
    pub fn host(&self, a: &Action) -> Option<String> {
        let h = self.platform?.hosts.get(a.host?)?;
        let base = self.eval(&h.template);
        Some(if h.base_path.is_empty() {
            base
        } else {
            format!("{}{}", base.trim_end_matches('/'), h.base_path)
        })
    }

    /// Path placeholders filled from the connection.
    pub fn path_values(&self, a: &Action) -> Vec<(String, String)> {
        a.path_from_connection
            .iter()
            .map(|(ph, wire)| (ph.clone(), self.value(wire, "")))
            .collect()
    }
}
