//! `actions`: every action (and trigger) of a definition at a glance: a table, or `--json`
//! for tools. Names, modules and auth come from the model, as `generate` would emit them.

use std::io::{IsTerminal, Write};

use connectorkit_generator::model::powerplatform::PlacementLocation;
use connectorkit_generator::model::{Action, Connector, ResponseCase, StatusMatch, TriggerKind};
use connectorkit_generator::LoadOptions;
use serde_json::{json, Value};

use crate::{fetch, report};

/// Prints the actions of `input`; false (exit 1) when the definition cannot be read or an
/// error was reported (the actions that could be modelled are still listed).
pub fn run(input: &str, load: &LoadOptions, as_json: bool, verbose: bool) -> bool {
    let prepared = match fetch::prepare(input, load) {
        Ok(p) => p,
        Err(f) => {
            report::print(input, &f.diagnostics, true);
            return false;
        }
    };
    let (errors, _) = report::print(input, &prepared.diagnostics, verbose);
    let c = &prepared.connector;
    let text = if as_json {
        let mut t = serde_json::to_string_pretty(&document(c)).unwrap_or_default();
        t.push('\n');
        t
    } else {
        let width = std::io::stdout().is_terminal().then(terminal_width);
        table(c, width)
    };
    // A closed pipe (`| head`) is not an error worth a message.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    errors == 0
}

/// The terminal's width from `COLUMNS` (what shells export), 120 when unset.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|w| *w >= 40)
        .unwrap_or(120)
}

/// What kind of entry an action is: `action`, `webhook` or `polling` (triggers).
fn kind(a: &Action) -> &'static str {
    match a.trigger.as_ref().map(|t| &t.kind) {
        None => "action",
        Some(TriggerKind::Webhook) => "webhook",
        Some(TriggerKind::Polling) => "polling",
    }
}

/// The security alternatives as text: `a+b | c` (`-` when none is required). The values a
/// Power Platform policy sets on every request are in `--json` (`policy_values`).
fn auth(a: &Action) -> String {
    let alternatives: Vec<String> = a
        .security
        .iter()
        .map(|all| {
            if all.is_empty() {
                "none".to_string()
            } else {
                all.join("+")
            }
        })
        .collect();
    if alternatives.is_empty() {
        "-".into()
    } else {
        alternatives.join(" | ")
    }
}

/// The module of an action (`-` for a webhook, which is in every build).
fn module<'c>(c: &'c Connector, a: &Action) -> &'c str {
    a.module
        .and_then(|m| c.modules.list.get(m))
        .map_or("-", |m| m.name.as_str())
}

/// The first line of the summary (or of the description when there is no summary).
fn summary(a: &Action) -> &str {
    a.summary
        .as_deref()
        .or(a.description.as_deref())
        .and_then(|s| s.lines().map(str::trim).find(|l| !l.is_empty()))
        .unwrap_or("")
}

/// `s` cut to `max` characters, with `…` when cut.
fn cut(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// Aligned columns: ACTION, KIND, METHOD, PATH, MODULE, AUTH, SUMMARY; then a line of
/// totals. With a terminal width, the summary is cut to fit it.
fn table(c: &Connector, width: Option<usize>) -> String {
    const HEAD: [&str; 7] = [
        "ACTION", "KIND", "METHOD", "PATH", "MODULE", "AUTH", "SUMMARY",
    ];
    let rows: Vec<[String; 7]> = c
        .actions
        .iter()
        .map(|a| {
            let mut name = a.ident.clone();
            if a.deprecated {
                name.push_str(" (deprecated)");
            }
            if a.hidden {
                name.push_str(" (internal)");
            }
            [
                name,
                kind(a).into(),
                a.method.clone(),
                a.path.clone(),
                module(c, a).into(),
                auth(a),
                summary(a).into(),
            ]
        })
        .collect();
    let mut widths = HEAD.map(|h| h.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let before_summary: usize = widths[..6].iter().map(|w| w + 2).sum();
    let summary_room = width.map(|w| w.saturating_sub(before_summary).max(20));
    let mut out = String::new();
    let mut line = |cells: [&str; 7]| {
        let mut l = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i == 6 {
                l.push_str(&summary_room.map_or_else(|| cell.to_string(), |m| cut(cell, m)));
            } else {
                l.push_str(cell);
                let pad = widths[i] + 2 - cell.chars().count();
                l.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(HEAD);
    for r in &rows {
        line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6]]);
    }
    let triggers = c.actions.iter().filter(|a| a.trigger.is_some()).count();
    out.push_str(&format!(
        "\n{}: {} action(s) ({} trigger(s)) in {} module(s)",
        c.title,
        c.actions.len(),
        triggers,
        c.modules.list.len()
    ));
    if c.auth.is_empty() {
        out.push_str("; no auth schemes\n");
    } else {
        let schemes: Vec<String> = c
            .auth
            .iter()
            .map(|s| format!("{} ({}, `{}`)", s.name, s.origin, s.method))
            .collect();
        out.push_str(&format!("; auth: {}\n", schemes.join(", ")));
    }
    out
}

/// The headers and query values a Power Platform policy (`setheader`,
/// `setqueryparameter`) puts on the action's requests.
fn policy_values(c: &Connector, a: &Action) -> Vec<Value> {
    let placements = c.platform.as_ref().map_or(&[][..], |p| &p.placements[..]);
    a.always
        .iter()
        .filter_map(|key| placements.iter().find(|p| &p.key == key))
        .map(|p| {
            let at = match p.location {
                PlacementLocation::Header => "header",
                PlacementLocation::Query => "query",
            };
            json!({ "in": at, "name": p.name })
        })
        .collect()
}

/// Response statuses as written: `200`, `4XX`, `default`.
fn statuses(cases: &[ResponseCase]) -> Vec<String> {
    cases
        .iter()
        .map(|r| match r.status {
            StatusMatch::Code(c) => c.to_string(),
            StatusMatch::Range(d) => format!("{d}XX"),
            StatusMatch::Default => "default".into(),
        })
        .collect()
}

/// The `--json` document: the API's title and auth schemes, its modules, and one object per
/// action.
fn document(c: &Connector) -> Value {
    let actions: Vec<Value> = c
        .actions
        .iter()
        .map(|a| {
            let params: Vec<Value> = a
                .params
                .iter()
                .filter(|p| p.constant.is_none())
                .map(|p| {
                    json!({
                        "name": p.wire_name,
                        "argument": p.ident,
                        "in": p.location.as_str(),
                        "required": p.required,
                        "description": p.description,
                    })
                })
                .collect();
            json!({
                "name": a.ident,
                "operation_id": a.operation_id,
                "kind": kind(a),
                "method": a.method,
                "path": a.path,
                "module": a.module.and_then(|m| c.modules.list.get(m)).map(|m| &m.name),
                "tags": a.tags,
                "auth": a.security,
                "policy_values": policy_values(c, a),
                "summary": a.summary,
                "description": a.description,
                "deprecated": a.deprecated,
                "internal": a.hidden,
                "parameters": params,
                "body": a.body.as_ref().map(|b| json!({ "required": b.required, "description": b.description })),
                "success": statuses(&a.success),
                "errors": statuses(&a.errors),
            })
        })
        .collect();
    json!({
        "title": c.title,
        "version": c.api_version,
        "servers": c.servers.iter().map(|s| &s.url).collect::<Vec<_>>(),
        "auth": c.auth.iter().map(|s| json!({
            "name": s.name,
            "kind": s.origin,
            "method": s.method,
        })).collect::<Vec<_>>(),
        "modules": c.modules.list.iter().map(|m| json!({
            "name": m.name,
            "label": m.label,
            "actions": m.actions,
        })).collect::<Vec<_>>(),
        "actions": actions,
    })
}
