//! Servers and their variables, checked (see [`crate::routing`]).
//!
//! A server whose URL fails the checks is an error (the definition is refused) and is never
//! kept. A variable with no value (undeclared, or an empty default) makes the base URL a
//! required input of the client, with a warning; it never defaults to some host.

use super::{Server, ServerVariable};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::SourceSet;
use crate::pointer;
use crate::routing;

/// Where a server's diagnostics point: `x-connectorkit-pointer` (set by front ends that build
/// servers from other fields: Swagger's `host`, a Postman variable) or its own `url`.
fn server_pointer(s: &openapiv3::Server, own: &str) -> String {
    s.extensions
        .get("x-connectorkit-pointer")
        .and_then(|v| v.as_str())
        .map(str::to_string)
        .unwrap_or_else(|| pointer::push(own, "url"))
}

/// One server: variables filled in, checked. `None` when it is unusable (an error is
/// recorded).
fn server(
    s: &openapiv3::Server,
    own: &str,
    operation_level: bool,
    sources: &SourceSet,
    diags: &mut Diagnostics,
) -> Option<Server> {
    let ptr = server_pointer(s, own);
    let variables: Vec<ServerVariable> = s
        .variables
        .iter()
        .flat_map(|m| m.iter())
        .map(|(name, v)| ServerVariable {
            name: name.clone(),
            default: v.default.clone(),
            allowed: v.enumeration.clone(),
            description: v.description.clone(),
        })
        .collect();
    let mut default_url = s.url.clone();
    // For the checks, an unset variable stands for a plain host label.
    let mut checked = s.url.clone();
    let mut unset = Vec::new();
    for name in routing::placeholders(&s.url) {
        let holder = format!("{{{name}}}");
        match variables.iter().find(|v| v.name == name) {
            Some(v) if !placeholder(&v.default) => {
                default_url = default_url.replace(&holder, &v.default);
                checked = checked.replace(&holder, &v.default);
            }
            _ => {
                checked = checked.replace(&holder, "x");
                if !unset.contains(&name) {
                    unset.push(name);
                }
            }
        }
    }
    // `https://` (the host given elsewhere, e.g. a presigned URL): no value either.
    let no_host = routing::check_base_url(&checked).is_err_and(|p| p.code == "route/host")
        && checked
            .split_once("://")
            .is_some_and(|(_, rest)| rest.split('/').next().unwrap_or("").is_empty());
    if no_host && unset.is_empty() {
        unset.push(String::new());
    } else if let Err(p) = routing::check_base_url(&checked) {
        let what = if checked == s.url {
            format!("server URL `{}`", s.url)
        } else {
            format!(
                "server URL `{}` (variables at their defaults: `{}`)",
                s.url, default_url
            )
        };
        diags.push(p.error(&what, sources.locate(&ptr)));
        return None;
    }
    let required = !unset.is_empty();
    if required {
        let list = if no_host {
            "no host".to_string()
        } else {
            unset
                .iter()
                .map(|n| format!("`{{{n}}}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let what = if operation_level {
            "requests that use this server fail until its base URL is set (`with_…_base_url`)"
        } else {
            "the base URL is a required argument of `Client::new` (nothing is assumed)"
        };
        diags.push(
            Diagnostic::warning(
                "route/undefined-server-variable",
                if no_host {
                    format!("server URL `{}` has no host: {what}", s.url)
                } else {
                    format!("server URL `{}` uses {list}, which has no value: {what}", s.url)
                },
                sources.locate(&ptr),
            )
            .with_hint("give the variable a default (`servers[].variables`, or the collection variable's value)"),
        );
    }
    Some(Server {
        url: s.url.clone(),
        default_url,
        description: s.description.clone(),
        variables,
        required,
    })
}

/// The definition's servers; a relative or missing server keeps its path. Path-item and
/// operation servers are checked too (the actions read them).
pub fn servers(
    openapi: &openapiv3::OpenAPI,
    sources: &SourceSet,
    diags: &mut Diagnostics,
) -> Vec<Server> {
    let out: Vec<Server> = openapi
        .servers
        .iter()
        .enumerate()
        .filter_map(|(i, s)| server(s, &format!("/servers/{i}"), false, sources, diags))
        .collect();
    for (path, item) in openapi.paths.paths.iter() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        let base = pointer::push("/paths", path);
        if let Err(p) = routing::check_path(path) {
            diags.push(p.error(&format!("path `{path}`"), sources.locate(&base)));
        }
        for (i, s) in item.servers.iter().enumerate() {
            server(s, &format!("{base}/servers/{i}"), true, sources, diags);
        }
        for (method, op) in item.iter() {
            for (i, s) in op.servers.iter().enumerate() {
                server(
                    s,
                    &format!("{}/servers/{i}", pointer::push(&base, method)),
                    true,
                    sources,
                    diags,
                );
            }
        }
    }
    out
}

/// A variable default that stands for a value to fill in (`{your-agent-url}`, `<host>`,
/// empty): no value.
fn placeholder(v: &str) -> bool {
    let t = v.trim();
    t.is_empty() || t.contains(['{', '}']) || (t.starts_with('<') && t.ends_with('>'))
}
