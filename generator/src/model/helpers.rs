//! The names of the methods a client has besides its actions: pollers, the shared decoders
//! of pagers and pollers, setters of operation-level base URLs, `…_choices` helpers and the
//! hidden JSON twins of the listing actions they call.
//!
//! They are claimed from the same namer as the actions, after every action has its name, so
//! an operation always keeps the name it asked for and a helper that would clash with one
//! (an operation called `decode_list_pets`, `poll_x` or `list_json`) is numbered instead. The
//! emitter prints these names; it never makes one.

use super::names::{bare, snake_ident, Namer};
use super::{Action, ChoicesHelper, ResponseBody, TriggerKind};

/// Claims every helper name, writing them into the actions; returns the `…_choices` helpers.
pub fn name_helpers(actions: &mut [Action], namer: &mut Namer) -> Vec<ChoicesHelper> {
    for a in actions.iter_mut() {
        let base = bare(&a.ident).to_string();
        let polling = a
            .trigger
            .as_ref()
            .is_some_and(|t| t.kind == TriggerKind::Polling);
        if let Some(t) = a.trigger.as_mut().filter(|_| polling) {
            let wanted = if base.contains("poll") {
                format!("{base}_stream")
            } else {
                format!("poll_{base}")
            };
            t.poll_fn = Some(namer.claim(&wanted).0);
        }
        if a.pageable.is_some() || polling {
            a.decode_fn = Some(namer.claim(&format!("decode_{base}")).0);
        }
    }
    name_base_setters(actions, namer);
    choices(actions, namer)
}

/// `with_<name>_base_url` for each operation-level base URL, in the order actions first use
/// it (`with_<name>_<n>_base_url` where that is taken).
fn name_base_setters(actions: &mut [Action], namer: &mut Namer) {
    let mut named: Vec<(String, String)> = Vec::new();
    for a in actions.iter_mut() {
        let Some(url) = a.base_url.clone() else {
            continue;
        };
        if let Some((_, setter)) = named.iter().find(|(u, _)| *u == url) {
            a.base_setter = Some(setter.clone());
            continue;
        }
        let name = a.base_name.clone().unwrap_or_else(|| url.clone());
        let words = bare(&snake_ident(&name, "other"))
            .trim_matches('_')
            .to_string();
        let mut setter = format!("with_{words}_base_url");
        let mut n = 2;
        while namer.is_taken(&setter) {
            setter = format!("with_{words}_{n}_base_url");
            n += 1;
        }
        namer.claim(&setter);
        named.push((url, setter.clone()));
        a.base_setter = Some(setter);
    }
}

/// A listing action a `…_choices` helper can call: not a webhook, no body argument, and a
/// JSON response to read the choices from.
fn usable_source(r: &Action) -> bool {
    let webhook = r
        .trigger
        .as_ref()
        .is_some_and(|t| t.kind == TriggerKind::Webhook);
    let body_argument = r.body.as_ref().is_some_and(|b| !b.no_argument);
    // An action documenting no success response may still list JSON (its JSON twin reads it).
    let json = r.success.iter().any(|s| {
        matches!(s.body, ResponseBody::Json(_))
            || s.description == super::actions::UNDOCUMENTED_SUCCESS
    });
    !webhook && !body_argument && json
}

/// One helper per parameter or top-level body property with dynamic values whose listing
/// action is usable; each listing action used gets a hidden JSON twin.
fn choices(actions: &mut [Action], namer: &mut Namer) -> Vec<ChoicesHelper> {
    let mut out = Vec::new();
    for (i, a) in actions.iter().enumerate() {
        let params = a
            .params
            .iter()
            .filter(|p| p.constant.is_none())
            .filter_map(|p| {
                p.dynamic
                    .as_ref()
                    .map(|d| (p.wire_name.clone(), bare(&p.ident).to_string(), d))
            });
        let body = a.body.iter().flat_map(|b| {
            b.dynamic
                .iter()
                .filter(|(name, _)| !b.injected.iter().any(|i| &i.wire_name == name))
                .map(|(name, d)| {
                    (
                        name.clone(),
                        bare(&snake_ident(name, "field")).to_string(),
                        d,
                    )
                })
        });
        let mut mine: Vec<(String, String, usize)> = Vec::new();
        for (wire, target, d) in params.chain(body) {
            let Some(source) = actions
                .iter()
                .position(|r| r.operation_id.as_deref() == Some(d.operation_id.as_str()))
            else {
                continue;
            };
            if !usable_source(&actions[source]) {
                continue;
            }
            let wanted = format!("{}_{target}_choices", bare(&a.ident));
            if mine.iter().any(|(_, w, _)| *w == wanted) {
                continue;
            }
            mine.push((wire, wanted, source));
        }
        for (wire, wanted, source) in mine {
            out.push(ChoicesHelper {
                action: i,
                wire,
                name: namer.claim(&wanted).0,
                source,
            });
        }
    }
    let mut sources: Vec<usize> = out.iter().map(|h| h.source).collect();
    sources.sort_unstable();
    sources.dedup();
    for s in sources {
        let wanted = format!("{}_json", bare(&actions[s].ident));
        actions[s].json_twin = Some(namer.claim(&wanted).0);
    }
    out
}
