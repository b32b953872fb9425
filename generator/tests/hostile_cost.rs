//! Cost bombs (issue 13), scaled for a debug test build and run with generous deadlines (a
//! hang or a quadratic blow-up fails; the figures for the full-size bombs come from
//! `.ci/hostile.sh`, which runs `tests/hostile/bombs/make.py` against the release binary).

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use connectorkit_generator::{prepare_file, Prepared};

fn with_deadline<T: Send + 'static>(secs: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(move || {
            let _ = tx.send(f());
        })
        .expect("spawn");
    rx.recv_timeout(Duration::from_secs(secs))
        .unwrap_or_else(|_| panic!("did not finish within {secs} s"))
}

/// (refused?, every diagnostic as text, the prepared definition if any).
fn prepare(path: PathBuf, secs: u64) -> (bool, String, Option<Prepared>) {
    with_deadline(secs, move || match prepare_file(&path) {
        Ok(p) => {
            let text = p.diagnostics.iter().map(|d| format!("{d}\n")).collect();
            (p.diagnostics.iter().any(|d| d.is_error()), text, Some(p))
        }
        Err(f) => (
            true,
            f.diagnostics.iter().map(|d| format!("{d}\n")).collect(),
            None,
        ),
    })
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

fn openapi(extra: &str) -> String {
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "Bomb", "version": "1"}}, "paths": {{"/x": {{"get": {{"operationId": "getX", "responses": {{"200": {{"description": "ok"}}}}}}}}}}{extra}}}"#
    )
}

#[test]
fn brackets_are_refused_at_once_with_a_location() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "brackets.json", &"[".repeat(100_000));
    let t = Instant::now();
    let (refused, text, _) = prepare(p, 30);
    assert!(refused, "{text}");
    assert!(text.contains("load/too-deep"), "{text}");
    assert!(text.contains("brackets.json:1:2049"), "located: {text}");
    assert!(t.elapsed() < Duration::from_secs(10), "{:?}", t.elapsed());
}

#[test]
fn valid_nesting_1000_deep_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let deep = format!("{}{}", "[".repeat(1000), "]".repeat(1000));
    let p = write(
        dir.path(),
        "deep.json",
        &openapi(&format!(r#", "x-deep": {deep}"#)),
    );
    let (refused, text, prepared) = prepare(p, 60);
    assert!(!refused, "{text}");
    assert_eq!(prepared.expect("prepared").connector.actions.len(), 1);
    // Deep objects in an example too.
    let obj = format!("{}1{}", r#"{"a":"#.repeat(1500), "}".repeat(1500));
    let p = write(
        dir.path(),
        "deep-example.json",
        &openapi(&format!(r#", "x-example": {obj}"#)),
    );
    let (refused, text, _) = prepare(p, 60);
    assert!(!refused, "{text}");
}

#[test]
fn a_deep_file_with_a_syntax_error_is_rejected_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = openapi("");
    let broken = format!(
        "{}, \"x-d\": {}{}",
        &text[..text.len() - 1],
        "[".repeat(1500),
        "]".repeat(1499)
    );
    let p = write(dir.path(), "unclosed.json", &broken);
    let t = Instant::now();
    let (refused, text, _) = prepare(p, 60);
    assert!(refused, "{text}");
    assert!(t.elapsed() < Duration::from_secs(20), "{:?}", t.elapsed());
}

#[test]
fn fanning_out_external_refs_are_stopped_by_the_budget() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut levels = serde_json::Map::new();
    for i in 0..20 {
        let refs: serde_json::Map<String, serde_json::Value> = (0..8)
            .map(|j| {
                (
                    format!("k{j}"),
                    serde_json::json!({"$ref": format!("#/l{}", i + 1)}),
                )
            })
            .collect();
        levels.insert(format!("l{i}"), serde_json::Value::Object(refs));
    }
    levels.insert("l20".into(), serde_json::json!({"leaf": "x"}));
    write(
        dir.path(),
        "b.json",
        &serde_json::Value::Object(levels).to_string(),
    );
    let p = write(
        dir.path(),
        "main.json",
        &openapi(r##", "x-fan": {"$ref": "b.json#/l0"}"##),
    );
    let t = Instant::now();
    let (refused, text, _) = prepare(p, 120);
    assert!(refused, "{text}");
    assert!(text.contains("ref/too-large"), "{text}");
    assert!(
        text.contains("b.json:1:"),
        "located where it stopped: {text}"
    );
    assert_eq!(text.matches("ref/too-large").count(), 1, "reported once");
    assert!(t.elapsed() < Duration::from_secs(60), "{:?}", t.elapsed());
}

#[test]
fn shared_external_schemas_are_bundled_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let props: Vec<String> = (0..8)
        .map(|j| format!(r##""p{j}": {{"$ref": "#/T"}}"##))
        .collect();
    write(
        dir.path(),
        "s.json",
        &format!(
            r#"{{"S": {{"type": "object", "properties": {{{}}}}}, "T": {{"type": "object", "properties": {{"leaf": {{"type": "string"}}}}}}}}"#,
            props.join(", ")
        ),
    );
    let paths: Vec<String> = (0..200)
        .map(|i| format!(r##""/x{i}": {{"get": {{"operationId": "get{i}", "responses": {{"200": {{"description": "ok", "content": {{"application/json": {{"schema": {{"$ref": "s.json#/S"}}}}}}}}}}}}}}"##))
        .collect();
    let p = write(
        dir.path(),
        "main.json",
        &format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "Shared", "version": "1"}}, "paths": {{{}}}}}"#,
            paths.join(", ")
        ),
    );
    let (refused, text, prepared) = prepare(p, 60);
    assert!(!refused, "{text}");
    let schemas = prepared
        .expect("prepared")
        .normalized
        .openapi
        .components
        .map_or(0, |c| c.schemas.len());
    assert_eq!(schemas, 2, "S and T, once each");
}

#[test]
fn a_yaml_alias_bomb_is_refused_with_a_location() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: Laughs, version: '1'}\npaths: {}\nx-laughs:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    let p = write(dir.path(), "laughs.yaml", &text);
    let (refused, text, _) = prepare(p, 30);
    assert!(refused, "{text}");
    assert!(
        text.contains("laughs.yaml:6:"),
        "located at the first alias: {text}"
    );
}

#[test]
fn thousands_of_colliding_names_stay_fast() {
    let dir = tempfile::tempdir().expect("tempdir");
    let names: Vec<String> = (0..5000)
        .map(|i| {
            format!(
                r#""a{}b{}{}": {{"type": "string"}}"#,
                "_".repeat(i % 7),
                "-".repeat(i / 7 % 50),
                i / 350
            )
        })
        .collect();
    let p = write(
        dir.path(),
        "names.json",
        &openapi(&format!(
            r#", "components": {{"schemas": {{{}}}}}"#,
            names.join(", ")
        )),
    );
    let t = Instant::now();
    let (_, _, prepared) = prepare(p, 120);
    let c = prepared.expect("prepared").connector;
    assert_eq!(c.types.len(), 5000);
    let mut idents: Vec<&str> = c.types.iter().map(|t| t.name.as_str()).collect();
    idents.sort();
    idents.dedup();
    assert_eq!(idents.len(), 5000, "unique names");
    println!("5,000 colliding names: {:?}", t.elapsed());
}

#[test]
fn thousands_of_same_named_postman_requests_stay_fast() {
    let dir = tempfile::tempdir().expect("tempdir");
    let items: Vec<String> = (0..2000)
        .map(|_| {
            r#"{"name": "Get", "request": {"method": "GET", "url": "https://api.example.com/x"}}"#
                .to_string()
        })
        .collect();
    let p = write(
        dir.path(),
        "same.postman_collection.json",
        &format!(
            r#"{{"info": {{"name": "Same", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}}, "item": [{}]}}"#,
            items.join(", ")
        ),
    );
    let t = Instant::now();
    let (_, text, prepared) = prepare(p, 120);
    let c = prepared.unwrap_or_else(|| panic!("{text}")).connector;
    assert_eq!(c.actions.len(), 2000);
    assert_eq!(c.actions[1999].ident, "get_2000");
    println!("2,000 same-named requests: {:?}", t.elapsed());
}
