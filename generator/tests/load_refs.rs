//! Load: external $ref bundling, dangling refs, ref cycles (internal and external).

use std::fs;
use std::path::Path;

use connectorkit_generator::diagnostics::{Diagnostic, Diagnostics};
use connectorkit_generator::load::{self, Loaded};

fn load_path(path: &Path) -> (Option<Loaded>, Vec<Diagnostic>) {
    let mut d = Diagnostics::default();
    let l = load::load_file(path, &mut d);
    (l, d.into_vec())
}

fn write(dir: &Path, name: &str, text: &str) {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).expect("mkdir");
    }
    fs::write(p, text).expect("write");
}

const HEAD: &str = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n";

#[test]
fn external_refs_are_bundled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "root.yaml",
        &format!(
            "{HEAD}paths:\n  /pets:\n    get:\n      $ref: 'ops/list.yaml'\ncomponents:\n  schemas:\n    Pet:\n      $ref: 'models/pet.json'\n"
        ),
    );
    write(
        d,
        "ops/list.yaml",
        "parameters:\n  - $ref: '../params.yaml#/limit'\nresponses:\n  '200':\n    description: ok\n    content:\n      application/json:\n        schema:\n          type: array\n          items:\n            $ref: '../models/pet.json'\n  default:\n    $ref: '#/components/responses/Error'\ncomponents:\n  responses:\n    Error:\n      description: failed\n      content:\n        application/json:\n          schema:\n            $ref: '../models/error.yaml#/Error'\n",
    );
    write(
        d,
        "params.yaml",
        "limit:\n  name: limit\n  in: query\n  schema: {type: integer}\n",
    );
    write(
        d,
        "models/pet.json",
        r#"{"type": "object", "properties": {"name": {"type": "string"}, "parent": {"$ref": "pet.json"}, "tag": {"$ref": "./tag.yaml"}}}"#,
    );
    write(d, "models/tag.yaml", "type: string\n");
    write(
        d,
        "models/error.yaml",
        "Error:\n  type: object\n  properties:\n    message:\n      type: string\n",
    );
    let (l, diags) = load_path(&d.join("root.yaml"));
    assert!(diags.is_empty(), "{diags:#?}");
    let l = l.expect("loads");
    let doc = &l.document;
    let op = &doc["paths"]["/pets"]["get"];
    assert_eq!(op["parameters"][0]["name"], "limit");
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"],
        "#/components/schemas/Pet"
    );
    // A ref inside an external file that is local to that file is resolved in that file.
    assert_eq!(op["responses"]["default"]["description"], "failed");
    assert_eq!(
        op["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Error"
    );
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Pet"]["type"], "object");
    assert_eq!(
        schemas["Pet"]["properties"]["parent"]["$ref"],
        "#/components/schemas/Pet"
    );
    assert_eq!(
        schemas["Pet"]["properties"]["tag"]["$ref"],
        "#/components/schemas/tag"
    );
    assert_eq!(schemas["tag"]["type"], "string");
    assert_eq!(schemas["Error"]["properties"]["message"]["type"], "string");
    assert_eq!(l.sources.paths_read().len(), 6);

    // Locating bundled content gives the file it came from.
    let loc = l
        .sources
        .locate("/paths/~1pets/get/responses/200/description");
    assert!(loc.file.ends_with("ops/list.yaml"), "{loc:?}");
    assert_eq!((loc.line, loc.column), (5, 5));
    assert_eq!(loc.json_pointer, "/responses/200/description");
    let loc = l
        .sources
        .locate("/components/schemas/Error/properties/message");
    assert!(loc.file.ends_with("models/error.yaml"), "{loc:?}");
    assert_eq!(loc.line, 4);
    assert_eq!(loc.json_pointer, "/Error/properties/message");
}

#[test]
fn missing_file_and_bad_fragment_are_reported_at_the_ref() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "root.yaml",
        &format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b:\n          $ref: 'nope.yaml'\n        c:\n          $ref: 'other.yaml#/Missing'\n        d:\n          $ref: 'https://example.com/x.json'\n"),
    );
    write(d, "other.yaml", "Present: {type: string}\n");
    let (l, diags) = load_path(&d.join("root.yaml"));
    let l = l.expect("loads");
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(
        codes,
        ["ref/missing-file", "ref/dangling", "ref/remote-unsupported"],
        "{diags:#?}"
    );
    assert_eq!((diags[0].location.line, diags[0].location.column), (10, 11));
    assert_eq!(
        diags[0].location.json_pointer,
        "/components/schemas/A/properties/b/$ref"
    );
    assert_eq!(diags[1].location.line, 12);
    assert!(!diags[2].is_error());
    let props = &l.document["components"]["schemas"]["A"]["properties"];
    for k in ["b", "c", "d"] {
        assert_eq!(props[k], serde_json::json!({}), "{k}");
    }
}

#[test]
fn internal_dangling_ref() {
    let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      properties:\n        x:\n          $ref: '#/components/schemas/Nope'\n");
    let mut d = Diagnostics::default();
    let l = load::load_bytes(Path::new("a.yaml"), text.as_bytes(), &mut d).expect("loads");
    let diags = d.into_vec();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, "ref/dangling");
    assert_eq!((diags[0].location.line, diags[0].location.column), (9, 11));
    assert_eq!(
        l.document["components"]["schemas"]["A"]["properties"]["x"],
        serde_json::json!({})
    );
}

#[test]
fn internal_pure_ref_cycle_is_broken() {
    let text = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n    Self:\n      $ref: '#/components/schemas/Self'\n    Tree:\n      type: object\n      properties:\n        children:\n          type: array\n          items:\n            $ref: '#/components/schemas/Tree'\n");
    let mut d = Diagnostics::default();
    let l = load::load_bytes(Path::new("c.yaml"), text.as_bytes(), &mut d).expect("loads");
    let diags = d.into_vec();
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["ref/cycle", "ref/cycle"], "{diags:#?}");
    let s = &l.document["components"]["schemas"];
    // Exactly one link of A ↔ B is broken; structural recursion (Tree) is untouched.
    let broken = [&s["A"], &s["B"]]
        .iter()
        .filter(|v| v.get("$ref").is_none())
        .count();
    assert_eq!(broken, 1);
    assert_eq!(s["Self"], serde_json::json!({}));
    assert_eq!(
        s["Tree"]["properties"]["children"]["items"]["$ref"],
        "#/components/schemas/Tree"
    );
}

#[test]
fn external_file_cycle_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "root.yaml",
        &format!("{HEAD}paths:\n  /a:\n    $ref: 'a.yaml'\n"),
    );
    write(
        d,
        "a.yaml",
        "get:\n  responses:\n    '200':\n      $ref: 'b.yaml'\n",
    );
    write(
        d,
        "b.yaml",
        "description: ok\nx-loop:\n  $ref: 'a.yaml'\nheaders:\n  X:\n    $ref: 'a.yaml'\n",
    );
    let (l, diags) = load_path(&d.join("root.yaml"));
    let l = l.expect("loads");
    let errors: Vec<&Diagnostic> = diags.iter().filter(|d| d.code == "ref/cycle").collect();
    assert!(!errors.is_empty(), "{diags:#?}");
    assert!(
        errors
            .iter()
            .any(|e| e.location.file.ends_with("b.yaml") && e.location.line == 6),
        "{errors:#?}"
    );
    assert_eq!(
        l.document["paths"]["/a"]["get"]["responses"]["200"]["description"],
        "ok"
    );
}

#[test]
fn recursive_external_schemas_are_fine() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "root.yaml",
        &format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Node:\n      $ref: 'node.yaml'\n"
        ),
    );
    write(d, "node.yaml", "type: object\nproperties:\n  next:\n    $ref: 'node.yaml'\n  other:\n    $ref: 'other.yaml'\n");
    write(
        d,
        "other.yaml",
        "type: object\nproperties:\n  back:\n    $ref: 'node.yaml'\n",
    );
    let (l, diags) = load_path(&d.join("root.yaml"));
    assert!(diags.is_empty(), "{diags:#?}");
    let l = l.expect("loads");
    let s = &l.document["components"]["schemas"];
    assert_eq!(
        s["Node"]["properties"]["next"]["$ref"],
        "#/components/schemas/Node"
    );
    assert_eq!(
        s["Node"]["properties"]["other"]["$ref"],
        "#/components/schemas/other"
    );
    assert_eq!(
        s["other"]["properties"]["back"]["$ref"],
        "#/components/schemas/Node"
    );
}

/// A discriminator's mapping into another file (DigitalOcean's domain records) names the
/// hoisted component afterwards, so the mapping still says which member each tag selects.
#[test]
fn discriminator_mapping_into_another_file_is_rebased() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    write(
        d,
        "root.yaml",
        &format!(
            "{HEAD}paths:\n  /records:\n    post:\n      requestBody:\n        content:\n          application/json:\n            schema:\n              anyOf:\n                - $ref: 'models/records.yml#/record_a'\n                - $ref: 'models/records.yml#/record_mx'\n              discriminator:\n                propertyName: type\n                mapping:\n                  A: 'models/records.yml#/record_a'\n                  MX: 'models/records.yml#/record_mx'\n                  Bare: Pet\n                  Missing: 'models/none.yml#/x'\n      responses:\n        '204': {{description: done}}\n"
        ),
    );
    write(
        d,
        "models/records.yml",
        "record_a:\n  type: object\n  properties:\n    type: {type: string}\n    data: {type: string}\nrecord_mx:\n  type: object\n  properties:\n    type: {type: string}\n    priority: {type: integer}\n",
    );
    let (l, diags) = load_path(&d.join("root.yaml"));
    assert!(diags.is_empty(), "{diags:#?}");
    let doc = l.expect("loads").document;
    let schema =
        &doc["paths"]["/records"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(schema["anyOf"][0]["$ref"], "#/components/schemas/record_a");
    let mapping = &schema["discriminator"]["mapping"];
    assert_eq!(mapping["A"], "#/components/schemas/record_a");
    assert_eq!(mapping["MX"], "#/components/schemas/record_mx");
    // A bare name and a mapping that resolves nowhere are left as written.
    assert_eq!(mapping["Bare"], "Pet");
    assert_eq!(mapping["Missing"], "models/none.yml#/x");
}
