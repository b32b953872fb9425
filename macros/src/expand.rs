//! Runs the generator for `connector!` and turns its output, or its diagnostics, into tokens.

use std::path::{Path, PathBuf};

use connectorkit_generator::{Diagnostic, LoadOptions, OptionError, Options};
use proc_macro2::TokenStream;
use quote::quote;

use crate::args::Args;

/// The folder paths are relative to. `CONNECTORKIT_MANIFEST_DIR_OVERRIDE` lets the trybuild
/// tests point at the macro crate instead of trybuild's scratch project.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CONNECTORKIT_MANIFEST_DIR_OVERRIDE")
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// A diagnostic with its file shown relative to the manifest folder.
fn show(d: &Diagnostic, base: &Path) -> String {
    let mut d = d.clone();
    if let Ok(rel) = d.location.file.strip_prefix(base) {
        d.location.file = rel.to_path_buf();
    }
    d.to_string()
}

pub fn expand(args: &Args) -> TokenStream {
    let base = manifest_dir();
    let path = base.join(args.path.value());
    let options = Options {
        tags: args.tags.iter().map(|t| t.value()).collect(),
        exclude_tags: args.exclude_tags.iter().map(|t| t.value()).collect(),
        actions: args.actions.iter().map(|a| a.value()).collect(),
        internal: !matches!(&args.internal, Some(b) if !b.value),
    };
    let load = LoadOptions {
        ref_root: args.ref_root.as_ref().map(|r| base.join(r.value())),
    };
    // An error anywhere (a refused `$ref`, a dangling one) fails the expansion, as it fails
    // the CLI: a client with parts silently missing is not generated.
    let prepared = connectorkit_generator::prepare_file_with(&path, &load).and_then(|p| {
        if p.diagnostics.iter().any(Diagnostic::is_error) {
            Err(connectorkit_generator::Failure {
                diagnostics: p.diagnostics,
            })
        } else {
            Ok(p)
        }
    });
    let mut prepared = match prepared {
        Ok(p) => p,
        Err(failure) => {
            let text: Vec<String> = failure
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| show(d, &base))
                .collect();
            let msg = format!(
                "connector!: cannot generate a client from `{}`\n{}",
                args.path.value(),
                text.join("\n")
            );
            return syn::Error::new(args.path.span(), msg).to_compile_error();
        }
    };
    let tracked = prepared.inputs.iter().filter_map(|p| {
        let p = p.to_str()?;
        Some(quote!(
            const _: &[u8] = include_bytes!(#p);
        ))
    });
    let tracked: Vec<TokenStream> = tracked.collect();
    if let Err(errors) = options.apply(&mut prepared.connector, &prepared.normalized) {
        let mut out = TokenStream::new();
        for e in errors {
            let span = match &e {
                OptionError::UnknownTag { tag, .. } => args.tags.iter().find(|t| t.value() == *tag),
                OptionError::UnknownAction { action } => {
                    args.actions.iter().find(|a| a.value() == *action)
                }
            }
            .map(|l| l.span())
            .unwrap_or_else(|| args.path.span());
            out.extend(syn::Error::new(span, format!("connector!: {e}")).to_compile_error());
        }
        out.extend(tracked);
        return out;
    }
    let code =
        match connectorkit_generator::emit::module(&prepared.connector, &prepared.source_name)
            .map_err(|m| m.to_string())
            .and_then(|s| s.parse::<TokenStream>().map_err(|e| e.to_string()))
        {
            Ok(code) => code,
            Err(msg) => {
                return syn::Error::new(
                    args.path.span(),
                    format!("connector!: internal error: {msg}"),
                )
                .to_compile_error()
            }
        };
    let alias = args.client.as_ref().map(|name| {
        let doc = format!(" `{name}` is this definition's [`Client`].");
        quote! {
            #[doc = #doc]
            pub use self::client::Client as #name;
        }
    });
    let body = quote! {
        #(#tracked)*
        #code
        #alias
    };
    match &args.module {
        Some(m) => {
            let doc = format!(" The client generated from `{}`.", args.path.value());
            quote! {
                #[doc = #doc]
                pub mod #m {
                    #body
                }
            }
        }
        None => body,
    }
}
