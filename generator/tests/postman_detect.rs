//! Postman input: what is detected as a collection, and files that are not collections
//! rejected with what they are and a hint.

use std::path::Path;

use connectorkit_generator::diagnostics::{Diagnostic, Diagnostics};
use connectorkit_generator::load::{self, SpecVersion};

fn load(text: &str) -> (Option<SpecVersion>, Vec<Diagnostic>) {
    let mut d = Diagnostics::default();
    let l = load::load_bytes(Path::new("in.json"), text.as_bytes(), &mut d);
    (l.map(|l| l.version), d.into_vec())
}

/// The one error, with its code, a hint, and a location.
fn rejected(text: &str) -> Diagnostic {
    let (v, d) = load(text);
    assert!(v.is_none(), "{text} was accepted");
    let errors: Vec<&Diagnostic> = d.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{d:#?}");
    let e = errors[0].clone();
    assert!(e.hint.is_some(), "no hint: {e}");
    assert_eq!(e.location.file, Path::new("in.json"));
    e
}

#[test]
fn environment_and_globals_files() {
    let e = rejected(
        r#"{"id": "e1", "name": "Dev", "values": [{"key": "baseUrl", "value": "https://x", "enabled": true}],
            "_postman_variable_scope": "environment", "_postman_exported_using": "Postman/10"}"#,
    );
    assert_eq!(e.code, "load/postman-environment");
    assert!(e.message.contains("environment file"), "{e}");
    assert!(e.hint.as_deref().unwrap_or("").contains("v2.1"), "{e}");
    assert_eq!(e.location.json_pointer, "/values");
    assert_eq!((e.location.line, e.location.column), (1, 29));

    let e = rejected(r#"{"values": [], "_postman_variable_scope": "globals"}"#);
    assert_eq!(e.code, "load/postman-environment");
    assert!(e.message.contains("globals file"), "{e}");
}

#[test]
fn har_and_insomnia_exports() {
    let e = rejected(r#"{"log": {"version": "1.2", "creator": {}, "entries": [{"request": {}}]}}"#);
    assert_eq!(e.code, "load/har");
    assert!(e.message.contains("HAR"), "{e}");
    assert_eq!(e.location.json_pointer, "/log/entries");

    let e = rejected(
        r#"{"_type": "export", "__export_format": 4, "__export_source": "insomnia.desktop.app:v2023", "resources": []}"#,
    );
    assert_eq!(e.code, "load/insomnia");
    assert!(e.message.contains("Insomnia"), "{e}");
    assert!(e.hint.as_deref().unwrap_or("").contains("OpenAPI"), "{e}");
}

#[test]
fn top_level_items() {
    let e =
        rejected(r#"{"info": {"name": "x"}, "items": [{"name": "a", "request": "https://x"}]}"#);
    assert_eq!(e.code, "load/postman-items");
    assert!(
        e.hint
            .as_deref()
            .unwrap_or("")
            .contains("rename `items` to `item`"),
        "{e}"
    );
    assert_eq!(e.location.json_pointer, "/items");
}

#[test]
fn multi_file_yaml_collections() {
    // One file of the format…
    let mut d = Diagnostics::default();
    let l = load::load_bytes(
        Path::new("Get user.request.yaml"),
        b"$kind: http-request\nurl: https://example.com/users/1\nmethod: GET\n",
        &mut d,
    );
    assert!(l.is_none());
    let e = &d.items()[0];
    assert_eq!(e.code, "load/postman-yaml-collection");
    assert!(
        e.hint.as_deref().unwrap_or("").contains("Collection v2.1"),
        "{e}"
    );

    // …and the folder.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".resources")).unwrap();
    std::fs::write(
        dir.path().join(".resources/definition.yaml"),
        "$kind: collection\nname: X\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("Get user.request.yaml"),
        "$kind: http-request\nurl: https://example.com\n",
    )
    .unwrap();
    let f = connectorkit_generator::prepare_file(dir.path()).unwrap_err();
    assert_eq!(f.diagnostics.len(), 1);
    assert_eq!(f.diagnostics[0].code, "load/postman-yaml-collection");
    assert!(f.diagnostics[0].hint.is_some());
}

#[test]
fn collection_shapes_are_detected() {
    for text in [
        // v2.1, v2.0, the legacy `_postman_schema`, no schema, the SDK's toJSON shape
        r#"{"info": {"name": "a", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}, "item": []}"#,
        r#"{"info": {"name": "a", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"}, "item": []}"#,
        r#"{"info": {"name": "a", "_postman_schema": "https://schema.getpostman.com/#2.0.0"}, "item": []}"#,
        r#"{"info": {"name": "a"}, "item": []}"#,
        r#"{"name": "a", "item": []}"#,
        // the API envelope and v1
        r#"{"collection": {"info": {"name": "a"}, "item": []}}"#,
        r#"{"id": "1", "name": "a", "order": [], "requests": []}"#,
    ] {
        let (v, d) = load(text);
        assert_eq!(v, Some(SpecVersion::Postman), "{text}: {d:#?}");
        assert!(d.is_empty(), "{text}: {d:#?}");
    }
}

#[test]
fn bad_requests_are_diagnosed_not_fatal() {
    // An empty URL, a placeholder URL and a bad method drop their request (located errors,
    // folder path in the message); the good one is generated.
    let text = r#"{
  "info": {"name": "Bad", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "item": [
    {"name": "Folder", "item": [
      {"name": "Empty", "request": {"method": "GET", "url": ""}},
      {"name": "Placeholder", "request": {"method": "GET", "url": "<insert the signed URL>"}},
      {"name": "Bad method", "request": {"method": "GE T", "url": "https://x.example.com/a"}},
      {"name": "Good", "request": {"method": "GET", "url": "https://x.example.com/b"},
       "response": [{"name": "broken", "code": 200, "_postman_previewlanguage": "json", "body": "{\"a\": "}]}
    ]}
  ]
}"#;
    let p = connectorkit_generator::prepare_bytes(Path::new("bad.json"), text.as_bytes()).unwrap();
    assert_eq!(p.connector.actions.len(), 1);
    assert_eq!(p.connector.actions[0].ident, "good");
    let errors: Vec<&Diagnostic> = p.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 3, "{:#?}", p.diagnostics);
    for e in &errors {
        assert!(e.message.contains("`Folder / "), "{e}");
        assert!(e.message.contains("is dropped"), "{e}");
        assert!(
            e.location.line > 0 && e.location.json_pointer.starts_with("/item/0/item/"),
            "{e}"
        );
    }
    // The malformed saved example is a warning with its pointer, not a failure.
    let w = p
        .diagnostics
        .iter()
        .find(|d| d.code == "postman/example-not-json")
        .expect("a warning for the broken example");
    assert!(!w.is_error());
    assert_eq!(w.location.json_pointer, "/item/0/item/3/response/0/body");
    assert!(w.message.contains("`Folder / Good`"), "{w}");
}

#[test]
fn odd_shapes_never_panic() {
    // Wrong types everywhere the schemas allow unions, and some they do not.
    let odd = [
        r#"{"info": {"name": 5}, "item": {"name": "not a list"}}"#,
        r#"{"info": {"name": "x"}, "item": [1, "two", null, {"name": "no request"}]}"#,
        r#"{"info": {"name": "x"}, "item": [{"name": "r", "request": {"url": 42, "method": 7, "header": 3, "body": "raw", "auth": "basic"}}]}"#,
        r#"{"info": {"name": "x"}, "item": [{"name": "r", "request": {"url": {"host": 5, "path": [{"value": null}, 3]}, "header": "X-A: 1\n// X-B: 2\nbad"}}]}"#,
        r#"{"info": {"name": "x"}, "auth": {"type": "apikey", "apikey": "k"}, "item": [{"name": "r", "request": "https://x/é/{{a_{{b}}}}/:id.json?q={{$guid}}&q=2#frag"}]}"#,
        r#"{"info": {"name": "x"}, "item": [{"name": "r", "request": {"method": "POST", "url": "http://x/a", "body": {"mode": "raw", "raw": "{\"a\": {{v}}, // c\n \"d\": \"2024-01-01T1é:00:00+\", }"}}, "response": [{"code": "abc", "body": 5}, {"code": 99999}, {"code": 200, "body": "[1, 2.5, null, {\"a\": [[]]}]"}]}]}"#,
        r#"{"info": {"name": "x"}, "item": [{"name": "r", "request": {"method": "POST", "url": "http://x", "body": {"mode": "formdata", "formdata": [{"type": "file"}, {"key": "f", "type": "file", "src": ["a", "b"]}, {"key": "f", "value": null}]}}}]}"#,
        r#"{"info": {"name": "x"}, "item": [{"name": "r", "request": {"method": "POST", "url": "http://x", "body": {"mode": "graphql", "graphql": {"query": 1, "variables": "{not json"}}}}]}"#,
        r#"{"id": "1", "name": "v1", "order": ["a", "a", "missing"], "folders": [{"id": "f", "folders_order": ["f"], "order": ["b"]}], "requests": [{"id": "a", "url": "", "headers": 5}, {"id": "b", "url": "{{u}}", "currentHelper": "basicAuth", "helperAttributes": "{bad"}, {"id": "b", "url": "x"}, {"url": "no id"}]}"#,
        r#"{"collection": {"info": {"name": "x"}, "item": [{"name": "deep", "item": [{"item": [{"item": [{"name": "r", "request": {"url": {"raw": "{{host}}:8080/x"}}}]}]}]}]}}"#,
    ];
    for text in odd {
        // Either a clean failure or a prepared client; never a panic.
        let _ = connectorkit_generator::prepare_bytes(Path::new("odd.json"), text.as_bytes());
    }
    // Deep nesting.
    let mut deep = String::from(r#"{"name": "r", "request": "http://x/y"}"#);
    for _ in 0..50 {
        deep = format!(r#"{{"name": "f", "item": [{deep}]}}"#);
    }
    let text = format!(r#"{{"info": {{"name": "x"}}, "item": [{deep}]}}"#);
    let p = connectorkit_generator::prepare_bytes(Path::new("deep.json"), text.as_bytes());
    assert!(p.is_ok_and(|p| p.connector.actions.len() == 1));
}
