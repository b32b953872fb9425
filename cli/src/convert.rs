//! `convert` and `validate`.

use std::path::Path;

use connectorkit_generator::LoadOptions;

use crate::{fetch, report};

/// Prints the normalized OpenAPI 3.0 document; false (exit 1) when an error was reported
/// (the document is still printed: it is what the generator would work from).
pub fn run(input: &str, output: Option<&Path>, yaml: bool, load: &LoadOptions) -> bool {
    let prepared = match fetch::prepare(input, load) {
        Ok(p) => p,
        Err(f) => {
            report::print(input, &f.diagnostics, true);
            return false;
        }
    };
    let (errors, _) = report::print(input, &prepared.diagnostics, false);
    let text = if yaml {
        serde_yaml::to_string(&prepared.normalized.value).map_err(|e| e.to_string())
    } else {
        serde_json::to_string_pretty(&prepared.normalized.value).map_err(|e| e.to_string())
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: cannot serialize the document: {e}");
            return false;
        }
    };
    let written = match output {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => true,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                false
            }
        },
        None => {
            println!("{text}");
            true
        }
    };
    written && errors == 0
}

/// The `model/value-fallback` warnings printed per definition without `--verbose`.
const FALLBACKS_SHOWN: usize = 20;

/// Prints every diagnostic of every input and its typing figures; false when any has errors.
pub fn validate(inputs: &[String], load: &LoadOptions, verbose: bool) -> bool {
    let mut ok = true;
    for input in inputs {
        match fetch::prepare(input, load) {
            Ok(p) => {
                let (errors, warnings) = report::print(input, &p.diagnostics, true);
                ok &= errors == 0;
                let typing = &p.connector.typing;
                let shown = if verbose {
                    typing.fallbacks.len()
                } else {
                    FALLBACKS_SHOWN
                };
                for d in typing.fallbacks.iter().take(shown) {
                    eprintln!("{d}");
                }
                if typing.fallbacks.len() > shown {
                    eprintln!(
                        "{input}: {} more model/value-fallback warning(s) (use --verbose to see them)",
                        typing.fallbacks.len() - shown
                    );
                }
                eprintln!(
                    "{input}: {} actions, {errors} error(s), {} warning(s)",
                    p.connector.actions.len(),
                    warnings + typing.fallbacks.len()
                );
                eprintln!("{input}: {}", report::typing(typing));
            }
            Err(f) => {
                report::print(input, &f.diagnostics, true);
                ok = false;
            }
        }
    }
    ok
}
