//! Bad input never panics: each case gives a located diagnostic (file, line, column, JSON
//! pointer) and, where something can still be generated, generation goes on.

use std::path::{Path, PathBuf};

use connectorkit_generator::{prepare_bytes, prepare_file, Diagnostic, Severity};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ck-bad-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn diags_of(name: &str, text: &str) -> (bool, Vec<Diagnostic>) {
    match prepare_bytes(Path::new(name), text.as_bytes()) {
        Ok(p) => (true, p.diagnostics),
        Err(f) => (false, f.diagnostics),
    }
}

fn find<'a>(diags: &'a [Diagnostic], code: &str) -> &'a Diagnostic {
    diags
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} in {diags:#?}"))
}

#[test]
fn malformed_json_is_located() {
    let (ok, d) = diags_of("a.json", "{\n  \"openapi\": \"3.0.0\",\n  \"info\": {,}\n}");
    assert!(!ok);
    let e = find(&d, "load/json-syntax");
    assert_eq!(e.severity, Severity::Error);
    assert_eq!(
        (e.location.line, e.location.file.as_path()),
        (3, Path::new("a.json"))
    );
    assert!(e.location.column > 0);
}

#[test]
fn malformed_yaml_is_located() {
    let (ok, d) = diags_of(
        "a.yaml",
        "openapi: 3.0.0\ninfo:\n  title: [unclosed\n  version: 1\n",
    );
    assert!(!ok);
    let e = find(&d, "load/yaml-syntax");
    assert!(e.location.line >= 3, "{e}");
}

#[test]
fn an_unknown_format_gets_a_hint() {
    let (ok, d) = diags_of("a.json", "{\"hello\": \"world\"}");
    assert!(!ok);
    let e = find(&d, "load/unknown-format");
    assert!(e.hint.is_some());
}

const BASE: &str = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: '#/components/schemas/A'}\n";

#[test]
fn a_dangling_ref_is_located_and_generation_goes_on() {
    let text = format!("{BASE}components:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '#/components/schemas/Missing'}}\n");
    let (ok, d) = diags_of("d.yaml", &text);
    assert!(ok, "{d:#?}");
    let e = find(&d, "ref/dangling");
    assert_eq!(e.location.line, 17, "{e}");
    assert!(
        e.location
            .json_pointer
            .starts_with("/components/schemas/A/properties/b"),
        "{e}"
    );
}

#[test]
fn a_ref_cycle_is_cut_with_an_error() {
    let text = format!("{BASE}components:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n");
    let (ok, d) = diags_of("c.yaml", &text);
    assert!(ok, "{d:#?}");
    let e = find(&d, "ref/cycle");
    assert!(e.location.line >= 14, "{e}");
}

#[test]
fn an_external_ref_cycle_and_a_missing_file_are_located() {
    let dir = scratch("ext");
    std::fs::write(
        dir.join("root.yaml"),
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    $ref: 'a.yaml'\n  /m:\n    $ref: 'missing.yaml'\n",
    )
    .unwrap();
    std::fs::write(dir.join("a.yaml"), "$ref: 'b.yaml'\n").unwrap();
    std::fs::write(dir.join("b.yaml"), "$ref: 'a.yaml'\n").unwrap();
    let d = match prepare_file(&dir.join("root.yaml")) {
        Ok(p) => p.diagnostics,
        Err(f) => f.diagnostics,
    };
    let missing = find(&d, "ref/missing-file");
    assert!(missing.location.file.ends_with("root.yaml"), "{missing}");
    assert_eq!(missing.location.line, 7, "{missing}");
    assert!(d.iter().any(|x| x.code == "ref/cycle"), "{d:#?}");
}

#[test]
fn a_broken_operation_is_dropped_and_the_rest_generates() {
    let text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /bad:\n    get:\n      parameters: 7\n      responses: {'200': {description: ok}}\n  /good:\n    get:\n      operationId: good\n      responses: {'204': {description: ok}}\n";
    let p = prepare_bytes(Path::new("p.yaml"), text.as_bytes()).unwrap();
    let names: Vec<&str> = p
        .connector
        .actions
        .iter()
        .map(|a| a.ident.as_str())
        .collect();
    assert_eq!(names, ["good"]);
    let e = p
        .diagnostics
        .iter()
        .find(|d| {
            d.severity == Severity::Error && d.location.json_pointer.starts_with("/paths/~1bad")
        })
        .unwrap_or_else(|| panic!("{:#?}", p.diagnostics));
    assert!(e.location.line >= 4, "{e}");
}

#[test]
fn a_missing_comma_is_repaired_with_a_located_warning() {
    let text = "{\n  \"swagger\": \"2.0\",\n  \"info\": {\"title\": \"t\"\n    \"version\": \"1\"},\n  \"paths\": {}\n}\n";
    let p = prepare_bytes(Path::new("c.json"), text.as_bytes()).unwrap_or_else(|f| panic!("{f}"));
    let w = find(&p.diagnostics, "load/json-missing-comma");
    assert_eq!((w.location.line, w.location.column), (4, 5), "{w}");
    assert_eq!(p.connector.title, "t");
}
