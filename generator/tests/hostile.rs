//! The hostile-definition suite (`tests/hostile`, see its README) at the library level:
//! what `.ci/hostile.sh` cannot see from exit codes and clippy alone.
//!
//! - `generates/injection`: every payload tries to smuggle an item whose name starts with
//!   `pwned` into the generated code (through URLs, titles, descriptions, enum values,
//!   names, defaults); no identifier starting with `pwned` may exist in any generated Rust file
//!   (crate and module forms), and Cargo.toml must parse with exactly our dependencies.
//! - every `generates/` case: no error diagnostic, and every Rust file parses.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use connectorkit_generator::{CrateOptions, RuntimeDependency, Severity};
use proc_macro2::{TokenStream, TokenTree};

fn suite() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/hostile")
}

/// The cases of `generates/<category>`: files and folders, with a tree's `main.*` entry.
fn cases(category: &str) -> Vec<PathBuf> {
    let dir = suite().join("generates").join(category);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .map(|p| {
            ["main.yaml", "main.yml", "main.json"]
                .iter()
                .map(|m| p.join(m))
                .find(|m| m.is_file())
                .unwrap_or(p)
        })
        .collect();
    out.sort();
    out
}

fn idents(tokens: TokenStream, out: &mut Vec<String>) {
    for t in tokens {
        match t {
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Group(g) => idents(g.stream(), out),
            _ => {}
        }
    }
}

fn assert_no_pwned_item(case: &Path, file: &str, source: &str) {
    syn::parse_file(source)
        .unwrap_or_else(|e| panic!("{}: {file} does not parse: {e}", case.display()));
    let tokens = TokenStream::from_str(source).unwrap();
    let mut names = Vec::new();
    idents(tokens, &mut names);
    // A name made from the definition's words may contain `pwned` (`get_pub_fn_pwned_op`);
    // an injected item would be named by the payload itself (`pwned…`, `Pwned…`).
    let found: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("pwned") || n.starts_with("Pwned"))
        .collect();
    assert!(
        found.is_empty(),
        "{}: {file} has identifiers from the definition's text: {found:?}",
        case.display()
    );
}

#[test]
fn injected_text_never_becomes_code() {
    let cases = cases("injection");
    assert!(cases.len() >= 6, "the injection cases are missing");
    for case in cases {
        let krate = connectorkit_generator::generate_crate(
            &case,
            &CrateOptions {
                name: None,
                runtime: RuntimeDependency::Path("../runtime".into()),
                conformance: false,
                ..CrateOptions::default()
            },
        )
        .unwrap_or_else(|f| panic!("{}: {:?}", case.display(), f.diagnostics));
        for f in &krate.files {
            let path = f.path.to_string_lossy().into_owned();
            if path.ends_with(".rs") {
                assert_no_pwned_item(&case, &path, &f.contents);
            } else if path == "Cargo.toml" {
                let manifest: toml::Table = toml::from_str(&f.contents)
                    .unwrap_or_else(|e| panic!("{}: Cargo.toml: {e}", case.display()));
                let deps: Vec<&String> = manifest["dependencies"]
                    .as_table()
                    .unwrap()
                    .keys()
                    .collect();
                assert_eq!(
                    deps,
                    ["connectorkit", "serde", "serde_json"],
                    "{}",
                    case.display()
                );
                let package = manifest["package"].as_table().unwrap();
                for (k, v) in package {
                    assert!(
                        !k.contains("pwned"),
                        "{}: [package] key {k} = {v}",
                        case.display()
                    );
                }
                assert!(
                    !manifest.keys().any(|k| k.contains("pwned")),
                    "{}: {:?}",
                    case.display(),
                    manifest.keys().collect::<Vec<_>>()
                );
            }
        }
        let (module, _) = connectorkit_generator::generate_module(&case)
            .unwrap_or_else(|f| panic!("{}: {:?}", case.display(), f.diagnostics));
        assert_no_pwned_item(&case, "the module", &module);
    }
}

#[test]
fn every_generates_case_has_no_error_and_parses() {
    let mut n = 0;
    for category in std::fs::read_dir(suite().join("generates")).unwrap() {
        let category = category.unwrap().path();
        if !category.is_dir() {
            continue;
        }
        let name = category.file_name().unwrap().to_string_lossy().into_owned();
        for case in cases(&name) {
            n += 1;
            let krate = connectorkit_generator::generate_crate(&case, &CrateOptions::default())
                .unwrap_or_else(|f| panic!("{}: {:?}", case.display(), f.diagnostics));
            let errors: Vec<String> = krate
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.to_string())
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", case.display());
            for f in &krate.files {
                if f.path.extension().is_some_and(|e| e == "rs") {
                    syn::parse_file(&f.contents).unwrap_or_else(|e| {
                        panic!(
                            "{}: {} does not parse: {e}",
                            case.display(),
                            f.path.display()
                        )
                    });
                }
            }
        }
    }
    assert!(n >= 20, "only {n} generates/ cases");
}
