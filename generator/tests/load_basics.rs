//! Load: format detection, syntax errors, unknown formats, locating.

use std::path::Path;

use connectorkit_generator::diagnostics::{Diagnostic, Diagnostics};
use connectorkit_generator::load::{self, Loaded, SpecVersion};

fn load(name: &str, text: &str) -> (Option<Loaded>, Vec<Diagnostic>) {
    let mut d = Diagnostics::default();
    let l = load::load_bytes(Path::new(name), text.as_bytes(), &mut d);
    (l, d.into_vec())
}

fn only_error(diags: &[Diagnostic]) -> &Diagnostic {
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1, "{diags:#?}");
    errors[0]
}

#[test]
fn yaml_in_a_json_file_is_read_as_yaml() {
    let (l, d) = load(
        "spec.json",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    assert!(d.is_empty(), "{d:#?}");
    let l = l.expect("loads");
    assert_eq!(l.version, SpecVersion::OpenApi30);
    assert_eq!(l.document["info"]["title"], "t");
}

#[test]
fn json_in_a_yaml_file_is_read_as_json_with_bom() {
    let (l, d) = load(
        "spec.yaml",
        "\u{feff}  {\"swagger\": \"2.0\", \"info\": {}, \"paths\": {}}",
    );
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(l.expect("loads").version, SpecVersion::Swagger20);
}

#[test]
fn versions_are_detected() {
    for (text, v) in [
        ("openapi: 3.1.0\ninfo: {}\n", SpecVersion::OpenApi31),
        ("openapi: 3.2.0\ninfo: {}\n", SpecVersion::OpenApi32),
        ("openapi: '3.0'\ninfo: {}\n", SpecVersion::OpenApi30),
        ("swagger: '2.0'\ninfo: {}\n", SpecVersion::Swagger20),
    ] {
        assert_eq!(load("x.yaml", text).0.expect("loads").version, v, "{text}");
    }
}

#[test]
fn malformed_json_gives_line_and_column() {
    let (l, d) = load(
        "bad.json",
        "{\n  \"openapi\": \"3.0.0\",\n  \"info\": {\"title\" \"x\"}\n}\n",
    );
    assert!(l.is_none());
    let e = only_error(&d);
    assert_eq!(e.code, "load/json-syntax");
    assert_eq!((e.location.line, e.location.column), (3, 20), "{e}");
    assert!(e.hint.is_some());
}

#[test]
fn json_with_trailing_comma_is_read_leniently() {
    let (l, d) = load("t.json", "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"x\", \"version\": \"1\",}, \"paths\": {}}");
    assert!(l.is_some());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, "load/json-lenient");
    assert!(!d[0].is_error());
}

#[test]
fn json_missing_its_last_braces_is_closed_with_a_warning() {
    let (l, d) = load(
        "t.json",
        "{\n  \"openapi\": \"3.0.0\",\n  \"info\": {\"title\": \"a {b\", \"version\": \"1\"},\n  \"paths\": {\n",
    );
    let l = l.expect("read");
    assert_eq!(l.document["info"]["title"], "a {b");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "load/json-unclosed");
    assert_eq!(
        (d[0].location.line, d[0].location.column),
        (4, 13),
        "{}",
        d[0]
    );
    assert!(d[0].message.contains("`}}`"), "{}", d[0]);
}

#[test]
fn a_stray_closer_that_does_not_line_up_is_dropped_with_a_warning() {
    let text = "{\n  \"swagger\": \"2.0\",\n  \"paths\": {\n    \"/a\": {\n      \"get\": {\n        \"responses\": {}\n      }\n      }\n    },\n    \"/b\": {}\n  },\n  \"info\": {\"title\": \"t\", \"version\": \"1\"}\n}\n";
    let (l, d) = load("s.json", text);
    let l = l.expect("read");
    assert!(l.document["paths"]["/b"].is_object(), "{:#}", l.document);
    assert_eq!(l.document["info"]["title"], "t");
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].code, "load/json-stray-closer");
    assert_eq!(
        (d[0].location.line, d[0].location.column),
        (8, 7),
        "{}",
        d[0]
    );
}

#[test]
fn malformed_yaml_gives_line_and_column() {
    let (l, d) = load(
        "bad.yaml",
        "openapi: 3.0.0\ninfo:\n  title: [unclosed\n  version: 1\npaths: {}\n",
    );
    assert!(l.is_none());
    let e = only_error(&d);
    assert_eq!(e.code, "load/yaml-syntax");
    assert!(e.location.line >= 3, "{e}");
    assert!(e.location.column >= 1, "{e}");
}

#[test]
fn unknown_format_and_not_a_definition() {
    let (l, d) = load("x.yaml", "name: something\nversion: 2\n");
    assert!(l.is_none());
    let e = only_error(&d);
    assert_eq!(e.code, "load/unknown-format");
    assert!(e.hint.as_deref().unwrap_or("").contains("Swagger 2.0"));

    for text in ["", "   \n", "42\n", "- a\n- b\n", "[1, 2]"] {
        let (l, d) = load("x.yaml", text);
        assert!(l.is_none(), "{text:?}");
        assert_eq!(only_error(&d).code, "load/not-a-definition", "{text:?}");
    }

    // Postman collections are recognised (tests/postman_*.rs cover them).
    let (l, d) = load(
        "c.json",
        r#"{"info": {"_postman_id": "1", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}, "item": []}"#,
    );
    assert!(d.is_empty(), "{d:#?}");
    assert_eq!(l.expect("loads").version, SpecVersion::Postman);
}

#[test]
fn yaml_merge_keys_and_non_string_keys() {
    let text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Base: &base\n      type: object\n      description: base\n    Derived:\n      <<: *base\n      description: derived\n  responses:\n    200:\n      description: ok\n";
    let (l, d) = load("m.yaml", text);
    assert!(d.is_empty(), "{d:#?}");
    let doc = l.expect("loads").document;
    assert_eq!(doc["components"]["schemas"]["Derived"]["type"], "object");
    assert_eq!(
        doc["components"]["schemas"]["Derived"]["description"],
        "derived"
    );
    assert_eq!(doc["components"]["responses"]["200"]["description"], "ok");
}

#[test]
fn locate_nested_pointer_in_json() {
    let text = r#"{
  "openapi": "3.0.0",
  "info": {"title": "t", "version": "1"},
  "paths": {
    "/a/{id}": {
      "get": {
        "responses": {
          "200": {"description": "ok"}
        }
      }
    }
  }
}"#;
    let (l, d) = load("l.json", text);
    assert!(d.is_empty(), "{d:#?}");
    let s = l.expect("loads").sources;
    let loc = s.locate("/paths/~1a~1{id}/get/responses/200/description");
    assert_eq!((loc.line, loc.column), (8, 19));
    assert_eq!(
        loc.json_pointer,
        "/paths/~1a~1{id}/get/responses/200/description"
    );
    // A pointer that does not exist points at its nearest existing ancestor.
    let loc = s.locate("/paths/~1a~1{id}/post/x");
    assert_eq!((loc.line, loc.column), (5, 5));
    let loc = s.locate("/info/version");
    assert_eq!((loc.line, loc.column), (3, 26));
}

#[test]
fn locate_nested_pointer_in_yaml() {
    let text = "openapi: 3.0.0\n# comment\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a/{id}:\n    parameters:\n      - name: id\n        in: path\n      - name: q\n        in: query\n    get:\n      description: |\n        responses: not a key\n      responses:\n        '200':\n          description: ok\n";
    let (l, d) = load("l.yaml", text);
    assert!(d.is_empty(), "{d:#?}");
    let s = l.expect("loads").sources;
    let at = |p: &str| {
        let loc = s.locate(p);
        (loc.line, loc.column)
    };
    assert_eq!(at("/info/version"), (5, 3));
    assert_eq!(
        at("/paths/~1a~1{id}/get/responses/200/description"),
        (18, 11)
    );
    assert_eq!(at("/paths/~1a~1{id}/parameters/1/in"), (12, 9));
    assert_eq!(at("/paths/~1a~1{id}/parameters/1"), (11, 9));
    assert_eq!(at("/paths/~1a~1{id}/get/responses"), (16, 7));
}

#[test]
fn windows_1252_bytes_are_read_with_a_warning() {
    let mut bytes = b"openapi: 3.0.0\ninfo: {title: caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b", version: '1'}\npaths: {}\n");
    let mut d = Diagnostics::default();
    let l = load::load_bytes(Path::new("w.yaml"), &bytes, &mut d).expect("loads");
    assert_eq!(l.document["info"]["title"], "café");
    assert_eq!(d.items().len(), 1);
    assert_eq!(d.items()[0].code, "load/encoding");
    assert_eq!(d.items()[0].location.line, 2);
}
