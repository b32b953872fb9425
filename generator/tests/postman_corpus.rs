//! Every Postman collection of the corpus normalizes; one operation per request; the
//! requests that cannot be used are the expected ones; twins in different versions give the
//! same operations; imperfect files warn (with pointers and folder paths) instead of failing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use connectorkit_generator::{prepare_file, Diagnostic, Prepared};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/postman")
}

fn prepare(name: &str) -> Prepared {
    prepare_file(&corpus().join(name)).unwrap_or_else(|f| panic!("{name}: {f}"))
}

fn requests_in(items: &serde_json::Value) -> usize {
    items.as_array().map_or(0, |a| {
        a.iter()
            .map(|i| {
                if i.get("request").is_some() {
                    1
                } else {
                    requests_in(&i["item"])
                }
            })
            .sum()
    })
}

/// The requests in a collection file, counted on the raw JSON.
fn requests(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let v: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
    let v = if v.get("collection").is_some() {
        v["collection"].clone()
    } else {
        v
    };
    match v.get("requests").and_then(|r| r.as_array()) {
        Some(r) if v.get("item").is_none() => r.len(),
        _ => requests_in(&v["item"]),
    }
}

#[test]
fn every_collection_normalizes_with_one_method_per_request() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 71);
    let (mut total_requests, mut total_actions) = (0, 0);
    let mut dropped: Vec<(String, &'static str)> = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let p = prepare(&name);
        let n = requests(f);
        let errors: Vec<&Diagnostic> = p.diagnostics.iter().filter(|d| d.is_error()).collect();
        for e in &errors {
            assert!(
                e.message.contains("is dropped"),
                "{name}: unexpected error {e}"
            );
            assert!(e.location.line > 0, "{name}: unlocated {e}");
            dropped.push((name.clone(), e.code));
        }
        assert_eq!(
            p.connector.actions.len() + errors.len(),
            n,
            "{name}: requests vs methods + dropped"
        );
        total_requests += n;
        total_actions += p.connector.actions.len();
    }
    assert_eq!(total_requests, 1712);
    assert_eq!(total_actions, 1707);
    assert_eq!(
        dropped,
        vec![
            (
                "newman__v21-whatwg-url.json".to_string(),
                "postman/nested-variable"
            ),
            // `{{p://}}://{{@}}:{{###}}@{{host.name}}:{{:p}}`: no base URL can be made of it.
            (
                "newman__v21-whatwg-url.json".to_string(),
                "postman/unsafe-url"
            ),
            ("p2o__v21-EmptyUrl.json".to_string(), "postman/unusable-url"),
            ("p2oa__pdfco.json".to_string(), "postman/unusable-url"),
            // `http://shamasis:pass@echo.getpostman.com:9443`: credentials in the URL.
            (
                "pmcollection__collection-v2.json".to_string(),
                "postman/unsafe-url"
            ),
        ]
    );
}

/// (method, wire path, security scheme kinds) of every action.
fn shape(p: &Prepared) -> BTreeSet<(String, String, Vec<String>)> {
    let kinds = |names: &Vec<Vec<String>>| {
        let mut k: Vec<String> = names
            .iter()
            .flatten()
            .filter_map(|n| p.connector.auth.iter().find(|a| &a.name == n))
            .map(|a| format!("{:?}", a.kind))
            .collect();
        k.sort();
        k
    };
    p.connector
        .actions
        .iter()
        .map(|a| {
            (
                a.wire_method.clone().unwrap_or_else(|| a.method.clone()),
                a.wire_path.clone().unwrap_or_else(|| a.path.clone()),
                kinds(&a.security),
            )
        })
        .collect()
}

#[test]
fn twins_in_different_versions_give_the_same_operations() {
    for twins in [
        &[
            "schemas__v1-helpers-auth.json",
            "schemas__v20-helpers-auth.json",
            "schemas__v21-helpers-auth.json",
        ][..],
        &[
            "schemas__v1-nestedEntities.json",
            "schemas__v20-nestedEntities.json",
        ],
        &[
            "schemas__v1-edgegridAuth.json",
            "schemas__v21-edgegridAuth.json",
        ],
        &["schemas__v1-ntlmAuth.json", "schemas__v21-ntlmAuth.json"],
    ] {
        let first = shape(&prepare(twins[0]));
        assert!(!first.is_empty(), "{}", twins[0]);
        for other in &twins[1..] {
            assert_eq!(shape(&prepare(other)), first, "{} vs {other}", twins[0]);
        }
    }
}

#[test]
fn imperfect_files_warn_with_pointers_and_folder_paths() {
    // Fastly: invalid JSON saved examples, folder auth and noauth, PURGE.
    let p = prepare("p2oa__fastly.json");
    assert!(p.diagnostics.iter().all(|d| !d.is_error()));
    let bad: Vec<&Diagnostic> = p
        .diagnostics
        .iter()
        .filter(|d| d.code == "postman/example-not-json")
        .collect();
    assert!(!bad.is_empty());
    for d in &bad {
        assert!(d.location.json_pointer.ends_with("/body"), "{d}");
        assert!(d.location.json_pointer.contains("/response/"), "{d}");
        assert!(d.location.line > 0, "{d}");
        assert!(d.message.contains(" / "), "no folder path: {d}");
    }
    assert!(p
        .connector
        .actions
        .iter()
        .any(|a| a.wire_method.as_deref() == Some("PURGE")));
    assert_eq!(p.connector.actions.len(), 406);

    // v1 with requests no order list reaches, and duplicate ids in `order`.
    let p = prepare("transformer__v1-malformed.json");
    assert!(
        p.diagnostics.iter().all(|d| !d.is_error()),
        "{:#?}",
        p.diagnostics
    );

    // JSON bodies with comments are read, with a warning.
    let p = prepare("p2o__v21-JsonComments.json");
    assert!(p
        .diagnostics
        .iter()
        .any(|d| d.code == "postman/json-comments"));

    // The envelope and the legacy schema.
    for f in [
        "p2o__v21-CollectionWrapper.json",
        "pmcollection__collection-v2.json",
        "pmcollection__digest.json",
    ] {
        let p = prepare(f);
        assert!(!p.connector.actions.is_empty(), "{f}");
        // (Besides the request with credentials in its URL, dropped.)
        assert!(
            p.diagnostics
                .iter()
                .all(|d| !d.is_error() || d.code == "postman/unsafe-url"),
            "{f}: {:#?}",
            p.diagnostics
        );
    }
}

#[test]
fn same_method_and_path_stay_separate_methods() {
    // 8 SOAP actions behind one URL, 5 GraphQL queries on one endpoint.
    assert_eq!(
        prepare("p2oa__calculator-soap.json")
            .connector
            .actions
            .len(),
        8
    );
    assert_eq!(prepare("p2oa__graphql.json").connector.actions.len(), 5);
    let p = prepare("p2oa__graphql.json");
    let paths: BTreeSet<String> = p
        .connector
        .actions
        .iter()
        .map(|a| a.wire_path.clone().unwrap_or_else(|| a.path.clone()))
        .collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
}

#[test]
fn conversion_is_deterministic() {
    let a = prepare("adyen__checkout-v71.json")
        .normalized
        .value
        .to_string();
    let b = prepare("adyen__checkout-v71.json")
        .normalized
        .value
        .to_string();
    assert_eq!(a, b);
}
