//! `x-ms-dynamic-values` / `x-ms-dynamic-list` → typed `…_choices` helpers on the client.
//!
//! A helper calls the listing operation the definition names, with the parameter values the
//! definition fixes (constants) and the rest as arguments, and returns the choices read from
//! the response with [`connectorkit::dynamic::choices`]. The listing operation is called
//! through a hidden twin of its method that returns the body as `serde_json::Value`: the
//! paths may name properties the response schema does not declare, which a typed decode
//! would drop. Listing operations that take a request body are left to the parameter's docs.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::rust::{arg_ty, ident};
use super::types::outcome_ty;
use crate::model::names::bare;
use crate::model::{Action, Connector, DynamicArg, DynamicValues, Outcome, ResponseBody, RustType};

/// One helper: the action and the parameter (or top-level body property) it serves, and
/// the listing action.
struct Plan<'c> {
    action: &'c Action,
    /// The parameter's or property's name on the wire.
    wire: &'c str,
    /// The helper's name.
    name: String,
    source: &'c Action,
    dynamic: &'c DynamicValues,
}

/// The helpers the model named, with their actions.
fn plans(c: &Connector) -> Vec<Plan<'_>> {
    c.choices
        .iter()
        .filter_map(|h| {
            let action = c.actions.get(h.action)?;
            let source = c.actions.get(h.source)?;
            let dynamic = action
                .params
                .iter()
                .find(|p| p.wire_name == h.wire && p.constant.is_none())
                .and_then(|p| p.dynamic.as_ref())
                .or_else(|| {
                    let b = action.body.as_ref()?;
                    b.dynamic.iter().find(|(n, _)| *n == h.wire).map(|(_, d)| d)
                })?;
            Some(Plan {
                action,
                wire: &h.wire,
                name: h.name.clone(),
                source,
                dynamic,
            })
        })
        .collect()
}

/// The name of a listing action's hidden twin.
fn raw_name(r: &Action) -> String {
    r.json_twin.clone().unwrap_or_else(|| r.ident.clone())
}

/// The hidden twins of the listing actions: the same request, the body as JSON.
fn raw_actions(plans: &[Plan<'_>]) -> Vec<Action> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for plan in plans {
        let r = plan.source;
        if !seen.insert(r.ident.clone()) {
            continue;
        }
        let mut twin = r.clone();
        twin.ident = raw_name(r);
        twin.hidden = true;
        twin.deprecated = false;
        twin.deprecated_note = None;
        twin.pageable = None;
        twin.trigger = None;
        twin.notes.push(format!(
            "The body as JSON, for the `…_choices` helpers (see [`Client::{}`]).",
            bare(&r.ident)
        ));
        for s in &mut twin.success {
            s.body = ResponseBody::Json(RustType::Value);
        }
        twin.success_type = Outcome::Single(ResponseBody::Json(RustType::Value));
        out.push(twin);
    }
    out
}

/// A value of type `t` from a constant, where one can be written as a literal.
fn constant_expr(t: &RustType, v: &serde_json::Value, owned: bool) -> Option<TokenStream> {
    use serde_json::Value as V;
    match (t, v) {
        (RustType::Option(inner), v) if owned => {
            constant_expr(inner, v, owned).map(|e| quote!(Some(#e)))
        }
        (RustType::Option(inner), v) => constant_expr(inner, v, owned),
        (RustType::String, V::String(s)) if owned => Some(quote!(#s.to_string())),
        (RustType::String, V::String(s)) => Some(quote!(#s)),
        (RustType::String, V::Number(_) | V::Bool(_)) => {
            let s = v.to_string();
            Some(if owned {
                quote!(#s.to_string())
            } else {
                quote!(#s)
            })
        }
        (RustType::Bool, V::Bool(b)) => Some(quote!(#b)),
        // Only values the type can hold: anything else becomes an argument.
        (RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64, V::Number(n)) => {
            let i = n.as_i64()?;
            let fits = match t {
                RustType::I8 => i8::try_from(i).is_ok(),
                RustType::I16 => i16::try_from(i).is_ok(),
                RustType::I32 => i32::try_from(i).is_ok(),
                _ => true,
            };
            let l = proc_macro2::Literal::i64_unsuffixed(i);
            fits.then(|| quote!(#l))
        }
        (RustType::U8 | RustType::U16 | RustType::U32 | RustType::U64, V::Number(n)) => {
            let u = n.as_u64()?;
            let fits = match t {
                RustType::U8 => u8::try_from(u).is_ok(),
                RustType::U16 => u16::try_from(u).is_ok(),
                RustType::U32 => u32::try_from(u).is_ok(),
                _ => true,
            };
            let l = proc_macro2::Literal::u64_unsuffixed(u);
            fits.then(|| quote!(#l))
        }
        (RustType::F32 | RustType::F64, V::Number(n)) => {
            let l = proc_macro2::Literal::f64_unsuffixed(n.as_f64()?);
            Some(quote!(#l))
        }
        _ => None,
    }
}

/// An owned value of the field type `Option<t>` holds, from an argument of `arg_ty(t)`.
fn owned(t: &RustType, arg: &TokenStream) -> TokenStream {
    match t {
        RustType::String => quote!(#arg.to_string()),
        RustType::Vec(_) => quote!(#arg.to_vec()),
        RustType::Option(inner) => {
            let o = owned(inner, arg);
            quote!(Some(#o))
        }
        t if t.is_copy() => quote!(#arg),
        _ => quote!(#arg.clone()),
    }
}

fn path_lit(p: &Option<String>) -> TokenStream {
    match p {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn helper(plan: &Plan<'_>) -> TokenStream {
    let (a, r, d) = (plan.action, plan.source, plan.dynamic);
    let mut args: Vec<TokenStream> = Vec::new();
    let mut call_args: Vec<TokenStream> = Vec::new();
    let mut fields: Vec<TokenStream> = Vec::new();
    let mut arg_names: BTreeSet<String> = BTreeSet::new();
    let mut arg_docs: Vec<String> = Vec::new();
    for q in r.params.iter().filter(|q| q.constant.is_none()) {
        let mapped = d
            .parameters
            .iter()
            .find(|(name, _)| name == &q.wire_name)
            .map(|(_, v)| v);
        let fixed = match mapped {
            Some(DynamicArg::Constant(v)) => constant_expr(&q.ty, v, !q.required),
            _ => None,
        };
        let value = match fixed {
            Some(e) => e,
            None if !q.required && mapped.is_none() => continue,
            None => {
                // An argument, named after this action's parameter where it stands for one.
                let from = match mapped {
                    Some(DynamicArg::Parameter(w)) => a.params.iter().find(|x| &x.wire_name == w),
                    _ => None,
                };
                // The model's identifier, raw (`r#type`) where it is a keyword.
                let mut name = from.map_or(&q.ident, |x| &x.ident).clone();
                while !arg_names.insert(name.clone()) {
                    name.push('_');
                }
                let n = ident(&name);
                let t = arg_ty(&q.ty);
                args.push(quote!(#n: #t));
                arg_docs.push(match (mapped, from) {
                    (Some(DynamicArg::Parameter(_)), Some(x)) => format!(
                        "`{name}`: the value of this action's `{}`, passed as `{}`.",
                        x.wire_name, q.wire_name
                    ),
                    (Some(DynamicArg::Constant(v)), _) => {
                        format!("`{name}`: `{}` (the definition gives `{v}`).", q.wire_name)
                    }
                    _ => format!("`{name}`: `{}`.", q.wire_name),
                });
                let arg = quote!(#n);
                if q.required {
                    arg
                } else {
                    owned(&q.ty, &arg)
                }
            }
        };
        if q.required {
            call_args.push(value);
        } else {
            let f = ident(&q.ident);
            fields.push(quote!(#f: Some(#value),));
        }
    }
    let params = r.params_struct.as_ref().map(|ps| {
        let ps = ident(ps);
        let optional = r.params.iter().filter(|q| !q.required).count();
        if fields.is_empty() {
            quote!(&#ps::default())
        } else if fields.len() == optional {
            quote!(&#ps { #(#fields)* })
        } else {
            quote!(&#ps { #(#fields)* ..Default::default() })
        }
    });
    call_args.extend(params);
    let err_ty = outcome_ty(&r.error_type);
    let name = ident(&plan.name);
    let raw = ident(&raw_name(r));
    let first = format!(
        "The choices for `{}` of [`Client::{}`] (`x-ms-dynamic-values`): calls [`Client::{}`] and reads them from its response.",
        plan.wire,
        bare(&a.ident),
        bare(&r.ident),
    );
    let paths = format!(
        "Items at `{}`, values at `{}`, titles at `{}`.",
        d.collection.as_deref().unwrap_or("(the body)"),
        d.value_path.as_deref().unwrap_or("(the item)"),
        d.title_path.as_deref().unwrap_or("(the value)"),
    );
    let arg_doc = (!arg_docs.is_empty()).then(|| {
        arg_docs
            .iter()
            .map(|l| format!("- {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    });
    let doc = docs::attrs(&[Some(&first), Some(&paths), arg_doc.as_deref()]);
    let hidden = a.hidden.then(|| quote!(#[doc(hidden)]));
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let (collection, value, title) = (
        path_lit(&d.collection),
        path_lit(&d.value_path),
        path_lit(&d.title_path),
    );
    quote! {
        #doc
        #hidden
        #too_many
        pub async fn #name(&self, #(#args),*) -> Result<Vec<connectorkit::dynamic::Choice>, connectorkit::Error<#err_ty>> {
            let body = self.#raw(#(#call_args),*).await?;
            Ok(connectorkit::dynamic::choices(&body, #collection, #value, #title))
        }
    }
}

/// The `…_choices` helpers (one per parameter or body property with dynamic values) and
/// the hidden twins of the listing actions they call, for the client's impl.
/// Each helper comes with its action's module.
pub fn items(c: &Connector) -> (Vec<(Option<usize>, TokenStream)>, Vec<Action>) {
    let plans = plans(c);
    (
        plans.iter().map(|p| (p.action.module, helper(p))).collect(),
        raw_actions(&plans),
    )
}
